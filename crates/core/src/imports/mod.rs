//! The machinery every file import shares: supplier price sheets now, platform order exports and payment
//! statements later. It owns reading a file into a grid of cells with absolute row and column numbers
//! ([`grid`]), finding a header row by its names in Chinese or English ([`header`]), turning cells into exact
//! values ([`values`]), row-level issues that name sheet, row and column ([`Issue`]), progress and cancel
//! ([`Control`]), and writing the rejected rows back to an .xlsx the user can fix and re-import ([`rejects`]).
//!
//! It must never write to the database: an importer (e.g. `procurement::price_sheets`) reads with this module,
//! plans what it will store, and writes everything in one transaction of its own.
//!
//! **Architecture Invariant:** a cell never goes through float arithmetic. A number Excel stored as a float is
//! turned into a decimal by its shortest round-trip text and rounded to 15 significant digits (what Excel shows),
//! so `0.30000000000000004` becomes `0.3`; long digit strings (barcodes, order numbers) stay text.

pub mod grid;
pub mod header;
pub mod mappings;
pub mod rejects;
pub mod values;

use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use ts_rs::TS;

pub use grid::{Cell, FileKind, Grid, TextEncoding, Workbook};

/// What went wrong reading a file, before any row is looked at.
#[derive(Debug, thiserror::Error)]
pub enum ImportError {
    #[error("cannot read {file}: {reason}")]
    Read { file: String, reason: String },
    #[error("{file}: the sheet `{sheet}` does not exist")]
    NoSuchSheet { file: String, sheet: String },
    #[error("{file}: no header row found (looked for {expected})")]
    NoHeader { file: String, expected: String },
    #[error(
        "{file}, sheet {sheet}, row {row}: the column `{column}` named in the mapping is not there"
    )]
    NoSuchColumn {
        file: String,
        sheet: String,
        row: u64,
        column: String,
    },
    #[error("{file}: `{value}` is not a field/column mapping ({reason})")]
    BadMapping {
        file: String,
        value: String,
        reason: String,
    },
    #[error("the import was cancelled; nothing was stored")]
    Cancelled,
}

impl From<ImportError> for crate::ApiError {
    fn from(e: ImportError) -> Self {
        let message = e.to_string();
        match e {
            ImportError::Read { file, reason } => {
                let mut a =
                    crate::ApiError::new("import.read", message).with_param("reason", reason);
                a.file = Some(file);
                a
            }
            ImportError::NoSuchSheet { file, sheet } => {
                let mut a = crate::ApiError::new("import.no_such_sheet", message)
                    .with_param("sheet", sheet.clone());
                a.file = Some(file);
                a.sheet = Some(sheet);
                a
            }
            ImportError::NoHeader { file, expected } => {
                let mut a = crate::ApiError::new("import.no_header", message)
                    .with_param("expected", expected);
                a.file = Some(file);
                a
            }
            ImportError::NoSuchColumn {
                file,
                sheet,
                row,
                column,
            } => {
                let mut a = crate::ApiError::new("import.no_such_column", message)
                    .with_param("column", column.clone());
                a.file = Some(file);
                a.sheet = Some(sheet);
                a.row = Some(row);
                a.column = Some(column);
                a
            }
            ImportError::BadMapping {
                file,
                value,
                reason,
            } => {
                let mut a = crate::ApiError::new("import.bad_mapping", message)
                    .with_param("value", value)
                    .with_param("reason", reason);
                a.file = Some(file);
                a
            }
            ImportError::Cancelled => crate::ApiError::new("import.cancelled", message),
        }
    }
}

/// One problem with one row (and usually one cell) of an imported file: an error when the row was not
/// imported, a warning when it was imported with a problem. `code` is stable (the UI translates
/// `imports:issue.<code>`); `message` is the English fallback; `params` fill the translation.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct Issue {
    pub sheet: String,
    /// 1-based row number as the spreadsheet program shows it.
    #[ts(type = "number")]
    pub row: u64,
    /// Column letter (`A`, `AB`); empty when the problem is the whole row.
    pub column: String,
    pub code: String,
    pub message: String,
    pub params: BTreeMap<String, String>,
}

impl Issue {
    pub fn new(
        sheet: &str,
        row: u64,
        column: &str,
        code: &str,
        message: impl Into<String>,
    ) -> Self {
        Self {
            sheet: sheet.to_string(),
            row,
            column: column.to_string(),
            code: code.to_string(),
            message: message.into(),
            params: BTreeMap::new(),
        }
    }

    pub fn with(mut self, key: &str, value: impl ToString) -> Self {
        self.params.insert(key.to_string(), value.to_string());
        self
    }

