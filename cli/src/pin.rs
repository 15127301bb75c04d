//! `privshare policy pin`: writes the keyset's primary version into every column whose action
//! needs its key version written down (`fpe`, keyed masks), editing the policy file in place.
//! A TOML policy keeps its comments, order and layout (`toml_edit`); a JSON policy is edited as
//! text, so its key order and formatting stay as written (serde_json would sort the keys).

use std::ops::Range;
use std::path::{Path, PathBuf};

use clap::Args;
use privshare::policy::{Action, Format, Plan, Policy};
use privshare::KeyId;
use serde_json::{Map, Value};

use crate::files::{self, in_file};
use crate::{Failure, Passphrase};

#[derive(Args)]
pub struct PinArgs {
    /// The policy to edit in place (TOML, or JSON when the name ends in .json).
    policy: PathBuf,
    /// The keyset whose primary version is written in.
    #[arg(long)]
    keyset: PathBuf,
    #[command(flatten)]
    passphrase: Passphrase,
    /// Also move every keyed column that already names a key version to the primary.
    #[arg(long)]
    update: bool,
}

/// One column's key version, before and after.
#[derive(Debug)]
struct Change {
    column: String,
    from: Option<u64>,
    to: KeyId,
}

pub fn pin(a: &PinArgs, json: bool) -> Result<(), Failure> {
    let text = files::read_text(&a.policy)?;
    let keyset = files::load_keyset(&a.keyset, &a.passphrase)?;
    let primary = keyset.primary_id();
    let format = Format::of_path(&a.policy);
    let edited = match format {
        Format::Toml => pin_toml(&text, primary, a.update),
        Format::Json => pin_json(&text, primary, a.update),
    };
    let (new_text, changes) = edited.map_err(|m| Failure::new(format!("{}: {m}", a.policy.display())))?;
    // The result must read and compile before it replaces the file: a policy with other
    // problems is left as it was, with the problems listed.
    let policy = checked(&a.policy, &new_text, format, json)?;
    Plan::compile(&policy, &keyset).map_err(|e| in_file(&a.policy, e))?;
    if !changes.is_empty() {
        files::write_file(&a.policy, new_text.as_bytes(), false, true)?;
    }
    print_changes(&a.policy, primary, &changes, json);
    Ok(())
}

/// The policy `text` would be, or every problem it has, listed as `policy check` lists them
/// (exit code 1, nothing written).
fn checked(path: &Path, text: &str, format: Format, json: bool) -> Result<Policy, Failure> {
    Policy::check(text, format).map_err(|problems| {
        if json {
            println!("{}", serde_json::json!({ "policy": path, "changed": false, "problems": problems }));
        } else {
            for p in &problems {
                println!("{}: {p}", path.display());
            }
        }
        Failure::new(format!(
            "{}: {} problems pinning cannot fix: fix them, then pin again (the file was not changed)",
            path.display(),
            problems.len()
        ))
    })
}

fn print_changes(path: &Path, primary: KeyId, changes: &[Change], json: bool) {
    if json {
        let list: Vec<Value> =
            changes.iter().map(|c| serde_json::json!({ "column": c.column, "from": c.from, "to": c.to })).collect();
        println!(
            "{}",
            serde_json::json!({ "policy": path, "primary": primary, "changed": !changes.is_empty(), "changes": list })
        );
        return;
    }
    if changes.is_empty() {
        println!("{}: nothing to pin (every column that needs a key version names one)", path.display());
        return;
    }
    let noun = if changes.len() == 1 { "column" } else { "columns" };
    println!("{}: pinned {} {noun} to key version {primary}", path.display(), changes.len());
    for c in changes {
        match c.from {
            Some(from) => println!("  columns.{}: key_version {from} -> {}", c.column, c.to),
            None => println!("  columns.{}: key_version {}", c.column, c.to),
        }
    }
    if changes.iter().any(|c| c.from.is_some()) {
        println!("  (outputs protected under the old versions need the old policy to reveal; raise `version`)");
    }
}

/// What pinning does to one column, given its entry as the policy reader sees it (JSON values):
/// `None` to leave it. An entry whose action does not read is left for the check to report.
fn change(name: &str, entry: &Value, primary: KeyId, update: bool) -> Option<Change> {
    let Value::Object(fields) = entry else { return None };
    let given = fields.get("key_version");
    let mut action = fields.clone();
    action.remove("key_version");
    action.remove("on_invalid");
    let action: Action = serde_json::from_value(Value::Object(action)).ok()?;
    let from = given.and_then(Value::as_u64);
    let pin = match given {
        None => action.needs_pinned_key(),
        // Only a valid version is moved; a wrong one is the check's to report.
        Some(_) => update && action.is_keyed() && from.is_some() && from != Some(u64::from(primary)),
    };
    pin.then(|| Change { column: name.to_string(), from, to: primary })
}

