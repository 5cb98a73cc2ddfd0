//! Supplier scorecard (绩效考核), computed from the records, never typed in:
//! * on-time delivery: of the PO lines that were due in the period (expected date in it), the share received in
//!   full by their expected date (lines still open after it count as late);
//! * inspection pass rate: accepted ÷ (accepted + rejected) over the goods received in the period;
//! * average lead time: days from order date to receipt, over the receipt lines of the period;
//! * price index: the supplier's current price of each SKU it shares with other suppliers (same currency)
//!   against the average of all suppliers' prices for that SKU, averaged; 100 is the average, below is cheaper.
//!
//! Rates are exact decimals rounded half away from zero to one decimal place.

use super::ProcurementError;
use crate::Shopdesk;
use crate::auth::{Actor, Permission};
use crate::entities::{
    purchase_order_lines as lines, purchase_orders as orders, purchase_receipt_lines as rlines,
    purchase_receipts as receipts, supplier_items, suppliers,
};
use chrono::NaiveDate;
use rust_decimal::{Decimal, RoundingStrategy};
use sea_orm::{ColumnTrait, EntityTrait, QueryFilter};
use serde::{Deserialize, Serialize};
use std::collections::HashMap;
use ts_rs::TS;

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct Scorecard {
    pub supplier_code: String,
    pub supplier_name: String,
    pub qualification: String,
    #[ts(type = "number")]
    pub orders: u64,
    /// PO lines due in the period.
    #[ts(type = "number")]
    pub lines_due: u64,
    #[ts(type = "number")]
    pub lines_on_time: u64,
    /// Percent, one decimal; `None` when nothing was due.
    pub on_time_rate: Option<String>,
    #[ts(type = "number")]
    pub accepted: i64,
    #[ts(type = "number")]
    pub rejected: i64,
    pub pass_rate: Option<String>,
    pub avg_lead_days: Option<String>,
    /// 100 = the average price of the suppliers of the same SKUs; lower is cheaper.
    pub price_index: Option<String>,
    #[ts(type = "number")]
    pub skus_compared: u64,
}

fn pct(part: i64, whole: i64) -> Option<String> {
    (whole > 0).then(|| one_dp(Decimal::from(part) * Decimal::from(100) / Decimal::from(whole)))
}

/// Half away from zero to one decimal, always shown with it (`50.0`).
fn one_dp(d: Decimal) -> String {
    let mut r = d.round_dp_with_strategy(1, RoundingStrategy::MidpointAwayFromZero);
    r.rescale(1);
    r.to_string()
}

