//! The rows an import could not take, written to an .xlsx the user fixes and imports again: the original header,
//! the original cells (as text, so codes and barcodes survive), and one more column saying what was wrong.

use rust_xlsxwriter::{Format, Workbook, XlsxError};
use std::path::Path;

/// One rejected row: where it came from, its cells, and its problems in the user's words.
#[derive(Debug, Clone)]
pub struct RejectedRow {
    pub sheet: String,
    pub row: u64,
    pub cells: Vec<String>,
    pub problems: Vec<String>,
}

/// The extra columns' titles in the user's language: (sheet, row, problem).
pub fn labels(lang: &str) -> (&'static str, &'static str, &'static str) {
    if lang.starts_with("zh") {
        ("工作表", "行号", "问题")
    } else {
        ("Sheet", "Row", "Problem")
    }
}

/// Writes `rows` under `header` (plus the columns sheet, row and problem) to `path`.
pub fn write(
    path: &Path,
    header: &[String],
    rows: &[RejectedRow],
    labels: (&str, &str, &str),
) -> Result<(), XlsxError> {
    let mut wb = Workbook::new();
    let ws = wb.add_worksheet();
    ws.set_name("rejected")?;
    let bold = Format::new().set_bold();
    let text = Format::new().set_num_format("@");
    ws.write_string_with_format(0, 0, labels.0, &bold)?;
    ws.write_string_with_format(0, 1, labels.1, &bold)?;
    ws.write_string_with_format(0, 2, labels.2, &bold)?;
    for (i, h) in header.iter().enumerate() {
        ws.write_string_with_format(0, (i + 3) as u16, h, &bold)?;
    }
    for (n, r) in rows.iter().enumerate() {
        let row = (n + 1) as u32;
        ws.write_string(row, 0, &r.sheet)?;
        ws.write_number(row, 1, r.row as u32)?;
        ws.write_string(row, 2, r.problems.join("; "))?;
        for (i, c) in r.cells.iter().enumerate() {
            ws.write_string_with_format(row, (i + 3) as u16, c, &text)?;
        }
    }
    ws.set_column_width(2, 48)?;
    ws.set_freeze_panes(1, 0)?;
    wb.save(path)
}
