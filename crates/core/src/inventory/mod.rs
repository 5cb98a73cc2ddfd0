//! Inventory: the append-only stock ledger, balances per SKU × warehouse × location, reservations that can never
//! oversell, and moving-average valuation per SKU × warehouse.
//!
//! **Architecture Invariant:** stock changes only through [`post`], which appends ledger entries and updates the
//! balances and the valuation in the caller's transaction. Entries are never edited or deleted; a mistake is
//! corrected by a reversing entry. [`check`] recomputes balances and values from the ledger and lists any
//! difference.
//!
//! **Architecture Invariant:** no balance goes negative and available (on hand − reserved) never drops below
//! zero. The guard is a conditional `UPDATE ... WHERE on_hand + Δ >= 0 AND ...` (one statement, atomic on SQLite
//! and PostgreSQL), never read-then-write; a transaction's first statement is that write, so SQLite takes the
//! write lock at once and waits (busy timeout) instead of failing on a stale snapshot.
//!
//! Valuation: an incoming entry adds qty × unit cost (rounded half away from zero to the fen); an outgoing one
//! removes value × qty / stock qty (same rounding), so the rounding residual stays in the remaining stock, and
//! the last unit out takes all remaining value: zero quantity never carries value.

use crate::Shopdesk;
pub mod analysis;
pub mod counts;
pub mod periods;
pub mod reports;
pub mod warehouse;

use crate::audit::{self, Action};
use crate::auth::{Actor, AuthError, Permission};
use crate::entities::{locations, products, stock_balances, stock_ledger, stock_valuations};
use crate::error::{ApiError, FieldError, FieldErrors};
use crate::money::{Currency, UnitPrice};
use rust_decimal::{Decimal, RoundingStrategy};
use sea_orm::sea_query::{Expr, ExprTrait};
use sea_orm::{
    ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QueryOrder, QuerySelect, Set, Statement,
};
use serde::{Deserialize, Serialize};
use std::collections::{BTreeMap, HashMap};
use ts_rs::TS;

/// What moved stock. Stored as text in the ledger.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
pub enum MovementKind {
    Receipt,
    MoveOut,
    MoveIn,
    Reserve,
    Release,
    Pick,
    Ship,
    Return,
    TransferOut,
    /// Stock on its way to this (destination) location: in transit only.
    InTransit,
    TransferIn,
    Adjust,
    Scrap,
    Reversal,
    /// A value-only correction (quantity 0) of an earlier outgoing entry, appended when a backdated entry changed
    /// the moving average it left at; dated like the entry it corrects, which `reverses_id` names.
    Revalue,
}

impl MovementKind {
    pub fn as_str(&self) -> &'static str {
        match self {
            MovementKind::Receipt => "receipt",
            MovementKind::MoveOut => "move_out",
            MovementKind::MoveIn => "move_in",
            MovementKind::Reserve => "reserve",
            MovementKind::Release => "release",
            MovementKind::Pick => "pick",
            MovementKind::Ship => "ship",
            MovementKind::Return => "return",
            MovementKind::TransferOut => "transfer_out",
            MovementKind::InTransit => "in_transit",
            MovementKind::TransferIn => "transfer_in",
            MovementKind::Adjust => "adjust",
            MovementKind::Scrap => "scrap",
            MovementKind::Reversal => "reversal",
            MovementKind::Revalue => "revalue",
        }
    }
}

/// One change of stock at one location, before it is posted.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Movement {
    pub kind: MovementKind,
    pub product_id: i64,
    pub location_id: i64,
    /// Change of on-hand quantity (positive in, negative out).
    pub qty: i64,
    /// Change of reserved quantity.
    pub reserved: i64,
    /// Change of in-transit quantity.
    pub in_transit: i64,
    /// Cost of incoming units; outgoing units leave at the moving average.
    pub unit_cost: Option<UnitPrice>,
    /// The exact value (fen) of incoming units, when it is known to the fen (a transfer brings the value that
    /// left the other warehouse); overrides `unit_cost`.
    pub value: Option<i64>,
    pub doc_type: String,
    pub doc_no: String,
    pub doc_line: Option<i64>,
    pub note: String,
}

