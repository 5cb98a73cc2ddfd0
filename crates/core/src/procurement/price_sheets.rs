//! Supplier price-sheet import (报价单导入): the purchasing clerk's most frequent task.
//!
//! [`analyze`] reads the file (any sheet, any header position, stacked tables, two-row headers, side-by-side
//! blocks), maps columns (given by the user, saved for the supplier, or detected by their names), and classifies
//! every row: an item (maybe with warnings), a row that is not an item (category, subtotal, repeated header, note),
//! or an error naming sheet, row and column. [`import`] then writes the good rows in one transaction: supplier
//! items (matched to our SKUs by code, barcode or name for the clerk to confirm) and their price history, where a
//! price that did not change is not stored again, so re-importing the same file is safe.

use super::ProcurementError;
use crate::Shopdesk;
use crate::audit::{self, Action};
use crate::auth::{Actor, Permission};
use crate::barcode::Barcode;
use crate::entities::{price_imports, products, supplier_items, supplier_prices, suppliers};
use crate::imports::header::{self, ColumnRef, FieldSpec, Mapping, Table};
use crate::imports::rejects::{self, RejectedRow};
use crate::imports::values::{self, cell_text, parse_amount, parse_date, parse_whole};
use crate::imports::{Cell, Control, FileKind, Grid, Issue, TextEncoding, Workbook, column_letter};
use crate::money::{Currency, UnitPrice};
use chrono::NaiveDate;
use rust_decimal::RoundingStrategy;
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QueryOrder, Set,
};
use serde::{Deserialize, Serialize};
use std::collections::{BTreeMap, HashMap, HashSet};
use std::path::Path;
use ts_rs::TS;

/// The fields of a price sheet and the header names they go by (Chinese and English, as offices write them).
pub const FIELDS: &[FieldSpec] = &[
    FieldSpec {
        key: "sku",
        exact: &["sku", "我方编码", "本公司编码", "our sku", "内部编码"],
        contains: &[],
    },
    FieldSpec {
        key: "supplier_sku",
        exact: &[
            "料号",
            "货号",
            "物料编码",
            "物料编号",
            "产品编号",
            "产品编码",
            "商品编码",
            "商品编号",
            "编码",
            "型号编码",
            "item no",
            "item no.",
            "item code",
            "part no",
            "part no.",
            "part number",
            "code",
            "supplier sku",
            "article no",
            "ref",
        ],
        contains: &[],
    },
    FieldSpec {
        key: "name",
        exact: &[
            "品名",
            "商品名称",
            "名称",
            "产品名称",
            "品名/规格",
            "品名规格",
            "货品名称",
            "物料名称",
            "商品",
            "产品",
            "品名及规格",
            "product",
            "product name",
            "item",
            "item name",
            "description",
            "name",
            "goods",
            "article",
        ],
        contains: &["品名", "product name", "item name"],
    },
    FieldSpec {
        key: "spec",
        exact: &[
            "规格",
            "型号",
            "规格型号",
            "规格/型号",
            "size",
            "specification",
            "spec",
            "model",
            "尺寸",
        ],
        contains: &[],
    },
    FieldSpec {
        key: "unit",
        exact: &["单位", "计量单位", "unit", "uom", "units"],
        contains: &[],
    },
    FieldSpec {
        key: "price",
        exact: &[
            "单价",
            "价格",
            "含税单价",
            "不含税单价",
            "报价",
            "含税",
            "不含税",
            "含税价",
            "不含税价",
            "采购价",
            "进价",
            "单价(元)",
            "price",
            "unit price",
            "cost",
            "unit cost",
            "rate",
        ],
        contains: &["price", "单价", "价格"],
    },
    FieldSpec {
        key: "currency",
        exact: &["币种", "币别", "货币", "currency"],
        contains: &[],
    },
    FieldSpec {
        key: "moq",
        exact: &[
            "起订量",
            "最小起订量",
            "最小订货量",
            "起订",
            "moq",
            "min order",
            "min. order",
            "minimum order",
        ],
        contains: &["起订"],
    },
    FieldSpec {
        key: "lead_time_days",
        exact: &[
            "交期",
            "交货期",
            "货期",
            "交期(天)",
            "lead time",
            "leadtime",
            "lead time (days)",
            "delivery days",
        ],
        contains: &["交期", "lead time"],
    },
    FieldSpec {
        key: "barcode",
        exact: &[
            "条码",
            "条形码",
            "商品条码",
            "barcode",
            "ean",
            "upc",
            "gtin",
            "69码",
        ],
        contains: &[],
    },
    FieldSpec {
        key: "category",
        exact: &["类别", "分类", "类型", "品类", "category"],
        contains: &[],
    },
    FieldSpec {
        key: "valid_from",
        exact: &[
            "日期",
            "报价日期",
            "生效日期",
            "date",
            "valid from",
            "effective date",
        ],
        contains: &[],
    },
    FieldSpec {
        key: "note",
        exact: &["备注", "说明", "note", "notes", "remark", "remarks"],
        contains: &[],
    },
];

/// Without a name and a price a row is not an item.
pub const REQUIRED: &[&str] = &["name", "price"];
/// The kind under which a supplier's mapping is saved in `import_mappings`.
pub const MAPPING_KIND: &str = "supplier_sheet";
/// Rows returned for the wizard's preview.
pub const PREVIEW_ROWS: usize = 200;

/// What the user chose in the wizard or on the command line.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(default)]
pub struct PriceSheetOptions {
    /// One sheet; `None` imports every sheet that has a header.
    pub sheet: Option<String>,
    /// Empty: the supplier's saved mapping, else the detected header.
    pub mapping: Mapping,
    pub encoding: TextEncoding,
    pub dry_run: bool,
    /// Prices without a date column are valid from this day (default: today).
    #[ts(type = "string | null")]
    pub valid_from: Option<NaiveDate>,
    /// Currency of prices that do not say (default: the company's).
    pub currency: Option<String>,
    /// Remember this mapping for the supplier (the wizard asks; the CLI saves a given `--column` mapping).
    pub save_mapping: bool,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
pub enum RowStatus {
    /// An item, as it will be stored.
    Ok,
    /// An item stored with a problem noted.
    Warning,
    /// Not stored: fix the cell named in the issue.
    Error,
    /// Not an item (category, subtotal, repeated header, note).
    Skipped,
    /// The same item again later in the file, which wins.
    Superseded,
}

/// One row as it will be stored (the wizard's preview, and the CLI's `rows` with `--rows`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct PreviewRow {
    pub sheet: String,
    #[ts(type = "number")]
    pub row: u64,
    /// Side-by-side block, 0 for the first.
    pub block: u32,
    pub status: RowStatus,
    pub sku: String,
    pub supplier_sku: String,
    pub name: String,
    pub spec: String,
    pub unit: String,
    pub barcode: String,
    pub category: String,
    /// Decimal text, up to 4 places.
    pub price: Option<String>,
    pub currency: String,
    pub price_unit: String,
    #[ts(type = "number | null")]
    pub moq: Option<i64>,
    pub lead_time_days: Option<i32>,
    #[ts(type = "string | null")]
    pub valid_from: Option<NaiveDate>,
    pub issues: Vec<Issue>,
}

