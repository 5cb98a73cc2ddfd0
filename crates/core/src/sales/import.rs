//! Importing a channel's order export (Taobao/Tmall, JD, PDD, Shopify, Amazon, or any CSV/Excel with a mapping).
//!
//! The file is read through [`crate::imports`] (UTF-8 or GBK CSV, `="..."`-wrapped values, stray spaces in
//! header names, Excel/WPS sheets), every row becomes part of an order (one row per order, or one row per line
//! with the order's fields repeated or only on its first row), and the whole file is then written in one
//! transaction: new orders inserted in batches, known orders (same channel, shop and platform number) updated in
//! their status, payment and refund fields with an `updated` event naming what changed, unchanged ones left alone.
//! A row that cannot be read fails its whole order (nothing half-imported) and is reported with sheet, row,
//! column and what was expected, in the user's language; the other orders still import.
//!
//! How figures are reached when an export leaves them out (stated, not guessed):
//! - goods = Σ line amounts (line amount, else quantity × unit price); discount, shipping and tax = Σ of their
//!   line columns; total = goods + shipping + tax − discount.
//! - paid: the export's paid column; zero when the export has a payment-time column and the order has no payment
//!   time (cash on delivery counts once the trade is complete); without a paid column, the total once the order
//!   is paid (payment time or status), else zero.
//! - status: the platform's status words (订单状态, 售后状态, Financial/Fulfillment Status, order-status); without
//!   them, paid → `pending_review`, else `unpaid`; refunded in full (refund ≥ total) → `closed`.

use super::channels::{Channel, LINE_FIELDS, ORDER_FIELDS, status_from_words};
use super::{SalesError, status_rank};
use crate::Shopdesk;
use crate::audit::{self, Action};
use crate::auth::{Actor, Permission};
use crate::entities::{
    channel_sku_map, order_events, order_imports, products, sales_order_lines as lines,
    sales_orders as orders,
};
use crate::imports::header::{self, Mapping};
use crate::imports::rejects::{self, RejectedRow};
use crate::imports::values::{self, cell_text, parse_amount_text, parse_datetime, parse_whole};
use crate::imports::{
    Cell, Control, Grid, ImportError, Issue, TextEncoding, Workbook, column_letter,
};
use crate::money::{Currency, Money, UnitPrice};
use chrono::{DateTime, Utc};
use rust_decimal::Decimal;
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QuerySelect, Set,
};
use serde::{Deserialize, Serialize};
use std::collections::{BTreeMap, HashMap};
use std::path::Path;
use ts_rs::TS;

/// How to read an order export.
#[derive(Debug, Clone, Serialize, Deserialize, TS)]
#[serde(default)]
pub struct OrderImportOptions {
    pub channel: Channel,
    /// The shop the orders belong to when the file does not say (店铺名称); empty is fine for one shop.
    pub shop: String,
    /// One sheet; default every sheet with a header.
    pub sheet: Option<String>,
    /// Columns named by the user (header text or letter); fields left out are found by their names.
    pub mapping: Mapping,
    pub encoding: TextEncoding,
    /// Read and count, store nothing.
    pub dry_run: bool,
    /// Currency of orders the file does not give one for (default: the channel's, else the company's).
    pub currency: Option<String>,
    /// Save a given mapping for the channel, to be used for its next files.
    pub save_mapping: bool,
}

impl Default for OrderImportOptions {
    fn default() -> Self {
        Self {
            channel: Channel::Generic,
            shop: String::new(),
            sheet: None,
            mapping: Mapping::default(),
            encoding: TextEncoding::Auto,
            dry_run: false,
            currency: None,
            save_mapping: false,
        }
    }
}

/// Saved mappings of order exports are kept per channel.
const MAPPING_KIND: &str = "order_export";

fn mapping_owner(c: Channel) -> i64 {
    Channel::IMPORTABLE
        .iter()
        .position(|x| *x == c)
        .unwrap_or(0) as i64
}

/// What an import did (or, dry, would do).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct OrderImportSummary {
    pub file: String,
    pub file_hash: String,
    pub channel: Channel,
    pub dry_run: bool,
    #[ts(type = "number | null")]
    pub import_id: Option<i64>,
    /// Data rows read (empty rows and total rows not counted).
    #[ts(type = "number")]
    pub rows_read: u64,
    #[ts(type = "number")]
    pub orders_created: u64,
    #[ts(type = "number")]
    pub orders_updated: u64,
    #[ts(type = "number")]
    pub orders_unchanged: u64,
    /// Lines of the orders created.
    #[ts(type = "number")]
    pub lines: u64,
    #[ts(type = "number")]
    pub rows_failed: u64,
    #[ts(type = "number")]
    pub rows_skipped: u64,
    /// Platform codes of the imported lines that are not mapped to one of our SKUs (distinct, first 100).
    pub unmapped_skus: Vec<String>,
    #[ts(type = "number")]
    pub unmapped_sku_count: u64,
    pub errors: Vec<Issue>,
    pub warnings: Vec<Issue>,
    /// Per status of the orders created, for a quick look.
    pub created_by_status: BTreeMap<String, u64>,
    /// `given`, `saved` (the channel's saved mapping) or `detected` (found by the header names).
    pub mapping_source: String,
    /// The columns each field was read from in the first table (letters), to show and edit.
    pub columns: BTreeMap<String, String>,
    /// The header texts of the first table, by column letter.
    pub headers: BTreeMap<String, String>,
    /// What the review on import decided for the orders created (when that setting is on), else `None`.
    pub review: Option<super::review::ReviewSummary>,
    /// What the allocation on import did with the orders the review approved (when that setting is on and the
    /// user may reserve stock), else `None`.
    pub allocation: Option<super::allocate::AllocationSummary>,
}

impl OrderImportSummary {
    /// Moves `n` of the orders created from one status to another in `created_by_status` (a review or an
    /// allocation on import decided them); a status left with none is dropped.
    fn move_created(&mut self, from: &str, to: &str, n: u64) {
        if n == 0 {
            return;
        }
        if let Some(c) = self.created_by_status.get_mut(from) {
            *c = c.saturating_sub(n);
        }
        *self.created_by_status.entry(to.to_string()).or_default() += n;
        self.created_by_status.retain(|_, c| *c > 0);
    }
}

// ---------------------------------------------------------------------------------------------------------------
// Messages.

fn msg(lang: &str, code: &str, p: &BTreeMap<String, String>) -> String {
    let g = |k: &str| p.get(k).cloned().unwrap_or_default();
    let zh = lang.starts_with("zh");
    match (code, zh) {
        ("order_no_missing", true) => "缺少订单号".into(),
        ("order_no_missing", false) => "the order number is missing".into(),
        ("order_no_float", true) => format!(
            "订单号“{}”已被表格软件存成数字，末几位可能已丢失：请在导出文件中把订单号保存为文本",
            g("value")
        ),
        ("order_no_float", false) => format!(
            "the order number `{}` was stored as a number by a spreadsheet program and may have lost digits: keep order numbers as text",
            g("value")
        ),
        ("amount_invalid", true) => format!(
            "{}“{}”不是金额：应为数字，例如 12.50",
            g("field"),
            g("value")
        ),
        ("amount_invalid", false) => format!(
            "{} `{}` is not an amount: expected a number such as 12.50",
            g("field"),
            g("value")
        ),
        ("too_many_decimals", true) => {
            format!("{}“{}”的小数位多于 {} 位", g("field"), g("value"), g("max"))
        }
        ("too_many_decimals", false) => format!(
            "{} `{}` has more than {} decimals",
            g("field"),
            g("value"),
            g("max")
        ),
        ("date_invalid", true) => format!(
            "{}“{}”不是日期时间：应为 2020-02-20 23:17:04 这样的格式",
            g("field"),
            g("value")
        ),
        ("date_invalid", false) => format!(
            "{} `{}` is not a date and time: expected e.g. 2020-02-20 23:17:04",
            g("field"),
            g("value")
        ),
        ("qty_invalid", true) => format!("数量“{}”不是非负整数", g("value")),
        ("qty_invalid", false) => {
            format!("the quantity `{}` is not a whole number ≥ 0", g("value"))
        }
        ("qty_missing", true) => "缺少数量".into(),
        ("qty_missing", false) => "the quantity is missing".into(),
        ("currency_invalid", true) => format!("“{}”不是币种代码（如 CNY、USD）", g("value")),
        ("currency_invalid", false) => {
            format!("`{}` is not a currency code such as CNY or USD", g("value"))
        }
        ("currency_mismatch", true) => format!(
            "金额“{}”的币种与订单币种 {} 不同",
            g("value"),
            g("currency")
        ),
        ("currency_mismatch", false) => format!(
            "the amount `{}` is in another currency than the order's {}",
            g("value"),
            g("currency")
        ),
        ("ordered_at_missing", true) => "缺少下单时间".into(),
        ("ordered_at_missing", false) => "the order time is missing".into(),
        ("amount_too_large", true) => format!("{}超出可记录的范围", g("field")),
        ("amount_too_large", false) => format!("{} is too large", g("field")),
        ("order_failed", true) => format!("同一订单的第 {} 行有错误，整单未导入", g("rows")),
        ("order_failed", false) => format!(
            "row(s) {} of the same order have errors; the whole order was not imported",
            g("rows")
        ),
        ("conflict", true) => format!(
            "同一订单的{}在各行不一致（“{}”与“{}”），采用第一行的值",
            g("field"),
            g("first"),
            g("value")
        ),
        ("conflict", false) => format!(
            "{} differs between rows of the same order (`{}` vs `{}`); the first row's value was used",
            g("field"),
            g("first"),
            g("value")
        ),
        ("mapping_not_found", true) => format!(
            "该渠道保存的列映射与此文件不符（{}），改用自动识别的表头",
            g("reason")
        ),
        ("mapping_not_found", false) => format!(
            "the channel's saved column mapping does not fit this file ({}); the detected header was used",
            g("reason")
        ),
        (other, _) => other.to_string(),
    }
}

