//! Purchase planning (采购计划): what to buy, from whom, and how much.
//!
//! For every active product the projected stock is on hand − reserved + on order (outstanding quantities of sent
//! or partly received purchase orders). Sales velocity is the moving average of units shipped (stock-ledger
//! entries of kind `ship`, net of returns) per day over the last `window_days` days. The preferred supplier is
//! the one with the cheapest current price among items matched to the product (ties: shortest lead time); its
//! lead time (default 7 days when it gives none) sets how long the stock must last:
//!
//! reorder point = ⌈velocity × lead time⌉ + safety stock; when projected < reorder point, suggest
//! ⌈velocity × (lead time + cover days)⌉ + safety stock − projected, raised to the supplier's MOQ.
//!
//! Suggestions are grouped by supplier; the clerk edits quantities and turns a group into a draft PO.

use super::ProcurementError;
use super::orders::{self, PoInput, PoLineInput, PurchaseOrder};
use crate::Shopdesk;
use crate::auth::{Actor, Permission};
use crate::entities::{
    products, purchase_order_lines as lines, purchase_orders as pos, stock_balances, stock_ledger,
    supplier_items, supplier_prices, suppliers,
};
use crate::money::UnitPrice;
use chrono::NaiveDate;
use rust_decimal::Decimal;
use rust_decimal::prelude::ToPrimitive;
use sea_orm::{ColumnTrait, EntityTrait, QueryFilter};
use serde::{Deserialize, Serialize};
use std::collections::HashMap;
use ts_rs::TS;

pub const DEFAULT_LEAD_DAYS: i64 = 7;

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(default)]
pub struct PlanOptions {
    /// Days of sales history for the moving average.
    #[ts(type = "number")]
    pub window_days: i64,
    /// Days of sales an order should cover beyond the lead time.
    #[ts(type = "number")]
    pub cover_days: i64,
}