/// Scorecards of every supplier with activity in `[from, to]` (business dates), best on-time rate first.
pub async fn scorecards(
    desk: &Shopdesk,
    actor: &Actor,
    from: NaiveDate,
    to: NaiveDate,
) -> Result<Vec<Scorecard>, ProcurementError> {
    actor.require(Permission::ViewMasterData)?;
    let db = desk.db();
    let today = desk.biz_date(desk.now());
    let sups: HashMap<i64, suppliers::Model> = suppliers::Entity::find()
        .all(db)
        .await?
        .into_iter()
        .map(|s| (s.id, s))
        .collect();
    let pos: HashMap<i64, orders::Model> = orders::Entity::find()
        .filter(orders::Column::Status.is_not_in(["draft", "cancelled"]))
        .all(db)
        .await?
        .into_iter()
        .map(|o| (o.id, o))
        .collect();
    let all_lines: Vec<lines::Model> = lines::Entity::find()
        .filter(lines::Column::PoId.is_in(pos.keys().copied().collect::<Vec<_>>()))
        .all(db)
        .await?;
    let recs: HashMap<i64, receipts::Model> = receipts::Entity::find()
        .all(db)
        .await?
        .into_iter()
        .map(|r| (r.id, r))
        .collect();
    let rls: Vec<rlines::Model> = rlines::Entity::find().all(db).await?;

    #[derive(Default)]
    struct Acc {
        orders: u64,
        due: u64,
        on_time: u64,
        accepted: i64,
        rejected: i64,
        lead_days: i64,
        lead_n: i64,
    }
    let mut acc: HashMap<i64, Acc> = HashMap::new();
    for o in pos.values() {
        if o.order_date >= from && o.order_date <= to {
            acc.entry(o.supplier_id).or_default().orders += 1;
        }
    }
    // When each line was received in full: the receipt date at which accepted reached the ordered quantity.
    let mut by_line: HashMap<i64, Vec<(NaiveDate, i64)>> = HashMap::new();
    for rl in &rls {
        if let Some(r) = recs.get(&rl.receipt_id) {
            by_line
                .entry(rl.po_line_id)
                .or_default()
                .push((r.biz_date, rl.accepted));
        }
    }
    for l in &all_lines {
        let Some(o) = pos.get(&l.po_id) else { continue };
        let Some(due) = l.expected_date.or(o.expected_date) else {
            continue;
        };
        if due < from || due > to || (due >= today && l.received_qty < l.qty) {
            continue; // not due in the period, or not due yet and still open
        }
        let mut got = by_line.get(&l.id).cloned().unwrap_or_default();
        got.sort();
        let mut sum = 0;
        let full_on = got.iter().find_map(|(d, q)| {
            sum += q;
            (sum >= l.qty).then_some(*d)
        });
        let a = acc.entry(o.supplier_id).or_default();
        a.due += 1;
        if full_on.is_some_and(|d| d <= due) {
            a.on_time += 1;
        }
    }
    let line_po: HashMap<i64, i64> = all_lines.iter().map(|l| (l.id, l.po_id)).collect();
    for rl in &rls {
        let (Some(r), Some(po_id)) = (recs.get(&rl.receipt_id), line_po.get(&rl.po_line_id)) else {
            continue;
        };
        let Some(o) = pos.get(po_id) else { continue };
        if r.biz_date < from || r.biz_date > to {
            continue;
        }
        let a = acc.entry(o.supplier_id).or_default();
        a.accepted += rl.accepted;
        a.rejected += rl.rejected;
        a.lead_days += (r.biz_date - o.order_date).num_days();
        a.lead_n += 1;
    }

    // Price index from the current prices of matched items.
    let items: Vec<supplier_items::Model> = supplier_items::Entity::find()
        .filter(supplier_items::Column::ProductId.is_not_null())
        .all(db)
        .await?;
    let current = super::prices::current_by_item(db, today).await?;
    // (product, currency) → [(supplier, price)]
    let mut offers: HashMap<(i64, String), Vec<(i64, i64)>> = HashMap::new();
    for it in &items {
        if let (Some(pid), Some(p)) = (it.product_id, current.get(&it.id)) {
            offers
                .entry((pid, p.currency.clone()))
                .or_default()
                .push((it.supplier_id, p.price));
        }
    }
    let mut ratios: HashMap<i64, Vec<Decimal>> = HashMap::new();
    for list in offers.values() {
        if list.len() < 2 {
            continue;
        }
        let avg = Decimal::from(list.iter().map(|(_, p)| *p).sum::<i64>())
            / Decimal::from(list.len() as i64);
        if avg.is_zero() {
            continue;
        }
        for (s, p) in list {
            ratios
                .entry(*s)
                .or_default()
                .push(Decimal::from(*p) * Decimal::from(100) / avg);
        }
    }
    for s in ratios.keys() {
        acc.entry(*s).or_default();
    }

    let mut out: Vec<Scorecard> = acc
        .into_iter()
        .filter_map(|(sid, a)| {
            let s = sups.get(&sid)?;
            let r = ratios.get(&sid);
            Some(Scorecard {
                supplier_code: s.code.clone(),
                supplier_name: s.name.clone(),
                qualification: s.qualification.clone(),
                orders: a.orders,
                lines_due: a.due,
                lines_on_time: a.on_time,
                on_time_rate: pct(a.on_time as i64, a.due as i64),
                accepted: a.accepted,
                rejected: a.rejected,
                pass_rate: pct(a.accepted, a.accepted + a.rejected),
                avg_lead_days: (a.lead_n > 0)
                    .then(|| one_dp(Decimal::from(a.lead_days) / Decimal::from(a.lead_n))),
                price_index: r.map(|v| {
                    one_dp(v.iter().copied().sum::<Decimal>() / Decimal::from(v.len() as i64))
                }),
                skus_compared: r.map(|v| v.len() as u64).unwrap_or(0),
            })
        })
        .collect();
    out.sort_by(|a, b| {
        let key = |s: &Scorecard| {
            s.on_time_rate
                .as_deref()
                .and_then(|r| r.parse::<Decimal>().ok())
        };
        key(b)
            .cmp(&key(a))
            .then_with(|| a.supplier_code.cmp(&b.supplier_code))
    });
    Ok(out)
}

