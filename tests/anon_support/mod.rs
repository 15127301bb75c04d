//! Shared helpers for the anonymization tests: an independent recount of the output table.
#![allow(dead_code)]

use std::collections::HashMap;

use privshare::anon::Table;

/// Classes of the output by the text of its quasi-identifier cells: `(tuple, sensitive values)`.
pub fn recount(t: &Table, qis: &[&str], sensitive: Option<&str>) -> HashMap<Vec<String>, Vec<String>> {
    let cols: Vec<_> = qis.iter().map(|q| t.column(q).expect("qi column")).collect();
    let sens = sensitive.map(|s| t.column(s).expect("sensitive column"));
    let mut classes: HashMap<Vec<String>, Vec<String>> = HashMap::new();
    for r in 0..t.rows() {
        let key: Vec<String> = cols.iter().map(|c| c.value(r).to_string()).collect();
        classes.entry(key).or_default().push(sens.map_or(String::new(), |s| s.value(r).to_string()));
    }
    classes
}

/// Checks k-anonymity and distinct l-diversity on the recount; rows whose quasi-identifiers are all
/// `*` may be suppressed records, allowed when they fit the limit.
pub fn check(t: &Table, qis: &[&str], sensitive: Option<&str>, k: usize, l: usize, max_suppressed: usize) {
    let classes = recount(t, qis, sensitive);
    for (key, members) in &classes {
        let distinct: std::collections::HashSet<_> = members.iter().collect();
        let ok = members.len() >= k && distinct.len() >= l;
        if key.iter().all(|v| v == "*") {
            assert!(ok || members.len() <= max_suppressed, "suppressed {} > {max_suppressed}", members.len());
        } else {
            assert!(ok, "class of {} records with {} distinct sensitive values", members.len(), distinct.len());
        }
    }
}

pub fn adult_dir() -> Option<std::path::PathBuf> {
    // `../shared/data/adult` from the repository root; one level further up from a worktree.
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
    let found = std::env::var_os("PRIVSHARE_ADULT_DIR")
        .map(std::path::PathBuf::from)
        .into_iter()
        .chain([root.join("../shared/data/adult"), root.join("../../shared/data/adult")])
        .find(|d| d.join("adult.csv").exists());
    if found.is_none() {
        eprintln!("NOTICE: ../shared/data/adult/adult.csv not found, skipping the Adult test");
    }
    found
}
