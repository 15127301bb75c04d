//! Generalization hierarchies: read from ARX's CSV format or built from rules, and validated.
//!
//! A hierarchy has one row per original value: the value itself (level 0), then increasingly
//! general labels, the last usually `*`. Every row has the same number of levels, and the
//! hierarchy must be a tree: a label at one level always generalizes to the same label at the next.

use std::collections::HashMap;

use crate::io::csv::CsvReader;
use crate::{Error, ErrorKind, Result};

/// A generalization hierarchy for one attribute.
///
/// ```
/// use privshare::anon::Hierarchy;
/// let h = Hierarchy::redaction(&["110105", "110108", "120101"], &[4, 2])?;
/// assert_eq!(h.height(), 3);
/// assert_eq!(h.label("110105", 1), Some("1101**"));
/// assert_eq!(h.label("110105", 2), Some("11****"));
/// assert_eq!(h.label("110105", 3), Some("*"));
/// # Ok::<(), privshare::Error>(())
/// ```
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Hierarchy {
    rows: Vec<Vec<String>>,
}

fn inv(msg: impl Into<String>) -> Error {
    Error::new(ErrorKind::InvalidInput, msg)
}

fn arg(msg: impl Into<String>) -> Error {
    Error::new(ErrorKind::InvalidArgument, msg)
}

impl Hierarchy {
    /// Builds a hierarchy from rows `[value, level1, ..., top]` and validates it.
    ///
    /// Errors name the (zero-based) row: rows of different lengths, a value listed twice, an empty
    /// label above level 0, or a label that generalizes to two different labels at the next level.
    /// At most [`MAX_HIERARCHY_HEIGHT`] levels above the values and [`MAX_HIERARCHY_CELLS`] labels.
    pub fn from_rows(rows: Vec<Vec<String>>) -> Result<Hierarchy> {
        check_size(rows.len(), rows.first().map_or(0, |r| r.len())).map_err(|e| e.at_row(0))?;
        validate(&rows, Place::Row)?;
        Ok(Hierarchy { rows })
    }

    /// Parses ARX's hierarchy CSV (`value;level1;...;*`, no header) with the given delimiter.
    /// Errors name the file's line (one-based); blank lines are skipped.
    pub fn from_csv(text: &str, delimiter: u8) -> Result<Hierarchy> {
        let mut reader = CsvReader::new(text.as_bytes(), delimiter, true);
        let mut rec = csv::StringRecord::new();
        let (mut rows, mut lines) = (Vec::new(), Vec::new());
        let mut cells = 0usize;
        while let Some(line) = reader.next_string(&mut rec)? {
            // Checked before the labels are copied out of the record.
            cells = cells.saturating_add(rec.len());
            check_size(1, rec.len()).and_then(|_| check_size(cells, 1)).map_err(|e| e.at_line(line))?;
            rows.push(rec.iter().map(|s| s.to_string()).collect());
            lines.push(line);
        }
        validate(&rows, Place::Line(&lines))?;
        Ok(Hierarchy { rows })
    }

    /// Reads an ARX hierarchy CSV file.
    pub fn from_csv_file(path: impl AsRef<std::path::Path>, delimiter: u8) -> Result<Hierarchy> {
        let text = std::fs::read_to_string(path)?;
        Hierarchy::from_csv(&text, delimiter)
    }

    /// A one-level hierarchy: every value generalizes directly to `*`.
    pub fn flat<S: AsRef<str>>(values: &[S]) -> Result<Hierarchy> {
        Hierarchy::from_rows(distinct(values).into_iter().map(|v| vec![v, "*".to_string()]).collect())
    }

    /// Numeric intervals: level `i` groups values into `[a, a+w)` with `w = widths[i-1]`, starting at
    /// `origin`; the top level is `*`. Each width must be a positive multiple of the previous one
    /// (otherwise the levels would not nest). A value that is not a number is an error whose row is
    /// its index among the distinct `values`.
    pub fn intervals<S: AsRef<str>>(values: &[S], origin: f64, widths: &[f64]) -> Result<Hierarchy> {
        for (i, w) in widths.iter().enumerate() {
            if !w.is_finite() || *w <= 0.0 {
                return Err(arg(format!("interval width {i} must be positive")));
            }
            if i > 0 {
                let ratio = w / widths[i - 1];
                if (ratio - ratio.round()).abs() > 1e-9 || ratio < 1.0 {
                    return Err(arg(format!("interval width {i} is not a multiple of width {}", i - 1)));
                }
            }
        }
        let values = distinct(values);
        check_size(values.len(), widths.len() + 2)?;
        let mut rows = Vec::new();
        for (row, v) in values.into_iter().enumerate() {
            let x: f64 = v.trim().parse().map_err(|_| inv("value is not a number").at_row(row as u64))?;
            let mut r = vec![v.clone()];
            for w in widths {
                let lo = origin + ((x - origin) / w).floor() * w;
                r.push(format!("[{}, {})", fmt_num(lo), fmt_num(lo + w)));
            }
            r.push("*".into());
            rows.push(r);
        }
        Hierarchy::from_rows(rows)
    }

