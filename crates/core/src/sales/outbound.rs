//! Outbound (出库): picking waves (波次) with a pick list sorted by location and per-parcel packing slips, the
//! outbound check (出库复核) that scans every unit against its parcel, packing with the weight, shipping with a
//! carrier and tracking number (stock leaves the ledger, a shipping notice is recorded for every platform order
//! in the parcel), the per-carrier e-waybill export, tracking numbers and status updates from the carrier's file,
//! and the logistics exception queue (no tracking update, late, lost, damaged) with its actions (reship, refund,
//! claim against the carrier).
//!
//! A parcel moves `allocated` → `picking` (in a wave) → `packed` → `shipped` → `delivered`, or `cancelled` before it
//! ships. Each step is one guarded update on the parcel's status, so two people scanning or shipping the same
//! parcel at once cannot both succeed.

use super::allocate::sync_order_status;
use super::{SalesError, event, invalid, money_text};
use crate::Shopdesk;
use crate::audit::{self, Action};
use crate::auth::{Actor, Permission};
use crate::entities::{
    locations, order_events, parcel_lines, parcels, products, sales_orders as orders, ship_notices,
    warehouses, waves,
};
use crate::imports::{self, ImportError, Issue, TextEncoding, Workbook};
use crate::inventory::{self, Movement, MovementKind};
use crate::money::{Currency, Money};
use crate::report::{self, ColumnKind, Report, ReportParam};
use chrono::{DateTime, Duration, Utc};
use rust_decimal::Decimal;
use sea_orm::sea_query::{Expr, ExprTrait};
use sea_orm::{
    ColumnTrait, ConnectionTrait, EntityTrait, PaginatorTrait, QueryFilter, QueryOrder,
    QuerySelect, Set,
};
use serde::{Deserialize, Serialize};
use std::collections::{BTreeMap, HashMap};
use std::str::FromStr;
use ts_rs::TS;

