//! Closed stock periods (月结) and backdated entries.
//!
//! **Architecture Invariant:** nothing is posted on or before `stock_period_lock.closed_through`. A period can be
//! closed only through a date before today, so today's postings never meet the lock; a backdated posting reads
//! the lock row FOR SHARE (PostgreSQL) inside its transaction, and closing updates that row, so the two cannot
//! interleave. Closing and reopening are audited.
//!
//! A backdated entry (business date before today, in an open period) is valued at the moving average of its SKU ×
//! warehouse as of the end of that date. It then changes the average that later outgoing entries of the same SKU ×
//! warehouse left at: those, and only those, are revalued by appending `revalue` entries (quantity 0, the value
//! difference, dated like the entry they correct, `reverses_id` naming it). No entry is edited, stock as of any
//! date stays a plain sum of the ledger, and entries of other SKUs or warehouses are untouched. A transfer's
//! destination keeps the value it received when the goods were shipped.

use super::{InventoryError, Movement, MovementKind, lock_valuation, value_change, value_out};
use crate::Shopdesk;
use crate::audit::{self, Action};
use crate::auth::{Actor, Permission};
use crate::entities::{stock_ledger, stock_period_lock, stock_valuations};
use crate::error::{FieldError, FieldErrors};
use chrono::{DateTime, NaiveDate, Utc};
use sea_orm::sea_query::{Expr, ExprTrait};
use sea_orm::{
    ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QueryOrder, QuerySelect, Set,
};
use serde::{Deserialize, Serialize};
use std::collections::HashMap;
use ts_rs::TS;

/// Where the stock periods stand.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct PeriodStatus {
    /// Closed through this date (inclusive); `None` when no period was ever closed.
    pub closed_through: Option<NaiveDate>,
    pub updated_by: String,
    pub updated_at: Option<DateTime<Utc>>,
    /// Today's business date: the latest date a period can be closed through is the day before.
    pub today: NaiveDate,
}

async fn lock_row(
    conn: &impl ConnectionTrait,
    exclusive: bool,
) -> Result<stock_period_lock::Model, InventoryError> {
    let q = stock_period_lock::Entity::find_by_id(1i64);
    let q = if exclusive {
        q.lock_exclusive()
    } else {
        q.lock_shared()
    };
    q.one(conn).await?.ok_or(InventoryError::NotFound {
        entity: "stock_period_lock",
        id: 1,
    })
}

/// Refuses a posting dated `date` when its period is closed (inside the posting's transaction).
pub(super) async fn ensure_open(
    conn: &impl ConnectionTrait,
    date: NaiveDate,
) -> Result<(), InventoryError> {
    if let Some(closed_through) = lock_row(conn, false).await?.closed_through
        && date <= closed_through
    {
        return Err(InventoryError::PeriodClosed {
            date,
            closed_through,
        });
    }
    Ok(())
}

pub async fn status(desk: &Shopdesk, actor: &Actor) -> Result<PeriodStatus, InventoryError> {
    actor.require(Permission::ViewMasterData)?;
    let row = lock_row(desk.db(), false).await?;
    Ok(PeriodStatus {
        closed_through: row.closed_through,
        updated_by: row.updated_by,
        updated_at: row.updated_at,
        today: desk.biz_date(desk.now()),
    })
}

fn invalid(field: &str, code: &str) -> InventoryError {
    let mut errs = FieldErrors::default();
    errs.push(FieldError::new(field, code));
    InventoryError::Validation(errs)
}

/// Closes the stock periods through `through` (inclusive; before today, after the current close).
pub async fn close(
    desk: &Shopdesk,
    actor: &Actor,
    through: NaiveDate,
    note: &str,
) -> Result<PeriodStatus, InventoryError> {
    actor.require(Permission::CloseStockPeriods)?;
    if through >= desk.biz_date(desk.now()) {
        return Err(invalid("through", "before_today"));
    }
    set(desk, actor, Some(through), note, |current| match current {
        Some(c) if through <= c => Err(invalid("through", "after_closed")),
        _ => Ok(()),
    })
    .await
}