// ---- TOML ----

/// The TOML policy with its key versions pinned, and what changed.
fn pin_toml(text: &str, primary: KeyId, update: bool) -> Result<(String, Vec<Change>), String> {
    let mut doc: toml_edit::DocumentMut = text.parse().map_err(|e: toml_edit::TomlError| {
        let line = e.span().map(|s| 1 + text.as_bytes().iter().take(s.start).filter(|&&b| b == b'\n').count());
        let at = line.map(|l| format!("line {l}: ")).unwrap_or_default();
        format!("{at}not valid TOML: {}", e.message())
    })?;
    let Some(columns) = doc.get_mut("columns").and_then(toml_edit::Item::as_table_like_mut) else {
        return Ok((text.to_string(), Vec::new()));
    };
    let changes: Vec<Change> =
        columns.iter().filter_map(|(name, item)| change(name, &item_json(item), primary, update)).collect();
    for c in &changes {
        if let Some(entry) = columns.get_mut(&c.column) {
            set_toml_version(entry, c.to);
        }
    }
    if changes.is_empty() {
        return Ok((text.to_string(), changes));
    }
    Ok((doc.to_string(), changes))
}

/// Sets `key_version` in a column's table (`[columns.x]`) or inline table, keeping the layout.
fn set_toml_version(entry: &mut toml_edit::Item, version: KeyId) {
    let number = toml_edit::Value::from(i64::from(version));
    if let Some(t) = entry.as_inline_table_mut() {
        set_inline_version(t, number);
        return;
    }
    if let Some(t) = entry.as_table_like_mut() {
        match t.get_mut("key_version").and_then(toml_edit::Item::as_value_mut) {
            Some(v) => replace_value(v, number),
            None => {
                t.insert("key_version", toml_edit::Item::Value(number));
            }
        }
    }
}

/// In `{ action = "fpe", kind = "mobile" }`, the space before `}` belongs to the last value:
/// it moves to the new last one, giving `{ action = "fpe", kind = "mobile", key_version = 7 }`.
fn set_inline_version(t: &mut toml_edit::InlineTable, mut number: toml_edit::Value) {
    if let Some(v) = t.get_mut("key_version") {
        return replace_value(v, number);
    }
    let trailing = t.iter_mut().last().and_then(|(_, v)| {
        let s = v.decor().suffix().cloned();
        v.decor_mut().set_suffix("");
        s
    });
    number.decor_mut().set_prefix(" ");
    number.decor_mut().set_suffix(trailing.unwrap_or_else(|| " ".into()));
    t.insert("key_version", number);
}

/// Replaces a value, keeping the spaces and comment around it.
fn replace_value(v: &mut toml_edit::Value, mut number: toml_edit::Value) {
    *number.decor_mut() = v.decor().clone();
    *v = number;
}

/// A TOML item as the JSON value the policy reader sees.
fn item_json(item: &toml_edit::Item) -> Value {
    match item {
        toml_edit::Item::Value(v) => value_json(v),
        toml_edit::Item::Table(t) => Value::Object(t.iter().map(|(k, v)| (k.to_string(), item_json(v))).collect()),
        toml_edit::Item::ArrayOfTables(a) => Value::Array(
            a.iter().map(|t| Value::Object(t.iter().map(|(k, v)| (k.to_string(), item_json(v))).collect())).collect(),
        ),
        toml_edit::Item::None => Value::Null,
    }
}

fn value_json(v: &toml_edit::Value) -> Value {
    use toml_edit::Value as T;
    match v {
        T::String(s) => Value::String(s.value().clone()),
        T::Integer(i) => Value::from(*i.value()),
        T::Float(f) => serde_json::Number::from_f64(*f.value()).map(Value::Number).unwrap_or(Value::Null),
        T::Boolean(b) => Value::Bool(*b.value()),
        T::Datetime(d) => Value::String(d.value().to_string()),
        T::Array(a) => Value::Array(a.iter().map(value_json).collect()),
        T::InlineTable(t) => {
            Value::Object(t.iter().map(|(k, v)| (k.to_string(), value_json(v))).collect::<Map<_, _>>())
        }
    }
}

// ---- JSON ----

