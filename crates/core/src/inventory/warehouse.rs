//! The work of the warehouse between receipt and shipment: putaway (上架) to a suggested location, moves between
//! locations, and transfers between warehouses (调拨) with stock in transit.
//!
//! A move posts a `move_out` and a `move_in` in one transaction; valuation is per warehouse, so a move leaves it
//! as it is. A transfer ships with a `transfer_out` at the source (the goods leave at the source's moving average,
//! and that exact value is kept on the transfer line) and an `in_transit` entry at the destination's receiving
//! location; receiving posts a `transfer_in` that clears the in-transit quantity and brings in exactly the value
//! that left (a partial receipt takes its share by the valuation's outgoing rule, the last units take the rest),
//! so no fen is created or lost between warehouses.

use super::{InventoryError, Movement, MovementKind, post, value_out};
use crate::Shopdesk;
use crate::audit::{self, Action};
use crate::auth::{Actor, Permission};
use crate::entities::{
    locations, products, stock_balances, stock_ledger, stock_transfer_lines as tlines,
    stock_transfers as transfers, warehouses,
};
use crate::error::{FieldError, FieldErrors};
use chrono::{DateTime, Utc};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QueryOrder, Set,
};
use serde::{Deserialize, Serialize};
use std::collections::HashMap;
use ts_rs::TS;

fn invalid(errs: Vec<FieldError>) -> InventoryError {
    InventoryError::Validation(FieldErrors(errs))
}

pub(crate) async fn warehouse_by_code(
    conn: &impl ConnectionTrait,
    code: &str,
) -> Result<Option<warehouses::Model>, InventoryError> {
    Ok(warehouses::Entity::find()
        .filter(warehouses::Column::Code.eq(code.trim()))
        .one(conn)
        .await?)
}

pub(crate) async fn location_by_code(
    conn: &impl ConnectionTrait,
    warehouse_id: i64,
    code: &str,
) -> Result<Option<locations::Model>, InventoryError> {
    Ok(locations::Entity::find()
        .filter(locations::Column::WarehouseId.eq(warehouse_id))
        .filter(locations::Column::Code.eq(code.trim()))
        .one(conn)
        .await?)
}