/// Reopens periods (administrators only, with a reason): closed through `through` afterwards, or nothing closed.
pub async fn reopen(
    desk: &Shopdesk,
    actor: &Actor,
    through: Option<NaiveDate>,
    reason: &str,
) -> Result<PeriodStatus, InventoryError> {
    actor.require(Permission::CloseStockPeriods)?;
    actor.require(Permission::EditSettings)?;
    if reason.trim().is_empty() {
        return Err(invalid("reason", "required"));
    }
    set(desk, actor, through, reason, |current| {
        match (current, through) {
            (None, _) => Err(invalid("through", "nothing_closed")),
            (Some(c), Some(t)) if t >= c => Err(invalid("through", "before_closed")),
            _ => Ok(()),
        }
    })
    .await
}

async fn set(
    desk: &Shopdesk,
    actor: &Actor,
    through: Option<NaiveDate>,
    note: &str,
    allowed: impl FnOnce(Option<NaiveDate>) -> Result<(), InventoryError>,
) -> Result<PeriodStatus, InventoryError> {
    let txn = desk.write_txn().await?;
    let row = lock_row(&txn, true).await?;
    allowed(row.closed_through)?;
    let now = desk.now();
    stock_period_lock::Entity::update_many()
        .col_expr(
            stock_period_lock::Column::ClosedThrough,
            Expr::value(through),
        )
        .col_expr(
            stock_period_lock::Column::UpdatedBy,
            Expr::value(actor.username.clone()),
        )
        .col_expr(stock_period_lock::Column::UpdatedAt, Expr::value(now))
        .filter(stock_period_lock::Column::Id.eq(1i64))
        .exec(&txn)
        .await?;
    let before = serde_json::json!({ "closed_through": row.closed_through });
    let after = serde_json::json!({ "closed_through": through, "note": note.trim() });
    audit::record(
        desk,
        &txn,
        actor,
        Action::Update,
        "stock_period",
        Some(1),
        "closed_through",
        Some(&before),
        Some(&after),
    )
    .await?;
    txn.commit().await?;
    Ok(PeriodStatus {
        closed_through: through,
        updated_by: actor.username.clone(),
        updated_at: Some(now),
        today: desk.biz_date(now),
    })
}

/// One later outgoing entry whose value a backdated entry changed.
pub(super) struct Correction {
    entry_id: i64,
    biz_date: NaiveDate,
    location_id: i64,
    value: i64,
}

pub(super) struct Backdated {
    pub value: i64,
    pub unit: i64,
    pub corrections: Vec<Correction>,
}

