//! Payables (应付账款): supplier invoices matched three ways, payments, balances and ageing.
//!
//! **Three-way match.** Each invoice line names a PO line. It is compared with what was ordered (the PO's unit
//! price and tax rate) and with what was received (accepted quantity, less what earlier invoices already billed):
//! - `price`: the invoiced unit price differs from the PO's by more than the price tolerance (a setting, percent);
//! - `tax_rate`: the tax rate differs from the PO's;
//! - `qty_not_received`: more is billed than was accepted and not yet billed.
//!
//! The invoice as a whole is also compared with PO price × billable quantity (invoiced, but no more than was
//! received and not yet billed) plus tax at the PO's rates; a difference above the amount tolerance (a setting)
//! is `amount`. An invoice with no issue is `matched` and
//! becomes payable at once. Otherwise it is `held` in the mismatch queue with every issue shown, until a user with
//! `ApproveInvoiceVariances` approves it (it becomes payable at the invoiced amount) or rejects it (nothing is
//! owed; its quantities can be billed again).
//!
//! **Money.** What we owe changes only through the append-only `payables_ledger` (+ invoice approved or matched,
//! − payment) together with `supplier_balances` in the same transaction, by one relative update. [`check`]
//! recomputes balances and each invoice's paid amount from the ledger and the allocations. Payments are applied
//! to invoices (核销) explicitly or oldest due first; whatever is left is an advance to the supplier (a negative
//! balance). Ageing buckets the open amount of each invoice by days past its due date, as of any date.

use super::ProcurementError;
use super::orders::{invalid, line_amounts, money_text, parse_rate, rate_text};
use super::price_sheets::find_supplier;
use crate::Shopdesk;
use crate::audit::{self, Action};
use crate::auth::{Actor, Permission};
use crate::entities::{
    payables_ledger as pledger, payment_allocations as allocs, products,
    purchase_order_lines as polines, purchase_orders as orders, supplier_balances as balances,
    supplier_invoice_lines as ilines, supplier_invoices as invoices, supplier_payments as payments,
    suppliers,
};
use crate::error::FieldError;
use crate::listing::{ListQuery, Page, fetch_page, search_any};
use crate::money::{Currency, Money, UnitPrice};
use chrono::{DateTime, NaiveDate, Utc};
use rust_decimal::RoundingStrategy;
use sea_orm::sea_query::{Expr, ExprTrait};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QueryOrder,
    QuerySelect, Set,
};
use serde::{Deserialize, Serialize};
use std::collections::{BTreeMap, HashMap, HashSet};
use ts_rs::TS;

pub const INVOICE_STATUSES: &[&str] = &["matched", "held", "approved", "rejected"];
pub const PAYMENT_METHODS: &[&str] = &["bank", "cash", "alipay", "wechat", "cheque", "other"];

