//! Returns to suppliers (退供单): goods rejected at receipt (入库验收) never entered stock; they wait on the
//! return-to-supplier list ([`super::orders::rejected_goods`]) until a return document sends them back.
//!
//! A return names receipt lines and quantities of one supplier, with the carrier and tracking number. Each line's
//! `returned` count moves by one guarded update (`returned + q <= rejected`), so two people can never send the
//! same rejected units back twice. The stock ledger is not touched (the goods were never on hand) and neither are
//! payables (only accepted units are billable): the PO line stays outstanding until the supplier replaces the
//! goods or the clerk closes the order. The document prints as PDF and exports to .xlsx through [`crate::report`].

use super::ProcurementError;
use super::orders::{invalid, money_text};
use crate::Shopdesk;
use crate::audit::{self, Action};
use crate::auth::{Actor, Permission};
use crate::entities::{
    products, purchase_order_lines as pol, purchase_orders as pos,
    purchase_receipt_lines as rlines, supplier_return_lines as retlines, supplier_returns as rets,
    suppliers,
};
use crate::error::FieldError;
use crate::money::{Currency, UnitPrice};
use crate::report::{self, ColumnKind, Report, ReportParam};
use chrono::{DateTime, NaiveDate, Utc};
use sea_orm::sea_query::{Expr, ExprTrait};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QueryOrder, Set,
};
use serde::{Deserialize, Serialize};
use std::collections::HashMap;
use ts_rs::TS;

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(default)]
pub struct ReturnLineInput {
    #[ts(type = "number")]
    pub receipt_line_id: i64,
    #[ts(type = "number")]
    pub qty: i64,
}