fn field_label(lang: &str, field: &str) -> String {
    if !lang.starts_with("zh") {
        return field.replace('_', " ");
    }
    match field {
        "goods_amount" => "商品金额",
        "shipping_fee" => "运费",
        "discount" => "优惠",
        "tax" => "税额",
        "total" => "订单金额",
        "paid" => "实付金额",
        "refunded" => "退款金额",
        "ordered_at" => "下单时间",
        "paid_at" => "付款时间",
        "cancelled_at" => "取消时间",
        "unit_price" => "单价",
        "line_amount" => "行金额",
        "line_discount" => "行优惠",
        "line_shipping" => "行运费",
        "line_tax" => "行税额",
        "qty" => "数量",
        f => f,
    }
    .to_string()
}

struct Ctx<'a> {
    lang: &'a str,
    sheet: String,
    file_tz: chrono_tz::Tz,
}

impl Ctx<'_> {
    fn issue(&self, row: u64, col: Option<u32>, code: &str, params: &[(&str, String)]) -> Issue {
        Issue::at(&self.sheet, row, col, code, params, self.lang, msg)
    }
}

// ---------------------------------------------------------------------------------------------------------------
// Reading rows.

/// A value read from one cell of a row.
#[derive(Debug, Clone, PartialEq)]
enum Val {
    Text(String),
    Amount(Decimal, Option<Currency>),
    At(DateTime<Utc>),
    Whole(i64),
}

impl Val {
    fn text(&self) -> String {
        match self {
            Val::Text(s) => s.clone(),
            Val::Amount(d, c) => match c {
                Some(c) => format!("{d} {c}"),
                None => d.to_string(),
            },
            Val::At(t) => t.to_rfc3339(),
            Val::Whole(n) => n.to_string(),
        }
    }
}

fn kind_of(field: &str) -> &'static str {
    match field {
        "goods_amount" | "shipping_fee" | "discount" | "tax" | "total" | "paid" | "refunded"
        | "line_amount" | "line_discount" | "line_shipping" | "line_tax" | "unit_price" => "amount",
        "ordered_at" | "paid_at" | "cancelled_at" => "at",
        "qty" => "whole",
        _ => "text",
    }
}