/// The JSON policy with its key versions pinned, and what changed: the text is edited where the
/// versions go, so everything else stays byte for byte.
fn pin_json(text: &str, primary: KeyId, update: bool) -> Result<(String, Vec<Change>), String> {
    let root: Value = serde_json::from_str(text).map_err(|e| {
        // serde_json's message ends in " at line L column C": said once, first.
        let reason = e.to_string();
        let reason = reason.rfind(" at line ").map_or(reason.as_str(), |i| &reason[..i]).to_string();
        format!("line {}, column {}: not valid JSON: {reason}", e.line(), e.column())
    })?;
    let Some(Value::Object(columns)) = root.get("columns") else {
        return Ok((text.to_string(), Vec::new()));
    };
    let top = Scanner::members_at(text, Scanner::first_value(text));
    let Some(cols) = top.iter().rev().find(|m| m.key == "columns") else {
        return Err("`columns` not found where expected".into());
    };
    let entries = Scanner::members_at(text, cols.value.start);
    // In the order written; of a name given twice, the last (the one serde_json keeps).
    let mut changes = Vec::new();
    let mut edits = Vec::new();
    for (i, m) in entries.iter().enumerate() {
        let repeated = entries[i + 1..].iter().any(|later| later.key == m.key);
        let Some(c) = columns.get(&m.key).filter(|_| !repeated).and_then(|e| change(&m.key, e, primary, update)) else {
            continue;
        };
        edits.push(json_edit(text, m.value.clone(), c.to));
        changes.push(c);
    }
    if changes.is_empty() {
        return Ok((text.to_string(), changes));
    }
    // From the end, so that earlier offsets stay valid.
    edits.sort_by_key(|(at, _)| std::cmp::Reverse(at.start));
    let mut out = text.to_string();
    for (at, with) in edits {
        out.replace_range(at, &with);
    }
    Ok((out, changes))
}

/// The edit that sets `key_version` in the column object at `object`: the number replaced, or
/// a new member after the last one, on its own line when the object spans lines.
fn json_edit(text: &str, object: Range<usize>, version: KeyId) -> (Range<usize>, String) {
    let members = Scanner::members_at(text, object.start);
    if let Some(m) = members.iter().rev().find(|m| m.key == "key_version") {
        return (m.value.clone(), version.to_string());
    }
    let Some(last) = members.last() else {
        // Not reached: a column that needs pinning has an action. Insert after `{`.
        return (object.start + 1..object.start + 1, format!("\"key_version\": {version}"));
    };
    let sep = &text[last.key_end..last.value.start];
    let sep = if sep.contains('\n') { ": " } else { sep };
    let line_start = text[..last.key_start].rfind('\n').map(|i| i + 1);
    let member = match line_start.map(|s| &text[s..last.key_start]) {
        Some(indent) if text[object.clone()].contains('\n') && indent.trim().is_empty() => {
            format!(",\n{indent}\"key_version\"{sep}{version}")
        }
        _ => format!(", \"key_version\"{sep}{version}"),
    };
    (last.value.end..last.value.end, member)
}

/// One member of a JSON object: its decoded key and where its key and value are.
struct Member {
    key: String,
    key_start: usize,
    key_end: usize,
    value: Range<usize>,
}

/// A small scanner over JSON text that serde_json has already accepted (so it reports no
/// errors, and stops quietly at anything unexpected), giving the byte ranges to edit.
struct Scanner<'t> {
    b: &'t [u8],
    text: &'t str,
    pos: usize,
}

impl<'t> Scanner<'t> {
    /// Where the document's value starts.
    fn first_value(text: &str) -> usize {
        text.len() - text.trim_start().len()
    }

    /// The members of the object starting at `at` (empty if there is none).
    fn members_at(text: &'t str, at: usize) -> Vec<Member> {
        let mut s = Scanner { b: text.as_bytes(), text, pos: at };
        let mut members = Vec::new();
        if s.peek() != Some(b'{') {
            return members;
        }
        s.pos += 1;
        loop {
            s.ws();
            if s.peek() != Some(b'"') {
                return members;
            }
            let key_start = s.pos;
            s.skip_string();
            let key_end = s.pos;
            let key = serde_json::from_str(&text[key_start..key_end]).unwrap_or_default();
            s.ws();
            s.pos += 1; // ':'
            s.ws();
            let start = s.pos;
            s.skip_value();
            members.push(Member { key, key_start, key_end, value: start..s.pos });
            s.ws();
            if s.peek() != Some(b',') {
                return members;
            }
            s.pos += 1;
        }
    }

    fn peek(&self) -> Option<u8> {
        self.b.get(self.pos).copied()
    }

    fn ws(&mut self) {
        while matches!(self.peek(), Some(b' ' | b'\t' | b'\n' | b'\r')) {
            self.pos += 1;
        }
    }