/// A mapped column as detected or given.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct ColumnInfo {
    pub letter: String,
    pub header: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct TableInfo {
    /// 1-based header row; `None` when every row is data.
    #[ts(type = "number | null")]
    pub header_row: Option<u64>,
    #[ts(type = "number")]
    pub first_data_row: u64,
    #[ts(type = "number")]
    pub last_data_row: u64,
    pub blocks: u32,
    pub columns: BTreeMap<String, Vec<ColumnInfo>>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct SheetInfo {
    pub name: String,
    pub tables: Vec<TableInfo>,
    /// Why nothing was read from this sheet, when nothing was.
    pub note: Option<Issue>,
}

/// Where the mapping came from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
pub enum MappingSource {
    Given,
    Saved,
    Detected,
}

/// The outcome of an import or a dry run. Counts are of rows (a row with two side-by-side blocks counts twice).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct PriceImportSummary {
    pub file: String,
    pub file_hash: String,
    pub file_kind: FileKind,
    pub encoding: Option<TextEncoding>,
    pub supplier_code: String,
    pub sheet_names: Vec<String>,
    pub sheets: Vec<SheetInfo>,
    pub mapping_source: MappingSource,
    pub dry_run: bool,
    #[ts(type = "number | null")]
    pub import_id: Option<i64>,
    /// An earlier import of the same file for this supplier: then only changes are stored.
    #[ts(type = "number | null")]
    pub previous_import_id: Option<i64>,
    #[ts(type = "number")]
    pub rows_read: u64,
    #[ts(type = "number")]
    pub items_imported: u64,
    #[ts(type = "number")]
    pub rows_skipped: u64,
    #[ts(type = "number")]
    pub rows_failed: u64,
    #[ts(type = "number")]
    pub rows_superseded: u64,
    #[ts(type = "number")]
    pub items_created: u64,
    #[ts(type = "number")]
    pub prices_new: u64,
    #[ts(type = "number")]
    pub prices_changed: u64,
    #[ts(type = "number")]
    pub prices_unchanged: u64,
    /// Items matched to one of our SKUs by barcode or name, waiting for the clerk to confirm.
    #[ts(type = "number")]
    pub matches_suggested: u64,
    pub errors: Vec<Issue>,
    pub warnings: Vec<Issue>,
    pub skipped: Vec<Issue>,
    /// The first rows as they will be stored.
    pub preview: Vec<PreviewRow>,
}

/// A parsed row with what the writer needs beyond the preview.
#[derive(Debug, Clone)]
struct Parsed {
    view: PreviewRow,
    price: i64,
    key: String,
    row_hash: String,
}

impl Parsed {
    /// A row that is not stored (skipped or failed): nothing for the writer.
    fn unstored(view: PreviewRow) -> Self {
        Self {
            view,
            price: 0,
            key: String::new(),
            row_hash: String::new(),
        }
    }
}

/// Everything read from the file, before the database is touched.
pub struct Analysis {
    pub summary: PriceImportSummary,
    rows: Vec<Parsed>,
    rejected: Vec<RejectedRow>,
    reject_header: Vec<String>,
    mapping_to_save: Option<Mapping>,
}

impl std::fmt::Debug for Analysis {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Analysis")
            .field("summary", &self.summary)
            .finish_non_exhaustive()
    }
}

// ---------------------------------------------------------------------------------------------------------------
// Messages: the CLI prints them in the acting user's language; the UI translates `code` itself.

fn msg(lang: &str, code: &str, p: &BTreeMap<String, String>) -> String {
    let g = |k: &str| p.get(k).cloned().unwrap_or_default();
    let zh = lang.starts_with("zh");
    match (code, zh) {
        ("name_missing", true) => "缺少品名：此行有单价但没有品名".into(),
        ("name_missing", false) => "the name is missing (the row has a price but no name)".into(),
        ("price_missing", true) => "缺少单价：应为数字，例如 12.50".into(),
        ("price_missing", false) => "the price is missing: expected a number such as 12.50".into(),
        ("price_range", true) => {
            format!("“{}”是价格区间，不是单一价格：请填写一个数字", g("value"))
        }
        ("price_range", false) => format!(
            "`{}` is a price range, not one price: expected one number",
            g("value")
        ),
        ("price_negative", true) => format!("单价“{}”为负数", g("value")),
        ("price_negative", false) => format!("the price `{}` is negative", g("value")),
        ("price_not_a_number", true) => format!(
            "单价“{}”不是数字：应为数字，可带币种和单位，例如 12.50、￥12.50、9.3美金、60/pc",
            g("value")
        ),
        ("price_not_a_number", false) => format!(
            "the price `{}` is not a number: expected a number, optionally with currency and unit, e.g. 12.50, ￥12.50, 9.3 USD, 60/pc",
            g("value")
        ),
        ("cell_error", true) => format!("单元格是错误值（{}）", g("value")),
        ("cell_error", false) => format!("the cell holds an error ({})", g("value")),
        ("price_out_of_range", true) => format!("单价“{}”超出范围", g("value")),
        ("price_out_of_range", false) => format!("the price `{}` is out of range", g("value")),
        ("price_rounded", true) => format!(
            "单价 {} 超过 4 位小数，已四舍五入为 {}",
            g("value"),
            g("rounded")
        ),
        ("price_rounded", false) => format!(
            "the price {} has more than 4 decimals; rounded to {}",
            g("value"),
            g("rounded")
        ),
        ("price_zero", true) => "单价为 0".into(),
        ("price_zero", false) => "the price is 0".into(),
        ("other_prices", true) => format!(
            "此行还有其他价格列（{}），已取 {} 列的价格",
            g("others"),
            g("used")
        ),
        ("other_prices", false) => format!(
            "other price columns hold values too ({}); the price in column {} was used",
            g("others"),
            g("used")
        ),
        ("barcode_invalid", true) => format!(
            "条码“{}”无效（{}），已作为供应商文本保留，不用于匹配",
            g("value"),
            g("reason")
        ),
        ("barcode_invalid", false) => format!(
            "the barcode `{}` is not valid ({}); kept as the supplier's text, not used for matching",
            g("value"),
            g("reason")
        ),
        ("moq_invalid", true) => format!("起订量“{}”不是整数，已忽略", g("value")),
        ("moq_invalid", false) => format!(
            "the minimum order quantity `{}` is not a whole number; ignored",
            g("value")
        ),
        ("lead_time_invalid", true) => format!("交期“{}”不是天数，已忽略", g("value")),
        ("lead_time_invalid", false) => format!(
            "the lead time `{}` is not a number of days; ignored",
            g("value")
        ),
        ("date_invalid", true) => {
            format!("日期“{}”无法识别：应为 2024-03-22 这样的日期", g("value"))
        }
        ("date_invalid", false) => format!(
            "the date `{}` is not a date: expected e.g. 2024-03-22",
            g("value")
        ),
        ("currency_invalid", true) => format!(
            "币种“{}”无法识别：应为 CNY、USD 或 人民币、美元 等",
            g("value")
        ),
        ("currency_invalid", false) => format!(
            "the currency `{}` is unknown: expected e.g. CNY, USD",
            g("value")
        ),
        ("too_long", true) => format!("{}过长：最多 {} 个字符", g("field"), g("max")),
        ("too_long", false) => format!(
            "{} is too long: at most {} characters",
            g("field"),
            g("max")
        ),
        ("duplicate_item", true) => format!(
            "与第 {} 行是同一商品同一日期，以第 {} 行为准",
            g("later_row"),
            g("later_row")
        ),
        ("duplicate_item", false) => format!(
            "the same item (and date) appears again in row {}, which wins",
            g("later_row")
        ),
        ("sku_unknown", true) => format!("我方编码“{}”不存在，未关联商品", g("value")),
        ("sku_unknown", false) => format!(
            "our SKU `{}` does not exist; the item is not linked",
            g("value")
        ),
        ("category", true) => format!("分类行：{}", g("value")),
        ("category", false) => format!("category row: {}", g("value")),
        ("subtotal", true) => format!("小计/合计行，不是商品：{}", g("value")),
        ("subtotal", false) => format!("subtotal/total row, not an item: {}", g("value")),
        ("header_repeat", true) => "重复的表头行".into(),
        ("header_repeat", false) => "a repeated header row".into(),
        ("form_row", true) => format!("表单或签字栏（“{}”），不是商品", g("value")),
        ("form_row", false) => format!("a form or signature line (`{}`), not an item", g("value")),
        ("note_row", true) => format!("说明文字：{}", g("value")),
        ("note_row", false) => format!("a note: {}", g("value")),
        ("sub_header", true) => "分段表头：以下各行按此行重新对应列".into(),
        ("sub_header", false) => {
            "a section header: the rows below are read with its columns".into()
        }
        ("spec_is_price", true) => format!("规格“{}”看起来是价格：请检查列的对应关系", g("value")),
        ("spec_is_price", false) => format!(
            "the spec `{}` looks like a price: check the column mapping",
            g("value")
        ),
        ("not_item", true) => "不是商品行（没有品名和单价）".into(),
        ("not_item", false) => "not an item (no name and no price)".into(),
        ("no_header", true) => format!(
            "工作表“{}”中未找到表头（需要品名和单价两列{}）",
            g("sheet"),
            g("hint")
        ),
        ("no_header", false) => format!(
            "no header found in sheet `{}` (a name and a price column are needed{})",
            g("sheet"),
            g("hint")
        ),
        ("blocks_mismatch", true) => format!(
            "{} 有 {} 列，但品名有 {} 列：并排区块的每个字段应有相同列数",
            g("field"),
            g("count"),
            g("blocks")
        ),
        ("blocks_mismatch", false) => format!(
            "{} has {} columns but name has {}: each field of side-by-side blocks needs as many columns",
            g("field"),
            g("count"),
            g("blocks")
        ),
        ("mapping_not_found", true) => format!(
            "已保存的列映射与此文件不符（{}），改用自动识别的表头",
            g("reason")
        ),
        ("mapping_not_found", false) => format!(
            "the saved column mapping does not fit this file ({}); the detected header was used",
            g("reason")
        ),
        (other, _) => other.to_string(),
    }
}

