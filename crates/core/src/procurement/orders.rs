//! Purchase orders (采购订单): draft → submitted → approved (amount limit per role) → sent → partially received →
//! received → closed, or cancelled; goods receipts (入库验收) against PO lines with accepted and rejected
//! quantities and an over-receipt tolerance, posted to the stock ledger in the same transaction; the chasing list
//! (催货) of lines that are late or about to be.
//!
//! Amounts: a line's net is unit price × quantity rounded half away from zero to the fen; its tax is net × rate
//! rounded the same way; the order's totals are the sums of its lines (so the lines always add up to the total).
//! Every change of status is one transaction with its audit row.

use super::ProcurementError;
use crate::Shopdesk;
use crate::audit::{self, Action};
use crate::auth::{Actor, Permission, Role};
use crate::entities::{
    locations, products, purchase_order_lines as lines, purchase_orders as orders,
    purchase_receipt_lines as rlines, purchase_receipts as receipts, suppliers, warehouses,
};
use crate::error::{FieldError, FieldErrors};
use crate::inventory::{self, Movement, MovementKind};
use crate::listing::{ListQuery, Page, fetch_page, search_any};
use crate::money::{Currency, Money, UnitPrice};
use chrono::{DateTime, NaiveDate, Utc};
use rust_decimal::{Decimal, RoundingStrategy};
use sea_orm::sea_query::{Expr, ExprTrait};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QueryOrder, Set,
};
use serde::{Deserialize, Serialize};
use std::collections::HashMap;
use std::str::FromStr;
use ts_rs::TS;

pub const STATUSES: &[&str] = &[
    "draft",
    "submitted",
    "approved",
    "sent",
    "partially_received",
    "received",
    "closed",
    "cancelled",
];

/// Goods may arrive up to this share over the ordered quantity (in per mille: 100 = 10%).
pub const OVER_RECEIPT_TOLERANCE_PERMILLE: i64 = 100;

/// The largest order total (minor units of the company currency) a role may approve; `None` is no limit.
/// Purchasing clerks approve small orders themselves (the limit is a setting, default 10,000.00); larger ones
/// wait for a manager.
pub fn approval_limit(role: Role, rules: &crate::settings::ProcurementRules) -> Option<i64> {
    match role {
        Role::Admin | Role::Manager => None,
        Role::Purchasing => Some(rules.purchasing_approval_limit),
        _ => Some(0),
    }
}