#[derive(Debug, thiserror::Error)]
pub enum InventoryError {
    #[error(transparent)]
    Auth(#[from] AuthError),
    #[error(
        "not enough stock of product #{product_id} at location #{location_id}: requested {requested}, available {available}"
    )]
    InsufficientStock {
        product_id: i64,
        location_id: i64,
        requested: i64,
        available: i64,
    },
    #[error("{entity} #{id} does not exist")]
    NotFound { entity: &'static str, id: i64 },
    #[error(
        "location {location} is frozen by stock count {count_no} until the count is approved or cancelled"
    )]
    Frozen { location: String, count_no: String },
    #[error("{doc_no} is {status}: it cannot {action}")]
    Status {
        doc_no: String,
        status: String,
        action: &'static str,
    },
    #[error("the stock period is closed through {closed_through}: nothing can be posted on {date}")]
    PeriodClosed {
        date: chrono::NaiveDate,
        closed_through: chrono::NaiveDate,
    },
    #[error(
        "posting on {date} would leave product #{product_id} short in its warehouse on {short_on}: {requested} needed, {available} there"
    )]
    ShortInHistory {
        product_id: i64,
        date: chrono::NaiveDate,
        short_on: chrono::NaiveDate,
        requested: i64,
        available: i64,
    },
    #[error("invalid input: {0}")]
    Validation(FieldErrors),
    #[error(transparent)]
    Db(#[from] sea_orm::DbErr),
}

impl From<InventoryError> for ApiError {
    fn from(e: InventoryError) -> Self {
        match e {
            InventoryError::Auth(a) => a.into(),
            InventoryError::InsufficientStock {
                product_id,
                location_id,
                requested,
                available,
            } => ApiError::new("inventory.insufficient_stock", e.to_string())
                .with_param("product_id", product_id)
                .with_param("location_id", location_id)
                .with_param("requested", requested)
                .with_param("available", available),
            InventoryError::NotFound { entity, id } => {
                ApiError::new("inventory.not_found", e.to_string())
                    .with_param("entity", entity)
                    .with_param("id", id)
            }
            InventoryError::Frozen {
                ref location,
                ref count_no,
            } => {
                let (location, count_no) = (location.clone(), count_no.clone());
                ApiError::new("inventory.frozen", e.to_string())
                    .with_param("location", location)
                    .with_param("count_no", count_no)
            }
            InventoryError::Status {
                ref doc_no,
                ref status,
                action,
            } => ApiError::new("inventory.doc_status", e.to_string())
                .with_param("doc_no", doc_no.clone())
                .with_param("status", status.clone())
                .with_param("action", action),
            InventoryError::PeriodClosed {
                date,
                closed_through,
            } => ApiError::new("inventory.period_closed", e.to_string())
                .with_param("date", date.to_string())
                .with_param("closed_through", closed_through.to_string()),
            InventoryError::ShortInHistory {
                product_id,
                date,
                short_on,
                requested,
                available,
            } => ApiError::new("inventory.short_in_history", e.to_string())
                .with_param("product_id", product_id)
                .with_param("date", date.to_string())
                .with_param("short_on", short_on.to_string())
                .with_param("requested", requested)
                .with_param("available", available),
            InventoryError::Validation(v) => v.into(),
            InventoryError::Db(d) => d.into(),
        }
    }
}

/// A posted ledger entry.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct LedgerEntry {
    #[ts(type = "number")]
    pub id: i64,
    pub at: chrono::DateTime<chrono::Utc>,
    pub biz_date: chrono::NaiveDate,
    #[ts(type = "number")]
    pub product_id: i64,
    #[ts(type = "number")]
    pub warehouse_id: i64,
    #[ts(type = "number")]
    pub location_id: i64,
    pub kind: String,
    #[ts(type = "number")]
    pub qty: i64,
    #[ts(type = "number")]
    pub reserved: i64,
    #[ts(type = "number")]
    pub in_transit: i64,
    /// Unit cost as decimal text.
    pub unit_cost: String,
    /// Value change as decimal text in the company currency.
    pub value: String,
    pub doc_type: String,
    pub doc_no: String,
    pub username: String,
}

fn round_fen(d: Decimal) -> i64 {
    use rust_decimal::prelude::ToPrimitive;
    d.round_dp_with_strategy(0, RoundingStrategy::MidpointAwayFromZero)
        .to_i64()
        .unwrap_or(i64::MAX)
}

async fn location_of(
    conn: &impl ConnectionTrait,
    location_id: i64,
) -> Result<locations::Model, InventoryError> {
    locations::Entity::find_by_id(location_id)
        .one(conn)
        .await?
        .ok_or(InventoryError::NotFound {
            entity: "location",
            id: location_id,
        })
}