fn issue(
    lang: &str,
    sheet: &str,
    row: u64,
    col: Option<u32>,
    code: &str,
    params: &[(&str, String)],
) -> Issue {
    Issue::at(sheet, row, col, code, params, lang, msg)
}

fn field_label(lang: &str, field: &str) -> String {
    if !lang.starts_with("zh") {
        return field.to_string();
    }
    match field {
        "sku" => "我方编码",
        "supplier_sku" => "供应商货号",
        "name" => "品名",
        "spec" => "规格",
        "unit" => "单位",
        "price" => "单价",
        "currency" => "币种",
        "moq" => "起订量",
        "lead_time_days" => "交期",
        "barcode" => "条码",
        "category" => "分类",
        "valid_from" => "日期",
        "note" => "备注",
        f => f,
    }
    .to_string()
}

// ---------------------------------------------------------------------------------------------------------------
// Reading and classifying rows.

const SUBTOTAL_ZH: &[&str] = &["小计", "合计", "总计", "共计", "总额"];

fn is_subtotal_text(t: &str) -> bool {
    // Cheap test first: almost every cell is neither.
    let zh = t.contains('计') || t.contains('额');
    let head: String = t
        .trim_start()
        .chars()
        .take(3)
        .flat_map(char::to_lowercase)
        .collect();
    if !zh && !matches!(head.as_str(), "tot" | "sub" | "gra" | "sum") {
        return false;
    }
    let n = header::normalize_header(t);
    if SUBTOTAL_ZH.iter().any(|k| n.contains(k)) {
        return true;
    }
    ["total", "subtotal", "sub-total", "grandtotal", "sum"]
        .iter()
        .any(|k| {
            n == *k
                || n.starts_with(&format!("{k}:"))
                || (n.starts_with(k) && *k != "sum" && n.len() <= 16)
        })
}

/// `甲方:`, `负责人：`, `Date:`: a short label ending in a colon.
fn is_form_label(t: &str) -> bool {
    let t = t.trim();
    (t.ends_with(':') || t.ends_with('：')) && t.chars().count() <= 12
}

/// The columns of one side-by-side block: a field with one column per block, one column shared by all blocks,
/// or (with one block) several alternative columns of which the first filled one counts.
type BlockCols = BTreeMap<String, Vec<u32>>;

fn split_blocks(t: &Table) -> Result<Vec<BlockCols>, (String, usize, usize)> {
    let n = t.columns.get("name").map(Vec::len).unwrap_or(0).max(1);
    let mut blocks = vec![BlockCols::new(); n];
    for (field, cols) in &t.columns {
        if cols.len() == n {
            for (i, c) in cols.iter().enumerate() {
                blocks[i].insert(field.clone(), vec![*c]);
            }
        } else if cols.len() == 1 {
            for b in &mut blocks {
                b.insert(field.clone(), cols.clone());
            }
        } else if n == 1 {
            blocks[0].insert(field.clone(), cols.clone());
        } else {
            return Err((field.clone(), cols.len(), n));
        }
    }
    Ok(blocks)
}

struct Ctx<'a> {
    lang: &'a str,
    default_currency: Currency,
    default_date: NaiveDate,
}

fn first_col(b: &BlockCols, field: &str) -> Option<u32> {
    b.get(field).and_then(|v| v.first().copied())
}

fn text_of(grid: &Grid, row: u32, b: &BlockCols, field: &str) -> String {
    first_col(b, field)
        .map(|c| cell_text(grid.cell(row, c)))
        .unwrap_or_default()
}

/// `name:绿茶|250g|盒` or `sku:a-100`: what makes two rows the same supplier item.
fn item_key(supplier_sku: &str, name: &str, spec: &str, unit: &str) -> String {
    let norm = |s: &str| {
        s.split_whitespace()
            .collect::<Vec<_>>()
            .join(" ")
            .to_lowercase()
    };
    let k = if supplier_sku.is_empty() {
        format!("name:{}|{}|{}", norm(name), norm(spec), norm(unit))
    } else {
        format!("sku:{}", norm(supplier_sku))
    };
    if k.chars().count() > 250 {
        format!("hash:{}", crate::imports::sha256_hex(k.as_bytes()))
    } else {
        k
    }
}