/// Values a backdated on-hand change at the moving average as of the end of `date`, replays the later entries of
/// the SKU × warehouse in ledger order (date, then id) to find the outgoing ones whose value changes, and moves the
/// stored valuation by the whole difference. Refuses when the change would leave the warehouse short on any day
/// from `date` on.
pub(super) async fn value_backdated(
    conn: &impl ConnectionTrait,
    m: &Movement,
    warehouse_id: i64,
    date: NaiveDate,
    now: DateTime<Utc>,
) -> Result<Backdated, InventoryError> {
    use stock_ledger::Column as L;
    let product_id = m.product_id;
    // Serialises backdated and current postings of this SKU × warehouse.
    let v = lock_valuation(conn, product_id, warehouse_id, now).await?;
    /// (date, id, kind, qty, value, location, corrected entry)
    type Entry = (NaiveDate, i64, String, i64, i64, i64, Option<i64>);
    let rows: Vec<Entry> = stock_ledger::Entity::find()
        .select_only()
        .columns([
            L::BizDate,
            L::Id,
            L::Kind,
            L::Qty,
            L::Value,
            L::LocationId,
            L::ReversesId,
        ])
        .filter(L::ProductId.eq(product_id))
        .filter(L::WarehouseId.eq(warehouse_id))
        .filter(L::Kind.is_not_in(["move_out", "move_in"]))
        .filter(L::Qty.ne(0).or(L::Kind.eq("revalue")))
        .order_by_asc(L::BizDate)
        .order_by_asc(L::Id)
        .into_tuple()
        .all(conn)
        .await?;
    // Stock as of the end of `date`: every entry dated on or before it, corrections included.
    let (mut q, mut val) = rows
        .iter()
        .filter(|r| r.0 <= date)
        .fold((0i64, 0i64), |(q, v), r| (q + r.3, v + r.4));
    if m.qty < 0 && q < -m.qty {
        return Err(InventoryError::ShortInHistory {
            product_id,
            date,
            short_on: date,
            requested: -m.qty,
            available: q,
        });
    }
    let (value, unit) = value_change(m.qty, m.unit_cost, m.value, q, val);
    q += m.qty;
    val += value;
    let mut corrected: HashMap<i64, i64> = HashMap::new();
    for r in rows.iter().filter(|r| r.0 > date && r.2 == "revalue") {
        if let Some(target) = r.6 {
            *corrected.entry(target).or_default() += r.4;
        }
    }
    let mut corrections = Vec::new();
    let mut total = value;
    for (biz_date, id, kind, qty, stored, location_id, _) in rows.iter().filter(|r| r.0 > date) {
        if kind == MovementKind::Revalue.as_str() {
            continue;
        }
        let effective = stored + corrected.get(id).copied().unwrap_or(0);
        if *qty > 0 {
            q += qty;
            val += effective;
            continue;
        }
        let out = -qty;
        if q < out {
            return Err(InventoryError::ShortInHistory {
                product_id,
                date,
                short_on: *biz_date,
                requested: out,
                available: q,
            });
        }
        let should = -value_out(val, q, out);
        if should != effective {
            corrections.push(Correction {
                entry_id: *id,
                biz_date: *biz_date,
                location_id: *location_id,
                value: should - effective,
            });
            total += should - effective;
        }
        q -= out;
        val += should;
    }
    debug_assert_eq!(q, v.qty + m.qty);
    debug_assert_eq!(val, v.value + total);
    stock_valuations::Entity::update_many()
        .col_expr(
            stock_valuations::Column::Qty,
            Expr::col(stock_valuations::Column::Qty).add(m.qty),
        )
        .col_expr(
            stock_valuations::Column::Value,
            Expr::col(stock_valuations::Column::Value).add(total),
        )
        .col_expr(stock_valuations::Column::UpdatedAt, Expr::value(now))
        .filter(stock_valuations::Column::Id.eq(v.id))
        .exec(conn)
        .await?;
    Ok(Backdated {
        value,
        unit,
        corrections,
    })
}

/// Appends the `revalue` entries a backdated movement caused.
pub(super) async fn post_corrections(
    conn: &impl ConnectionTrait,
    actor: &Actor,
    m: &Movement,
    warehouse_id: i64,
    date: NaiveDate,
    corrections: &[Correction],
    now: DateTime<Utc>,
) -> Result<(), InventoryError> {
    let rows = corrections.iter().map(|c| stock_ledger::ActiveModel {
        at: Set(now),
        biz_date: Set(c.biz_date),
        product_id: Set(m.product_id),
        warehouse_id: Set(warehouse_id),
        location_id: Set(c.location_id),
        kind: Set(MovementKind::Revalue.as_str().into()),
        qty: Set(0),
        reserved: Set(0),
        in_transit: Set(0),
        unit_cost: Set(0),
        value: Set(c.value),
        doc_type: Set(m.doc_type.clone()),
        doc_no: Set(m.doc_no.clone()),
        doc_line: Set(m.doc_line),
        user_id: Set(Some(actor.user_id)),
        username: Set(actor.username.clone()),
        reverses_id: Set(Some(c.entry_id)),
        note: Set(format!(
            "revalued by a backdated {} on {date}",
            m.kind.as_str()
        )),
        ..Default::default()
    });
    stock_ledger::Entity::insert_many(rows).exec(conn).await?;
    Ok(())
}