/// The cells of one row, read by field. `None` where a cell could not be read (its issue is in `issues`).
struct RowRead {
    row: u64,
    /// At most one value per field, in the order of the columns (a handful: searched, not indexed).
    vals: Vec<(&'static str, (Val, u32))>,
    issues: Vec<Issue>,
}

/// A row's cells as text, for the rejected-rows file (only rows that fail are asked for).
fn row_cells(grid: &Grid, row: u64) -> Vec<String> {
    let r = row.saturating_sub(1) as u32;
    (grid.first_col..grid.col_end())
        .map(|c| cell_text(grid.cell(r, c)))
        .collect()
}

fn read_row(grid: &Grid, r: u32, cols: &[(&'static str, Vec<u32>)], ctx: &Ctx) -> RowRead {
    let row = u64::from(r) + 1;
    let mut out = RowRead {
        row,
        vals: Vec::with_capacity(cols.len()),
        issues: Vec::new(),
    };
    for (field, cs) in cols {
        let field = *field;
        // Several columns of one field: the address parts are joined, anything else takes the first filled one.
        if field == "address" {
            let parts: Vec<String> = cs
                .iter()
                .map(|c| cell_text(grid.cell(r, *c)))
                .filter(|t| !t.is_empty())
                .collect();
            if !parts.is_empty() {
                out.vals.push((field, (Val::Text(parts.join(" ")), cs[0])));
            }
            continue;
        }
        let Some(&col) = cs.iter().find(|c| !grid.cell(r, **c).is_empty()) else {
            continue;
        };
        let cell = grid.cell(r, col);
        // The field's name in the user's language, for an issue (most cells have none).
        let label = || field_label(ctx.lang, field);
        match kind_of(field) {
            "amount" => {
                let raw = cell_text(cell);
                // Discounts are written either way round (Amazon's promotion discount is negative).
                let text = if matches!(field, "discount" | "line_discount") {
                    raw.trim_start_matches('-').to_string()
                } else {
                    raw.clone()
                };
                let parsed = match cell {
                    Cell::Number(f) if !field.contains("discount") || *f >= 0.0 => {
                        values::number_to_decimal(*f).map(|d| (d, None))
                    }
                    _ => match parse_amount_text(&text) {
                        Ok(Some(a)) => Some((a.value, a.currency)),
                        // `-`, `--`, `无`: no value, as if the cell were empty.
                        Ok(None) => continue,
                        Err(_) => None,
                    },
                };
                match parsed {
                    Some((d, cur)) if !d.is_sign_negative() || d.is_zero() => {
                        out.vals.push((field, (Val::Amount(d, cur), col)));
                    }
                    _ => out.issues.push(ctx.issue(
                        row,
                        Some(col),
                        "amount_invalid",
                        &[("field", label()), ("value", raw)],
                    )),
                }
            }
            "at" => match parse_datetime(cell) {
                Ok(Some((local, offset))) => {
                    let utc = match offset {
                        Some(o) => local.and_local_timezone(o).single().map(|d| d.to_utc()),
                        None => local
                            .and_local_timezone(ctx.file_tz)
                            .earliest()
                            .map(|d| d.to_utc()),
                    };
                    match utc {
                        Some(t) => {
                            out.vals.push((field, (Val::At(t), col)));
                        }
                        None => out.issues.push(ctx.issue(
                            row,
                            Some(col),
                            "date_invalid",
                            &[("field", label()), ("value", cell_text(cell))],
                        )),
                    }
                }
                Ok(None) => {}
                Err(v) => out.issues.push(ctx.issue(
                    row,
                    Some(col),
                    "date_invalid",
                    &[("field", label()), ("value", v)],
                )),
            },
            "whole" => match parse_whole(cell) {
                Ok(Some(n)) if n >= 0 => {
                    out.vals.push((field, (Val::Whole(n), col)));
                }
                Ok(None) => {}
                Ok(Some(n)) => out.issues.push(ctx.issue(
                    row,
                    Some(col),
                    "qty_invalid",
                    &[("value", n.to_string())],
                )),
                Err(v) => {
                    out.issues
                        .push(ctx.issue(row, Some(col), "qty_invalid", &[("value", v)]))
                }
            },
            _ => {
                // Order numbers and codes must stay text: a float over 15 digits has lost its tail.
                if let Cell::Number(f) = cell
                    && matches!(field, "order_no" | "platform_sku" | "item_id")
                    && f.abs() >= 1e15
                {
                    out.issues.push(ctx.issue(
                        row,
                        Some(col),
                        "order_no_float",
                        &[("value", cell_text(cell))],
                    ));
                    continue;
                }
                let t = cell_text(cell);
                if !t.is_empty() {
                    out.vals.push((field, (Val::Text(t), col)));
                }
            }
        }
    }
    out
}

/// A row read and made ready to group into its order, on every core: its order's key (shop and number as stored),
/// its values split into the order's and its line's.
struct Keyed {
    row: u64,
    /// A totals row (合计, "Total"), skipped.
    total: bool,
    /// `None` without an order number (the row fails).
    key: Option<(String, String)>,
    order_vals: Vec<(&'static str, (Val, u32))>,
    line: Option<RawLine>,
    issues: Vec<Issue>,
}

impl Keyed {
    fn of(rr: RowRead, default_shop: &str, has_qty_column: bool) -> Self {
        let get = |f: &str| rr.vals.iter().find(|(k, _)| *k == f).map(|(_, v)| v);
        let order_no = match get("order_no") {
            Some((v, _)) => v.text(),
            None => String::new(),
        };
        let order_fields = rr.vals.len();
        let mut k = Keyed {
            row: rr.row,
            // (The words are ASCII or have no case.)
            total: TOTAL_WORDS.iter().any(|w| order_no.eq_ignore_ascii_case(w)),
            key: None,
            order_vals: Vec::with_capacity(order_fields),
            line: None,
            issues: rr.issues,
        };
        if k.total || order_no.is_empty() {
            return k;
        }
        let shop = match get("shop") {
            Some((v, _)) => v.text(),
            None => default_shop.trim().to_string(),
        };
        // Keys as stored: shop and order number cut to their columns' lengths.
        k.key = Some((truncate(&shop, 64), truncate(&order_no, 64)));
        let mut line = RawLine {
            row: rr.row,
            ..Default::default()
        };
        for (f, v) in rr.vals {
            if LINE_FIELDS.contains(&f) {
                line.vals.insert(f, v);
            } else if ORDER_FIELDS.contains(&f) {
                k.order_vals.push((f, v));
            }
        }
        if ["platform_sku", "item_id", "title"]
            .iter()
            .any(|f| line.vals.contains_key(f))
            && (line.vals.len() > 1 || !line.vals.contains_key("title") || has_qty_column)
        {
            k.line = Some(line);
        }
        k
    }
}

// ---------------------------------------------------------------------------------------------------------------
// Orders from rows.

#[derive(Debug, Clone, Default)]
struct RawLine {
    vals: BTreeMap<&'static str, (Val, u32)>,
    row: u64,
}

struct RawOrder {
    sheet: String,
    shop: String,
    order_no: String,
    rows: Vec<u64>,
    vals: BTreeMap<&'static str, (Val, u32)>,
    lines: Vec<RawLine>,
    issues: Vec<Issue>,
    warnings: Vec<Issue>,
    has_paid_at_column: bool,
    has_qty_column: bool,
}

/// An order ready to store.
#[derive(Debug, Clone)]
struct Ready {
    shop: String,
    order_no: String,
    /// Boxed: an order is moved several times on its way (from the cores that finish it, into the new orders),
    /// and its model is most of its size.
    model: Box<orders::Model>,
    lines: Vec<lines::Model>,
    hash: String,
}

fn minor(
    d: Decimal,
    cur: Currency,
    field: &str,
    col: u32,
    row: u64,
    ctx: &Ctx,
) -> Result<i64, Issue> {
    let label = field_label(ctx.lang, field);
    if d.normalize().scale() > cur.minor_digits() {
        return Err(ctx.issue(
            row,
            Some(col),
            "too_many_decimals",
            &[
                ("field", label),
                ("value", d.to_string()),
                ("max", cur.minor_digits().to_string()),
            ],
        ));
    }
    Money::from_decimal(d, cur, rust_decimal::RoundingStrategy::MidpointAwayFromZero)
        .map(|m| m.minor())
        .map_err(|_| ctx.issue(row, Some(col), "amount_too_large", &[("field", label)]))
}

/// An amount field in minor units of the order's currency; an amount in another currency is an error.
fn amount_of(
    vals: &BTreeMap<&'static str, (Val, u32)>,
    f: &str,
    row: u64,
    currency: Currency,
    ctx: &Ctx,
) -> Result<Option<i64>, Issue> {
    match vals.get(f) {
        Some((Val::Amount(d, c), col)) => {
            if let Some(c) = c
                && *c != currency
            {
                return Err(ctx.issue(
                    row,
                    Some(*col),
                    "currency_mismatch",
                    &[
                        ("value", format!("{d} {c}")),
                        ("currency", currency.to_string()),
                    ],
                ));
            }
            minor(*d, currency, f, *col, row, ctx).map(Some)
        }
        _ => Ok(None),
    }
}

/// Turns the rows of one order into the order and its lines, or the issues that stop it.
fn finish(
    raw: RawOrder,
    opts: &OrderImportOptions,
    company_currency: Currency,
    desk_tz: chrono_tz::Tz,
    now: DateTime<Utc>,
    ctx: &Ctx,
) -> Result<Ready, Vec<Issue>> {
    let mut issues = Vec::new();
    let first_row = raw.rows.first().copied().unwrap_or(0);
    let text = |f: &str| match raw.vals.get(f) {
        Some((v, _)) => v.text(),
        None => String::new(),
    };
    // Currency: the file's, else the channel's, else the option, else the company's.
    let cur_text = text("currency");
    let currency = if !cur_text.is_empty() {
        match Currency::parse(&cur_text) {
            Ok(c) => c,
            Err(_) => {
                let col = raw.vals.get("currency").map(|v| v.1);
                return Err(vec![ctx.issue(
                    first_row,
                    col,
                    "currency_invalid",
                    &[("value", cur_text)],
                )]);
            }
        }
    } else {
        opts.currency
            .as_deref()
            .and_then(|c| Currency::parse(c).ok())
            .or_else(|| {
                opts.channel
                    .default_currency()
                    .and_then(|c| Currency::parse(c).ok())
            })
            .unwrap_or(company_currency)
    };
    let amount =
        |vals: &BTreeMap<&'static str, (Val, u32)>, f: &str, row: u64, issues: &mut Vec<Issue>| {
            match amount_of(vals, f, row, currency, ctx) {
                Ok(v) => v,
                Err(i) => {
                    issues.push(i);
                    None
                }
            }
        };
    let goods = amount(&raw.vals, "goods_amount", first_row, &mut issues);
    let shipping = amount(&raw.vals, "shipping_fee", first_row, &mut issues);
    let discount = amount(&raw.vals, "discount", first_row, &mut issues);
    let tax = amount(&raw.vals, "tax", first_row, &mut issues);
    let total = amount(&raw.vals, "total", first_row, &mut issues);
    let paid = amount(&raw.vals, "paid", first_row, &mut issues);
    let refunded = amount(&raw.vals, "refunded", first_row, &mut issues).unwrap_or(0);

    let mut out_lines = Vec::new();
    let (mut sum_goods, mut sum_disc, mut sum_ship, mut sum_tax) = (0i64, 0i64, 0i64, 0i64);
    for (i, l) in raw.lines.iter().enumerate() {
        let ltext = |f: &str| match l.vals.get(f) {
            Some((v, _)) => v.text(),
            None => String::new(),
        };
        let qty = match l.vals.get("qty") {
            Some((Val::Whole(n), _)) => *n,
            _ if raw.has_qty_column => {
                issues.push(ctx.issue(l.row, None, "qty_missing", &[]));
                continue;
            }
            _ => 1,
        };
        let line_amount = amount(&l.vals, "line_amount", l.row, &mut issues);
        let disc = amount(&l.vals, "line_discount", l.row, &mut issues).unwrap_or(0);
        sum_ship += amount(&l.vals, "line_shipping", l.row, &mut issues).unwrap_or(0);
        sum_tax += amount(&l.vals, "line_tax", l.row, &mut issues).unwrap_or(0);
        let unit = match l.vals.get("unit_price") {
            Some((Val::Amount(d, _), col)) => {
                if d.normalize().scale() > UnitPrice::SCALE {
                    issues.push(ctx.issue(
                        l.row,
                        Some(*col),
                        "too_many_decimals",
                        &[
                            ("field", field_label(ctx.lang, "unit_price")),
                            ("value", d.to_string()),
                            ("max", UnitPrice::SCALE.to_string()),
                        ],
                    ));
                    continue;
                }
                UnitPrice::from_decimal_rounded(*d)
            }
            // Amazon gives the line's amount for its quantity: the unit price is what it implies.
            _ => match (line_amount, qty) {
                (Some(a), q) if q > 0 => UnitPrice::from_decimal_rounded(
                    Money::from_minor(a, currency).to_decimal() / Decimal::from(q),
                ),
                _ => Some(UnitPrice::from_ten_thousandths(0)),
            },
        };
        let Some(unit) = unit else {
            issues.push(ctx.issue(
                l.row,
                None,
                "amount_too_large",
                &[("field", field_label(ctx.lang, "unit_price"))],
            ));
            continue;
        };
        let gross = match line_amount {
            Some(a) => a,
            None => match unit.times(qty, currency) {
                Ok(m) => m.minor(),
                Err(_) => {
                    issues.push(ctx.issue(
                        l.row,
                        None,
                        "amount_too_large",
                        &[("field", field_label(ctx.lang, "line_amount"))],
                    ));
                    continue;
                }
            },
        };
        sum_goods += gross;
        sum_disc += disc;
        out_lines.push(lines::Model {
            id: 0,
            order_id: 0,
            line_no: (i + 1) as i32,
            platform_sku: truncate(ltext("platform_sku"), 128),
            platform_item_id: truncate(ltext("item_id"), 64),
            product_id: None,
            title: truncate(ltext("title"), 500),
            spec: truncate(ltext("spec"), 255),
            qty,
            unit_price: unit.ten_thousandths(),
            discount: disc,
            amount: gross,
            price_note: String::new(),
        });
    }
    let at = |f: &str| match raw.vals.get(f) {
        Some((Val::At(t), _)) => Some(*t),
        _ => None,
    };
    let ordered_at = at("ordered_at").or(at("paid_at"));
    if ordered_at.is_none() {
        issues.push(ctx.issue(first_row, None, "ordered_at_missing", &[]));
    }
    if !issues.is_empty() {
        return Err(issues);
    }
    let ordered_at = ordered_at.unwrap_or(now);
    let paid_at = at("paid_at");
    let goods = goods.unwrap_or(sum_goods);
    let discount = discount.unwrap_or(sum_disc);
    let shipping = shipping.unwrap_or(sum_ship);
    let tax = tax.unwrap_or(sum_tax);
    let total = total.unwrap_or(goods + shipping + tax - discount);
    let words: Vec<String> = ["status", "refund_status", "fulfillment_status"]
        .iter()
        .map(|f| text(f))
        .collect();
    // The order's own status words; a refund status (售后状态 退款成功) closes the order only when the
    // refund is the whole order (or the export gives no refund amount), not for one refunded line.
    let mut word_refs: Vec<&str> = vec![words[0].as_str(), words[2].as_str()];
    if at("cancelled_at").is_some() {
        word_refs.push("cancelled");
    }
    let refund_closes = status_from_words(&[words[1].as_str()]) == Some("closed")
        && (refunded == 0 || refunded >= total);
    let said = if refund_closes {
        Some("closed")
    } else {
        status_from_words(&word_refs)
    };
    let paid = match paid {
        // No payment time where the export has the column: not paid (yet), whatever is due (cash on delivery
        // counts once the trade is complete).
        Some(_) if raw.has_paid_at_column && paid_at.is_none() && said != Some("completed") => 0,
        Some(p) => p,
        None if paid_at.is_some()
            || matches!(said, Some("pending_review" | "shipped" | "completed")) =>
        {
            total
        }
        None if said == Some("closed") && refunded > 0 => total,
        None => 0,
    };
    let mut status = match said {
        Some(s) => s,
        None if paid_at.is_some() || paid > 0 => "pending_review",
        None => "unpaid",
    };
    // Refunded in full. (Not "≥ paid": Tmall's paid column is already net of refunds, 买家实际支付金额 =
    // 总金额 − 退款金额 in the real report, so half refunded would read as all.)
    if refunded > 0 && refunded >= total {
        status = "closed";
    }
    let platform_status: Vec<&str> = words
        .iter()
        .map(String::as_str)
        .filter(|w| !w.is_empty())
        .collect();
    let model = orders::Model {
        id: 0,
        channel: opts.channel.as_str().to_string(),
        shop: truncate(&raw.shop, 64),
        platform_order_no: raw.order_no.clone(),
        status: status.to_string(),
        platform_status: truncate(platform_status.join(" / "), 64),
        currency: currency.to_string(),
        goods_amount: goods,
        shipping_fee: shipping,
        discount,
        tax,
        total,
        paid,
        refunded,
        payment_method: truncate(text("payment_method"), 64),
        buyer: truncate(text("buyer"), 128),
        receiver: truncate(text("receiver"), 128),
        phone: truncate(text("phone"), 64),
        province: truncate(text("province"), 64),
        city: truncate(text("city"), 64),
        district: truncate(text("district"), 64),
        address: truncate(text("address"), 500),
        postal_code: truncate(text("postal_code"), 32),
        country: truncate(text("country"), 64),
        buyer_message: truncate(text("buyer_message"), 1000),
        seller_note: truncate(text("seller_note"), 1000),
        carrier: truncate(text("carrier"), 64),
        tracking_no: truncate(text("tracking_no"), 64),
        ordered_at,
        paid_at,
        biz_date: ordered_at.with_timezone(&desk_tz).date_naive(),
        priority: 0,
        tags: String::new(),
        hold_reasons: String::new(),
        warehouse_code: String::new(),
        import_id: None,
        row_hash: String::new(),
        created_at: now,
        updated_at: now,
    };
    let hash = fingerprint(&model, &out_lines);
    Ok(Ready {
        shop: raw.shop,
        order_no: raw.order_no,
        model: Box::new(model),
        lines: out_lines,
        hash,
    })
}

/// A new order to insert, with the id given to it.
fn order_model(r: &Ready, id: i64, import_id: i64, now: DateTime<Utc>) -> orders::ActiveModel {
    use sea_orm::IntoActiveModel;
    orders::Model {
        id,
        import_id: Some(import_id),
        row_hash: r.hash.clone(),
        created_at: now,
        updated_at: now,
        ..(*r.model).clone()
    }
    .into_active_model()
}

/// The new orders' lines to insert, with the ids given to them and their orders (see `import_writing_rejects`).
fn line_models<'a>(
    new_orders: &'a [Ready],
    order_ids: &'a [i64],
    line_ids: &'a [i64],
) -> impl Iterator<Item = lines::ActiveModel> + Send + 'a {
    new_orders
        .iter()
        .zip(order_ids)
        .flat_map(|(r, id)| r.lines.iter().map(move |l| (*id, l)))
        .zip(line_ids)
        .map(|((order_id, l), id)| {
            use sea_orm::IntoActiveModel;
            lines::Model {
                id: *id,
                order_id,
                ..l.clone()
            }
            .into_active_model()
        })
}

/// The first `max` characters of `s` (a column's length), copied once: a text no longer in bytes than `max`
/// cannot be longer in characters.
/// (A `String` given is kept when it fits, not copied.)
fn truncate<S: AsRef<str> + Into<String>>(s: S, max: usize) -> String {
    let t = s.as_ref();
    if t.len() <= max {
        return s.into();
    }
    match t.char_indices().nth(max) {
        Some((end, _)) => t[..end].to_string(),
        None => s.into(),
    }
}

/// What an order looks like in the file, for "did it change since the last import".
fn fingerprint(o: &orders::Model, ls: &[lines::Model]) -> String {
    use std::fmt::Write;
    // Written straight into the hash (the same digest as of the whole text).
    let mut s = crate::imports::Sha256Writer::default();
    let _ = write!(
        s,
        "{}|{}|{}|{}|{}|{}|{}|{}|{}|{}|{}|{:?}|{}|{}|{}|{}|{}|{}|{}|{}|{}|{}|{}",
        o.status,
        o.platform_status,
        o.currency,
        o.goods_amount,
        o.shipping_fee,
        o.discount,
        o.tax,
        o.total,
        o.paid,
        o.refunded,
        o.ordered_at.timestamp(),
        o.paid_at.map(|t| t.timestamp()),
        o.buyer,
        o.receiver,
        o.phone,
        o.province,
        o.city,
        o.district,
        o.address,
        o.buyer_message,
        o.seller_note,
        o.carrier,
        o.tracking_no,
    );
    for l in ls {
        let _ = write!(
            s,
            "|{}:{}:{}:{}:{}:{}:{}:{}",
            l.platform_sku,
            l.platform_item_id,
            l.title,
            l.spec,
            l.qty,
            l.unit_price,
            l.discount,
            l.amount
        );
    }
    s.hex()
}

/// The parsed file: orders ready to store, and what went wrong.
struct Parsed {
    ready: Vec<Ready>,
    rows_read: u64,
    rows_failed: u64,
    rows_skipped: u64,
    errors: Vec<Issue>,
    warnings: Vec<Issue>,
    header: Vec<String>,
    rejected: Vec<RejectedRow>,
    mapping_source: &'static str,
    columns: BTreeMap<String, String>,
    headers: BTreeMap<String, String>,
}

/// Rows read at a time (on every core) before they are grouped into orders; cancelling is checked between blocks.
const ROW_BLOCK: u32 = 32_768;

const TOTAL_WORDS: &[&str] = &["合计", "总计", "小计", "total", "totals", "grand total"];

#[allow(clippy::too_many_arguments)]
fn parse(
    wb: &Workbook,
    opts: &OrderImportOptions,
    mapping: &Mapping,
    saved: bool,
    lang: &str,
    company_currency: Currency,
    tz: chrono_tz::Tz,
    now: DateTime<Utc>,
    control: &Control,
) -> Result<Parsed, SalesError> {
    let specs = opts.channel.specs();
    let sheets: Vec<String> = match &opts.sheet {
        Some(s) => vec![s.clone()],
        None => wb.sheet_names.clone(),
    };
    let mut grids: Vec<(Grid, Vec<header::Table>)> = Vec::new();
    let mut total_rows = 0u64;
    let mut warnings = Vec::new();
    let mut source = if mapping.is_empty() {
        "detected"
    } else if saved {
        "saved"
    } else {
        "given"
    };
    for name in &sheets {
        let grid = wb.sheet(name)?;
        let resolved = if source == "detected" {
            Ok(header::detect(&grid, specs, &["order_no"]))
        } else {
            header::resolve(&grid, &wb.file_name, mapping, specs, &["order_no"])
        };
        let mut tables = match resolved {
            Ok(t) => t,
            // A saved mapping that does not fit this file falls back to the header names, and says so.
            Err(e) if source == "saved" => {
                let ctx = Ctx {
                    lang,
                    sheet: name.clone(),
                    file_tz: tz,
                };
                warnings.push(ctx.issue(
                    0,
                    None,
                    "mapping_not_found",
                    &[("reason", e.to_string())],
                ));
                source = "detected";
                header::detect(&grid, specs, &["order_no"])
            }
            Err(e) => return Err(e.into()),
        };
        tables.retain(|t| t.columns.contains_key("order_no"));
        if tables.is_empty() {
            continue;
        }
        total_rows += tables
            .iter()
            .map(|t| u64::from(t.data_end - t.data_start))
            .sum::<u64>();
        grids.push((grid, tables));
    }
    if grids.is_empty() {
        let names: Vec<&str> = specs
            .iter()
            .find(|s| s.key == "order_no")
            .map(|s| s.exact.to_vec())
            .unwrap_or_default();
        return Err(ImportError::NoHeader {
            file: wb.file_name.clone(),
            expected: names.join(" / "),
        }
        .into());
    }
    control.set_total(total_rows);
    let mut parsed = Parsed {
        ready: Vec::new(),
        rows_read: 0,
        rows_failed: 0,
        rows_skipped: 0,
        errors: Vec::new(),
        warnings,
        header: Vec::new(),
        rejected: Vec::new(),
        mapping_source: source,
        columns: BTreeMap::new(),
        headers: BTreeMap::new(),
    };
    if let Some((grid, t)) = grids.first().and_then(|(g, ts)| ts.first().map(|t| (g, t))) {
        parsed.columns = t
            .columns
            .iter()
            .map(|(k, cols)| {
                let letters: Vec<String> = cols.iter().map(|c| column_letter(*c)).collect();
                (k.clone(), letters.join(", "))
            })
            .collect();
        if let Some(h) = t.header_row {
            parsed.headers = (grid.first_col..grid.col_end())
                .map(|c| (column_letter(c), cell_text(grid.cell(h, c))))
                .filter(|(_, t)| !t.is_empty())
                .collect();
        }
    }
    // At most one order per row: sized once (up to 262,144 orders; a sparse sheet's rows can be mostly empty), so
    // that the orders (large values) are not moved as it grows.
    let expected = (total_rows as usize).min(1 << 18);
    let mut raw: Vec<RawOrder> = Vec::with_capacity(expected);
    let mut index: HashMap<(String, String), usize> = HashMap::with_capacity(expected);
    let mut done = 0u64;
    for (grid, tables) in &grids {
        let ctx = Ctx {
            lang,
            sheet: grid.sheet.clone(),
            file_tz: tz,
        };
        for t in tables {
            if parsed.header.is_empty()
                && let Some(h) = t.header_row
            {
                parsed.header = (grid.first_col..grid.col_end())
                    .map(|c| cell_text(grid.cell(h, c)))
                    .collect();
            }
            let cols: Vec<(&'static str, Vec<u32>)> = super::channels::all_fields()
                .filter_map(|f| t.columns.get(f).map(|v| (f, v.clone())))
                .collect();
            let has_paid_at_column = t.columns.contains_key("paid_at");
            let has_qty_column = t.columns.contains_key("qty");
            // Rows are read (cells to values, each checked) on every core, a block at a time, and grouped into
            // orders here in file order: each block is grouped while the next one is read.
            let read_block = |range: std::ops::Range<u32>| {
                crate::imports::par_map(range.collect(), |r| {
                    (!grid.row_is_empty(r)).then(|| {
                        Keyed::of(read_row(grid, r, &cols, &ctx), &opts.shop, has_qty_column)
                    })
                })
            };
            let read_block = &read_block;
            let mut block_start = t.data_start;
            let mut reads: Option<Vec<Option<Keyed>>> = None;
            loop {
                control.check()?;
                let range = (block_start < t.data_end)
                    .then(|| block_start..t.data_end.min(block_start.saturating_add(ROW_BLOCK)));
                if range.is_none() && reads.is_none() {
                    break;
                }
                let next = std::thread::scope(|s| {
                    // The first block is read here; the next ones beside the grouping of the one before (or here
                    // when no thread can be had).
                    let Some(reads) = reads.take() else {
                        return range.clone().map(read_block);
                    };
                    let reading = range.clone().map(|r| {
                        std::thread::Builder::new().spawn_scoped(s, move || read_block(r))
                    });
                    for k in reads.into_iter().flatten() {
                        if k.total {
                            parsed.rows_skipped += 1;
                            continue;
                        }
                        parsed.rows_read += 1;
                        let Some(key) = k.key else {
                            let mut issues = k.issues;
                            if !issues.iter().any(|i| i.code == "order_no_float") {
                                let col =
                                    t.columns.get("order_no").and_then(|c| c.first()).copied();
                                issues.push(ctx.issue(k.row, col, "order_no_missing", &[]));
                            }
                            parsed.rows_failed += 1;
                            parsed.rejected.push(RejectedRow {
                                sheet: ctx.sheet.clone(),
                                row: k.row,
                                cells: row_cells(grid, k.row),
                                problems: issues.iter().map(|i| i.message.clone()).collect(),
                            });
                            parsed.errors.extend(issues);
                            continue;
                        };
                        let at = match index.get(&key) {
                            Some(at) => *at,
                            None => {
                                raw.push(RawOrder {
                                    sheet: ctx.sheet.clone(),
                                    shop: key.0.clone(),
                                    order_no: key.1.clone(),
                                    rows: Vec::new(),
                                    vals: BTreeMap::new(),
                                    lines: Vec::new(),
                                    issues: Vec::new(),
                                    warnings: Vec::new(),
                                    has_paid_at_column,
                                    has_qty_column,
                                });
                                index.insert(key, raw.len() - 1);
                                raw.len() - 1
                            }
                        };
                        let o = &mut raw[at];
                        o.rows.push(k.row);
                        o.issues.extend(k.issues);
                        for (f, v) in k.order_vals {
                            match o.vals.get(f) {
                                None => {
                                    o.vals.insert(f, v);
                                }
                                Some((first, _)) if *first != v.0 && f != "order_no" => {
                                    let w = ctx.issue(
                                        k.row,
                                        Some(v.1),
                                        "conflict",
                                        &[
                                            ("field", field_label(lang, f)),
                                            ("first", first.text()),
                                            ("value", v.0.text()),
                                        ],
                                    );
                                    o.warnings.push(w);
                                }
                                _ => {}
                            }
                        }
                        if let Some(line) = k.line {
                            o.lines.push(line);
                        }
                    }
                    match reading {
                        None => None,
                        Some(Ok(h)) => {
                            Some(h.join().unwrap_or_else(|p| std::panic::resume_unwind(p)))
                        }
                        Some(Err(_)) => range.clone().map(read_block),
                    }
                });
                if let Some(r) = range {
                    done += u64::from(r.end - r.start);
                    control.advance(done);
                    block_start = r.end;
                }
                reads = next;
            }
        }
    }
    control.advance(done);
    // Each order is finished (amounts, status, fingerprint) on every core; the results are taken in file order.
    let finished = crate::imports::par_map(raw, |mut o| {
        let ctx = Ctx {
            lang,
            sheet: o.sheet.clone(),
            file_tz: tz,
        };
        let issues = std::mem::take(&mut o.issues);
        let warnings = std::mem::take(&mut o.warnings);
        let rows = o.rows.clone();
        let result = if issues.is_empty() {
            finish(o, opts, company_currency, tz, now, &ctx)
        } else {
            Err(Vec::new())
        };
        (ctx.sheet, rows, issues, warnings, result)
    });
    parsed.ready.reserve_exact(finished.len());
    for (sheet, rows, mut issues, warnings, result) in finished {
        let ctx = Ctx {
            lang,
            sheet,
            file_tz: tz,
        };
        match result {
            Ok(r) => {
                parsed.warnings.extend(warnings);
                parsed.ready.push(r);
            }
            Err(more) => {
                issues.extend(more);
                if rows.len() > 1 {
                    let list: Vec<String> = rows.iter().map(u64::to_string).collect();
                    parsed.warnings.push(ctx.issue(
                        rows[0],
                        None,
                        "order_failed",
                        &[("rows", list.join(", "))],
                    ));
                }
                parsed.rows_failed += rows.len() as u64;
                let grid = grids.iter().map(|g| &g.0).find(|g| g.sheet == ctx.sheet);
                for row in rows {
                    parsed.rejected.push(RejectedRow {
                        sheet: ctx.sheet.clone(),
                        row,
                        cells: grid.map(|g| row_cells(g, row)).unwrap_or_default(),
                        problems: issues
                            .iter()
                            .filter(|i| i.row == row || i.row == 0)
                            .map(|i| i.message.clone())
                            .collect(),
                    });
                }
                parsed.errors.extend(issues);
            }
        }
    }
    Ok(parsed)
}

// ---------------------------------------------------------------------------------------------------------------
// Writing.

/// The platform-driven fields a re-import may change, with their values as text for the event.
fn changes(old: &orders::Model, new: &orders::Model) -> BTreeMap<&'static str, (String, String)> {
    let m = |v: i64| super::money_text(v, &old.currency);
    let mut c = BTreeMap::new();
    let mut put = |k: &'static str, a: String, b: String| {
        if a != b {
            c.insert(k, (a, b));
        }
    };
    put("status", old.status.clone(), new.status.clone());
    put(
        "platform_status",
        old.platform_status.clone(),
        new.platform_status.clone(),
    );
    put("total", m(old.total), m(new.total));
    put("paid", m(old.paid), m(new.paid));
    put("refunded", m(old.refunded), m(new.refunded));
    put(
        "paid_at",
        old.paid_at.map(|t| t.to_rfc3339()).unwrap_or_default(),
        new.paid_at.map(|t| t.to_rfc3339()).unwrap_or_default(),
    );
    put("carrier", old.carrier.clone(), new.carrier.clone());
    put(
        "tracking_no",
        old.tracking_no.clone(),
        new.tracking_no.clone(),
    );
    put(
        "seller_note",
        old.seller_note.clone(),
        new.seller_note.clone(),
    );
    put(
        "buyer_message",
        old.buyer_message.clone(),
        new.buyer_message.clone(),
    );
    c
}