#[allow(clippy::too_many_arguments)]
fn parse_block_row(
    ctx: &Ctx,
    grid: &Grid,
    row: u32,
    block: u32,
    b: &BlockCols,
    category: &str,
) -> Option<Parsed> {
    let sheet = grid.sheet.as_str();
    let rown = u64::from(row) + 1;
    let lang = ctx.lang;
    // Nothing in this block's columns: not a row of this block at all.
    if b.values().flatten().all(|c| grid.cell(row, *c).is_empty()) {
        return None;
    }
    let mut view = PreviewRow {
        sheet: sheet.to_string(),
        row: rown,
        block,
        status: RowStatus::Ok,
        sku: text_of(grid, row, b, "sku"),
        supplier_sku: text_of(grid, row, b, "supplier_sku"),
        name: text_of(grid, row, b, "name"),
        spec: text_of(grid, row, b, "spec"),
        unit: text_of(grid, row, b, "unit"),
        barcode: text_of(grid, row, b, "barcode"),
        category: {
            let c = text_of(grid, row, b, "category");
            if c.is_empty() {
                category.to_string()
            } else {
                c
            }
        },
        price: None,
        currency: String::new(),
        price_unit: String::new(),
        moq: None,
        lead_time_days: None,
        valid_from: None,
        issues: Vec::new(),
    };
    let skip = |mut v: PreviewRow, code: &str, value: String| {
        v.status = RowStatus::Skipped;
        v.issues
            .push(issue(lang, sheet, rown, None, code, &[("value", value)]));
        Some(Parsed::unstored(v))
    };
    // Subtotal and total rows (小计/合计/月合计/Total) are not items, whatever they hold.
    let texts: Vec<String> = b
        .values()
        .flatten()
        .filter_map(|c| match grid.cell(row, *c) {
            Cell::Text(t) => Some(values::clean_text(t)),
            _ => None,
        })
        .collect();
    if let Some(t) = texts.iter().find(|t| is_subtotal_text(t)) {
        return skip(view, "subtotal", t.clone());
    }
    // Form and signature lines (甲方: / 负责人: / 日期:) are not items.
    if let Some(label) = (grid.first_col..grid.col_end())
        .filter_map(|c| match grid.cell(row, c) {
            Cell::Text(t) => Some(values::clean_text(t)),
            _ => None,
        })
        .find(|t| is_form_label(t))
    {
        return skip(view, "form_row", label);
    }
    // A header repeated inside the data (a second table's header without a name column, or a page header).
    // (A row with a price in its price column is data: the costlier header match is not needed.)
    let any_price = b.get("price").is_some_and(|cols| {
        cols.iter()
            .any(|c| matches!(parse_amount(grid.cell(row, *c)), Ok(Some(_))))
    });
    if !any_price && header::match_row(grid, row, FIELDS).len() >= 2 {
        return skip(view, "header_repeat", String::new());
    }
    // The price: the first filled column of the alternatives.
    let price_cols = b.get("price").cloned().unwrap_or_default();
    let filled: Vec<u32> = price_cols
        .iter()
        .copied()
        .filter(|c| !grid.cell(row, *c).is_empty())
        .collect();
    let price_col = filled.first().copied().or(price_cols.first().copied());
    let amount = price_col.map(|c| parse_amount(grid.cell(row, c)));
    let name_col = first_col(b, "name");
    if view.name.is_empty() {
        return match amount {
            Some(Ok(Some(_))) => {
                view.status = RowStatus::Error;
                view.issues
                    .push(issue(lang, sheet, rown, name_col, "name_missing", &[]));
                Some(Parsed::unstored(view))
            }
            _ => skip(view, "not_item", String::new()),
        };
    }
    let mut errors = Vec::new();
    let mut warnings = Vec::new();
    let mut price = 0i64;
    let mut currency: Option<Currency> = None;
    match amount {
        None | Some(Ok(None)) => {
            errors.push(issue(lang, sheet, rown, price_col, "price_missing", &[]))
        }
        Some(Err(e)) => {
            let value = cell_text(grid.cell(row, price_col.unwrap_or(0)));
            errors.push(issue(
                lang,
                sheet,
                rown,
                price_col,
                e.code(),
                &[("value", value)],
            ));
        }
        Some(Ok(Some(a))) => {
            let rounded = a
                .value
                .round_dp_with_strategy(UnitPrice::SCALE, RoundingStrategy::MidpointAwayFromZero);
            if rounded != a.value {
                warnings.push(issue(
                    lang,
                    sheet,
                    rown,
                    price_col,
                    "price_rounded",
                    &[
                        ("value", a.value.to_string()),
                        ("rounded", rounded.to_string()),
                    ],
                ));
            }
            match UnitPrice::from_decimal_rounded(a.value) {
                Some(p) => {
                    price = p.ten_thousandths();
                    view.price = Some(p.to_string());
                    if price == 0 {
                        warnings.push(issue(lang, sheet, rown, price_col, "price_zero", &[]));
                    }
                }
                None => errors.push(issue(
                    lang,
                    sheet,
                    rown,
                    price_col,
                    "price_out_of_range",
                    &[("value", a.value.to_string())],
                )),
            }
            currency = a.currency;
            view.price_unit = a.unit.unwrap_or_default();
            // Other alternative price columns that hold a different value are reported, not silently dropped.
            let others: Vec<String> = filled
                .iter()
                .skip(1)
                .filter_map(|c| {
                    let other = parse_amount(grid.cell(row, *c)).ok().flatten();
                    (other.as_ref().map(|o| o.value) != Some(a.value))
                        .then(|| format!("{}={}", column_letter(*c), cell_text(grid.cell(row, *c))))
                })
                .collect();
            if !others.is_empty() {
                warnings.push(issue(
                    lang,
                    sheet,
                    rown,
                    price_col,
                    "other_prices",
                    &[
                        ("others", others.join(", ")),
                        ("used", price_col.map(column_letter).unwrap_or_default()),
                    ],
                ));
            }
        }
    }
    // Currency: what the price text said, else the currency column, else the default.
    if currency.is_none()
        && let Some(c) = first_col(b, "currency")
    {
        let t = cell_text(grid.cell(row, c));
        if !t.is_empty() {
            match values::currency_word(&t) {
                Some(cur) => currency = Some(cur),
                None => errors.push(issue(
                    lang,
                    sheet,
                    rown,
                    Some(c),
                    "currency_invalid",
                    &[("value", t)],
                )),
            }
        }
    }
    // A spec such as `120/pc` is a price in the wrong column: report it rather than store a wrong item.
    if let Some(c) = first_col(b, "spec")
        && let Ok(Some(a)) = values::parse_amount_text(&view.spec)
        && (a.unit.is_some() || a.currency.is_some())
    {
        errors.push(issue(
            lang,
            sheet,
            rown,
            Some(c),
            "spec_is_price",
            &[("value", view.spec.clone())],
        ));
    }
    view.currency = currency.unwrap_or(ctx.default_currency).to_string();
    if view.unit.is_empty() && !view.price_unit.is_empty() {
        view.unit = view.price_unit.clone();
    }
    if let Some(c) = first_col(b, "moq") {
        match parse_whole(grid.cell(row, c)) {
            Ok(v) => view.moq = v.filter(|v| *v >= 0),
            Err(value) => warnings.push(issue(
                lang,
                sheet,
                rown,
                Some(c),
                "moq_invalid",
                &[("value", value)],
            )),
        }
    }
    if let Some(c) = first_col(b, "lead_time_days") {
        match parse_whole(grid.cell(row, c)) {
            Ok(v) => {
                view.lead_time_days = v.and_then(|v| i32::try_from(v).ok()).filter(|v| *v >= 0)
            }
            Err(value) => warnings.push(issue(
                lang,
                sheet,
                rown,
                Some(c),
                "lead_time_invalid",
                &[("value", value)],
            )),
        }
    }
    view.valid_from = Some(ctx.default_date);
    if let Some(c) = first_col(b, "valid_from") {
        match parse_date(grid.cell(row, c)) {
            Ok(Some(d)) => view.valid_from = Some(d),
            Ok(None) => {}
            Err(value) => errors.push(issue(
                lang,
                sheet,
                rown,
                Some(c),
                "date_invalid",
                &[("value", value)],
            )),
        }
    }
    if !view.barcode.is_empty()
        && let Err(e) = Barcode::parse(&view.barcode)
    {
        warnings.push(issue(
            lang,
            sheet,
            rown,
            first_col(b, "barcode"),
            "barcode_invalid",
            &[("value", view.barcode.clone()), ("reason", e.to_string())],
        ));
    }
    for (field, value, max) in [
        ("name", &view.name, 255),
        ("spec", &view.spec, 255),
        ("unit", &view.unit, 32),
        ("supplier_sku", &view.supplier_sku, 64),
        ("category", &view.category, 128),
        ("barcode", &view.barcode, 32),
    ] {
        if value.chars().count() > max {
            errors.push(issue(
                lang,
                sheet,
                rown,
                first_col(b, field),
                "too_long",
                &[
                    ("field", field_label(lang, field)),
                    ("max", max.to_string()),
                ],
            ));
        }
    }
    view.status = if !errors.is_empty() {
        RowStatus::Error
    } else if !warnings.is_empty() {
        RowStatus::Warning
    } else {
        RowStatus::Ok
    };
    view.issues = errors.into_iter().chain(warnings).collect();
    let key = item_key(&view.supplier_sku, &view.name, &view.spec, &view.unit);
    let row_hash = crate::imports::sha256_hex(
        format!(
            "{key}\u{1f}{price}\u{1f}{}\u{1f}{}\u{1f}{:?}\u{1f}{:?}\u{1f}{:?}",
            view.currency, view.price_unit, view.moq, view.lead_time_days, view.valid_from
        )
        .as_bytes(),
    );
    Some(Parsed {
        view,
        price,
        key,
        row_hash,
    })
}

fn table_info(t: &Table, blocks: u32) -> TableInfo {
    TableInfo {
        header_row: t.header_row.map(|r| u64::from(r) + 1),
        first_data_row: u64::from(t.data_start) + 1,
        last_data_row: u64::from(t.data_end),
        blocks,
        columns: t
            .columns
            .iter()
            .map(|(k, cols)| {
                (
                    k.clone(),
                    cols.iter()
                        .map(|c| ColumnInfo {
                            letter: column_letter(*c),
                            header: t.header_texts.get(c).cloned().unwrap_or_default(),
                        })
                        .collect(),
                )
            })
            .collect(),
    }
}