pub const REJECT_REASONS: &[&str] = &["quality", "packaging", "wrong_item", "damaged", "other"];

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(default)]
pub struct PoLineInput {
    pub sku: String,
    #[ts(type = "number")]
    pub qty: i64,
    /// Before tax, up to 4 decimals.
    pub unit_price: String,
    /// Percent, e.g. `13` or `6.5`.
    pub tax_rate: String,
    #[ts(type = "string | null")]
    pub expected_date: Option<NaiveDate>,
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(default)]
pub struct PoInput {
    pub supplier_code: String,
    pub warehouse_code: String,
    /// Default: the company currency.
    pub currency: Option<String>,
    #[ts(type = "string | null")]
    pub expected_date: Option<NaiveDate>,
    pub notes: String,
    pub lines: Vec<PoLineInput>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct PoLine {
    #[ts(type = "number")]
    pub id: i64,
    pub line_no: i32,
    pub sku: String,
    pub name: String,
    pub spec: String,
    pub unit: String,
    #[ts(type = "number")]
    pub qty: i64,
    pub unit_price: String,
    pub tax_rate: String,
    pub net_amount: String,
    pub tax_amount: String,
    pub total_amount: String,
    #[ts(type = "string | null")]
    pub expected_date: Option<NaiveDate>,
    #[ts(type = "number")]
    pub received_qty: i64,
    #[ts(type = "number")]
    pub rejected_qty: i64,
    /// Ordered − received (never below zero).
    #[ts(type = "number")]
    pub outstanding_qty: i64,
    #[ts(type = "string | null")]
    pub promised_date: Option<NaiveDate>,
    pub chase_note: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct PurchaseOrder {
    #[ts(type = "number")]
    pub id: i64,
    pub po_no: String,
    pub supplier_code: String,
    pub supplier_name: String,
    pub supplier_contact: String,
    pub supplier_phone: String,
    pub warehouse_code: String,
    pub warehouse_name: String,
    pub status: String,
    pub currency: String,
    #[ts(type = "string")]
    pub order_date: NaiveDate,
    #[ts(type = "string | null")]
    pub expected_date: Option<NaiveDate>,
    pub net_amount: String,
    pub tax_amount: String,
    pub total_amount: String,
    pub notes: String,
    pub created_by: String,
    pub approved_by: Option<String>,
    pub approved_at: Option<DateTime<Utc>>,
    pub sent_at: Option<DateTime<Utc>>,
    pub lines: Vec<PoLine>,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

pub(super) fn money_text(fen: i64, currency: &str) -> String {
    Money::from_minor(fen, Currency::parse(currency).unwrap_or(Currency::CNY)).to_string()
}

pub(super) fn rate_text(bp: i32) -> String {
    Decimal::new(i64::from(bp), 2).normalize().to_string()
}

/// A tax rate typed in percent (`13`, `6.5`; 0–100, at most 2 decimals) as basis points.
pub(super) fn parse_rate(text: &str) -> Option<i32> {
    Decimal::from_str(text.trim())
        .ok()
        .filter(|d| *d >= Decimal::ZERO && *d <= Decimal::from(100) && d.normalize().scale() <= 2)
        .and_then(|d| rust_decimal::prelude::ToPrimitive::to_i32(&(d * Decimal::from(100))))
}

/// Net and tax of a line, in fen: each rounded half away from zero.
pub fn line_amounts(
    unit_price: UnitPrice,
    qty: i64,
    tax_rate_bp: i32,
    currency: Currency,
) -> Option<(i64, i64)> {
    let net = unit_price.times(qty, currency).ok()?.minor();
    let tax = (Decimal::from(net) * Decimal::new(i64::from(tax_rate_bp), 4))
        .round_dp_with_strategy(0, RoundingStrategy::MidpointAwayFromZero);
    use rust_decimal::prelude::ToPrimitive;
    Some((net, tax.to_i64()?))
}

struct ValidLine {
    product_id: i64,
    qty: i64,
    unit_price: i64,
    tax_rate_bp: i32,
    net: i64,
    tax: i64,
    expected_date: Option<NaiveDate>,
}

struct Valid {
    supplier: suppliers::Model,
    warehouse_id: i64,
    currency: String,
    expected_date: Option<NaiveDate>,
    notes: String,
    lines: Vec<ValidLine>,
}

pub(super) fn invalid(errs: Vec<FieldError>) -> ProcurementError {
    ProcurementError::Validation(FieldErrors(errs))
}

async fn validate(
    desk: &Shopdesk,
    conn: &impl ConnectionTrait,
    i: &PoInput,
) -> Result<Valid, ProcurementError> {
    let mut errs = Vec::new();
    let supplier = suppliers::Entity::find()
        .filter(suppliers::Column::Code.eq(i.supplier_code.trim()))
        .one(conn)
        .await?;
    if supplier.is_none() {
        errs.push(FieldError::new("supplier_code", "not_found").with("value", &i.supplier_code));
    }
    let warehouse = warehouses::Entity::find()
        .filter(warehouses::Column::Code.eq(i.warehouse_code.trim()))
        .one(conn)
        .await?;
    if warehouse.is_none() {
        errs.push(FieldError::new("warehouse_code", "not_found").with("value", &i.warehouse_code));
    }
    let currency = i
        .currency
        .clone()
        .unwrap_or_else(|| desk.company().currency);
    let cur = match Currency::parse(&currency) {
        Ok(c) => c,
        Err(_) => {
            errs.push(FieldError::new("currency", "invalid"));
            Currency::CNY
        }
    };
    if i.lines.is_empty() {
        errs.push(FieldError::new("lines", "required"));
    }
    if i.notes.chars().count() > 1000 {
        errs.push(FieldError::new("notes", "too_long").with("max", 1000));
    }
    let skus: Vec<String> = i.lines.iter().map(|l| l.sku.trim().to_string()).collect();
    let found: HashMap<String, i64> = products::Entity::find()
        .filter(products::Column::Sku.is_in(skus))
        .all(conn)
        .await?
        .into_iter()
        .map(|p| (p.sku, p.id))
        .collect();
    let mut lines_out = Vec::new();
    for (n, l) in i.lines.iter().enumerate() {
        let f = |name: &str| format!("lines.{n}.{name}");
        let product_id = found.get(l.sku.trim()).copied();
        if product_id.is_none() {
            errs.push(FieldError::new(&f("sku"), "not_found").with("value", &l.sku));
        }
        if l.qty <= 0 {
            errs.push(FieldError::new(&f("qty"), "positive"));
        }
        let price = match UnitPrice::parse(&l.unit_price) {
            Ok(p) if p.ten_thousandths() >= 0 => Some(p),
            _ => {
                errs.push(FieldError::new(&f("unit_price"), "price").with("value", &l.unit_price));
                None
            }
        };
        let rate = if l.tax_rate.trim().is_empty() {
            Some(0)
        } else {
            parse_rate(&l.tax_rate)
        };
        if rate.is_none() {
            errs.push(FieldError::new(&f("tax_rate"), "tax_rate").with("value", &l.tax_rate));
        }
        if let (Some(product_id), Some(price), Some(rate)) = (product_id, price, rate)
            && l.qty > 0
        {
            match line_amounts(price, l.qty, rate, cur) {
                Some((net, tax)) => lines_out.push(ValidLine {
                    product_id,
                    qty: l.qty,
                    unit_price: price.ten_thousandths(),
                    tax_rate_bp: rate,
                    net,
                    tax,
                    expected_date: l.expected_date.or(i.expected_date),
                }),
                None => errs.push(FieldError::new(&f("qty"), "out_of_range")),
            }
        }
    }
    if !errs.is_empty() {
        return Err(invalid(errs));
    }
    Ok(Valid {
        supplier: supplier.ok_or(ProcurementError::NoSuchSupplier(i.supplier_code.clone()))?,
        warehouse_id: warehouse.map(|w| w.id).unwrap_or_default(),
        currency: cur.to_string(),
        expected_date: i.expected_date,
        notes: i.notes.clone(),
        lines: lines_out,
    })
}

async fn load(conn: &impl ConnectionTrait, id: i64) -> Result<PurchaseOrder, ProcurementError> {
    let o = orders::Entity::find_by_id(id)
        .one(conn)
        .await?
        .ok_or(ProcurementError::NotFound {
            entity: "purchase_order",
            id,
        })?;
    let ls = lines::Entity::find()
        .filter(lines::Column::PoId.eq(id))
        .order_by_asc(lines::Column::LineNo)
        .all(conn)
        .await?;
    let pids: Vec<i64> = ls.iter().map(|l| l.product_id).collect();
    let prods: HashMap<i64, products::Model> = products::Entity::find()
        .filter(products::Column::Id.is_in(pids))
        .all(conn)
        .await?
        .into_iter()
        .map(|p| (p.id, p))
        .collect();
    let s = suppliers::Entity::find_by_id(o.supplier_id)
        .one(conn)
        .await?;
    let w = warehouses::Entity::find_by_id(o.warehouse_id)
        .one(conn)
        .await?;
    let cur = o.currency.clone();
    Ok(PurchaseOrder {
        id: o.id,
        po_no: o.po_no,
        supplier_code: s.as_ref().map(|s| s.code.clone()).unwrap_or_default(),
        supplier_name: s.as_ref().map(|s| s.name.clone()).unwrap_or_default(),
        supplier_contact: s
            .as_ref()
            .map(|s| s.contact_name.clone())
            .unwrap_or_default(),
        supplier_phone: s.as_ref().map(|s| s.phone.clone()).unwrap_or_default(),
        warehouse_code: w.as_ref().map(|w| w.code.clone()).unwrap_or_default(),
        warehouse_name: w.as_ref().map(|w| w.name.clone()).unwrap_or_default(),
        status: o.status,
        currency: o.currency,
        order_date: o.order_date,
        expected_date: o.expected_date,
        net_amount: money_text(o.net_amount, &cur),
        tax_amount: money_text(o.tax_amount, &cur),
        total_amount: money_text(o.total_amount, &cur),
        notes: o.notes,
        created_by: o.created_by,
        approved_by: o.approved_by,
        approved_at: o.approved_at,
        sent_at: o.sent_at,
        lines: ls
            .into_iter()
            .map(|l| {
                let p = prods.get(&l.product_id);
                PoLine {
                    id: l.id,
                    line_no: l.line_no,
                    sku: p.map(|p| p.sku.clone()).unwrap_or_default(),
                    name: p.map(|p| p.name.clone()).unwrap_or_default(),
                    spec: p.map(|p| p.spec.clone()).unwrap_or_default(),
                    unit: p.map(|p| p.unit.clone()).unwrap_or_default(),
                    qty: l.qty,
                    unit_price: UnitPrice::from_ten_thousandths(l.unit_price).to_string(),
                    tax_rate: rate_text(l.tax_rate_bp),
                    net_amount: money_text(l.net_amount, &cur),
                    tax_amount: money_text(l.tax_amount, &cur),
                    total_amount: money_text(l.net_amount + l.tax_amount, &cur),
                    expected_date: l.expected_date,
                    received_qty: l.received_qty,
                    rejected_qty: l.rejected_qty,
                    outstanding_qty: Ord::max(l.qty - l.received_qty, 0),
                    promised_date: l.promised_date,
                    chase_note: l.chase_note,
                }
            })
            .collect(),
        created_at: o.created_at,
        updated_at: o.updated_at,
    })
}

pub async fn get(
    desk: &Shopdesk,
    actor: &Actor,
    id: i64,
) -> Result<PurchaseOrder, ProcurementError> {
    actor.require(Permission::ViewMasterData)?;
    load(desk.db(), id).await
}

pub async fn find_by_no(
    desk: &Shopdesk,
    actor: &Actor,
    po_no: &str,
) -> Result<PurchaseOrder, ProcurementError> {
    actor.require(Permission::ViewMasterData)?;
    let o = orders::Entity::find()
        .filter(orders::Column::PoNo.eq(po_no.trim()))
        .one(desk.db())
        .await?
        .ok_or(ProcurementError::NotFound {
            entity: "purchase_order",
            id: 0,
        })?;
    load(desk.db(), o.id).await
}

/// Purchase orders, newest first; `query.status` filters by status, `query.search` by PO number.
pub async fn list(
    desk: &Shopdesk,
    actor: &Actor,
    query: &ListQuery,
) -> Result<Page<PurchaseOrder>, ProcurementError> {
    actor.require(Permission::ViewMasterData)?;
    let mut select = orders::Entity::find();
    if let Some(t) = query.search_text() {
        select = select.filter(search_any(
            &[orders::Column::PoNo, orders::Column::Notes],
            t,
        ));
    }
    if let Some(s) = query
        .status
        .as_deref()
        .filter(|s| !s.is_empty() && *s != "all" && *s != "active")
    {
        select = select.filter(orders::Column::Status.eq(s));
    }
    let mut q = query.clone();
    if q.sort.is_none() {
        q.desc = true;
    }
    let (rows, total) = fetch_page(
        desk.db(),
        select,
        &q,
        &[
            ("po_no", orders::Column::PoNo),
            ("order_date", orders::Column::OrderDate),
            ("total_amount", orders::Column::TotalAmount),
            ("status", orders::Column::Status),
        ],
        orders::Column::Id,
    )
    .await?;
    let mut items = Vec::with_capacity(rows.len());
    for r in rows {
        items.push(load(desk.db(), r.id).await?);
    }
    Ok(Page {
        items,
        total,
        page: query.page(),
        page_size: query.page_size(),
    })
}

async fn write_lines(
    conn: &impl ConnectionTrait,
    po_id: i64,
    v: &Valid,
) -> Result<(i64, i64), ProcurementError> {
    lines::Entity::delete_many()
        .filter(lines::Column::PoId.eq(po_id))
        .exec(conn)
        .await?;
    let (mut net, mut tax) = (0i64, 0i64);
    for (n, l) in v.lines.iter().enumerate() {
        let (Some(n2), Some(t2)) = (net.checked_add(l.net), tax.checked_add(l.tax)) else {
            return Err(invalid(vec![FieldError::new("lines", "out_of_range")]));
        };
        if n2.checked_add(t2).is_none() {
            return Err(invalid(vec![FieldError::new("lines", "out_of_range")]));
        }
        (net, tax) = (n2, t2);
        lines::ActiveModel {
            po_id: Set(po_id),
            line_no: Set(n as i32 + 1),
            product_id: Set(l.product_id),
            qty: Set(l.qty),
            unit_price: Set(l.unit_price),
            tax_rate_bp: Set(l.tax_rate_bp),
            net_amount: Set(l.net),
            tax_amount: Set(l.tax),
            expected_date: Set(l.expected_date),
            received_qty: Set(0),
            rejected_qty: Set(0),
            promised_date: Set(None),
            chased_at: Set(None),
            chase_note: Set(String::new()),
            ..Default::default()
        }
        .insert(conn)
        .await?;
    }
    Ok((net, tax))
}

/// A new draft PO (any supplier; qualification is checked when it is submitted and sent).
pub async fn create(
    desk: &Shopdesk,
    actor: &Actor,
    input: &PoInput,
) -> Result<PurchaseOrder, ProcurementError> {
    actor.require(Permission::EditPurchaseOrders)?;
    let txn = desk.write_txn().await?;
    let v = validate(desk, &txn, input).await?;
    let now = desk.now();
    let po_no = crate::docno::next(&txn, "PO", desk.biz_date(now)).await?;
    let o = orders::ActiveModel {
        po_no: Set(po_no),
        supplier_id: Set(v.supplier.id),
        warehouse_id: Set(v.warehouse_id),
        status: Set("draft".into()),
        currency: Set(v.currency.clone()),
        order_date: Set(desk.biz_date(now)),
        expected_date: Set(v.expected_date),
        net_amount: Set(0),
        tax_amount: Set(0),
        total_amount: Set(0),
        notes: Set(v.notes.clone()),
        created_by: Set(actor.username.clone()),
        approved_by: Set(None),
        approved_at: Set(None),
        sent_at: Set(None),
        created_at: Set(now),
        updated_at: Set(now),
        ..Default::default()
    }
    .insert(&txn)
    .await?;
    let (net, tax) = write_lines(&txn, o.id, &v).await?;
    let mut am: orders::ActiveModel = o.into();
    am.net_amount = Set(net);
    am.tax_amount = Set(tax);
    am.total_amount = Set(net + tax);
    let o = am.update(&txn).await?;
    let po = load(&txn, o.id).await?;
    audit::record(
        desk,
        &txn,
        actor,
        Action::Create,
        "purchase_order",
        Some(po.id),
        &po.po_no,
        None::<&()>,
        Some(&po),
    )
    .await?;
    txn.commit().await?;
    Ok(po)
}

/// Replaces a draft's header and lines.
pub async fn update(
    desk: &Shopdesk,
    actor: &Actor,
    id: i64,
    input: &PoInput,
) -> Result<PurchaseOrder, ProcurementError> {
    actor.require(Permission::EditPurchaseOrders)?;
    let txn = desk.write_txn().await?;
    let before = load(&txn, id).await?;
    if before.status != "draft" {
        return Err(ProcurementError::Status {
            po_no: before.po_no,
            status: before.status,
            action: "edit",
        });
    }
    let v = validate(desk, &txn, input).await?;
    let (net, tax) = write_lines(&txn, id, &v).await?;
    orders::ActiveModel {
        id: Set(id),
        supplier_id: Set(v.supplier.id),
        warehouse_id: Set(v.warehouse_id),
        currency: Set(v.currency),
        expected_date: Set(v.expected_date),
        notes: Set(v.notes),
        net_amount: Set(net),
        tax_amount: Set(tax),
        total_amount: Set(net + tax),
        updated_at: Set(desk.now()),
        ..Default::default()
    }
    .update(&txn)
    .await?;
    let po = load(&txn, id).await?;
    audit::record(
        desk,
        &txn,
        actor,
        Action::Update,
        "purchase_order",
        Some(id),
        &po.po_no,
        Some(&before),
        Some(&po),
    )
    .await?;
    txn.commit().await?;
    Ok(po)
}

/// The steps of a PO's life, each from the statuses it is allowed in.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
pub enum PoAction {
    Submit,
    Approve,
    Send,
    Close,
    Cancel,
}

impl PoAction {
    fn name(&self) -> &'static str {
        match self {
            PoAction::Submit => "submit",
            PoAction::Approve => "approve",
            PoAction::Send => "send",
            PoAction::Close => "close",
            PoAction::Cancel => "cancel",
        }
    }

    fn allowed_and_target(&self) -> (&'static [&'static str], &'static str) {
        match self {
            PoAction::Submit => (&["draft"], "submitted"),
            PoAction::Approve => (&["submitted"], "approved"),
            PoAction::Send => (&["approved"], "sent"),
            PoAction::Close => (&["partially_received", "received"], "closed"),
            PoAction::Cancel => (&["draft", "submitted", "approved", "sent"], "cancelled"),
        }
    }
}

/// Moves a PO one step: submit (supplier must be approved), approve (within the role's amount limit), send,
/// close (after receiving; short-closes what is outstanding) or cancel (only while nothing was received).
pub async fn transition(
    desk: &Shopdesk,
    actor: &Actor,
    id: i64,
    action: PoAction,
) -> Result<PurchaseOrder, ProcurementError> {
    actor.require(match action {
        PoAction::Approve => Permission::ApprovePurchaseOrders,
        _ => Permission::EditPurchaseOrders,
    })?;
    let txn = desk.write_txn().await?;
    let before = load(&txn, id).await?;
    let o = orders::Entity::find_by_id(id)
        .one(&txn)
        .await?
        .ok_or(ProcurementError::NotFound {
            entity: "purchase_order",
            id,
        })?;
    let (from, to) = action.allowed_and_target();
    if !from.contains(&o.status.as_str()) {
        return Err(ProcurementError::Status {
            po_no: o.po_no,
            status: o.status,
            action: action.name(),
        });
    }
    if matches!(action, PoAction::Submit | PoAction::Send) {
        let s = suppliers::Entity::find_by_id(o.supplier_id)
            .one(&txn)
            .await?;
        if let Some(s) = s.filter(|s| s.qualification != "approved" || s.status != "active") {
            return Err(ProcurementError::SupplierNotApproved {
                code: s.code,
                qualification: s.qualification,
            });
        }
    }
    let now = desk.now();
    let mut am = orders::ActiveModel {
        id: Set(id),
        status: Set(to.into()),
        updated_at: Set(now),
        ..Default::default()
    };
    match action {
        PoAction::Approve => {
            // The limit is in the company currency; an order in another currency needs an unlimited approver.
            let foreign = o.currency != desk.company().currency;
            let rules = crate::settings::procurement_rules(desk, &txn).await?;
            if let Some(limit) = approval_limit(actor.role, &rules)
                && (o.total_amount > limit || foreign)
            {
                return Err(ProcurementError::ApprovalLimit {
                    po_no: o.po_no,
                    total: money_text(o.total_amount, &o.currency),
                    limit: money_text(limit, &o.currency),
                });
            }
            am.approved_by = Set(Some(actor.username.clone()));
            am.approved_at = Set(Some(now));
        }
        PoAction::Send => am.sent_at = Set(Some(now)),
        _ => {}
    }
    am.update(&txn).await?;
    let po = load(&txn, id).await?;
    audit::record(
        desk,
        &txn,
        actor,
        Action::Update,
        "purchase_order",
        Some(id),
        &po.po_no,
        Some(&before),
        Some(&po),
    )
    .await?;
    txn.commit().await?;
    Ok(po)
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(default)]
pub struct ReceiptLineInput {
    #[ts(type = "number")]
    pub line_id: i64,
    /// Location code inside the PO's warehouse (e.g. `A-01-1`).
    pub location_code: String,
    #[ts(type = "number")]
    pub counted: i64,
    #[ts(type = "number")]
    pub accepted: i64,
    #[ts(type = "number")]
    pub rejected: i64,
    /// Required when something was rejected: quality, packaging, wrong_item, damaged, other.
    pub reject_reason: String,
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(default)]
pub struct ReceiptInput {
    #[ts(type = "number")]
    pub po_id: i64,
    pub notes: String,
    pub lines: Vec<ReceiptLineInput>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct Receipt {
    #[ts(type = "number")]
    pub id: i64,
    pub receipt_no: String,
    pub po_no: String,
    pub po_status: String,
    #[ts(type = "number")]
    pub accepted: i64,
    #[ts(type = "number")]
    pub rejected: i64,
    /// The stock-ledger entries of the accepted goods.
    pub ledger_ids: Vec<i64>,
}

/// Records a goods receipt against PO lines: accepted units go into stock at the PO's net unit price (one
/// ledger entry per line, in the same transaction), rejected units are recorded with their reason for return to
/// the supplier. Receiving more than ordered is allowed up to the tolerance.
pub async fn receive(
    desk: &Shopdesk,
    actor: &Actor,
    input: &ReceiptInput,
) -> Result<Receipt, ProcurementError> {
    actor.require(Permission::PostStock)?;
    let txn = desk.write_txn().await?;
    let before = load(&txn, input.po_id).await?;
    let o = orders::Entity::find_by_id(input.po_id)
        .one(&txn)
        .await?
        .ok_or(ProcurementError::NotFound {
            entity: "purchase_order",
            id: input.po_id,
        })?;
    if !matches!(o.status.as_str(), "sent" | "partially_received") {
        return Err(ProcurementError::Status {
            po_no: o.po_no,
            status: o.status,
            action: "receive",
        });
    }
    let po_lines: HashMap<i64, lines::Model> = lines::Entity::find()
        .filter(lines::Column::PoId.eq(o.id))
        .all(&txn)
        .await?
        .into_iter()
        .map(|l| (l.id, l))
        .collect();
    let mut errs = Vec::new();
    let mut locs = HashMap::new();
    let mut seen = std::collections::HashSet::new();
    for (n, l) in input.lines.iter().enumerate() {
        let f = |name: &str| format!("lines.{n}.{name}");
        if !seen.insert(l.line_id) {
            errs.push(FieldError::new(&f("line_id"), "duplicate").with("value", l.line_id));
            continue;
        }
        let Some(pl) = po_lines.get(&l.line_id) else {
            errs.push(FieldError::new(&f("line_id"), "not_found").with("value", l.line_id));
            continue;
        };
        if l.accepted < 0 || l.rejected < 0 || l.counted < 0 {
            errs.push(FieldError::new(&f("counted"), "not_negative"));
        }
        if l.accepted + l.rejected != l.counted {
            errs.push(
                FieldError::new(&f("counted"), "counted_sum")
                    .with("counted", l.counted)
                    .with("accepted", l.accepted)
                    .with("rejected", l.rejected),
            );
        }
        if l.rejected > 0 && !REJECT_REASONS.contains(&l.reject_reason.as_str()) {
            errs.push(
                FieldError::new(&f("reject_reason"), "one_of")
                    .with("allowed", REJECT_REASONS.join(", ")),
            );
        }
        let max = pl.qty + pl.qty * OVER_RECEIPT_TOLERANCE_PERMILLE / 1000;
        if pl.received_qty + l.accepted > max {
            errs.push(
                FieldError::new(&f("accepted"), "over_receipt")
                    .with("ordered", pl.qty)
                    .with("received", pl.received_qty)
                    .with("max", max - pl.received_qty),
            );
        }
        let loc = locations::Entity::find()
            .filter(locations::Column::WarehouseId.eq(o.warehouse_id))
            .filter(locations::Column::Code.eq(l.location_code.trim()))
            .one(&txn)
            .await?;
        match loc {
            Some(loc) => {
                locs.insert(n, loc.id);
            }
            None if l.accepted > 0 => {
                errs.push(
                    FieldError::new(&f("location_code"), "not_found")
                        .with("value", &l.location_code),
                );
            }
            None => {}
        }
    }
    if input.lines.iter().all(|l| l.counted == 0) {
        errs.push(FieldError::new("lines", "required"));
    }
    if !errs.is_empty() {
        return Err(invalid(errs));
    }
    let now = desk.now();
    let receipt_no = crate::docno::next(&txn, "GR", desk.biz_date(now)).await?;
    let r = receipts::ActiveModel {
        receipt_no: Set(receipt_no.clone()),
        po_id: Set(o.id),
        warehouse_id: Set(o.warehouse_id),
        received_at: Set(now),
        biz_date: Set(desk.biz_date(now)),
        username: Set(actor.username.clone()),
        notes: Set(input.notes.chars().take(1000).collect()),
        ..Default::default()
    }
    .insert(&txn)
    .await?;
    let (mut accepted, mut rejected, mut ledger_ids) = (0i64, 0i64, Vec::new());
    for (n, l) in input.lines.iter().enumerate() {
        if l.counted == 0 {
            continue;
        }
        let pl = &po_lines[&l.line_id];
        let location_id = locs.get(&n).copied().unwrap_or_default();
        let mut ledger_id = None;
        if l.accepted > 0 {
            let ids = inventory::post(
                desk,
                &txn,
                actor,
                &[Movement {
                    kind: MovementKind::Receipt,
                    product_id: pl.product_id,
                    location_id,
                    qty: l.accepted,
                    reserved: 0,
                    in_transit: 0,
                    unit_cost: Some(UnitPrice::from_ten_thousandths(pl.unit_price)),
                    value: None,
                    doc_type: "purchase_receipt".into(),
                    doc_no: receipt_no.clone(),
                    doc_line: Some(pl.line_no.into()),
                    note: o.po_no.clone(),
                }],
            )
            .await
            .map_err(|e| ProcurementError::Inventory(Box::new(e)))?;
            ledger_id = ids.first().copied();
            ledger_ids.extend(ids);
        }
        rlines::ActiveModel {
            receipt_id: Set(r.id),
            po_line_id: Set(pl.id),
            product_id: Set(pl.product_id),
            location_id: Set(location_id),
            counted: Set(l.counted),
            accepted: Set(l.accepted),
            rejected: Set(l.rejected),
            reject_reason: Set(if l.rejected > 0 {
                l.reject_reason.clone()
            } else {
                String::new()
            }),
            ledger_id: Set(ledger_id),
            returned: Set(0),
            ..Default::default()
        }
        .insert(&txn)
        .await?;
        // One guarded statement, as for stock balances: two receipts at once (PostgreSQL runs them side by side)
        // can neither lose an update nor together pass the tolerance.
        let max = pl.qty + pl.qty * OVER_RECEIPT_TOLERANCE_PERMILLE / 1000;
        let res = lines::Entity::update_many()
            .col_expr(
                lines::Column::ReceivedQty,
                Expr::col(lines::Column::ReceivedQty).add(l.accepted),
            )
            .col_expr(
                lines::Column::RejectedQty,
                Expr::col(lines::Column::RejectedQty).add(l.rejected),
            )
            .filter(lines::Column::Id.eq(pl.id))
            .filter(
                Expr::col(lines::Column::ReceivedQty)
                    .add(l.accepted)
                    .lte(max),
            )
            .exec(&txn)
            .await?;
        if res.rows_affected != 1 {
            return Err(invalid(vec![
                FieldError::new(&format!("lines.{n}.accepted"), "over_receipt")
                    .with("ordered", pl.qty)
                    .with("received", pl.received_qty)
                    .with("max", max - pl.received_qty),
            ]));
        }
        accepted += l.accepted;
        rejected += l.rejected;
    }
    let all = lines::Entity::find()
        .filter(lines::Column::PoId.eq(o.id))
        .all(&txn)
        .await?;
    let status = if all.iter().all(|l| l.received_qty >= l.qty) {
        "received"
    } else {
        "partially_received"
    };
    orders::ActiveModel {
        id: Set(o.id),
        status: Set(status.into()),
        updated_at: Set(now),
        ..Default::default()
    }
    .update(&txn)
    .await?;
    let after = load(&txn, o.id).await?;
    audit::record(
        desk,
        &txn,
        actor,
        Action::Create,
        "purchase_receipt",
        Some(r.id),
        &receipt_no,
        Some(&before),
        Some(&after),
    )
    .await?;
    txn.commit().await?;
    Ok(Receipt {
        id: r.id,
        receipt_no,
        po_no: after.po_no,
        po_status: status.into(),
        accepted,
        rejected,
        ledger_ids,
    })
}

/// Goods rejected at receipt, waiting to go back to the supplier (退供清单).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct RejectedGoods {
    /// The receipt line a return (退供单) names.
    #[ts(type = "number")]
    pub receipt_line_id: i64,
    pub receipt_no: String,
    #[ts(type = "string")]
    pub received_on: NaiveDate,
    pub po_no: String,
    pub supplier_code: String,
    pub supplier_name: String,
    pub supplier_phone: String,
    pub sku: String,
    pub name: String,
    #[ts(type = "number")]
    pub rejected: i64,
    /// Already sent back on returns.
    #[ts(type = "number")]
    pub returned: i64,
    /// Still waiting to go back: rejected − returned.
    #[ts(type = "number")]
    pub pending: i64,
    /// quality | packaging | wrong_item | damaged | other
    pub reason: String,
    /// The PO's net unit price: what the supplier owes back or must replace.
    pub unit_price: String,
}

/// Every receipt line with rejected units not yet sent back, newest first (optionally of one supplier).
pub async fn rejected_goods(
    desk: &Shopdesk,
    actor: &Actor,
    supplier_code: Option<&str>,
) -> Result<Vec<RejectedGoods>, ProcurementError> {
    actor.require(Permission::ViewMasterData)?;
    let conn = desk.db();
    let ls = rlines::Entity::find()
        .filter(Expr::col(rlines::Column::Rejected).gt(Expr::col(rlines::Column::Returned)))
        .order_by_desc(rlines::Column::Id)
        .all(conn)
        .await?;
    let rcs: HashMap<i64, receipts::Model> = receipts::Entity::find()
        .filter(receipts::Column::Id.is_in(ls.iter().map(|l| l.receipt_id)))
        .all(conn)
        .await?
        .into_iter()
        .map(|r| (r.id, r))
        .collect();
    let pos: HashMap<i64, orders::Model> = orders::Entity::find()
        .filter(orders::Column::Id.is_in(rcs.values().map(|r| r.po_id)))
        .all(conn)
        .await?
        .into_iter()
        .map(|o| (o.id, o))
        .collect();
    let sups: HashMap<i64, suppliers::Model> = suppliers::Entity::find()
        .filter(suppliers::Column::Id.is_in(pos.values().map(|o| o.supplier_id)))
        .all(conn)
        .await?
        .into_iter()
        .map(|s| (s.id, s))
        .collect();
    let pls: HashMap<i64, lines::Model> = lines::Entity::find()
        .filter(lines::Column::Id.is_in(ls.iter().map(|l| l.po_line_id)))
        .all(conn)
        .await?
        .into_iter()
        .map(|l| (l.id, l))
        .collect();
    let prods: HashMap<i64, products::Model> = products::Entity::find()
        .filter(products::Column::Id.is_in(ls.iter().map(|l| l.product_id)))
        .all(conn)
        .await?
        .into_iter()
        .map(|p| (p.id, p))
        .collect();
    let mut out = Vec::new();
    for l in &ls {
        let Some(r) = rcs.get(&l.receipt_id) else {
            continue;
        };
        let Some(o) = pos.get(&r.po_id) else { continue };
        let s = sups.get(&o.supplier_id);
        if supplier_code.is_some_and(|c| s.is_none_or(|s| s.code != c.trim())) {
            continue;
        }
        let p = prods.get(&l.product_id);
        out.push(RejectedGoods {
            receipt_line_id: l.id,
            receipt_no: r.receipt_no.clone(),
            received_on: r.biz_date,
            po_no: o.po_no.clone(),
            supplier_code: s.map(|s| s.code.clone()).unwrap_or_default(),
            supplier_name: s.map(|s| s.name.clone()).unwrap_or_default(),
            supplier_phone: s.map(|s| s.phone.clone()).unwrap_or_default(),
            sku: p.map(|p| p.sku.clone()).unwrap_or_default(),
            name: p.map(|p| p.name.clone()).unwrap_or_default(),
            rejected: l.rejected,
            returned: l.returned,
            pending: l.rejected - l.returned,
            reason: l.reject_reason.clone(),
            unit_price: pls
                .get(&l.po_line_id)
                .map(|pl| UnitPrice::from_ten_thousandths(pl.unit_price).to_string())
                .unwrap_or_default(),
        });
    }
    Ok(out)
}

/// A line to chase (催货): still outstanding on a sent or partly received PO, due by `within_days` from today.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct ChaseLine {
    #[ts(type = "number")]
    pub line_id: i64,
    pub po_no: String,
    pub supplier_code: String,
    pub supplier_name: String,
    pub contact_name: String,
    pub phone: String,
    pub sku: String,
    pub name: String,
    #[ts(type = "number")]
    pub outstanding_qty: i64,
    /// The promised date when the supplier gave one, else the expected date.
    #[ts(type = "string | null")]
    pub due: Option<NaiveDate>,
    /// Negative: days late.
    #[ts(type = "number | null")]
    pub days_left: Option<i64>,
    pub chase_note: String,
    pub chased_at: Option<DateTime<Utc>>,
}