/// Applies a balance change with the no-negative guard; returns false when the guard refused it.
async fn apply_balance(
    conn: &impl ConnectionTrait,
    key: (i64, i64, i64),
    d: (i64, i64, i64),
    now: chrono::DateTime<chrono::Utc>,
) -> Result<bool, sea_orm::DbErr> {
    use stock_balances::Column as C;
    let (product_id, warehouse_id, location_id) = key;
    let (dq, dr, dt) = d;
    let guarded = || {
        stock_balances::Entity::update_many()
            .col_expr(C::OnHand, Expr::col(C::OnHand).add(dq))
            .col_expr(C::Reserved, Expr::col(C::Reserved).add(dr))
            .col_expr(C::InTransit, Expr::col(C::InTransit).add(dt))
            .col_expr(C::UpdatedAt, Expr::value(now))
            .filter(C::ProductId.eq(product_id))
            .filter(C::WarehouseId.eq(warehouse_id))
            .filter(C::LocationId.eq(location_id))
            .filter(Expr::col(C::OnHand).add(dq).gte(0))
            .filter(Expr::col(C::Reserved).add(dr).gte(0))
            .filter(Expr::col(C::InTransit).add(dt).gte(0))
            .filter(
                Expr::col(C::OnHand)
                    .add(dq)
                    .sub(Expr::col(C::Reserved).add(dr))
                    .gte(0),
            )
    };
    if guarded().exec(conn).await?.rows_affected == 1 {
        return Ok(true);
    }
    // No row yet: create it (a concurrent creator wins harmlessly), then try once more.
    stock_balances::Entity::insert(stock_balances::ActiveModel {
        product_id: Set(product_id),
        warehouse_id: Set(warehouse_id),
        location_id: Set(location_id),
        on_hand: Set(0),
        reserved: Set(0),
        in_transit: Set(0),
        updated_at: Set(now),
        ..Default::default()
    })
    .on_conflict_do_nothing_on([C::ProductId, C::WarehouseId, C::LocationId])
    .exec(conn)
    .await?;
    Ok(guarded().exec(conn).await?.rows_affected == 1)
}

/// The valuation row of a SKU × warehouse, created when missing, locked for this transaction (FOR UPDATE on
/// PostgreSQL; on SQLite the write transaction already holds the lock).
async fn lock_valuation(
    conn: &impl ConnectionTrait,
    product_id: i64,
    warehouse_id: i64,
    now: chrono::DateTime<chrono::Utc>,
) -> Result<stock_valuations::Model, sea_orm::DbErr> {
    use stock_valuations::Column as C;
    stock_valuations::Entity::insert(stock_valuations::ActiveModel {
        product_id: Set(product_id),
        warehouse_id: Set(warehouse_id),
        qty: Set(0),
        value: Set(0),
        updated_at: Set(now),
        ..Default::default()
    })
    .on_conflict_do_nothing_on([C::ProductId, C::WarehouseId])
    .exec(conn)
    .await?;
    stock_valuations::Entity::find()
        .filter(C::ProductId.eq(product_id))
        .filter(C::WarehouseId.eq(warehouse_id))
        .lock_exclusive()
        .one(conn)
        .await?
        .ok_or_else(|| sea_orm::DbErr::RecordNotFound("stock valuation".into()))
}

/// The value change of an on-hand change at the warehouse's moving average (see the module docs).
async fn apply_valuation(
    conn: &impl ConnectionTrait,
    product_id: i64,
    warehouse_id: i64,
    qty: i64,
    unit_cost: Option<UnitPrice>,
    exact_value: Option<i64>,
    now: chrono::DateTime<chrono::Utc>,
) -> Result<(i64, i64), sea_orm::DbErr> {
    use stock_valuations::Column as C;
    if qty == 0 {
        return Ok((0, 0));
    }
    let v = lock_valuation(conn, product_id, warehouse_id, now).await?;
    let (value_delta, unit) = value_change(qty, unit_cost, exact_value, v.qty, v.value);
    stock_valuations::Entity::update_many()
        .col_expr(C::Qty, Expr::col(C::Qty).add(qty))
        .col_expr(C::Value, Expr::col(C::Value).add(value_delta))
        .col_expr(C::UpdatedAt, Expr::value(now))
        .filter(C::Id.eq(v.id))
        .exec(conn)
        .await?;
    Ok((value_delta, unit))
}

/// The value change (fen) and unit cost (ten-thousandths) of an on-hand change of `qty` when the warehouse holds
/// `stock_qty` units worth `stock_value`: incoming at the exact value, else the unit cost, else (returns and
/// adjustments without a cost) the current average; outgoing by [`value_out`].
fn value_change(
    qty: i64,
    unit_cost: Option<UnitPrice>,
    exact_value: Option<i64>,
    stock_qty: i64,
    stock_value: i64,
) -> (i64, i64) {
    if let Some(v) = exact_value.filter(|_| qty > 0) {
        (
            v,
            round_fen(Decimal::from(v) * Decimal::from(100) / Decimal::from(qty)),
        )
    } else if qty > 0 {
        let unit = match unit_cost {
            Some(c) => c.ten_thousandths(),
            None if stock_qty > 0 => round_fen(
                Decimal::from(stock_value) * Decimal::from(100) / Decimal::from(stock_qty),
            ),
            None => 0,
        };
        (value_in(unit, qty), unit)
    } else {
        let out = -qty;
        let value_out = value_out(stock_value, stock_qty, out);
        let unit = if out > 0 {
            round_fen(Decimal::from(value_out) * Decimal::from(100) / Decimal::from(out))
        } else {
            0
        };
        (-value_out, unit)
    }
}