    /// Past a string starting at its opening quote.
    fn skip_string(&mut self) {
        self.pos += 1;
        while let Some(c) = self.peek() {
            self.pos += if c == b'\\' { 2 } else { 1 };
            if c == b'"' {
                return;
            }
        }
    }

    /// Past one value: a string, an object or array (to its matching bracket), or a literal.
    fn skip_value(&mut self) {
        match self.peek() {
            Some(b'"') => self.skip_string(),
            Some(b'{' | b'[') => {
                let mut depth = 0usize;
                while let Some(c) = self.peek() {
                    match c {
                        b'"' => {
                            self.skip_string();
                            continue;
                        }
                        b'{' | b'[' => depth += 1,
                        b'}' | b']' => depth -= 1,
                        _ => {}
                    }
                    self.pos += 1;
                    if depth == 0 {
                        return;
                    }
                }
            }
            _ => {
                while !matches!(self.peek(), None | Some(b',' | b'}' | b']' | b' ' | b'\t' | b'\n' | b'\r')) {
                    self.pos += 1;
                }
            }
        }
        self.pos = self.pos.min(self.text.len());
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn toml_inline_tables_and_tables_get_their_version_with_comments_kept() {
        let text =
            "# why\n[columns]\nid = { action = \"keep\" }\ncard = { action = \"fpe\", kind = \"mobile\" } # sure\n\n\
                    [columns.tag]\n# the hash\naction = \"mask\"\nrule = \"hash\"\n\n[other]\n";
        let (out, changes) = pin_toml(text, 7, false).unwrap();
        assert_eq!(changes.len(), 2);
        assert_eq!(
            out,
            "# why\n[columns]\nid = { action = \"keep\" }\ncard = { action = \"fpe\", kind = \"mobile\", key_version = 7 } \
             # sure\n\n[columns.tag]\n# the hash\naction = \"mask\"\nrule = \"hash\"\nkey_version = 7\n\n[other]\n"
        );
        let (again, none) = pin_toml(&out, 7, false).unwrap();
        assert!(none.is_empty());
        assert_eq!(again, out);
        let (moved, changes) = pin_toml(&out, 9, true).unwrap();
        assert_eq!(changes.iter().map(|c| c.from).collect::<Vec<_>>(), [Some(7), Some(7)]);
        assert_eq!(moved, out.replace("= 7", "= 9"));
    }

    #[test]
    fn dotted_keys_and_an_inline_columns_table_are_pinned_too() {
        let text = "columns = { card = { action = \"fpe\", kind = \"mobile\" } }\n";
        let (out, _) = pin_toml(text, 3, false).unwrap();
        assert_eq!(out, "columns = { card = { action = \"fpe\", kind = \"mobile\", key_version = 3 } }\n");
        let text = "[columns]\ncard.action = \"fpe\"\ncard.kind = \"mobile\"\nid = { action = \"keep\" }\n";
        let (out, changes) = pin_toml(text, 3, false).unwrap();
        assert_eq!(changes.len(), 1);
        assert_eq!(out, text.replace("\"mobile\"\n", "\"mobile\"\ncard.key_version = 3\n"));
        let (_, none) = pin_toml("policy = \"p\"\n", 3, true).unwrap();
        assert!(none.is_empty());
        assert!(pin_toml("[columns\n", 3, false).unwrap_err().starts_with("line 1: not valid TOML"));
        assert!(pin_json("{\n\"columns\": }", 3, false)
            .unwrap_err()
            .starts_with("line 2, column 12: not valid JSON: expected value"));
    }

    #[test]
    fn json_is_edited_in_place() {
        let text = "{\n  \"columns\": {\n    \"z\": { \"action\": \"fpe\", \"kind\": \"mobile\" },\n    \"a\": {\n      \
                    \"action\": \"fpe\",\n      \"kind\": \"bank_card\"\n    },\n    \"k\": {\"action\": \"keep\"}\n  }\n}\n";
        let (out, changes) = pin_json(text, 5, false).unwrap();
        assert_eq!(changes.len(), 2);
        assert_eq!(
            out,
            "{\n  \"columns\": {\n    \"z\": { \"action\": \"fpe\", \"kind\": \"mobile\", \"key_version\": 5 },\n    \"a\": {\n      \
             \"action\": \"fpe\",\n      \"kind\": \"bank_card\",\n      \"key_version\": 5\n    },\n    \"k\": {\"action\": \"keep\"}\n  }\n}\n"
        );
        let (moved, changes) = pin_json(&out, 6, true).unwrap();
        assert_eq!(changes.len(), 2);
        assert_eq!(moved, out.replace(": 5", ": 6"));
        assert!(pin_json(&moved, 6, true).unwrap().1.is_empty());
    }
}
