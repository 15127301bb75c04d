//! Writing an output file atomically: into a temporary file in the same directory, renamed into
//! place after a successful `fsync`, removed on any error.

use std::io::Write;
use std::path::{Path, PathBuf};

use crate::{Error, ErrorKind, Result};

/// A temporary file that is removed when dropped unless it was persisted.
struct TempFile {
    path: PathBuf,
    file: Option<std::fs::File>,
}

impl Drop for TempFile {
    fn drop(&mut self) {
        if self.file.take().is_some() {
            let _ = std::fs::remove_file(&self.path);
        }
    }
}

fn temp_path(target: &Path, attempt: u32) -> Result<PathBuf> {
    let name =
        target.file_name().ok_or_else(|| Error::new(ErrorKind::InvalidArgument, "the output path has no file name"))?;
    let mut tmp = std::ffi::OsString::from(".");
    tmp.push(name);
    tmp.push(format!(".{}.{attempt}.tmp", std::process::id()));
    Ok(target.with_file_name(tmp))
}

/// A file path beside a target for intermediate data (a package's payload before it is sealed),
/// removed when dropped, whatever happened.
pub(crate) struct Scratch(PathBuf);

impl Scratch {
    /// A path beside `target` that no file has yet.
    pub fn beside(target: &Path, what: &str) -> Result<Scratch> {
        for attempt in 0..100 {
            let path = temp_path(target, attempt)?.with_extension(format!("{what}.tmp"));
            if !path.exists() {
                return Ok(Scratch(path));
            }
        }
        Err(Error::new(ErrorKind::Io, "no free name for a temporary file beside the output"))
    }

    pub fn path(&self) -> &Path {
        &self.0
    }
}

impl Drop for Scratch {
    fn drop(&mut self) {
        let _ = std::fs::remove_file(&self.0);
    }
}

/// Refuses an output that is the input of the same call: an output file made from an input file
/// replaces nothing the caller gave, even when it would be written whole (the envelope and
/// anonymization file calls check this before reading).
pub(crate) fn refuse_same_file(input: &Path, output: &Path) -> Result<()> {
    let same = match (std::fs::canonicalize(input), std::fs::canonicalize(output)) {
        (Ok(a), Ok(b)) => a == b,
        _ => false, // the output does not exist yet (or the input is missing: reading says so)
    };
    if same {
        return Err(Error::new(ErrorKind::InvalidArgument, "the output file is the input file"));
    }
    Ok(())
}

/// Runs `write` on a buffered temporary file beside `target`; on success syncs it and renames
/// it to `target`.
pub(crate) fn write_atomically<T>(
    target: &Path,
    write: impl FnOnce(&mut std::io::BufWriter<&std::fs::File>) -> Result<T>,
) -> Result<T> {
    let mut attempt = 0;
    let (path, file) = loop {
        let path = temp_path(target, attempt)?;
        match std::fs::OpenOptions::new().write(true).create_new(true).open(&path) {
            Ok(f) => break (path, f),
            Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists && attempt < 100 => attempt += 1,
            Err(e) => return Err(e.into()),
        }
    };
    let mut temp = TempFile { path, file: Some(file) };
    let file = temp.file.as_ref().expect("just opened");
    let mut w = std::io::BufWriter::with_capacity(1 << 16, file);
    let value = write(&mut w)?;
    w.flush()?;
    drop(w);
    file.sync_all()?;
    std::fs::rename(&temp.path, target)?;
    temp.file = None; // persisted: nothing to remove
    Ok(value)
}