/// The refusal of a guarded balance update: what was asked and what is available there now.
async fn short(
    conn: &impl ConnectionTrait,
    product_id: i64,
    location_id: i64,
    requested: i64,
) -> InventoryError {
    let available = stock_balances::Entity::find()
        .filter(stock_balances::Column::ProductId.eq(product_id))
        .filter(stock_balances::Column::LocationId.eq(location_id))
        .one(conn)
        .await
        .map(|b| b.map(|b| b.on_hand - b.reserved).unwrap_or(0));
    match available {
        Ok(available) => InventoryError::InsufficientStock {
            product_id,
            location_id,
            requested,
            available,
        },
        Err(e) => e.into(),
    }
}

/// Posts movements in the caller's transaction: balances first (guarded), then valuation, then the ledger rows.
/// Any refused movement fails the whole call, and the caller's transaction rolls everything back.
pub async fn post(
    desk: &Shopdesk,
    conn: &impl ConnectionTrait,
    actor: &Actor,
    movements: &[Movement],
) -> Result<Vec<i64>, InventoryError> {
    post_dated(desk, conn, actor, movements, None).await
}

/// [`post`] on a business date: `None` or today posts as usual; an earlier date (a backdated entry) must be in
/// an open period, and it revalues the later outgoing entries of the same SKU × warehouse that its value
/// changes (see [`periods`]); a future date is refused.
pub async fn post_dated(
    desk: &Shopdesk,
    conn: &impl ConnectionTrait,
    actor: &Actor,
    movements: &[Movement],
    date: Option<chrono::NaiveDate>,
) -> Result<Vec<i64>, InventoryError> {
    let now = desk.now();
    let today = desk.biz_date(now);
    let biz_date = date.unwrap_or(today);
    if biz_date > today {
        let mut errs = FieldErrors::default();
        errs.push(FieldError::new("date", "not_in_future"));
        return Err(InventoryError::Validation(errs));
    }
    let backdated = biz_date < today;
    if backdated {
        periods::ensure_open(conn, biz_date).await?;
    }
    let mut ids = Vec::with_capacity(movements.len());
    for m in movements {
        let location = location_of(conn, m.location_id).await?;
        let warehouse_id = location.warehouse_id;
        // A location being counted is frozen: nothing comes in or goes out until the count is decided.
        if let Some(count_id) = location.count_id
            && (m.qty != 0 || m.in_transit != 0)
        {
            let count_no = crate::entities::stock_counts::Entity::find_by_id(count_id)
                .one(conn)
                .await?
                .map(|c| c.count_no)
                .unwrap_or_default();
            return Err(InventoryError::Frozen {
                location: location.code,
                count_no,
            });
        }
        if !apply_balance(
            conn,
            (m.product_id, warehouse_id, m.location_id),
            (m.qty, m.reserved, m.in_transit),
            now,
        )
        .await?
        {
            let requested = -Ord::min(m.qty, 0) + Ord::max(m.reserved, 0);
            return Err(short(conn, m.product_id, m.location_id, requested).await);
        }
        // Moves between locations of one warehouse leave its valuation as it is (it is per warehouse).
        let moves = matches!(m.kind, MovementKind::MoveOut | MovementKind::MoveIn);
        let mut corrections = Vec::new();
        let (value, unit) = if moves {
            (0, 0)
        } else if backdated && m.qty != 0 {
            let b = periods::value_backdated(conn, m, warehouse_id, biz_date, now).await?;
            corrections = b.corrections;
            (b.value, b.unit)
        } else {
            apply_valuation(
                conn,
                m.product_id,
                warehouse_id,
                m.qty,
                m.unit_cost,
                m.value,
                now,
            )
            .await?
        };
        let row = stock_ledger::Entity::insert(stock_ledger::ActiveModel {
            at: Set(now),
            biz_date: Set(biz_date),
            product_id: Set(m.product_id),
            warehouse_id: Set(warehouse_id),
            location_id: Set(m.location_id),
            kind: Set(m.kind.as_str().into()),
            qty: Set(m.qty),
            reserved: Set(m.reserved),
            in_transit: Set(m.in_transit),
            unit_cost: Set(unit),
            value: Set(value),
            doc_type: Set(m.doc_type.clone()),
            doc_no: Set(m.doc_no.clone()),
            doc_line: Set(m.doc_line),
            user_id: Set(Some(actor.user_id)),
            username: Set(actor.username.clone()),
            reverses_id: Set(None),
            note: Set(m.note.chars().take(255).collect()),
            ..Default::default()
        })
        .exec(conn)
        .await?;
        ids.push(row.last_insert_id);
        if !corrections.is_empty() {
            periods::post_corrections(conn, actor, m, warehouse_id, biz_date, &corrections, now)
                .await?;
        }
    }
    Ok(ids)
}

