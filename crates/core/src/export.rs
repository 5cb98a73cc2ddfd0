//! Writing a list to an .xlsx file (every list screen has "Export to Excel").
//!
//! Codes and barcodes are written as text cells so Excel never turns `6901234567892` into `6.90123E+12`;
//! amounts are written as numbers with a fixed number format, converted from exact decimals at the last moment.

use crate::Shopdesk;
use crate::auth::Actor;
use crate::error::ApiError;
use crate::listing::ListQuery;
use crate::masterdata::{self, Cell, ExportTable, MasterDataError};
use rust_decimal::prelude::ToPrimitive;
use rust_xlsxwriter::{Format, Workbook, XlsxError};
use serde::{Deserialize, Serialize};
use std::path::{Path, PathBuf};
use ts_rs::TS;

/// The lists that can be exported.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
pub enum ListKind {
    Products,
    Suppliers,
    Warehouses,
    Locations,
    Customers,
}

impl ListKind {
    pub fn as_str(&self) -> &'static str {
        match self {
            ListKind::Products => "products",
            ListKind::Suppliers => "suppliers",
            ListKind::Warehouses => "warehouses",
            ListKind::Locations => "locations",
            ListKind::Customers => "customers",
        }
    }
}

#[derive(Debug, thiserror::Error)]
pub enum ExportError {
    #[error(transparent)]
    Data(#[from] MasterDataError),
    #[error("cannot write {path}: {source}")]
    Write { path: String, source: XlsxError },
    #[error("cannot create the folder {path}: {source}")]
    Folder {
        path: String,
        source: std::io::Error,
    },
}

impl From<ExportError> for ApiError {
    fn from(e: ExportError) -> Self {
        match e {
            ExportError::Data(d) => d.into(),
            ExportError::Write { ref path, .. } | ExportError::Folder { ref path, .. } => {
                let p = path.clone();
                ApiError::new("export.write", e.to_string()).with_param("path", p)
            }
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct ExportResult {
    pub path: String,
    #[ts(type = "number")]
    pub rows: u64,
}

/// Builds the table of a list with the same filters as the screen.
pub async fn table(
    desk: &Shopdesk,
    actor: &Actor,
    kind: ListKind,
    q: &ListQuery,
    lang: &str,
) -> Result<ExportTable, MasterDataError> {
    match kind {
        ListKind::Products => masterdata::products::export_table(desk, actor, q, lang).await,
        ListKind::Suppliers => masterdata::suppliers::export_table(desk, actor, q, lang).await,
        ListKind::Warehouses => masterdata::warehouses::export_table(desk, actor, q, lang).await,
        ListKind::Locations => {
            masterdata::warehouses::export_locations_table(desk, actor, q, lang).await
        }
        ListKind::Customers => masterdata::customers::export_table(desk, actor, q, lang).await,
    }
}

/// Exports a list to `path` and returns how many rows were written.
pub async fn export_list(
    desk: &Shopdesk,
    actor: &Actor,
    kind: ListKind,
    q: &ListQuery,
    lang: &str,
    path: &Path,
) -> Result<ExportResult, ExportError> {
    let t = table(desk, actor, kind, q, lang).await?;
    write_table(&t, path)
}

/// Exports a list into `dir` under a time-stamped name in the list's language (`商品_20261122-093015.xlsx`).
pub async fn export_list_to_dir(
    desk: &Shopdesk,
    actor: &Actor,
    kind: ListKind,
    q: &ListQuery,
    lang: &str,
    dir: &Path,
) -> Result<ExportResult, ExportError> {
    let t = table(desk, actor, kind, q, lang).await?;
    std::fs::create_dir_all(dir).map_err(|source| ExportError::Folder {
        path: dir.display().to_string(),
        source,
    })?;
    let path = default_path(dir, &t.sheet, desk.now(), desk.company().tz());
    write_table(&t, &path)
}

fn write_table(t: &ExportTable, path: &Path) -> Result<ExportResult, ExportError> {
    write_xlsx(t, path).map_err(|source| ExportError::Write {
        path: path.display().to_string(),
        source,
    })?;
    Ok(ExportResult {
        path: path.display().to_string(),
        rows: t.rows.len() as u64,
    })
}

/// A file name for an export: `商品_20261122-0930.xlsx` in the given folder.
pub fn default_path(
    dir: &Path,
    t_sheet: &str,
    now: chrono::DateTime<chrono::Utc>,
    tz: chrono_tz::Tz,
) -> PathBuf {
    dir.join(format!(
        "{}_{}.xlsx",
        t_sheet,
        now.with_timezone(&tz).format("%Y%m%d-%H%M%S")
    ))
}

pub fn write_xlsx(t: &ExportTable, path: &Path) -> Result<(), XlsxError> {
    let mut wb = Workbook::new();
    let ws = wb.add_worksheet_with_constant_memory()?;
    ws.set_name(&t.sheet)?;
    let head = Format::new().set_bold().set_background_color("#F0F2F5");
    let money = Format::new().set_num_format("0.00##");
    let date = Format::new().set_num_format("yyyy-mm-dd");
    let datetime = Format::new().set_num_format("yyyy-mm-dd hh:mm:ss");
    for (c, h) in t.headers.iter().enumerate() {
        ws.write_string_with_format(0, c as u16, h, &head)?;
        ws.set_column_width(c as u16, 14)?;
    }
    for (r, row) in t.rows.iter().enumerate() {
        let r = (r + 1) as u32;
        for (c, cell) in row.iter().enumerate() {
            let c = c as u16;
            match cell {
                Cell::Text(s) => {
                    ws.write_string(r, c, s)?;
                }
                Cell::Int(i) => {
                    // Quantities stay far below 2^53, where f64 is exact.
                    ws.write_number(r, c, *i as f64)?;
                }
                Cell::Decimal(d) => {
                    // The file format stores numbers as doubles; a 4-decimal price converts exactly enough for
                    // display, and the exact value is still the text a user sees in the cell format.
                    ws.write_number_with_format(r, c, d.to_f64().unwrap_or_default(), &money)?;
                }
                Cell::Date(d) => {
                    ws.write_datetime_with_format(r, c, *d, &date)?;
                }
                Cell::DateTime(dt) => {
                    ws.write_datetime_with_format(r, c, dt.naive_utc(), &datetime)?;
                }
                Cell::Empty => {}
            }
        }
    }
    ws.set_freeze_panes(1, 0)?;
    wb.save(path)?;
    Ok(())
}
