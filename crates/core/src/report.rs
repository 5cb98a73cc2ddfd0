//! Reports as data: a title, the parameters it was run with, typed columns, rows of exact text cells, a totals
//! row and an optional chart. One report renders on screen (the UI draws the table and the chart), to .xlsx (a
//! sheet with the table and a native Excel chart) and to PDF (the chart drawn, then the table over as many pages
//! as it needs). Every module's reports use this, so a report is written once and exported everywhere.
//!
//! Cells are text: integers as digits, money and decimals as exact decimal text (`1234.50`), dates as
//! `YYYY-MM-DD`, empty as "". The column's kind says how to write it to Excel (numbers stay numbers there).

use crate::pdf::{Doc, MARGIN, PAGE_W, PdfError, load_cjk_font, text_width};
use rust_decimal::Decimal;
use rust_xlsxwriter::{Chart, ChartType, Format, Workbook, XlsxError};
use serde::{Deserialize, Serialize};
use std::path::Path;
use std::str::FromStr;
use ts_rs::TS;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
pub enum ColumnKind {
    Text,
    Int,
    Money,
    Decimal,
    Percent,
    Date,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct ReportColumn {
    pub key: String,
    pub label: String,
    pub kind: ColumnKind,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct ReportParam {
    pub label: String,
    pub value: String,
}

/// A bar chart of one series; `line` is an optional second series drawn as a line on a percent axis (the
/// cumulative share of a Pareto chart).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct ReportChart {
    pub title: String,
    pub series: String,
    pub labels: Vec<String>,
    /// Decimal text, one per label.
    pub values: Vec<String>,
    pub line_series: Option<String>,
    /// Decimal text (percent), one per label, when there is a line series.
    pub line: Option<Vec<String>>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct Report {
    /// Stable key of the report (`stock_abc`, ...), also the file name's stem.
    pub key: String,
    pub title: String,
    pub params: Vec<ReportParam>,
    pub columns: Vec<ReportColumn>,
    pub rows: Vec<Vec<String>>,
    pub totals: Option<Vec<String>>,
    pub chart: Option<ReportChart>,
    /// How the figures were reached (definitions, rounding), printed under the table.
    pub notes: Vec<String>,
    /// When it was run, in the company's time zone, `YYYY-MM-DD HH:MM`.
    pub generated_at: String,
    pub company: String,
}

impl Report {
    /// An empty report stamped with the company's name and the time now in its time zone.
    pub fn new(desk: &crate::Shopdesk, key: &str, title: &str) -> Self {
        let company = desk.company();
        Report {
            key: key.into(),
            title: title.into(),
            params: Vec::new(),
            columns: Vec::new(),
            rows: Vec::new(),
            totals: None,
            chart: None,
            notes: Vec::new(),
            generated_at: desk
                .now()
                .with_timezone(&company.tz())
                .format("%Y-%m-%d %H:%M")
                .to_string(),
            company: company.company_name.clone(),
        }
    }

    /// The column index of `key`.
    pub fn col(&self, key: &str) -> Option<usize> {
        self.columns.iter().position(|c| c.key == key)
    }

    /// The cell of row `r` in column `key` ("" when absent).
    pub fn cell(&self, r: usize, key: &str) -> &str {
        self.col(key)
            .and_then(|c| self.rows.get(r).and_then(|row| row.get(c)))
            .map(String::as_str)
            .unwrap_or("")
    }
}

/// Builds columns from `(key, label, kind)` triples.
pub fn columns(cols: &[(&str, &str, ColumnKind)]) -> Vec<ReportColumn> {
    cols.iter()
        .map(|(k, l, kind)| ReportColumn {
            key: (*k).into(),
            label: (*l).into(),
            kind: *kind,
        })
        .collect()
}

/// Chinese or English text by the user's language.
pub fn tr<'a>(lang: &str, zh: &'a str, en: &'a str) -> &'a str {
    if lang.starts_with("zh") { zh } else { en }
}

/// `part / whole × 100` to two decimals, rounded half away from zero; "" when `whole` is zero.
pub fn percent(part: Decimal, whole: Decimal) -> String {
    if whole.is_zero() {
        return String::new();
    }
    let p = (part * Decimal::from(100) / whole)
        .round_dp_with_strategy(2, rust_decimal::RoundingStrategy::MidpointAwayFromZero);
    format!("{p:.2}")
}

#[derive(Debug, thiserror::Error)]
pub enum ReportError {
    #[error("cannot write {path}: {reason}")]
    Write { path: String, reason: String },
    #[error(transparent)]
    Pdf(#[from] PdfError),
}

impl From<ReportError> for crate::ApiError {
    fn from(e: ReportError) -> Self {
        match e {
            ReportError::Write { ref path, .. } => {
                let p = path.clone();
                crate::ApiError::new("export.write", e.to_string()).with_param("path", p)
            }
            ReportError::Pdf(p) => p.into(),
        }
    }
}

fn sheet_name(title: &str) -> String {
    // Excel: at most 31 characters, none of []:*?/\
    title
        .chars()
        .filter(|c| !"[]:*?/\\".contains(*c))
        .take(31)
        .collect()
}

/// Excel's number for a decimal cell. The file format stores doubles; the exact figure is the decimal text the
/// report carries, and a double shows it exactly at the formats used (two or four decimals).
fn excel_number(s: &str) -> Option<f64> {
    use rust_decimal::prelude::ToPrimitive;
    Decimal::from_str(s).ok().and_then(|d| d.to_f64())
}

/// Writes the report as an .xlsx: title and parameters on top, the table with a frozen header, totals in bold,
/// notes below, and the chart as a native Excel chart (its data on a second sheet) to the right of the table.
pub fn write_xlsx(report: &Report, path: &Path) -> Result<(), ReportError> {
    write_xlsx_inner(report, path).map_err(|e| ReportError::Write {
        path: path.display().to_string(),
        reason: e.to_string(),
    })
}

fn write_xlsx_inner(report: &Report, path: &Path) -> Result<(), XlsxError> {
    let mut wb = Workbook::new();
    let title_fmt = Format::new().set_bold().set_font_size(14);
    let head = Format::new().set_bold().set_background_color("#F0F2F5");
    let bold = Format::new().set_bold();
    let money = Format::new().set_num_format("#,##0.00");
    let money_bold = Format::new().set_num_format("#,##0.00").set_bold();
    let dec = Format::new().set_num_format("0.00");
    let dec_bold = Format::new().set_num_format("0.00").set_bold();
    let int_bold = Format::new().set_bold();
    let text = Format::new().set_num_format("@");
    let date = Format::new().set_num_format("yyyy-mm-dd");
    let name = sheet_name(&report.title);
    let chart_sheet = "chart_data";
    {
        let ws = wb.add_worksheet();
        ws.set_name(&name)?;
        ws.write_string_with_format(0, 0, &report.title, &title_fmt)?;
        let mut r = 1u32;
        let mut params = report
            .params
            .iter()
            .map(|p| format!("{}: {}", p.label, p.value))
            .collect::<Vec<_>>();
        params.push(format!("{} · {}", report.company, report.generated_at));
        ws.write_string(r, 0, params.join("    "))?;
        r += 2;
        let header_row = r;
        for (c, col) in report.columns.iter().enumerate() {
            ws.write_string_with_format(r, c as u16, &col.label, &head)?;
            let width = match col.kind {
                ColumnKind::Text => 16,
                ColumnKind::Date => 12,
                _ => 13,
            };
            ws.set_column_width(c as u16, width)?;
        }
        let write_row = |ws: &mut rust_xlsxwriter::Worksheet,
                         r: u32,
                         row: &[String],
                         total: bool|
         -> Result<(), XlsxError> {
            for (c, (cell, col)) in row.iter().zip(&report.columns).enumerate() {
                let c = c as u16;
                if cell.is_empty() {
                    continue;
                }
                let number = match col.kind {
                    ColumnKind::Text | ColumnKind::Date => None,
                    _ => excel_number(cell),
                };
                match (col.kind, number) {
                    (ColumnKind::Int, Some(n)) => {
                        if total {
                            ws.write_number_with_format(r, c, n, &int_bold)?;
                        } else {
                            ws.write_number(r, c, n)?;
                        }
                    }
                    (ColumnKind::Money, Some(n)) => {
                        ws.write_number_with_format(
                            r,
                            c,
                            n,
                            if total { &money_bold } else { &money },
                        )?;
                    }
                    (ColumnKind::Decimal | ColumnKind::Percent, Some(n)) => {
                        ws.write_number_with_format(r, c, n, if total { &dec_bold } else { &dec })?;
                    }
                    (ColumnKind::Date, _) => {
                        match chrono::NaiveDate::parse_from_str(cell, "%Y-%m-%d") {
                            Ok(d) => ws.write_datetime_with_format(r, c, d, &date)?,
                            Err(_) => ws.write_string(r, c, cell)?,
                        };
                    }
                    _ => {
                        if total {
                            ws.write_string_with_format(r, c, cell, &bold)?;
                        } else {
                            ws.write_string_with_format(r, c, cell, &text)?;
                        }
                    }
                }
            }
            Ok(())
        };
        for row in &report.rows {
            r += 1;
            write_row(ws, r, row, false)?;
        }
        if let Some(t) = &report.totals {
            r += 1;
            write_row(ws, r, t, true)?;
        }
        r += 2;
        for n in &report.notes {
            ws.write_string(r, 0, n)?;
            r += 1;
        }
        ws.set_freeze_panes(header_row + 1, 0)?;
        if let Some(ch) = &report.chart
            && !ch.labels.is_empty()
        {
            let last = ch.labels.len() as u32;
            let mut chart = Chart::new(ChartType::Column);
            chart.title().set_name(&ch.title);
            chart
                .add_series()
                .set_name(&ch.series)
                .set_categories((chart_sheet, 1, 0, last, 0))
                .set_values((chart_sheet, 1, 1, last, 1));
            if ch.line.is_some() {
                let mut line = Chart::new(ChartType::Line);
                line.add_series()
                    .set_name(ch.line_series.as_deref().unwrap_or_default())
                    .set_categories((chart_sheet, 1, 0, last, 0))
                    .set_values((chart_sheet, 1, 2, last, 2))
                    .set_secondary_axis(true);
                chart.combine(&line);
            }
            chart.set_width(720).set_height(360);
            ws.insert_chart(header_row, report.columns.len() as u16 + 1, &chart)?;
        }
    }
    if let Some(ch) = &report.chart {
        let ws = wb.add_worksheet();
        ws.set_name(chart_sheet)?;
        ws.write_string_with_format(0, 0, &ch.title, &bold)?;
        ws.write_string_with_format(0, 1, &ch.series, &bold)?;
        if let Some(ls) = &ch.line_series {
            ws.write_string_with_format(0, 2, ls, &bold)?;
        }
        for (i, (l, v)) in ch.labels.iter().zip(&ch.values).enumerate() {
            let r = i as u32 + 1;
            ws.write_string(r, 0, l)?;
            if let Some(n) = excel_number(v) {
                ws.write_number_with_format(r, 1, n, &dec)?;
            }
            if let Some(n) = ch
                .line
                .as_ref()
                .and_then(|l| l.get(i))
                .and_then(|s| excel_number(s))
            {
                ws.write_number_with_format(r, 2, n, &dec)?;
            }
        }
        ws.set_column_width(0, 24)?;
    }
    wb.save(path)?;
    Ok(())
}

/// The report as a PDF: title, parameters, the chart (horizontal bars, the largest first, with their figures),
/// then the table on as many pages as it needs (the header repeated on each), totals and notes.
#[allow(clippy::float_arithmetic)]
pub fn pdf(report: &Report) -> Result<Vec<u8>, ReportError> {
    let font = load_cjk_font()?;
    let footer = format!(
        "{} · {} · {}",
        report.company, report.title, report.generated_at
    );
    let mut doc = Doc::new(&report.title, &footer, &font);
    let right = PAGE_W - MARGIN;
    let mut y = MARGIN + 6.0;
    doc.text(MARGIN, y, 15.0, &report.title);
    y += 6.5;
    let params = report
        .params
        .iter()
        .map(|p| format!("{}: {}", p.label, p.value))
        .collect::<Vec<_>>()
        .join("    ");
    doc.text_fit(MARGIN, y, 8.5, &params, right - MARGIN);
    y += 4.5;
    doc.text(
        MARGIN,
        y,
        8.0,
        &format!("{} · {}", report.company, report.generated_at),
    );
    y += 5.0;
    if let Some(ch) = &report.chart
        && !ch.labels.is_empty()
    {
        y = draw_chart(&mut doc, ch, y);
    }
    // Column widths: text columns share what the figure columns leave.
    let size = if report.columns.len() > 9 { 6.5 } else { 7.5 };
    let figure_w: Vec<f32> = report
        .columns
        .iter()
        .enumerate()
        .map(|(c, col)| {
            let widest = report
                .rows
                .iter()
                .chain(report.totals.iter())
                .map(|r| r.get(c).map(|s| text_width(s, size)).unwrap_or(0.0))
                .fold(text_width(&col.label, size), f32::max);
            match col.kind {
                ColumnKind::Text => 0.0,
                _ => widest.min(30.0) + 2.5,
            }
        })
        .collect();
    let text_cols = report
        .columns
        .iter()
        .filter(|c| c.kind == ColumnKind::Text)
        .count()
        .max(1) as f32;
    let text_w = ((right - MARGIN - figure_w.iter().sum::<f32>()) / text_cols).max(14.0);
    let widths: Vec<f32> = report
        .columns
        .iter()
        .zip(&figure_w)
        .map(|(c, w)| {
            if c.kind == ColumnKind::Text {
                text_w
            } else {
                *w
            }
        })
        .collect();
    // A text column right after a figure column starts a little further in, so the figure and the text do not run
    // together (`2 1×2`).
    let is_text = |k: ColumnKind| k == ColumnKind::Text || k == ColumnKind::Date;
    let pad: Vec<f32> = report
        .columns
        .iter()
        .enumerate()
        .map(|(i, c)| {
            if i > 0 && is_text(c.kind) && !is_text(report.columns[i - 1].kind) {
                2.5
            } else {
                0.0
            }
        })
        .collect();
    let row_h = size * 0.3528 + 2.2;
    let header = |doc: &mut Doc, y: f32| -> f32 {
        let mut x = MARGIN;
        for ((col, w), p) in report.columns.iter().zip(&widths).zip(&pad) {
            if col.kind == ColumnKind::Text || col.kind == ColumnKind::Date {
                doc.text_fit(x + p, y, size, &col.label, w - 1.0 - p);
            } else {
                doc.text_right(x + w - 1.0, y, size, &col.label);
            }
            x += w;
        }
        doc.rule(MARGIN, y + 1.2, right, y + 1.2, 0.6);
        y + row_h
    };
    let bottom = crate::pdf::PAGE_H - MARGIN - 6.0;
    y += 2.0;
    y = header(&mut doc, y);
    let draw_row = |doc: &mut Doc, y: f32, row: &[String]| {
        let mut x = MARGIN;
        for (((cell, col), w), p) in row.iter().zip(&report.columns).zip(&widths).zip(&pad) {
            if col.kind == ColumnKind::Text || col.kind == ColumnKind::Date {
                doc.text_fit(x + p, y, size, cell, w - 1.0 - p);
            } else {
                doc.text_right(x + w - 1.0, y, size, cell);
            }
            x += w;
        }
    };
    for row in &report.rows {
        if y > bottom {
            doc.new_page();
            y = header(&mut doc, MARGIN + 4.0);
        }
        draw_row(&mut doc, y, row);
        y += row_h;
    }
    if let Some(t) = &report.totals {
        if y > bottom {
            doc.new_page();
            y = header(&mut doc, MARGIN + 4.0);
        }
        doc.rule(MARGIN, y - row_h + 1.2, right, y - row_h + 1.2, 0.4);
        draw_row(&mut doc, y, t);
        y += row_h;
    }
    y += 3.0;
    for n in &report.notes {
        if y > bottom {
            doc.new_page();
            y = MARGIN + 4.0;
        }
        doc.text_fit(MARGIN, y, 7.0, n, right - MARGIN);
        y += 3.8;
    }
    Ok(doc.finish())
}

/// Horizontal bars, one per label (at most 15), scaled to the largest value; returns the y below the chart.
#[allow(clippy::float_arithmetic)]
fn draw_chart(doc: &mut Doc, ch: &ReportChart, top: f32) -> f32 {
    use rust_decimal::prelude::ToPrimitive;
    let n = ch.labels.len().min(15);
    let values: Vec<f64> = ch.values[..n]
        .iter()
        .map(|v| {
            Decimal::from_str(v)
                .ok()
                .and_then(|d| d.to_f64())
                .unwrap_or(0.0)
        })
        .collect();
    let max = values.iter().cloned().fold(0.0f64, f64::max);
    let right = PAGE_W - MARGIN;
    let mut y = top + 2.0;
    doc.text(MARGIN, y, 9.5, &ch.title);
    y += 2.5;
    let label_w = 48.0;
    let figure_w = 26.0;
    let bar_x = MARGIN + label_w;
    let bar_max = right - bar_x - figure_w;
    let bar_h = 3.6;
    for (i, v) in values.iter().enumerate() {
        let w = if max > 0.0 {
            (v / max * f64::from(bar_max)) as f32
        } else {
            0.0
        };
        doc.text_fit(MARGIN, y + bar_h - 0.8, 7.0, &ch.labels[i], label_w - 2.0);
        doc.rect_fill(bar_x, y, w.max(0.3), bar_h, (0.09, 0.47, 1.0));
        let mut figure = ch.values[i].clone();
        if let Some(p) = ch.line.as_ref().and_then(|l| l.get(i)) {
            figure = format!("{figure} ({p}%)");
        }
        doc.text(bar_x + w + 1.5, y + bar_h - 0.8, 7.0, &figure);
        y += bar_h + 1.4;
    }
    if ch.labels.len() > n {
        doc.text(MARGIN, y + 2.0, 7.0, &format!("… +{}", ch.labels.len() - n));
        y += 3.0;
    }
    y + 4.0
}

/// A file name for a report: `ABC分类_20261123-1015.xlsx`.
pub fn file_name(
    report: &Report,
    ext: &str,
    now: chrono::DateTime<chrono::Utc>,
    tz: chrono_tz::Tz,
) -> String {
    let stem: String = report
        .title
        .chars()
        .map(|c| if "/\\:*?\"<>| ".contains(c) { '_' } else { c })
        .collect();
    format!(
        "{stem}_{}.{ext}",
        now.with_timezone(&tz).format("%Y%m%d-%H%M%S")
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn percent_rounds_half_away_and_leaves_zero_wholes_empty() {
        assert_eq!(percent(Decimal::from(1), Decimal::from(8)), "12.50");
        assert_eq!(percent(Decimal::from(1), Decimal::from(3)), "33.33");
        assert_eq!(percent(Decimal::from(2), Decimal::from(3)), "66.67");
        assert_eq!(percent(Decimal::from(1), Decimal::ZERO), "");
    }

    #[test]
    fn sheet_names_drop_what_excel_refuses() {
        assert_eq!(sheet_name("ABC: 价值/数量"), "ABC 价值数量");
        assert_eq!(sheet_name(&"长".repeat(40)).chars().count(), 31);
    }
}