/// Stock adjustment in or out (盘盈/盘亏, opening stock): one movement in its own transaction, audited.
pub async fn adjust(
    desk: &Shopdesk,
    actor: &Actor,
    product_id: i64,
    location_id: i64,
    qty: i64,
    unit_cost: Option<UnitPrice>,
    note: &str,
) -> Result<i64, InventoryError> {
    adjust_on(
        desk,
        actor,
        &Adjustment {
            product_id,
            location_id,
            qty,
            unit_cost,
            note: note.into(),
            date: None,
        },
    )
    .await
}

/// An adjustment, possibly backdated into an open period.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Adjustment {
    pub product_id: i64,
    pub location_id: i64,
    pub qty: i64,
    pub unit_cost: Option<UnitPrice>,
    pub note: String,
    /// Business date; `None` is today.
    pub date: Option<chrono::NaiveDate>,
}

/// [`adjust`] on a chosen business date (a late-entered receipt of opening stock, a correction of last week).
pub async fn adjust_on(
    desk: &Shopdesk,
    actor: &Actor,
    a: &Adjustment,
) -> Result<i64, InventoryError> {
    let Adjustment {
        product_id,
        location_id,
        qty,
        unit_cost,
        ref note,
        date,
    } = *a;
    let note = note.as_str();
    actor.require(Permission::PostStock)?;
    if qty == 0 {
        let mut errs = FieldErrors::default();
        errs.push(FieldError::new("qty", "not_zero"));
        return Err(InventoryError::Validation(errs));
    }
    if products::Entity::find_by_id(product_id)
        .one(desk.db())
        .await?
        .is_none()
    {
        return Err(InventoryError::NotFound {
            entity: "product",
            id: product_id,
        });
    }
    let txn = desk.write_txn().await?;
    let m = Movement {
        kind: MovementKind::Adjust,
        product_id,
        location_id,
        qty,
        reserved: 0,
        in_transit: 0,
        unit_cost,
        value: None,
        doc_type: "adjustment".into(),
        doc_no: String::new(),
        doc_line: None,
        note: note.into(),
    };
    let ids = post_dated(desk, &txn, actor, std::slice::from_ref(&m), date).await?;
    let key = format!("product #{product_id} @ location #{location_id}");
    let after = serde_json::json!({ "qty": qty, "unit_cost": unit_cost.map(|c| c.to_string()), "note": note, "ledger_id": ids[0], "date": date });
    audit::record(
        desk,
        &txn,
        actor,
        Action::Create,
        "stock_adjustment",
        Some(ids[0]),
        &key,
        None::<&()>,
        Some(&after),
    )
    .await?;
    txn.commit().await?;
    Ok(ids[0])
}

/// Reserves `qty` of a product at one location for a document. Refused, without waiting, when available stock
/// is short; never oversells under any concurrency (see the module docs).
pub async fn reserve(
    desk: &Shopdesk,
    actor: &Actor,
    product_id: i64,
    location_id: i64,
    qty: i64,
    doc_no: &str,
) -> Result<i64, InventoryError> {
    actor.require(Permission::ReserveStock)?;
    if qty <= 0 {
        let mut errs = FieldErrors::default();
        errs.push(FieldError::new("qty", "positive"));
        return Err(InventoryError::Validation(errs));
    }
    let txn = desk.write_txn().await?;
    let m = Movement {
        kind: MovementKind::Reserve,
        product_id,
        location_id,
        qty: 0,
        reserved: qty,
        in_transit: 0,
        unit_cost: None,
        value: None,
        doc_type: "reservation".into(),
        doc_no: doc_no.into(),
        doc_line: None,
        note: String::new(),
    };
    let ids = post(desk, &txn, actor, std::slice::from_ref(&m)).await?;
    txn.commit().await?;
    Ok(ids[0])
}

/// Releases a reservation (an order cancelled or shipped from elsewhere).
pub async fn release(
    desk: &Shopdesk,
    actor: &Actor,
    product_id: i64,
    location_id: i64,
    qty: i64,
    doc_no: &str,
) -> Result<i64, InventoryError> {
    actor.require(Permission::ReserveStock)?;
    let txn = desk.write_txn().await?;
    let m = Movement {
        kind: MovementKind::Release,
        product_id,
        location_id,
        qty: 0,
        reserved: -qty.abs(),
        in_transit: 0,
        unit_cost: None,
        value: None,
        doc_type: "reservation".into(),
        doc_no: doc_no.into(),
        doc_line: None,
        note: String::new(),
    };
    let ids = post(desk, &txn, actor, std::slice::from_ref(&m)).await?;
    txn.commit().await?;
    Ok(ids[0])
}

/// A change of reserved stock (positive reserves, negative releases) of a product at a location for one line of a
/// document, for [`post_reservations`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ReservationChange {
    pub product_id: i64,
    pub location_id: i64,
    pub qty: i64,
    pub doc_type: String,
    pub doc_no: String,
    pub doc_line: Option<i64>,
}