    /// Dates `YYYY-MM-DD`: day → month (`YYYY-MM`) → year → decade (`2010s`) → `*`. A value that is
    /// not a date is an error whose row is its index among the distinct `values`.
    pub fn dates<S: AsRef<str>>(values: &[S]) -> Result<Hierarchy> {
        let mut rows = Vec::new();
        for (row, v) in distinct(values).into_iter().enumerate() {
            let b = v.as_bytes();
            let ok = b.len() == 10
                && b[4] == b'-'
                && b[7] == b'-'
                && b.iter().enumerate().all(|(i, c)| i == 4 || i == 7 || c.is_ascii_digit());
            if !ok {
                return Err(inv("value is not a date YYYY-MM-DD").at_row(row as u64));
            }
            let year = &v[..4];
            rows.push(vec![v.clone(), v[..7].to_string(), year.to_string(), format!("{}0s", &year[..3]), "*".into()]);
        }
        Hierarchy::from_rows(rows)
    }

    /// Prefix redaction for codes: level `i` keeps the first `keep[i-1]` characters and replaces the
    /// rest with `*` (`110105 → 1101** → 11****`); the top level is `*`. `keep` must decrease.
    pub fn redaction<S: AsRef<str>>(values: &[S], keep: &[usize]) -> Result<Hierarchy> {
        if keep.windows(2).any(|w| w[1] >= w[0]) {
            return Err(arg("redaction lengths must strictly decrease"));
        }
        let values = distinct(values);
        check_size(values.len(), keep.len() + 2)?;
        let mut rows = Vec::new();
        for v in values {
            let chars: Vec<char> = v.chars().collect();
            let mut r = vec![v.clone()];
            for &k in keep {
                let mut s: String = chars.iter().take(k).collect();
                s.extend(std::iter::repeat_n('*', chars.len().saturating_sub(k)));
                r.push(s);
            }
            r.push("*".into());
            rows.push(r);
        }
        Hierarchy::from_rows(rows)
    }

    /// Ordered groupings: `ordered` lists the domain in order; level `i` puts `sizes[0] * ... *
    /// sizes[i-1]` consecutive values into one group labelled `first..last`; the top level is `*`.
    pub fn ordered_groups<S: AsRef<str>>(ordered: &[S], sizes: &[usize]) -> Result<Hierarchy> {
        if sizes.contains(&0) {
            return Err(arg("group sizes must be positive"));
        }
        check_size(ordered.len(), sizes.len() + 2)?;
        let vals: Vec<&str> = ordered.iter().map(|s| s.as_ref()).collect();
        let mut rows: Vec<Vec<String>> = vals.iter().map(|v| vec![v.to_string()]).collect();
        let mut size = 1usize;
        for &s in sizes {
            size = size.saturating_mul(s);
            for (i, row) in rows.iter_mut().enumerate() {
                let start = i / size * size;
                let end = (start + size).min(vals.len()) - 1;
                row.push(if start == end {
                    vals[start].to_string()
                } else {
                    format!("{}..{}", vals[start], vals[end])
                });
            }
        }
        for row in rows.iter_mut() {
            row.push("*".into());
        }
        Hierarchy::from_rows(rows)
    }

    /// The number of generalization steps above the original values (levels are `0..=height`).
    pub fn height(&self) -> usize {
        self.rows[0].len() - 1
    }

    /// The rows, `[value, level1, ..., top]`.
    pub fn rows(&self) -> &[Vec<String>] {
        &self.rows
    }

    /// The label of `value` at `level`, if the value is in the hierarchy.
    pub fn label(&self, value: &str, level: usize) -> Option<&str> {
        self.rows.iter().find(|r| r[0] == value).and_then(|r| r.get(level)).map(|s| s.as_str())
    }

    /// Lines as ARX's CSV format with the given delimiter.
    pub fn to_csv(&self, delimiter: char) -> String {
        let mut out = String::new();
        for r in &self.rows {
            out.push_str(&r.join(&delimiter.to_string()));
            out.push('\n');
        }
        out
    }
}

/// Most levels above the values (the height) a hierarchy may have.
pub const MAX_HIERARCHY_HEIGHT: usize = 10_000;

/// Most labels (lines times levels, values included) a hierarchy may hold.
pub const MAX_HIERARCHY_CELLS: usize = 10_000_000;

/// Refuses a hierarchy of `lines` lines of `width` labels (levels 0 to height) beyond the limits,
/// before it is built.
fn check_size(lines: usize, width: usize) -> Result<()> {
    if width > MAX_HIERARCHY_HEIGHT + 1 {
        return Err(arg(format!(
            "hierarchy has {} levels above the values, more than the limit of {MAX_HIERARCHY_HEIGHT}",
            width - 1
        )));
    }
    if lines.saturating_mul(width) > MAX_HIERARCHY_CELLS {
        return Err(arg(format!("hierarchy has more than the limit of {MAX_HIERARCHY_CELLS} labels")));
    }
    Ok(())
}