pub async fn chase_list(
    desk: &Shopdesk,
    actor: &Actor,
    within_days: i64,
) -> Result<Vec<ChaseLine>, ProcurementError> {
    actor.require(Permission::ViewMasterData)?;
    chase_lines(desk, None, within_days).await
}

/// The chase lines of every open order, or of one order.
async fn chase_lines(
    desk: &Shopdesk,
    po_id: Option<i64>,
    within_days: i64,
) -> Result<Vec<ChaseLine>, ProcurementError> {
    let today = desk.biz_date(desk.now());
    let mut open_query = orders::Entity::find();
    if let Some(id) = po_id {
        open_query = open_query.filter(orders::Column::Id.eq(id));
    }
    let open: Vec<orders::Model> = open_query
        .filter(orders::Column::Status.is_in(["sent", "partially_received"]))
        .all(desk.db())
        .await?;
    let mut out = Vec::new();
    for o in open {
        let po = load(desk.db(), o.id).await?;
        let s = suppliers::Entity::find_by_id(o.supplier_id)
            .one(desk.db())
            .await?;
        let chased: HashMap<i64, Option<DateTime<Utc>>> = lines::Entity::find()
            .filter(lines::Column::PoId.eq(o.id))
            .all(desk.db())
            .await?
            .into_iter()
            .map(|l| (l.id, l.chased_at))
            .collect();
        for l in po.lines.into_iter().filter(|l| l.outstanding_qty > 0) {
            let due = l.promised_date.or(l.expected_date).or(po.expected_date);
            let days_left = due.map(|d| (d - today).num_days());
            if days_left.is_some_and(|d| d <= within_days) {
                out.push(ChaseLine {
                    line_id: l.id,
                    po_no: po.po_no.clone(),
                    supplier_code: po.supplier_code.clone(),
                    supplier_name: po.supplier_name.clone(),
                    contact_name: s
                        .as_ref()
                        .map(|s| s.contact_name.clone())
                        .unwrap_or_default(),
                    phone: s.as_ref().map(|s| s.phone.clone()).unwrap_or_default(),
                    sku: l.sku,
                    name: l.name,
                    outstanding_qty: l.outstanding_qty,
                    due,
                    days_left,
                    chase_note: l.chase_note,
                    chased_at: chased.get(&l.id).copied().flatten(),
                });
            }
        }
    }
    out.sort_by_key(|c| (c.days_left, c.po_no.clone()));
    Ok(out)
}