/// Posts many reservation changes in the caller's transaction, as [`post`] would one by one but in bulk: one
/// guarded update per product × location (the sum of its changes, so it can never oversell), then the ledger
/// entries (`reserve` / `release`, no quantity or value) in batches. The first balance that would go short fails
/// the whole call. What allocating a day's orders at once uses.
pub(crate) async fn post_reservations(
    desk: &Shopdesk,
    conn: &impl ConnectionTrait,
    actor: &Actor,
    changes: &[ReservationChange],
) -> Result<usize, InventoryError> {
    let now = desk.now();
    let biz_date = desk.biz_date(now);
    let mut warehouse_of: HashMap<i64, i64> = HashMap::new();
    let location_ids: Vec<i64> = {
        let mut v: Vec<i64> = changes.iter().map(|c| c.location_id).collect();
        v.sort_unstable();
        v.dedup();
        v
    };
    for chunk in location_ids.chunks(500) {
        for (id, wh) in locations::Entity::find()
            .select_only()
            .column(locations::Column::Id)
            .column(locations::Column::WarehouseId)
            .filter(locations::Column::Id.is_in(chunk.iter().copied()))
            .into_tuple::<(i64, i64)>()
            .all(conn)
            .await?
        {
            warehouse_of.insert(id, wh);
        }
    }
    let mut sums: BTreeMap<(i64, i64), i64> = BTreeMap::new();
    for c in changes {
        *sums.entry((c.product_id, c.location_id)).or_default() += c.qty;
    }
    for (&(product_id, location_id), &qty) in &sums {
        let warehouse_id = *warehouse_of
            .get(&location_id)
            .ok_or(InventoryError::NotFound {
                entity: "location",
                id: location_id,
            })?;
        if qty == 0 {
            continue;
        }
        if !apply_balance(
            conn,
            (product_id, warehouse_id, location_id),
            (0, qty, 0),
            now,
        )
        .await?
        {
            return Err(short(conn, product_id, location_id, qty).await);
        }
    }
    let rows: Vec<stock_ledger::ActiveModel> = changes
        .iter()
        .filter(|c| c.qty != 0)
        .map(|c| stock_ledger::ActiveModel {
            at: Set(now),
            biz_date: Set(biz_date),
            product_id: Set(c.product_id),
            warehouse_id: Set(warehouse_of[&c.location_id]),
            location_id: Set(c.location_id),
            kind: Set(if c.qty > 0 {
                MovementKind::Reserve
            } else {
                MovementKind::Release
            }
            .as_str()
            .into()),
            qty: Set(0),
            reserved: Set(c.qty),
            in_transit: Set(0),
            unit_cost: Set(0),
            value: Set(0),
            doc_type: Set(c.doc_type.clone()),
            doc_no: Set(c.doc_no.clone()),
            doc_line: Set(c.doc_line),
            user_id: Set(Some(actor.user_id)),
            username: Set(actor.username.clone()),
            reverses_id: Set(None),
            note: Set(String::new()),
            ..Default::default()
        })
        .collect();
    let n = rows.len();
    crate::db::insert_all(conn, rows).await?;
    Ok(n)
}

/// One balance row as the UI shows it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct Balance {
    #[ts(type = "number")]
    pub product_id: i64,
    #[ts(type = "number")]
    pub warehouse_id: i64,
    #[ts(type = "number")]
    pub location_id: i64,
    #[ts(type = "number")]
    pub on_hand: i64,
    #[ts(type = "number")]
    pub reserved: i64,
    #[ts(type = "number")]
    pub available: i64,
    #[ts(type = "number")]
    pub in_transit: i64,
}

pub async fn balances(
    desk: &Shopdesk,
    actor: &Actor,
    product_id: i64,
) -> Result<Vec<Balance>, InventoryError> {
    actor.require(Permission::ViewMasterData)?;
    Ok(stock_balances::Entity::find()
        .filter(stock_balances::Column::ProductId.eq(product_id))
        .order_by_asc(stock_balances::Column::LocationId)
        .all(desk.db())
        .await?
        .into_iter()
        .map(|b| Balance {
            product_id: b.product_id,
            warehouse_id: b.warehouse_id,
            location_id: b.location_id,
            on_hand: b.on_hand,
            reserved: b.reserved,
            available: b.on_hand - b.reserved,
            in_transit: b.in_transit,
        })
        .collect())
}

/// Stock value (fen) and quantity of a product in a warehouse.
pub async fn valuation(
    desk: &Shopdesk,
    product_id: i64,
    warehouse_id: i64,
) -> Result<(i64, i64), InventoryError> {
    Ok(stock_valuations::Entity::find()
        .filter(stock_valuations::Column::ProductId.eq(product_id))
        .filter(stock_valuations::Column::WarehouseId.eq(warehouse_id))
        .one(desk.db())
        .await?
        .map(|v| (v.qty, v.value))
        .unwrap_or((0, 0)))
}