/// Hours after shipping (or the carrier's last update) without news before a parcel is flagged `no_update`.
pub const NO_UPDATE_HOURS: i64 = 72;

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct ParcelLineView {
    pub order_no: String,
    #[ts(type = "number")]
    pub line_id: i64,
    pub sku: String,
    pub name: String,
    pub spec: String,
    pub barcode: String,
    pub location: String,
    #[ts(type = "number")]
    pub qty: i64,
    #[ts(type = "number")]
    pub checked: i64,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct Parcel {
    #[ts(type = "number")]
    pub id: i64,
    pub parcel_no: String,
    pub warehouse: String,
    pub status: String,
    pub wave_no: String,
    pub wave_slot: i32,
    pub priority: i32,
    #[ts(type = "number")]
    pub units: i64,
    /// The platform numbers of the orders in it (several when merged).
    pub orders: Vec<String>,
    pub channel: String,
    pub shop: String,
    pub receiver: String,
    pub phone: String,
    pub address: String,
    pub buyer_message: String,
    pub carrier: String,
    pub service: String,
    pub tracking_no: String,
    /// Kilograms, three decimals ("" until packed).
    pub weight_kg: String,
    pub promised_at: Option<DateTime<Utc>>,
    pub packed_at: Option<DateTime<Utc>>,
    pub shipped_at: Option<DateTime<Utc>>,
    pub delivered_at: Option<DateTime<Utc>>,
    pub exception: String,
    pub exception_note: String,
    pub resolution: String,
    pub claim_amount: String,
    pub reship_of: String,
    pub lines: Vec<ParcelLineView>,
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(default)]
pub struct ParcelFilter {
    pub status: Option<String>,
    pub warehouse: Option<String>,
    pub wave_no: Option<String>,
    pub carrier: Option<String>,
    /// Only parcels with a logistics exception not yet resolved.
    pub exceptions: bool,
    /// Parcel number, tracking number or platform order number.
    pub search: Option<String>,
}

fn not_found(entity: &'static str, key: &str) -> SalesError {
    SalesError::NotFound {
        entity,
        key: key.to_string(),
    }
}

/// Parcels (at most 500), most urgent first.
pub async fn parcels(
    desk: &Shopdesk,
    actor: &Actor,
    f: &ParcelFilter,
) -> Result<Vec<Parcel>, SalesError> {
    actor.require(Permission::ViewOrders)?;
    let db = desk.db();
    let mut q = parcels::Entity::find();
    if let Some(s) = f.status.as_deref().filter(|s| !s.is_empty() && *s != "all") {
        q = q.filter(parcels::Column::Status.eq(s));
    }
    if let Some(w) = f.warehouse.as_deref().filter(|s| !s.is_empty()) {
        let id = warehouse_id(db, w).await?;
        q = q.filter(parcels::Column::WarehouseId.eq(id));
    }
    if let Some(w) = f.wave_no.as_deref().filter(|s| !s.is_empty()) {
        let wave = wave_by_no(db, w).await?;
        q = q.filter(parcels::Column::WaveId.eq(wave.id));
    }
    if let Some(c) = f.carrier.as_deref().filter(|s| !s.is_empty()) {
        q = q.filter(parcels::Column::Carrier.eq(c));
    }
    if f.exceptions {
        q = q
            .filter(parcels::Column::Exception.ne(""))
            .filter(parcels::Column::Resolution.eq(""));
    }
    if let Some(t) = f.search.as_deref().map(str::trim).filter(|s| !s.is_empty()) {
        let in_orders: Vec<i64> = parcel_lines::Entity::find()
            .select_only()
            .column(parcel_lines::Column::ParcelId)
            .inner_join(orders::Entity)
            .filter(orders::Column::PlatformOrderNo.eq(t))
            .into_tuple::<i64>()
            .all(db)
            .await?;
        q = q.filter(
            parcels::Column::ParcelNo
                .eq(t)
                .or(parcels::Column::TrackingNo.eq(t))
                .or(parcels::Column::Id.is_in(in_orders)),
        );
    }
    let rows = q
        .order_by_desc(parcels::Column::Priority)
        .order_by_asc(parcels::Column::PromisedAt)
        .order_by_asc(parcels::Column::Id)
        .limit(500)
        .all(db)
        .await?;
    load(db, rows).await
}

/// One parcel by its number or tracking number.
pub async fn parcel(desk: &Shopdesk, actor: &Actor, key: &str) -> Result<Parcel, SalesError> {
    actor.require(Permission::ViewOrders)?;
    let p = find_parcel(desk.db(), key).await?;
    Ok(load(desk.db(), vec![p]).await?.remove(0))
}

/// The parcels an order is in.
pub async fn parcels_of_order(
    desk: &Shopdesk,
    actor: &Actor,
    order_id: i64,
) -> Result<Vec<Parcel>, SalesError> {
    actor.require(Permission::ViewOrders)?;
    let ids: Vec<i64> = parcel_lines::Entity::find()
        .select_only()
        .column(parcel_lines::Column::ParcelId)
        .filter(parcel_lines::Column::OrderId.eq(order_id))
        .distinct()
        .into_tuple::<i64>()
        .all(desk.db())
        .await?;
    let rows = parcels::Entity::find()
        .filter(parcels::Column::Id.is_in(ids))
        .order_by_asc(parcels::Column::Id)
        .all(desk.db())
        .await?;
    load(desk.db(), rows).await
}

async fn find_parcel(conn: &impl ConnectionTrait, key: &str) -> Result<parcels::Model, SalesError> {
    let key = key.trim();
    parcels::Entity::find()
        .filter(
            parcels::Column::ParcelNo
                .eq(key)
                .or(parcels::Column::TrackingNo
                    .eq(key)
                    .and(parcels::Column::TrackingNo.ne(""))),
        )
        .order_by_desc(parcels::Column::Id)
        .one(conn)
        .await?
        .ok_or_else(|| not_found("parcel", key))
}

async fn warehouse_id(conn: &impl ConnectionTrait, code: &str) -> Result<i64, SalesError> {
    warehouses::Entity::find()
        .filter(warehouses::Column::Code.eq(code.trim()))
        .one(conn)
        .await?
        .map(|w| w.id)
        .ok_or_else(|| not_found("warehouse", code))
}

async fn wave_by_no(conn: &impl ConnectionTrait, no: &str) -> Result<waves::Model, SalesError> {
    waves::Entity::find()
        .filter(waves::Column::WaveNo.eq(no.trim()))
        .one(conn)
        .await?
        .ok_or_else(|| not_found("wave", no))
}

fn kg_text(grams: i64) -> String {
    if grams == 0 {
        return String::new();
    }
    format!("{}.{:03}", grams / 1000, grams % 1000)
}

async fn load(
    conn: &impl ConnectionTrait,
    rows: Vec<parcels::Model>,
) -> Result<Vec<Parcel>, SalesError> {
    let ids: Vec<i64> = rows.iter().map(|p| p.id).collect();
    let pls = parcel_lines::Entity::find()
        .filter(parcel_lines::Column::ParcelId.is_in(ids.clone()))
        .order_by_asc(parcel_lines::Column::Id)
        .all(conn)
        .await?;
    let mut order_ids: Vec<i64> = pls.iter().map(|l| l.order_id).collect();
    order_ids.extend(rows.iter().map(|p| p.main_order_id));
    order_ids.sort_unstable();
    order_ids.dedup();
    let os: HashMap<i64, orders::Model> = orders::Entity::find()
        .filter(orders::Column::Id.is_in(order_ids))
        .all(conn)
        .await?
        .into_iter()
        .map(|o| (o.id, o))
        .collect();
    let ps: HashMap<i64, products::Model> = products::Entity::find()
        .filter(products::Column::Id.is_in(pls.iter().map(|l| l.product_id)))
        .all(conn)
        .await?
        .into_iter()
        .map(|p| (p.id, p))
        .collect();
    let locs: HashMap<i64, String> = locations::Entity::find()
        .filter(locations::Column::Id.is_in(pls.iter().map(|l| l.location_id)))
        .all(conn)
        .await?
        .into_iter()
        .map(|l| (l.id, l.code))
        .collect();
    let whs: HashMap<i64, String> = warehouses::Entity::find()
        .all(conn)
        .await?
        .into_iter()
        .map(|w| (w.id, w.code))
        .collect();
    let wvs: HashMap<i64, String> = waves::Entity::find()
        .filter(waves::Column::Id.is_in(rows.iter().filter_map(|p| p.wave_id)))
        .all(conn)
        .await?
        .into_iter()
        .map(|w| (w.id, w.wave_no))
        .collect();
    let reships: HashMap<i64, String> = parcels::Entity::find()
        .filter(parcels::Column::Id.is_in(rows.iter().filter_map(|p| p.reship_of)))
        .all(conn)
        .await?
        .into_iter()
        .map(|p| (p.id, p.parcel_no))
        .collect();
    let mut by_parcel: HashMap<i64, Vec<parcel_lines::Model>> = HashMap::new();
    for l in pls {
        by_parcel.entry(l.parcel_id).or_default().push(l);
    }
    Ok(rows
        .into_iter()
        .map(|p| {
            let ls = by_parcel.remove(&p.id).unwrap_or_default();
            let mut nos: Vec<String> = Vec::new();
            for l in &ls {
                if let Some(o) = os.get(&l.order_id)
                    && !nos.contains(&o.platform_order_no)
                {
                    nos.push(o.platform_order_no.clone());
                }
            }
            let main = os.get(&p.main_order_id);
            let s = |f: fn(&orders::Model) -> &String| main.map(f).cloned().unwrap_or_default();
            Parcel {
                id: p.id,
                warehouse: whs.get(&p.warehouse_id).cloned().unwrap_or_default(),
                wave_no: p
                    .wave_id
                    .and_then(|w| wvs.get(&w).cloned())
                    .unwrap_or_default(),
                orders: nos,
                channel: s(|o| &o.channel),
                shop: s(|o| &o.shop),
                receiver: s(|o| &o.receiver),
                phone: s(|o| &o.phone),
                address: main
                    .map(|o| {
                        [&o.province, &o.city, &o.district, &o.address]
                            .iter()
                            .filter(|x| !x.is_empty())
                            .map(|x| x.as_str())
                            .collect::<Vec<_>>()
                            .join(" ")
                    })
                    .unwrap_or_default(),
                buyer_message: s(|o| &o.buyer_message),
                claim_amount: if p.claim_amount != 0 {
                    money_text(
                        p.claim_amount,
                        main.map(|o| o.currency.as_str()).unwrap_or("CNY"),
                    )
                } else {
                    String::new()
                },
                reship_of: p
                    .reship_of
                    .and_then(|r| reships.get(&r).cloned())
                    .unwrap_or_default(),
                lines: ls
                    .iter()
                    .map(|l| {
                        let pr = ps.get(&l.product_id);
                        ParcelLineView {
                            order_no: os
                                .get(&l.order_id)
                                .map(|o| o.platform_order_no.clone())
                                .unwrap_or_default(),
                            line_id: l.id,
                            sku: pr.map(|x| x.sku.clone()).unwrap_or_default(),
                            name: pr.map(|x| x.name.clone()).unwrap_or_default(),
                            spec: pr.map(|x| x.spec.clone()).unwrap_or_default(),
                            barcode: pr.and_then(|x| x.barcode.clone()).unwrap_or_default(),
                            location: locs.get(&l.location_id).cloned().unwrap_or_default(),
                            qty: l.qty,
                            checked: l.checked,
                        }
                    })
                    .collect(),
                parcel_no: p.parcel_no,
                status: p.status,
                wave_slot: p.wave_slot,
                priority: p.priority,
                units: p.units,
                carrier: p.carrier,
                service: p.service,
                tracking_no: p.tracking_no,
                weight_kg: kg_text(p.weight_grams),
                promised_at: p.promised_at,
                packed_at: p.packed_at,
                shipped_at: p.shipped_at,
                delivered_at: p.delivered_at,
                exception: p.exception,
                exception_note: p.exception_note,
                resolution: p.resolution,
            }
        })
        .collect())
}

// ---------------------------------------------------------------------------------------------------------------
// Waves

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
pub enum WaveKind {
    /// Parcels of one unit: picked in bulk, no sorting.
    Single,
    /// Parcels of several units: picked together, sorted into slots.
    Multi,
    /// Parcels holding only the best sellers (the 10 SKUs with the most units waiting to pick).
    Hot,
    /// Any allocated parcel.
    Mixed,
}

impl WaveKind {
    fn as_str(self) -> &'static str {
        match self {
            WaveKind::Single => "single",
            WaveKind::Multi => "multi",
            WaveKind::Hot => "hot",
            WaveKind::Mixed => "mixed",
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct Wave {
    pub wave_no: String,
    pub warehouse: String,
    pub kind: String,
    pub status: String,
    #[ts(type = "number")]
    pub parcels: i64,
    #[ts(type = "number")]
    pub units: i64,
    /// Parcels of the wave already packed or shipped.
    #[ts(type = "number")]
    pub done: i64,
    pub created_by: String,
    pub created_at: DateTime<Utc>,
}

/// Starts a wave in a warehouse: up to `max_parcels` allocated parcels not yet in a wave, of the kind asked,
/// the highest priority and the earliest promise first. `None` when there is none to pick.
pub async fn create_wave(
    desk: &Shopdesk,
    actor: &Actor,
    warehouse: &str,
    kind: WaveKind,
    max_parcels: u32,
) -> Result<Option<Wave>, SalesError> {
    actor.require(Permission::PostStock)?;
    if max_parcels == 0 || max_parcels > 2000 {
        return Err(invalid("max_parcels", "range"));
    }
    let txn = desk.write_txn().await?;
    let wh = warehouse_id(&txn, warehouse).await?;
    let candidates = parcels::Entity::find()
        .filter(parcels::Column::WarehouseId.eq(wh))
        .filter(parcels::Column::Status.eq("allocated"))
        .filter(parcels::Column::WaveId.is_null())
        .order_by_desc(parcels::Column::Priority)
        .order_by_asc(parcels::Column::PromisedAt)
        .order_by_asc(parcels::Column::Id)
        .lock_exclusive()
        .all(&txn)
        .await?;
    let mut products_of: HashMap<i64, Vec<i64>> = HashMap::new();
    let mut hot_units: HashMap<i64, i64> = HashMap::new();
    for chunk in candidates.chunks(500) {
        for l in parcel_lines::Entity::find()
            .filter(parcel_lines::Column::ParcelId.is_in(chunk.iter().map(|p| p.id)))
            .all(&txn)
            .await?
        {
            products_of
                .entry(l.parcel_id)
                .or_default()
                .push(l.product_id);
            *hot_units.entry(l.product_id).or_default() += l.qty;
        }
    }
    let mut ranked: Vec<(i64, i64)> = hot_units.into_iter().collect();
    ranked.sort_by_key(|(p, u)| (-u, *p));
    let hot: Vec<i64> = ranked.iter().take(10).map(|(p, _)| *p).collect();
    let chosen: Vec<&parcels::Model> = candidates
        .iter()
        .filter(|p| match kind {
            WaveKind::Single => p.units == 1,
            WaveKind::Multi => p.units > 1,
            WaveKind::Hot => products_of
                .get(&p.id)
                .is_some_and(|ps| ps.iter().all(|x| hot.contains(x))),
            WaveKind::Mixed => true,
        })
        .take(max_parcels as usize)
        .collect();
    if chosen.is_empty() {
        txn.rollback().await?;
        return Ok(None);
    }
    let now = desk.now();
    let wave_no = crate::docno::next(&txn, "WV", desk.biz_date(now)).await?;
    let units: i64 = chosen.iter().map(|p| p.units).sum();
    let w = waves::Entity::insert(waves::ActiveModel {
        wave_no: Set(wave_no.clone()),
        warehouse_id: Set(wh),
        kind: Set(kind.as_str().into()),
        status: Set("open".into()),
        parcels: Set(chosen.len() as i64),
        units: Set(units),
        created_by: Set(actor.username.clone()),
        created_at: Set(now),
        ..Default::default()
    })
    .exec(&txn)
    .await?;
    let wave_id = w.last_insert_id;
    for (slot, p) in chosen.iter().enumerate() {
        let done = parcels::Entity::update_many()
            .col_expr(parcels::Column::WaveId, Expr::value(wave_id))
            .col_expr(parcels::Column::WaveSlot, Expr::value(slot as i32 + 1))
            .col_expr(parcels::Column::Status, Expr::value("picking"))
            .col_expr(parcels::Column::UpdatedAt, Expr::value(now))
            .filter(parcels::Column::Id.eq(p.id))
            .filter(parcels::Column::Status.eq("allocated"))
            .exec(&txn)
            .await?;
        if done.rows_affected != 1 {
            return Err(invalid("parcels", "changed"));
        }
    }
    let order_ids = orders_in(&txn, &chosen.iter().map(|p| p.id).collect::<Vec<_>>()).await?;
    sync_order_status(&txn, &order_ids, now).await?;
    let evs: Vec<_> = order_ids
        .iter()
        .map(|o| {
            event(
                *o,
                now,
                actor,
                "picking",
                serde_json::json!({ "wave": wave_no }),
            )
        })
        .collect();
    crate::db::insert_all(&txn, evs).await?;
    audit::record(
        desk,
        &txn,
        actor,
        Action::Create,
        "wave",
        Some(wave_id),
        &wave_no,
        None::<&()>,
        Some(
            &serde_json::json!({ "kind": kind.as_str(), "parcels": chosen.len(), "units": units }),
        ),
    )
    .await?;
    txn.commit().await?;
    Ok(Some(Wave {
        wave_no,
        warehouse: warehouse.trim().to_string(),
        kind: kind.as_str().into(),
        status: "open".into(),
        parcels: chosen.len() as i64,
        units,
        done: 0,
        created_by: actor.username.clone(),
        created_at: now,
    }))
}

async fn orders_in(
    conn: &impl ConnectionTrait,
    parcel_ids: &[i64],
) -> Result<Vec<i64>, SalesError> {
    let mut out = Vec::new();
    for chunk in parcel_ids.chunks(500) {
        out.extend(
            parcel_lines::Entity::find()
                .select_only()
                .column(parcel_lines::Column::OrderId)
                .filter(parcel_lines::Column::ParcelId.is_in(chunk.iter().copied()))
                .distinct()
                .into_tuple::<i64>()
                .all(conn)
                .await?,
        );
    }
    out.sort_unstable();
    out.dedup();
    Ok(out)
}

/// Waves, newest first (at most 200); `open` only, or all.
pub async fn waves(
    desk: &Shopdesk,
    actor: &Actor,
    open_only: bool,
) -> Result<Vec<Wave>, SalesError> {
    actor.require(Permission::ViewOrders)?;
    let db = desk.db();
    let mut q = waves::Entity::find();
    if open_only {
        q = q.filter(waves::Column::Status.eq("open"));
    }
    let rows = q
        .order_by_desc(waves::Column::Id)
        .limit(200)
        .all(db)
        .await?;
    let whs: HashMap<i64, String> = warehouses::Entity::find()
        .all(db)
        .await?
        .into_iter()
        .map(|w| (w.id, w.code))
        .collect();
    let mut done: HashMap<i64, i64> = HashMap::new();
    for (w, n) in parcels::Entity::find()
        .select_only()
        .column(parcels::Column::WaveId)
        .column_as(parcels::Column::Id.count(), "n")
        .filter(parcels::Column::WaveId.is_in(rows.iter().map(|w| w.id)))
        .filter(parcels::Column::Status.is_in(["packed", "shipped", "delivered", "cancelled"]))
        .group_by(parcels::Column::WaveId)
        .into_tuple::<(i64, i64)>()
        .all(db)
        .await?
    {
        done.insert(w, n);
    }
    Ok(rows
        .into_iter()
        .map(|w| Wave {
            warehouse: whs.get(&w.warehouse_id).cloned().unwrap_or_default(),
            done: done.get(&w.id).copied().unwrap_or(0),
            wave_no: w.wave_no,
            kind: w.kind,
            status: w.status,
            parcels: w.parcels,
            units: w.units,
            created_by: w.created_by,
            created_at: w.created_at,
        })
        .collect())
}

/// Closes a wave once none of its parcels is left to pick or check.
pub(crate) async fn close_wave_if_done(
    conn: &impl ConnectionTrait,
    wave_id: i64,
) -> Result<(), SalesError> {
    let open = parcels::Entity::find()
        .filter(parcels::Column::WaveId.eq(wave_id))
        .filter(parcels::Column::Status.eq("picking"))
        .count(conn)
        .await?;
    if open == 0 {
        waves::Entity::update_many()
            .col_expr(waves::Column::Status, Expr::value("done"))
            .filter(waves::Column::Id.eq(wave_id))
            .exec(conn)
            .await?;
    }
    Ok(())
}

/// The pick list of a wave (拣货单): one row per location and SKU, in location order (the picker's path), with
/// the units each slot of the sorting wall takes.
pub async fn pick_list(
    desk: &Shopdesk,
    actor: &Actor,
    wave_no: &str,
    lang: &str,
) -> Result<Report, SalesError> {
    actor.require(Permission::ViewOrders)?;
    let db = desk.db();
    let w = wave_by_no(db, wave_no).await?;
    let ps = parcels::Entity::find()
        .filter(parcels::Column::WaveId.eq(w.id))
        .filter(parcels::Column::Status.is_not_in(super::allocate::DEAD))
        .all(db)
        .await?;
    let slot: HashMap<i64, i32> = ps.iter().map(|p| (p.id, p.wave_slot)).collect();
    let pls = parcel_lines::Entity::find()
        .filter(parcel_lines::Column::ParcelId.is_in(ps.iter().map(|p| p.id)))
        .all(db)
        .await?;
    let prods: HashMap<i64, products::Model> = products::Entity::find()
        .filter(products::Column::Id.is_in(pls.iter().map(|l| l.product_id)))
        .all(db)
        .await?
        .into_iter()
        .map(|p| (p.id, p))
        .collect();
    let locs: HashMap<i64, String> = locations::Entity::find()
        .filter(locations::Column::Id.is_in(pls.iter().map(|l| l.location_id)))
        .all(db)
        .await?
        .into_iter()
        .map(|l| (l.id, l.code))
        .collect();
    // (location code, sku) → (product, units, slot → units)
    type PickRow = (i64, i64, BTreeMap<i32, i64>);
    let mut rows: BTreeMap<(String, String), PickRow> = BTreeMap::new();
    for l in &pls {
        let sku = prods
            .get(&l.product_id)
            .map(|p| p.sku.clone())
            .unwrap_or_default();
        let e = rows
            .entry((locs.get(&l.location_id).cloned().unwrap_or_default(), sku))
            .or_insert((l.product_id, 0, BTreeMap::new()));
        e.1 += l.qty;
        *e.2.entry(slot.get(&l.parcel_id).copied().unwrap_or(0))
            .or_default() += l.qty;
    }
    let t = |zh: &str, en: &str| report::tr(lang, zh, en).to_string();
    let mut r = Report::new(
        desk,
        "pick_list",
        &format!("{} {}", t("拣货单", "Pick list"), w.wave_no),
    );
    r.params = vec![
        ReportParam {
            label: t("波次", "Wave"),
            value: w.wave_no.clone(),
        },
        ReportParam {
            label: t("类型", "Kind"),
            value: wave_kind_label(lang, &w.kind),
        },
        ReportParam {
            label: t("包裹", "Parcels"),
            value: ps.len().to_string(),
        },
        ReportParam {
            label: t("件数", "Units"),
            value: pls.iter().map(|l| l.qty).sum::<i64>().to_string(),
        },
    ];
    r.columns = report::columns(&[
        ("location", &t("库位", "Location"), ColumnKind::Text),
        ("sku", "SKU", ColumnKind::Text),
        ("name", &t("品名", "Name"), ColumnKind::Text),
        ("barcode", &t("条码", "Barcode"), ColumnKind::Text),
        ("qty", &t("数量", "Qty"), ColumnKind::Int),
        (
            "slots",
            &t("分拣格(格号×件)", "Slots (slot×units)"),
            ColumnKind::Text,
        ),
    ]);
    let mut total = 0;
    for ((loc, sku), (pid, units, slots)) in rows {
        let p = prods.get(&pid);
        total += units;
        r.rows.push(vec![
            loc,
            sku,
            p.map(|p| format!("{} {}", p.name, p.spec).trim().to_string())
                .unwrap_or_default(),
            p.and_then(|p| p.barcode.clone()).unwrap_or_default(),
            units.to_string(),
            slots
                .iter()
                .map(|(s, n)| format!("{s}×{n}"))
                .collect::<Vec<_>>()
                .join(" "),
        ]);
    }
    r.totals = Some(vec![
        t("合计", "Total"),
        String::new(),
        String::new(),
        String::new(),
        total.to_string(),
        String::new(),
    ]);
    r.notes = vec![t(
        "按库位编码排序，即拣货路线；分拣格号与装箱单上的格号一致。",
        "Sorted by location code, the picking path; slot numbers match the packing slips.",
    )];
    Ok(r)
}

fn wave_kind_label(lang: &str, k: &str) -> String {
    let (zh, en) = match k {
        "single" => ("单件", "single-item"),
        "multi" => ("多件", "multi-item"),
        "hot" => ("爆款", "hot sellers"),
        _ => ("混合", "mixed"),
    };
    report::tr(lang, zh, en).to_string()
}

/// Packing slips (装箱单) of a wave, or of one parcel: one page per parcel with the slot, orders, receiver and
/// every item, as a PDF.
pub async fn packing_slips(
    desk: &Shopdesk,
    actor: &Actor,
    key: &str,
    lang: &str,
) -> Result<Vec<u8>, SalesError> {
    actor.require(Permission::ViewOrders)?;
    let db = desk.db();
    let rows = match waves::Entity::find()
        .filter(waves::Column::WaveNo.eq(key.trim()))
        .one(db)
        .await?
    {
        Some(w) => {
            parcels::Entity::find()
                .filter(parcels::Column::WaveId.eq(w.id))
                .filter(parcels::Column::Status.is_not_in(super::allocate::DEAD))
                .order_by_asc(parcels::Column::WaveSlot)
                .all(db)
                .await?
        }
        None => vec![find_parcel(db, key).await?],
    };
    let ps = load(db, rows).await?;
    Ok(slips_pdf(desk, &ps, lang)?)
}

#[allow(clippy::float_arithmetic)]
fn slips_pdf(desk: &Shopdesk, ps: &[Parcel], lang: &str) -> Result<Vec<u8>, crate::pdf::PdfError> {
    use crate::pdf::{Doc, MARGIN, PAGE_W, load_cjk_font};
    let t = |zh: &'static str, en: &'static str| report::tr(lang, zh, en);
    let font = load_cjk_font()?;
    let company = desk.company();
    let mut doc = Doc::new(t("装箱单", "Packing slips"), &company.company_name, &font);
    let right = PAGE_W - MARGIN;
    for (i, p) in ps.iter().enumerate() {
        if i > 0 {
            doc.new_page();
        }
        let mut y = MARGIN + 6.0;
        doc.text(MARGIN, y, 15.0, t("装箱单", "Packing slip"));
        doc.text_right(right, y, 15.0, &p.parcel_no);
        y += 7.0;
        if !p.wave_no.is_empty() {
            doc.text(
                MARGIN,
                y,
                10.0,
                &format!(
                    "{} {}  ·  {} {}",
                    t("波次", "Wave"),
                    p.wave_no,
                    t("格号", "Slot"),
                    p.wave_slot
                ),
            );
            y += 5.5;
        }
        doc.text(
            MARGIN,
            y,
            9.0,
            &format!("{}: {}", t("订单", "Orders"), p.orders.join(", ")),
        );
        y += 5.0;
        doc.text(
            MARGIN,
            y,
            9.0,
            &format!("{}: {}  {}", t("收件人", "Ship to"), p.receiver, p.phone),
        );
        y += 5.0;
        doc.text_fit(MARGIN, y, 9.0, &p.address, right - MARGIN);
        y += 5.0;
        if !p.buyer_message.is_empty() {
            doc.text_fit(
                MARGIN,
                y,
                9.0,
                &format!("{}: {}", t("买家留言", "Buyer message"), p.buyer_message),
                right - MARGIN,
            );
            y += 5.0;
        }
        y += 2.0;
        let cols = [
            (MARGIN, t("库位", "Location")),
            (MARGIN + 25.0, "SKU"),
            (MARGIN + 60.0, t("品名", "Item")),
            (MARGIN + 135.0, t("条码", "Barcode")),
        ];
        for (x, h) in cols {
            doc.text(x, y, 8.5, h);
        }
        doc.text_right(right, y, 8.5, t("数量", "Qty"));
        doc.rule(MARGIN, y + 1.3, right, y + 1.3, 0.6);
        y += 5.5;
        for l in &p.lines {
            doc.text_fit(MARGIN, y, 8.5, &l.location, 24.0);
            doc.text_fit(MARGIN + 25.0, y, 8.5, &l.sku, 34.0);
            doc.text_fit(
                MARGIN + 60.0,
                y,
                8.5,
                &format!("{} {}", l.name, l.spec),
                74.0,
            );
            doc.text_fit(MARGIN + 135.0, y, 8.5, &l.barcode, 30.0);
            doc.text_right(right, y, 8.5, &l.qty.to_string());
            y += 5.0;
            if y > crate::pdf::PAGE_H - MARGIN - 12.0 {
                doc.new_page();
                y = MARGIN + 6.0;
            }
        }
        doc.rule(MARGIN, y - 3.0, right, y - 3.0, 0.4);
        doc.text(
            MARGIN,
            y + 1.0,
            9.0,
            &format!("{}: {}", t("件数合计", "Units"), p.units),
        );
    }
    Ok(doc.finish())
}

// ---------------------------------------------------------------------------------------------------------------
// Outbound check (出库复核), packing, shipping

/// Where the outbound check of a parcel stands.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct CheckState {
    pub parcel_no: String,
    /// The SKU the last scan counted.
    pub sku: String,
    pub lines: Vec<ParcelLineView>,
    pub complete: bool,
}

/// Scans one unit (a barcode or SKU from a keyboard-wedge scanner) against a parcel being checked. A code that is
/// not in the parcel, or one more unit than it holds, is refused and nothing is counted.
pub async fn check_scan(
    desk: &Shopdesk,
    actor: &Actor,
    parcel_no: &str,
    code: &str,
) -> Result<CheckState, SalesError> {
    actor.require(Permission::PostStock)?;
    let code = code.trim();
    if code.is_empty() {
        return Err(invalid("code", "required"));
    }
    let txn = desk.write_txn().await?;
    let p = find_parcel(&txn, parcel_no).await?;
    if !["allocated", "picking"].contains(&p.status.as_str()) {
        return Err(invalid("status", "not_open"));
    }
    let pls = parcel_lines::Entity::find()
        .filter(parcel_lines::Column::ParcelId.eq(p.id))
        .order_by_asc(parcel_lines::Column::Id)
        .all(&txn)
        .await?;
    let prods = products::Entity::find()
        .filter(products::Column::Id.is_in(pls.iter().map(|l| l.product_id)))
        .all(&txn)
        .await?;
    let Some(product) = prods
        .iter()
        .find(|x| x.barcode.as_deref() == Some(code) || x.sku.eq_ignore_ascii_case(code))
    else {
        return Err(invalid("code", "wrong_item"));
    };
    let Some(line) = pls
        .iter()
        .find(|l| l.product_id == product.id && l.checked < l.qty)
    else {
        return Err(invalid("code", "too_many"));
    };
    let done = parcel_lines::Entity::update_many()
        .col_expr(
            parcel_lines::Column::Checked,
            Expr::col(parcel_lines::Column::Checked).add(1),
        )
        .filter(parcel_lines::Column::Id.eq(line.id))
        .filter(Expr::col(parcel_lines::Column::Checked).lt(Expr::col(parcel_lines::Column::Qty)))
        .exec(&txn)
        .await?;
    if done.rows_affected != 1 {
        return Err(invalid("code", "too_many"));
    }
    let sku = product.sku.clone();
    txn.commit().await?;
    let mut state = check_state(desk, p).await?;
    state.sku = sku;
    Ok(state)
}

/// The check of `p` as it stands now (its lines' counts read again).
async fn check_state(desk: &Shopdesk, p: parcels::Model) -> Result<CheckState, SalesError> {
    let view = load(desk.db(), vec![p]).await?.remove(0);
    Ok(CheckState {
        complete: view.lines.iter().all(|l| l.checked >= l.qty),
        parcel_no: view.parcel_no,
        sku: String::new(),
        lines: view.lines,
    })
}

/// Starts the check of a parcel again (the packer dropped the box): every count back to zero.
pub async fn reset_check(
    desk: &Shopdesk,
    actor: &Actor,
    parcel_no: &str,
) -> Result<CheckState, SalesError> {
    actor.require(Permission::PostStock)?;
    let p = find_parcel(desk.db(), parcel_no).await?;
    if !["allocated", "picking"].contains(&p.status.as_str()) {
        return Err(invalid("status", "not_open"));
    }
    parcel_lines::Entity::update_many()
        .col_expr(parcel_lines::Column::Checked, Expr::value(0))
        .filter(parcel_lines::Column::ParcelId.eq(p.id))
        .exec(desk.db())
        .await?;
    check_state(desk, p).await
}

/// Parses a weight in kilograms (`1.25`, `0.480 kg`) to exact grams; more than three decimals is refused.
pub fn parse_kg(s: &str) -> Option<i64> {
    let t = s
        .trim()
        .trim_end_matches("kg")
        .trim_end_matches("KG")
        .trim();
    let d = Decimal::from_str(t).ok()?;
    let g = d * Decimal::from(1000);
    if d <= Decimal::ZERO || g.fract() != Decimal::ZERO {
        return None;
    }
    i64::try_from(g.trunc()).ok()
}

/// Packs a parcel whose every unit has been checked, with its weight in kilograms.
pub async fn pack(
    desk: &Shopdesk,
    actor: &Actor,
    parcel_no: &str,
    weight_kg: &str,
) -> Result<Parcel, SalesError> {
    actor.require(Permission::PostStock)?;
    let grams = parse_kg(weight_kg).ok_or_else(|| invalid("weight", "kg"))?;
    let txn = desk.write_txn().await?;
    let p = find_parcel(&txn, parcel_no).await?;
    let unchecked = parcel_lines::Entity::find()
        .filter(parcel_lines::Column::ParcelId.eq(p.id))
        .filter(Expr::col(parcel_lines::Column::Checked).lt(Expr::col(parcel_lines::Column::Qty)))
        .count(&txn)
        .await?;
    if unchecked > 0 {
        return Err(invalid("parcel", "not_checked"));
    }
    let now = desk.now();
    let done = parcels::Entity::update_many()
        .col_expr(parcels::Column::Status, Expr::value("packed"))
        .col_expr(parcels::Column::WeightGrams, Expr::value(grams))
        .col_expr(parcels::Column::PackedAt, Expr::value(now))
        .col_expr(
            parcels::Column::PackedBy,
            Expr::value(actor.username.clone()),
        )
        .col_expr(parcels::Column::UpdatedAt, Expr::value(now))
        .filter(parcels::Column::Id.eq(p.id))
        .filter(parcels::Column::Status.is_in(["allocated", "picking"]))
        .exec(&txn)
        .await?;
    if done.rows_affected != 1 {
        return Err(invalid("status", "not_open"));
    }
    let order_ids = orders_in(&txn, &[p.id]).await?;
    sync_order_status(&txn, &order_ids, now).await?;
    for o in &order_ids {
        order_events::Entity::insert(event(
            *o,
            now,
            actor,
            "packed",
            serde_json::json!({ "parcel": p.parcel_no, "weight_kg": kg_text(grams) }),
        ))
        .exec(&txn)
        .await?;
    }
    if let Some(w) = p.wave_id {
        close_wave_if_done(&txn, w).await?;
    }
    txn.commit().await?;
    parcel(desk, actor, &p.parcel_no).await
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(default)]
pub struct TrackingInput {
    pub carrier: String,
    pub service: String,
    pub tracking_no: String,
}

/// Sets a parcel's carrier, service and tracking number (an e-waybill number taken before packing, or typed,
/// or scanned). A tracking number already on another live parcel of the same carrier is refused.
pub async fn set_tracking(
    desk: &Shopdesk,
    actor: &Actor,
    parcel_no: &str,
    t: &TrackingInput,
) -> Result<(), SalesError> {
    actor.require(Permission::PostStock)?;
    let txn = desk.write_txn().await?;
    let p = find_parcel(&txn, parcel_no).await?;
    apply_tracking(&txn, desk.now(), &p, t).await?;
    txn.commit().await?;
    Ok(())
}

async fn apply_tracking(
    conn: &impl ConnectionTrait,
    now: DateTime<Utc>,
    p: &parcels::Model,
    t: &TrackingInput,
) -> Result<(), SalesError> {
    let (carrier, tracking) = (t.carrier.trim(), t.tracking_no.trim());
    if carrier.is_empty() || carrier.chars().count() > 64 {
        return Err(invalid("carrier", "required"));
    }
    if tracking.len() < 6
        || tracking.len() > 64
        || !tracking
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '-')
    {
        return Err(invalid("tracking_no", "format"));
    }
    if !["allocated", "picking", "packed"].contains(&p.status.as_str()) {
        return Err(invalid("status", "not_open"));
    }
    let taken = parcels::Entity::find()
        .filter(parcels::Column::Carrier.eq(carrier))
        .filter(parcels::Column::TrackingNo.eq(tracking))
        .filter(parcels::Column::Id.ne(p.id))
        .filter(parcels::Column::Status.is_not_in(super::allocate::DEAD))
        .count(conn)
        .await?;
    if taken > 0 {
        return Err(invalid("tracking_no", "duplicate"));
    }
    parcels::Entity::update_many()
        .col_expr(parcels::Column::Carrier, Expr::value(carrier))
        .col_expr(parcels::Column::Service, Expr::value(t.service.trim()))
        .col_expr(parcels::Column::TrackingNo, Expr::value(tracking))
        .col_expr(parcels::Column::UpdatedAt, Expr::value(now))
        .filter(parcels::Column::Id.eq(p.id))
        .exec(conn)
        .await?;
    Ok(())
}

/// Ships a packed parcel: the tracking number (given now or set before) is required; the units leave the ledger
/// (a `ship` entry per line takes them off hand and off reservation at their location); every platform order in
/// the parcel gets a shipping notice; orders wholly shipped become `shipped`.
pub async fn ship(
    desk: &Shopdesk,
    actor: &Actor,
    parcel_no: &str,
    t: Option<&TrackingInput>,
) -> Result<Parcel, SalesError> {
    actor.require(Permission::PostStock)?;
    let txn = desk.write_txn().await?;
    let mut p = find_parcel(&txn, parcel_no).await?;
    if let Some(t) = t.filter(|t| !t.tracking_no.trim().is_empty()) {
        apply_tracking(&txn, desk.now(), &p, t).await?;
        p = find_parcel(&txn, &p.parcel_no).await?;
    }
    if p.status != "packed" {
        return Err(invalid("status", "not_packed"));
    }
    if p.tracking_no.is_empty() {
        return Err(invalid("tracking_no", "required"));
    }
    let in_parcel = orders_in(&txn, &[p.id]).await?;
    if orders::Entity::find()
        .filter(orders::Column::Id.is_in(in_parcel))
        .filter(orders::Column::Status.is_in(["cancelled", "closed"]))
        .count(&txn)
        .await?
        > 0
    {
        return Err(invalid("order", "cancelled"));
    }
    let now = desk.now();
    // A parcel flagged late and not yet dealt with is late no more once it ships.
    if p.exception == "late" && p.resolution.is_empty() {
        parcels::Entity::update_many()
            .col_expr(parcels::Column::Exception, Expr::value(""))
            .filter(parcels::Column::Id.eq(p.id))
            .exec(&txn)
            .await?;
    }
    let done = parcels::Entity::update_many()
        .col_expr(parcels::Column::Status, Expr::value("shipped"))
        .col_expr(parcels::Column::ShippedAt, Expr::value(now))
        .col_expr(
            parcels::Column::ShippedBy,
            Expr::value(actor.username.clone()),
        )
        .col_expr(parcels::Column::UpdatedAt, Expr::value(now))
        .filter(parcels::Column::Id.eq(p.id))
        .filter(parcels::Column::Status.eq("packed"))
        .exec(&txn)
        .await?;
    if done.rows_affected != 1 {
        return Err(invalid("status", "not_packed"));
    }
    let pls = parcel_lines::Entity::find()
        .filter(parcel_lines::Column::ParcelId.eq(p.id))
        .all(&txn)
        .await?;
    let moves: Vec<Movement> = pls
        .iter()
        .map(|l| Movement {
            kind: MovementKind::Ship,
            product_id: l.product_id,
            location_id: l.location_id,
            qty: -l.qty,
            reserved: -l.qty,
            in_transit: 0,
            unit_cost: None,
            value: None,
            doc_type: "parcel".into(),
            doc_no: p.parcel_no.clone(),
            doc_line: Some(l.order_line_id),
            note: format!("{} {}", p.carrier, p.tracking_no),
        })
        .collect();
    inventory::post(desk, &txn, actor, &moves).await?;
    let order_ids = orders_in(&txn, &[p.id]).await?;
    let os = orders::Entity::find()
        .filter(orders::Column::Id.is_in(order_ids.clone()))
        .all(&txn)
        .await?;
    for o in &os {
        ship_notices::Entity::insert(ship_notices::ActiveModel {
            order_id: Set(o.id),
            parcel_id: Set(p.id),
            channel: Set(o.channel.clone()),
            shop: Set(o.shop.clone()),
            platform_order_no: Set(o.platform_order_no.clone()),
            carrier: Set(p.carrier.clone()),
            tracking_no: Set(p.tracking_no.clone()),
            status: Set("pending".into()),
            created_at: Set(now),
            sent_at: Set(None),
            ..Default::default()
        })
        .exec(&txn)
        .await?;
        orders::Entity::update_many()
            .col_expr(orders::Column::Carrier, Expr::value(p.carrier.clone()))
            .col_expr(
                orders::Column::TrackingNo,
                Expr::value(p.tracking_no.clone()),
            )
            .filter(orders::Column::Id.eq(o.id))
            .exec(&txn)
            .await?;
        order_events::Entity::insert(event(
            o.id,
            now,
            actor,
            "shipped",
            serde_json::json!({ "parcel": p.parcel_no, "carrier": p.carrier, "tracking_no": p.tracking_no }),
        ))
        .exec(&txn)
        .await?;
    }
    sync_order_status(&txn, &order_ids, now).await?;
    audit::record(
        desk,
        &txn,
        actor,
        Action::Update,
        "parcel",
        Some(p.id),
        &p.parcel_no,
        Some(&serde_json::json!({ "status": "packed" })),
        Some(&serde_json::json!({ "status": "shipped", "carrier": p.carrier, "tracking_no": p.tracking_no })),
    )
    .await?;
    txn.commit().await?;
    parcel(desk, actor, &p.parcel_no).await
}

/// The e-waybill export of one carrier (电子面单导出): parcels being picked or packed that have no tracking number
/// yet, of that carrier or of none (they are given to this carrier), with receiver, address, items and weight, as
/// the carrier's upload sheet expects; its tracking numbers come back through [`import_tracking`].
pub async fn carrier_export(
    desk: &Shopdesk,
    actor: &Actor,
    carrier: &str,
    warehouse: Option<&str>,
    lang: &str,
) -> Result<Report, SalesError> {
    actor.require(Permission::PostStock)?;
    if carrier.trim().is_empty() {
        return Err(invalid("carrier", "required"));
    }
    let txn = desk.write_txn().await?;
    let mut q = parcels::Entity::find()
        .filter(parcels::Column::Status.is_in(["picking", "packed"]))
        .filter(parcels::Column::TrackingNo.eq(""))
        .filter(
            parcels::Column::Carrier
                .eq(carrier.trim())
                .or(parcels::Column::Carrier.eq("")),
        );
    if let Some(w) = warehouse.filter(|w| !w.is_empty()) {
        q = q.filter(parcels::Column::WarehouseId.eq(warehouse_id(&txn, w).await?));
    }
    // At most 2,000 parcels a file (what a carrier's upload takes); the next export takes the rest.
    let rows = q
        .order_by_asc(parcels::Column::Id)
        .limit(2000)
        .all(&txn)
        .await?;
    // The parcels exported go to this carrier (as the rows read say from here on): another carrier's export will not take them too.
    for chunk in rows.chunks(500) {
        parcels::Entity::update_many()
            .col_expr(parcels::Column::Carrier, Expr::value(carrier.trim()))
            .filter(parcels::Column::Id.is_in(chunk.iter().map(|p| p.id)))
            .filter(parcels::Column::Carrier.eq(""))
            .exec(&txn)
            .await?;
    }
    let rows: Vec<parcels::Model> = rows
        .into_iter()
        .map(|mut p| {
            p.carrier = carrier.trim().to_string();
            p
        })
        .collect();
    let ps = load(&txn, rows).await?;
    txn.commit().await?;
    let t = |zh: &str, en: &str| report::tr(lang, zh, en).to_string();
    let mut r = Report::new(
        desk,
        "carrier_export",
        &format!("{} {}", t("电子面单", "E-waybills"), carrier.trim()),
    );
    r.params = vec![ReportParam {
        label: t("快递公司", "Carrier"),
        value: carrier.trim().to_string(),
    }];
    r.columns = report::columns(&[
        ("parcel_no", &t("包裹号", "Parcel"), ColumnKind::Text),
        ("orders", &t("订单号", "Orders"), ColumnKind::Text),
        ("receiver", &t("收件人", "Receiver"), ColumnKind::Text),
        ("phone", &t("电话", "Phone"), ColumnKind::Text),
        ("address", &t("地址", "Address"), ColumnKind::Text),
        ("items", &t("物品", "Items"), ColumnKind::Text),
        ("units", &t("件数", "Units"), ColumnKind::Int),
        ("weight", &t("重量(kg)", "Weight (kg)"), ColumnKind::Decimal),
        ("service", &t("服务", "Service"), ColumnKind::Text),
        ("tracking_no", &t("运单号", "Tracking"), ColumnKind::Text),
    ]);
    for p in &ps {
        r.rows.push(vec![
            p.parcel_no.clone(),
            p.orders.join(","),
            p.receiver.clone(),
            p.phone.clone(),
            p.address.clone(),
            p.lines
                .iter()
                .map(|l| format!("{}×{}", l.sku, l.qty))
                .collect::<Vec<_>>()
                .join(" "),
            p.units.to_string(),
            p.weight_kg.clone(),
            p.service.clone(),
            p.tracking_no.clone(),
        ]);
    }
    Ok(r)
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct TrackingImportSummary {
    #[ts(type = "number")]
    pub rows_read: u64,
    /// Parcels given a tracking number.
    #[ts(type = "number")]
    pub assigned: u64,
    /// Parcels the carrier reported delivered.
    #[ts(type = "number")]
    pub delivered: u64,
    /// Parcels with a newer tracking event (no longer without news).
    #[ts(type = "number")]
    pub updated: u64,
    #[ts(type = "number")]
    pub rows_failed: u64,
    pub errors: Vec<Issue>,
}

const TRACKING_FIELDS: &[imports::header::FieldSpec] = &[
    imports::header::FieldSpec {
        key: "parcel_no",
        exact: &[
            "包裹号",
            "parcel",
            "parcelno",
            "reference",
            "客户单号",
            "订单号",
            "orderno",
        ],
        contains: &[],
    },
    imports::header::FieldSpec {
        key: "tracking_no",
        exact: &[
            "运单号",
            "快递单号",
            "面单号",
            "tracking",
            "trackingno",
            "trackingnumber",
            "waybill",
        ],
        contains: &[],
    },
    imports::header::FieldSpec {
        key: "carrier",
        exact: &["快递公司", "物流公司", "承运商", "carrier"],
        contains: &[],
    },
    imports::header::FieldSpec {
        key: "status",
        exact: &["状态", "物流状态", "status"],
        contains: &[],
    },
    imports::header::FieldSpec {
        key: "time",
        exact: &[
            "时间",
            "更新时间",
            "签收时间",
            "time",
            "updatedat",
            "eventtime",
        ],
        contains: &[],
    },
];

fn tracking_msg(lang: &str, code: &str, p: &BTreeMap<String, String>) -> String {
    let v = p.get("value").cloned().unwrap_or_default();
    match (lang.starts_with("zh"), code) {
        (true, "parcel_not_found") => format!("找不到包裹或订单“{v}”"),
        (false, "parcel_not_found") => format!("no parcel or order `{v}`"),
        (true, "tracking_refused") => format!(
            "运单号“{v}”不能用于此包裹：{}",
            p.get("reason").cloned().unwrap_or_default()
        ),
        (false, "tracking_refused") => format!(
            "tracking number `{v}` refused: {}",
            p.get("reason").cloned().unwrap_or_default()
        ),
        (true, _) => format!("缺少{v}"),
        (false, _) => format!("missing {v}"),
    }
}

/// Reads a carrier's file (CSV or Excel): rows of parcel number (or platform order number), tracking number and
/// optionally carrier, status and time. A parcel without a tracking number gets it; a shipped parcel gets its
/// status — `签收`/`delivered` marks it delivered, any other line is news (it is no longer without an update).
/// One transaction; a row that does not fit is reported with its row and column and the others are applied.
pub async fn import_tracking(
    desk: &Shopdesk,
    actor: &Actor,
    path: &std::path::Path,
    default_carrier: &str,
    lang: &str,
) -> Result<TrackingImportSummary, SalesError> {
    actor.require(Permission::PostStock)?;
    let wb = Workbook::open(path, TextEncoding::Auto)?;
    let sheet = wb
        .sheet_names
        .first()
        .cloned()
        .ok_or_else(|| ImportError::Read {
            file: wb.file_name.clone(),
            reason: "no sheet".into(),
        })?;
    let grid = wb.sheet(&sheet)?;
    let Some(table) =
        imports::header::detect(&grid, TRACKING_FIELDS, &["parcel_no", "tracking_no"])
            .into_iter()
            .next()
    else {
        return Err(ImportError::NoHeader {
            file: wb.file_name.clone(),
            expected: "包裹号/订单号 + 运单号 (parcel or order number + tracking number)".into(),
        }
        .into());
    };
    let col = |k: &str| table.columns.get(k).and_then(|c| c.first().copied());
    let txn = desk.write_txn().await?;
    let now = desk.now();
    let mut s = TrackingImportSummary::default();
    for row in table.data_start..table.data_end {
        if grid.row_is_empty(row) {
            continue;
        }
        s.rows_read += 1;
        let cell = |k: &str| {
            col(k)
                .map(|c| {
                    imports::values::cell_text(grid.cell(row, c))
                        .trim()
                        .to_string()
                })
                .unwrap_or_default()
        };
        let issue = |k: &str, code: &str, params: &[(&str, String)]| {
            Issue::at(
                &sheet,
                u64::from(row) + 1,
                col(k),
                code,
                params,
                lang,
                tracking_msg,
            )
        };
        let key = cell("parcel_no");
        let tracking = cell("tracking_no");
        if key.is_empty() || tracking.is_empty() {
            let missing = if key.is_empty() {
                "parcel_no"
            } else {
                "tracking_no"
            };
            s.rows_failed += 1;
            s.errors
                .push(issue(missing, "missing", &[("value", missing.to_string())]));
            continue;
        }
        // The parcel: the one already carrying this tracking number, else the parcel number, else an order's
        // live parcel that has no tracking number yet (a split order's rows fill its parcels one by one).
        let mut p = parcels::Entity::find()
            .filter(parcels::Column::TrackingNo.eq(tracking.as_str()))
            .filter(parcels::Column::Status.is_not_in(super::allocate::DEAD))
            .order_by_desc(parcels::Column::Id)
            .one(&txn)
            .await?;
        if p.is_none() {
            p = parcels::Entity::find()
                .filter(parcels::Column::ParcelNo.eq(key.as_str()))
                .one(&txn)
                .await?;
        }
        if p.is_none() {
            let pid = parcel_lines::Entity::find()
                .select_only()
                .column(parcel_lines::Column::ParcelId)
                .inner_join(orders::Entity)
                .inner_join(parcels::Entity)
                .filter(orders::Column::PlatformOrderNo.eq(key.as_str()))
                .filter(parcels::Column::Status.is_in(["allocated", "picking", "packed"]))
                .filter(parcels::Column::TrackingNo.eq(""))
                .order_by_asc(parcel_lines::Column::ParcelId)
                .into_tuple::<i64>()
                .one(&txn)
                .await?;
            if let Some(id) = pid {
                p = parcels::Entity::find_by_id(id).one(&txn).await?;
            }
        }
        let Some(p) = p else {
            s.rows_failed += 1;
            s.errors
                .push(issue("parcel_no", "parcel_not_found", &[("value", key)]));
            continue;
        };
        if ["shipped", "delivered"].contains(&p.status.as_str()) {
            let status = cell("status").to_lowercase();
            // Negative words first: 未签收 and 拒绝签收 contain 签收, undelivered contains delivered.
            let negative = [
                "未签收",
                "拒签",
                "拒收",
                "拒绝签收",
                "退回",
                "undelivered",
                "not delivered",
                "failed",
            ]
            .iter()
            .any(|w| status.contains(w));
            let delivered = !negative
                && ["签收", "妥投", "已送达", "delivered"]
                    .iter()
                    .any(|w| status.contains(w));
            // When the carrier's event happened (the file's time column), else now; news never moves back.
            let at = col("time")
                .and_then(|c| {
                    imports::values::parse_datetime(grid.cell(row, c))
                        .ok()
                        .flatten()
                })
                .and_then(|(local, offset)| match offset {
                    Some(o) => local
                        .and_local_timezone(o)
                        .single()
                        .map(|t| t.with_timezone(&Utc)),
                    None => local
                        .and_local_timezone(desk.company().tz())
                        .single()
                        .map(|t| t.with_timezone(&Utc)),
                })
                .filter(|t| *t <= now)
                .unwrap_or(now);
            let newest = p.last_tracking_at.map_or(at, |l| Ord::max(l, at));
            let mut u = parcels::Entity::update_many()
                .col_expr(parcels::Column::LastTrackingAt, Expr::value(newest))
                .col_expr(parcels::Column::UpdatedAt, Expr::value(now));
            if delivered && p.status != "delivered" {
                u = u
                    .col_expr(parcels::Column::Status, Expr::value("delivered"))
                    .col_expr(parcels::Column::DeliveredAt, Expr::value(at));
                s.delivered += 1;
            } else {
                s.updated += 1;
            }
            // Recent news clears a "no update" flag that nobody acted on yet.
            if p.exception == "no_update"
                && p.resolution.is_empty()
                && (delivered || newest > now - Duration::hours(NO_UPDATE_HOURS))
            {
                u = u.col_expr(parcels::Column::Exception, Expr::value(""));
            }
            u.filter(parcels::Column::Id.eq(p.id)).exec(&txn).await?;
            continue;
        }
        let carrier = Some(cell("carrier"))
            .filter(|c| !c.is_empty())
            .unwrap_or_else(|| default_carrier.trim().to_string());
        let t = TrackingInput {
            carrier,
            service: String::new(),
            tracking_no: tracking.clone(),
        };
        match apply_tracking(&txn, now, &p, &t).await {
            Ok(()) => s.assigned += 1,
            Err(SalesError::Validation(v)) => {
                s.rows_failed += 1;
                s.errors.push(issue(
                    "tracking_no",
                    "tracking_refused",
                    &[("value", tracking), ("reason", v.to_string())],
                ));
            }
            Err(e) => return Err(e),
        }
    }
    audit::record(
        desk,
        &txn,
        actor,
        Action::Update,
        "tracking_import",
        None::<i64>,
        &wb.file_name,
        None::<&()>,
        Some(&serde_json::json!({ "assigned": s.assigned, "delivered": s.delivered, "failed": s.rows_failed })),
    )
    .await?;
    txn.commit().await?;
    Ok(s)
}

// ---------------------------------------------------------------------------------------------------------------
// Shipping notices (发货通知)

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct ShipNotice {
    #[ts(type = "number")]
    pub id: i64,
    pub channel: String,
    pub shop: String,
    pub platform_order_no: String,
    pub carrier: String,
    pub tracking_no: String,
    pub status: String,
    pub created_at: DateTime<Utc>,
    pub sent_at: Option<DateTime<Utc>>,
}

/// Shipping notices, pending ones (not yet uploaded to the platform) or all; at most 1,000, oldest first.
pub async fn notices(
    desk: &Shopdesk,
    actor: &Actor,
    pending_only: bool,
) -> Result<Vec<ShipNotice>, SalesError> {
    actor.require(Permission::ViewOrders)?;
    let mut q = ship_notices::Entity::find();
    if pending_only {
        q = q.filter(ship_notices::Column::Status.eq("pending"));
    }
    Ok(q.order_by_asc(ship_notices::Column::Id)
        .limit(1000)
        .all(desk.db())
        .await?
        .into_iter()
        .map(|n| ShipNotice {
            id: n.id,
            channel: n.channel,
            shop: n.shop,
            platform_order_no: n.platform_order_no,
            carrier: n.carrier,
            tracking_no: n.tracking_no,
            status: n.status,
            created_at: n.created_at,
            sent_at: n.sent_at,
        })
        .collect())
}

/// Marks notices as sent once they are on the platform (Shopdesk keeps the record; it does not call platform
/// APIs); returns how many changed.
pub async fn mark_notices_sent(
    desk: &Shopdesk,
    actor: &Actor,
    ids: &[i64],
) -> Result<u64, SalesError> {
    actor.require(Permission::EditOrders)?;
    let txn = desk.write_txn().await?;
    let mut n = 0;
    for chunk in ids.chunks(500) {
        n += ship_notices::Entity::update_many()
            .col_expr(ship_notices::Column::Status, Expr::value("sent"))
            .col_expr(ship_notices::Column::SentAt, Expr::value(desk.now()))
            .filter(ship_notices::Column::Id.is_in(chunk.iter().copied()))
            .filter(ship_notices::Column::Status.eq("pending"))
            .exec(&txn)
            .await?
            .rows_affected;
    }
    txn.commit().await?;
    Ok(n)
}

// ---------------------------------------------------------------------------------------------------------------
// Logistics exceptions (物流异常)

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct ExceptionScan {
    /// Shipped parcels without news for [`NO_UPDATE_HOURS`].
    #[ts(type = "number")]
    pub no_update: u64,
    /// Parcels not shipped by their promised time.
    #[ts(type = "number")]
    pub late: u64,
}

/// Flags parcels: shipped and silent for [`NO_UPDATE_HOURS`] → `no_update`; not shipped by the promised time →
/// `late`. Parcels already flagged keep their flag.
pub async fn scan_exceptions(desk: &Shopdesk, actor: &Actor) -> Result<ExceptionScan, SalesError> {
    actor.require(Permission::EditOrders)?;
    let now = desk.now();
    let silent_since = now - Duration::hours(NO_UPDATE_HOURS);
    let txn = desk.write_txn().await?;
    let no_update = parcels::Entity::update_many()
        .col_expr(parcels::Column::Exception, Expr::value("no_update"))
        .col_expr(parcels::Column::UpdatedAt, Expr::value(now))
        .filter(parcels::Column::Status.eq("shipped"))
        .filter(parcels::Column::Exception.eq(""))
        .filter(
            parcels::Column::LastTrackingAt
                .lt(silent_since)
                .or(parcels::Column::LastTrackingAt
                    .is_null()
                    .and(parcels::Column::ShippedAt.lt(silent_since))),
        )
        .exec(&txn)
        .await?
        .rows_affected;
    let late = parcels::Entity::update_many()
        .col_expr(parcels::Column::Exception, Expr::value("late"))
        .col_expr(parcels::Column::UpdatedAt, Expr::value(now))
        .filter(parcels::Column::Status.is_in(["allocated", "picking", "packed"]))
        .filter(parcels::Column::Exception.eq(""))
        .filter(parcels::Column::PromisedAt.lt(now))
        .exec(&txn)
        .await?
        .rows_affected;
    txn.commit().await?;
    Ok(ExceptionScan { no_update, late })
}

/// Reports a parcel lost or damaged in transit (the carrier or the buyer said so).
pub async fn report_exception(
    desk: &Shopdesk,
    actor: &Actor,
    parcel_no: &str,
    kind: &str,
    note: &str,
) -> Result<(), SalesError> {
    actor.require(Permission::EditOrders)?;
    // `no_update` and `late` are flagged by [`scan_exceptions`]; people report what the carrier or buyer said.
    if !["lost", "damaged"].contains(&kind) {
        return Err(invalid("kind", "one_of"));
    }
    let txn = desk.write_txn().await?;
    let p = find_parcel(&txn, parcel_no).await?;
    if !["shipped", "delivered"].contains(&p.status.as_str()) {
        return Err(invalid("status", "not_shipped"));
    }
    // A parcel already reshipped, refunded or claimed for is settled: it is not reported again.
    if !p.resolution.is_empty() && p.resolution != "closed" {
        return Err(invalid("exception", "resolved"));
    }
    let now = desk.now();
    parcels::Entity::update_many()
        .col_expr(parcels::Column::Exception, Expr::value(kind))
        .col_expr(
            parcels::Column::ExceptionNote,
            Expr::value(note.trim().chars().take(500).collect::<String>()),
        )
        .col_expr(parcels::Column::Resolution, Expr::value(""))
        .col_expr(parcels::Column::UpdatedAt, Expr::value(now))
        .filter(parcels::Column::Id.eq(p.id))
        .exec(&txn)
        .await?;
    for o in orders_in(&txn, &[p.id]).await? {
        order_events::Entity::insert(event(
            o,
            now,
            actor,
            "logistics_exception",
            serde_json::json!({ "parcel": p.parcel_no, "kind": kind, "note": note.trim() }),
        ))
        .exec(&txn)
        .await?;
    }
    txn.commit().await?;
    Ok(())
}

/// What to do about a logistics exception.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(tag = "action", rename_all = "snake_case")]
pub enum Resolution {
    /// Send the same items again in a new parcel from the same warehouse (stock reserved now).
    Reship,
    /// Refund the buyer this amount (in the order's currency) on the parcel's main order.
    Refund { amount: String },
    /// Claim this amount from the carrier.
    Claim { amount: String },
    /// Nothing more to do (the parcel turned up).
    Close,
}

/// Resolves a parcel's logistics exception; the new parcel's number for a reship.
pub async fn resolve_exception(
    desk: &Shopdesk,
    actor: &Actor,
    parcel_no: &str,
    r: &Resolution,
    note: &str,
) -> Result<Option<String>, SalesError> {
    actor.require(Permission::EditOrders)?;
    if matches!(r, Resolution::Reship) {
        actor.require(Permission::ReserveStock)?;
    }
    if note.trim().is_empty() {
        return Err(invalid("note", "required"));
    }
    let txn = desk.write_txn().await?;
    let p = find_parcel(&txn, parcel_no).await?;
    if p.exception.is_empty() || !p.resolution.is_empty() {
        return Err(invalid("exception", "none_open"));
    }
    // Reship and claims are for goods lost or damaged in transit.
    if matches!(r, Resolution::Reship | Resolution::Claim { .. })
        && (!["lost", "damaged"].contains(&p.exception.as_str())
            || !["shipped", "delivered"].contains(&p.status.as_str()))
    {
        return Err(invalid("resolution", "not_for_exception"));
    }
    let code = match r {
        Resolution::Reship => "reship",
        Resolution::Refund { .. } => "refund",
        Resolution::Claim { .. } => "claim",
        Resolution::Close => "closed",
    };
    // Claimed first, by one guarded update: two people resolving at once cannot both act.
    let claimed = parcels::Entity::update_many()
        .col_expr(parcels::Column::Resolution, Expr::value(code))
        .col_expr(parcels::Column::UpdatedAt, Expr::value(desk.now()))
        .filter(parcels::Column::Id.eq(p.id))
        .filter(parcels::Column::Resolution.eq(""))
        .filter(parcels::Column::Exception.ne(""))
        .exec(&txn)
        .await?;
    if claimed.rows_affected != 1 {
        return Err(invalid("exception", "none_open"));
    }
    let main = orders::Entity::find_by_id(p.main_order_id)
        .one(&txn)
        .await?
        .ok_or_else(|| not_found("sales_order", &p.main_order_id.to_string()))?;
    let cur = Currency::parse(&main.currency).unwrap_or(Currency::CNY);
    let amount = |a: &str| -> Result<i64, SalesError> {
        let m = Money::parse(a, cur).map_err(|_| invalid("amount", "money"))?;
        if m.minor() <= 0 {
            return Err(invalid("amount", "positive"));
        }
        Ok(m.minor())
    };
    let now = desk.now();
    let mut new_parcel = None;
    let (_, detail) = match r {
        Resolution::Reship => {
            let pls = parcel_lines::Entity::find()
                .filter(parcel_lines::Column::ParcelId.eq(p.id))
                .all(&txn)
                .await?;
            // The lost (or damaged) parcel is replaced: its units no longer count as the order's.
            parcels::Entity::update_many()
                .col_expr(parcels::Column::Status, Expr::value("replaced"))
                .filter(parcels::Column::Id.eq(p.id))
                .exec(&txn)
                .await?;
            let no = super::allocate::reship(desk, &txn, actor, &p, &pls).await?;
            new_parcel = Some(no.clone());
            ("reship", serde_json::json!({ "parcel": no }))
        }
        Resolution::Refund { amount: a } => {
            let minor = amount(a)?;
            let done = orders::Entity::update_many()
                .col_expr(
                    orders::Column::Refunded,
                    Expr::col(orders::Column::Refunded).add(minor),
                )
                .col_expr(orders::Column::UpdatedAt, Expr::value(now))
                .filter(orders::Column::Id.eq(main.id))
                .filter(
                    Expr::col(orders::Column::Refunded)
                        .add(minor)
                        .lte(Expr::col(orders::Column::Paid)),
                )
                .exec(&txn)
                .await?;
            if done.rows_affected != 1 {
                return Err(invalid("amount", "more_than_paid"));
            }
            (
                "refund",
                serde_json::json!({ "amount": money_text(minor, &main.currency) }),
            )
        }
        Resolution::Claim { amount: a } => {
            let minor = amount(a)?;
            parcels::Entity::update_many()
                .col_expr(parcels::Column::ClaimAmount, Expr::value(minor))
                .filter(parcels::Column::Id.eq(p.id))
                .exec(&txn)
                .await?;
            (
                "claim",
                serde_json::json!({ "amount": money_text(minor, &main.currency) }),
            )
        }
        Resolution::Close => ("closed", serde_json::json!({})),
    };
    for o in orders_in(&txn, &[p.id]).await? {
        let mut d = detail.clone();
        d["parcel"] = serde_json::json!(p.parcel_no);
        d["resolution"] = serde_json::json!(code);
        d["note"] = serde_json::json!(note.trim());
        if let Some(n) = &new_parcel {
            d["new_parcel"] = serde_json::json!(n);
        }
        order_events::Entity::insert(event(o, now, actor, "exception_resolved", d))
            .exec(&txn)
            .await?;
    }
    audit::record(
        desk,
        &txn,
        actor,
        Action::Update,
        "parcel",
        Some(p.id),
        &p.parcel_no,
        Some(&serde_json::json!({ "exception": p.exception })),
        Some(&serde_json::json!({ "resolution": code, "detail": detail, "note": note.trim() })),
    )
    .await?;
    txn.commit().await?;
    Ok(new_parcel)
}
