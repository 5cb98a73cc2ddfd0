//! Stock reports read from the ledger and the balances: stock as of any past date (without rewriting history)
//! and the on-hand report by warehouse and category.

use super::InventoryError;
use crate::Shopdesk;
use crate::auth::{Actor, Permission};
use chrono::NaiveDate;
use sea_orm::{ConnectionTrait, Statement, Value};
use serde::{Deserialize, Serialize};
use ts_rs::TS;

/// Quantity and value of one SKU in one warehouse at the end of a business date.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct StockAsOf {
    #[ts(type = "number")]
    pub product_id: i64,
    #[ts(type = "number")]
    pub warehouse_id: i64,
    #[ts(type = "number")]
    pub qty: i64,
    /// Value in fen.
    #[ts(type = "number")]
    pub value_fen: i64,
}

/// Stock of every SKU × warehouse at the end of `date` (business date, inclusive), summed from the ledger with
/// the indexed `biz_date` column; rows with neither quantity nor value are left out.
pub async fn stock_as_of(
    desk: &Shopdesk,
    actor: &Actor,
    date: NaiveDate,
) -> Result<Vec<StockAsOf>, InventoryError> {
    actor.require(Permission::ViewMasterData)?;
    let backend = desk.db().get_database_backend();
    let sql = "SELECT product_id, warehouse_id, CAST(SUM(qty) AS BIGINT) AS q, CAST(SUM(value) AS BIGINT) AS v \
               FROM stock_ledger WHERE biz_date <= $1 GROUP BY product_id, warehouse_id ORDER BY product_id, warehouse_id";
    let sql = if backend == sea_orm::DbBackend::Sqlite {
        sql.replace("$1", "?")
    } else {
        sql.to_string()
    };
    let rows = desk
        .db()
        .query_all_raw(Statement::from_sql_and_values(
            backend,
            sql,
            [Value::from(date)],
        ))
        .await?;
    let mut out = Vec::with_capacity(rows.len());
    for r in rows {
        let (qty, value_fen): (i64, i64) = (r.try_get("", "q")?, r.try_get("", "v")?);
        if qty != 0 || value_fen != 0 {
            out.push(StockAsOf {
                product_id: r.try_get("", "product_id")?,
                warehouse_id: r.try_get("", "warehouse_id")?,
                qty,
                value_fen,
            });
        }
    }
    Ok(out)
}

/// One line of the on-hand report.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct OnHandLine {
    pub warehouse_code: String,
    pub category: String,
    #[ts(type = "number")]
    pub skus: i64,
    #[ts(type = "number")]
    pub on_hand: i64,
    #[ts(type = "number")]
    pub reserved: i64,
    #[ts(type = "number")]
    pub available: i64,
    /// Value in fen, from the moving-average valuation.
    #[ts(type = "number")]
    pub value_fen: i64,
}

