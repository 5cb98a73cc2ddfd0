//! Reading a spreadsheet or CSV file into [`Grid`]s: one per sheet, cells with absolute positions (calamine
//! starts a range at the first non-empty cell; we keep the numbers the user sees), merged cells filled from their
//! top-left cell (a merged "product" cell spanning five size rows names all five), CSV decoded from UTF-8 or
//! GBK/GB18030 (detected, or set by the user).

use super::ImportError;
use calamine::{Data, Reader};
use serde::{Deserialize, Serialize};
use std::io::Cursor;
use std::path::Path;
use ts_rs::TS;

/// One cell as the file holds it.
#[derive(Debug, Clone, PartialEq)]
pub enum Cell {
    Empty,
    Text(String),
    /// A float as stored by the spreadsheet; read it with [`super::values::number_to_decimal`], never with maths.
    Number(f64),
    Int(i64),
    Bool(bool),
    Date(chrono::NaiveDateTime),
    Error(String),
}

impl Cell {
    pub fn is_empty(&self) -> bool {
        match self {
            Cell::Empty => true,
            Cell::Text(s) => super::values::clean_text(s).is_empty(),
            _ => false,
        }
    }
}

/// The kind of file, told by its first bytes (not its name: people rename files).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
pub enum FileKind {
    Xlsx,
    Xls,
    Ods,
    Csv,
}

/// How the bytes of a CSV file are decoded.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
pub enum TextEncoding {
    /// UTF-8 when the bytes are valid UTF-8 (with or without BOM), else GB18030 (a superset of GBK and GB2312).
    #[default]
    Auto,
    Utf8,
    Gb18030,
}

impl TextEncoding {
    pub fn parse(s: &str) -> Option<Self> {
        match s.trim().to_ascii_lowercase().as_str() {
            "auto" | "" => Some(Self::Auto),
            "utf8" | "utf-8" => Some(Self::Utf8),
            "gbk" | "gb2312" | "gb18030" => Some(Self::Gb18030),
            _ => None,
        }
    }
}

/// One sheet's cells. `rows[i][j]` is the cell at 0-based row `first_row + i`, column `first_col + j`.
#[derive(Debug, Clone)]
pub struct Grid {
    pub sheet: String,
    pub first_row: u32,
    pub first_col: u32,
    pub rows: Vec<Vec<Cell>>,
    /// The widest row, computed once (asked for every row scanned).
    width: u32,
}

static EMPTY: Cell = Cell::Empty;

impl Grid {
    pub fn new(sheet: String, first_row: u32, first_col: u32, rows: Vec<Vec<Cell>>) -> Self {
        let width = rows.iter().map(Vec::len).max().unwrap_or(0) as u32;
        Self {
            sheet,
            first_row,
            first_col,
            rows,
            width,
        }
    }

    /// The cell at an absolute 0-based row and column (empty outside the used range).
    pub fn cell(&self, row: u32, col: u32) -> &Cell {
        if row < self.first_row || col < self.first_col {
            return &EMPTY;
        }
        self.rows
            .get((row - self.first_row) as usize)
            .and_then(|r| r.get((col - self.first_col) as usize))
            .unwrap_or(&EMPTY)
    }

    /// Absolute 0-based rows covered.
    pub fn row_range(&self) -> std::ops::Range<u32> {
        self.first_row..self.first_row + self.rows.len() as u32
    }

    /// One past the last absolute column.
    pub fn col_end(&self) -> u32 {
        self.first_col + self.width
    }

    pub fn row_is_empty(&self, row: u32) -> bool {
        (self.first_col..self.col_end()).all(|c| self.cell(row, c).is_empty())
    }

    /// A cell merged down over several rows (a product name beside its five sizes) names every row it spans.
    /// Merges across columns are left alone: a note or a title spread over a whole row is one cell, not a value
    /// in every column it covers.
    fn fill_merged(&mut self, regions: &[calamine::Dimensions]) {
        for d in regions {
            let (c, top) = (d.start.1, self.cell(d.start.0, d.start.1).clone());
            if top.is_empty() || c < self.first_col {
                continue;
            }
            for r in (d.start.0 + 1)..=d.end.0 {
                if r < self.first_row {
                    continue;
                }
                let (ri, ci) = ((r - self.first_row) as usize, (c - self.first_col) as usize);
                if let Some(row) = self.rows.get_mut(ri) {
                    if row.len() <= ci {
                        row.resize(ci + 1, Cell::Empty);
                    }
                    if row[ci].is_empty() {
                        row[ci] = top.clone();
                    }
                }
            }
        }
    }
}