/// A known order a re-import changes: as stored, as it will be, what changed, the new fingerprint.
type Update = (
    orders::Model,
    orders::Model,
    BTreeMap<&'static str, (String, String)>,
    String,
);

/// Where a re-import leaves the status: never backwards, closed and cancelled stay closed, and a platform that
/// closes the trade closes the order.
fn merged_status(old: &str, new: &str) -> String {
    if matches!(old, "closed" | "cancelled") {
        return old.to_string();
    }
    if new == "closed" {
        return new.to_string();
    }
    if status_rank(new) > status_rank(old) {
        new.to_string()
    } else {
        old.to_string()
    }
}

/// SKU resolution: the channel's map, else our SKU code, else our barcode.
pub(crate) struct SkuIndex {
    map: HashMap<String, i64>,
    skus: HashMap<String, i64>,
    barcodes: HashMap<String, i64>,
}

impl SkuIndex {
    pub(crate) async fn load(
        conn: &impl ConnectionTrait,
        channel: &str,
    ) -> Result<Self, SalesError> {
        let map = channel_sku_map::Entity::find()
            .filter(channel_sku_map::Column::Channel.eq(channel))
            .all(conn)
            .await?
            .into_iter()
            .map(|m| (m.platform_sku, m.product_id))
            .collect();
        let mut skus = HashMap::new();
        let mut barcodes = HashMap::new();
        for p in products::Entity::find().all(conn).await? {
            if let Some(b) = p.barcode.as_ref().filter(|b| !b.is_empty()) {
                barcodes.insert(b.clone(), p.id);
            }
            skus.insert(p.sku, p.id);
        }
        Ok(Self {
            map,
            skus,
            barcodes,
        })
    }