/// Stock on hand and value by warehouse and category, from the balances (not the ledger): fast at any size.
pub async fn on_hand(desk: &Shopdesk, actor: &Actor) -> Result<Vec<OnHandLine>, InventoryError> {
    actor.require(Permission::ViewMasterData)?;
    let backend = desk.db().get_database_backend();
    let sql = "SELECT w.code AS warehouse_code, p.category AS category, \
               CAST(COUNT(DISTINCT b.product_id) AS BIGINT) AS skus, CAST(SUM(b.on_hand) AS BIGINT) AS on_hand, \
               CAST(SUM(b.reserved) AS BIGINT) AS reserved \
               FROM stock_balances b JOIN products p ON p.id = b.product_id JOIN warehouses w ON w.id = b.warehouse_id \
               WHERE b.on_hand <> 0 OR b.reserved <> 0 \
               GROUP BY w.code, p.category ORDER BY w.code, p.category";
    let rows = desk
        .db()
        .query_all_raw(Statement::from_string(backend, sql))
        .await?;
    let values_sql = "SELECT w.code AS warehouse_code, p.category AS category, CAST(SUM(v.value) AS BIGINT) AS value \
               FROM stock_valuations v JOIN products p ON p.id = v.product_id JOIN warehouses w ON w.id = v.warehouse_id \
               GROUP BY w.code, p.category";
    let mut values = std::collections::HashMap::new();
    for r in desk
        .db()
        .query_all_raw(Statement::from_string(backend, values_sql))
        .await?
    {
        let key: (String, String) = (r.try_get("", "warehouse_code")?, r.try_get("", "category")?);
        values.insert(key, r.try_get::<i64>("", "value")?);
    }
    let mut out = Vec::with_capacity(rows.len());
    for r in rows {
        let warehouse_code: String = r.try_get("", "warehouse_code")?;
        let category: String = r.try_get("", "category")?;
        let on_hand: i64 = r.try_get("", "on_hand")?;
        let reserved: i64 = r.try_get("", "reserved")?;
        let value_fen = values
            .get(&(warehouse_code.clone(), category.clone()))
            .copied()
            .unwrap_or(0);
        out.push(OnHandLine {
            warehouse_code,
            category,
            skus: r.try_get("", "skus")?,
            on_hand,
            reserved,
            available: on_hand - reserved,
            value_fen,
        });
    }
    Ok(out)
}

/// One balance row for the stock screen: a SKU at a location.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct StockRow {
    pub sku: String,
    pub name: String,
    pub warehouse_code: String,
    pub location_code: String,
    /// Set while the location is frozen by a stock count.
    pub frozen: bool,
    #[ts(type = "number")]
    pub on_hand: i64,
    #[ts(type = "number")]
    pub reserved: i64,
    #[ts(type = "number")]
    pub available: i64,
    #[ts(type = "number")]
    pub in_transit: i64,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct StockPage {
    pub items: Vec<StockRow>,
    #[ts(type = "number")]
    pub total: i64,
    /// Value of all stock in the filtered warehouses (moving average), company currency.
    pub value: String,
}

