//! Stocktaking (盘点). A count session takes a warehouse (or some of its locations), freezes those locations
//! (nothing comes in or goes out of them: [`super::post`] refuses it) and records the expected quantity of every
//! SKU there at that moment. Counters enter quantities (typed, or one scan = one unit from a barcode scanner);
//! SKUs found where none were expected are added with an expected quantity of 0. The variances are shown with
//! their value at the warehouse's moving average; a manager approves them, which posts one `adjust` entry per
//! line that differs (盘盈 in at the average, 盘亏 out at the average) and unfreezes the locations, in one
//! transaction. Lines never counted are left as they are (no variance) and listed as such. Cancelling unfreezes
//! without posting anything.

use super::warehouse::{location_by_code, product_by_code, warehouse_by_code};
use super::{InventoryError, Movement, MovementKind, post};
use crate::Shopdesk;
use crate::audit::{self, Action};
use crate::auth::{Actor, Permission};
use crate::entities::{
    locations, products, stock_balances, stock_count_lines as clines, stock_counts as counts,
    stock_valuations,
};
use crate::error::{FieldError, FieldErrors};
use chrono::{DateTime, Utc};
use sea_orm::sea_query::Expr;
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QueryOrder, Set,
};
use serde::{Deserialize, Serialize};
use std::collections::HashMap;
use ts_rs::TS;