/// An opened file: its bytes' fingerprint, kind and sheet names; sheets are read on demand.
pub struct Workbook {
    pub file_name: String,
    pub kind: FileKind,
    /// SHA-256 of the file's bytes.
    pub hash: String,
    pub sheet_names: Vec<String>,
    /// The encoding a CSV was read with.
    pub encoding: Option<TextEncoding>,
    bytes: Vec<u8>,
    /// The spreadsheet as opened for its sheet names, kept so that reading a sheet does not parse it again.
    opened: std::sync::Mutex<Option<calamine::Sheets<Cursor<Vec<u8>>>>>,
    /// Whether an .xlsx has any merged cell (see `xlsx_has_merges`), found out once.
    has_merges: std::sync::OnceLock<bool>,
}

impl std::fmt::Debug for Workbook {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Workbook")
            .field("file_name", &self.file_name)
            .field("kind", &self.kind)
            .field("sheet_names", &self.sheet_names)
            .finish_non_exhaustive()
    }
}

fn read_err(file: &str, reason: impl ToString) -> ImportError {
    ImportError::Read {
        file: file.to_string(),
        reason: reason.to_string(),
    }
}

/// Tells the kind of a file by its first bytes.
pub fn sniff(bytes: &[u8]) -> FileKind {
    if bytes.starts_with(&[0xD0, 0xCF, 0x11, 0xE0]) {
        FileKind::Xls
    } else if bytes.starts_with(b"PK") {
        let head = &bytes[..bytes.len().min(200)];
        if head
            .windows(39)
            .any(|w| w == b"application/vnd.oasis.opendocument.spr")
        {
            FileKind::Ods
        } else {
            FileKind::Xlsx
        }
    } else {
        FileKind::Csv
    }
}

impl Workbook {
    pub fn open(path: &Path, encoding: TextEncoding) -> Result<Self, ImportError> {
        let file_name = path
            .file_name()
            .map(|s| s.to_string_lossy().to_string())
            .unwrap_or_else(|| path.display().to_string());
        let bytes = std::fs::read(path).map_err(|e| read_err(&file_name, e))?;
        Self::from_bytes(file_name, bytes, encoding)
    }

    pub fn from_bytes(
        file_name: String,
        bytes: Vec<u8>,
        encoding: TextEncoding,
    ) -> Result<Self, ImportError> {
        let kind = sniff(&bytes);
        let hash = super::sha256_hex(&bytes);
        let (sheet_names, encoding, opened) = match kind {
            FileKind::Csv => {
                let stem = Path::new(&file_name)
                    .file_stem()
                    .map(|s| s.to_string_lossy().to_string())
                    .unwrap_or_else(|| "csv".into());
                (vec![stem], Some(resolve_encoding(&bytes, encoding)), None)
            }
            _ => {
                let sheets = calamine::open_workbook_auto_from_rs(Cursor::new(bytes.clone()))
                    .map_err(|e| read_err(&file_name, e))?;
                (sheets.sheet_names(), None, Some(sheets))
            }
        };
        Ok(Self {
            file_name,
            kind,
            hash,
            sheet_names,
            encoding,
            bytes,
            opened: std::sync::Mutex::new(opened),
            has_merges: std::sync::OnceLock::new(),
        })
    }

    pub fn bytes(&self) -> &[u8] {
        &self.bytes
    }

    /// Reads one sheet (CSV files have one, named after the file).
    pub fn sheet(&self, name: &str) -> Result<Grid, ImportError> {
        if !self.sheet_names.iter().any(|s| s == name) {
            return Err(ImportError::NoSuchSheet {
                file: self.file_name.clone(),
                sheet: name.to_string(),
            });
        }
        match self.kind {
            FileKind::Csv => self.csv_grid(name),
            _ => self.sheet_grid(name),
        }
    }