/// Balances with stock (on hand, reserved or in transit), filtered by SKU/name text and warehouse, one page.
pub async fn stock_rows(
    desk: &Shopdesk,
    actor: &Actor,
    search: Option<&str>,
    warehouse_code: Option<&str>,
    page: u64,
    page_size: u64,
) -> Result<StockPage, InventoryError> {
    actor.require(Permission::ViewMasterData)?;
    let backend = desk.db().get_database_backend();
    let mut filter = String::from("(b.on_hand <> 0 OR b.reserved <> 0 OR b.in_transit <> 0)");
    let mut values: Vec<Value> = Vec::new();
    let ph = |n: usize| match backend {
        sea_orm::DatabaseBackend::Postgres => format!("${n}"),
        _ => "?".to_string(),
    };
    if let Some(s) = search.map(str::trim).filter(|s| !s.is_empty()) {
        let like = format!("%{}%", s.to_lowercase());
        filter.push_str(&format!(
            " AND (LOWER(p.sku) LIKE {} OR LOWER(p.name) LIKE {})",
            ph(values.len() + 1),
            ph(values.len() + 2)
        ));
        values.push(like.clone().into());
        values.push(like.into());
    }
    if let Some(w) = warehouse_code.map(str::trim).filter(|w| !w.is_empty()) {
        filter.push_str(&format!(" AND w.code = {}", ph(values.len() + 1)));
        values.push(w.to_string().into());
    }
    let from = "FROM stock_balances b JOIN products p ON p.id = b.product_id \
                JOIN warehouses w ON w.id = b.warehouse_id JOIN locations l ON l.id = b.location_id";
    let count = desk
        .db()
        .query_one_raw(Statement::from_sql_and_values(
            backend,
            format!("SELECT CAST(COUNT(*) AS BIGINT) AS n {from} WHERE {filter}"),
            values.clone(),
        ))
        .await?;
    let total: i64 = match count {
        Some(r) => r.try_get("", "n")?,
        None => 0,
    };
    let size = page_size.clamp(1, 500);
    let offset = (page.max(1) - 1) * size;
    let rows = desk
        .db()
        .query_all_raw(Statement::from_sql_and_values(
            backend,
            format!(
                "SELECT p.sku AS sku, p.name AS name, w.code AS wc, l.code AS lc, l.count_id AS count_id, \
                 b.on_hand AS on_hand, b.reserved AS reserved, b.in_transit AS in_transit {from} WHERE {filter} \
                 ORDER BY p.sku, w.code, l.code LIMIT {size} OFFSET {offset}"
            ),
            values.clone(),
        ))
        .await?;
    let mut items = Vec::with_capacity(rows.len());
    for r in rows {
        let on_hand: i64 = r.try_get("", "on_hand")?;
        let reserved: i64 = r.try_get("", "reserved")?;
        items.push(StockRow {
            sku: r.try_get("", "sku")?,
            name: r.try_get("", "name")?,
            warehouse_code: r.try_get("", "wc")?,
            location_code: r.try_get("", "lc")?,
            frozen: r.try_get::<Option<i64>>("", "count_id")?.is_some(),
            on_hand,
            reserved,
            available: on_hand - reserved,
            in_transit: r.try_get("", "in_transit")?,
        });
    }
    let mut vfilter = String::from("1 = 1");
    let mut vvalues: Vec<Value> = Vec::new();
    if let Some(w) = warehouse_code.map(str::trim).filter(|w| !w.is_empty()) {
        vfilter = format!("w.code = {}", ph(1));
        vvalues.push(w.to_string().into());
    }
    let v = desk
        .db()
        .query_one_raw(Statement::from_sql_and_values(
            backend,
            format!(
                "SELECT CAST(COALESCE(SUM(v.value), 0) AS BIGINT) AS v FROM stock_valuations v \
                 JOIN warehouses w ON w.id = v.warehouse_id WHERE {vfilter}"
            ),
            vvalues,
        ))
        .await?;
    let value: i64 = match v {
        Some(r) => r.try_get("", "v")?,
        None => 0,
    };
    Ok(StockPage {
        items,
        total,
        value: super::fen_text(desk, value),
    })
}

/// One ledger entry as the movement history shows it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct MovementRow {
    #[ts(type = "number")]
    pub id: i64,
    pub at: chrono::DateTime<chrono::Utc>,
    #[ts(type = "string")]
    pub biz_date: NaiveDate,
    pub warehouse_code: String,
    pub location_code: String,
    pub kind: String,
    #[ts(type = "number")]
    pub qty: i64,
    #[ts(type = "number")]
    pub reserved: i64,
    #[ts(type = "number")]
    pub in_transit: i64,
    pub value: String,
    pub doc_no: String,
    pub username: String,
    pub note: String,
}

/// The movement history of one SKU (SKU or barcode), newest first, at most `limit` entries.
pub async fn movements(
    desk: &Shopdesk,
    actor: &Actor,
    code: &str,
    limit: u64,
) -> Result<Vec<MovementRow>, InventoryError> {
    use crate::entities::{locations, stock_ledger, warehouses};
    use sea_orm::{ColumnTrait, EntityTrait, QueryFilter, QueryOrder, QuerySelect};
    actor.require(Permission::ViewMasterData)?;
    let p = super::warehouse::product_by_code(desk.db(), code)
        .await?
        .ok_or_else(|| {
            let mut e = crate::error::FieldErrors::default();
            e.push(crate::error::FieldError::new("sku", "not_found").with("value", code));
            InventoryError::Validation(e)
        })?;
    let rows = stock_ledger::Entity::find()
        .filter(stock_ledger::Column::ProductId.eq(p.id))
        .order_by_desc(stock_ledger::Column::Id)
        .limit(limit.clamp(1, 5000))
        .all(desk.db())
        .await?;
    let locs: std::collections::HashMap<i64, String> = locations::Entity::find()
        .filter(locations::Column::Id.is_in(rows.iter().map(|r| r.location_id)))
        .all(desk.db())
        .await?
        .into_iter()
        .map(|l| (l.id, l.code))
        .collect();
    let whs: std::collections::HashMap<i64, String> = warehouses::Entity::find()
        .all(desk.db())
        .await?
        .into_iter()
        .map(|w| (w.id, w.code))
        .collect();
    Ok(rows
        .into_iter()
        .map(|r| MovementRow {
            id: r.id,
            at: r.at,
            biz_date: r.biz_date,
            warehouse_code: whs.get(&r.warehouse_id).cloned().unwrap_or_default(),
            location_code: locs.get(&r.location_id).cloned().unwrap_or_default(),
            kind: r.kind,
            qty: r.qty,
            reserved: r.reserved,
            in_transit: r.in_transit,
            value: super::fen_text(desk, r.value),
            doc_no: r.doc_no,
            username: r.username,
            note: r.note,
        })
        .collect())
}