/// Marks a line as chased, with a note and the supplier's new promised date.
pub async fn mark_chased(
    desk: &Shopdesk,
    actor: &Actor,
    line_id: i64,
    note: &str,
    promised: Option<NaiveDate>,
) -> Result<ChaseLine, ProcurementError> {
    actor.require(Permission::EditPurchaseOrders)?;
    let txn = desk.write_txn().await?;
    let l =
        lines::Entity::find_by_id(line_id)
            .one(&txn)
            .await?
            .ok_or(ProcurementError::NotFound {
                entity: "purchase_order_line",
                id: line_id,
            })?;
    let before = serde_json::json!({"promised_date": l.promised_date, "chase_note": l.chase_note});
    lines::ActiveModel {
        id: Set(line_id),
        chased_at: Set(Some(desk.now())),
        chase_note: Set(note.chars().take(500).collect()),
        promised_date: Set(promised.or(l.promised_date)),
        ..Default::default()
    }
    .update(&txn)
    .await?;
    let after =
        serde_json::json!({"promised_date": promised.or(l.promised_date), "chase_note": note});
    let po = orders::Entity::find_by_id(l.po_id).one(&txn).await?;
    let key = format!("{} #{}", po.map(|p| p.po_no).unwrap_or_default(), l.line_no);
    audit::record(
        desk,
        &txn,
        actor,
        Action::Update,
        "purchase_order_line",
        Some(line_id),
        &key,
        Some(&before),
        Some(&after),
    )
    .await?;
    txn.commit().await?;
    chase_lines(desk, Some(l.po_id), i64::MAX / 4)
        .await?
        .into_iter()
        .find(|c| c.line_id == line_id)
        .ok_or(ProcurementError::NotFound {
            entity: "purchase_order_line",
            id: line_id,
        })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn line_amounts_round_half_away_from_zero() {
        // 3 × 0.3350 = 1.005 → 1.01; tax 13% of 1.01 = 0.1313 → 0.13.
        let p = UnitPrice::parse("0.335").expect("price");
        assert_eq!(line_amounts(p, 3, 1300, Currency::CNY), Some((101, 13)));
        // 100 × 12.50 = 1250.00; 6.5% = 81.25.
        let p = UnitPrice::parse("12.5").expect("price");
        assert_eq!(
            line_amounts(p, 100, 650, Currency::CNY),
            Some((125_000, 8_125))
        );
        // 0.5 fen of tax rounds up: 0.05 × 10% = 0.005 → 0.01.
        let p = UnitPrice::parse("0.05").expect("price");
        assert_eq!(line_amounts(p, 1, 1000, Currency::CNY), Some((5, 1)));
    }

    #[test]
    fn approval_limits() {
        let rules = crate::settings::ProcurementSettings::default()
            .rules("CNY")
            .unwrap();
        assert_eq!(approval_limit(Role::Manager, &rules), None);
        assert_eq!(approval_limit(Role::Purchasing, &rules), Some(1_000_000));
        assert_eq!(approval_limit(Role::Warehouse, &rules), Some(0));
    }
}