/// A row that names columns again (with a price among them) and holds no value: the rows below use its columns.
/// The name column stays; fields whose column it takes over are dropped.
fn sub_header(grid: &Grid, row: u32, current: &BlockCols) -> Option<BlockCols> {
    if header::has_numbers(grid, row) {
        return None;
    }
    let m = header::match_row(grid, row, FIELDS);
    if !m.contains_key("price") {
        return None;
    }
    let any_amount = (grid.first_col..grid.col_end()).any(|c| {
        matches!(grid.cell(row, c), Cell::Text(t) if matches!(values::parse_amount_text(t), Ok(Some(_))))
    });
    if any_amount {
        return None;
    }
    let name_cols = current.get("name").cloned().unwrap_or_default();
    let mut cols = current.clone();
    for (k, v) in m {
        let v: Vec<u32> = v.into_iter().filter(|c| !name_cols.contains(c)).collect();
        if k == "name" || v.is_empty() {
            continue;
        }
        cols.retain(|f, cs| f == "name" || !cs.iter().any(|c| v.contains(c)));
        cols.insert(k.to_string(), v);
    }
    (cols != *current).then_some(cols)
}

/// A "category" row that no item follows (notes under a quotation: 注意事项, 1.付款方式…) is a note.
fn reclassify_notes(rows: &mut [Parsed], lang: &str) {
    let is_cat = |p: &Parsed| p.view.issues.first().is_some_and(|i| i.code == "category");
    for i in 0..rows.len() {
        if !is_cat(&rows[i]) {
            continue;
        }
        let next = rows[i + 1..].iter().find(|p| !is_cat(p));
        let item_follows = next.is_some_and(|p| p.view.status != RowStatus::Skipped);
        if !item_follows {
            let v = &mut rows[i].view;
            let value = v.issues[0].params.get("value").cloned().unwrap_or_default();
            v.issues[0] = issue(lang, &v.sheet, v.row, None, "note_row", &[("value", value)]);
        }
    }
}

/// A row with exactly one filled cell, a text that is not a price, is a category heading (or a note).
fn category_of_row(grid: &Grid, row: u32) -> Option<String> {
    let mut filled = (grid.first_col..grid.col_end()).filter(|c| !grid.cell(row, *c).is_empty());
    let only = filled.next()?;
    if filled.next().is_some() {
        return None;
    }
    match grid.cell(row, only) {
        Cell::Text(t) if !matches!(values::parse_amount_text(t), Ok(Some(_))) => {
            Some(values::clean_text(t))
        }
        _ => None,
    }
}

/// Reads the file and classifies every row; touches the database only to read the supplier's saved mapping.
pub async fn analyze(
    desk: &Shopdesk,
    actor: &Actor,
    path: &Path,
    supplier_code: &str,
    opts: &PriceSheetOptions,
) -> Result<Analysis, ProcurementError> {
    actor.require(Permission::EditSuppliers)?;
    let supplier = find_supplier(desk.db(), supplier_code).await?;
    let saved = crate::imports::mappings::load(desk.db(), MAPPING_KIND, supplier.id).await?;
    let wb = Workbook::open(path, opts.encoding)?;
    let ctx = context(desk, actor, opts)?;
    analyze_workbook(&wb, &supplier.code, opts, saved, &ctx)
}

/// Reads and classifies a file without a supplier (the CLI without `--supplier`): nothing is stored.
pub async fn analyze_only(
    desk: &Shopdesk,
    actor: &Actor,
    path: &Path,
    opts: &PriceSheetOptions,
) -> Result<Analysis, ProcurementError> {
    actor.require(Permission::EditSuppliers)?;
    let wb = Workbook::open(path, opts.encoding)?;
    let ctx = context(desk, actor, opts)?;
    let mut a = analyze_workbook(&wb, "", opts, None, &ctx)?;
    a.summary.dry_run = true;
    Ok(a)
}

fn context<'a>(
    desk: &Shopdesk,
    actor: &'a Actor,
    opts: &PriceSheetOptions,
) -> Result<Ctx<'a>, ProcurementError> {
    let default_currency = match &opts.currency {
        Some(c) => Currency::parse(c).map_err(|_| ProcurementError::Currency(c.clone()))?,
        None => Currency::parse(&desk.company().currency).unwrap_or(Currency::CNY),
    };
    Ok(Ctx {
        lang: &actor.language,
        default_currency,
        default_date: opts.valid_from.unwrap_or_else(|| desk.biz_date(desk.now())),
    })
}