    pub(crate) fn find(&self, code: &str) -> Option<i64> {
        if code.is_empty() {
            return None;
        }
        self.map
            .get(code)
            .or_else(|| self.skus.get(code))
            .or_else(|| self.barcodes.get(code))
            .copied()
    }
}

const BATCH: usize = 400;

/// Review on import: judges the new orders waiting for review, oldest first, under the ids given to them
/// (`order_ids`, by place in `new_orders`), and sets what each verdict stores on its order before it is stored.
/// Each verdict comes with its order's place.
async fn review_incoming(
    conn: &impl ConnectionTrait,
    new_orders: &mut [Ready],
    order_ids: &[i64],
) -> Result<
    (
        super::review::ReviewSummary,
        Vec<(usize, super::review::Verdict)>,
    ),
    SalesError,
> {
    use super::review::{Reviewed, ReviewedLine, StoredOutcome};
    let mut place: HashMap<i64, usize> = HashMap::new();
    let mut targets: Vec<Reviewed> = new_orders
        .iter()
        .zip(order_ids)
        .enumerate()
        .filter(|(_, (r, _))| r.model.status == "pending_review")
        .map(|(i, (r, id))| {
            place.insert(*id, i);
            Reviewed::incoming(*id, &r.model)
        })
        .collect();
    targets.sort_by_key(|o| (o.ordered_at, o.id));
    let lines: HashMap<i64, Vec<ReviewedLine>> = targets
        .iter()
        .map(|o| {
            let ls = new_orders[place[&o.id]]
                .lines
                .iter()
                .map(|l| ReviewedLine {
                    order_id: o.id,
                    product_id: l.product_id,
                    qty: l.qty,
                    unit_price: l.unit_price,
                })
                .collect();
            (o.id, ls)
        })
        .collect();
    let (mut summary, mut verdicts) = super::review::judge_incoming(conn, &targets, &lines).await?;
    for v in &mut verdicts {
        let out = StoredOutcome::of(v);
        let m = &mut new_orders[place[&v.order_id]].model;
        m.status = out.status.to_string();
        m.hold_reasons = out.hold_reasons;
        m.priority = out.priority;
        m.tags = out.tags;
        m.warehouse_code = out.warehouse;
    }
    // The first 200 verdicts to show, held first, as a review run gives them.
    let mut shown: Vec<_> = verdicts
        .iter()
        .filter(|v| v.held)
        .take(200)
        .cloned()
        .collect();
    shown.extend(
        verdicts
            .iter()
            .filter(|v| !v.held)
            .take(200 - shown.len())
            .cloned(),
    );
    summary.verdicts = shown;
    let verdicts = verdicts
        .into_iter()
        .map(|v| (place[&v.order_id], v))
        .collect();
    Ok((summary, verdicts))
}