/// What the warehouse sends back: rejected receipt lines of one supplier.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(default)]
pub struct SupplierReturnInput {
    pub lines: Vec<ReturnLineInput>,
    pub carrier: String,
    pub tracking_no: String,
    pub notes: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct SupplierReturnLine {
    #[ts(type = "number")]
    pub receipt_line_id: i64,
    pub receipt_no: String,
    pub po_no: String,
    pub sku: String,
    pub name: String,
    #[ts(type = "number")]
    pub qty: i64,
    pub reason: String,
    pub unit_price: String,
    pub amount: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct SupplierReturn {
    pub return_no: String,
    pub supplier_code: String,
    pub supplier_name: String,
    pub supplier_contact: String,
    pub supplier_phone: String,
    pub currency: String,
    /// Σ qty × the PO's net unit price: what the supplier credits or replaces.
    pub amount: String,
    pub carrier: String,
    pub tracking_no: String,
    pub notes: String,
    #[ts(type = "string")]
    pub biz_date: NaiveDate,
    pub created_by: String,
    pub created_at: DateTime<Utc>,
    pub lines: Vec<SupplierReturnLine>,
}

/// Sends rejected goods back to their supplier in one transaction: the return document, its lines, and each
/// receipt line's `returned` count moved by a guarded update.
pub async fn create(
    desk: &Shopdesk,
    actor: &Actor,
    input: &SupplierReturnInput,
) -> Result<SupplierReturn, ProcurementError> {
    actor.require(Permission::PostStock)?;
    let mut errs = Vec::new();
    if input.lines.is_empty() {
        errs.push(FieldError::new("lines", "required"));
    }
    let mut seen = std::collections::HashSet::new();
    for (i, l) in input.lines.iter().enumerate() {
        if l.qty <= 0 {
            errs.push(FieldError::new(&format!("lines[{i}].qty"), "positive"));
        }
        if !seen.insert(l.receipt_line_id) {
            errs.push(FieldError::new(
                &format!("lines[{i}].receipt_line_id"),
                "duplicate",
            ));
        }
    }
    for (field, value, max) in [
        ("carrier", &input.carrier, 64),
        ("tracking_no", &input.tracking_no, 64),
        ("notes", &input.notes, 1000),
    ] {
        if value.trim().chars().count() > max {
            errs.push(FieldError::new(field, "too_long").with("max", max));
        }
    }
    if !errs.is_empty() {
        return Err(invalid(errs));
    }
    let txn = desk.write_txn().await?;
    let ids: Vec<i64> = input.lines.iter().map(|l| l.receipt_line_id).collect();
    let rls: HashMap<i64, rlines::Model> = rlines::Entity::find()
        .filter(rlines::Column::Id.is_in(ids.clone()))
        .all(&txn)
        .await?
        .into_iter()
        .map(|l| (l.id, l))
        .collect();
    let po_lines: HashMap<i64, pol::Model> = pol::Entity::find()
        .filter(pol::Column::Id.is_in(rls.values().map(|l| l.po_line_id)))
        .all(&txn)
        .await?
        .into_iter()
        .map(|l| (l.id, l))
        .collect();
    let orders: HashMap<i64, pos::Model> = pos::Entity::find()
        .filter(pos::Column::Id.is_in(po_lines.values().map(|l| l.po_id)))
        .all(&txn)
        .await?
        .into_iter()
        .map(|o| (o.id, o))
        .collect();
    let mut supplier: Option<(i64, String)> = None;
    let mut errs = Vec::new();
    for (i, l) in input.lines.iter().enumerate() {
        let field = format!("lines[{i}].receipt_line_id");
        let Some(rl) = rls.get(&l.receipt_line_id) else {
            errs.push(FieldError::new(&field, "not_found"));
            continue;
        };
        let Some(po) = po_lines
            .get(&rl.po_line_id)
            .and_then(|pl| orders.get(&pl.po_id))
        else {
            errs.push(FieldError::new(&field, "not_found"));
            continue;
        };
        match &supplier {
            // One supplier and one currency per return: its amount is one sum.
            Some((s, c)) if *s != po.supplier_id || *c != po.currency => {
                errs.push(FieldError::new(&field, "one_supplier"));
            }
            None => supplier = Some((po.supplier_id, po.currency.clone())),
            _ => {}
        }
        if l.qty > rl.rejected - rl.returned {
            errs.push(
                FieldError::new(&format!("lines[{i}].qty"), "max")
                    .with("max", rl.rejected - rl.returned),
            );
        }
    }
    let Some((supplier_id, currency)) = supplier.filter(|_| errs.is_empty()) else {
        return Err(invalid(errs));
    };
    let cur = Currency::parse(&currency).unwrap_or(Currency::CNY);
    let now = desk.now();
    let biz_date = desk.biz_date(now);
    let return_no = crate::docno::next(&txn, "RT", biz_date).await?;
    let mut amounts = Vec::new();
    for l in &input.lines {
        let rl = &rls[&l.receipt_line_id];
        let price = po_lines[&rl.po_line_id].unit_price;
        let amount = UnitPrice::from_ten_thousandths(price)
            .times(l.qty, cur)
            .map_err(|_| invalid(vec![FieldError::new("lines", "too_large")]))?
            .minor();
        amounts.push((price, amount));
    }
    let total: i64 = amounts.iter().map(|a| a.1).sum();
    let head = rets::ActiveModel {
        return_no: Set(return_no.clone()),
        supplier_id: Set(supplier_id),
        currency: Set(currency.clone()),
        amount: Set(total),
        carrier: Set(input.carrier.trim().to_string()),
        tracking_no: Set(input.tracking_no.trim().to_string()),
        notes: Set(input.notes.trim().to_string()),
        biz_date: Set(biz_date),
        created_by: Set(actor.username.clone()),
        created_at: Set(now),
        ..Default::default()
    }
    .insert(&txn)
    .await?;
    for (i, (l, (price, amount))) in input.lines.iter().zip(&amounts).enumerate() {
        let rl = &rls[&l.receipt_line_id];
        // Guarded: never more back than was rejected, whatever runs at the same time.
        let moved = rlines::Entity::update_many()
            .col_expr(
                rlines::Column::Returned,
                Expr::col(rlines::Column::Returned).add(l.qty),
            )
            .filter(rlines::Column::Id.eq(rl.id))
            .filter(
                Expr::col(rlines::Column::Returned)
                    .add(l.qty)
                    .lte(Expr::col(rlines::Column::Rejected)),
            )
            .exec(&txn)
            .await?;
        if moved.rows_affected != 1 {
            return Err(invalid(vec![
                FieldError::new(&format!("lines[{i}].qty"), "max")
                    .with("max", rl.rejected - rl.returned),
            ]));
        }
        retlines::ActiveModel {
            return_id: Set(head.id),
            receipt_line_id: Set(rl.id),
            product_id: Set(rl.product_id),
            qty: Set(l.qty),
            unit_price: Set(*price),
            amount: Set(*amount),
            reason: Set(rl.reject_reason.clone()),
            ..Default::default()
        }
        .insert(&txn)
        .await?;
    }
    let out = load(&txn, &[head])
        .await?
        .pop()
        .ok_or(ProcurementError::NotFound {
            entity: "supplier_return",
            id: 0,
        })?;
    audit::record(
        desk,
        &txn,
        actor,
        Action::Create,
        "supplier_return",
        None::<i64>,
        &return_no,
        None::<&()>,
        Some(&out),
    )
    .await?;
    txn.commit().await?;
    Ok(out)
}

/// Returns, newest first (optionally of one supplier).
pub async fn list(
    desk: &Shopdesk,
    actor: &Actor,
    supplier_code: Option<&str>,
) -> Result<Vec<SupplierReturn>, ProcurementError> {
    actor.require(Permission::ViewMasterData)?;
    let mut q = rets::Entity::find().order_by_desc(rets::Column::Id);
    if let Some(code) = supplier_code.map(str::trim).filter(|c| !c.is_empty()) {
        let s = super::price_sheets::find_supplier(desk.db(), code).await?;
        q = q.filter(rets::Column::SupplierId.eq(s.id));
    }
    let heads = q.all(desk.db()).await?;
    load(desk.db(), &heads).await
}

/// One return by its number.
pub async fn get(
    desk: &Shopdesk,
    actor: &Actor,
    return_no: &str,
) -> Result<SupplierReturn, ProcurementError> {
    actor.require(Permission::ViewMasterData)?;
    let head = rets::Entity::find()
        .filter(rets::Column::ReturnNo.eq(return_no.trim()))
        .one(desk.db())
        .await?
        .ok_or(ProcurementError::NotFound {
            entity: "supplier_return",
            id: 0,
        })?;
    let mut v = load(desk.db(), &[head]).await?;
    v.pop().ok_or(ProcurementError::NotFound {
        entity: "supplier_return",
        id: 0,
    })
}

async fn load(
    conn: &impl ConnectionTrait,
    heads: &[rets::Model],
) -> Result<Vec<SupplierReturn>, ProcurementError> {
    use crate::entities::purchase_receipts as receipts;
    let lines = retlines::Entity::find()
        .filter(retlines::Column::ReturnId.is_in(heads.iter().map(|h| h.id)))
        .order_by_asc(retlines::Column::Id)
        .all(conn)
        .await?;
    let rls: HashMap<i64, rlines::Model> = rlines::Entity::find()
        .filter(rlines::Column::Id.is_in(lines.iter().map(|l| l.receipt_line_id)))
        .all(conn)
        .await?
        .into_iter()
        .map(|l| (l.id, l))
        .collect();
    let rcs: HashMap<i64, receipts::Model> = receipts::Entity::find()
        .filter(receipts::Column::Id.is_in(rls.values().map(|l| l.receipt_id)))
        .all(conn)
        .await?
        .into_iter()
        .map(|r| (r.id, r))
        .collect();
    let po_nos: HashMap<i64, String> = pos::Entity::find()
        .filter(pos::Column::Id.is_in(rcs.values().map(|r| r.po_id)))
        .all(conn)
        .await?
        .into_iter()
        .map(|o| (o.id, o.po_no))
        .collect();
    let prods: HashMap<i64, products::Model> = products::Entity::find()
        .filter(products::Column::Id.is_in(lines.iter().map(|l| l.product_id)))
        .all(conn)
        .await?
        .into_iter()
        .map(|p| (p.id, p))
        .collect();
    let sups: HashMap<i64, suppliers::Model> = suppliers::Entity::find()
        .filter(suppliers::Column::Id.is_in(heads.iter().map(|h| h.supplier_id)))
        .all(conn)
        .await?
        .into_iter()
        .map(|s| (s.id, s))
        .collect();
    let mut out = Vec::new();
    for h in heads {
        let s = sups.get(&h.supplier_id);
        let ls = lines
            .iter()
            .filter(|l| l.return_id == h.id)
            .map(|l| {
                let rc = rls
                    .get(&l.receipt_line_id)
                    .and_then(|rl| rcs.get(&rl.receipt_id));
                let p = prods.get(&l.product_id);
                SupplierReturnLine {
                    receipt_line_id: l.receipt_line_id,
                    receipt_no: rc.map(|r| r.receipt_no.clone()).unwrap_or_default(),
                    po_no: rc
                        .and_then(|r| po_nos.get(&r.po_id).cloned())
                        .unwrap_or_default(),
                    sku: p.map(|p| p.sku.clone()).unwrap_or_default(),
                    name: p.map(|p| p.name.clone()).unwrap_or_default(),
                    qty: l.qty,
                    reason: l.reason.clone(),
                    unit_price: UnitPrice::from_ten_thousandths(l.unit_price).to_string(),
                    amount: money_text(l.amount, &h.currency),
                }
            })
            .collect();
        out.push(SupplierReturn {
            return_no: h.return_no.clone(),
            supplier_code: s.map(|s| s.code.clone()).unwrap_or_default(),
            supplier_name: s.map(|s| s.name.clone()).unwrap_or_default(),
            supplier_contact: s.map(|s| s.contact_name.clone()).unwrap_or_default(),
            supplier_phone: s.map(|s| s.phone.clone()).unwrap_or_default(),
            currency: h.currency.clone(),
            amount: money_text(h.amount, &h.currency),
            carrier: h.carrier.clone(),
            tracking_no: h.tracking_no.clone(),
            notes: h.notes.clone(),
            biz_date: h.biz_date,
            created_by: h.created_by.clone(),
            created_at: h.created_at,
            lines: ls,
        });
    }
    Ok(out)
}

/// The return as a document (screen, PDF, .xlsx), in the user's language.
pub fn document(desk: &Shopdesk, lang: &str, r: &SupplierReturn) -> Report {
    let t = |zh, en| report::tr(lang, zh, en).to_string();
    let mut doc = Report::new(
        desk,
        "supplier_return",
        &format!("{} {}", t("退供单", "Return to supplier"), r.return_no),
    );
    doc.params = [
        (
            t("供应商", "Supplier"),
            format!("{} ({})", r.supplier_name, r.supplier_code),
        ),
        (
            t("联系人", "Contact"),
            format!("{} {}", r.supplier_contact, r.supplier_phone)
                .trim()
                .to_string(),
        ),
        (t("日期", "Date"), r.biz_date.to_string()),
        (t("承运商", "Carrier"), r.carrier.clone()),
        (t("运单号", "Tracking no."), r.tracking_no.clone()),
        (t("经办人", "Issued by"), r.created_by.clone()),
    ]
    .into_iter()
    .filter(|(_, v)| !v.is_empty())
    .map(|(label, value)| ReportParam { label, value })
    .collect();
    doc.columns = report::columns(&[
        ("receipt_no", &t("验收单", "Receipt"), ColumnKind::Text),
        ("po_no", &t("采购订单", "PO"), ColumnKind::Text),
        ("sku", "SKU", ColumnKind::Text),
        ("name", &t("品名", "Item"), ColumnKind::Text),
        ("reason", &t("拒收原因", "Reason"), ColumnKind::Text),
        ("qty", &t("数量", "Qty"), ColumnKind::Int),
        ("unit_price", &t("单价", "Unit price"), ColumnKind::Decimal),
        ("amount", &t("金额", "Amount"), ColumnKind::Money),
    ]);
    doc.rows = r
        .lines
        .iter()
        .map(|l| {
            vec![
                l.receipt_no.clone(),
                l.po_no.clone(),
                l.sku.clone(),
                l.name.clone(),
                super::po_doc::reason_text(lang.starts_with("zh"), &l.reason),
                l.qty.to_string(),
                l.unit_price.clone(),
                l.amount.clone(),
            ]
        })
        .collect();
    let qty: i64 = r.lines.iter().map(|l| l.qty).sum();
    doc.totals = Some(vec![
        t("合计", "Total"),
        String::new(),
        String::new(),
        String::new(),
        String::new(),
        qty.to_string(),
        String::new(),
        r.amount.clone(),
    ]);
    let mut notes = vec![t(
        "退回的是验收时拒收的货物,未入库存;采购订单对应行仍为未交,待供应商补货或结单。",
        "These goods were rejected at receipt and never entered stock; the PO lines stay outstanding until the supplier replaces them or the order is closed.",
    )];
    if !r.notes.is_empty() {
        notes.insert(0, r.notes.clone());
    }
    doc.notes = notes;
    doc
}
