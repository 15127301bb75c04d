//! Participant ids in the style of X-Road: `INSTANCE/CLASS/MEMBER/SUBSYSTEM`.

use std::fmt;

use crate::{Error, ErrorKind, Result};

/// Most bytes in one part of a participant id.
pub const PART_MAX_LEN: usize = 63;

/// Most bytes in a whole participant id (four parts and three slashes); it fits a one-byte length.
pub const PARTICIPANT_ID_MAX_LEN: usize = 4 * PART_MAX_LEN + 3;

/// Who sends or receives an exchange: an X-Road style id of four parts, the federation instance
/// (e.g. `CN-GOV`), the member class (`GOV`, `COM`, ...), the member code (a registry number) and
/// the subsystem (the department's system that exchanges data).
///
/// Each part is 1 to 63 bytes of `A-Z a-z 0-9 - _ . :`; the id is compared exactly (case matters).
/// ```
/// use privshare::envelope::ParticipantId;
/// let id: ParticipantId = "CN-GOV/GOV/11100000000013127D/tax".parse()?;
/// assert_eq!(id.member(), "11100000000013127D");
/// assert_eq!(id.to_string(), "CN-GOV/GOV/11100000000013127D/tax");
/// # Ok::<(), privshare::Error>(())
/// ```
#[derive(Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct ParticipantId(String);

impl ParticipantId {
    /// Builds an id from its four parts.
    pub fn new(instance: &str, class: &str, member: &str, subsystem: &str) -> Result<ParticipantId> {
        format!("{instance}/{class}/{member}/{subsystem}").parse()
    }

    /// Parses the `INSTANCE/CLASS/MEMBER/SUBSYSTEM` form.
    pub fn parse(text: &str) -> Result<ParticipantId> {
        let parts: Vec<&str> = text.split('/').collect();
        if parts.len() != 4 {
            return Err(Error::new(
                ErrorKind::InvalidArgument,
                format!("a participant id has four parts INSTANCE/CLASS/MEMBER/SUBSYSTEM, not {}", parts.len()),
            ));
        }
        let mut offset = 0u64;
        for (i, part) in parts.iter().enumerate() {
            let name = ["instance", "class", "member", "subsystem"][i];
            if part.is_empty() || part.len() > PART_MAX_LEN {
                return Err(Error::new(
                    ErrorKind::InvalidArgument,
                    format!("the {name} part of a participant id must be 1 to {PART_MAX_LEN} bytes"),
                )
                .at_offset(offset));
            }
            if let Some(bad) = part.bytes().position(|b| !(b.is_ascii_alphanumeric() || b"-_.:".contains(&b))) {
                return Err(Error::new(
                    ErrorKind::InvalidArgument,
                    format!("the {name} part of a participant id may hold only A-Z a-z 0-9 - _ . :"),
                )
                .at_offset(offset + bad as u64));
            }
            offset += part.len() as u64 + 1;
        }
        Ok(ParticipantId(text.to_string()))
    }

    fn part(&self, i: usize) -> &str {
        self.0.split('/').nth(i).unwrap_or_default()
    }

    /// The federation instance.
    pub fn instance(&self) -> &str {
        self.part(0)
    }

    /// The member class.
    pub fn class(&self) -> &str {
        self.part(1)
    }

    /// The member code.
    pub fn member(&self) -> &str {
        self.part(2)
    }

    /// The subsystem.
    pub fn subsystem(&self) -> &str {
        self.part(3)
    }

    /// The id as text (also its wire form).
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl std::str::FromStr for ParticipantId {
    type Err = Error;
    fn from_str(s: &str) -> Result<ParticipantId> {
        ParticipantId::parse(s)
    }
}

impl fmt::Display for ParticipantId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl fmt::Debug for ParticipantId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "ParticipantId({:?})", self.0)
    }
}

impl serde::Serialize for ParticipantId {
    fn serialize<S: serde::Serializer>(&self, s: S) -> std::result::Result<S::Ok, S::Error> {
        s.serialize_str(&self.0)
    }
}

impl<'de> serde::Deserialize<'de> for ParticipantId {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> std::result::Result<ParticipantId, D::Error> {
        let s = String::deserialize(d)?;
        ParticipantId::parse(&s).map_err(serde::de::Error::custom)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_four_parts_and_rejects_the_rest() {
        let id = ParticipantId::new("EE", "GOV", "70000001", "tax").unwrap();
        assert_eq!((id.instance(), id.class(), id.member(), id.subsystem()), ("EE", "GOV", "70000001", "tax"));
        for bad in ["EE/GOV/70000001", "EE/GOV/1/tax/x", "EE//1/tax", "EE/GOV/1/t x", "EE/GOV/1/é", ""] {
            let e = ParticipantId::parse(bad).unwrap_err();
            assert_eq!(e.kind(), ErrorKind::InvalidArgument, "{bad}");
        }
        let long = "a".repeat(PART_MAX_LEN);
        let max = format!("{long}/{long}/{long}/{long}");
        assert_eq!(ParticipantId::parse(&max).unwrap().as_str().len(), PARTICIPANT_ID_MAX_LEN);
        assert!(ParticipantId::parse(&format!("{max}a")).is_err());
        assert_eq!(ParticipantId::parse("EE/GOV/1/t x").unwrap_err().position().offset, Some(10));
    }
}