/// Imports an order export (see the module comment). `Err` only when the file cannot be read at all or the
/// database fails; row problems are in the summary.
pub async fn import(
    desk: &Shopdesk,
    actor: &Actor,
    wb: &Workbook,
    opts: &OrderImportOptions,
    control: &Control,
) -> Result<OrderImportSummary, SalesError> {
    import_writing_rejects(desk, actor, wb, opts, control, None).await
}

/// [`import`], also writing the rows that fail to `rejects_to` (.xlsx) from the same read of the file, before
/// anything is committed.
async fn import_writing_rejects(
    desk: &Shopdesk,
    actor: &Actor,
    wb: &Workbook,
    opts: &OrderImportOptions,
    control: &Control,
    rejects_to: Option<&Path>,
) -> Result<OrderImportSummary, SalesError> {
    actor.require(Permission::EditOrders)?;
    if opts.channel == Channel::Manual {
        return Err(SalesError::UnknownChannel("manual".into()));
    }
    let company = desk.company();
    let company_currency = Currency::parse(&company.currency).unwrap_or(Currency::CNY);
    let now = desk.now();
    let t0 = std::time::Instant::now();
    let (mapping, saved) = effective_mapping(desk, opts).await?;
    let parsed = parse(
        wb,
        opts,
        &mapping,
        saved,
        &actor.language,
        company_currency,
        company.tz(),
        now,
        control,
    )?;
    tracing::debug!(
        orders = parsed.ready.len(),
        ms = t0.elapsed().as_millis() as u64,
        "orders parsed"
    );
    if let Some(out) = rejects_to {
        save_rejects(&parsed, out, &actor.language)?;
    }
    let channel = opts.channel.as_str();
    let mut summary = OrderImportSummary {
        file: wb.file_name.clone(),
        file_hash: wb.hash.clone(),
        channel: opts.channel,
        dry_run: opts.dry_run,
        import_id: None,
        rows_read: parsed.rows_read,
        orders_created: 0,
        orders_updated: 0,
        orders_unchanged: 0,
        lines: 0,
        rows_failed: parsed.rows_failed,
        rows_skipped: parsed.rows_skipped,
        unmapped_skus: Vec::new(),
        unmapped_sku_count: 0,
        errors: parsed.errors,
        warnings: parsed.warnings,
        created_by_status: BTreeMap::new(),
        mapping_source: parsed.mapping_source.to_string(),
        columns: parsed.columns,
        headers: parsed.headers,
        review: None,
        allocation: None,
    };
    // Shared (an `Arc`) with the writes that run as their own task.
    let txn_arc = std::sync::Arc::new(crate::db::SharedTxn::new(
        desk.bulk_txn(&["sales_orders"]).await?,
    ));
    let txn: &crate::db::SharedTxn = &txn_arc;
    // The orders of this channel the file names, as stored: first their fingerprints (by the unique index on
    // channel + shop + number), then whole rows only for those that changed.
    let mut by_shop: BTreeMap<&str, Vec<&str>> = BTreeMap::new();
    for r in &parsed.ready {
        by_shop.entry(&r.shop).or_default().push(&r.order_no);
    }
    let mut known: HashMap<(String, String), (i64, String)> = HashMap::new();
    for (shop, nos) in &by_shop {
        for chunk in nos.chunks(BATCH) {
            for (id, no, hash) in orders::Entity::find()
                .select_only()
                .column(orders::Column::Id)
                .column(orders::Column::PlatformOrderNo)
                .column(orders::Column::RowHash)
                .filter(orders::Column::Channel.eq(channel))
                .filter(orders::Column::Shop.eq(*shop))
                .filter(orders::Column::PlatformOrderNo.is_in(chunk.iter().copied()))
                .into_tuple::<(i64, String, String)>()
                .all(txn)
                .await?
            {
                known.insert((shop.to_string(), no), (id, hash));
            }
        }
    }
    let changed: Vec<i64> = parsed
        .ready
        .iter()
        .filter_map(|r| match known.get(&(r.shop.clone(), r.order_no.clone())) {
            Some((id, hash)) if *hash != r.hash => Some(*id),
            _ => None,
        })
        .collect();
    let mut existing: HashMap<(String, String), orders::Model> = HashMap::new();
    for chunk in changed.chunks(BATCH) {
        for o in orders::Entity::find()
            .filter(orders::Column::Id.is_in(chunk.iter().copied()))
            .all(txn)
            .await?
        {
            existing.insert((o.shop.clone(), o.platform_order_no.clone()), o);
        }
    }
    let skus = SkuIndex::load(txn, channel).await?;
    tracing::debug!(
        known = known.len(),
        ms = t0.elapsed().as_millis() as u64,
        "orders looked up"
    );
    let mut unmapped: std::collections::BTreeSet<String> = Default::default();
    let mut new_orders: Vec<Ready> = Vec::with_capacity(parsed.ready.len());
    let mut updates: Vec<Update> = Vec::new();
    for mut r in parsed.ready {
        let key = (r.shop.clone(), r.order_no.clone());
        if known.contains_key(&key) && !existing.contains_key(&key) {
            summary.orders_unchanged += 1;
            continue;
        }
        match existing.get(&key) {
            Some(old) if old.row_hash == r.hash => summary.orders_unchanged += 1,
            Some(old) => {
                let mut new = (*r.model).clone();
                new.status = merged_status(&old.status, &r.model.status);
                let c = changes(old, &new);
                if c.is_empty() {
                    summary.orders_unchanged += 1;
                } else {
                    summary.orders_updated += 1;
                    updates.push((old.clone(), new, c, r.hash.clone()));
                }
            }
            None => {
                for l in &mut r.lines {
                    l.product_id = skus
                        .find(&l.platform_sku)
                        .or_else(|| skus.find(&l.platform_item_id));
                    if l.product_id.is_none() {
                        let code = if l.platform_sku.is_empty() {
                            &l.platform_item_id
                        } else {
                            &l.platform_sku
                        };
                        if !code.is_empty() {
                            unmapped.insert(code.clone());
                        }
                    }
                }
                summary.orders_created += 1;
                summary.lines += r.lines.len() as u64;
                *summary
                    .created_by_status
                    .entry(r.model.status.clone())
                    .or_default() += 1;
                new_orders.push(r);
            }
        }
    }
    summary.unmapped_sku_count = unmapped.len() as u64;
    summary.unmapped_skus = unmapped.into_iter().take(100).collect();
    if opts.dry_run {
        if let Some(t) = std::sync::Arc::into_inner(txn_arc) {
            t.into_inner().rollback().await?;
        }
        return Ok(summary);
    }
    control.check()?;
    // A file that gave no prices at all (a wholesale or offline list of SKUs and quantities): priced here.
    const PRICE_FIELDS: &[&str] = &["unit_price", "line_amount", "goods_amount", "total", "paid"];
    let priced = PRICE_FIELDS
        .iter()
        .any(|f| summary.columns.contains_key(*f));
    // The new orders' and lines' ids, given now: nothing is read back after the inserts, and the lines can be
    // written before their orders. Order `i` is `order_ids[i]`; its lines are `line_ids[line_start[i]..]`.
    let order_ids = crate::db::reserve_ids(txn, "sales_orders", new_orders.len()).await?;
    let mut line_start = Vec::with_capacity(new_orders.len());
    let mut nlines = 0usize;
    for r in &new_orders {
        line_start.push(nlines);
        nlines += r.lines.len();
    }
    let line_ids = crate::db::reserve_ids(txn, "sales_order_lines", nlines).await?;
    // On SQLite the lines are written as their own task while the orders are reviewed and allocated here (their
    // statuses wait for that; the lines do not), with the foreign keys checked at the commit. PostgreSQL checks
    // them at once, so there the lines follow their orders.
    let mut lines_task = None;
    if txn.get_database_backend() == sea_orm::DbBackend::Sqlite {
        txn.execute_unprepared("PRAGMA defer_foreign_keys = ON")
            .await?;
        let models: Vec<lines::ActiveModel> =
            line_models(&new_orders, &order_ids, &line_ids).collect();
        let (t, c) = (txn_arc.clone(), control.clone());
        lines_task = Some(crate::db::Background::spawn(async move {
            crate::db::insert_all(
                &*t,
                models.into_iter().take_while(move |_| !c.is_cancelled()),
            )
            .await
        }));
    }
    let settings = super::review::load_settings(txn).await?;
    let review_on_import = settings.review_on_import;
    // Allocation on import (审核后自动分仓) follows the review on import, for those who may reserve stock.
    let allocate_on_import = review_on_import
        && settings.allocate_on_import
        && actor.role.allows(Permission::ReserveStock);
    // Review on import (自动审单): the new orders waiting for review are judged before they are stored, and stored
    // approved or held. (Those of a file without prices are reviewed once priced, below.)
    let mut verdicts: HashMap<usize, super::review::Verdict> = HashMap::new();
    if review_on_import
        && priced
        && new_orders
            .iter()
            .any(|r| r.model.status == "pending_review")
    {
        let t = std::time::Instant::now();
        let (review, vs) = review_incoming(txn, &mut new_orders, &order_ids).await?;
        tracing::debug!(
            orders = review.orders,
            ms = t.elapsed().as_millis() as u64,
            "orders reviewed on import"
        );
        for (i, v) in vs {
            let status = if v.held { "held" } else { "approved" };
            summary.move_created("pending_review", status, 1);
            verdicts.insert(i, v);
        }
        summary.review = Some(review);
    }
    // Allocation on import: the approved orders' parcels are drawn up before the orders are stored, under the ids
    // given to them and their lines, so that those wholly allocated are stored so.
    let mut allocation = None;
    if allocate_on_import && !verdicts.is_empty() {
        let t = std::time::Instant::now();
        let run = super::allocate::Run::incoming(
            new_orders
                .iter()
                .enumerate()
                .filter(|(i, r)| verdicts.contains_key(i) && r.model.status == "approved")
                .map(|(i, r)| {
                    let ls = r
                        .lines
                        .iter()
                        .zip(&line_ids[line_start[i]..])
                        .map(|(l, id)| (*id, l.product_id, l.qty))
                        .collect();
                    (order_ids[i], &*r.model, ls)
                }),
        );
        let drafts = run
            .plan(txn, &super::allocate::AllocateOptions::default())
            .await?;
        let mut run = run;
        let outcomes = run.outcomes(&drafts);
        for (r, id) in new_orders.iter_mut().zip(&order_ids) {
            if outcomes.get(id).map(|o| o.0) == Some(super::allocate::Outcome::Allocated) {
                r.model.status = "allocated".into();
                summary.move_created("approved", "allocated", 1);
            }
        }
        tracing::debug!(
            parcels = drafts.len(),
            ms = t.elapsed().as_millis() as u64,
            "orders allocated on import (planned)"
        );
        allocation = Some((run, drafts));
    }
    let import = order_imports::ActiveModel {
        channel: Set(channel.to_string()),
        file_name: Set(truncate(&wb.file_name, 255)),
        file_hash: Set(wb.hash.clone()),
        rows_read: Set(summary.rows_read as i64),
        orders_created: Set(summary.orders_created as i64),
        orders_updated: Set(summary.orders_updated as i64),
        lines: Set(summary.lines as i64),
        rows_failed: Set(summary.rows_failed as i64),
        username: Set(actor.username.clone()),
        created_at: Set(now),
        ..Default::default()
    }
    .insert(txn)
    .await?;
    summary.import_id = Some(import.id);
    let t1 = std::time::Instant::now();
    let mut review_events = Vec::with_capacity(verdicts.len());
    // The orders created (id) that wait for review, when a file without prices is reviewed on import.
    let mut waiting_ids = Vec::new();
    for (i, r) in new_orders.iter().enumerate() {
        if let Some(v) = verdicts.get(&i) {
            review_events.push(super::review::event(v, order_ids[i], now, actor));
        } else if review_on_import && !priced && r.model.status == "pending_review" {
            waiting_ids.push(order_ids[i]);
        }
    }
    // Every new order in one bulk insert, each statement built while the one before runs; a cancel stops the
    // orders coming and is answered right after. On SQLite it is a task of its own too, beside the lines', while
    // the timeline events and the parcels are written here.
    let mut orders_task = None;
    if lines_task.is_some() {
        let models: Vec<orders::ActiveModel> = new_orders
            .iter()
            .zip(&order_ids)
            .map(|(r, id)| order_model(r, *id, import.id, now))
            .collect();
        let (t, c) = (txn_arc.clone(), control.clone());
        orders_task = Some(crate::db::Background::spawn(async move {
            crate::db::insert_all(
                &*t,
                models.into_iter().take_while(move |_| !c.is_cancelled()),
            )
            .await
        }));
    } else {
        let models = new_orders
            .iter()
            .zip(&order_ids)
            .take_while(|_| !control.is_cancelled())
            .map(|(r, id)| order_model(r, *id, import.id, now));
        crate::db::insert_all(txn, models).await?;
        control.check()?;
        crate::db::insert_all(txn, line_models(&new_orders, &order_ids, &line_ids)).await?;
    }
    let created = new_orders.len();
    // Freed on a thread of its own (100,000 parsed orders take a fifth of a second to free), beside the writes.
    // (Without a thread to be had, they are freed here.)
    let _ = std::thread::Builder::new().spawn(move || drop(new_orders));
    // The events' ids follow the order they are written in: `approved` or `held`, then `allocated`.
    crate::db::insert_all(txn, review_events).await?;
    if let Some((run, drafts)) = allocation {
        let t = std::time::Instant::now();
        summary.allocation = Some(run.write(desk, txn, actor, drafts, false).await?);
        tracing::debug!(
            ms = t.elapsed().as_millis() as u64,
            "orders allocated on import (written)"
        );
    }
    for task in [lines_task, orders_task].into_iter().flatten() {
        task.join().await?;
    }
    control.check()?;
    if txn.get_database_backend() == sea_orm::DbBackend::Sqlite {
        // What follows checks its foreign keys at once again.
        txn.execute_unprepared("PRAGMA defer_foreign_keys = OFF")
            .await?;
    }
    tracing::debug!(
        orders = created,
        ms = t1.elapsed().as_millis() as u64,
        "orders inserted"
    );
    let mut events = Vec::new();
    // Orders the platform closed (refunded in full, cancelled) since they were allocated or priced here.
    let mut closed_now = Vec::new();
    for (old, new, c, hash) in &updates {
        let done = orders::Entity::update_many()
            .col_expr(orders::Column::Status, new.status.clone().into())
            .col_expr(
                orders::Column::PlatformStatus,
                new.platform_status.clone().into(),
            )
            .col_expr(orders::Column::GoodsAmount, new.goods_amount.into())
            .col_expr(orders::Column::ShippingFee, new.shipping_fee.into())
            .col_expr(orders::Column::Discount, new.discount.into())
            .col_expr(orders::Column::Tax, new.tax.into())
            .col_expr(orders::Column::Total, new.total.into())
            .col_expr(orders::Column::Paid, new.paid.into())
            .col_expr(orders::Column::Refunded, new.refunded.into())
            .col_expr(orders::Column::PaidAt, new.paid_at.into())
            .col_expr(orders::Column::Carrier, new.carrier.clone().into())
            .col_expr(orders::Column::TrackingNo, new.tracking_no.clone().into())
            .col_expr(orders::Column::SellerNote, new.seller_note.clone().into())
            .col_expr(
                orders::Column::BuyerMessage,
                new.buyer_message.clone().into(),
            )
            .col_expr(orders::Column::RowHash, hash.clone().into())
            .col_expr(orders::Column::UpdatedAt, now.into())
            .filter(orders::Column::Id.eq(old.id))
            // Guarded: a review or decision since the read keeps its status (and this change is not claimed).
            .filter(orders::Column::Status.eq(old.status.clone()))
            .exec(txn)
            .await?;
        if done.rows_affected != 1 {
            summary.orders_updated -= 1;
            summary.orders_unchanged += 1;
            continue;
        }
        if ["closed", "cancelled"].contains(&new.status.as_str())
            && !["closed", "cancelled"].contains(&old.status.as_str())
        {
            closed_now.push(old.id);
        }
        let detail: BTreeMap<&str, [&String; 2]> =
            c.iter().map(|(k, (a, b))| (*k, [a, b])).collect();
        events.push(order_events::ActiveModel {
            order_id: Set(old.id),
            at: Set(now),
            username: Set(actor.username.clone()),
            kind: Set("updated".into()),
            detail: Set(serde_json::json!({ "import_id": import.id, "file": wb.file_name, "changes": detail }).to_string()),
            ..Default::default()
        });
    }
    crate::db::insert_all(txn, events).await?;
    let after = serde_json::json!({
        "file": wb.file_name,
        "channel": channel,
        "rows_read": summary.rows_read,
        "orders_created": summary.orders_created,
        "orders_updated": summary.orders_updated,
        "lines": summary.lines,
        "rows_failed": summary.rows_failed,
        "reviewed": summary.review.as_ref().map(|r| serde_json::json!({
            "orders": r.orders,
            "approved": r.approved,
            "held": r.held,
        })),
        "allocated": summary.allocation.as_ref().map(|a| serde_json::json!({
            "orders": a.orders,
            "allocated": a.allocated,
            "parcels": a.parcels,
        })),
    });
    let note = format!("{} {}", channel, wb.file_name);
    super::allocate::cancel_open_parcels(desk, txn, actor, &closed_now, &note).await?;
    for id in &closed_now {
        super::promotions::release_uses(txn, *id).await?;
    }
    if !priced {
        super::promotions::price_unpriced(desk, txn, actor, import.id).await?;
        if review_on_import && !waiting_ids.is_empty() {
            let scope = super::review::ReviewScope {
                order_ids: Some(waiting_ids.clone()),
                ..Default::default()
            };
            let review = super::review::review_in(desk, txn, actor, &scope).await?;
            summary.move_created("pending_review", "approved", review.approved);
            summary.move_created("pending_review", "held", review.held);
            summary.review = Some(review);
            if allocate_on_import {
                let opts = super::allocate::AllocateOptions {
                    order_ids: Some(waiting_ids),
                    ..Default::default()
                };
                let allocated = super::allocate::allocate_in(desk, txn, actor, &opts).await?;
                summary.move_created("approved", "allocated", allocated.allocated);
                summary.allocation = Some(allocated);
            }
        }
    }
    audit::record(
        desk,
        txn,
        actor,
        Action::Import,
        "order_import",
        Some(import.id),
        &wb.file_name,
        None::<&()>,
        Some(&after),
    )
    .await?;
    if opts.save_mapping && !opts.mapping.is_empty() {
        crate::imports::mappings::save(
            txn,
            MAPPING_KIND,
            mapping_owner(opts.channel),
            &opts.mapping,
            &actor.username,
            now,
        )
        .await?;
    }
    control.check()?;
    let t = std::time::Instant::now();
    desk.commit_bulk(
        std::sync::Arc::into_inner(txn_arc)
            .ok_or_else(|| {
                sea_orm::DbErr::Custom("the import's transaction is still shared".into())
            })?
            .into_inner(),
    )
    .await?;
    tracing::debug!(ms = t.elapsed().as_millis() as u64, "orders committed");
    Ok(summary)
}