/// The match issues of one invoice line (see the module docs).
pub fn line_issues(
    po_price: i64,
    price: i64,
    po_rate_bp: i32,
    rate_bp: i32,
    billable: i64,
    qty: i64,
    price_tolerance_bp: i64,
) -> Vec<&'static str> {
    let mut out = Vec::new();
    let diff = i128::from((price - po_price).abs());
    if diff * 10_000 > i128::from(po_price) * i128::from(price_tolerance_bp) {
        out.push("price");
    }
    if rate_bp != po_rate_bp {
        out.push("tax_rate");
    }
    if qty > billable {
        out.push("qty_not_received");
    }
    out
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(default)]
pub struct InvoiceLineInput {
    #[ts(type = "number")]
    pub po_line_id: i64,
    #[ts(type = "number")]
    pub qty: i64,
    /// Before tax, as printed on the invoice; empty = the PO's price.
    pub unit_price: String,
    /// Percent; empty = the PO's rate.
    pub tax_rate: String,
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(default)]
pub struct InvoiceInput {
    #[ts(type = "number")]
    pub po_id: i64,
    /// The supplier's invoice number (发票号码).
    pub invoice_no: String,
    #[ts(type = "string | null")]
    pub invoice_date: Option<NaiveDate>,
    /// Default: invoice date + the supplier's payment days.
    #[ts(type = "string | null")]
    pub due_date: Option<NaiveDate>,
    pub notes: String,
    pub lines: Vec<InvoiceLineInput>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct InvoiceLine {
    #[ts(type = "number")]
    pub po_line_id: i64,
    pub line_no: i32,
    pub sku: String,
    pub name: String,
    #[ts(type = "number")]
    pub qty: i64,
    pub unit_price: String,
    pub tax_rate: String,
    pub net_amount: String,
    pub tax_amount: String,
    pub po_unit_price: String,
    pub po_tax_rate: String,
    /// Accepted on the PO line when the invoice was matched.
    #[ts(type = "number")]
    pub received_qty: i64,
    /// Billed by earlier invoices (not rejected) when the invoice was matched.
    #[ts(type = "number")]
    pub invoiced_before: i64,
    /// PO price × billable quantity plus tax at the PO's rate.
    pub expected_amount: String,
    pub issues: Vec<String>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct Invoice {
    #[ts(type = "number")]
    pub id: i64,
    pub doc_no: String,
    pub supplier_code: String,
    pub supplier_name: String,
    #[ts(type = "number")]
    pub po_id: i64,
    pub po_no: String,
    pub invoice_no: String,
    #[ts(type = "string")]
    pub invoice_date: NaiveDate,
    #[ts(type = "string")]
    pub due_date: NaiveDate,
    pub currency: String,
    pub net_amount: String,
    pub tax_amount: String,
    pub total_amount: String,
    pub expected_amount: String,
    /// Total − expected.
    pub variance: String,
    pub paid_amount: String,
    pub open_amount: String,
    /// matched | held | approved | rejected
    pub status: String,
    /// unpaid | partially_paid | paid (only for matched and approved invoices; otherwise not_payable)
    pub payment_status: String,
    /// Every issue of the match: invoice-level `amount` and `line N: code`.
    pub issues: Vec<String>,
    pub notes: String,
    pub created_by: String,
    pub created_at: DateTime<Utc>,
    pub decided_by: Option<String>,
    pub decided_at: Option<DateTime<Utc>>,
    pub decision_note: String,
    pub lines: Vec<InvoiceLine>,
}

fn payable(status: &str) -> bool {
    matches!(status, "matched" | "approved")
}

async fn load_invoice(conn: &impl ConnectionTrait, id: i64) -> Result<Invoice, ProcurementError> {
    let i =
        invoices::Entity::find_by_id(id)
            .one(conn)
            .await?
            .ok_or(ProcurementError::NotFound {
                entity: "supplier_invoice",
                id,
            })?;
    let ls = ilines::Entity::find()
        .filter(ilines::Column::InvoiceId.eq(id))
        .order_by_asc(ilines::Column::Id)
        .all(conn)
        .await?;
    let pls: HashMap<i64, polines::Model> = polines::Entity::find()
        .filter(polines::Column::Id.is_in(ls.iter().map(|l| l.po_line_id)))
        .all(conn)
        .await?
        .into_iter()
        .map(|l| (l.id, l))
        .collect();
    let prods: HashMap<i64, products::Model> = products::Entity::find()
        .filter(products::Column::Id.is_in(pls.values().map(|l| l.product_id)))
        .all(conn)
        .await?
        .into_iter()
        .map(|p| (p.id, p))
        .collect();
    let s = suppliers::Entity::find_by_id(i.supplier_id)
        .one(conn)
        .await?;
    let po = orders::Entity::find_by_id(i.po_id).one(conn).await?;
    let cur = i.currency.clone();
    let lines: Vec<InvoiceLine> = ls
        .into_iter()
        .map(|l| {
            let pl = pls.get(&l.po_line_id);
            let p = pl.and_then(|pl| prods.get(&pl.product_id));
            InvoiceLine {
                po_line_id: l.po_line_id,
                line_no: pl.map(|pl| pl.line_no).unwrap_or_default(),
                sku: p.map(|p| p.sku.clone()).unwrap_or_default(),
                name: p.map(|p| p.name.clone()).unwrap_or_default(),
                qty: l.qty,
                unit_price: UnitPrice::from_ten_thousandths(l.unit_price).to_string(),
                tax_rate: rate_text(l.tax_rate_bp),
                net_amount: money_text(l.net_amount, &cur),
                tax_amount: money_text(l.tax_amount, &cur),
                po_unit_price: UnitPrice::from_ten_thousandths(l.po_unit_price).to_string(),
                po_tax_rate: rate_text(l.po_tax_rate_bp),
                received_qty: l.received_qty,
                invoiced_before: l.invoiced_before,
                expected_amount: money_text(l.expected_amount, &cur),
                issues: l
                    .issues
                    .split(',')
                    .filter(|s| !s.is_empty())
                    .map(str::to_string)
                    .collect(),
            }
        })
        .collect();
    let payment_status = if !payable(&i.status) {
        "not_payable"
    } else if i.paid_amount >= i.total_amount {
        "paid"
    } else if i.paid_amount > 0 {
        "partially_paid"
    } else {
        "unpaid"
    };
    Ok(Invoice {
        id: i.id,
        doc_no: i.doc_no,
        supplier_code: s.as_ref().map(|s| s.code.clone()).unwrap_or_default(),
        supplier_name: s.as_ref().map(|s| s.name.clone()).unwrap_or_default(),
        po_id: i.po_id,
        po_no: po.map(|p| p.po_no).unwrap_or_default(),
        invoice_no: i.invoice_no,
        invoice_date: i.invoice_date,
        due_date: i.due_date,
        net_amount: money_text(i.net_amount, &cur),
        tax_amount: money_text(i.tax_amount, &cur),
        total_amount: money_text(i.total_amount, &cur),
        expected_amount: money_text(i.expected_amount, &cur),
        variance: money_text(i.total_amount - i.expected_amount, &cur),
        paid_amount: money_text(i.paid_amount, &cur),
        open_amount: money_text(
            if payable(&i.status) {
                i.total_amount - i.paid_amount
            } else {
                0
            },
            &cur,
        ),
        currency: i.currency,
        status: i.status,
        payment_status: payment_status.into(),
        issues: i
            .issues
            .split(',')
            .filter(|s| !s.is_empty())
            .map(str::to_string)
            .collect(),
        notes: i.notes,
        created_by: i.created_by,
        created_at: i.created_at,
        decided_by: i.decided_by,
        decided_at: i.decided_at,
        decision_note: i.decision_note,
        lines,
    })
}

/// Appends a payables-ledger entry and moves the supplier's balance by the same amount, in the caller's
/// transaction (one relative update: no read-then-write).
#[allow(clippy::too_many_arguments)]
async fn post_ledger(
    desk: &Shopdesk,
    conn: &impl ConnectionTrait,
    actor: &Actor,
    supplier_id: i64,
    currency: &str,
    kind: &str,
    doc: (&str, i64),
    amount: i64,
    biz_date: NaiveDate,
) -> Result<(), ProcurementError> {
    let now = desk.now();
    pledger::ActiveModel {
        supplier_id: Set(supplier_id),
        currency: Set(currency.into()),
        kind: Set(kind.into()),
        doc_no: Set(doc.0.into()),
        doc_id: Set(doc.1),
        amount: Set(amount),
        biz_date: Set(biz_date),
        username: Set(actor.username.clone()),
        created_at: Set(now),
        ..Default::default()
    }
    .insert(conn)
    .await?;
    balances::Entity::insert(balances::ActiveModel {
        supplier_id: Set(supplier_id),
        currency: Set(currency.into()),
        balance: Set(0),
        updated_at: Set(now),
        ..Default::default()
    })
    .on_conflict_do_nothing_on([balances::Column::SupplierId, balances::Column::Currency])
    .exec(conn)
    .await?;
    balances::Entity::update_many()
        .col_expr(
            balances::Column::Balance,
            Expr::col(balances::Column::Balance).add(amount),
        )
        .col_expr(balances::Column::UpdatedAt, Expr::value(now))
        .filter(balances::Column::SupplierId.eq(supplier_id))
        .filter(balances::Column::Currency.eq(currency))
        .exec(conn)
        .await?;
    Ok(())
}

/// A PO line as the invoice form needs it: what was received and what earlier invoices billed.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct BillableLine {
    #[ts(type = "number")]
    pub po_line_id: i64,
    pub line_no: i32,
    pub sku: String,
    pub name: String,
    #[ts(type = "number")]
    pub ordered: i64,
    #[ts(type = "number")]
    pub received: i64,
    /// Billed by invoices that are not rejected.
    #[ts(type = "number")]
    pub invoiced: i64,
    /// Received − invoiced (never below zero).
    #[ts(type = "number")]
    pub billable: i64,
    pub unit_price: String,
    pub tax_rate: String,
}

async fn billed_per_line(
    conn: &impl ConnectionTrait,
    po_id: i64,
) -> Result<HashMap<i64, i64>, ProcurementError> {
    let earlier: Vec<i64> = invoices::Entity::find()
        .filter(invoices::Column::PoId.eq(po_id))
        .filter(invoices::Column::Status.ne("rejected"))
        .all(conn)
        .await?
        .into_iter()
        .map(|i| i.id)
        .collect();
    let mut billed: HashMap<i64, i64> = HashMap::new();
    for l in ilines::Entity::find()
        .filter(ilines::Column::InvoiceId.is_in(earlier))
        .all(conn)
        .await?
    {
        *billed.entry(l.po_line_id).or_default() += l.qty;
    }
    Ok(billed)
}

/// The lines of a PO with what can still be billed, to prefill an invoice.
pub async fn billable_lines(
    desk: &Shopdesk,
    actor: &Actor,
    po_id: i64,
) -> Result<Vec<BillableLine>, ProcurementError> {
    actor.require(Permission::ViewPayables)?;
    let po = super::orders::get(desk, actor, po_id).await?;
    let billed = billed_per_line(desk.db(), po_id).await?;
    Ok(po
        .lines
        .into_iter()
        .map(|l| {
            let invoiced = billed.get(&l.id).copied().unwrap_or_default();
            BillableLine {
                po_line_id: l.id,
                line_no: l.line_no,
                sku: l.sku,
                name: l.name,
                ordered: l.qty,
                received: l.received_qty,
                invoiced,
                billable: Ord::max(l.received_qty - invoiced, 0),
                unit_price: l.unit_price,
                tax_rate: l.tax_rate,
            }
        })
        .collect())
}

/// Records a supplier invoice against one purchase order and matches it three ways (see the module docs).
/// A matched invoice is payable at once; one with issues is held for approval.
pub async fn record_invoice(
    desk: &Shopdesk,
    actor: &Actor,
    input: &InvoiceInput,
) -> Result<Invoice, ProcurementError> {
    actor.require(Permission::EditPayables)?;
    let txn = desk.write_txn().await?;
    // Lock the PO (PostgreSQL; SQLite holds the write lock already), so two invoices for the same lines are
    // matched one after the other and each sees what the other billed.
    let o = orders::Entity::find_by_id(input.po_id)
        .lock_exclusive()
        .one(&txn)
        .await?
        .ok_or(ProcurementError::NotFound {
            entity: "purchase_order",
            id: input.po_id,
        })?;
    if !matches!(
        o.status.as_str(),
        "sent" | "partially_received" | "received" | "closed"
    ) {
        return Err(ProcurementError::Status {
            po_no: o.po_no,
            status: o.status,
            action: "invoice",
        });
    }
    let supplier = suppliers::Entity::find_by_id(o.supplier_id)
        .one(&txn)
        .await?
        .ok_or(ProcurementError::NotFound {
            entity: "supplier",
            id: o.supplier_id,
        })?;
    let cur =
        Currency::parse(&o.currency).map_err(|_| ProcurementError::Currency(o.currency.clone()))?;
    let rules = crate::settings::procurement_rules(desk, &txn).await?;
    let mut errs = Vec::new();
    let invoice_no = input.invoice_no.trim().to_string();
    if invoice_no.is_empty() {
        errs.push(FieldError::new("invoice_no", "required"));
    } else if invoice_no.chars().count() > 64 {
        errs.push(FieldError::new("invoice_no", "too_long").with("max", 64));
    }
    let Some(invoice_date) = input.invoice_date else {
        errs.push(FieldError::new("invoice_date", "required"));
        return Err(invalid(errs));
    };
    if input.due_date.is_some_and(|d| d < invoice_date) {
        errs.push(FieldError::new("due_date", "before_invoice_date"));
    }
    if input.notes.chars().count() > 1000 {
        errs.push(FieldError::new("notes", "too_long").with("max", 1000));
    }
    if let Some(dup) = invoices::Entity::find()
        .filter(invoices::Column::SupplierId.eq(o.supplier_id))
        .filter(invoices::Column::InvoiceNo.eq(&invoice_no))
        .filter(invoices::Column::Status.ne("rejected"))
        .one(&txn)
        .await?
    {
        return Err(ProcurementError::DuplicateInvoice {
            supplier: supplier.code,
            invoice_no,
            doc_no: dup.doc_no,
        });
    }
    let po_lines: HashMap<i64, polines::Model> = polines::Entity::find()
        .filter(polines::Column::PoId.eq(o.id))
        .all(&txn)
        .await?
        .into_iter()
        .map(|l| (l.id, l))
        .collect();
    // What earlier invoices (not rejected) billed per PO line.
    let billed = billed_per_line(&txn, o.id).await?;
    if input.lines.is_empty() {
        errs.push(FieldError::new("lines", "required"));
    }
    let mut seen = HashSet::new();
    let mut rows = Vec::new();
    for (n, l) in input.lines.iter().enumerate() {
        let f = |name: &str| format!("lines.{n}.{name}");
        if !seen.insert(l.po_line_id) {
            errs.push(FieldError::new(&f("po_line_id"), "duplicate").with("value", l.po_line_id));
            continue;
        }
        let Some(pl) = po_lines.get(&l.po_line_id) else {
            errs.push(FieldError::new(&f("po_line_id"), "not_found").with("value", l.po_line_id));
            continue;
        };
        if l.qty <= 0 {
            errs.push(FieldError::new(&f("qty"), "positive"));
        }
        let price = if l.unit_price.trim().is_empty() {
            Some(pl.unit_price)
        } else {
            match UnitPrice::parse(&l.unit_price) {
                Ok(p) if p.ten_thousandths() >= 0 => Some(p.ten_thousandths()),
                _ => {
                    errs.push(
                        FieldError::new(&f("unit_price"), "price").with("value", &l.unit_price),
                    );
                    None
                }
            }
        };
        let rate = if l.tax_rate.trim().is_empty() {
            Some(pl.tax_rate_bp)
        } else {
            let r = parse_rate(&l.tax_rate);
            if r.is_none() {
                errs.push(FieldError::new(&f("tax_rate"), "tax_rate").with("value", &l.tax_rate));
            }
            r
        };
        let (Some(price), Some(rate)) = (price, rate) else {
            continue;
        };
        if l.qty <= 0 {
            continue;
        }
        let amounts = line_amounts(UnitPrice::from_ten_thousandths(price), l.qty, rate, cur);
        // Three ways: what may be billed is what was received and not billed yet, at the PO's price and rate.
        let before = billed.get(&pl.id).copied().unwrap_or_default();
        let billable = pl.received_qty - before;
        let expected = line_amounts(
            UnitPrice::from_ten_thousandths(pl.unit_price),
            Ord::max(Ord::min(l.qty, billable), 0),
            pl.tax_rate_bp,
            cur,
        );
        let (Some((net, tax)), Some((enet, etax))) = (amounts, expected) else {
            errs.push(FieldError::new(&f("qty"), "out_of_range"));
            continue;
        };
        let issues = line_issues(
            pl.unit_price,
            price,
            pl.tax_rate_bp,
            rate,
            billable,
            l.qty,
            rules.invoice_price_tolerance_bp,
        );
        rows.push((
            pl,
            l.qty,
            price,
            rate,
            net,
            tax,
            enet + etax,
            before,
            issues,
        ));
    }
    if !errs.is_empty() {
        return Err(invalid(errs));
    }
    let overflow = || invalid(vec![FieldError::new("lines", "out_of_range")]);
    let (mut net, mut tax, mut expected) = (0i64, 0i64, 0i64);
    for r in &rows {
        net = net.checked_add(r.4).ok_or_else(overflow)?;
        tax = tax.checked_add(r.5).ok_or_else(overflow)?;
        expected = expected.checked_add(r.6).ok_or_else(overflow)?;
    }
    let total = net.checked_add(tax).ok_or_else(overflow)?;
    let tolerance = Money::from_decimal(
        rules.invoice_amount_tolerance,
        cur,
        RoundingStrategy::MidpointAwayFromZero,
    )
    .map(|m| m.minor())
    .unwrap_or_default();
    let mut issues: Vec<String> = Vec::new();
    if (i128::from(total) - i128::from(expected)).abs() > i128::from(tolerance) {
        issues.push("amount".into());
    }
    for r in &rows {
        for code in &r.8 {
            issues.push(format!("line {}: {code}", r.0.line_no));
        }
    }
    let status = if issues.is_empty() { "matched" } else { "held" };
    let now = desk.now();
    let doc_no = crate::docno::next(&txn, "PI", desk.biz_date(now)).await?;
    let due_date = input.due_date.unwrap_or_else(|| {
        invoice_date + chrono::Duration::days(i64::from(Ord::max(supplier.payment_days, 0)))
    });
    let inv = invoices::ActiveModel {
        doc_no: Set(doc_no.clone()),
        supplier_id: Set(o.supplier_id),
        po_id: Set(o.id),
        invoice_no: Set(invoice_no),
        invoice_date: Set(invoice_date),
        due_date: Set(due_date),
        currency: Set(o.currency.clone()),
        net_amount: Set(net),
        tax_amount: Set(tax),
        total_amount: Set(total),
        expected_amount: Set(expected),
        paid_amount: Set(0),
        status: Set(status.into()),
        issues: Set(issues.join(",").chars().take(500).collect()),
        notes: Set(input.notes.clone()),
        created_by: Set(actor.username.clone()),
        created_at: Set(now),
        decided_by: Set(None),
        decided_at: Set(None),
        decision_note: Set(String::new()),
        ..Default::default()
    }
    .insert(&txn)
    .await?;
    for r in &rows {
        ilines::ActiveModel {
            invoice_id: Set(inv.id),
            po_line_id: Set(r.0.id),
            qty: Set(r.1),
            unit_price: Set(r.2),
            tax_rate_bp: Set(r.3),
            net_amount: Set(r.4),
            tax_amount: Set(r.5),
            po_unit_price: Set(r.0.unit_price),
            po_tax_rate_bp: Set(r.0.tax_rate_bp),
            received_qty: Set(r.0.received_qty),
            invoiced_before: Set(r.7),
            expected_amount: Set(r.6),
            issues: Set(r.8.join(",")),
            ..Default::default()
        }
        .insert(&txn)
        .await?;
    }
    if status == "matched" {
        post_ledger(
            desk,
            &txn,
            actor,
            o.supplier_id,
            &o.currency,
            "invoice",
            (&doc_no, inv.id),
            total,
            invoice_date,
        )
        .await?;
    }
    let out = load_invoice(&txn, inv.id).await?;
    audit::record(
        desk,
        &txn,
        actor,
        Action::Create,
        "supplier_invoice",
        Some(inv.id),
        &doc_no,
        None::<&()>,
        Some(&out),
    )
    .await?;
    txn.commit().await?;
    Ok(out)
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
pub enum InvoiceDecision {
    /// Accept the variance: the invoice becomes payable at its invoiced amount.
    Approve,
    /// Refuse the invoice: nothing is owed on it; its quantities can be billed again.
    Reject,
}

/// Decides a held invoice from the mismatch queue. A note is required (why the variance is accepted or refused).
pub async fn decide_invoice(
    desk: &Shopdesk,
    actor: &Actor,
    id: i64,
    decision: InvoiceDecision,
    note: &str,
) -> Result<Invoice, ProcurementError> {
    actor.require(Permission::ApproveInvoiceVariances)?;
    if note.trim().is_empty() {
        return Err(invalid(vec![FieldError::new("note", "required")]));
    }
    let txn = desk.write_txn().await?;
    let before = load_invoice(&txn, id).await?;
    let now = desk.now();
    let target = match decision {
        InvoiceDecision::Approve => "approved",
        InvoiceDecision::Reject => "rejected",
    };
    // One guarded statement: two deciders at once cannot both post.
    let res = invoices::Entity::update_many()
        .col_expr(invoices::Column::Status, Expr::value(target))
        .col_expr(
            invoices::Column::DecidedBy,
            Expr::value(actor.username.clone()),
        )
        .col_expr(invoices::Column::DecidedAt, Expr::value(now))
        .col_expr(
            invoices::Column::DecisionNote,
            Expr::value(note.trim().chars().take(1000).collect::<String>()),
        )
        .filter(invoices::Column::Id.eq(id))
        .filter(invoices::Column::Status.eq("held"))
        .exec(&txn)
        .await?;
    if res.rows_affected != 1 {
        return Err(ProcurementError::DocStatus {
            doc_no: before.doc_no,
            status: before.status,
            action: if target == "approved" {
                "approve"
            } else {
                "reject"
            },
        });
    }
    let i =
        invoices::Entity::find_by_id(id)
            .one(&txn)
            .await?
            .ok_or(ProcurementError::NotFound {
                entity: "supplier_invoice",
                id,
            })?;
    if target == "approved" {
        post_ledger(
            desk,
            &txn,
            actor,
            i.supplier_id,
            &i.currency,
            "invoice",
            (&i.doc_no, i.id),
            i.total_amount,
            i.invoice_date,
        )
        .await?;
    }
    let after = load_invoice(&txn, id).await?;
    audit::record(
        desk,
        &txn,
        actor,
        Action::Update,
        "supplier_invoice",
        Some(id),
        &after.doc_no,
        Some(&before),
        Some(&after),
    )
    .await?;
    txn.commit().await?;
    Ok(after)
}

pub async fn get_invoice(
    desk: &Shopdesk,
    actor: &Actor,
    id: i64,
) -> Result<Invoice, ProcurementError> {
    actor.require(Permission::ViewPayables)?;
    load_invoice(desk.db(), id).await
}

/// One invoice by our number (PI-…).
pub async fn find_invoice_by_no(
    desk: &Shopdesk,
    actor: &Actor,
    doc_no: &str,
) -> Result<Invoice, ProcurementError> {
    actor.require(Permission::ViewPayables)?;
    let i = invoices::Entity::find()
        .filter(invoices::Column::DocNo.eq(doc_no.trim()))
        .one(desk.db())
        .await?
        .ok_or(ProcurementError::NotFound {
            entity: "supplier_invoice",
            id: 0,
        })?;
    load_invoice(desk.db(), i.id).await
}

/// Invoices, newest first. `query.status`: a status, `open` (payable and not fully paid) or `all`; `held` is the
/// mismatch queue. `query.search`: our number, the supplier's invoice number or notes.
pub async fn list_invoices(
    desk: &Shopdesk,
    actor: &Actor,
    query: &ListQuery,
    supplier_code: Option<&str>,
) -> Result<Page<Invoice>, ProcurementError> {
    actor.require(Permission::ViewPayables)?;
    let mut select = invoices::Entity::find();
    if let Some(t) = query.search_text() {
        select = select.filter(search_any(
            &[
                invoices::Column::DocNo,
                invoices::Column::InvoiceNo,
                invoices::Column::Notes,
            ],
            t,
        ));
    }
    match query.status.as_deref().filter(|s| !s.is_empty()) {
        None | Some("all") => {}
        Some("open") => {
            select = select
                .filter(invoices::Column::Status.is_in(["matched", "approved"]))
                .filter(
                    Expr::col(invoices::Column::PaidAmount)
                        .lt(Expr::col(invoices::Column::TotalAmount)),
                );
        }
        Some(s) => select = select.filter(invoices::Column::Status.eq(s)),
    }
    if let Some(code) = supplier_code.filter(|c| !c.trim().is_empty()) {
        let s = find_supplier(desk.db(), code).await?;
        select = select.filter(invoices::Column::SupplierId.eq(s.id));
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
            ("doc_no", invoices::Column::DocNo),
            ("invoice_date", invoices::Column::InvoiceDate),
            ("due_date", invoices::Column::DueDate),
            ("total_amount", invoices::Column::TotalAmount),
            ("status", invoices::Column::Status),
        ],
        invoices::Column::Id,
    )
    .await?;
    let mut items = Vec::with_capacity(rows.len());
    for r in rows {
        items.push(load_invoice(desk.db(), r.id).await?);
    }
    Ok(Page {
        items,
        total,
        page: query.page(),
        page_size: query.page_size(),
    })
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(default)]
pub struct AllocationInput {
    /// Our invoice number (PI-…).
    pub invoice_doc_no: String,
    pub amount: String,
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(default)]
pub struct PaymentInput {
    pub supplier_code: String,
    /// Default: the company currency.
    pub currency: Option<String>,
    pub amount: String,
    #[ts(type = "string | null")]
    pub pay_date: Option<NaiveDate>,
    /// bank | cash | alipay | wechat | cheque | other
    pub method: String,
    /// Bank reference or transaction number.
    pub reference: String,
    pub notes: String,
    /// Empty: applied to the supplier's open invoices in this currency, oldest due date first.
    pub allocations: Vec<AllocationInput>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct Allocation {
    pub invoice_doc_no: String,
    pub invoice_no: String,
    pub amount: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct Payment {
    #[ts(type = "number")]
    pub id: i64,
    pub payment_no: String,
    pub supplier_code: String,
    pub supplier_name: String,
    pub currency: String,
    pub amount: String,
    /// Not applied to any invoice: an advance to the supplier.
    pub unallocated: String,
    #[ts(type = "string")]
    pub pay_date: NaiveDate,
    pub method: String,
    pub reference: String,
    pub notes: String,
    pub created_by: String,
    pub created_at: DateTime<Utc>,
    pub allocations: Vec<Allocation>,
}

async fn load_payment(conn: &impl ConnectionTrait, id: i64) -> Result<Payment, ProcurementError> {
    let p =
        payments::Entity::find_by_id(id)
            .one(conn)
            .await?
            .ok_or(ProcurementError::NotFound {
                entity: "supplier_payment",
                id,
            })?;
    let als = allocs::Entity::find()
        .filter(allocs::Column::PaymentId.eq(id))
        .order_by_asc(allocs::Column::Id)
        .all(conn)
        .await?;
    let invs: HashMap<i64, invoices::Model> = invoices::Entity::find()
        .filter(invoices::Column::Id.is_in(als.iter().map(|a| a.invoice_id)))
        .all(conn)
        .await?
        .into_iter()
        .map(|i| (i.id, i))
        .collect();
    let s = suppliers::Entity::find_by_id(p.supplier_id)
        .one(conn)
        .await?;
    let applied: i64 = als.iter().map(|a| a.amount).sum();
    Ok(Payment {
        id: p.id,
        payment_no: p.payment_no,
        supplier_code: s.as_ref().map(|s| s.code.clone()).unwrap_or_default(),
        supplier_name: s.as_ref().map(|s| s.name.clone()).unwrap_or_default(),
        amount: money_text(p.amount, &p.currency),
        unallocated: money_text(p.amount - applied, &p.currency),
        allocations: als
            .iter()
            .map(|a| Allocation {
                invoice_doc_no: invs
                    .get(&a.invoice_id)
                    .map(|i| i.doc_no.clone())
                    .unwrap_or_default(),
                invoice_no: invs
                    .get(&a.invoice_id)
                    .map(|i| i.invoice_no.clone())
                    .unwrap_or_default(),
                amount: money_text(a.amount, &p.currency),
            })
            .collect(),
        currency: p.currency,
        pay_date: p.pay_date,
        method: p.method,
        reference: p.reference,
        notes: p.notes,
        created_by: p.created_by,
        created_at: p.created_at,
    })
}

/// Records a payment to a supplier: the payables ledger goes down by its amount, and it is applied to invoices
/// (explicitly, or oldest due first). An allocation can never exceed an invoice's open amount, even with two
/// payments at once (a guarded update of the invoice's paid amount).
pub async fn record_payment(
    desk: &Shopdesk,
    actor: &Actor,
    input: &PaymentInput,
) -> Result<Payment, ProcurementError> {
    actor.require(Permission::EditPayables)?;
    let txn = desk.write_txn().await?;
    let supplier = find_supplier(&txn, &input.supplier_code).await?;
    let currency = input
        .currency
        .clone()
        .filter(|c| !c.trim().is_empty())
        .unwrap_or_else(|| desk.company().currency)
        .trim()
        .to_ascii_uppercase();
    let mut errs = Vec::new();
    let cur = match Currency::parse(&currency) {
        Ok(c) => c,
        Err(_) => {
            errs.push(FieldError::new("currency", "invalid"));
            Currency::CNY
        }
    };
    let amount = match Money::parse(input.amount.trim(), cur) {
        Ok(m) if m.minor() > 0 => m.minor(),
        _ => {
            errs.push(FieldError::new("amount", "positive_money").with("value", &input.amount));
            0
        }
    };
    if !PAYMENT_METHODS.contains(&input.method.as_str()) {
        errs.push(FieldError::new("method", "one_of").with("allowed", PAYMENT_METHODS.join(", ")));
    }
    if input.reference.chars().count() > 128 {
        errs.push(FieldError::new("reference", "too_long").with("max", 128));
    }
    if input.notes.chars().count() > 1000 {
        errs.push(FieldError::new("notes", "too_long").with("max", 1000));
    }
    let now = desk.now();
    let pay_date = input.pay_date.unwrap_or_else(|| desk.biz_date(now));
    // Open invoices of this supplier in this currency, oldest due first.
    let open: Vec<invoices::Model> = invoices::Entity::find()
        .filter(invoices::Column::SupplierId.eq(supplier.id))
        .filter(invoices::Column::Currency.eq(&currency))
        .filter(invoices::Column::Status.is_in(["matched", "approved"]))
        .filter(
            Expr::col(invoices::Column::PaidAmount).lt(Expr::col(invoices::Column::TotalAmount)),
        )
        .order_by_asc(invoices::Column::DueDate)
        .order_by_asc(invoices::Column::Id)
        .all(&txn)
        .await?;
    let mut plan: Vec<(i64, i64)> = Vec::new();
    if input.allocations.is_empty() {
        let mut left = amount;
        for i in &open {
            if left == 0 {
                break;
            }
            let a = Ord::min(left, i.total_amount - i.paid_amount);
            plan.push((i.id, a));
            left -= a;
        }
    } else {
        let mut sum = 0i64;
        let mut seen = HashSet::new();
        for (n, a) in input.allocations.iter().enumerate() {
            let f = |name: &str| format!("allocations.{n}.{name}");
            let Some(i) = open.iter().find(|i| i.doc_no == a.invoice_doc_no.trim()) else {
                errs.push(
                    FieldError::new(&f("invoice_doc_no"), "not_open")
                        .with("value", &a.invoice_doc_no),
                );
                continue;
            };
            if !seen.insert(i.id) {
                errs.push(FieldError::new(&f("invoice_doc_no"), "duplicate"));
                continue;
            }
            match Money::parse(a.amount.trim(), cur) {
                Ok(m) if m.minor() > 0 && m.minor() <= i.total_amount - i.paid_amount => {
                    sum += m.minor();
                    plan.push((i.id, m.minor()));
                }
                _ => errs.push(
                    FieldError::new(&f("amount"), "allocation")
                        .with("max", money_text(i.total_amount - i.paid_amount, &currency)),
                ),
            }
        }
        if sum > amount {
            errs.push(
                FieldError::new("allocations", "over_payment")
                    .with("allocated", money_text(sum, &currency))
                    .with("amount", money_text(amount, &currency)),
            );
        }
    }
    if !errs.is_empty() {
        return Err(invalid(errs));
    }
    let payment_no = crate::docno::next(&txn, "PAY", desk.biz_date(now)).await?;
    let p = payments::ActiveModel {
        payment_no: Set(payment_no.clone()),
        supplier_id: Set(supplier.id),
        currency: Set(currency.clone()),
        amount: Set(amount),
        pay_date: Set(pay_date),
        method: Set(input.method.clone()),
        reference: Set(input.reference.trim().into()),
        notes: Set(input.notes.clone()),
        created_by: Set(actor.username.clone()),
        created_at: Set(now),
        ..Default::default()
    }
    .insert(&txn)
    .await?;
    for (invoice_id, a) in &plan {
        let res = invoices::Entity::update_many()
            .col_expr(
                invoices::Column::PaidAmount,
                Expr::col(invoices::Column::PaidAmount).add(*a),
            )
            .filter(invoices::Column::Id.eq(*invoice_id))
            .filter(
                Expr::col(invoices::Column::PaidAmount)
                    .add(*a)
                    .lte(Expr::col(invoices::Column::TotalAmount)),
            )
            .exec(&txn)
            .await?;
        if res.rows_affected != 1 {
            return Err(invalid(vec![FieldError::new(
                "allocations",
                "over_allocation",
            )]));
        }
        allocs::ActiveModel {
            payment_id: Set(p.id),
            invoice_id: Set(*invoice_id),
            amount: Set(*a),
            pay_date: Set(pay_date),
            ..Default::default()
        }
        .insert(&txn)
        .await?;
    }
    post_ledger(
        desk,
        &txn,
        actor,
        supplier.id,
        &currency,
        "payment",
        (&payment_no, p.id),
        -amount,
        pay_date,
    )
    .await?;
    let out = load_payment(&txn, p.id).await?;
    audit::record(
        desk,
        &txn,
        actor,
        Action::Create,
        "supplier_payment",
        Some(p.id),
        &payment_no,
        None::<&()>,
        Some(&out),
    )
    .await?;
    txn.commit().await?;
    Ok(out)
}

/// Payments, newest first; optionally of one supplier.
pub async fn list_payments(
    desk: &Shopdesk,
    actor: &Actor,
    query: &ListQuery,
    supplier_code: Option<&str>,
) -> Result<Page<Payment>, ProcurementError> {
    actor.require(Permission::ViewPayables)?;
    let mut select = payments::Entity::find();
    if let Some(t) = query.search_text() {
        select = select.filter(search_any(
            &[
                payments::Column::PaymentNo,
                payments::Column::Reference,
                payments::Column::Notes,
            ],
            t,
        ));
    }
    if let Some(code) = supplier_code.filter(|c| !c.trim().is_empty()) {
        let s = find_supplier(desk.db(), code).await?;
        select = select.filter(payments::Column::SupplierId.eq(s.id));
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
            ("payment_no", payments::Column::PaymentNo),
            ("pay_date", payments::Column::PayDate),
            ("amount", payments::Column::Amount),
        ],
        payments::Column::Id,
    )
    .await?;
    let mut items = Vec::with_capacity(rows.len());
    for r in rows {
        items.push(load_payment(desk.db(), r.id).await?);
    }
    Ok(Page {
        items,
        total,
        page: query.page(),
        page_size: query.page_size(),
    })
}

/// Ageing of one supplier's payables in one currency (账龄), as of a date.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct AgeingRow {
    pub supplier_code: String,
    pub supplier_name: String,
    pub currency: String,
    /// Not yet due.
    pub current: String,
    pub days_1_30: String,
    pub days_31_60: String,
    pub days_61_90: String,
    pub days_over_90: String,
    /// Sum of the open amounts of invoices.
    pub open_total: String,
    /// Payments not applied to any invoice (an advance), as of the date.
    pub unapplied: String,
    /// What we owe: open invoices − advances; equals the payables-ledger balance as of the date.
    pub balance: String,
    #[ts(type = "number")]
    pub open_invoices: i64,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct AgeingReport {
    #[ts(type = "string")]
    pub as_of: NaiveDate,
    pub rows: Vec<AgeingRow>,
}

/// Ageing as of a date (default today): each payable invoice dated on or before it, less what was applied to it
/// by payments dated on or before it, bucketed by days past its due date.
pub async fn ageing(
    desk: &Shopdesk,
    actor: &Actor,
    as_of: Option<NaiveDate>,
) -> Result<AgeingReport, ProcurementError> {
    actor.require(Permission::ViewPayables)?;
    let conn = desk.db();
    let as_of = as_of.unwrap_or_else(|| desk.biz_date(desk.now()));
    let invs = invoices::Entity::find()
        .filter(invoices::Column::Status.is_in(["matched", "approved"]))
        .filter(invoices::Column::InvoiceDate.lte(as_of))
        .all(conn)
        .await?;
    // What payments up to the date applied, per invoice and per payment (one read).
    let mut paid: HashMap<i64, i64> = HashMap::new();
    let mut applied: HashMap<i64, i64> = HashMap::new();
    for a in allocs::Entity::find()
        .filter(allocs::Column::PayDate.lte(as_of))
        .all(conn)
        .await?
    {
        *paid.entry(a.invoice_id).or_default() += a.amount;
        *applied.entry(a.payment_id).or_default() += a.amount;
    }
    // (supplier, currency) → [current, 1-30, 31-60, 61-90, >90], count
    let mut acc: BTreeMap<(i64, String), ([i64; 5], i64)> = BTreeMap::new();
    for i in &invs {
        let open = i.total_amount - paid.get(&i.id).copied().unwrap_or_default();
        if open == 0 {
            continue;
        }
        let late = (as_of - i.due_date).num_days();
        let bucket = match late {
            d if d <= 0 => 0,
            1..=30 => 1,
            31..=60 => 2,
            61..=90 => 3,
            _ => 4,
        };
        let e = acc.entry((i.supplier_id, i.currency.clone())).or_default();
        e.0[bucket] += open;
        e.1 += 1;
    }
    // Advances: payments up to the date less what they had been applied to by then.
    let mut advance: HashMap<(i64, String), i64> = HashMap::new();
    let pays = payments::Entity::find()
        .filter(payments::Column::PayDate.lte(as_of))
        .all(conn)
        .await?;
    for p in &pays {
        let left = p.amount - applied.get(&p.id).copied().unwrap_or_default();
        if left != 0 {
            *advance
                .entry((p.supplier_id, p.currency.clone()))
                .or_default() += left;
            acc.entry((p.supplier_id, p.currency.clone())).or_default();
        }
    }
    let sups: HashMap<i64, suppliers::Model> = suppliers::Entity::find()
        .filter(suppliers::Column::Id.is_in(acc.keys().map(|k| k.0)))
        .all(conn)
        .await?
        .into_iter()
        .map(|s| (s.id, s))
        .collect();
    let mut rows: Vec<AgeingRow> = acc
        .into_iter()
        .map(|((sid, cur), (b, n))| {
            let open: i64 = b.iter().sum();
            let adv = advance
                .get(&(sid, cur.clone()))
                .copied()
                .unwrap_or_default();
            let s = sups.get(&sid);
            AgeingRow {
                supplier_code: s.map(|s| s.code.clone()).unwrap_or_default(),
                supplier_name: s.map(|s| s.name.clone()).unwrap_or_default(),
                current: money_text(b[0], &cur),
                days_1_30: money_text(b[1], &cur),
                days_31_60: money_text(b[2], &cur),
                days_61_90: money_text(b[3], &cur),
                days_over_90: money_text(b[4], &cur),
                open_total: money_text(open, &cur),
                unapplied: money_text(adv, &cur),
                balance: money_text(open - adv, &cur),
                open_invoices: n,
                currency: cur,
            }
        })
        .collect();
    rows.sort_by(|a, b| {
        a.supplier_code
            .cmp(&b.supplier_code)
            .then(a.currency.cmp(&b.currency))
    });
    Ok(AgeingReport { as_of, rows })
}

/// One line of a supplier's statement (对账单): the payables-ledger entries in date order with a running balance.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct StatementLine {
    #[ts(type = "string")]
    pub biz_date: NaiveDate,
    /// invoice | payment
    pub kind: String,
    pub doc_no: String,
    pub amount: String,
    pub balance: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct Statement {
    pub supplier_code: String,
    pub supplier_name: String,
    pub currency: String,
    pub opening: String,
    pub lines: Vec<StatementLine>,
    pub closing: String,
}

/// A supplier's statement in one currency between two dates (inclusive).
pub async fn statement(
    desk: &Shopdesk,
    actor: &Actor,
    supplier_code: &str,
    currency: Option<&str>,
    from: Option<NaiveDate>,
    to: Option<NaiveDate>,
) -> Result<Statement, ProcurementError> {
    actor.require(Permission::ViewPayables)?;
    let conn = desk.db();
    let s = find_supplier(conn, supplier_code).await?;
    let currency = currency
        .filter(|c| !c.trim().is_empty())
        .map(|c| c.trim().to_ascii_uppercase())
        .unwrap_or_else(|| desk.company().currency);
    let mut select = pledger::Entity::find()
        .filter(pledger::Column::SupplierId.eq(s.id))
        .filter(pledger::Column::Currency.eq(&currency));
    if let Some(t) = to {
        select = select.filter(pledger::Column::BizDate.lte(t));
    }
    let entries = select
        .order_by_asc(pledger::Column::BizDate)
        .order_by_asc(pledger::Column::Id)
        .all(conn)
        .await?;
    let mut opening = 0i64;
    let mut running = 0i64;
    let mut lines = Vec::new();
    for e in entries {
        if from.is_some_and(|f| e.biz_date < f) {
            opening += e.amount;
            running += e.amount;
            continue;
        }
        running += e.amount;
        lines.push(StatementLine {
            biz_date: e.biz_date,
            kind: e.kind,
            doc_no: e.doc_no,
            amount: money_text(e.amount, &currency),
            balance: money_text(running, &currency),
        });
    }
    Ok(Statement {
        supplier_code: s.code,
        supplier_name: s.name,
        opening: money_text(opening, &currency),
        closing: money_text(running, &currency),
        currency,
        lines,
    })
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct PayablesDifference {
    /// `balance` (supplier balance vs ledger) or `paid` (invoice paid amount vs allocations) or `allocation`
    /// (a payment applied beyond its amount).
    pub kind: String,
    pub key: String,
    #[ts(type = "number")]
    pub expected: i64,
    #[ts(type = "number")]
    pub actual: i64,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct PayablesCheck {
    pub ok: bool,
    #[ts(type = "number")]
    pub entries: i64,
    pub differences: Vec<PayablesDifference>,
}

/// Recomputes every supplier balance from the payables ledger, every invoice's paid amount from its
/// allocations, and checks no payment is applied beyond its amount.
pub async fn check(desk: &Shopdesk, actor: &Actor) -> Result<PayablesCheck, ProcurementError> {
    actor.require(Permission::ViewPayables)?;
    let conn = desk.db();
    let mut sums: BTreeMap<(i64, String), i64> = BTreeMap::new();
    let mut entries = 0i64;
    for e in pledger::Entity::find().all(conn).await? {
        entries += 1;
        *sums.entry((e.supplier_id, e.currency)).or_default() += e.amount;
    }
    let mut differences = Vec::new();
    let stored: BTreeMap<(i64, String), i64> = balances::Entity::find()
        .all(conn)
        .await?
        .into_iter()
        .map(|b| ((b.supplier_id, b.currency), b.balance))
        .collect();
    let keys: HashSet<&(i64, String)> = sums.keys().chain(stored.keys()).collect();
    for k in keys {
        let (e, a) = (
            sums.get(k).copied().unwrap_or_default(),
            stored.get(k).copied().unwrap_or_default(),
        );
        if e != a {
            differences.push(PayablesDifference {
                kind: "balance".into(),
                key: format!("supplier {} {}", k.0, k.1),
                expected: e,
                actual: a,
            });
        }
    }
    let mut by_invoice: HashMap<i64, i64> = HashMap::new();
    let mut by_payment: HashMap<i64, i64> = HashMap::new();
    for a in allocs::Entity::find().all(conn).await? {
        *by_invoice.entry(a.invoice_id).or_default() += a.amount;
        *by_payment.entry(a.payment_id).or_default() += a.amount;
    }
    for i in invoices::Entity::find().all(conn).await? {
        let e = by_invoice.get(&i.id).copied().unwrap_or_default();
        if e != i.paid_amount || i.paid_amount > i.total_amount {
            differences.push(PayablesDifference {
                kind: "paid".into(),
                key: i.doc_no,
                expected: e,
                actual: i.paid_amount,
            });
        }
    }
    for p in payments::Entity::find().all(conn).await? {
        let applied = by_payment.get(&p.id).copied().unwrap_or_default();
        if applied > p.amount {
            differences.push(PayablesDifference {
                kind: "allocation".into(),
                key: p.payment_no,
                expected: p.amount,
                actual: applied,
            });
        }
    }
    differences.sort_by(|a, b| (&a.kind, &a.key).cmp(&(&b.kind, &b.key)));
    Ok(PayablesCheck {
        ok: differences.is_empty(),
        entries,
        differences,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn price_within_tolerance_passes_and_beyond_it_is_an_issue() {
        // PO 10.0000, tolerance 1%: 10.10 passes, 10.1001 does not; lower prices are checked the same way.
        assert!(line_issues(100_000, 101_000, 1300, 1300, 5, 5, 100).is_empty());
        assert_eq!(
            line_issues(100_000, 101_001, 1300, 1300, 5, 5, 100),
            ["price"]
        );
        assert_eq!(
            line_issues(100_000, 98_999, 1300, 1300, 5, 5, 100),
            ["price"]
        );
        // A free PO line billed at any price is an issue.
        assert_eq!(line_issues(0, 1, 0, 0, 1, 1, 100), ["price"]);
    }

    #[test]
    fn tax_rate_and_quantity_beyond_what_was_received_are_issues() {
        assert_eq!(line_issues(100, 100, 1300, 900, 5, 5, 0), ["tax_rate"]);
        assert_eq!(
            line_issues(100, 100, 1300, 1300, 4, 5, 0),
            ["qty_not_received"]
        );
        assert_eq!(
            line_issues(100, 200, 1300, 600, 0, 1, 0),
            ["price", "tax_rate", "qty_not_received"]
        );
    }
}