fn invalid(errs: Vec<FieldError>) -> InventoryError {
    InventoryError::Validation(FieldErrors(errs))
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(default)]
pub struct CountInput {
    pub warehouse_code: String,
    /// Location codes to count; empty = every location of the warehouse.
    pub locations: Vec<String>,
    pub notes: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct CountLine {
    #[ts(type = "number")]
    pub id: i64,
    pub location: String,
    pub sku: String,
    pub name: String,
    pub barcode: String,
    #[ts(type = "number")]
    pub expected: i64,
    #[ts(type = "number | null")]
    pub counted: Option<i64>,
    /// Counted − expected (0 while not counted).
    #[ts(type = "number")]
    pub variance: i64,
    /// The variance at the warehouse's moving average cost.
    pub variance_value: String,
    pub counted_by: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct StockCount {
    #[ts(type = "number")]
    pub id: i64,
    pub count_no: String,
    pub warehouse_code: String,
    /// counting | approved | cancelled
    pub status: String,
    /// The counted locations (`*` = all).
    pub scope: String,
    pub notes: String,
    pub created_by: String,
    pub created_at: DateTime<Utc>,
    pub decided_by: Option<String>,
    pub decided_at: Option<DateTime<Utc>>,
    #[ts(type = "number")]
    pub lines_total: i64,
    #[ts(type = "number")]
    pub lines_counted: i64,
    #[ts(type = "number")]
    pub lines_with_variance: i64,
    /// Sum of the variances' values (盘盈 − 盘亏).
    pub variance_value: String,
    pub lines: Vec<CountLine>,
}

/// Average cost (fen per unit, as an exact ratio) per product in a warehouse.
async fn averages(
    conn: &impl ConnectionTrait,
    warehouse_id: i64,
) -> Result<HashMap<i64, (i64, i64)>, InventoryError> {
    Ok(stock_valuations::Entity::find()
        .filter(stock_valuations::Column::WarehouseId.eq(warehouse_id))
        .all(conn)
        .await?
        .into_iter()
        .map(|v| (v.product_id, (v.value, v.qty)))
        .collect())
}

fn variance_value(avg: Option<&(i64, i64)>, variance: i64) -> i64 {
    match avg {
        Some((value, qty)) if *qty > 0 => {
            let v = super::value_out(*value, *qty, variance.abs().min(*qty));
            // Beyond the stock on hand, more units at the same average.
            let extra = variance.abs() - variance.abs().min(*qty);
            let extra_value = if extra > 0 {
                super::value_out(*value, *qty, 1) * extra
            } else {
                0
            };
            (v + extra_value) * variance.signum()
        }
        _ => 0,
    }
}

async fn load(
    desk: &Shopdesk,
    conn: &impl ConnectionTrait,
    id: i64,
) -> Result<StockCount, InventoryError> {
    let c = counts::Entity::find_by_id(id)
        .one(conn)
        .await?
        .ok_or(InventoryError::NotFound {
            entity: "stock_count",
            id,
        })?;
    let ls = clines::Entity::find()
        .filter(clines::Column::CountId.eq(id))
        .order_by_asc(clines::Column::Id)
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
        .filter(locations::Column::WarehouseId.eq(c.warehouse_id))
        .all(conn)
        .await?
        .into_iter()
        .map(|l| (l.id, l.code))
        .collect();
    let w = crate::entities::warehouses::Entity::find_by_id(c.warehouse_id)
        .one(conn)
        .await?;
    let avg = averages(conn, c.warehouse_id).await?;
    // Once posted, a variance's value is what its ledger entry moved; before, an estimate at today's average.
    let posted: HashMap<i64, i64> = crate::entities::stock_ledger::Entity::find()
        .filter(
            crate::entities::stock_ledger::Column::Id.is_in(ls.iter().filter_map(|l| l.ledger_id)),
        )
        .all(conn)
        .await?
        .into_iter()
        .map(|e| (e.id, e.value))
        .collect();
    let value_of = |l: &clines::Model| match l.ledger_id.and_then(|id| posted.get(&id)) {
        Some(v) => *v,
        None => variance_value(
            avg.get(&l.product_id),
            l.counted.map(|n| n - l.expected).unwrap_or(0),
        ),
    };
    let mut lines: Vec<CountLine> = ls
        .iter()
        .map(|l| {
            let p = prods.get(&l.product_id);
            let variance = l.counted.map(|n| n - l.expected).unwrap_or(0);
            let value = value_of(l);
            CountLine {
                id: l.id,
                location: locs.get(&l.location_id).cloned().unwrap_or_default(),
                sku: p.map(|p| p.sku.clone()).unwrap_or_default(),
                name: p.map(|p| p.name.clone()).unwrap_or_default(),
                barcode: p.and_then(|p| p.barcode.clone()).unwrap_or_default(),
                expected: l.expected,
                counted: l.counted,
                variance,
                variance_value: super::fen_text(desk, value),
                counted_by: l.counted_by.clone(),
            }
        })
        .collect();
    lines.sort_by(|a, b| (&a.location, &a.sku).cmp(&(&b.location, &b.sku)));
    let total_value: i64 = ls.iter().map(value_of).sum();
    Ok(StockCount {
        id: c.id,
        count_no: c.count_no,
        warehouse_code: w.map(|w| w.code).unwrap_or_default(),
        status: c.status,
        scope: c.scope,
        notes: c.notes,
        created_by: c.created_by,
        created_at: c.created_at,
        decided_by: c.decided_by,
        decided_at: c.decided_at,
        lines_total: lines.len() as i64,
        lines_counted: lines.iter().filter(|l| l.counted.is_some()).count() as i64,
        lines_with_variance: lines.iter().filter(|l| l.variance != 0).count() as i64,
        variance_value: super::fen_text(desk, total_value),
        lines,
    })
}

async fn find(
    conn: &impl ConnectionTrait,
    count_no: &str,
) -> Result<counts::Model, InventoryError> {
    counts::Entity::find()
        .filter(counts::Column::CountNo.eq(count_no.trim()))
        .one(conn)
        .await?
        .ok_or(InventoryError::NotFound {
            entity: "stock_count",
            id: 0,
        })
}

pub async fn get_count(
    desk: &Shopdesk,
    actor: &Actor,
    count_no: &str,
) -> Result<StockCount, InventoryError> {
    actor.require(Permission::ViewMasterData)?;
    let c = find(desk.db(), count_no).await?;
    load(desk, desk.db(), c.id).await
}

/// Count sessions, newest first.
pub async fn list_counts(
    desk: &Shopdesk,
    actor: &Actor,
) -> Result<Vec<StockCount>, InventoryError> {
    actor.require(Permission::ViewMasterData)?;
    let mut out = Vec::new();
    for c in counts::Entity::find()
        .order_by_desc(counts::Column::Id)
        .all(desk.db())
        .await?
    {
        out.push(load(desk, desk.db(), c.id).await?);
    }
    Ok(out)
}

/// Starts a count: freezes the locations and records what is expected at each.
pub async fn start_count(
    desk: &Shopdesk,
    actor: &Actor,
    input: &CountInput,
) -> Result<StockCount, InventoryError> {
    actor.require(Permission::PostStock)?;
    let txn = desk.write_txn().await?;
    let w = warehouse_by_code(&txn, &input.warehouse_code)
        .await?
        .ok_or_else(|| {
            invalid(vec![
                FieldError::new("warehouse_code", "not_found").with("value", &input.warehouse_code),
            ])
        })?;
    let mut locs = Vec::new();
    if input.locations.is_empty() {
        locs = locations::Entity::find()
            .filter(locations::Column::WarehouseId.eq(w.id))
            .order_by_asc(locations::Column::Code)
            .all(&txn)
            .await?;
    } else {
        let mut errs = Vec::new();
        for (n, code) in input.locations.iter().enumerate() {
            match location_by_code(&txn, w.id, code).await? {
                Some(l) => locs.push(l),
                None => errs.push(
                    FieldError::new(&format!("locations.{n}"), "not_found").with("value", code),
                ),
            }
        }
        if !errs.is_empty() {
            return Err(invalid(errs));
        }
    }
    if locs.is_empty() {
        return Err(invalid(vec![FieldError::new("locations", "required")]));
    }
    let now = desk.now();
    let count_no = crate::docno::next(&txn, "PD", desk.biz_date(now)).await?;
    let c = counts::ActiveModel {
        count_no: Set(count_no.clone()),
        warehouse_id: Set(w.id),
        status: Set("counting".into()),
        scope: Set(if input.locations.is_empty() {
            "*".into()
        } else {
            locs.iter()
                .map(|l| l.code.as_str())
                .collect::<Vec<_>>()
                .join(",")
                .chars()
                .take(1000)
                .collect()
        }),
        notes: Set(input.notes.chars().take(1000).collect()),
        created_by: Set(actor.username.clone()),
        created_at: Set(now),
        decided_by: Set(None),
        decided_at: Set(None),
        ..Default::default()
    }
    .insert(&txn)
    .await?;
    // Freeze: one guarded statement, so a location already being counted by another session is refused.
    let ids: Vec<i64> = locs.iter().map(|l| l.id).collect();
    let res = locations::Entity::update_many()
        .col_expr(locations::Column::CountId, Expr::value(c.id))
        .filter(locations::Column::Id.is_in(ids.clone()))
        .filter(locations::Column::CountId.is_null())
        .exec(&txn)
        .await?;
    if res.rows_affected != ids.len() as u64 {
        let busy: Vec<String> = locs
            .iter()
            .filter(|l| l.count_id.is_some())
            .map(|l| l.code.clone())
            .collect();
        return Err(invalid(vec![
            FieldError::new("locations", "being_counted").with("value", busy.join(", ")),
        ]));
    }
    let balances = stock_balances::Entity::find()
        .filter(stock_balances::Column::LocationId.is_in(ids))
        .filter(stock_balances::Column::OnHand.ne(0))
        .all(&txn)
        .await?;
    for b in balances {
        clines::ActiveModel {
            count_id: Set(c.id),
            product_id: Set(b.product_id),
            location_id: Set(b.location_id),
            expected: Set(b.on_hand),
            counted: Set(None),
            counted_by: Set(None),
            counted_at: Set(None),
            ledger_id: Set(None),
            ..Default::default()
        }
        .insert(&txn)
        .await?;
    }
    let out = load(desk, &txn, c.id).await?;
    audit::record(
        desk,
        &txn,
        actor,
        Action::Create,
        "stock_count",
        Some(c.id),
        &count_no,
        None::<&()>,
        Some(&serde_json::json!({"scope": out.scope, "lines": out.lines_total})),
    )
    .await?;
    txn.commit().await?;
    Ok(out)
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(default)]
pub struct CountEntry {
    pub location: String,
    /// SKU or barcode (what the scanner reads).
    pub code: String,
    #[ts(type = "number")]
    pub qty: i64,
    /// Add to what was counted so far (scanning) instead of replacing it (typing).
    pub add: bool,
}

/// Records counted quantities. A SKU found at a location where none was expected gets a line (expected 0).
pub async fn record_counts(
    desk: &Shopdesk,
    actor: &Actor,
    count_no: &str,
    entries: &[CountEntry],
) -> Result<StockCount, InventoryError> {
    actor.require(Permission::PostStock)?;
    let txn = desk.write_txn().await?;
    let c = find(&txn, count_no).await?;
    if c.status != "counting" {
        return Err(InventoryError::Status {
            doc_no: c.count_no,
            status: c.status,
            action: "count",
        });
    }
    let mut errs = Vec::new();
    let now = desk.now();
    for (n, e) in entries.iter().enumerate() {
        let f = |name: &str| format!("entries.{n}.{name}");
        let loc = location_by_code(&txn, c.warehouse_id, &e.location).await?;
        let p = product_by_code(&txn, &e.code).await?;
        let (Some(loc), Some(p)) = (loc, p) else {
            errs.push(
                FieldError::new(&f("code"), "not_found")
                    .with("value", format!("{} {}", e.location, e.code)),
            );
            continue;
        };
        if loc.count_id != Some(c.id) {
            errs.push(FieldError::new(&f("location"), "not_in_count").with("value", &e.location));
            continue;
        }
        if e.qty < 0 {
            errs.push(FieldError::new(&f("qty"), "not_negative"));
            continue;
        }
        let line = clines::Entity::find()
            .filter(clines::Column::CountId.eq(c.id))
            .filter(clines::Column::LocationId.eq(loc.id))
            .filter(clines::Column::ProductId.eq(p.id))
            .one(&txn)
            .await?;
        match line {
            Some(l) => {
                let counted = if e.add {
                    l.counted.unwrap_or(0) + e.qty
                } else {
                    e.qty
                };
                clines::ActiveModel {
                    id: Set(l.id),
                    counted: Set(Some(counted)),
                    counted_by: Set(Some(actor.username.clone())),
                    counted_at: Set(Some(now)),
                    ..Default::default()
                }
                .update(&txn)
                .await?;
            }
            None => {
                clines::ActiveModel {
                    count_id: Set(c.id),
                    product_id: Set(p.id),
                    location_id: Set(loc.id),
                    expected: Set(0),
                    counted: Set(Some(e.qty)),
                    counted_by: Set(Some(actor.username.clone())),
                    counted_at: Set(Some(now)),
                    ledger_id: Set(None),
                    ..Default::default()
                }
                .insert(&txn)
                .await?;
            }
        }
    }
    if !errs.is_empty() {
        return Err(invalid(errs));
    }
    let out = load(desk, &txn, c.id).await?;
    txn.commit().await?;
    Ok(out)
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
pub enum CountDecision {
    /// Post the variances as adjustments and unfreeze.
    Approve,
    /// Unfreeze without posting anything.
    Cancel,
}

/// Approves (posts the variances) or cancels a count; either way its locations are unfrozen.
pub async fn decide_count(
    desk: &Shopdesk,
    actor: &Actor,
    count_no: &str,
    decision: CountDecision,
) -> Result<StockCount, InventoryError> {
    actor.require(match decision {
        CountDecision::Approve => Permission::ApproveStockCounts,
        CountDecision::Cancel => Permission::PostStock,
    })?;
    let txn = desk.write_txn().await?;
    let c = find(&txn, count_no).await?;
    let target = match decision {
        CountDecision::Approve => "approved",
        CountDecision::Cancel => "cancelled",
    };
    // One guarded statement: a count is decided once.
    let res = counts::Entity::update_many()
        .col_expr(counts::Column::Status, Expr::value(target))
        .col_expr(
            counts::Column::DecidedBy,
            Expr::value(actor.username.clone()),
        )
        .col_expr(counts::Column::DecidedAt, Expr::value(desk.now()))
        .filter(counts::Column::Id.eq(c.id))
        .filter(counts::Column::Status.eq("counting"))
        .exec(&txn)
        .await?;
    if res.rows_affected != 1 {
        return Err(InventoryError::Status {
            doc_no: c.count_no,
            status: c.status,
            action: if target == "approved" {
                "approve"
            } else {
                "cancel"
            },
        });
    }
    let before = load(desk, &txn, c.id).await?;
    locations::Entity::update_many()
        .col_expr(locations::Column::CountId, Expr::value(Option::<i64>::None))
        .filter(locations::Column::CountId.eq(c.id))
        .exec(&txn)
        .await?;
    if decision == CountDecision::Approve {
        let ls = clines::Entity::find()
            .filter(clines::Column::CountId.eq(c.id))
            .order_by_asc(clines::Column::Id)
            .all(&txn)
            .await?;
        for l in ls {
            let Some(counted) = l.counted else { continue };
            let variance = counted - l.expected;
            if variance == 0 {
                continue;
            }
            let ids = post(
                desk,
                &txn,
                actor,
                &[Movement {
                    kind: MovementKind::Adjust,
                    product_id: l.product_id,
                    location_id: l.location_id,
                    qty: variance,
                    reserved: 0,
                    in_transit: 0,
                    unit_cost: None,
                    value: None,
                    doc_type: "stock_count".into(),
                    doc_no: c.count_no.clone(),
                    doc_line: Some(l.id),
                    note: if variance > 0 { "盘盈" } else { "盘亏" }.into(),
                }],
            )
            .await?;
            clines::ActiveModel {
                id: Set(l.id),
                ledger_id: Set(ids.first().copied()),
                ..Default::default()
            }
            .update(&txn)
            .await?;
        }
    }
    let after = load(desk, &txn, c.id).await?;
    audit::record(
        desk,
        &txn,
        actor,
        Action::Update,
        "stock_count",
        Some(c.id),
        &after.count_no,
        Some(&serde_json::json!({"status": "counting", "variance_value": before.variance_value})),
        Some(&serde_json::json!({"status": after.status, "variance_value": before.variance_value, "lines_with_variance": before.lines_with_variance})),
    )
    .await?;
    txn.commit().await?;
    Ok(after)
}

/// The count sheet (盘点表) as a PDF: location, SKU, name and barcode, with an empty column to write the counted
/// quantity (a blind count: expected quantities are not printed).
pub async fn count_sheet_pdf(
    desk: &Shopdesk,
    actor: &Actor,
    count_no: &str,
) -> Result<Vec<u8>, InventoryError> {
    let c = get_count(desk, actor, count_no).await?;
    let zh = actor.language.starts_with("zh");
    let font = crate::pdf::load_cjk_font().map_err(|e| {
        invalid(vec![
            FieldError::new("pdf", "font").with("reason", e.to_string()),
        ])
    })?;
    Ok(sheet(desk, &c, zh, &font))
}

#[allow(clippy::float_arithmetic)]
fn sheet(desk: &Shopdesk, c: &StockCount, zh: bool, font: &printpdf::ParsedFont) -> Vec<u8> {
    use crate::pdf::{Doc, MARGIN, PAGE_H, PAGE_W};
    let title = if zh { "盘点表" } else { "COUNT SHEET" };
    let started = c
        .created_at
        .with_timezone(&desk.company().tz())
        .format("%Y-%m-%d %H:%M");
    let mut d = Doc::new(&format!("{title} {}", c.count_no), "", font);
    d.text_center(PAGE_W / 2.0, 22.0, 16.0, &desk.company().company_name);
    d.text_center(PAGE_W / 2.0, 31.0, 13.0, title);
    d.rule(MARGIN, 35.0, PAGE_W - MARGIN, 35.0, 1.0);
    let info = if zh {
        format!(
            "盘点单号：{}    仓库：{}    库位：{}    开始：{}",
            c.count_no, c.warehouse_code, c.scope, started
        )
    } else {
        format!(
            "Count: {}    Warehouse: {}    Locations: {}    Started: {}",
            c.count_no, c.warehouse_code, c.scope, started
        )
    };
    d.text_fit(MARGIN, 42.0, 9.0, &info, PAGE_W - 2.0 * MARGIN);
    let heads: [&str; 5] = if zh {
        ["库位", "商品编码", "品名", "条码", "实盘数量"]
    } else {
        ["Location", "SKU", "Item", "Barcode", "Counted"]
    };
    let cols = [MARGIN, 42.0, 72.0, 130.0, 165.0];
    let mut y = 52.0;
    let head = |d: &mut Doc, y: f32| {
        for (i, h) in heads.iter().enumerate() {
            d.text(cols[i], y, 9.0, h);
        }
        d.rule(MARGIN, y + 2.0, PAGE_W - MARGIN, y + 2.0, 0.5);
    };
    head(&mut d, y);
    y += 8.0;
    for l in &c.lines {
        d.text_fit(cols[0], y, 9.0, &l.location, 26.0);
        d.text_fit(cols[1], y, 9.0, &l.sku, 28.0);
        d.text_fit(cols[2], y, 9.0, &l.name, 56.0);
        d.text_fit(cols[3], y, 9.0, &l.barcode, 33.0);
        d.rule(cols[4], y + 1.0, PAGE_W - MARGIN, y + 1.0, 0.3);
        y += 8.0;
        if y > PAGE_H - 35.0 {
            d.new_page();
            y = 25.0;
            head(&mut d, y);
            y += 8.0;
        }
    }
    let sign = if zh {
        "盘点人：______________    复核人：______________    日期：______________"
    } else {
        "Counted by: ______________    Checked by: ______________    Date: ______________"
    };
    d.text(
        MARGIN,
        Ord::min(y as i64 + 10, (PAGE_H - 20.0) as i64) as f32,
        9.0,
        sign,
    );
    d.finish()
}

#[cfg(test)]
mod tests {
    use super::variance_value;

    #[test]
    fn variance_is_valued_at_the_moving_average() {
        // 10 units worth 100.01: losing 3 takes 30.00 (30.003 → 30.00); finding 2 adds 20.00.
        assert_eq!(variance_value(Some(&(10_001, 10)), -3), -3_000);
        assert_eq!(variance_value(Some(&(10_001, 10)), 2), 2_000);
        // Losing everything takes the whole value.
        assert_eq!(variance_value(Some(&(10_001, 10)), -10), -10_001);
        assert_eq!(variance_value(None, 5), 0);
    }
}
