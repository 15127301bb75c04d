//! Legacy encodings to UTF-8: exports of older Chinese government systems are often GBK (or its
//! superset GB 18030). Conversion is strict: a byte sequence the encoding does not define is an
//! error naming its offset, never a replacement character that would change a value silently.

use std::io::{Read, Write};

use crate::{Error, ErrorKind, Result};

/// A text encoding input can be converted from.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Encoding {
    /// UTF-8 (checked, copied).
    Utf8,
    /// GBK, as the WHATWG Encoding Standard defines it.
    Gbk,
    /// GB 18030-2022.
    Gb18030,
}

impl Encoding {
    /// `utf-8`, `gbk` or `gb18030` (any case).
    pub fn parse(name: &str) -> Result<Encoding> {
        match name.to_ascii_lowercase().as_str() {
            "utf-8" | "utf8" => Ok(Encoding::Utf8),
            "gbk" | "cp936" => Ok(Encoding::Gbk),
            "gb18030" => Ok(Encoding::Gb18030),
            _ => Err(Error::new(
                ErrorKind::InvalidArgument,
                format!("unknown encoding `{name}` (utf-8, gbk or gb18030)"),
            )),
        }
    }

    fn standard(self) -> &'static encoding_rs::Encoding {
        match self {
            Encoding::Utf8 => encoding_rs::UTF_8,
            Encoding::Gbk => encoding_rs::GBK,
            Encoding::Gb18030 => encoding_rs::GB18030,
        }
    }
}

/// Converts `input`, in `encoding`, to UTF-8 into `output`, streaming; returns the bytes written.
/// A byte-order mark of the encoding is dropped. Malformed input is `InvalidInput` with the byte
/// offset of the bad sequence.
///
/// ```
/// use privshare::io::transcode::{to_utf8, Encoding};
/// let gbk = b"name\n\xd5\xc5\xc8\xfd\n"; // "name\n张三\n" in GBK
/// let mut out = Vec::new();
/// to_utf8(&gbk[..], &mut out, Encoding::Gbk)?;
/// assert_eq!(String::from_utf8(out).unwrap(), "name\n张三\n");
/// assert_eq!(to_utf8(&b"a\xff\xff"[..], &mut Vec::new(), Encoding::Gbk).unwrap_err().position().offset, Some(1));
/// # Ok::<(), privshare::Error>(())
/// ```
pub fn to_utf8(mut input: impl Read, mut output: impl Write, encoding: Encoding) -> Result<u64> {
    let mut decoder = encoding.standard().new_decoder_with_bom_removal();
    let mut buf = vec![0u8; 1 << 16];
    let mut text = vec![0u8; 3 * (1 << 16) + 16];
    let (mut offset, mut written) = (0u64, 0u64);
    loop {
        let n = input.read(&mut buf)?;
        let last = n == 0;
        let mut src = &buf[..n];
        loop {
            let (result, read, produced) = decoder.decode_to_utf8_without_replacement(src, &mut text, last);
            output.write_all(&text[..produced])?;
            written += produced as u64;
            match result {
                encoding_rs::DecoderResult::InputEmpty => {
                    offset += read as u64;
                    break;
                }
                encoding_rs::DecoderResult::OutputFull => {
                    offset += read as u64;
                    src = &src[read..];
                }
                encoding_rs::DecoderResult::Malformed(bad, after) => {
                    // `read` counts the malformed sequence and `after` bytes past it.
                    let at = offset + read as u64 - u64::from(after) - u64::from(bad);
                    return Err(Error::new(
                        ErrorKind::InvalidInput,
                        format!("the input is not valid {} here", encoding.standard().name()),
                    )
                    .at_offset(at));
                }
            }
        }
        if last {
            output.flush()?;
            return Ok(written);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn gbk_and_gb18030_convert_and_bad_bytes_name_their_offset() {
        let text = "record_id,name,address\nP1,张三,北京市海淀区\nP2,买买提·艾力,新疆维吾尔自治区\n";
        for enc in [Encoding::Gbk, Encoding::Gb18030] {
            let (bytes, _, bad) = enc.standard().encode(text);
            assert!(!bad);
            // Through a reader that hands out a few bytes at a time (sequences split across reads).
            let reader = std::io::BufReader::with_capacity(3, &bytes[..]);
            let mut out = Vec::new();
            assert_eq!(to_utf8(reader, &mut out, enc).unwrap(), text.len() as u64);
            assert_eq!(String::from_utf8(out).unwrap(), text);
            let mut broken = bytes.to_vec();
            broken.insert(30, 0xff);
            let e = to_utf8(&broken[..], &mut Vec::new(), enc).unwrap_err();
            assert_eq!((e.kind(), e.position().offset), (ErrorKind::InvalidInput, Some(30)));
        }
        assert_eq!(to_utf8(&b"ab\xc3"[..], &mut Vec::new(), Encoding::Utf8).unwrap_err().position().offset, Some(2));
        assert!(Encoding::parse("latin1").is_err());
        assert_eq!(Encoding::parse("GBK").unwrap(), Encoding::Gbk);
    }
}