    /// An issue at a cell (or the whole row when `col` is `None`) with its parameters, its message written by
    /// the importer's message table `msg(lang, code, params)` in the user's language.
    pub fn at(
        sheet: &str,
        row: u64,
        col: Option<u32>,
        code: &str,
        params: &[(&str, String)],
        lang: &str,
        msg: fn(&str, &str, &BTreeMap<String, String>) -> String,
    ) -> Self {
        let mut i = Issue::new(
            sheet,
            row,
            &col.map(column_letter).unwrap_or_default(),
            code,
            "",
        );
        for (k, v) in params {
            i = i.with(k, v);
        }
        i.message = msg(lang, code, &i.params);
        i
    }
}

/// Progress and cancel for a long import: the UI polls `progress()` and may call `cancel()` at any time; the
/// importer checks `is_cancelled()` between rows and rolls its transaction back.
#[derive(Debug, Clone, Default)]
pub struct Control {
    inner: Arc<ControlInner>,
}

#[derive(Debug, Default)]
struct ControlInner {
    cancelled: AtomicBool,
    done: AtomicU64,
    total: AtomicU64,
}

impl Control {
    pub fn new() -> Self {
        Self::default()
    }

    pub fn cancel(&self) {
        self.inner.cancelled.store(true, Ordering::SeqCst);
    }

    pub fn is_cancelled(&self) -> bool {
        self.inner.cancelled.load(Ordering::SeqCst)
    }

    pub fn set_total(&self, total: u64) {
        self.inner.total.store(total, Ordering::Relaxed);
    }

    pub fn advance(&self, done: u64) {
        self.inner.done.store(done, Ordering::Relaxed);
    }

    /// (rows done, rows in all).
    pub fn progress(&self) -> (u64, u64) {
        (
            self.inner.done.load(Ordering::Relaxed),
            self.inner.total.load(Ordering::Relaxed),
        )
    }

    pub fn check(&self) -> Result<(), ImportError> {
        if self.is_cancelled() {
            Err(ImportError::Cancelled)
        } else {
            Ok(())
        }
    }
}

/// A file the user picked in the app, copied into the app's import folder so that the preview, the import and
/// the rejected-rows download all read the very same bytes.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct StagedFile {
    /// `<sha256>/<file name>`: what later calls name the file by.
    pub token: String,
    pub file_name: String,
    pub kind: FileKind,
    pub sheet_names: Vec<String>,
    #[ts(type = "number")]
    pub bytes: u64,
}

/// Keeps a picked file under `dir` and reads its sheet names (a file that cannot be read is refused here).
pub fn stage(
    dir: &std::path::Path,
    file_name: &str,
    bytes: Vec<u8>,
) -> Result<StagedFile, ImportError> {
    let clean: String = file_name
        .rsplit(['/', '\\'])
        .next()
        .unwrap_or("file")
        .chars()
        .filter(|c| !c.is_control())
        .collect();
    let clean = if clean.is_empty() || clean == "." || clean == ".." {
        "file".to_string()
    } else {
        clean
    };
    let size = bytes.len() as u64;
    let wb = Workbook::from_bytes(clean.clone(), bytes, TextEncoding::Auto)?;
    let folder = dir.join(&wb.hash);
    let write_err = |e: std::io::Error| ImportError::Read {
        file: clean.clone(),
        reason: e.to_string(),
    };
    std::fs::create_dir_all(&folder).map_err(write_err)?;
    std::fs::write(folder.join(&clean), wb.bytes()).map_err(write_err)?;
    Ok(StagedFile {
        token: format!("{}/{}", wb.hash, clean),
        file_name: clean,
        kind: wb.kind,
        sheet_names: wb.sheet_names.clone(),
        bytes: size,
    })
}

/// The path of a staged file; `None` for a token that is not one `stage` made (no way out of `dir`).
pub fn staged_path(dir: &std::path::Path, token: &str) -> Option<std::path::PathBuf> {
    let (hash, name) = token.split_once('/')?;
    let ok_hash = hash.len() == 64 && hash.bytes().all(|b| b.is_ascii_hexdigit());
    let ok_name = !name.is_empty() && !name.contains(['/', '\\']) && name != "." && name != "..";
    let p = dir.join(hash).join(name);
    (ok_hash && ok_name && p.is_file()).then_some(p)
}

/// `A` for 0, `Z` for 25, `AA` for 26.
pub fn column_letter(col: u32) -> String {
    let mut n = col as u64 + 1;
    let mut out = Vec::new();
    while n > 0 {
        let rem = ((n - 1) % 26) as u8;
        out.push(b'A' + rem);
        n = (n - 1) / 26;
    }
    out.reverse();
    String::from_utf8(out).unwrap_or_default()
}

/// The 0-based column of a letter such as `A` or `ab`; `None` when it is not letters only.
pub fn parse_column_letter(s: &str) -> Option<u32> {
    let s = s.trim();
    if s.is_empty() || s.len() > 3 || !s.bytes().all(|b| b.is_ascii_alphabetic()) {
        return None;
    }
    let mut n: u32 = 0;
    for b in s.bytes() {
        n = n * 26 + u32::from(b.to_ascii_uppercase() - b'A' + 1);
    }
    Some(n - 1)
}