/// One place where the stored figures and the ledger disagree.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct Difference {
    /// `balance` (per location) or `valuation` (per warehouse).
    pub kind: String,
    #[ts(type = "number")]
    pub product_id: i64,
    #[ts(type = "number")]
    pub warehouse_id: i64,
    #[ts(type = "number | null")]
    pub location_id: Option<i64>,
    pub field: String,
    #[ts(type = "number")]
    pub stored: i64,
    #[ts(type = "number")]
    pub from_ledger: i64,
    /// The SKU, warehouse and location codes, for people.
    pub sku: String,
    pub warehouse: String,
    pub location: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct CheckReport {
    pub ok: bool,
    #[ts(type = "number")]
    pub ledger_entries: i64,
    #[ts(type = "number")]
    pub balances_checked: i64,
    pub differences: Vec<Difference>,
}

/// Recomputes every balance and valuation from the ledger (SQL sums cast to bigint) and compares.
pub async fn check(desk: &Shopdesk, actor: &Actor) -> Result<CheckReport, InventoryError> {
    actor.require(Permission::ViewMasterData)?;
    let db = desk.db();
    let backend = db.get_database_backend();
    let q = |sql: &str| Statement::from_string(backend, sql.to_string());
    let ledger_rows = db
        .query_all_raw(q("SELECT product_id, warehouse_id, location_id, CAST(SUM(qty) AS BIGINT) AS q, \
             CAST(SUM(reserved) AS BIGINT) AS r, CAST(SUM(in_transit) AS BIGINT) AS t FROM stock_ledger \
             GROUP BY product_id, warehouse_id, location_id"))
        .await?;
    let mut from_ledger: BTreeMap<(i64, i64, i64), [i64; 3]> = BTreeMap::new();
    for r in ledger_rows {
        let key = (
            r.try_get("", "product_id")?,
            r.try_get("", "warehouse_id")?,
            r.try_get("", "location_id")?,
        );
        from_ledger.insert(
            key,
            [
                r.try_get("", "q")?,
                r.try_get("", "r")?,
                r.try_get("", "t")?,
            ],
        );
    }
    let mut differences = Vec::new();
    let stored = stock_balances::Entity::find().all(db).await?;
    let balances_checked = stored.len() as i64;
    let mut seen = std::collections::BTreeSet::new();
    for b in stored {
        let key = (b.product_id, b.warehouse_id, b.location_id);
        seen.insert(key);
        let l = from_ledger.get(&key).copied().unwrap_or([0; 3]);
        for (field, s, f) in [
            ("on_hand", b.on_hand, l[0]),
            ("reserved", b.reserved, l[1]),
            ("in_transit", b.in_transit, l[2]),
        ] {
            if s != f {
                differences.push(Difference {
                    kind: "balance".into(),
                    product_id: key.0,
                    warehouse_id: key.1,
                    location_id: Some(key.2),
                    field: field.into(),
                    stored: s,
                    from_ledger: f,
                    ..Default::default()
                });
            }
        }
    }
    for (key, l) in &from_ledger {
        if !seen.contains(key) && l.iter().any(|v| *v != 0) {
            differences.push(Difference {
                kind: "balance".into(),
                product_id: key.0,
                warehouse_id: key.1,
                location_id: Some(key.2),
                field: "missing_row".into(),
                stored: 0,
                from_ledger: l[0],
                ..Default::default()
            });
        }
    }
    let value_rows = db
        .query_all_raw(q("SELECT product_id, warehouse_id, CAST(SUM(qty) AS BIGINT) AS q, CAST(SUM(value) AS BIGINT) AS v \
             FROM stock_ledger GROUP BY product_id, warehouse_id"))
        .await?;
    let mut values: BTreeMap<(i64, i64), (i64, i64)> = BTreeMap::new();
    for r in value_rows {
        values.insert(
            (r.try_get("", "product_id")?, r.try_get("", "warehouse_id")?),
            (r.try_get("", "q")?, r.try_get("", "v")?),
        );
    }
    for v in stock_valuations::Entity::find().all(db).await? {
        let (lq, lv) = values
            .get(&(v.product_id, v.warehouse_id))
            .copied()
            .unwrap_or((0, 0));
        for (field, s, f) in [("qty", v.qty, lq), ("value", v.value, lv)] {
            if s != f {
                differences.push(Difference {
                    kind: "valuation".into(),
                    product_id: v.product_id,
                    warehouse_id: v.warehouse_id,
                    location_id: None,
                    field: field.into(),
                    stored: s,
                    from_ledger: f,
                    ..Default::default()
                });
            }
        }
        if v.qty == 0 && v.value != 0 {
            differences.push(Difference {
                kind: "valuation".into(),
                product_id: v.product_id,
                warehouse_id: v.warehouse_id,
                location_id: None,
                field: "value_on_zero_qty".into(),
                stored: v.value,
                from_ledger: 0,
                ..Default::default()
            });
        }
    }
    name_differences(db, &mut differences).await?;
    let count = db
        .query_one_raw(q("SELECT CAST(COUNT(*) AS BIGINT) AS n FROM stock_ledger"))
        .await?;
    let ledger_entries = match count {
        Some(r) => r.try_get("", "n")?,
        None => 0,
    };
    Ok(CheckReport {
        ok: differences.is_empty(),
        ledger_entries,
        balances_checked,
        differences,
    })
}

