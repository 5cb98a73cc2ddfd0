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