    fn sheet_grid(&self, name: &str) -> Result<Grid, ImportError> {
        let f = &self.file_name;
        let mut slot = self.opened.lock().unwrap_or_else(|e| e.into_inner());
        let mut sheets = match slot.take() {
            Some(s) => s,
            None => calamine::open_workbook_auto_from_rs(Cursor::new(self.bytes.clone()))
                .map_err(|e| read_err(f, e))?,
        };
        let (first_row, first_col, rows) = match &mut sheets {
            // An .xlsx sheet is streamed cell by cell straight into the grid: reading it as a calamine range first
            // built a dense range of borrowed cells, then one of owned cells, then ours (three copies of every
            // text; a third of a 100,000-row import's read time).
            calamine::Sheets::Xlsx(x) => xlsx_cells(x, name, f)?,
            _ => {
                let range = sheets.worksheet_range(name).map_err(|e| read_err(f, e))?;
                let (first_row, first_col) = range.start().unwrap_or((0, 0));
                let rows: Vec<Vec<Cell>> = range
                    .rows()
                    .map(|r| r.iter().map(from_data).collect())
                    .collect();
                (first_row, first_col, rows)
            }
        };
        let merged = match &mut sheets {
            calamine::Sheets::Xlsx(_) if !self.xlsx_has_merges() => Vec::new(),
            calamine::Sheets::Xlsx(x) => x.merge_cells_by_sheet_name(name).unwrap_or_default(),
            calamine::Sheets::Xls(x) => x.merge_cells_by_sheet_name(name).unwrap_or_default(),
            _ => Vec::new(),
        };
        *slot = Some(sheets);
        let mut g = Grid::new(name.to_string(), first_row, first_col, rows);
        g.fill_merged(&merged);
        Ok(g)
    }

    /// Whether any worksheet of this .xlsx names a merged cell. calamine finds a sheet's merges by parsing the
    /// whole sheet again (they follow its data); a scan of the inflated bytes for the word `mergeCell` costs a
    /// fraction of that and spares the second parse for the many sheets that have none. (The word inside a cell's
    /// text only sends the sheet the slow, exact way.)
    fn xlsx_has_merges(&self) -> bool {
        *self.has_merges.get_or_init(|| {
            let Ok(mut zip) = zip::ZipArchive::new(Cursor::new(self.bytes.as_slice())) else {
                return true;
            };
            let finder = memchr::memmem::Finder::new(b"mergeCell");
            let keep = b"mergeCell".len() - 1;
            let mut buf = vec![0u8; 1 << 16];
            for i in 0..zip.len() {
                let Ok(mut entry) = zip.by_index(i) else {
                    return true;
                };
                let is_sheet = entry
                    .name()
                    .map(|n| n.contains("worksheets/") && n.ends_with(".xml"))
                    .unwrap_or(true);
                if !is_sheet {
                    continue;
                }
                // Read in blocks, keeping the tail of the last one so a word split between blocks is found.
                let mut filled = 0usize;
                loop {
                    match std::io::Read::read(&mut entry, &mut buf[filled..]) {
                        Ok(0) => break,
                        Ok(n) => {
                            let end = filled + n;
                            if finder.find(&buf[..end]).is_some() {
                                return true;
                            }
                            let tail = end.min(keep);
                            buf.copy_within(end - tail..end, 0);
                            filled = tail;
                        }
                        Err(_) => return true,
                    }
                }
            }
            false
        })
    }

    fn csv_grid(&self, name: &str) -> Result<Grid, ImportError> {
        let enc = self.encoding.unwrap_or(TextEncoding::Utf8);
        let text = decode(&self.bytes, enc);
        let delimiter = sniff_delimiter(&text);
        let mut rdr = csv::ReaderBuilder::new()
            .has_headers(false)
            .flexible(true)
            .delimiter(delimiter)
            .from_reader(text.as_bytes());
        let mut rows = Vec::new();
        // One record reused for every line (`records()` allocates one per line).
        let mut rec = csv::StringRecord::new();
        while rdr
            .read_record(&mut rec)
            .map_err(|e| read_err(&self.file_name, e))?
        {
            rows.push(
                rec.iter()
                    .map(|s| {
                        if s.is_empty() {
                            Cell::Empty
                        } else {
                            Cell::Text(s.to_string())
                        }
                    })
                    .collect(),
            );
        }
        Ok(Grid::new(name.to_string(), 0, 0, rows))
    }
}

fn resolve_encoding(bytes: &[u8], asked: TextEncoding) -> TextEncoding {
    match asked {
        TextEncoding::Auto => {
            if std::str::from_utf8(bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes)).is_ok() {
                TextEncoding::Utf8
            } else {
                TextEncoding::Gb18030
            }
        }
        other => other,
    }
}

/// Decodes CSV bytes; malformed sequences become U+FFFD rather than failing the whole file. Valid UTF-8 is
/// borrowed, not copied.
pub fn decode(bytes: &[u8], enc: TextEncoding) -> std::borrow::Cow<'_, str> {
    let bytes = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
    match enc {
        TextEncoding::Gb18030 => encoding_rs::GB18030.decode(bytes).0,
        _ => String::from_utf8_lossy(bytes),
    }
}

