//! The core's modules stand on floors, and a module imports only from floors below its own (see
//! `docs/ARCHITECTURE.md`): no import cycle is possible, and the ground floor (column values,
//! identifiers and the calendar) can be used without keys or ciphers.
//!
//! This test reads every source file under `src/` and checks each `crate::…` path in its code
//! (comments are skipped: a doc link is not a dependency). Names re-exported at the crate root
//! (`crate::Keyset`) count as the module they come from, read from `src/lib.rs`.

use std::collections::HashMap;
use std::path::{Path, PathBuf};

/// Floors, lowest first. Modules on one floor do not import each other either.
const FLOORS: &[&[&str]] = &[
    &["error"],
    &["suite", "column", "ids", "io"],
    &["keys"],
    &["fle", "mask", "anon"],
    &["envelope", "hazmat"],
    &["audit"],
    &["policy"],
    &["synth"],
];

fn floor_of(module: &str) -> Option<usize> {
    FLOORS.iter().position(|f| f.contains(&module))
}

fn rust_files(dir: &Path, out: &mut Vec<PathBuf>) {
    for entry in std::fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        if path.is_dir() {
            rust_files(&path, out);
        } else if path.extension().is_some_and(|e| e == "rs") {
            out.push(path);
        }
    }
}

/// The code of a file without comments (line comments and doc comments).
fn code(text: &str) -> String {
    text.lines()
        .map(|l| match l.find("//") {
            // A `//` inside a string literal is rare in this crate and would only hide a path.
            Some(i) => &l[..i],
            None => l,
        })
        .collect::<Vec<_>>()
        .join("\n")
}

/// The first segment of every path following `crate::`, with `crate::{a, b::c}` groups expanded.
fn crate_paths(code: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut rest = code;
    while let Some(i) = rest.find("crate::") {
        let after = &rest[i + "crate::".len()..];
        let preceded_by_ident = rest[..i].chars().next_back().is_some_and(|c| c.is_alphanumeric() || c == '_');
        if !preceded_by_ident {
            if let Some(group) = after.strip_prefix('{') {
                // Top-level items of the group (nested groups belong to their item).
                let (mut depth, mut item) = (0, String::new());
                for c in group.chars() {
                    match c {
                        '{' => depth += 1,
                        '}' if depth == 0 => break,
                        '}' => depth -= 1,
                        ',' if depth == 0 => {
                            out.push(first_segment(&item));
                            item.clear();
                            continue;
                        }
                        _ => {}
                    }
                    item.push(c);
                }
                out.push(first_segment(&item));
            } else {
                out.push(first_segment(after));
            }
        }
        rest = after;
    }
    out.retain(|s| !s.is_empty());
    out
}

fn first_segment(path: &str) -> String {
    path.trim().chars().take_while(|c| c.is_alphanumeric() || *c == '_').collect()
}

/// Root re-exports (`pub use keys::{KeyId, Keyset}` in lib.rs) to the module they come from.
fn root_reexports(lib: &str) -> HashMap<String, String> {
    let mut map = HashMap::new();
    for line in code(lib).lines() {
        let Some(rest) = line.trim().strip_prefix("pub use ") else { continue };
        let module = first_segment(rest);
        let names = rest.find('{').map_or_else(
            || vec![rest.trim_end_matches(';').rsplit("::").next().unwrap_or_default().to_string()],
            |b| rest[b + 1..].trim_end_matches("};").split(',').map(first_segment).collect(),
        );
        for n in names {
            map.insert(n, module.clone());
        }
    }
    map
}

#[test]
fn lower_floors_never_import_higher_ones() {
    let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let reexports = root_reexports(&std::fs::read_to_string(src.join("lib.rs")).unwrap());
    assert!(reexports.get("Keyset").is_some_and(|m| m == "keys"), "lib.rs re-exports not understood");
    let mut files = Vec::new();
    rust_files(&src, &mut files);
    let mut violations = Vec::new();
    let mut checked = 0;
    for file in &files {
        let rel = file.strip_prefix(&src).unwrap();
        let module = rel.components().next().unwrap().as_os_str().to_string_lossy().trim_end_matches(".rs").to_string();
        if module == "lib" {
            continue;
        }
        let own =
            floor_of(&module).unwrap_or_else(|| panic!("src/{} is on no floor of tests/layers.rs", rel.display()));
        for target in crate_paths(&code(&std::fs::read_to_string(file).unwrap())) {
            let target = reexports.get(&target).cloned().unwrap_or(target);
            checked += 1;
            if target == module {
                continue;
            }
            match floor_of(&target) {
                Some(f) if f < own => {}
                _ => violations.push(format!("src/{} (floor {own}) uses crate::{target}", rel.display())),
            }
        }
    }
    assert!(checked > 100, "only {checked} crate paths found: the parser is broken");
    assert!(violations.is_empty(), "imports against the floors:\n{}", violations.join("\n"));
}

#[test]
fn the_parser_sees_groups_and_skips_comments() {
    let text = "use crate::{Error, keys::{KeyId, Keyset}, fle::Column};\n// crate::policy\nlet x = crate::mask::y;";
    assert_eq!(crate_paths(&code(text)), ["Error", "keys", "fle", "mask"]);
    let map = root_reexports("pub use keys::{KeyId, Keyset};\npub use suite::Suite;\n");
    assert_eq!((map["Keyset"].as_str(), map["Suite"].as_str()), ("keys", "suite"));
}