impl Default for PlanOptions {
    fn default() -> Self {
        Self {
            window_days: 30,
            cover_days: 14,
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct Suggestion {
    pub sku: String,
    pub name: String,
    #[ts(type = "number")]
    pub on_hand: i64,
    #[ts(type = "number")]
    pub reserved: i64,
    #[ts(type = "number")]
    pub on_order: i64,
    #[ts(type = "number")]
    pub safety_stock: i64,
    /// Units per day, two decimals.
    pub velocity: String,
    #[ts(type = "number")]
    pub lead_time_days: i64,
    #[ts(type = "number")]
    pub reorder_point: i64,
    #[ts(type = "number")]
    pub suggested_qty: i64,
    /// The supplier's current unit price, when one is known.
    pub unit_price: Option<String>,
    pub currency: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct SupplierPlan {
    /// Empty when no supplier offers the product yet.
    pub supplier_code: String,
    pub supplier_name: String,
    pub qualification: String,
    pub lines: Vec<Suggestion>,
}

fn ceil(d: Decimal) -> i64 {
    d.ceil().to_i64().unwrap_or(i64::MAX)
}

/// The suggestions, grouped by preferred supplier (suppliers by code, products without one last).
pub async fn suggestions(
    desk: &Shopdesk,
    actor: &Actor,
    opts: &PlanOptions,
) -> Result<Vec<SupplierPlan>, ProcurementError> {
    actor.require(Permission::ViewMasterData)?;
    let db = desk.db();
    let today = desk.biz_date(desk.now());
    let since = today - chrono::Duration::days(opts.window_days.max(1));
    let prods: Vec<products::Model> = products::Entity::find()
        .filter(products::Column::Status.eq("active"))
        .all(db)
        .await?;
    let mut stock: HashMap<i64, (i64, i64)> = HashMap::new();
    for b in stock_balances::Entity::find().all(db).await? {
        let e = stock.entry(b.product_id).or_default();
        e.0 += b.on_hand;
        e.1 += b.reserved;
    }
    let open: Vec<i64> = pos::Entity::find()
        .filter(pos::Column::Status.is_in(["submitted", "approved", "sent", "partially_received"]))
        .all(db)
        .await?
        .into_iter()
        .map(|p| p.id)
        .collect();
    let mut on_order: HashMap<i64, i64> = HashMap::new();
    for l in lines::Entity::find()
        .filter(lines::Column::PoId.is_in(open))
        .all(db)
        .await?
    {
        *on_order.entry(l.product_id).or_default() += (l.qty - l.received_qty).max(0);
    }
    let mut shipped: HashMap<i64, i64> = HashMap::new();
    for e in stock_ledger::Entity::find()
        .filter(stock_ledger::Column::BizDate.gt(since))
        .filter(stock_ledger::Column::Kind.is_in(["ship", "return"]))
        .all(db)
        .await?
    {
        *shipped.entry(e.product_id).or_default() -= e.qty;
    }
    // Preferred offer per product: cheapest current price, then shortest lead time.
    let items: Vec<supplier_items::Model> = supplier_items::Entity::find()
        .filter(supplier_items::Column::ProductId.is_not_null())
        .all(db)
        .await?;
    let current = super::prices::current_by_item(db, today).await?;
    let sups: HashMap<i64, suppliers::Model> = suppliers::Entity::find()
        .all(db)
        .await?
        .into_iter()
        .map(|s| (s.id, s))
        .collect();
    // Prices are compared, and orders raised, in the company currency only (no exchange rates are assumed).
    let company_currency = desk.company().currency;
    let mut best: HashMap<i64, (i64, supplier_prices::Model)> = HashMap::new();
    for it in &items {
        let (Some(pid), Some(price)) = (it.product_id, current.get(&it.id)) else {
            continue;
        };
        if price.currency != company_currency {
            continue;
        }
        if sups
            .get(&it.supplier_id)
            .is_none_or(|s| s.status != "active")
        {
            continue;
        }
        let lead = price
            .lead_time_days
            .map(i64::from)
            .unwrap_or(DEFAULT_LEAD_DAYS);
        let better = match best.get(&pid) {
            None => true,
            Some((_, b)) => {
                let bl = b.lead_time_days.map(i64::from).unwrap_or(DEFAULT_LEAD_DAYS);
                (price.price, lead) < (b.price, bl)
            }
        };
        if better {
            best.insert(pid, (it.supplier_id, price.clone()));
        }
    }
    let mut groups: HashMap<Option<i64>, Vec<Suggestion>> = HashMap::new();
    for p in prods {
        let (on_hand, reserved) = stock.get(&p.id).copied().unwrap_or((0, 0));
        let ordered = on_order.get(&p.id).copied().unwrap_or(0);
        let projected = on_hand - reserved + ordered;
        let velocity = Decimal::from(shipped.get(&p.id).copied().unwrap_or(0).max(0))
            / Decimal::from(opts.window_days.max(1));
        let offer = best.get(&p.id);
        let lead = offer
            .and_then(|(_, o)| o.lead_time_days.map(i64::from))
            .unwrap_or(DEFAULT_LEAD_DAYS);
        let reorder_point = ceil(velocity * Decimal::from(lead)) + p.safety_stock;
        if projected >= reorder_point || (velocity.is_zero() && p.safety_stock == 0) {
            continue;
        }
        let mut qty = ceil(velocity * Decimal::from(lead + opts.cover_days.max(0)))
            + p.safety_stock
            - projected;
        if let Some(moq) = offer.and_then(|(_, o)| o.moq) {
            qty = qty.max(moq);
        }
        if qty <= 0 {
            continue;
        }
        groups
            .entry(offer.map(|(s, _)| *s))
            .or_default()
            .push(Suggestion {
                sku: p.sku,
                name: p.name,
                on_hand,
                reserved,
                on_order: ordered,
                safety_stock: p.safety_stock,
                velocity: {
                    let mut v = velocity.round_dp(2);
                    v.rescale(2);
                    v.to_string()
                },
                lead_time_days: lead,
                reorder_point,
                suggested_qty: qty,
                unit_price: offer
                    .map(|(_, o)| UnitPrice::from_ten_thousandths(o.price).to_string()),
                currency: offer.map(|(_, o)| o.currency.clone()),
            });
    }
    let mut out: Vec<SupplierPlan> = groups
        .into_iter()
        .map(|(sid, mut lines)| {
            lines.sort_by(|a, b| a.sku.cmp(&b.sku));
            let s = sid.and_then(|id| sups.get(&id));
            SupplierPlan {
                supplier_code: s.map(|s| s.code.clone()).unwrap_or_default(),
                supplier_name: s.map(|s| s.name.clone()).unwrap_or_default(),
                qualification: s.map(|s| s.qualification.clone()).unwrap_or_default(),
                lines,
            }
        })
        .collect();
    out.sort_by(|a, b| {
        (a.supplier_code.is_empty(), &a.supplier_code)
            .cmp(&(b.supplier_code.is_empty(), &b.supplier_code))
    });
    Ok(out)
}

/// One edited line of a plan: our SKU and the quantity the clerk decided on.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(default)]
pub struct PlannedLine {
    pub sku: String,
    #[ts(type = "number")]
    pub qty: i64,
}

/// Turns a supplier's (edited) suggestions into a draft PO at the supplier's current prices (tax 13% unless the
/// clerk changes it on the draft).
pub async fn to_draft_po(
    desk: &Shopdesk,
    actor: &Actor,
    supplier_code: &str,
    warehouse_code: &str,
    expected_date: Option<NaiveDate>,
    planned: &[PlannedLine],
) -> Result<PurchaseOrder, ProcurementError> {
    actor.require(Permission::EditPurchaseOrders)?;
    let plan = suggestions(desk, actor, &PlanOptions::default()).await?;
    let prices: HashMap<String, String> = plan
        .iter()
        .filter(|g| g.supplier_code == supplier_code)
        .flat_map(|g| g.lines.iter())
        .filter_map(|l| l.unit_price.clone().map(|p| (l.sku.clone(), p)))
        .collect();
    let input = PoInput {
        supplier_code: supplier_code.to_string(),
        warehouse_code: warehouse_code.to_string(),
        currency: None,
        expected_date,
        notes: String::new(),
        lines: planned
            .iter()
            .filter(|l| l.qty > 0)
            .map(|l| PoLineInput {
                sku: l.sku.clone(),
                qty: l.qty,
                unit_price: prices.get(&l.sku).cloned().unwrap_or_default(),
                tax_rate: "13".into(),
                expected_date: None,
            })
            .collect(),
    };
    orders::create(desk, actor, &input).await
}
