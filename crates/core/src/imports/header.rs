//! Finding the header of a table in a sheet by its names, and resolving a user's column mapping.
//!
//! Real sheets put title, company and party rows above the header, stack two quotations in one sheet, split a
//! header over two rows (a merged group name above the price columns), and repeat the same columns to the right
//! (name, price, note, then name, price, note again). An importer describes its fields ([`FieldSpec`]: exact
//! names and, weaker, words a header may contain), and gets back [`Table`]s: where each header is, where its
//! data runs, and the columns of each field. Several columns of one field are side-by-side blocks.

use super::values::cell_text;
use super::{Grid, ImportError, column_letter, parse_column_letter};
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;
use ts_rs::TS;

/// One field an importer reads, with the header names it is known by.
#[derive(Debug, Clone, Copy)]
pub struct FieldSpec {
    pub key: &'static str,
    /// Names that identify the column when the whole normalised header equals one of them.
    pub exact: &'static [&'static str],
    /// Weaker: words a header may contain (`Retail Price Estimate` contains `price`); used only for fields that
    /// no exact name matched in that row.
    pub contains: &'static [&'static str],
}

/// Lower case, no white space, full-width brackets and colons made half-width, a trailing colon and a bracketed
/// suffix removed: `单价（含税）` → `单价`, ` 收货地址 ` → `收货地址`, `Unit Price (USD)` → `unitprice`.
pub fn normalize_header(s: &str) -> String {
    let mut t: String = s
        .chars()
        .filter(|c| !c.is_whitespace() && *c != '\u{3000}' && *c != '\u{feff}')
        .map(|c| match c {
            '（' => '(',
            '）' => ')',
            '：' => ':',
            _ => c,
        })
        .flat_map(char::to_lowercase)
        .collect();
    while t.ends_with(':') {
        t.pop();
    }
    if t.ends_with(')')
        && let Some(open) = t.rfind('(')
        && open > 0
    {
        t.truncate(open);
    }
    t
}

/// The specs of an importer with their names normalised once (a sheet of 100,000 rows asks for every row).
struct Prepared {
    exact: std::collections::HashMap<String, usize>,
    contains: Vec<Vec<String>>,
}

fn prepared(specs: &'static [FieldSpec]) -> std::sync::Arc<Prepared> {
    use std::sync::{Arc, Mutex, OnceLock};
    static CACHE: OnceLock<Mutex<std::collections::HashMap<usize, Arc<Prepared>>>> =
        OnceLock::new();
    let cache = CACHE.get_or_init(Default::default);
    let mut map = cache.lock().unwrap_or_else(|e| e.into_inner());
    map.entry(specs.as_ptr() as usize)
        .or_insert_with(|| {
            let mut exact = std::collections::HashMap::new();
            for (i, spec) in specs.iter().enumerate() {
                for e in spec.exact {
                    exact.entry(normalize_header(e)).or_insert(i);
                }
            }
            let contains = specs
                .iter()
                .map(|s| s.contains.iter().map(|w| normalize_header(w)).collect())
                .collect();
            Arc::new(Prepared { exact, contains })
        })
        .clone()
}

/// The fields a row's cells name, with their columns (left to right).
pub fn match_row(
    grid: &Grid,
    row: u32,
    specs: &'static [FieldSpec],
) -> BTreeMap<&'static str, Vec<u32>> {
    let p = prepared(specs);
    let mut found: BTreeMap<&'static str, Vec<u32>> = BTreeMap::new();
    let cols: Vec<(u32, String)> = (grid.first_col..grid.col_end())
        .filter_map(|c| {
            let cell = grid.cell(row, c);
            if !matches!(cell, super::Cell::Text(_)) {
                return None;
            }
            let t = normalize_header(&cell_text(cell));
            (!t.is_empty() && t.chars().count() <= 40).then_some((c, t))
        })
        .collect();
    let mut used = std::collections::BTreeSet::new();
    for (c, t) in &cols {
        if let Some(i) = p.exact.get(t) {
            used.insert(*c);
            found.entry(specs[*i].key).or_default().push(*c);
        }
    }
    for (i, spec) in specs.iter().enumerate() {
        if found.contains_key(spec.key) || p.contains[i].is_empty() {
            continue;
        }
        for (c, t) in &cols {
            if !used.contains(c) && p.contains[i].iter().any(|w| t.contains(w.as_str())) {
                used.insert(*c);
                found.entry(spec.key).or_default().push(*c);
            }
        }
    }
    found
}