fn analyze_workbook(
    wb: &Workbook,
    supplier_code: &str,
    opts: &PriceSheetOptions,
    saved: Option<Mapping>,
    ctx: &Ctx,
) -> Result<Analysis, ProcurementError> {
    let lang = ctx.lang;
    let sheets: Vec<String> = match &opts.sheet {
        Some(s) => vec![s.clone()],
        None => wb.sheet_names.clone(),
    };
    let (mut mapping, mut source) = if !opts.mapping.is_empty() {
        (opts.mapping.clone(), MappingSource::Given)
    } else if let Some(m) = saved {
        (m, MappingSource::Saved)
    } else {
        (Mapping::default(), MappingSource::Detected)
    };
    let mut summary = PriceImportSummary {
        file: wb.file_name.clone(),
        file_hash: wb.hash.clone(),
        file_kind: wb.kind,
        encoding: wb.encoding,
        supplier_code: supplier_code.to_string(),
        sheet_names: wb.sheet_names.clone(),
        sheets: Vec::new(),
        mapping_source: source,
        dry_run: opts.dry_run,
        import_id: None,
        previous_import_id: None,
        rows_read: 0,
        items_imported: 0,
        rows_skipped: 0,
        rows_failed: 0,
        rows_superseded: 0,
        items_created: 0,
        prices_new: 0,
        prices_changed: 0,
        prices_unchanged: 0,
        matches_suggested: 0,
        errors: Vec::new(),
        warnings: Vec::new(),
        skipped: Vec::new(),
        preview: Vec::new(),
    };
    let mut rows: Vec<Parsed> = Vec::new();
    let mut grids: HashMap<String, Grid> = HashMap::new();
    let mut reject_header: Vec<String> = Vec::new();
    let mut first_table: Option<Table> = None;
    for name in &sheets {
        let t0 = std::time::Instant::now();
        let grid = wb.sheet(name)?;
        tracing::debug!(sheet = %name, rows = grid.rows.len(), ms = t0.elapsed().as_millis() as u64, "sheet read");
        let mut tables = match header::resolve(&grid, &wb.file_name, &mapping, FIELDS, REQUIRED) {
            Ok(t) => t,
            Err(e) if source == MappingSource::Saved => {
                // A saved mapping that does not fit this file falls back to detection, and says so.
                summary.warnings.push(issue(
                    lang,
                    name,
                    0,
                    None,
                    "mapping_not_found",
                    &[("reason", e.to_string())],
                ));
                source = MappingSource::Detected;
                summary.mapping_source = source;
                mapping = Mapping::default();
                header::detect(&grid, FIELDS, REQUIRED)
            }
            Err(e) => return Err(e.into()),
        };
        tables.retain(|t| REQUIRED.iter().all(|k| t.columns.contains_key(*k)));
        if tables.is_empty() {
            if grid.rows.iter().all(|r| r.iter().all(Cell::is_empty)) {
                continue; // An empty sheet (Sheet2, Sheet3) is not worth a word.
            }
            let hint = match header::best_candidate(&grid, FIELDS) {
                Some((r, fields)) => {
                    if lang.starts_with("zh") {
                        format!(
                            "；最接近的是第 {} 行，只识别出 {}，可手动指定列",
                            r + 1,
                            fields
                                .iter()
                                .map(|f| field_label(lang, f))
                                .collect::<Vec<_>>()
                                .join("、")
                        )
                    } else {
                        format!(
                            "; closest is row {} with only {}: map the columns by hand",
                            r + 1,
                            fields.join(", ")
                        )
                    }
                }
                None => String::new(),
            };
            let note = issue(
                lang,
                name,
                0,
                None,
                "no_header",
                &[("sheet", name.clone()), ("hint", hint)],
            );
            summary.warnings.push(note.clone());
            summary.sheets.push(SheetInfo {
                name: name.clone(),
                tables: Vec::new(),
                note: Some(note),
            });
            continue;
        }
        if first_table.is_none() {
            first_table = tables.first().cloned();
        }
        let mut infos = Vec::new();
        for t in &tables {
            let blocks = match split_blocks(t) {
                Ok(b) => b,
                Err((field, count, n)) => {
                    let note = issue(
                        lang,
                        name,
                        t.header_row.map(|r| u64::from(r) + 1).unwrap_or(0),
                        None,
                        "blocks_mismatch",
                        &[
                            ("field", field),
                            ("count", count.to_string()),
                            ("blocks", n.to_string()),
                        ],
                    );
                    summary.errors.push(note);
                    continue;
                }
            };
            infos.push(table_info(t, blocks.len() as u32));
            if reject_header.is_empty()
                && let Some(h) = t.header_row
            {
                reject_header = (grid.first_col..grid.col_end())
                    .map(|c| cell_text(grid.cell(h, c)))
                    .collect();
            }
            let mut blocks = blocks;
            let mut category = String::new();
            let table_first = rows.len();
            for r in t.data_start..t.data_end {
                if grid.row_is_empty(r) {
                    continue;
                }
                if blocks.len() == 1
                    && let Some(cols) = sub_header(&grid, r, &blocks[0])
                {
                    // A section header inside the table (other price columns below): read on with its columns.
                    blocks[0] = cols;
                    let rown = u64::from(r) + 1;
                    let mut v = empty_view(name, rown);
                    v.issues
                        .push(issue(lang, name, rown, None, "sub_header", &[]));
                    rows.push(Parsed::unstored(v));
                    continue;
                }
                if let Some(cat) = category_of_row(&grid, r) {
                    let rown = u64::from(r) + 1;
                    let mut v = empty_view(name, rown);
                    v.status = RowStatus::Skipped;
                    v.issues.push(issue(
                        lang,
                        name,
                        rown,
                        None,
                        "category",
                        &[("value", cat.clone())],
                    ));
                    rows.push(Parsed::unstored(v));
                    category = cat;
                    continue;
                }
                for (i, b) in blocks.iter().enumerate() {
                    if let Some(p) = parse_block_row(ctx, &grid, r, i as u32, b, &category) {
                        rows.push(p);
                    }
                }
            }
            reclassify_notes(&mut rows[table_first..], lang);
        }
        summary.sheets.push(SheetInfo {
            name: name.clone(),
            tables: infos,
            note: None,
        });
        grids.insert(name.clone(), grid);
    }
    tracing::debug!(rows = rows.len(), "rows classified");
    // The same item on the same date twice: the later row wins, the earlier is reported.
    let mut last: HashMap<(String, Option<NaiveDate>), usize> = HashMap::new();
    for i in 0..rows.len() {
        if !matches!(rows[i].view.status, RowStatus::Ok | RowStatus::Warning) {
            continue;
        }
        let later = rows[i].view.row;
        if let Some(prev) = last.insert((rows[i].key.clone(), rows[i].view.valid_from), i) {
            let v = &mut rows[prev].view;
            v.status = RowStatus::Superseded;
            let iss = issue(
                lang,
                &v.sheet,
                v.row,
                None,
                "duplicate_item",
                &[("later_row", later.to_string())],
            );
            v.issues.push(iss);
        }
    }
    let mut rejected = Vec::new();
    for p in &rows {
        summary.rows_read += 1;
        match p.view.status {
            RowStatus::Ok => summary.items_imported += 1,
            RowStatus::Warning => {
                summary.items_imported += 1;
                summary.warnings.extend(p.view.issues.iter().cloned());
            }
            RowStatus::Error => {
                summary.rows_failed += 1;
                summary.errors.extend(p.view.issues.iter().cloned());
                if let Some(g) = grids.get(&p.view.sheet) {
                    let r = (p.view.row - 1) as u32;
                    rejected.push(RejectedRow {
                        sheet: p.view.sheet.clone(),
                        row: p.view.row,
                        cells: (g.first_col..g.col_end())
                            .map(|c| cell_text(g.cell(r, c)))
                            .collect(),
                        problems: p
                            .view
                            .issues
                            .iter()
                            .map(|i| {
                                if i.column.is_empty() {
                                    i.message.clone()
                                } else {
                                    format!("{}: {}", i.column, i.message)
                                }
                            })
                            .collect(),
                    });
                }
            }
            RowStatus::Skipped => {
                summary.rows_skipped += 1;
                summary.skipped.extend(p.view.issues.iter().cloned());
            }
            RowStatus::Superseded => {
                summary.rows_superseded += 1;
                summary.warnings.extend(p.view.issues.iter().cloned());
            }
        }
    }
    summary.preview = rows
        .iter()
        .take(PREVIEW_ROWS)
        .map(|p| p.view.clone())
        .collect();
    let mapping_to_save = (source == MappingSource::Given && opts.save_mapping)
        .then(|| portable_mapping(&mapping, first_table.as_ref()));
    Ok(Analysis {
        summary,
        rows,
        rejected,
        reject_header,
        mapping_to_save,
    })
}

/// The mapping as it is saved for the next file: columns named by their header text where the sheet has one,
/// so that a file with another layout does not match by letter by accident (it falls back to detection).
fn portable_mapping(given: &Mapping, table: Option<&Table>) -> Mapping {
    let Some(t) = table.filter(|t| t.header_row.is_some()) else {
        return given.clone();
    };
    let mut out = Mapping::default();
    let mut all_named = true;
    for (field, cols) in &t.columns {
        let Some(refs) = given.fields.get(field) else {
            continue;
        };
        let named: Vec<ColumnRef> = cols
            .iter()
            .zip(refs)
            .map(
                |(c, r)| match t.header_texts.get(c).filter(|h| !h.trim().is_empty()) {
                    Some(h) => ColumnRef::Header(h.clone()),
                    None => {
                        all_named = false;
                        r.clone()
                    }
                },
            )
            .collect();
        out.fields.insert(field.clone(), named);
    }
    if !all_named {
        out.header_row = given.header_row;
    }
    out
}

fn empty_view(sheet: &str, row: u64) -> PreviewRow {
    PreviewRow {
        sheet: sheet.to_string(),
        row,
        block: 0,
        status: RowStatus::Skipped,
        sku: String::new(),
        supplier_sku: String::new(),
        name: String::new(),
        spec: String::new(),
        unit: String::new(),
        barcode: String::new(),
        category: String::new(),
        price: None,
        currency: String::new(),
        price_unit: String::new(),
        moq: None,
        lead_time_days: None,
        valid_from: None,
        issues: Vec::new(),
    }
}

impl Analysis {
    /// Every row (not only the preview), for the CLI's `--rows` and tests.
    pub fn all_rows(&self) -> Vec<PreviewRow> {
        self.rows.iter().map(|p| p.view.clone()).collect()
    }

    /// Writes the rows that failed, with their problems, to an .xlsx to fix and import again.
    pub fn write_rejects(&self, path: &Path, lang: &str) -> Result<usize, ProcurementError> {
        rejects::write(
            path,
            &self.reject_header,
            &self.rejected,
            rejects::labels(lang),
        )
        .map_err(|e| ProcurementError::Write {
            path: path.display().to_string(),
            reason: e.to_string(),
        })?;
        Ok(self.rejected.len())
    }
}

// ---------------------------------------------------------------------------------------------------------------
// Writing.

pub(crate) async fn find_supplier(
    conn: &impl ConnectionTrait,
    code: &str,
) -> Result<suppliers::Model, ProcurementError> {
    suppliers::Entity::find()
        .filter(suppliers::Column::Code.eq(code.trim()))
        .one(conn)
        .await?
        .ok_or_else(|| ProcurementError::NoSuchSupplier(code.to_string()))
}

/// An existing price as the plan reads it: item, valid from, price, currency, unit, MOQ, lead time, row hash.
type PriceRow = (
    i64,
    NaiveDate,
    i64,
    String,
    String,
    Option<i64>,
    Option<i32>,
    String,
);

/// The price in effect: what makes a price row "the same" as an earlier one.
type PriceTerms = (i64, String, String, Option<i64>, Option<i32>);

fn terms_of(p: &Parsed) -> PriceTerms {
    (
        p.price,
        p.view.currency.clone(),
        p.view.price_unit.clone(),
        p.view.moq,
        p.view.lead_time_days,
    )
}