/// `items` mapped by `f` on every core (at most 8 threads), in their order: the per-row work of a large import
/// (reading cells, checking values) is independent from row to row. Small inputs stay on the caller's thread. A
/// panic in `f` is passed on to the caller.
pub fn par_map<T: Send, R: Send, F: Fn(T) -> R + Sync>(mut items: Vec<T>, f: F) -> Vec<R> {
    let threads = std::thread::available_parallelism().map_or(1, |n| n.get().min(8));
    if threads < 2 || items.len() < 4096 {
        return items.into_iter().map(f).collect();
    }
    let n = items.len();
    let per = n.div_ceil(threads);
    let mut parts = Vec::with_capacity(threads);
    while items.len() > per {
        parts.push(items.split_off(items.len() - per));
    }
    parts.push(items);
    parts.reverse();
    let f = &f;
    std::thread::scope(|s| {
        let running: Vec<_> = parts
            .into_iter()
            .map(|part| s.spawn(move || part.into_iter().map(f).collect::<Vec<R>>()))
            .collect();
        // Sized once: the results can be large (an order each), and growing would move them again.
        let mut out = Vec::with_capacity(n);
        for r in running {
            match r.join() {
                Ok(v) => out.extend(v),
                Err(panic) => std::panic::resume_unwind(panic),
            }
        }
        out
    })
}

/// SHA-256 of some bytes as lower-case hex: file and row fingerprints for safe re-import.
pub fn sha256_hex(bytes: &[u8]) -> String {
    use sha2::Digest;
    hex(&sha2::Sha256::digest(bytes))
}

fn hex(digest: &[u8]) -> String {
    const HEX: &[u8; 16] = b"0123456789abcdef";
    let mut s = String::with_capacity(2 * digest.len());
    for b in digest {
        s.push(char::from(HEX[usize::from(b >> 4)]));
        s.push(char::from(HEX[usize::from(b & 0x0f)]));
    }
    s
}

/// SHA-256 of text written with `write!`, without building the text first: `sha256_hex` of what was written.
#[derive(Default)]
pub struct Sha256Writer(sha2::Sha256);

impl std::fmt::Write for Sha256Writer {
    fn write_str(&mut self, s: &str) -> std::fmt::Result {
        sha2::Digest::update(&mut self.0, s.as_bytes());
        Ok(())
    }
}

impl Sha256Writer {
    pub fn hex(self) -> String {
        hex(&sha2::Digest::finalize(self.0))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sha256_hex_gives_the_standard_digest() {
        assert_eq!(
            sha256_hex(b"abc"),
            "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"
        );
        assert_eq!(
            sha256_hex(b""),
            "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"
        );
        // Written in pieces, the same digest as of the whole text.
        use std::fmt::Write;
        let mut w = Sha256Writer::default();
        let (a, b) = ("a", 'b');
        write!(w, "{a}{b}").unwrap();
        w.write_str("c").unwrap();
        assert_eq!(w.hex(), sha256_hex(b"abc"));
    }

    #[test]
    fn par_map_keeps_the_order_of_its_input() {
        for n in [0usize, 1, 4095, 4096, 10_001] {
            let got = par_map((0..n).collect(), |i| i * 2);
            assert_eq!(got, (0..n).map(|i| i * 2).collect::<Vec<_>>(), "n = {n}");
        }
    }

    #[test]
    fn column_letters_round_trip() {
        for (n, l) in [
            (0, "A"),
            (25, "Z"),
            (26, "AA"),
            (27, "AB"),
            (701, "ZZ"),
            (702, "AAA"),
        ] {
            assert_eq!(column_letter(n), l);
            assert_eq!(parse_column_letter(l), Some(n));
        }
        assert_eq!(parse_column_letter("a"), Some(0));
        assert_eq!(parse_column_letter("单价"), None);
        assert_eq!(parse_column_letter("A1"), None);
    }

    #[test]
    fn staged_files_cannot_leave_their_folder() {
        let dir = tempfile::tempdir().expect("dir");
        let f = stage(
            dir.path(),
            "../../etc/报价.csv",
            b"name,price\ntea,1\n".to_vec(),
        )
        .expect("stage");
        assert_eq!(f.file_name, "报价.csv");
        assert_eq!(f.sheet_names, vec!["报价".to_string()]);
        assert!(staged_path(dir.path(), &f.token).is_some());
        assert!(staged_path(dir.path(), "../x").is_none());
        assert!(staged_path(dir.path(), &format!("{}/../../x", "a".repeat(64))).is_none());
    }

    #[test]
    fn cancel_is_seen() {
        let c = Control::new();
        assert!(c.check().is_ok());
        c.clone().cancel();
        assert!(matches!(c.check(), Err(ImportError::Cancelled)));
    }
}