/// Comma, semicolon or tab: whichever splits the first lines most (a title line above the header has none);
/// a tie goes to the comma.
fn sniff_delimiter(text: &str) -> u8 {
    let head: Vec<&str> = text.lines().take(20).collect();
    // `max_by_key` keeps the last of equal maxima: the comma comes last.
    [b';', b'\t', b',']
        .into_iter()
        .max_by_key(|d| {
            head.iter()
                .map(|l| l.bytes().filter(|b| b == d).count())
                .sum::<usize>()
        })
        .unwrap_or(b',')
}

/// The cells of one .xlsx sheet as rows from its first filled row and column, each as wide as the widest (what
/// `worksheet_range` gives, without its intermediate copies).
fn xlsx_cells<RS: std::io::Read + std::io::Seek>(
    x: &mut calamine::Xlsx<RS>,
    name: &str,
    file: &str,
) -> Result<(u32, u32, Vec<Vec<Cell>>), ImportError> {
    let mut reader = match x.worksheet_cells_reader(name) {
        Ok(r) => r,
        // A chart sheet holds no cells.
        Err(calamine::XlsxError::NotAWorksheet(_)) => return Ok((0, 0, Vec::new())),
        Err(e) => return Err(read_err(file, e)),
    };
    let mut cells: Vec<(u32, u32, Cell)> = Vec::new();
    let (mut first_row, mut first_col, mut last_row, mut last_col) =
        (u32::MAX, u32::MAX, 0u32, 0u32);
    while let Some(c) = reader.next_cell().map_err(|e| read_err(file, e))? {
        let v = from_data_ref(c.get_value());
        if v == Cell::Empty {
            continue;
        }
        let (r, col) = c.get_position();
        first_row = first_row.min(r);
        first_col = first_col.min(col);
        last_row = last_row.max(r);
        last_col = last_col.max(col);
        cells.push((r, col, v));
    }
    if cells.is_empty() {
        return Ok((0, 0, Vec::new()));
    }
    let width = (last_col - first_col + 1) as usize;
    let mut rows: Vec<Vec<Cell>> = (first_row..=last_row)
        .map(|_| vec![Cell::Empty; width])
        .collect();
    for (r, col, v) in cells {
        rows[(r - first_row) as usize][(col - first_col) as usize] = v;
    }
    Ok((first_row, first_col, rows))
}

fn from_data_ref(d: &calamine::DataRef<'_>) -> Cell {
    use calamine::DataRef;
    match d {
        DataRef::SharedString(s) => Cell::Text((*s).to_string()),
        DataRef::String(s) => Cell::Text(s.clone()),
        DataRef::Empty => Cell::Empty,
        DataRef::Float(f) => Cell::Number(*f),
        DataRef::Int(i) => Cell::Int(*i),
        DataRef::Bool(b) => Cell::Bool(*b),
        DataRef::DateTime(dt) => from_data(&Data::DateTime(*dt)),
        DataRef::DateTimeIso(s) => from_data(&Data::DateTimeIso(s.clone())),
        DataRef::DurationIso(s) => Cell::Text(s.clone()),
        DataRef::Error(e) => Cell::Error(format!("{e:?}")),
    }
}