/// The scorecards as an .xlsx (rates as numbers with one decimal, codes as text).
pub fn write_xlsx(
    cards: &[Scorecard],
    path: &std::path::Path,
    lang: &str,
) -> Result<(), ProcurementError> {
    use rust_xlsxwriter::{Format, Workbook};
    let werr = |e: rust_xlsxwriter::XlsxError| ProcurementError::Write {
        path: path.display().to_string(),
        reason: e.to_string(),
    };
    let head: [&str; 11] = if lang.starts_with("zh") {
        [
            "供应商编码",
            "供应商",
            "资质",
            "订单数",
            "到期行数",
            "准时行数",
            "准时率%",
            "合格数",
            "拒收数",
            "合格率%",
            "平均交期(天)",
        ]
    } else {
        [
            "Code",
            "Supplier",
            "Qualification",
            "Orders",
            "Lines due",
            "On time",
            "On-time %",
            "Accepted",
            "Rejected",
            "Pass %",
            "Avg lead (days)",
        ]
    };
    let mut wb = Workbook::new();
    let ws = wb.add_worksheet();
    let bold = Format::new().set_bold();
    let text = Format::new().set_num_format("@");
    let one = Format::new().set_num_format("0.0");
    for (c, h) in head
        .iter()
        .chain(std::iter::once(&if lang.starts_with("zh") {
            "价格指数"
        } else {
            "Price index"
        }))
        .enumerate()
    {
        ws.write_string_with_format(0, c as u16, *h, &bold)
            .map_err(werr)?;
    }
    let num = |s: &Option<String>| s.as_deref().and_then(|v| v.parse::<f64>().ok());
    for (i, c) in cards.iter().enumerate() {
        let r = i as u32 + 1;
        ws.write_string_with_format(r, 0, &c.supplier_code, &text)
            .map_err(werr)?;
        ws.write_string(r, 1, &c.supplier_name).map_err(werr)?;
        ws.write_string(r, 2, &c.qualification).map_err(werr)?;
        ws.write_number(r, 3, c.orders as f64).map_err(werr)?;
        ws.write_number(r, 4, c.lines_due as f64).map_err(werr)?;
        ws.write_number(r, 5, c.lines_on_time as f64)
            .map_err(werr)?;
        ws.write_number(r, 7, c.accepted as f64).map_err(werr)?;
        ws.write_number(r, 8, c.rejected as f64).map_err(werr)?;
        for (col, v) in [
            (6u16, &c.on_time_rate),
            (9, &c.pass_rate),
            (10, &c.avg_lead_days),
            (11, &c.price_index),
        ] {
            if let Some(x) = num(v) {
                ws.write_number_with_format(r, col, x, &one).map_err(werr)?;
            }
        }
    }
    ws.set_column_width(1, 28).map_err(werr)?;
    wb.save(path).map_err(werr)
}