/// How errors name a hierarchy line: its index among the rows, or its line in a CSV file.
#[derive(Clone, Copy)]
enum Place<'a> {
    Row,
    Line(&'a [u64]),
}

impl Place<'_> {
    fn name(self, i: usize) -> String {
        match self {
            Place::Row => format!("row {i}"),
            Place::Line(lines) => format!("line {}", lines[i]),
        }
    }

    fn at(self, e: Error, i: usize) -> Error {
        match self {
            Place::Row => e.at_row(i as u64),
            Place::Line(lines) => e.at_line(lines[i]),
        }
    }
}

/// Checks that `rows` form a hierarchy: equal lengths, distinct values, no empty label above the
/// values, and a tree (a label at one level always generalizes to the same label at the next).
fn validate(rows: &[Vec<String>], place: Place<'_>) -> Result<()> {
    if rows.is_empty() {
        return Err(inv("hierarchy is empty"));
    }
    let width = rows[0].len();
    if width == 0 {
        return Err(place.at(inv(format!("hierarchy {} is empty", place.name(0))), 0));
    }
    let mut seen: HashMap<&str, usize> = HashMap::with_capacity(rows.len());
    // parent[level][label] = (label at level+1, first row that said so)
    let mut parent: Vec<HashMap<&str, (&str, usize)>> = vec![HashMap::new(); width - 1];
    for (i, row) in rows.iter().enumerate() {
        let fail = |m: String| Err(place.at(inv(m), i));
        if row.len() != width {
            return fail(format!(
                "hierarchy {} has {} levels, {} has {width}",
                place.name(i),
                row.len(),
                place.name(0)
            ));
        }
        if let Some(first) = seen.insert(row[0].as_str(), i) {
            return fail(format!("hierarchy {} repeats the value of {}", place.name(i), place.name(first)));
        }
        if let Some(level) = (1..width).find(|&l| row[l].is_empty()) {
            return fail(format!("hierarchy {} has an empty label at level {level}", place.name(i)));
        }
        for level in 0..width - 1 {
            let (child, up) = (row[level].as_str(), row[level + 1].as_str());
            match parent[level].get(child) {
                Some(&(p, first)) if p != up => {
                    return fail(format!(
                        "inconsistent hierarchy: {} generalizes a level-{level} label differently from {} at \
                         level {}",
                        place.name(i),
                        place.name(first),
                        level + 1
                    ));
                }
                Some(_) => {}
                None => {
                    parent[level].insert(child, (up, i));
                }
            }
        }
    }
    Ok(())
}

fn distinct<S: AsRef<str>>(values: &[S]) -> Vec<String> {
    let mut seen = std::collections::HashSet::new();
    values.iter().map(|v| v.as_ref()).filter(|v| seen.insert(*v)).map(|v| v.to_string()).collect()
}

fn fmt_num(x: f64) -> String {
    if x == x.trunc() && x.abs() < 1e15 {
        format!("{}", x as i64)
    } else {
        format!("{x}")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn arx_csv_and_validation() {
        let h = Hierarchy::from_csv("a;x;*\nb;x;*\nc;y;*\n", b';').unwrap();
        assert_eq!(h.height(), 2);
        let e = Hierarchy::from_csv("a;x;*\nb;x\n", b';').unwrap_err();
        assert_eq!(e.position().line, Some(2));
        let e = Hierarchy::from_csv("a;x;*\n\nb;x;+\n", b';').unwrap_err();
        assert!(e.message().contains("inconsistent hierarchy: line 3 generalizes"), "{e}");
        assert_eq!(e.position().line, Some(3));
        let e = Hierarchy::from_csv("a;x;*\na;y;*\n", b';').unwrap_err();
        assert!(e.message().contains("repeats"));
    }

    #[test]
    fn builders() {
        let h = Hierarchy::intervals(&["3", "17", "25"], 0.0, &[5.0, 10.0]).unwrap();
        assert_eq!(h.label("17", 1), Some("[15, 20)"));
        assert_eq!(h.label("17", 2), Some("[10, 20)"));
        assert!(Hierarchy::intervals(&["1"], 0.0, &[5.0, 7.0]).is_err());
        let d = Hierarchy::dates(&["2021-03-04"]).unwrap();
        assert_eq!(d.rows()[0], ["2021-03-04", "2021-03", "2021", "2020s", "*"]);
        assert!(Hierarchy::dates(&["2021/03/04"]).is_err());
        let g = Hierarchy::ordered_groups(&["a", "b", "c", "d", "e"], &[2, 2]).unwrap();
        assert_eq!(g.label("e", 1), Some("e"));
        assert_eq!(g.label("b", 1), Some("a..b"));
        assert_eq!(g.label("c", 2), Some("a..d"));
    }
}
