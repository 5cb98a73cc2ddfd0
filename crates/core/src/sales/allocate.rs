//! Allocation (分仓): approved orders become parcels (包裹) of one warehouse each, their stock reserved through the
//! inventory module at storage locations in pick-path order (location code).
//!
//! How a warehouse is chosen, in order: the warehouse a review rule assigned; else one warehouse that can ship
//! the whole order (fewest parcels), preferring one in the receiver's province or city (region), then the one
//! with the most of the order's stock; else, when splitting is allowed, the warehouse that can ship the most
//! units first, then the next, until nothing more can be reserved. What no warehouse has waits for stock: the
//! order stays approved and the next allocation takes up what is left. Without splitting an order waits whole.
//!
//! Merge (合单): approved orders of one shop with the same buyer, receiver, phone and address, paid and not
//! refunded, go into one parcel. Split (拆单) by warehouse or availability is the rule above; by hand,
//! [`allocate_by_hand`] takes the parcels the user drew up.
//!
//! **Architecture Invariant:** an order line's units in live parcels never exceed its quantity, and every unit
//! in a live parcel is reserved (or, once shipped, has left the ledger) at the parcel line's location.

use super::{SalesError, event, invalid};
use crate::Shopdesk;
use crate::audit::{self, Action};
use crate::auth::{Actor, Permission};
use crate::entities::{
    locations, order_events, parcel_lines, parcels, sales_order_lines as lines,
    sales_orders as orders, stock_balances, warehouses,
};
use crate::inventory::{self, ReservationChange};
use chrono::{DateTime, Duration, Utc};
use sea_orm::sea_query::Expr;
use sea_orm::{
    ColumnTrait, ConnectionTrait, DerivePartialModel, EntityTrait, QueryFilter, QueryOrder,
    QuerySelect, Set,
};
use serde::{Deserialize, Serialize};
use std::collections::{BTreeMap, HashMap, HashSet};
use ts_rs::TS;

/// Parcels that no longer hold their units: cancelled before shipping, or replaced by a reship after a loss.
pub const DEAD: [&str; 2] = ["cancelled", "replaced"];

/// Hours from payment within which an order must ship (the platforms' usual 48-hour promise).
pub const SHIP_WITHIN_HOURS: i64 = 48;

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(default)]
pub struct AllocateOptions {
    /// Only these orders (default: every approved order).
    #[ts(type = "number[] | null")]
    pub order_ids: Option<Vec<i64>>,
    /// Split an order over warehouses, or ship what is there and let the rest wait (拆单); otherwise an order
    /// waits until one warehouse can ship all of it.
    pub split: bool,
    /// Put approved orders of one buyer and address into one parcel (合单).
    pub merge: bool,
}