/// The mapping to read with: the one given, else the channel's saved one (`true`), else none (detection).
async fn effective_mapping(
    desk: &Shopdesk,
    opts: &OrderImportOptions,
) -> Result<(Mapping, bool), SalesError> {
    if !opts.mapping.is_empty() {
        return Ok((opts.mapping.clone(), false));
    }
    match crate::imports::mappings::load(desk.db(), MAPPING_KIND, mapping_owner(opts.channel))
        .await?
    {
        Some(m) if !m.is_empty() => Ok((m, true)),
        _ => Ok((Mapping::default(), false)),
    }
}

/// Reads a file and imports it; with `rejects`, the rows that failed are written there as .xlsx.
pub async fn import_file(
    desk: &Shopdesk,
    actor: &Actor,
    path: &Path,
    opts: &OrderImportOptions,
    rejects_to: Option<&Path>,
    control: &Control,
) -> Result<OrderImportSummary, SalesError> {
    let wb = Workbook::open(path, opts.encoding)?;
    import_writing_rejects(desk, actor, &wb, opts, control, rejects_to).await
}

/// Writes the rows of a file that cannot be imported, with their problems, to an .xlsx (how many). Reads with
/// the same mapping as the import (given, else the channel's saved one).
pub async fn write_rejects(
    desk: &Shopdesk,
    actor: &Actor,
    wb: &Workbook,
    opts: &OrderImportOptions,
    out: &Path,
) -> Result<usize, SalesError> {
    let company = desk.company();
    let (mapping, saved) = effective_mapping(desk, opts).await?;
    let parsed = parse(
        wb,
        opts,
        &mapping,
        saved,
        &actor.language,
        Currency::parse(&company.currency).unwrap_or(Currency::CNY),
        company.tz(),
        desk.now(),
        &Control::new(),
    )?;
    save_rejects(&parsed, out, &actor.language)
}