/// A SKU whose available stock is below its safety stock (库存预警).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct StockAlert {
    pub sku: String,
    pub name: String,
    #[ts(type = "number")]
    pub safety_stock: i64,
    #[ts(type = "number")]
    pub on_hand: i64,
    #[ts(type = "number")]
    pub reserved: i64,
    #[ts(type = "number")]
    pub available: i64,
    /// Ordered from suppliers and not yet received (approved, sent or partly received POs).
    #[ts(type = "number")]
    pub on_order: i64,
    /// Safety stock − available (how far below it is).
    #[ts(type = "number")]
    pub shortfall: i64,
    /// Still short once what is on order arrives: needs a purchase (see purchase planning).
    pub needs_order: bool,
}

/// Every active SKU with a safety stock whose available quantity (all warehouses) is below it, worst first.
pub async fn alerts(desk: &Shopdesk, actor: &Actor) -> Result<Vec<StockAlert>, InventoryError> {
    actor.require(Permission::ViewMasterData)?;
    let backend = desk.db().get_database_backend();
    let sql = "SELECT p.sku AS sku, p.name AS name, p.safety_stock AS safety, \
               CAST(COALESCE((SELECT SUM(b.on_hand) FROM stock_balances b WHERE b.product_id = p.id), 0) AS BIGINT) AS on_hand, \
               CAST(COALESCE((SELECT SUM(b.reserved) FROM stock_balances b WHERE b.product_id = p.id), 0) AS BIGINT) AS reserved, \
               CAST(COALESCE((SELECT SUM(CASE WHEN l.qty > l.received_qty THEN l.qty - l.received_qty ELSE 0 END) \
                 FROM purchase_order_lines l JOIN purchase_orders o ON o.id = l.po_id \
                 WHERE l.product_id = p.id AND o.status IN ('approved', 'sent', 'partially_received')), 0) AS BIGINT) AS on_order \
               FROM products p WHERE p.status = 'active' AND p.safety_stock > 0";
    let mut out = Vec::new();
    for r in desk
        .db()
        .query_all_raw(Statement::from_string(backend, sql))
        .await?
    {
        let safety: i64 = r.try_get("", "safety")?;
        let on_hand: i64 = r.try_get("", "on_hand")?;
        let reserved: i64 = r.try_get("", "reserved")?;
        let on_order: i64 = r.try_get("", "on_order")?;
        let available = on_hand - reserved;
        if available >= safety {
            continue;
        }
        out.push(StockAlert {
            sku: r.try_get("", "sku")?,
            name: r.try_get("", "name")?,
            safety_stock: safety,
            on_hand,
            reserved,
            available,
            on_order,
            shortfall: safety - available,
            needs_order: available + on_order < safety,
        });
    }
    out.sort_by(|a, b| b.shortfall.cmp(&a.shortfall).then(a.sku.cmp(&b.sku)));
    Ok(out)
}