/// The columns of an existing supplier item the import compares (read without the timestamps: fast).
#[derive(Debug, Clone)]
struct ItemRow {
    id: i64,
    name: String,
    spec: String,
    unit: String,
    category: String,
    barcode: String,
}

async fn load_items(
    conn: &impl ConnectionTrait,
    supplier_id: i64,
) -> Result<HashMap<String, ItemRow>, sea_orm::DbErr> {
    use sea_orm::QuerySelect;
    use supplier_items::Column as C;
    let rows: Vec<(i64, String, String, String, String, String, String)> =
        supplier_items::Entity::find()
            .select_only()
            .columns([
                C::Id,
                C::ItemKey,
                C::Name,
                C::Spec,
                C::Unit,
                C::Category,
                C::Barcode,
            ])
            .filter(C::SupplierId.eq(supplier_id))
            .into_tuple()
            .all(conn)
            .await?;
    Ok(rows
        .into_iter()
        .map(|(id, key, name, spec, unit, category, barcode)| {
            (
                key,
                ItemRow {
                    id,
                    name,
                    spec,
                    unit,
                    category,
                    barcode,
                },
            )
        })
        .collect())
}

/// What a write will do, computed inside the transaction (or on the plain connection for a dry run).
struct Plan {
    item_ids: HashMap<String, ItemRow>,
    /// Indexes into `Analysis::rows`.
    new_items: Vec<usize>,
    matches: HashMap<String, (i64, &'static str)>,
    to_insert: Vec<usize>,
}

async fn plan(
    conn: &impl ConnectionTrait,
    supplier_id: i64,
    a: &mut Analysis,
    lang: &str,
) -> Result<Plan, ProcurementError> {
    let good: Vec<usize> = (0..a.rows.len())
        .filter(|i| matches!(a.rows[*i].view.status, RowStatus::Ok | RowStatus::Warning))
        .collect();
    let item_ids = load_items(conn, supplier_id).await?;
    let existing_prices: Vec<PriceRow> = {
        use sea_orm::QuerySelect;
        use supplier_prices::Column as C;
        supplier_prices::Entity::find()
            .select_only()
            .columns([
                C::SupplierItemId,
                C::ValidFrom,
                C::Price,
                C::Currency,
                C::PriceUnit,
                C::Moq,
                C::LeadTimeDays,
                C::RowHash,
            ])
            .filter(C::SupplierId.eq(supplier_id))
            .order_by_asc(C::ValidFrom)
            .order_by_asc(C::Id)
            .into_tuple()
            .all(conn)
            .await?
    };
    let mut history: HashMap<i64, Vec<(NaiveDate, PriceTerms)>> = HashMap::new();
    // (A row's hash is stored for provenance; "unchanged" is decided by the price in effect on its date, so a sheet
    // re-imported after a newer price still counts as a change back.)
    for (item, valid_from, price, currency, unit, moq, lead, _hash) in existing_prices {
        history
            .entry(item)
            .or_default()
            .push((valid_from, (price, currency, unit, moq, lead)));
    }
    // New items: the first occurrence in the file gives the descriptive fields.
    let mut new_items = Vec::new();
    let mut seen_new: HashSet<&str> = HashSet::new();
    for i in &good {
        let k = a.rows[*i].key.as_str();
        if !item_ids.contains_key(k) && seen_new.insert(k) {
            new_items.push(*i);
        }
    }
    let new_refs: Vec<&Parsed> = new_items.iter().map(|i| &a.rows[*i]).collect();
    let matches = match_products(conn, &new_refs).await?;
    let mut warnings = Vec::new();
    for i in &new_items {
        let p = &a.rows[*i];
        if !p.view.sku.is_empty() && matches.get(&p.key).is_none_or(|(_, s)| *s != "confirmed") {
            warnings.push(issue(
                lang,
                &p.view.sheet,
                p.view.row,
                None,
                "sku_unknown",
                &[("value", p.view.sku.clone())],
            ));
        }
    }
    // New, changed or unchanged, in date order per item.
    let mut ordered = good.clone();
    ordered.sort_by_key(|i| a.rows[*i].view.valid_from);
    let mut to_insert = Vec::new();
    let mut pending: HashMap<&str, Vec<(NaiveDate, PriceTerms)>> = HashMap::new();
    let (mut new, mut changed, mut unchanged) = (0u64, 0u64, 0u64);
    for i in ordered {
        let p = &a.rows[i];
        let date = p.view.valid_from.unwrap_or(NaiveDate::MIN);
        let mut all: Vec<(NaiveDate, PriceTerms)> = item_ids
            .get(&p.key)
            .and_then(|m| history.get(&m.id).cloned())
            .unwrap_or_default();
        all.extend(pending.get(p.key.as_str()).cloned().unwrap_or_default());
        all.sort_by_key(|(d, _)| *d);
        let in_effect = all.iter().rev().find(|(d, _)| *d <= date).map(|(_, t)| t);
        let terms = terms_of(p);
        match in_effect {
            Some(t) if *t == terms => {
                unchanged += 1;
                continue;
            }
            Some(_) => changed += 1,
            // Earlier than every known price of the item: the history grows backwards.
            None if !all.is_empty() => changed += 1,
            None => new += 1,
        }
        to_insert.push(i);
        pending
            .entry(p.key.as_str())
            .or_default()
            .push((date, terms));
    }
    a.summary.items_created = new_items.len() as u64;
    a.summary.matches_suggested =
        matches.values().filter(|(_, s)| *s == "suggested").count() as u64;
    a.summary.prices_new = new;
    a.summary.prices_changed = changed;
    a.summary.prices_unchanged = unchanged;
    a.summary.warnings.extend(warnings);
    Ok(Plan {
        item_ids,
        new_items,
        matches,
        to_insert,
    })
}

/// Imports a price sheet: [`analyze`], then (unless a dry run) one transaction that writes supplier items, their
/// prices and the import record. Cancel through `control` at any time: nothing is stored then.
pub async fn import(
    desk: &Shopdesk,
    actor: &Actor,
    path: &Path,
    supplier_code: &str,
    opts: &PriceSheetOptions,
    control: &Control,
) -> Result<Analysis, ProcurementError> {
    let mut a = analyze(desk, actor, path, supplier_code, opts).await?;
    control.check()?;
    let supplier = find_supplier(desk.db(), supplier_code).await?;
    let now = desk.now();
    a.summary.previous_import_id = price_imports::Entity::find()
        .filter(price_imports::Column::SupplierId.eq(supplier.id))
        .filter(price_imports::Column::FileHash.eq(a.summary.file_hash.clone()))
        .order_by_desc(price_imports::Column::Id)
        .one(desk.db())
        .await?
        .map(|p| p.id);
    if opts.dry_run {
        plan(desk.db(), supplier.id, &mut a, &actor.language).await?;
        return Ok(a);
    }
    tracing::debug!(rows = a.rows.len(), "analysed");
    let txn = desk.write_txn().await?;
    let mut plan = plan(&txn, supplier.id, &mut a, &actor.language).await?;
    tracing::debug!(
        new_items = plan.new_items.len(),
        prices = plan.to_insert.len(),
        "planned"
    );
    control.set_total(plan.to_insert.len() as u64);
    control.check()?;
    let import_row = price_imports::ActiveModel {
        supplier_id: Set(supplier.id),
        file_name: Set(truncate(&a.summary.file, 255)),
        file_hash: Set(a.summary.file_hash.clone()),
        mapping: Set(serde_json::to_string(&opts.mapping).unwrap_or_default()),
        rows_read: Set(a.summary.rows_read as i64),
        items_imported: Set(a.summary.items_imported as i64),
        rows_skipped: Set(a.summary.rows_skipped as i64),
        rows_failed: Set(a.summary.rows_failed as i64),
        prices_new: Set(a.summary.prices_new as i64),
        prices_changed: Set(a.summary.prices_changed as i64),
        prices_unchanged: Set(a.summary.prices_unchanged as i64),
        user_id: Set(Some(actor.user_id)),
        username: Set(actor.username.clone()),
        created_at: Set(now),
        ..Default::default()
    }
    .insert(&txn)
    .await?;
    a.summary.import_id = Some(import_row.id);

    for chunk in plan.new_items.chunks(5000) {
        control.check()?;
        let models: Vec<supplier_items::ActiveModel> = chunk
            .iter()
            .map(|i| {
                let p = &a.rows[*i];
                let (product_id, status) = plan
                    .matches
                    .get(&p.key)
                    .map(|(id, s)| (Some(*id), *s))
                    .unwrap_or((None, "unmatched"));
                supplier_items::ActiveModel {
                    supplier_id: Set(supplier.id),
                    item_key: Set(p.key.clone()),
                    supplier_sku: Set(p.view.supplier_sku.clone()),
                    name: Set(p.view.name.clone()),
                    spec: Set(p.view.spec.clone()),
                    unit: Set(p.view.unit.clone()),
                    barcode: Set(p.view.barcode.clone()),
                    category: Set(p.view.category.clone()),
                    product_id: Set(product_id),
                    match_status: Set(status.to_string()),
                    created_at: Set(now),
                    updated_at: Set(now),
                    ..Default::default()
                }
            })
            .collect();
        crate::db::insert_all(&txn, models).await?;
    }
    let before_new: HashSet<String> = plan.item_ids.keys().cloned().collect();
    if !plan.new_items.is_empty() {
        plan.item_ids = load_items(&txn, supplier.id).await?;
    }
    // Existing items (keyed by the supplier's code) whose description changed are brought up to date.
    let mut seen: HashSet<&str> = HashSet::new();
    for p in a.rows.iter().rev() {
        if !matches!(p.view.status, RowStatus::Ok | RowStatus::Warning)
            || !before_new.contains(&p.key)
            || !seen.insert(p.key.as_str())
        {
            continue;
        }
        if let Some(m) = plan.item_ids.get(&p.key)
            && (m.name != p.view.name
                || m.spec != p.view.spec
                || m.unit != p.view.unit
                || m.category != p.view.category
                || m.barcode != p.view.barcode)
        {
            supplier_items::ActiveModel {
                id: Set(m.id),
                name: Set(p.view.name.clone()),
                spec: Set(p.view.spec.clone()),
                unit: Set(p.view.unit.clone()),
                category: Set(p.view.category.clone()),
                barcode: Set(p.view.barcode.clone()),
                updated_at: Set(now),
                ..Default::default()
            }
            .update(&txn)
            .await?;
        }
    }
    let mut done = 0u64;
    tracing::debug!("items written");
    for chunk in plan.to_insert.chunks(5000) {
        control.check()?;
        let models: Vec<supplier_prices::ActiveModel> = chunk
            .iter()
            .filter_map(|i| {
                let p = &a.rows[*i];
                let item = plan.item_ids.get(&p.key)?;
                Some(supplier_prices::ActiveModel {
                    supplier_item_id: Set(item.id),
                    supplier_id: Set(supplier.id),
                    price: Set(p.price),
                    currency: Set(p.view.currency.clone()),
                    price_unit: Set(truncate(&p.view.price_unit, 32)),
                    moq: Set(p.view.moq),
                    lead_time_days: Set(p.view.lead_time_days),
                    valid_from: Set(p.view.valid_from.unwrap_or(NaiveDate::MIN)),
                    import_id: Set(Some(import_row.id)),
                    source_sheet: Set(truncate(&p.view.sheet, 128)),
                    source_row: Set(p.view.row as i64),
                    row_hash: Set(p.row_hash.clone()),
                    created_at: Set(now),
                    ..Default::default()
                })
            })
            .collect();
        done += models.len() as u64;
        crate::db::insert_all(&txn, models).await?;
        control.advance(done);
    }
    if let Some(m) = &a.mapping_to_save {
        crate::imports::mappings::save(&txn, MAPPING_KIND, supplier.id, m, &actor.username, now)
            .await?;
    }
    let audit_after = serde_json::json!({
        "file": a.summary.file,
        "file_hash": a.summary.file_hash,
        "sheets": a.summary.sheets.iter().map(|s| s.name.clone()).collect::<Vec<_>>(),
        "rows_read": a.summary.rows_read,
        "items_imported": a.summary.items_imported,
        "rows_failed": a.summary.rows_failed,
        "prices_new": a.summary.prices_new,
        "prices_changed": a.summary.prices_changed,
        "prices_unchanged": a.summary.prices_unchanged,
    });
    audit::record(
        desk,
        &txn,
        actor,
        Action::Import,
        "price_import",
        Some(import_row.id),
        &supplier.code,
        None::<&()>,
        Some(&audit_after),
    )
    .await?;
    control.check()?;
    txn.commit().await?;
    tracing::debug!("committed");
    Ok(a)
}

fn truncate(s: &str, max: usize) -> String {
    s.chars().take(max).collect()
}

/// Matches new supplier items to our products: by our SKU when the sheet has it (confirmed), else by a valid
/// barcode or the exact name (+ spec) — suggestions the clerk confirms.
async fn match_products(
    conn: &impl ConnectionTrait,
    items: &[&Parsed],
) -> Result<HashMap<String, (i64, &'static str)>, ProcurementError> {
    let mut out = HashMap::new();
    let skus: Vec<String> = items
        .iter()
        .filter(|p| !p.view.sku.is_empty())
        .map(|p| p.view.sku.clone())
        .collect();
    let barcodes: Vec<String> = items
        .iter()
        .filter(|p| Barcode::parse(&p.view.barcode).is_ok())
        .map(|p| p.view.barcode.clone())
        .collect();
    let names: Vec<String> = items.iter().map(|p| p.view.name.clone()).collect();
    let mut by_sku = HashMap::new();
    let mut by_barcode = HashMap::new();
    let mut by_name: HashMap<String, Vec<products::Model>> = HashMap::new();
    for chunk in skus.chunks(500) {
        for m in products::Entity::find()
            .filter(products::Column::Sku.is_in(chunk.to_vec()))
            .all(conn)
            .await?
        {
            by_sku.insert(m.sku.clone(), m.id);
        }
    }
    for chunk in barcodes.chunks(500) {
        for m in products::Entity::find()
            .filter(products::Column::Barcode.is_in(chunk.to_vec()))
            .all(conn)
            .await?
        {
            if let Some(b) = &m.barcode {
                by_barcode.insert(b.clone(), m.id);
            }
        }
    }
    for chunk in names.chunks(500) {
        for m in products::Entity::find()
            .filter(products::Column::Name.is_in(chunk.to_vec()))
            .all(conn)
            .await?
        {
            by_name.entry(m.name.clone()).or_default().push(m);
        }
    }
    for p in items {
        if let Some(id) = by_sku.get(&p.view.sku) {
            out.insert(p.key.clone(), (*id, "confirmed"));
        } else if let Some(id) = by_barcode.get(&p.view.barcode) {
            out.insert(p.key.clone(), (*id, "suggested"));
        } else if let Some(cands) = by_name.get(&p.view.name) {
            let exact: Vec<&products::Model> = cands
                .iter()
                .filter(|m| p.view.spec.is_empty() || m.spec == p.view.spec)
                .collect();
            if exact.len() == 1 {
                out.insert(p.key.clone(), (exact[0].id, "suggested"));
            }
        }
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn subtotal_words() {
        for t in [
            "小计",
            "月合计",
            "脂肪族月合计",
            "总合计",
            "Total",
            "TOTAL:",
            "Subtotal",
            "Grand Total",
        ] {
            assert!(is_subtotal_text(t), "{t}");
        }
        for t in [
            "绿茶",
            "Totem pole",
            "Summer hat",
            "Total Gym XLS Trainer Pro Max Edition",
        ] {
            assert!(!is_subtotal_text(t), "{t}");
        }
    }

    #[test]
    fn item_keys() {
        assert_eq!(item_key("A-100", "x", "", ""), "sku:a-100");
        assert_eq!(item_key("", "绿茶  250g", "盒", ""), "name:绿茶 250g|盒|");
    }

    #[test]
    fn prices_with_more_than_four_decimals_round_half_away_from_zero() {
        let d: rust_decimal::Decimal = "0.00125".parse().expect("d");
        assert_eq!(
            UnitPrice::from_decimal_rounded(d).map(|p| p.ten_thousandths()),
            Some(13)
        );
    }
}