fn save_rejects(parsed: &Parsed, out: &Path, lang: &str) -> Result<usize, SalesError> {
    rejects::write(out, &parsed.header, &parsed.rejected, rejects::labels(lang)).map_err(|e| {
        ImportError::Read {
            file: out.display().to_string(),
            reason: e.to_string(),
        }
    })?;
    Ok(parsed.rejected.len())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_reimport_never_moves_an_order_backwards() {
        assert_eq!(merged_status("unpaid", "pending_review"), "pending_review");
        assert_eq!(merged_status("approved", "pending_review"), "approved");
        assert_eq!(merged_status("approved", "shipped"), "shipped");
        assert_eq!(merged_status("allocated", "closed"), "closed");
        assert_eq!(merged_status("closed", "pending_review"), "closed");
        assert_eq!(merged_status("shipped", "completed"), "completed");
    }

    #[test]
    fn texts_are_cut_to_their_columns_by_characters_not_bytes() {
        assert_eq!(truncate("上海市浦东新区", 3), "上海市");
        assert_eq!(truncate("上海市", 3), "上海市");
        assert_eq!(truncate("上海", 5), "上海");
        assert_eq!(truncate("B000000001", 4), "B000");
        assert_eq!(truncate("", 4), "");
        assert_eq!(truncate("ab上", 3), "ab上");
        assert_eq!(truncate("ab上c", 3), "ab上");
    }
}