/// A table found in a sheet: its header row (absolute, 0-based), the rows of its data and each field's columns.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Table {
    pub header_row: Option<u32>,
    pub data_start: u32,
    /// One past the last data row.
    pub data_end: u32,
    pub columns: BTreeMap<String, Vec<u32>>,
    /// The header text of each mapped column, for previews and the saved mapping.
    pub header_texts: BTreeMap<u32, String>,
}

/// Finds every header row that names all `required` fields (and at least two fields), each starting a table that
/// runs to the next header or the end of the sheet. A header split over two rows is joined.
pub fn detect(grid: &Grid, specs: &'static [FieldSpec], required: &[&str]) -> Vec<Table> {
    // (header row, first data row, fields and their columns)
    type Head = (u32, u32, BTreeMap<&'static str, Vec<u32>>);
    let mut heads: Vec<Head> = Vec::new();
    let rows: Vec<u32> = grid.row_range().collect();
    let mut i = 0;
    while i < rows.len() {
        let r = rows[i];
        // A header names columns; a row holding numbers is data.
        let m = if has_numbers(grid, r) {
            BTreeMap::new()
        } else {
            match_row(grid, r, specs)
        };
        let complete = |m: &BTreeMap<&str, Vec<u32>>| {
            m.len() >= 2 && required.iter().all(|k| m.contains_key(k))
        };
        if complete(&m) {
            heads.push((r, r + 1, m));
            i += 1;
            continue;
        }
        // Two-row header: this row names some fields, the next row names the rest.
        if !m.is_empty() && i + 1 < rows.len() && !has_numbers(grid, r + 1) {
            let next = match_row(grid, r + 1, specs);
            let taken: Vec<u32> = m.values().flatten().copied().collect();
            let overlap = next.values().flatten().any(|c| taken.contains(c));
            if !complete(&next) && !overlap {
                let mut joined = m.clone();
                for (k, v) in next {
                    joined.entry(k).or_insert(v);
                }
                if complete(&joined) && required.iter().any(|k| m.contains_key(k)) {
                    heads.push((r, r + 2, joined));
                    i += 2;
                    continue;
                }
            }
        }
        i += 1;
    }
    let end = grid.row_range().end;
    let mut tables = Vec::new();
    for (n, (row, data_start, m)) in heads.iter().enumerate() {
        let data_end = heads.get(n + 1).map(|h| h.0).unwrap_or(end);
        let header_texts = m
            .values()
            .flatten()
            .map(|c| {
                let t = [*row, data_start - 1]
                    .iter()
                    .map(|r| cell_text(grid.cell(*r, *c)))
                    .find(|t| !t.is_empty())
                    .unwrap_or_default();
                (*c, t)
            })
            .collect();
        tables.push(Table {
            header_row: Some(*row),
            data_start: *data_start,
            data_end,
            columns: m.iter().map(|(k, v)| (k.to_string(), v.clone())).collect(),
            header_texts,
        });
    }
    tables
}

/// Whether a row holds a number (headers hold text): a number cell, or a text that is only a number, as every
/// value of a CSV file is (`12.50`, `2`, `13800138000`). Telling data rows this way spares the header match on
/// each of a large CSV file's rows.
pub fn has_numbers(grid: &Grid, row: u32) -> bool {
    (grid.first_col..grid.col_end()).any(|c| match grid.cell(row, c) {
        super::Cell::Number(_) | super::Cell::Int(_) => true,
        super::Cell::Text(t) => is_plain_number(t),
        _ => false,
    })
}

/// A text of digits with at most a sign, decimal point or thousands commas: `12.50`, `-3`, `1,200`.
fn is_plain_number(t: &str) -> bool {
    let t = t.trim();
    !t.is_empty()
        && t.len() <= 24
        && t.bytes().any(|b| b.is_ascii_digit())
        && t.bytes()
            .all(|b| b.is_ascii_digit() || matches!(b, b'.' | b',' | b'-' | b'+'))
}

/// The best row that came close to a header, for the error message: (row, fields it names).
pub fn best_candidate(
    grid: &Grid,
    specs: &'static [FieldSpec],
) -> Option<(u32, Vec<&'static str>)> {
    grid.row_range()
        .map(|r| (r, match_row(grid, r, specs)))
        .filter(|(_, m)| !m.is_empty())
        .max_by_key(|(r, m)| (m.len(), std::cmp::Reverse(*r)))
        .map(|(r, m)| (r, m.keys().copied().collect()))
}

/// A column named by the user: a header text (`单价`) or a column letter (`G`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case", tag = "by", content = "value")]
pub enum ColumnRef {
    Letter(String),
    Header(String),
}

impl ColumnRef {
    /// Letters only (up to three) are a column letter; anything else a header text.
    pub fn parse(s: &str) -> Self {
        let t = s.trim();
        if parse_column_letter(t).is_some() && t.chars().all(|c| c.is_ascii_uppercase()) {
            ColumnRef::Letter(t.to_string())
        } else {
            ColumnRef::Header(t.to_string())
        }
    }

    pub fn label(&self) -> &str {
        match self {
            ColumnRef::Letter(s) | ColumnRef::Header(s) => s,
        }
    }
}

/// A column mapping: for each field, its columns (several = side-by-side blocks), and optionally the header row.
/// Saved per supplier (or per channel for orders) and reused on the next file.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(default)]
pub struct Mapping {
    pub fields: BTreeMap<String, Vec<ColumnRef>>,
    /// 1-based header row as the user sees it; `None` finds it.
    #[ts(type = "number | null")]
    pub header_row: Option<u32>,
}

impl Mapping {
    pub fn is_empty(&self) -> bool {
        self.fields.is_empty() && self.header_row.is_none()
    }

    /// Parses `FIELD=COLUMN[,COLUMN...]` as given on the command line.
    pub fn add_arg(
        &mut self,
        file: &str,
        arg: &str,
        known: &[FieldSpec],
    ) -> Result<(), ImportError> {
        let bad = |reason: &str| ImportError::BadMapping {
            file: file.to_string(),
            value: arg.to_string(),
            reason: reason.to_string(),
        };
        let (field, cols) = arg
            .split_once('=')
            .ok_or_else(|| bad("expected FIELD=COLUMN"))?;
        let field = field.trim();
        if !known.iter().any(|s| s.key == field) {
            let names: Vec<&str> = known.iter().map(|s| s.key).collect();
            return Err(bad(&format!("unknown field; one of {}", names.join(", "))));
        }
        let refs: Vec<ColumnRef> = cols
            .split(',')
            .filter(|c| !c.trim().is_empty())
            .map(ColumnRef::parse)
            .collect();
        if refs.is_empty() {
            return Err(bad("no column"));
        }
        self.fields.insert(field.to_string(), refs);
        Ok(())
    }
}

/// Applies a mapping to a sheet. Fields the mapping leaves out are filled from the detected header in the same
/// row. Header texts are looked for in every row, so stacked tables with the same header all count.
pub fn resolve(
    grid: &Grid,
    file: &str,
    mapping: &Mapping,
    specs: &'static [FieldSpec],
    required: &[&str],
) -> Result<Vec<Table>, ImportError> {
    if mapping.is_empty() {
        return Ok(detect(grid, specs, required));
    }
    // Header rows: the one given, else every row holding all the named header texts, else detection.
    let named: Vec<String> = mapping
        .fields
        .values()
        .flatten()
        .filter_map(|c| match c {
            ColumnRef::Header(h) => Some(normalize_header(h)),
            ColumnRef::Letter(_) => None,
        })
        .collect();
    let header_rows: Vec<u32> = if let Some(r) = mapping.header_row {
        vec![r.saturating_sub(1)]
    } else if !named.is_empty() {
        grid.row_range()
            .filter(|r| {
                let texts: Vec<String> = (grid.first_col..grid.col_end())
                    .map(|c| normalize_header(&cell_text(grid.cell(*r, c))))
                    .collect();
                named.iter().all(|n| texts.contains(n))
            })
            .collect()
    } else {
        detect(grid, specs, &[])
            .iter()
            .filter_map(|t| t.header_row)
            .collect()
    };
    let end = grid.row_range().end;
    if header_rows.is_empty() {
        if named.is_empty() {
            // Letters only and no header: every row is data.
            return Ok(vec![table_from(
                grid,
                None,
                grid.first_row,
                end,
                mapping,
                specs,
                file,
            )?]);
        }
        // Name the columns as the user wrote them.
        let labels: Vec<String> = mapping
            .fields
            .values()
            .flatten()
            .filter_map(|c| match c {
                ColumnRef::Header(h) => Some(h.trim().to_string()),
                ColumnRef::Letter(_) => None,
            })
            .collect();
        return Err(ImportError::NoSuchColumn {
            file: file.to_string(),
            sheet: grid.sheet.clone(),
            row: 0,
            column: labels.join(", "),
        });
    }
    let mut tables = Vec::new();
    for (i, r) in header_rows.iter().enumerate() {
        let data_end = header_rows.get(i + 1).copied().unwrap_or(end);
        tables.push(table_from(
            grid,
            Some(*r),
            r + 1,
            data_end,
            mapping,
            specs,
            file,
        )?);
    }
    Ok(tables)
}

fn table_from(
    grid: &Grid,
    header_row: Option<u32>,
    data_start: u32,
    data_end: u32,
    mapping: &Mapping,
    specs: &'static [FieldSpec],
    file: &str,
) -> Result<Table, ImportError> {
    let mut columns: BTreeMap<String, Vec<u32>> = BTreeMap::new();
    let mut header_texts = BTreeMap::new();
    for (field, refs) in &mapping.fields {
        let mut cols = Vec::new();
        for c in refs {
            let by_header = |h: &str| {
                header_row.and_then(|r| {
                    let want = normalize_header(h);
                    (grid.first_col..grid.col_end())
                        .filter(|c| !cols.contains(c))
                        .find(|c| normalize_header(&cell_text(grid.cell(r, *c))) == want)
                })
            };
            let col = match c {
                // `SKU` is both three letters and a header: the header wins when the header row has it.
                ColumnRef::Letter(l) => by_header(l).or_else(|| parse_column_letter(l)),
                ColumnRef::Header(h) => by_header(h),
            }
            .ok_or_else(|| ImportError::NoSuchColumn {
                file: file.to_string(),
                sheet: grid.sheet.clone(),
                row: u64::from(header_row.unwrap_or(0)) + 1,
                column: c.label().to_string(),
            })?;
            cols.push(col);
        }
        columns.insert(field.clone(), cols);
    }
    if let Some(r) = header_row {
        // Fields the user did not map, from the header row itself, in columns not taken yet.
        let taken: Vec<u32> = columns.values().flatten().copied().collect();
        for (k, v) in match_row(grid, r, specs) {
            let free: Vec<u32> = v.into_iter().filter(|c| !taken.contains(c)).collect();
            if !columns.contains_key(k) && !free.is_empty() {
                columns.insert(k.to_string(), free);
            }
        }
        for c in columns.values().flatten() {
            header_texts.insert(*c, cell_text(grid.cell(r, *c)));
        }
    } else {
        for c in columns.values().flatten() {
            header_texts.insert(*c, column_letter(*c));
        }
    }
    Ok(Table {
        header_row,
        data_start,
        data_end,
        columns,
        header_texts,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::imports::Cell;

    const SPECS: &[FieldSpec] = &[
        FieldSpec {
            key: "name",
            exact: &["品名", "商品名称", "product"],
            contains: &[],
        },
        FieldSpec {
            key: "price",
            exact: &["单价", "price"],
            contains: &["price", "单价"],
        },
        FieldSpec {
            key: "unit",
            exact: &["单位", "unit"],
            contains: &[],
        },
    ];

    fn grid(rows: &[&[&str]]) -> Grid {
        Grid::new(
            "S".into(),
            0,
            0,
            rows.iter()
                .map(|r| {
                    r.iter()
                        .map(|s| {
                            if s.is_empty() {
                                Cell::Empty
                            } else {
                                Cell::Text(s.to_string())
                            }
                        })
                        .collect()
                })
                .collect(),
        )
    }

    #[test]
    fn names_are_normalised() {
        assert!(
            is_plain_number(" 12.50 ")
                && is_plain_number("1,200")
                && is_plain_number("13800138000")
        );
        assert!(
            !is_plain_number("单价")
                && !is_plain_number("-")
                && !is_plain_number("2026-01-01 08:00")
        );
        assert_eq!(normalize_header(" 单价（含税） "), "单价");
        assert_eq!(normalize_header("收货地址 "), "收货地址");
        assert_eq!(normalize_header("Unit Price (USD)"), "unitprice");
        assert_eq!(normalize_header("电话："), "电话");
    }

    #[test]
    fn header_below_title_rows_and_stacked_tables() {
        let g = grid(&[
            &["某某公司报价单", "", ""],
            &["品名", "单位", "单价"],
            &["绿茶", "盒", "12"],
            &["", "", ""],
            &["商品名称", "单价（含税）", "加采购费用后单价"],
            &["红茶", "15", "16"],
        ]);
        let t = detect(&g, SPECS, &["name", "price"]);
        assert_eq!(t.len(), 2);
        assert_eq!(
            (t[0].header_row, t[0].data_start, t[0].data_end),
            (Some(1), 2, 4)
        );
        assert_eq!(t[0].columns["price"], vec![2]);
        assert_eq!(t[1].columns["name"], vec![0]);
        // The exact `单价（含税）` wins; `加采购费用后单价` is not taken as a second price.
        assert_eq!(t[1].columns["price"], vec![1]);
    }

    #[test]
    fn two_row_header_is_joined() {
        let g = grid(&[
            &["Product", "With Zipper", ""],
            &["", "Retail Price", "Bulk Price"],
            &["Tote", "60/pc", "40/pc"],
        ]);
        let t = detect(&g, SPECS, &["name", "price"]);
        assert_eq!(t.len(), 1);
        assert_eq!(t[0].data_start, 2);
        assert_eq!(t[0].columns["price"], vec![1, 2]);
    }

    #[test]
    fn mapping_by_header_text_and_letters() {
        let g = grid(&[
            &["SL No", "Medicines", "UNIT", "PRICE"],
            &["1", "Abhayarishtam", "450ml", "59"],
        ]);
        assert!(detect(&g, SPECS, &["name", "price"]).is_empty());
        let mut m = Mapping::default();
        m.add_arg("f", "name=Medicines", SPECS).expect("arg");
        let t = resolve(&g, "f", &m, SPECS, &["name", "price"]).expect("resolve");
        assert_eq!(t[0].columns["name"], vec![1]);
        assert_eq!(t[0].columns["price"], vec![3]);
        assert_eq!(t[0].columns["unit"], vec![2]);
        let mut m = Mapping::default();
        m.add_arg("f", "name=B", SPECS).expect("arg");
        m.add_arg("f", "price=D", SPECS).expect("arg");
        m.header_row = Some(1);
        let t = resolve(&g, "f", &m, SPECS, &["name", "price"]).expect("resolve");
        assert_eq!(
            (t[0].data_start, t[0].columns["price"].clone()),
            (1, vec![3])
        );
        assert!(m.add_arg("f", "colour=B", SPECS).is_err());
        let mut m = Mapping::default();
        m.add_arg("f", "name=Nope", SPECS).expect("arg");
        assert!(matches!(
            resolve(&g, "f", &m, SPECS, &["name"]),
            Err(ImportError::NoSuchColumn { .. })
        ));
    }
}