impl Default for AllocateOptions {
    fn default() -> Self {
        AllocateOptions {
            order_ids: None,
            split: false,
            merge: true,
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct Shortage {
    pub sku: String,
    #[ts(type = "number")]
    pub qty: i64,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct WaitingOrder {
    #[ts(type = "number")]
    pub order_id: i64,
    pub platform_order_no: String,
    pub shortages: Vec<Shortage>,
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct AllocationSummary {
    #[ts(type = "number")]
    pub orders: u64,
    /// Orders now wholly in parcels.
    #[ts(type = "number")]
    pub allocated: u64,
    /// Orders partly in parcels, the rest waiting for stock.
    #[ts(type = "number")]
    pub partial: u64,
    /// Orders of which nothing could be allocated.
    #[ts(type = "number")]
    pub waiting: u64,
    #[ts(type = "number")]
    pub parcels: u64,
    /// Orders that share a parcel with another order (合单).
    #[ts(type = "number")]
    pub merged_orders: u64,
    /// Orders in more than one parcel (拆单).
    #[ts(type = "number")]
    pub split_orders: u64,
    #[ts(type = "number")]
    pub units: i64,
    /// The first 200 orders still waiting for stock, with what they lack.
    pub waiting_orders: Vec<WaitingOrder>,
}

/// An order line still to allocate.
#[derive(Debug, Clone)]
pub(crate) struct Need {
    order_id: i64,
    line_id: i64,
    product_id: i64,
    qty: i64,
}

/// Stock of one warehouse at its storage locations: product → [(location id, available)] in location-code order.
type WarehouseStock = HashMap<i64, Vec<(i64, i64)>>;

struct Stock {
    /// Active warehouses: id, code, region (the province or municipality its address starts with).
    warehouses: Vec<(i64, String, String)>,
    by_warehouse: HashMap<i64, WarehouseStock>,
}

impl Stock {
    fn available(&self, wh: i64, product: i64) -> i64 {
        self.by_warehouse
            .get(&wh)
            .and_then(|s| s.get(&product))
            .map(|v| v.iter().map(|(_, a)| *a).sum())
            .unwrap_or(0)
    }

    /// Puts back what [`Stock::take`] took.
    fn give_back(&mut self, wh: i64, product: i64, loc: i64, qty: i64) {
        if let Some(l) = self
            .by_warehouse
            .get_mut(&wh)
            .and_then(|s| s.get_mut(&product))
            .and_then(|v| v.iter_mut().find(|(l, _)| *l == loc))
        {
            l.1 += qty;
        }
    }

    /// Takes up to `qty` of `product` in `wh`, from the first locations of the pick path on.
    fn take(&mut self, wh: i64, product: i64, mut qty: i64) -> Vec<(i64, i64)> {
        let mut out = Vec::new();
        if let Some(locs) = self
            .by_warehouse
            .get_mut(&wh)
            .and_then(|s| s.get_mut(&product))
        {
            for (loc, avail) in locs.iter_mut() {
                if qty == 0 {
                    break;
                }
                let t = (*avail).min(qty);
                if t > 0 {
                    *avail -= t;
                    qty -= t;
                    out.push((*loc, t));
                }
            }
        }
        out
    }
}

async fn load_stock(conn: &impl ConnectionTrait, product_ids: &[i64]) -> Result<Stock, SalesError> {
    use sea_orm::sea_query::ExprTrait;
    let whs: Vec<(i64, String, String)> = warehouses::Entity::find()
        .filter(warehouses::Column::Status.eq("active"))
        .order_by_asc(warehouses::Column::Id)
        .all(conn)
        .await?
        .into_iter()
        .map(|w| {
            let region = region_of(&w.address);
            (w.id, w.code, region)
        })
        .collect();
    // Storage locations in use, not frozen by a stock count.
    let locs: HashMap<i64, String> = locations::Entity::find()
        .filter(locations::Column::Kind.eq("storage"))
        .filter(locations::Column::Status.eq("active"))
        .filter(locations::Column::CountId.is_null())
        .all(conn)
        .await?
        .into_iter()
        .map(|l| (l.id, l.code))
        .collect();
    let mut rows: Vec<(i64, i64, i64, i64)> = Vec::new();
    for chunk in product_ids.chunks(500) {
        for b in stock_balances::Entity::find()
            .filter(stock_balances::Column::ProductId.is_in(chunk.iter().copied()))
            .filter(
                Expr::col(stock_balances::Column::OnHand)
                    .sub(Expr::col(stock_balances::Column::Reserved))
                    .gt(0),
            )
            // Locked on PostgreSQL until the allocation commits, so stock taken in between cannot fail it.
            .lock_exclusive()
            .all(conn)
            .await?
        {
            if locs.contains_key(&b.location_id) {
                rows.push((
                    b.warehouse_id,
                    b.product_id,
                    b.location_id,
                    b.on_hand - b.reserved,
                ));
            }
        }
    }
    rows.sort_by(|a, b| (a.0, a.1, &locs[&a.2]).cmp(&(b.0, b.1, &locs[&b.2])));
    let mut by_warehouse: HashMap<i64, WarehouseStock> = HashMap::new();
    for (wh, p, loc, avail) in rows {
        by_warehouse
            .entry(wh)
            .or_default()
            .entry(p)
            .or_default()
            .push((loc, avail));
    }
    Ok(Stock {
        warehouses: whs,
        by_warehouse,
    })
}

/// When an order must ship by: [`SHIP_WITHIN_HOURS`] after payment (or after ordering, cash on delivery).
fn promise(paid_at: Option<DateTime<Utc>>, ordered_at: DateTime<Utc>) -> DateTime<Utc> {
    paid_at.unwrap_or(ordered_at) + Duration::hours(SHIP_WITHIN_HOURS)
}

/// What allocation reads of an approved order: its merge key, priority, times and destination (not the whole
/// row: an allocation run reads every approved order).
#[derive(Debug, Clone, DerivePartialModel)]
#[sea_orm(entity = "orders::Entity")]
pub(crate) struct Approved {
    id: i64,
    channel: String,
    shop: String,
    platform_order_no: String,
    paid: i64,
    refunded: i64,
    buyer: String,
    receiver: String,
    phone: String,
    province: String,
    city: String,
    district: String,
    address: String,
    warehouse_code: String,
    priority: i32,
    ordered_at: DateTime<Utc>,
    paid_at: Option<DateTime<Utc>>,
}

/// What allocation reads of an order line.
#[derive(Debug, Clone, DerivePartialModel)]
#[sea_orm(entity = "lines::Entity")]
struct NeededLine {
    id: i64,
    order_id: i64,
    line_no: i32,
    product_id: Option<i64>,
    qty: i64,
}

/// The province or municipality an address starts with, without its suffix (`上海市浦东新区…` → `上海`,
/// `浙江省杭州市…` → `浙江`, `广西壮族自治区…` → `广西`); empty when the address does not start with one.
pub fn region_of(address: &str) -> String {
    let a = address.trim();
    for suffix in [
        "壮族自治区",
        "回族自治区",
        "维吾尔自治区",
        "自治区",
        "特别行政区",
        "省",
        "市",
    ] {
        if let Some(i) = a.find(suffix) {
            let head = &a[..i];
            if (2..=4).contains(&head.chars().count()) {
                return head.to_string();
            }
        }
    }
    String::new()
}

/// A parcel line drawn up: (order id, order line id, product, location, qty).
type DraftLine = (i64, i64, i64, i64, i64);

/// A parcel drawn up in memory before it is written.
pub(crate) struct Draft {
    warehouse_id: i64,
    main_order_id: i64,
    priority: i32,
    promised_at: Option<DateTime<Utc>>,
    lines: Vec<DraftLine>,
}

/// Chooses warehouses for one group of needs (one order, or the orders of a merge) and takes their stock.
fn plan(
    stock: &mut Stock,
    needs: &mut [Need],
    assigned: Option<i64>,
    ship_to: &str,
    split: bool,
) -> Vec<(i64, Vec<DraftLine>)> {
    let mut out = Vec::new();
    let candidates: Vec<i64> = match assigned {
        Some(w) => vec![w],
        None => stock.warehouses.iter().map(|w| w.0).collect(),
    };
    let in_region = |stock: &Stock, wh: i64| -> bool {
        stock
            .warehouses
            .iter()
            .find(|w| w.0 == wh)
            .is_some_and(|w| !w.2.is_empty() && ship_to.contains(w.2.as_str()))
    };
    // Per product, the units still needed (a product may be on several lines).
    let wanted = |needs: &[Need]| -> BTreeMap<i64, i64> {
        let mut m = BTreeMap::new();
        for n in needs.iter().filter(|n| n.qty > 0) {
            *m.entry(n.product_id).or_default() += n.qty;
        }
        m
    };
    loop {
        let want = wanted(needs);
        if want.is_empty() {
            break;
        }
        // (can ship all, in region, units it can ship, −id) — the best is the largest.
        let best = candidates
            .iter()
            .map(|&wh| {
                let units: i64 = want
                    .iter()
                    .map(|(p, q)| stock.available(wh, *p).min(*q))
                    .sum();
                let all = want.iter().all(|(p, q)| stock.available(wh, *p) >= *q);
                (all, in_region(stock, wh), units, -wh)
            })
            .filter(|c| c.2 > 0)
            .max();
        let Some((all, _, _, neg_wh)) = best else {
            break;
        };
        if !all && !split {
            break;
        }
        let wh = -neg_wh;
        let mut lines = Vec::new();
        for n in needs.iter_mut().filter(|n| n.qty > 0) {
            for (loc, q) in stock.take(wh, n.product_id, n.qty) {
                n.qty -= q;
                lines.push((n.order_id, n.line_id, n.product_id, loc, q));
            }
        }
        if lines.is_empty() {
            break;
        }
        out.push((wh, lines));
        if all {
            break;
        }
    }
    out
}

/// The merge key of an order (合单): orders with the same key go into one parcel.
fn merge_key(o: &Approved) -> Option<String> {
    if o.paid <= 0 || o.refunded != 0 || o.buyer.trim().is_empty() && o.phone.trim().is_empty() {
        return None;
    }
    Some(
        [
            o.channel.as_str(),
            &o.shop,
            &o.buyer,
            &o.receiver,
            &o.phone,
            &o.province,
            &o.city,
            &o.district,
            &o.address,
            &o.warehouse_code,
        ]
        .iter()
        .map(|s| s.trim())
        .collect::<Vec<_>>()
        .join("\u{1f}"),
    )
}

/// Allocates approved orders (or the given ones) to warehouses: parcels written and stock reserved in one
/// transaction; what cannot be allocated waits.
pub async fn allocate(
    desk: &Shopdesk,
    actor: &Actor,
    opts: &AllocateOptions,
) -> Result<AllocationSummary, SalesError> {
    actor.require(Permission::ReserveStock)?;
    let txn = desk.bulk_txn(&TABLES).await?;
    let summary = allocate_in(desk, &txn, actor, opts).await?;
    desk.commit_bulk(txn).await?;
    Ok(summary)
}

/// The tables an allocation writes most (analysed first on PostgreSQL).
pub(crate) const TABLES: [&str; 3] = ["sales_orders", "parcel_lines", "stock_balances"];

/// [`allocate`] in the caller's transaction.
pub(crate) async fn allocate_in(
    desk: &Shopdesk,
    txn: &impl ConnectionTrait,
    actor: &Actor,
    opts: &AllocateOptions,
) -> Result<AllocationSummary, SalesError> {
    actor.require(Permission::ReserveStock)?;
    let t0 = std::time::Instant::now();
    let q = orders::Entity::find().filter(orders::Column::Status.eq("approved"));
    let mut targets = Vec::new();
    match &opts.order_ids {
        Some(ids) if ids.is_empty() => return Ok(AllocationSummary::default()),
        Some(ids) => {
            for chunk in ids.chunks(500) {
                targets.extend(
                    q.clone()
                        .filter(orders::Column::Id.is_in(chunk.iter().copied()))
                        .lock_exclusive()
                        .into_partial_model::<Approved>()
                        .all(txn)
                        .await?,
                );
            }
        }
        None => {
            targets = q
                .lock_exclusive()
                .into_partial_model::<Approved>()
                .all(txn)
                .await?
        }
    }
    if targets.is_empty() {
        return Ok(AllocationSummary::default());
    }
    // What each line still needs: its quantity less what live parcels already hold.
    let mut needs: HashMap<i64, Vec<Need>> = HashMap::new();
    let mut unmapped: HashSet<i64> = HashSet::new();
    let ids: Vec<i64> = targets.iter().map(|o| o.id).collect();
    // What live parcels already hold of these orders' lines: one query for a whole run, else per 500 orders.
    let mut held: HashMap<i64, i64> = HashMap::new();
    let held_query = parcel_lines::Entity::find()
        .select_only()
        .column(parcel_lines::Column::OrderLineId)
        .column(parcel_lines::Column::Qty)
        .inner_join(parcels::Entity)
        .filter(parcels::Column::Status.is_not_in(DEAD));
    // A whole run's orders are every approved order.
    let approved = sea_orm::sea_query::Query::select()
        .column(orders::Column::Id)
        .from(orders::Entity)
        .and_where(orders::Column::Status.eq("approved"))
        .to_owned();
    let held_batches: Vec<_> = if opts.order_ids.is_none() {
        vec![held_query.filter(parcel_lines::Column::OrderId.in_subquery(approved.clone()))]
    } else {
        ids.chunks(500)
            .map(|chunk| {
                held_query
                    .clone()
                    .filter(parcel_lines::Column::OrderId.is_in(chunk.iter().copied()))
            })
            .collect()
    };
    for q in held_batches {
        for (line_id, qty) in q.into_tuple::<(i64, i64)>().all(txn).await? {
            *held.entry(line_id).or_default() += qty;
        }
    }
    // Their lines: one query for a whole run, else per 500 orders; in line order within each order (sorted here).
    let line_batches: Vec<_> = if opts.order_ids.is_none() {
        vec![lines::Entity::find().filter(lines::Column::OrderId.in_subquery(approved))]
    } else {
        ids.chunks(500)
            .map(|chunk| {
                lines::Entity::find().filter(lines::Column::OrderId.is_in(chunk.iter().copied()))
            })
            .collect()
    };
    let mut needed: Vec<NeededLine> = Vec::new();
    for q in line_batches {
        needed.extend(q.into_partial_model::<NeededLine>().all(txn).await?);
    }
    tracing::debug!(
        orders = targets.len(),
        lines = needed.len(),
        ms = t0.elapsed().as_millis() as u64,
        "allocation read"
    );
    needed.sort_unstable_by_key(|l| (l.order_id, l.line_no, l.id));
    for l in needed {
        let Some(p) = l.product_id else {
            unmapped.insert(l.order_id);
            continue;
        };
        let qty = l.qty - held.get(&l.id).copied().unwrap_or(0);
        if qty > 0 {
            needs.entry(l.order_id).or_default().push(Need {
                order_id: l.order_id,
                line_id: l.id,
                product_id: p,
                qty,
            });
        }
    }
    let run = Run {
        targets,
        needs,
        unmapped,
        settled: None,
    };
    let drafts = run.plan(txn, opts).await?;
    tracing::debug!(
        parcels = drafts.len(),
        ms = t0.elapsed().as_millis() as u64,
        "allocation planned"
    );
    let summary = run.write(desk, txn, actor, drafts, true).await?;
    tracing::debug!(ms = t0.elapsed().as_millis() as u64, "allocation written");
    Ok(summary)
}

/// One allocation run in memory: the orders to allocate, what each line still needs, and the orders with
/// lines not mapped to a product (they wait).
pub(crate) struct Run {
    targets: Vec<Approved>,
    needs: HashMap<i64, Vec<Need>>,
    unmapped: HashSet<i64>,
    /// The outcomes of the drafts planned, once taken ([`Run::outcomes`]), for [`Run::write`]: with how many
    /// drafts they were taken from.
    settled: Option<(usize, Outcomes)>,
}

/// How each order (by id) comes out of a run, with the units it still lacks per product.
type Outcomes = HashMap<i64, (Outcome, Vec<(i64, i64)>)>;

/// How an order came out of an allocation run.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Outcome {
    Allocated,
    Partial,
    Waiting,
}

impl Run {
    /// Orders about to be stored (an import allocating as it reviews, 自动分仓), under the ids given to them
    /// (`db::reserve_ids`): each order's id, and each line's id, product and quantity. Nothing is held for them yet.
    pub(crate) fn incoming<'a>(
        orders: impl IntoIterator<Item = (i64, &'a orders::Model, Vec<(i64, Option<i64>, i64)>)>,
    ) -> Self {
        let mut run = Run {
            targets: Vec::new(),
            needs: HashMap::new(),
            unmapped: HashSet::new(),
            settled: None,
        };
        for (id, o, ls) in orders {
            run.targets.push(Approved {
                id,
                channel: o.channel.clone(),
                shop: o.shop.clone(),
                platform_order_no: o.platform_order_no.clone(),
                paid: o.paid,
                refunded: o.refunded,
                buyer: o.buyer.clone(),
                receiver: o.receiver.clone(),
                phone: o.phone.clone(),
                province: o.province.clone(),
                city: o.city.clone(),
                district: o.district.clone(),
                address: o.address.clone(),
                warehouse_code: o.warehouse_code.clone(),
                priority: o.priority,
                ordered_at: o.ordered_at,
                paid_at: o.paid_at,
            });
            for (line_id, product_id, qty) in ls {
                match product_id {
                    None => {
                        run.unmapped.insert(id);
                    }
                    Some(product_id) if qty > 0 => run.needs.entry(id).or_default().push(Need {
                        order_id: id,
                        line_id,
                        product_id,
                        qty,
                    }),
                    Some(_) => {}
                }
            }
        }
        run
    }

    /// Draws up the run's parcels from the stock there is (locked on PostgreSQL until the transaction ends).
    pub(crate) async fn plan(
        &self,
        txn: &impl ConnectionTrait,
        opts: &AllocateOptions,
    ) -> Result<Vec<Draft>, SalesError> {
        let targets = &self.targets;
        let mut order: Vec<usize> = (0..targets.len()).collect();
        // Highest priority first, then the earliest paid.
        order.sort_by_key(|&i| {
            let o = &targets[i];
            (std::cmp::Reverse(o.priority), o.paid_at, o.ordered_at, o.id)
        });
        let mut product_ids: Vec<i64> = self
            .needs
            .values()
            .flatten()
            .map(|n| n.product_id)
            .collect();
        product_ids.sort_unstable();
        product_ids.dedup();
        let mut stock = load_stock(txn, &product_ids).await?;
        let wh_by_code: HashMap<String, i64> = stock
            .warehouses
            .iter()
            .map(|w| (w.1.clone(), w.0))
            .collect();
        // Groups: merged orders together (in the order of their first member), else one order each.
        let mut groups: Vec<Vec<usize>> = Vec::new();
        let mut by_key: HashMap<String, usize> = HashMap::new();
        for &i in &order {
            let o = &targets[i];
            if self.unmapped.contains(&o.id) {
                continue;
            }
            match merge_key(o).filter(|_| opts.merge) {
                Some(k) => {
                    if let Some(&g) = by_key.get(&k) {
                        groups[g].push(i);
                    } else {
                        by_key.insert(k, groups.len());
                        groups.push(vec![i]);
                    }
                }
                None => groups.push(vec![i]),
            }
        }
        let needs_of = |i: usize| self.needs.get(&targets[i].id).cloned().unwrap_or_default();
        let mut drafts: Vec<Draft> = Vec::new();
        for g in &groups {
            let first = &targets[g[0]];
            let assigned = if first.warehouse_code.is_empty() {
                None
            } else {
                match wh_by_code.get(&first.warehouse_code) {
                    Some(w) => Some(*w),
                    // A rule named a warehouse that is not active: the orders wait rather than ship elsewhere.
                    None => continue,
                }
            };
            let mut group_needs: Vec<Need> = g.iter().flat_map(|&i| needs_of(i)).collect();
            let ship_to = format!("{}{}{}", first.province, first.city, first.address);
            let mut planned = plan(&mut stock, &mut group_needs, assigned, &ship_to, opts.split);
            if g.len() > 1 && group_needs.iter().any(|n| n.qty > 0) {
                // The merged parcel does not fit: give its stock back and let each order go on its own.
                for (wh, lines) in planned.drain(..) {
                    for (_, _, product, loc, qty) in lines {
                        stock.give_back(wh, product, loc, qty);
                    }
                }
                for &i in g {
                    let mut own = needs_of(i);
                    for (wh, lines) in plan(&mut stock, &mut own, assigned, &ship_to, opts.split) {
                        drafts.push(Draft {
                            warehouse_id: wh,
                            main_order_id: targets[i].id,
                            priority: targets[i].priority,
                            promised_at: Some(promise(targets[i].paid_at, targets[i].ordered_at)),
                            lines,
                        });
                    }
                }
                continue;
            }
            let priority = g.iter().map(|&i| targets[i].priority).max().unwrap_or(0);
            let promised_at = g
                .iter()
                .map(|&i| promise(targets[i].paid_at, targets[i].ordered_at))
                .min();
            for (wh, lines) in planned {
                drafts.push(Draft {
                    warehouse_id: wh,
                    main_order_id: first.id,
                    priority,
                    promised_at,
                    lines,
                });
            }
        }
        Ok(drafts)
    }

    /// How each order (by id) comes out of the parcels drawn up, with the units it still lacks per product;
    /// kept for [`Run::write`], which must then be given the same drafts.
    pub(crate) fn outcomes(&mut self, drafts: &[Draft]) -> &Outcomes {
        let settled = self.take_outcomes(drafts);
        &self.settled.insert((drafts.len(), settled)).1
    }

    /// The outcomes kept by [`Run::outcomes`] if they were taken from these drafts, else settled now.
    fn take_outcomes(&mut self, drafts: &[Draft]) -> Outcomes {
        match self.settled.take() {
            Some((n, o)) if n == drafts.len() => o,
            _ => self.settle(drafts),
        }
    }

    fn settle(&self, drafts: &[Draft]) -> Outcomes {
        let mut parcels_of: HashMap<i64, usize> = HashMap::new();
        let mut units_of: HashMap<i64, i64> = HashMap::new();
        for d in drafts {
            let mut seen = HashSet::new();
            for l in &d.lines {
                if seen.insert(l.0) {
                    *parcels_of.entry(l.0).or_default() += 1;
                }
                *units_of.entry(l.1).or_default() += l.4;
            }
        }
        self.targets
            .iter()
            .map(|o| {
                let ns = self.needs.get(&o.id).map(Vec::as_slice).unwrap_or(&[]);
                let short: Vec<(i64, i64)> = ns
                    .iter()
                    .map(|n| {
                        (
                            n.product_id,
                            n.qty - units_of.get(&n.line_id).copied().unwrap_or(0),
                        )
                    })
                    .filter(|(_, q)| *q > 0)
                    .collect();
                let in_parcels = parcels_of.get(&o.id).copied().unwrap_or(0);
                let outcome = if self.unmapped.contains(&o.id) {
                    Outcome::Waiting
                } else if short.is_empty() && (in_parcels > 0 || ns.is_empty()) {
                    Outcome::Allocated
                } else if in_parcels > 0 {
                    Outcome::Partial
                } else {
                    Outcome::Waiting
                };
                (o.id, (outcome, short))
            })
            .collect()
    }

    /// Writes the parcels drawn up and reserves their stock, gives each order its timeline event, marks the
    /// wholly allocated orders `allocated` (with `mark`; an import stores them so) and audits the run.
    pub(crate) async fn write(
        mut self,
        desk: &Shopdesk,
        txn: &impl ConnectionTrait,
        actor: &Actor,
        drafts: Vec<Draft>,
        mark: bool,
    ) -> Result<AllocationSummary, SalesError> {
        let outcomes = self.take_outcomes(&drafts);
        self.targets
            .sort_by_key(|o| (std::cmp::Reverse(o.priority), o.paid_at, o.ordered_at, o.id));
        let mut summary = AllocationSummary {
            orders: self.targets.len() as u64,
            ..Default::default()
        };
        // One run number for the run's reservations in the stock ledger (its parcels hold the detail).
        let run = if drafts.is_empty() {
            None
        } else {
            Some(crate::docno::next(txn, "AL", desk.biz_date(desk.now())).await?)
        };
        let nos = write_parcels(desk, txn, actor, &drafts, run.as_deref()).await?;
        let mut parcels_of: HashMap<i64, Vec<usize>> = HashMap::new();
        for (d, draft) in drafts.iter().enumerate() {
            for l in &draft.lines {
                // Drafts come in order, so an order already in this one has it last.
                let ds = parcels_of.entry(l.0).or_default();
                if ds.last() != Some(&d) {
                    ds.push(d);
                }
            }
        }
        let mut allocated_ids = Vec::new();
        // The first 200 orders still waiting.
        let mut waiting: Vec<Waiting> = Vec::new();
        let now = desk.now();
        let mut events = Vec::new();
        for o in &self.targets {
            let (outcome, short) = &outcomes[&o.id];
            let oid = o.id;
            let mine = parcels_of.get(&oid).map(Vec::as_slice).unwrap_or(&[]);
            match outcome {
                Outcome::Allocated => {
                    summary.allocated += 1;
                    allocated_ids.push(oid);
                }
                Outcome::Partial => summary.partial += 1,
                Outcome::Waiting => summary.waiting += 1,
            }
            if self.unmapped.contains(&o.id) {
                continue;
            }
            if mine.len() > 1 {
                summary.split_orders += 1;
            }
            if mine
                .iter()
                .any(|d| drafts[*d].lines.iter().any(|l| l.0 != oid))
            {
                summary.merged_orders += 1;
            }
            if !short.is_empty() && waiting.len() < 200 {
                waiting.push((oid, o.platform_order_no.clone(), short.clone()));
            }
            if !mine.is_empty() {
                let nos: Vec<&str> = mine.iter().map(|d| nos[*d].as_str()).collect();
                events.push(event(
                    oid,
                    now,
                    actor,
                    "allocated",
                    serde_json::json!({
                        "parcels": nos,
                        "run": run,
                        "waiting": short.iter().map(|(_, q)| q).sum::<i64>(),
                    }),
                ));
            } else if !short.is_empty() {
                events.push(event(
                    oid,
                    now,
                    actor,
                    "waiting_stock",
                    serde_json::json!({ "short": short.iter().map(|(_, q)| q).sum::<i64>() }),
                ));
            }
        }
        summary.parcels = drafts.len() as u64;
        summary.units = drafts.iter().flat_map(|d| &d.lines).map(|l| l.4).sum();
        summary.waiting_orders = name_shortages(txn, waiting).await?;
        if mark && !allocated_ids.is_empty() {
            // One statement for the whole run, the ids bound as one JSON array.
            let backend = txn.get_database_backend();
            let at = if backend == sea_orm::DbBackend::Postgres {
                "$1"
            } else {
                "?"
            };
            let sql = format!(
                "UPDATE sales_orders SET status = 'allocated', updated_at = {at} \
                 WHERE status = 'approved' AND id IN ({})",
                crate::db::ids_subquery(backend, 2)
            );
            txn.execute_raw(sea_orm::Statement::from_sql_and_values(
                backend,
                sql,
                [now.into(), crate::db::ids_json(&allocated_ids)],
            ))
            .await?;
        }
        crate::db::insert_all(txn, events).await?;
        audit::record(
            desk,
            txn,
            actor,
            Action::Update,
            "order_allocation",
            None::<i64>,
            run.as_deref().unwrap_or("allocate"),
            None::<&()>,
            Some(&serde_json::json!({
                "orders": summary.orders,
                "allocated": summary.allocated,
                "partial": summary.partial,
                "waiting": summary.waiting,
                "parcels": summary.parcels,
                "units": summary.units,
            })),
        )
        .await?;
        Ok(summary)
    }
}

/// An order still waiting: its id, platform number and (product, units short).
type Waiting = (i64, String, Vec<(i64, i64)>);

/// The waiting orders (at most 200) with the SKU codes of what they lack.
async fn name_shortages(
    conn: &impl ConnectionTrait,
    waiting: Vec<Waiting>,
) -> Result<Vec<WaitingOrder>, SalesError> {
    let skus = crate::masterdata::products::sku_codes(
        conn,
        waiting
            .iter()
            .flat_map(|w| w.2.iter().map(|s| s.0))
            .collect(),
    )
    .await?;
    Ok(waiting
        .into_iter()
        .map(|(order_id, platform_order_no, short)| WaitingOrder {
            order_id,
            platform_order_no,
            shortages: short
                .into_iter()
                .map(|(p, qty)| Shortage {
                    sku: skus.get(&p).cloned().unwrap_or_default(),
                    qty,
                })
                .collect(),
        })
        .collect())
}

/// Writes the drafted parcels and their lines and reserves their stock, in the caller's transaction. The stock
/// ledger gets one `reserve` entry per parcel line, or with `run` (an allocation run) one per SKU × location for the
/// whole run under the run's number: each parcel line still records what it holds where, and releasing or shipping
/// a parcel posts its own entries.
async fn write_parcels(
    desk: &Shopdesk,
    txn: &impl ConnectionTrait,
    actor: &Actor,
    drafts: &[Draft],
    run: Option<&str>,
) -> Result<Vec<String>, SalesError> {
    let now = desk.now();
    let nos = crate::docno::next_block(txn, "PK", desk.biz_date(now), drafts.len()).await?;
    // One bulk insert for all the parcels (each statement built while the one before runs), with their ids given
    // before (nothing read back).
    let ids = crate::db::reserve_ids(txn, "parcels", drafts.len()).await?;
    let models = drafts
        .iter()
        .zip(&nos)
        .zip(&ids)
        .map(|((d, no), id)| parcels::ActiveModel {
            id: Set(*id),
            parcel_no: Set(no.clone()),
            warehouse_id: Set(d.warehouse_id),
            main_order_id: Set(d.main_order_id),
            status: Set("allocated".into()),
            wave_id: Set(None),
            wave_slot: Set(0),
            priority: Set(d.priority),
            units: Set(d.lines.iter().map(|l| l.4).sum()),
            carrier: Set(String::new()),
            service: Set(String::new()),
            tracking_no: Set(String::new()),
            weight_grams: Set(0),
            promised_at: Set(d.promised_at),
            packed_at: Set(None),
            packed_by: Set(String::new()),
            shipped_at: Set(None),
            shipped_by: Set(String::new()),
            delivered_at: Set(None),
            last_tracking_at: Set(None),
            exception: Set(String::new()),
            exception_note: Set(String::new()),
            resolution: Set(String::new()),
            claim_amount: Set(0),
            reship_of: Set(None),
            created_at: Set(now),
            updated_at: Set(now),
        });
    crate::db::insert_all(txn, models).await?;
    let pls = drafts.iter().zip(&ids).flat_map(|(d, pid)| {
        let pid = *pid;
        d.lines
            .iter()
            .map(move |&(order_id, line_id, product_id, location_id, qty)| {
                parcel_lines::ActiveModel {
                    parcel_id: Set(pid),
                    order_id: Set(order_id),
                    order_line_id: Set(line_id),
                    product_id: Set(product_id),
                    location_id: Set(location_id),
                    qty: Set(qty),
                    checked: Set(0),
                    ..Default::default()
                }
            })
    });
    let changes: Vec<ReservationChange> = match run {
        Some(run) => {
            let mut sums: BTreeMap<(i64, i64), i64> = BTreeMap::new();
            for l in drafts.iter().flat_map(|d| &d.lines) {
                *sums.entry((l.2, l.3)).or_default() += l.4;
            }
            sums.into_iter()
                .map(|((product_id, location_id), qty)| ReservationChange {
                    product_id,
                    location_id,
                    qty,
                    doc_type: "allocation".into(),
                    doc_no: run.to_string(),
                    doc_line: None,
                })
                .collect()
        }
        None => drafts
            .iter()
            .zip(&nos)
            .flat_map(|(d, no)| {
                d.lines.iter().map(move |l| ReservationChange {
                    product_id: l.2,
                    location_id: l.3,
                    qty: l.4,
                    doc_type: "parcel".into(),
                    doc_no: no.clone(),
                    doc_line: Some(l.1),
                })
            })
            .collect(),
    };
    crate::db::insert_all(txn, pls).await?;
    inventory::post_reservations(desk, txn, actor, &changes).await?;
    Ok(nos)
}

/// One parcel drawn up by hand: a warehouse and `(line_no, qty)` of the order's lines.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct HandParcel {
    pub warehouse: String,
    pub lines: Vec<HandLine>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct HandLine {
    pub line_no: i32,
    #[ts(type = "number")]
    pub qty: i64,
}

/// Split by hand (手工拆单): the order (approved, or held — it is approved by this, with the note) goes into the
/// parcels the user drew up, each from its warehouse's storage locations; what the parcels leave out waits for a
/// later allocation. Refused if a parcel asks for more than a line has left or the warehouse has.
pub async fn allocate_by_hand(
    desk: &Shopdesk,
    actor: &Actor,
    order_id: i64,
    parts: &[HandParcel],
    note: &str,
) -> Result<Vec<String>, SalesError> {
    actor.require(Permission::ReserveStock)?;
    actor.require(Permission::EditOrders)?;
    if note.trim().is_empty() {
        return Err(invalid("note", "required"));
    }
    if parts.is_empty() || parts.iter().any(|p| p.lines.iter().all(|l| l.qty <= 0)) {
        return Err(invalid("parcels", "required"));
    }
    let txn = desk.write_txn().await?;
    let o = orders::Entity::find_by_id(order_id)
        .lock_exclusive()
        .one(&txn)
        .await?
        .ok_or_else(|| SalesError::NotFound {
            entity: "sales_order",
            key: order_id.to_string(),
        })?;
    if !["approved", "held"].contains(&o.status.as_str()) {
        return Err(invalid("status", "not_open"));
    }
    let ls = lines::Entity::find()
        .filter(lines::Column::OrderId.eq(order_id))
        .all(&txn)
        .await?;
    let mut left: HashMap<i32, (i64, i64, i64)> = HashMap::new(); // line_no → (line id, product, qty left)
    let mut in_parcels: HashMap<i64, i64> = HashMap::new();
    for (line_id, qty) in parcel_lines::Entity::find()
        .select_only()
        .column(parcel_lines::Column::OrderLineId)
        .column(parcel_lines::Column::Qty)
        .inner_join(parcels::Entity)
        .filter(parcel_lines::Column::OrderId.eq(order_id))
        .filter(parcels::Column::Status.is_not_in(DEAD))
        .into_tuple::<(i64, i64)>()
        .all(&txn)
        .await?
    {
        *in_parcels.entry(line_id).or_default() += qty;
    }
    for l in &ls {
        if let Some(p) = l.product_id {
            left.insert(
                l.line_no,
                (l.id, p, l.qty - in_parcels.get(&l.id).copied().unwrap_or(0)),
            );
        }
    }
    let products: Vec<i64> = left.values().map(|v| v.1).collect();
    let mut stock = load_stock(&txn, &products).await?;
    let mut drafts = Vec::new();
    for (i, part) in parts.iter().enumerate() {
        let wh = stock
            .warehouses
            .iter()
            .find(|w| w.1 == part.warehouse.trim())
            .map(|w| w.0)
            .ok_or_else(|| SalesError::NotFound {
                entity: "warehouse",
                key: part.warehouse.clone(),
            })?;
        let mut dl = Vec::new();
        for hl in part.lines.iter().filter(|l| l.qty > 0) {
            let field = format!("parcels[{i}].line_{}", hl.line_no);
            let Some(entry) = left.get_mut(&hl.line_no) else {
                return Err(invalid(&field, "unknown_line"));
            };
            if hl.qty > entry.2 {
                return Err(invalid(&field, "more_than_ordered"));
            }
            entry.2 -= hl.qty;
            let got = stock.take(wh, entry.1, hl.qty);
            if got.iter().map(|g| g.1).sum::<i64>() < hl.qty {
                return Err(invalid(&field, "out_of_stock"));
            }
            for (loc, q) in got {
                dl.push((order_id, entry.0, entry.1, loc, q));
            }
        }
        drafts.push(Draft {
            warehouse_id: wh,
            main_order_id: order_id,
            priority: o.priority,
            promised_at: Some(promise(o.paid_at, o.ordered_at)),
            lines: dl,
        });
    }
    let nos = write_parcels(desk, &txn, actor, &drafts, None).await?;
    let now = desk.now();
    // Approved by this (a held order), then as far as its parcels go: allocated once every unit of every line,
    // mapped or not, is in a parcel.
    orders::Entity::update_many()
        .col_expr(orders::Column::Status, Expr::value("approved"))
        .col_expr(orders::Column::HoldReasons, Expr::value(""))
        .col_expr(orders::Column::UpdatedAt, Expr::value(now))
        .filter(orders::Column::Id.eq(order_id))
        .exec(&txn)
        .await?;
    let status = sync_order_status(&txn, &[order_id], now)
        .await?
        .pop()
        .map(|(_, _, to)| to)
        .unwrap_or_else(|| "approved".into());
    order_events::Entity::insert(event(
        order_id,
        now,
        actor,
        "split",
        serde_json::json!({ "parcels": nos, "note": note.trim(), "from": o.status }),
    ))
    .exec(&txn)
    .await?;
    audit::record(
        desk,
        &txn,
        actor,
        Action::Update,
        "sales_order",
        Some(order_id),
        &o.platform_order_no,
        Some(&serde_json::json!({ "status": o.status })),
        Some(&serde_json::json!({ "status": status, "parcels": nos, "note": note.trim() })),
    )
    .await?;
    txn.commit().await?;
    Ok(nos)
}

/// Orders that an allocation would merge (合单): approved orders sharing a merge key, two or more per group.
pub async fn merge_candidates(
    desk: &Shopdesk,
    actor: &Actor,
) -> Result<Vec<Vec<String>>, SalesError> {
    actor.require(Permission::ViewOrders)?;
    let rows = orders::Entity::find()
        .filter(orders::Column::Status.eq("approved"))
        .order_by_asc(orders::Column::OrderedAt)
        .into_partial_model::<Approved>()
        .all(desk.db())
        .await?;
    let mut groups: BTreeMap<String, Vec<String>> = BTreeMap::new();
    for o in &rows {
        if let Some(k) = merge_key(o) {
            groups
                .entry(k)
                .or_default()
                .push(o.platform_order_no.clone());
        }
    }
    Ok(groups.into_values().filter(|g| g.len() > 1).collect())
}

/// Recomputes the status of orders from their parcels: wholly in live parcels → the least advanced parcel's step
/// (allocated, picking, packed, shipped); otherwise approved (it waits for allocation). Orders already completed,
/// closed or cancelled are left as they are.
pub(crate) async fn sync_order_status(
    conn: &impl ConnectionTrait,
    order_ids: &[i64],
    now: DateTime<Utc>,
) -> Result<Vec<(i64, String, String)>, SalesError> {
    const STEPS: &[&str] = &["allocated", "picking", "packed", "shipped"];
    let mut changed = Vec::new();
    for chunk in order_ids.chunks(300) {
        let os = orders::Entity::find()
            .filter(orders::Column::Id.is_in(chunk.iter().copied()))
            .all(conn)
            .await?;
        let mut ordered: HashMap<i64, i64> = HashMap::new();
        for (oid, qty) in lines::Entity::find()
            .select_only()
            .column(lines::Column::OrderId)
            .column(lines::Column::Qty)
            .filter(lines::Column::OrderId.is_in(chunk.iter().copied()))
            .into_tuple::<(i64, i64)>()
            .all(conn)
            .await?
        {
            *ordered.entry(oid).or_default() += qty;
        }
        let mut placed: HashMap<i64, (i64, usize)> = HashMap::new();
        for (oid, qty, status) in parcel_lines::Entity::find()
            .select_only()
            .column(parcel_lines::Column::OrderId)
            .column(parcel_lines::Column::Qty)
            .column(parcels::Column::Status)
            .inner_join(parcels::Entity)
            .filter(parcel_lines::Column::OrderId.is_in(chunk.iter().copied()))
            .filter(parcels::Column::Status.is_not_in(DEAD))
            .into_tuple::<(i64, i64, String)>()
            .all(conn)
            .await?
        {
            let step = STEPS
                .iter()
                .position(|s| *s == status)
                .unwrap_or(STEPS.len() - 1); // delivered counts as shipped
            let e = placed.entry(oid).or_insert((0, usize::MAX));
            e.0 += qty;
            e.1 = e.1.min(step);
        }
        for o in os {
            if !["approved", "allocated", "picking", "packed", "shipped"]
                .contains(&o.status.as_str())
            {
                continue;
            }
            let (units, step) = placed.get(&o.id).copied().unwrap_or((0, usize::MAX));
            let to = if units >= ordered.get(&o.id).copied().unwrap_or(0) && step != usize::MAX {
                STEPS[step]
            } else {
                "approved"
            };
            if to != o.status {
                orders::Entity::update_many()
                    .col_expr(orders::Column::Status, Expr::value(to))
                    .col_expr(orders::Column::UpdatedAt, Expr::value(now))
                    .filter(orders::Column::Id.eq(o.id))
                    .exec(conn)
                    .await?;
                changed.push((o.id, o.status.clone(), to.to_string()));
            }
        }
    }
    Ok(changed)
}

/// Cancels a parcel that has not shipped: its reservations are released and its orders go back to allocation.
pub async fn cancel_parcel(
    desk: &Shopdesk,
    actor: &Actor,
    parcel_no: &str,
    note: &str,
) -> Result<(), SalesError> {
    actor.require(Permission::ReserveStock)?;
    if note.trim().is_empty() {
        return Err(invalid("note", "required"));
    }
    let txn = desk.write_txn().await?;
    let p = parcels::Entity::find()
        .filter(parcels::Column::ParcelNo.eq(parcel_no.trim()))
        .lock_exclusive()
        .one(&txn)
        .await?
        .ok_or_else(|| SalesError::NotFound {
            entity: "parcel",
            key: parcel_no.to_string(),
        })?;
    if !["allocated", "picking", "packed"].contains(&p.status.as_str()) {
        return Err(invalid("status", "not_open"));
    }
    cancel_in(desk, &txn, actor, &p, note).await?;
    audit::record(
        desk,
        &txn,
        actor,
        Action::Update,
        "parcel",
        Some(p.id),
        &p.parcel_no,
        Some(&serde_json::json!({ "status": p.status })),
        Some(&serde_json::json!({ "status": "cancelled", "note": note.trim() })),
    )
    .await?;
    txn.commit().await?;
    Ok(())
}

/// Cancels one unshipped parcel in the caller's transaction: reservations released, orders re-synced, events.
async fn cancel_in(
    desk: &Shopdesk,
    txn: &impl ConnectionTrait,
    actor: &Actor,
    p: &parcels::Model,
    note: &str,
) -> Result<(), SalesError> {
    let now = desk.now();
    let done = parcels::Entity::update_many()
        .col_expr(parcels::Column::Status, Expr::value("cancelled"))
        .col_expr(parcels::Column::UpdatedAt, Expr::value(now))
        .filter(parcels::Column::Id.eq(p.id))
        .filter(parcels::Column::Status.is_in(["allocated", "picking", "packed"]))
        .exec(txn)
        .await?;
    if done.rows_affected != 1 {
        return Err(invalid("status", "not_open"));
    }
    let pls = parcel_lines::Entity::find()
        .filter(parcel_lines::Column::ParcelId.eq(p.id))
        .all(txn)
        .await?;
    let changes: Vec<ReservationChange> = pls
        .iter()
        .map(|l| ReservationChange {
            product_id: l.product_id,
            location_id: l.location_id,
            qty: -l.qty,
            doc_type: "parcel".into(),
            doc_no: p.parcel_no.clone(),
            doc_line: Some(l.order_line_id),
        })
        .collect();
    inventory::post_reservations(desk, txn, actor, &changes).await?;
    let mut order_ids: Vec<i64> = pls.iter().map(|l| l.order_id).collect();
    order_ids.sort_unstable();
    order_ids.dedup();
    sync_order_status(txn, &order_ids, now).await?;
    for oid in &order_ids {
        order_events::Entity::insert(event(
            *oid,
            now,
            actor,
            "parcel_cancelled",
            serde_json::json!({ "parcel": p.parcel_no, "note": note.trim() }),
        ))
        .exec(txn)
        .await?;
    }
    if let Some(w) = p.wave_id {
        super::outbound::close_wave_if_done(txn, w).await?;
    }
    Ok(())
}

/// Cancels every unshipped parcel holding any of these orders (the orders were cancelled, or closed by a refund
/// on the platform), in the caller's transaction, so their stock is no longer reserved and they cannot ship.
/// Other orders merged into those parcels go back to allocation. Returns the parcels cancelled.
pub(crate) async fn cancel_open_parcels(
    desk: &Shopdesk,
    txn: &impl ConnectionTrait,
    actor: &Actor,
    order_ids: &[i64],
    note: &str,
) -> Result<Vec<String>, SalesError> {
    let mut out = Vec::new();
    for chunk in order_ids.chunks(500) {
        let ids: Vec<i64> = parcel_lines::Entity::find()
            .select_only()
            .column(parcel_lines::Column::ParcelId)
            .filter(parcel_lines::Column::OrderId.is_in(chunk.iter().copied()))
            .distinct()
            .into_tuple::<i64>()
            .all(txn)
            .await?;
        for part in ids.chunks(500) {
            for p in parcels::Entity::find()
                .filter(parcels::Column::Id.is_in(part.iter().copied()))
                .filter(parcels::Column::Status.is_in(["allocated", "picking", "packed"]))
                .lock_exclusive()
                .all(txn)
                .await?
            {
                cancel_in(desk, txn, actor, &p, note).await?;
                out.push(p.parcel_no);
            }
        }
    }
    Ok(out)
}

/// A new parcel with the same items as `p` from the same warehouse (a reship after a loss), reserved now; the
/// caller records the resolution. Refused when the warehouse no longer has the stock.
pub(crate) async fn reship(
    desk: &Shopdesk,
    txn: &impl ConnectionTrait,
    actor: &Actor,
    p: &parcels::Model,
    pls: &[parcel_lines::Model],
) -> Result<String, SalesError> {
    let products: Vec<i64> = pls.iter().map(|l| l.product_id).collect();
    let mut stock = load_stock(txn, &products).await?;
    let mut lines = Vec::new();
    for l in pls {
        let got = stock.take(p.warehouse_id, l.product_id, l.qty);
        if got.iter().map(|g| g.1).sum::<i64>() < l.qty {
            return Err(invalid("reship", "out_of_stock"));
        }
        for (loc, q) in got {
            lines.push((l.order_id, l.order_line_id, l.product_id, loc, q));
        }
    }
    let now = desk.now();
    let draft = Draft {
        warehouse_id: p.warehouse_id,
        main_order_id: p.main_order_id,
        priority: p.priority.max(10),
        promised_at: Some(now + Duration::hours(SHIP_WITHIN_HOURS)),
        lines,
    };
    let no = write_parcels(desk, txn, actor, std::slice::from_ref(&draft), None)
        .await?
        .remove(0);
    parcels::Entity::update_many()
        .col_expr(parcels::Column::ReshipOf, Expr::value(p.id))
        .filter(parcels::Column::ParcelNo.eq(no.as_str()))
        .exec(txn)
        .await?;
    let mut order_ids: Vec<i64> = pls.iter().map(|l| l.order_id).collect();
    order_ids.sort_unstable();
    order_ids.dedup();
    sync_order_status(txn, &order_ids, now).await?;
    Ok(no)
}

#[cfg(test)]
mod tests {
    use super::region_of;

    #[test]
    fn region_is_the_province_or_municipality_an_address_starts_with() {
        assert_eq!(region_of("上海市浦东新区世纪大道100号"), "上海");
        assert_eq!(region_of("浙江省杭州市余杭区"), "浙江");
        assert_eq!(region_of("广西壮族自治区南宁市"), "广西");
        assert_eq!(region_of("北京市"), "北京");
        assert_eq!(region_of("12 Main Street, Springfield"), "");
        assert_eq!(region_of("中关村大街1号海淀区北京市"), "");
    }
}