/// Available stock (on hand − reserved, every warehouse and location) per product: of the given products, or of
/// all. What order review and order entry show and check against.
pub async fn available_by_product(
    conn: &impl ConnectionTrait,
    products: Option<&[i64]>,
) -> Result<HashMap<i64, i64>, sea_orm::DbErr> {
    let mut q = stock_balances::Entity::find()
        .select_only()
        .column(stock_balances::Column::ProductId)
        .column(stock_balances::Column::OnHand)
        .column(stock_balances::Column::Reserved);
    if let Some(ids) = products {
        q = q.filter(stock_balances::Column::ProductId.is_in(ids.iter().copied()));
    }
    let mut out: HashMap<i64, i64> = HashMap::new();
    for (pid, on_hand, reserved) in q.into_tuple::<(i64, i64, i64)>().all(conn).await? {
        *out.entry(pid).or_default() += on_hand - reserved;
    }
    Ok(out)
}

/// Fills in the SKU, warehouse and location codes of the differences found (there are few, or none).
async fn name_differences(
    db: &impl ConnectionTrait,
    differences: &mut [Difference],
) -> Result<(), InventoryError> {
    use crate::entities::warehouses;
    if differences.is_empty() {
        return Ok(());
    }
    let skus = crate::masterdata::products::sku_codes(
        db,
        differences.iter().map(|d| d.product_id).collect(),
    )
    .await?;
    let whs: HashMap<i64, String> = warehouses::Entity::find()
        .filter(warehouses::Column::Id.is_in(differences.iter().map(|d| d.warehouse_id)))
        .all(db)
        .await?
        .into_iter()
        .map(|w| (w.id, w.code))
        .collect();
    let locs: HashMap<i64, String> = locations::Entity::find()
        .filter(locations::Column::Id.is_in(differences.iter().filter_map(|d| d.location_id)))
        .all(db)
        .await?
        .into_iter()
        .map(|l| (l.id, l.code))
        .collect();
    for d in differences.iter_mut() {
        d.sku = skus.get(&d.product_id).cloned().unwrap_or_default();
        d.warehouse = whs.get(&d.warehouse_id).cloned().unwrap_or_default();
        d.location = d
            .location_id
            .and_then(|l| locs.get(&l).cloned())
            .unwrap_or_default();
    }
    Ok(())
}

/// Formats fen as decimal text in the company currency.
pub fn fen_text(desk: &Shopdesk, fen: i64) -> String {
    let cur = Currency::parse(&desk.company().currency).unwrap_or(Currency::CNY);
    crate::money::Money::from_minor(fen, cur).to_string()
}

/// The valuation's incoming rule: `qty` units at `unit` ten-thousandths each, in fen, rounded half away from
/// zero.
pub fn value_in(unit_ten_thousandths: i64, qty: i64) -> i64 {
    round_fen(Decimal::from(unit_ten_thousandths) * Decimal::from(qty) / Decimal::from(100))
}

/// The valuation's outgoing rule: the share of `stock_value` (fen) that leaves with `out` of `stock_qty` units,
/// rounded half away from zero; the last units out take all that is left, so zero quantity carries no value.
pub fn value_out(stock_value: i64, stock_qty: i64, out: i64) -> i64 {
    if stock_qty <= out {
        stock_value
    } else {
        round_fen(Decimal::from(stock_value) * Decimal::from(out) / Decimal::from(stock_qty))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn valuation_rules_round_half_away_and_empty_to_zero() {
        assert_eq!(value_in(123_450, 3), 3_704); // 3 × 12.345 = 37.035 → 37.04
        assert_eq!(value_out(4_001, 4, 1), 1_000); // 40.01 / 4 = 10.0025 → 10.00; residual stays
        assert_eq!(value_out(3_001, 3, 3), 3_001); // the last units take everything
        assert_eq!(value_out(3_001, 3, 5), 3_001);
        assert_eq!(value_out(1_000, 8, 1), 125);
        assert_eq!(value_out(1_001, 2, 1), 501); // 5.005 → 5.01
    }
}