fn from_data(d: &Data) -> Cell {
    match d {
        Data::Empty => Cell::Empty,
        Data::String(s) => Cell::Text(s.clone()),
        Data::Float(f) => Cell::Number(*f),
        Data::Int(i) => Cell::Int(*i),
        Data::Bool(b) => Cell::Bool(*b),
        Data::DateTime(dt) => match dt.as_datetime() {
            Some(x) if dt.is_datetime() => Cell::Date(x),
            _ => Cell::Number(dt.as_f64()),
        },
        Data::DateTimeIso(s) => chrono::NaiveDateTime::parse_from_str(s, "%Y-%m-%dT%H:%M:%S")
            .ok()
            .or_else(|| {
                chrono::NaiveDate::parse_from_str(s, "%Y-%m-%d")
                    .ok()
                    .and_then(|d| d.and_hms_opt(0, 0, 0))
            })
            .map(Cell::Date)
            .unwrap_or_else(|| Cell::Text(s.clone())),
        Data::DurationIso(s) => Cell::Text(s.clone()),
        Data::Error(e) => Cell::Error(format!("{e:?}")),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn csv_in_gbk_is_detected_and_decoded() {
        let (bytes, _, _) = encoding_rs::GBK.encode("品名,单价\n绿茶,12.5\n");
        let wb = Workbook::from_bytes("报价.csv".into(), bytes.into_owned(), TextEncoding::Auto)
            .expect("open");
        assert_eq!(wb.kind, FileKind::Csv);
        assert_eq!(wb.encoding, Some(TextEncoding::Gb18030));
        let g = wb.sheet("报价").expect("sheet");
        assert_eq!(g.cell(1, 0), &Cell::Text("绿茶".into()));
        assert_eq!(g.cell(0, 1), &Cell::Text("单价".into()));
    }

    #[test]
    fn utf8_with_bom_and_semicolons() {
        let wb = Workbook::from_bytes(
            "a.csv".into(),
            "\u{feff}name;price\ntea;1,5\n".as_bytes().to_vec(),
            TextEncoding::Auto,
        )
        .expect("open");
        assert_eq!(wb.encoding, Some(TextEncoding::Utf8));
        let g = wb.sheet("a").expect("sheet");
        assert_eq!(g.cell(0, 0), &Cell::Text("name".into()));
        assert_eq!(g.cell(1, 1), &Cell::Text("1,5".into()));
    }

    /// The streamed .xlsx read gives exactly the grid calamine's `worksheet_range` gives, on every real
    /// spreadsheet in ../shared/data (Excel, WPS, Google Sheets files).
    #[test]
    fn streamed_xlsx_cells_equal_the_calamine_range() {
        let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../../../shared/data");
        let mut files = Vec::new();
        let mut stack = vec![dir];
        while let Some(d) = stack.pop() {
            for e in std::fs::read_dir(&d).into_iter().flatten().flatten() {
                let p = e.path();
                if p.is_dir() {
                    stack.push(p);
                } else if p.extension().is_some_and(|x| x == "xlsx") {
                    files.push(p);
                }
            }
        }
        if files.is_empty() {
            eprintln!("../shared/data not present: skipped");
            return;
        }
        let mut compared = 0;
        for p in files {
            let bytes = std::fs::read(&p).expect("read");
            if sniff(&bytes) != FileKind::Xlsx {
                continue;
            }
            let mut x: calamine::Xlsx<_> =
                calamine::open_workbook_from_rs(Cursor::new(bytes)).expect("open");
            for name in x.sheet_names() {
                let Ok(range) = x.worksheet_range(&name) else {
                    continue;
                };
                let (r0, c0) = range.start().unwrap_or((0, 0));
                let want: Vec<Vec<Cell>> = range
                    .rows()
                    .map(|r| r.iter().map(from_data).collect())
                    .collect();
                let (r1, c1, got) = xlsx_cells(&mut x, &name, "t").expect("stream");
                let label = format!("{} / {name}", p.display());
                assert_eq!(got, want, "{label}");
                if !want.is_empty() {
                    assert_eq!((r1, c1), (r0, c0), "{label}");
                }
                compared += 1;
            }
        }
        assert!(compared > 0);
    }

    /// The quick scan for merged cells finds a merge (and the merged value still fills the rows it spans) and
    /// finds none in a plain sheet.
    #[test]
    fn merged_cells_are_found_only_where_there_are_some() {
        let write = |merge: bool| {
            let mut wb = rust_xlsxwriter::Workbook::new();
            let ws = wb.add_worksheet();
            ws.write_string(0, 0, "品名").expect("write");
            ws.write_string(0, 1, "规格").expect("write");
            if merge {
                ws.merge_range(1, 0, 2, 0, "绿茶", &rust_xlsxwriter::Format::new())
                    .expect("merge");
            } else {
                ws.write_string(1, 0, "绿茶").expect("write");
            }
            ws.write_string(1, 1, "250g").expect("write");
            ws.write_string(2, 1, "500g").expect("write");
            wb.save_to_buffer().expect("save")
        };
        let merged =
            Workbook::from_bytes("m.xlsx".into(), write(true), TextEncoding::Auto).expect("open");
        assert!(merged.xlsx_has_merges());
        let g = merged.sheet("Sheet1").expect("sheet");
        assert_eq!(g.cell(2, 0), &Cell::Text("绿茶".into()));
        let plain =
            Workbook::from_bytes("p.xlsx".into(), write(false), TextEncoding::Auto).expect("open");
        assert!(!plain.xlsx_has_merges());
        let g = plain.sheet("Sheet1").expect("sheet");
        assert_eq!(g.cell(2, 0), &Cell::Empty);
        assert_eq!(g.cell(2, 1), &Cell::Text("500g".into()));
    }

    #[test]
    fn kinds_are_told_by_bytes() {
        assert_eq!(sniff(&[0xD0, 0xCF, 0x11, 0xE0, 0]), FileKind::Xls);
        assert_eq!(sniff(b"PK\x03\x04rest"), FileKind::Xlsx);
        assert_eq!(sniff(b"a,b\n"), FileKind::Csv);
    }
}
