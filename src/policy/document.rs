//! A policy's text, TOML or JSON, read into one tree of values, with the line of every key of a
//! TOML document (so that a problem found later, when the values are checked, can name its line).

use std::collections::HashMap;

use serde_json::{Map, Value};
use toml::de::{DeTable, DeValue};

use super::Problem;

/// Longest policy text, in bytes.
pub const MAX_POLICY_BYTES: usize = 1 << 20;

/// The language a policy is written in.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Format {
    /// TOML (`.toml`).
    Toml,
    /// JSON (`.json`).
    Json,
}

impl Format {
    /// The format a file name's extension says: `.json` is JSON, anything else TOML.
    pub fn of_path(path: &std::path::Path) -> Format {
        match path.extension().and_then(|e| e.to_str()) {
            Some(e) if e.eq_ignore_ascii_case("json") => Format::Json,
            _ => Format::Toml,
        }
    }
}

/// The parsed tree and where its keys are.
pub(crate) struct Document {
    pub root: Map<String, Value>,
    /// Dotted key path (`columns.age.action`) -> one-based line. Empty for JSON.
    lines: HashMap<String, u64>,
}

impl Document {
    /// Parses `text`; a syntax error is the one problem.
    pub fn parse(text: &str, format: Format) -> Result<Document, Problem> {
        if text.len() > MAX_POLICY_BYTES {
            return Err(Problem::new(
                None,
                "",
                format!("the policy is longer than the limit of {MAX_POLICY_BYTES} bytes"),
            ));
        }
        match format {
            Format::Json => match serde_json::from_str::<Value>(text) {
                Ok(Value::Object(root)) => Ok(Document { root, lines: HashMap::new() }),
                Ok(_) => Err(Problem::new(Some(1), "", "a JSON policy is an object")),
                Err(e) => Err(Problem::new(Some(e.line() as u64), "", format!("not valid JSON: {}", json_reason(&e)))),
            },
            Format::Toml => {
                let table = DeTable::parse(text).map_err(|e| {
                    let line = e.span().map(|s| line_of(text, s.start));
                    Problem::new(line, "", format!("not valid TOML: {}", e.message()))
                })?;
                let mut lines = HashMap::new();
                index_lines(text, "", table.get_ref(), &mut lines);
                let root: toml::Table = toml::from_str(text)
                    .map_err(|e| Problem::new(e.span().map(|s| line_of(text, s.start)), "", e.message().to_string()))?;
                match serde_json::to_value(root) {
                    Ok(Value::Object(root)) => Ok(Document { root, lines }),
                    _ => Err(Problem::new(None, "", "the TOML document has values JSON cannot hold")),
                }
            }
        }
    }

    /// The line of the key at `path` (dotted), or of its nearest ancestor that has one.
    pub fn line(&self, path: &str) -> Option<u64> {
        let mut p = path;
        loop {
            if let Some(&l) = self.lines.get(p) {
                return Some(l);
            }
            p = &p[..p.rfind('.')?];
        }
    }
}

/// serde_json's message without its " at line L column C" tail (the line is reported apart).
fn json_reason(e: &serde_json::Error) -> String {
    let s = e.to_string();
    match s.rfind(" at line ") {
        Some(i) => s[..i].to_string(),
        None => s,
    }
}

fn line_of(text: &str, offset: usize) -> u64 {
    let offset = offset.min(text.len());
    1 + text.as_bytes()[..offset].iter().filter(|&&b| b == b'\n').count() as u64
}

fn index_lines(text: &str, prefix: &str, table: &DeTable<'_>, lines: &mut HashMap<String, u64>) {
    for (key, value) in table {
        let path = if prefix.is_empty() { key.get_ref().to_string() } else { format!("{prefix}.{}", key.get_ref()) };
        lines.entry(path.clone()).or_insert_with(|| line_of(text, key.span().start));
        match value.get_ref() {
            DeValue::Table(t) => index_lines(text, &path, t, lines),
            DeValue::Array(items) => {
                for (i, item) in items.iter().enumerate() {
                    if let DeValue::Table(t) = item.get_ref() {
                        let at = format!("{path}.{i}");
                        lines.entry(at.clone()).or_insert_with(|| line_of(text, item.span().start));
                        index_lines(text, &at, t, lines);
                    }
                }
            }
            _ => {}
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keys_have_their_lines() {
        let text = "policy = \"p\"\n\n[columns]\nage = { action = \"keep\" }\n\n[columns.sex]\naction = \"drop\"\n";
        let d = Document::parse(text, Format::Toml).unwrap();
        assert_eq!(d.line("policy"), Some(1));
        assert_eq!(d.line("columns.age"), Some(4));
        assert_eq!(d.line("columns.age.action"), Some(4));
        assert_eq!(d.line("columns.sex"), Some(6));
        assert_eq!(d.line("columns.sex.action"), Some(7));
        assert_eq!(d.line("nowhere"), None);
        assert_eq!(d.root["columns"]["sex"]["action"], "drop");
    }

    #[test]
    fn syntax_errors_name_their_line() {
        let e = Document::parse("policy = \"p\"\nversion = \n", Format::Toml).err().unwrap();
        assert_eq!(e.line, Some(2), "{e}");
        let e = Document::parse("{\n \"policy\": \"p\",\n}", Format::Json).err().unwrap();
        assert_eq!(e.line, Some(3), "{e}");
        assert!(Document::parse("[1]", Format::Json).is_err());
        let long = "#".repeat(MAX_POLICY_BYTES + 1);
        assert!(Document::parse(&long, Format::Toml).err().unwrap().message.contains("limit"));
    }
}