/// A product by SKU or barcode (what a scanner reads).
pub(crate) async fn product_by_code(
    conn: &impl ConnectionTrait,
    code: &str,
) -> Result<Option<products::Model>, InventoryError> {
    let code = code.trim();
    if let Some(p) = products::Entity::find()
        .filter(products::Column::Sku.eq(code))
        .one(conn)
        .await?
    {
        return Ok(Some(p));
    }
    Ok(products::Entity::find()
        .filter(products::Column::Barcode.eq(code))
        .one(conn)
        .await?)
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct LocationSuggestion {
    pub location_code: String,
    /// `holds_sku` (where this SKU already is), `empty` (an empty storage location) or `first_storage`.
    pub reason: String,
}

/// Where to put a SKU away in a warehouse: the active storage location that already holds most of it; else the
/// first empty storage location; else the first storage location. Frozen locations (being counted) and
/// `except_location` (where the goods are now) are never suggested.
pub async fn suggest_location(
    desk: &Shopdesk,
    actor: &Actor,
    warehouse_code: &str,
    sku: &str,
    except_location: Option<&str>,
) -> Result<LocationSuggestion, InventoryError> {
    actor.require(Permission::ViewMasterData)?;
    let w = warehouse_by_code(desk.db(), warehouse_code)
        .await?
        .ok_or_else(|| invalid(vec![FieldError::new("warehouse_code", "not_found")]))?;
    let p = product_by_code(desk.db(), sku)
        .await?
        .ok_or_else(|| invalid(vec![FieldError::new("sku", "not_found").with("value", sku)]))?;
    let except = match except_location.filter(|c| !c.trim().is_empty()) {
        Some(code) => location_by_code(desk.db(), w.id, code).await?.map(|l| l.id),
        None => None,
    };
    suggest(desk.db(), w.id, p.id, except).await
}

async fn suggest(
    conn: &impl ConnectionTrait,
    warehouse_id: i64,
    product_id: i64,
    except: Option<i64>,
) -> Result<LocationSuggestion, InventoryError> {
    let storage: Vec<locations::Model> = locations::Entity::find()
        .filter(locations::Column::WarehouseId.eq(warehouse_id))
        .filter(locations::Column::Kind.eq("storage"))
        .filter(locations::Column::Status.eq("active"))
        .filter(locations::Column::CountId.is_null())
        .order_by_asc(locations::Column::Code)
        .all(conn)
        .await?
        .into_iter()
        .filter(|l| Some(l.id) != except)
        .collect();
    let balances = stock_balances::Entity::find()
        .filter(stock_balances::Column::WarehouseId.eq(warehouse_id))
        .filter(stock_balances::Column::OnHand.gt(0))
        .all(conn)
        .await?;
    let mut best: Option<(i64, i64)> = None;
    for b in balances.iter().filter(|b| b.product_id == product_id) {
        if storage.iter().any(|l| l.id == b.location_id) && best.is_none_or(|(_, q)| b.on_hand > q)
        {
            best = Some((b.location_id, b.on_hand));
        }
    }
    if let Some((id, _)) = best {
        let l = storage.iter().find(|l| l.id == id).map(|l| l.code.clone());
        return Ok(LocationSuggestion {
            location_code: l.unwrap_or_default(),
            reason: "holds_sku".into(),
        });
    }
    let occupied: std::collections::HashSet<i64> = balances.iter().map(|b| b.location_id).collect();
    if let Some(l) = storage.iter().find(|l| !occupied.contains(&l.id)) {
        return Ok(LocationSuggestion {
            location_code: l.code.clone(),
            reason: "empty".into(),
        });
    }
    storage
        .first()
        .map(|l| LocationSuggestion {
            location_code: l.code.clone(),
            reason: "first_storage".into(),
        })
        .ok_or_else(|| invalid(vec![FieldError::new("to_location", "no_storage_location")]))
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(default)]
pub struct MoveInput {
    pub warehouse_code: String,
    /// SKU or barcode.
    pub sku: String,
    pub from_location: String,
    /// Empty: the suggested location (putaway).
    pub to_location: String,
    #[ts(type = "number")]
    pub qty: i64,
    pub note: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct MoveResult {
    pub sku: String,
    pub from_location: String,
    pub to_location: String,
    #[ts(type = "number")]
    pub qty: i64,
    pub ledger_ids: Vec<i64>,
}

/// Moves stock between two locations of one warehouse (putaway when `to_location` is empty: the suggested
/// location). Only available stock moves: reserved units stay where they were reserved.
pub async fn move_stock(
    desk: &Shopdesk,
    actor: &Actor,
    input: &MoveInput,
) -> Result<MoveResult, InventoryError> {
    actor.require(Permission::PostStock)?;
    let txn = desk.write_txn().await?;
    let mut errs = Vec::new();
    let w = warehouse_by_code(&txn, &input.warehouse_code).await?;
    let p = product_by_code(&txn, &input.sku).await?;
    if w.is_none() {
        errs.push(
            FieldError::new("warehouse_code", "not_found").with("value", &input.warehouse_code),
        );
    }
    if p.is_none() {
        errs.push(FieldError::new("sku", "not_found").with("value", &input.sku));
    }
    if input.qty <= 0 {
        errs.push(FieldError::new("qty", "positive"));
    }
    let (Some(w), Some(p)) = (w, p) else {
        return Err(invalid(errs));
    };
    let from = location_by_code(&txn, w.id, &input.from_location).await?;
    if from.is_none() {
        errs.push(
            FieldError::new("from_location", "not_found").with("value", &input.from_location),
        );
    }
    let to = if input.to_location.trim().is_empty() {
        let s = suggest(&txn, w.id, p.id, from.as_ref().map(|f| f.id)).await?;
        location_by_code(&txn, w.id, &s.location_code).await?
    } else {
        let to = location_by_code(&txn, w.id, &input.to_location).await?;
        if to.is_none() {
            errs.push(
                FieldError::new("to_location", "not_found").with("value", &input.to_location),
            );
        }
        to
    };
    if let (Some(f), Some(t)) = (&from, &to)
        && f.id == t.id
    {
        errs.push(FieldError::new("to_location", "same_location"));
    }
    if !errs.is_empty() {
        return Err(invalid(errs));
    }
    let (from, to) = (from.expect("checked"), to.expect("checked"));
    let doc_no = crate::docno::next(&txn, "MV", desk.biz_date(desk.now())).await?;
    let mv = |kind, location_id, qty| Movement {
        kind,
        product_id: p.id,
        location_id,
        qty,
        reserved: 0,
        in_transit: 0,
        unit_cost: None,
        value: None,
        doc_type: "move".into(),
        doc_no: doc_no.clone(),
        doc_line: None,
        note: input.note.clone(),
    };
    let ids = post(
        desk,
        &txn,
        actor,
        &[
            mv(MovementKind::MoveOut, from.id, -input.qty),
            mv(MovementKind::MoveIn, to.id, input.qty),
        ],
    )
    .await?;
    let out = MoveResult {
        sku: p.sku.clone(),
        from_location: from.code.clone(),
        to_location: to.code.clone(),
        qty: input.qty,
        ledger_ids: ids,
    };
    audit::record(
        desk,
        &txn,
        actor,
        Action::Create,
        "stock_move",
        out.ledger_ids.first().copied(),
        &doc_no,
        None::<&()>,
        Some(&out),
    )
    .await?;
    txn.commit().await?;
    Ok(out)
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(default)]
pub struct TransferLineInput {
    /// SKU or barcode.
    pub sku: String,
    pub from_location: String,
    #[ts(type = "number")]
    pub qty: i64,
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(default)]
pub struct TransferInput {
    pub from_warehouse: String,
    pub to_warehouse: String,
    pub notes: String,
    pub lines: Vec<TransferLineInput>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct TransferLine {
    pub line_no: i32,
    pub sku: String,
    pub name: String,
    pub from_location: String,
    #[ts(type = "number")]
    pub qty: i64,
    /// The exact value that left the source warehouse.
    pub value: String,
    #[ts(type = "number")]
    pub received_qty: i64,
    pub received_value: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct Transfer {
    #[ts(type = "number")]
    pub id: i64,
    pub transfer_no: String,
    pub from_warehouse: String,
    pub to_warehouse: String,
    /// Where the goods wait as in transit at the destination.
    pub transit_location: String,
    /// in_transit | partially_received | received
    pub status: String,
    pub notes: String,
    pub shipped_by: String,
    pub shipped_at: DateTime<Utc>,
    pub received_by: Option<String>,
    pub received_at: Option<DateTime<Utc>>,
    /// Value still in transit.
    pub in_transit_value: String,
    pub lines: Vec<TransferLine>,
}

async fn load_transfer(
    desk: &Shopdesk,
    conn: &impl ConnectionTrait,
    id: i64,
) -> Result<Transfer, InventoryError> {
    let t = transfers::Entity::find_by_id(id)
        .one(conn)
        .await?
        .ok_or(InventoryError::NotFound {
            entity: "transfer",
            id,
        })?;
    let ls = tlines::Entity::find()
        .filter(tlines::Column::TransferId.eq(id))
        .order_by_asc(tlines::Column::LineNo)
        .all(conn)
        .await?;
    let prods: HashMap<i64, products::Model> = products::Entity::find()
        .filter(products::Column::Id.is_in(ls.iter().map(|l| l.product_id)))
        .all(conn)
        .await?
        .into_iter()
        .map(|p| (p.id, p))
        .collect();
    let locs: HashMap<i64, String> = locations::Entity::find()
        .filter(
            locations::Column::Id.is_in(
                ls.iter()
                    .map(|l| l.from_location_id)
                    .chain([t.transit_location_id]),
            ),
        )
        .all(conn)
        .await?
        .into_iter()
        .map(|l| (l.id, l.code))
        .collect();
    let whs: HashMap<i64, String> = warehouses::Entity::find()
        .filter(warehouses::Column::Id.is_in([t.from_warehouse_id, t.to_warehouse_id]))
        .all(conn)
        .await?
        .into_iter()
        .map(|w| (w.id, w.code))
        .collect();
    let fen = |v: i64| super::fen_text(desk, v);
    let in_transit: i64 = ls.iter().map(|l| l.value - l.received_value).sum();
    Ok(Transfer {
        id: t.id,
        transfer_no: t.transfer_no,
        from_warehouse: whs.get(&t.from_warehouse_id).cloned().unwrap_or_default(),
        to_warehouse: whs.get(&t.to_warehouse_id).cloned().unwrap_or_default(),
        transit_location: locs
            .get(&t.transit_location_id)
            .cloned()
            .unwrap_or_default(),
        status: t.status,
        notes: t.notes,
        shipped_by: t.shipped_by,
        shipped_at: t.shipped_at,
        received_by: t.received_by,
        received_at: t.received_at,
        in_transit_value: fen(in_transit),
        lines: ls
            .iter()
            .map(|l| TransferLine {
                line_no: l.line_no,
                sku: prods
                    .get(&l.product_id)
                    .map(|p| p.sku.clone())
                    .unwrap_or_default(),
                name: prods
                    .get(&l.product_id)
                    .map(|p| p.name.clone())
                    .unwrap_or_default(),
                from_location: locs.get(&l.from_location_id).cloned().unwrap_or_default(),
                qty: l.qty,
                value: fen(l.value),
                received_qty: l.received_qty,
                received_value: fen(l.received_value),
            })
            .collect(),
    })
}

pub async fn get_transfer(
    desk: &Shopdesk,
    actor: &Actor,
    transfer_no: &str,
) -> Result<Transfer, InventoryError> {
    actor.require(Permission::ViewMasterData)?;
    let t = transfers::Entity::find()
        .filter(transfers::Column::TransferNo.eq(transfer_no.trim()))
        .one(desk.db())
        .await?
        .ok_or(InventoryError::NotFound {
            entity: "transfer",
            id: 0,
        })?;
    load_transfer(desk, desk.db(), t.id).await
}

/// Transfers, newest first; `open_only` keeps those with goods still in transit.
pub async fn list_transfers(
    desk: &Shopdesk,
    actor: &Actor,
    open_only: bool,
) -> Result<Vec<Transfer>, InventoryError> {
    actor.require(Permission::ViewMasterData)?;
    let mut q = transfers::Entity::find().order_by_desc(transfers::Column::Id);
    if open_only {
        q = q.filter(transfers::Column::Status.is_in(["in_transit", "partially_received"]));
    }
    let mut out = Vec::new();
    for t in q.all(desk.db()).await? {
        out.push(load_transfer(desk, desk.db(), t.id).await?);
    }
    Ok(out)
}

/// Ships a transfer: the goods leave the source locations now and are in transit at the destination.
pub async fn ship_transfer(
    desk: &Shopdesk,
    actor: &Actor,
    input: &TransferInput,
) -> Result<Transfer, InventoryError> {
    actor.require(Permission::PostStock)?;
    let txn = desk.write_txn().await?;
    let mut errs = Vec::new();
    let from = warehouse_by_code(&txn, &input.from_warehouse).await?;
    let to = warehouse_by_code(&txn, &input.to_warehouse).await?;
    if from.is_none() {
        errs.push(
            FieldError::new("from_warehouse", "not_found").with("value", &input.from_warehouse),
        );
    }
    if to.is_none() {
        errs.push(FieldError::new("to_warehouse", "not_found").with("value", &input.to_warehouse));
    }
    if input.lines.is_empty() {
        errs.push(FieldError::new("lines", "required"));
    }
    let (Some(from), Some(to)) = (from, to) else {
        return Err(invalid(errs));
    };
    if from.id == to.id {
        errs.push(FieldError::new("to_warehouse", "same_warehouse"));
    }
    let mut lines = Vec::new();
    for (n, l) in input.lines.iter().enumerate() {
        let f = |name: &str| format!("lines.{n}.{name}");
        let p = product_by_code(&txn, &l.sku).await?;
        let loc = location_by_code(&txn, from.id, &l.from_location).await?;
        if p.is_none() {
            errs.push(FieldError::new(&f("sku"), "not_found").with("value", &l.sku));
        }
        if loc.is_none() {
            errs.push(
                FieldError::new(&f("from_location"), "not_found").with("value", &l.from_location),
            );
        }
        if l.qty <= 0 {
            errs.push(FieldError::new(&f("qty"), "positive"));
        }
        if let (Some(p), Some(loc)) = (p, loc) {
            lines.push((p, loc, l.qty));
        }
    }
    if !errs.is_empty() {
        return Err(invalid(errs));
    }
    // In transit at the destination's receiving location (else its first location).
    let dest_locs = locations::Entity::find()
        .filter(locations::Column::WarehouseId.eq(to.id))
        .order_by_asc(locations::Column::Code)
        .all(&txn)
        .await?;
    let transit = dest_locs
        .iter()
        .find(|l| l.kind == "receiving" && l.status == "active")
        .or_else(|| dest_locs.first())
        .ok_or_else(|| invalid(vec![FieldError::new("to_warehouse", "no_location")]))?
        .clone();
    let now = desk.now();
    let transfer_no = crate::docno::next(&txn, "TR", desk.biz_date(now)).await?;
    let t = transfers::ActiveModel {
        transfer_no: Set(transfer_no.clone()),
        from_warehouse_id: Set(from.id),
        to_warehouse_id: Set(to.id),
        transit_location_id: Set(transit.id),
        status: Set("in_transit".into()),
        notes: Set(input.notes.chars().take(1000).collect()),
        shipped_by: Set(actor.username.clone()),
        shipped_at: Set(now),
        received_by: Set(None),
        received_at: Set(None),
        ..Default::default()
    }
    .insert(&txn)
    .await?;
    for (n, (p, loc, qty)) in lines.iter().enumerate() {
        let line_no = n as i32 + 1;
        let base = |kind, location_id, qty, in_transit| Movement {
            kind,
            product_id: p.id,
            location_id,
            qty,
            reserved: 0,
            in_transit,
            unit_cost: None,
            value: None,
            doc_type: "transfer".into(),
            doc_no: transfer_no.clone(),
            doc_line: Some(line_no.into()),
            note: String::new(),
        };
        let ids = post(
            desk,
            &txn,
            actor,
            &[
                base(MovementKind::TransferOut, loc.id, -qty, 0),
                base(MovementKind::InTransit, transit.id, 0, *qty),
            ],
        )
        .await?;
        let left = stock_ledger::Entity::find_by_id(ids[0])
            .one(&txn)
            .await?
            .map(|e| -e.value)
            .unwrap_or_default();
        tlines::ActiveModel {
            transfer_id: Set(t.id),
            line_no: Set(line_no),
            product_id: Set(p.id),
            from_location_id: Set(loc.id),
            qty: Set(*qty),
            value: Set(left),
            received_qty: Set(0),
            received_value: Set(0),
            ..Default::default()
        }
        .insert(&txn)
        .await?;
    }
    let out = load_transfer(desk, &txn, t.id).await?;
    audit::record(
        desk,
        &txn,
        actor,
        Action::Create,
        "stock_transfer",
        Some(t.id),
        &transfer_no,
        None::<&()>,
        Some(&out),
    )
    .await?;
    txn.commit().await?;
    Ok(out)
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(default)]
pub struct TransferReceiptLine {
    pub line_no: i32,
    #[ts(type = "number")]
    pub qty: i64,
    /// Empty: the suggested storage location.
    pub to_location: String,
}

/// Receives a transfer at the destination: every line in full when `lines` is empty, else the given quantities.
pub async fn receive_transfer(
    desk: &Shopdesk,
    actor: &Actor,
    transfer_no: &str,
    lines: &[TransferReceiptLine],
) -> Result<Transfer, InventoryError> {
    actor.require(Permission::PostStock)?;
    let txn = desk.write_txn().await?;
    let t = transfers::Entity::find()
        .filter(transfers::Column::TransferNo.eq(transfer_no.trim()))
        .one(&txn)
        .await?
        .ok_or(InventoryError::NotFound {
            entity: "transfer",
            id: 0,
        })?;
    if !matches!(t.status.as_str(), "in_transit" | "partially_received") {
        return Err(InventoryError::Status {
            doc_no: t.transfer_no,
            status: t.status,
            action: "receive",
        });
    }
    let before = load_transfer(desk, &txn, t.id).await?;
    let all = tlines::Entity::find()
        .filter(tlines::Column::TransferId.eq(t.id))
        .order_by_asc(tlines::Column::LineNo)
        .all(&txn)
        .await?;
    let wanted: Vec<TransferReceiptLine> = if lines.is_empty() {
        all.iter()
            .filter(|l| l.qty > l.received_qty)
            .map(|l| TransferReceiptLine {
                line_no: l.line_no,
                qty: l.qty - l.received_qty,
                to_location: String::new(),
            })
            .collect()
    } else {
        lines.to_vec()
    };
    let mut errs = Vec::new();
    let mut plan = Vec::new();
    for (n, r) in wanted.iter().enumerate() {
        let f = |name: &str| format!("lines.{n}.{name}");
        let Some(l) = all.iter().find(|l| l.line_no == r.line_no) else {
            errs.push(FieldError::new(&f("line_no"), "not_found").with("value", r.line_no));
            continue;
        };
        if r.qty <= 0 || r.qty > l.qty - l.received_qty {
            errs.push(
                FieldError::new(&f("qty"), "transfer_qty").with("max", l.qty - l.received_qty),
            );
            continue;
        }
        let to = if r.to_location.trim().is_empty() {
            let s = suggest(&txn, t.to_warehouse_id, l.product_id, None).await?;
            location_by_code(&txn, t.to_warehouse_id, &s.location_code).await?
        } else {
            location_by_code(&txn, t.to_warehouse_id, &r.to_location).await?
        };
        let Some(to) = to else {
            errs.push(
                FieldError::new(&f("to_location"), "not_found").with("value", &r.to_location),
            );
            continue;
        };
        plan.push((l.clone(), r.qty, to));
    }
    if !errs.is_empty() {
        return Err(invalid(errs));
    }
    for (l, qty, to) in &plan {
        // The share of the value still in transit, by the valuation's outgoing rule.
        let value = value_out(l.value - l.received_value, l.qty - l.received_qty, *qty);
        let base = |location_id, qty, in_transit, value| Movement {
            kind: MovementKind::TransferIn,
            product_id: l.product_id,
            location_id,
            qty,
            reserved: 0,
            in_transit,
            unit_cost: None,
            value,
            doc_type: "transfer".into(),
            doc_no: t.transfer_no.clone(),
            doc_line: Some(l.line_no.into()),
            note: String::new(),
        };
        let moves = if to.id == t.transit_location_id {
            vec![base(to.id, *qty, -qty, Some(value))]
        } else {
            vec![
                base(t.transit_location_id, 0, -qty, None),
                base(to.id, *qty, 0, Some(value)),
            ]
        };
        post(desk, &txn, actor, &moves).await?;
        tlines::ActiveModel {
            id: Set(l.id),
            received_qty: Set(l.received_qty + qty),
            received_value: Set(l.received_value + value),
            ..Default::default()
        }
        .update(&txn)
        .await?;
    }
    let after_lines = tlines::Entity::find()
        .filter(tlines::Column::TransferId.eq(t.id))
        .all(&txn)
        .await?;
    let status = if after_lines.iter().all(|l| l.received_qty >= l.qty) {
        "received"
    } else {
        "partially_received"
    };
    transfers::ActiveModel {
        id: Set(t.id),
        status: Set(status.into()),
        received_by: Set(Some(actor.username.clone())),
        received_at: Set(Some(desk.now())),
        ..Default::default()
    }
    .update(&txn)
    .await?;
    let out = load_transfer(desk, &txn, t.id).await?;
    audit::record(
        desk,
        &txn,
        actor,
        Action::Update,
        "stock_transfer",
        Some(t.id),
        &out.transfer_no,
        Some(&before),
        Some(&out),
    )
    .await?;
    txn.commit().await?;
    Ok(out)
}
