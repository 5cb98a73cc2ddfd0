//! Supplier items and their prices: the list per supplier with the current price, the price history of an item
//! (valid from each price's date until the day before the next), SKU matching with a confirm step, and the
//! comparison of every supplier's current price for one of our SKUs with the cheapest and the fastest marked.

use super::ProcurementError;
use super::price_sheets::find_supplier;
use crate::Shopdesk;
use crate::audit::{self, Action};
use crate::auth::{Actor, Permission};
use crate::entities::{products, supplier_items, supplier_prices, suppliers};
use crate::listing::{ListQuery, Page, fetch_page, search_any};
use crate::money::UnitPrice;
use chrono::NaiveDate;
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QueryOrder, Set,
};
use serde::{Deserialize, Serialize};
use std::collections::HashMap;
use ts_rs::TS;

/// One price of a supplier item, valid from `valid_from` to `valid_to` (inclusive; open when `None`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct PricePoint {
    #[ts(type = "number")]
    pub id: i64,
    pub price: String,
    pub currency: String,
    pub price_unit: String,
    #[ts(type = "number | null")]
    pub moq: Option<i64>,
    pub lead_time_days: Option<i32>,
    #[ts(type = "string")]
    pub valid_from: NaiveDate,
    #[ts(type = "string | null")]
    pub valid_to: Option<NaiveDate>,
    #[ts(type = "number | null")]
    pub import_id: Option<i64>,
    pub source_sheet: String,
    #[ts(type = "number")]
    pub source_row: i64,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct SupplierItem {
    #[ts(type = "number")]
    pub id: i64,
    pub supplier_code: String,
    pub supplier_sku: String,
    pub name: String,
    pub spec: String,
    pub unit: String,
    pub barcode: String,
    pub category: String,
    /// Our SKU, when matched.
    pub sku: Option<String>,
    /// `unmatched`, `suggested` or `confirmed`.
    pub match_status: String,
    /// The price in effect today.
    pub current: Option<PricePoint>,
}

/// Prices ordered by date (then id), with `valid_to` the day before the next price.
fn points(mut rows: Vec<supplier_prices::Model>) -> Vec<PricePoint> {
    rows.sort_by_key(|r| (r.valid_from, r.id));
    let mut out: Vec<PricePoint> = Vec::with_capacity(rows.len());
    for r in rows {
        if let Some(prev) = out.last_mut() {
            prev.valid_to = if r.valid_from > prev.valid_from {
                r.valid_from.pred_opt()
            } else {
                // Two prices on one day: the later row replaces the earlier one that very day.
                Some(prev.valid_from)
            };
        }
        out.push(PricePoint {
            id: r.id,
            price: UnitPrice::from_ten_thousandths(r.price).to_string(),
            currency: r.currency,
            price_unit: r.price_unit,
            moq: r.moq,
            lead_time_days: r.lead_time_days,
            valid_from: r.valid_from,
            valid_to: None,
            import_id: r.import_id,
            source_sheet: r.source_sheet,
            source_row: r.source_row,
        });
    }
    out
}

/// The point in effect on `day`.
fn in_effect(points: &[PricePoint], day: NaiveDate) -> Option<PricePoint> {
    // Sorted by (date, id): the last one that has started is in effect.
    points.iter().rev().find(|p| p.valid_from <= day).cloned()
}

/// The price in effect on `day` of every supplier item (the latest `valid_from` on or before it; ties: the
/// later row). The one rule for "current price" that planning and scorecards share with the comparison.
pub(crate) async fn current_by_item(
    conn: &impl ConnectionTrait,
    day: NaiveDate,
) -> Result<HashMap<i64, supplier_prices::Model>, sea_orm::DbErr> {
    let mut current: HashMap<i64, supplier_prices::Model> = HashMap::new();
    for p in supplier_prices::Entity::find()
        .filter(supplier_prices::Column::ValidFrom.lte(day))
        .all(conn)
        .await?
    {
        match current.get(&p.supplier_item_id) {
            Some(c) if (c.valid_from, c.id) > (p.valid_from, p.id) => {}
            _ => {
                current.insert(p.supplier_item_id, p);
            }
        }
    }
    Ok(current)
}

async fn prices_of(
    conn: &impl ConnectionTrait,
    item_ids: &[i64],
) -> Result<HashMap<i64, Vec<supplier_prices::Model>>, sea_orm::DbErr> {
    let mut out: HashMap<i64, Vec<supplier_prices::Model>> = HashMap::new();
    for chunk in item_ids.chunks(500) {
        for p in supplier_prices::Entity::find()
            .filter(supplier_prices::Column::SupplierItemId.is_in(chunk.to_vec()))
            .all(conn)
            .await?
        {
            out.entry(p.supplier_item_id).or_default().push(p);
        }
    }
    Ok(out)
}

async fn to_domain(
    conn: &impl ConnectionTrait,
    rows: Vec<supplier_items::Model>,
    today: NaiveDate,
) -> Result<Vec<SupplierItem>, sea_orm::DbErr> {
    let ids: Vec<i64> = rows.iter().map(|r| r.id).collect();
    let mut prices = prices_of(conn, &ids).await?;
    let product_ids: Vec<i64> = rows.iter().filter_map(|r| r.product_id).collect();
    let mut skus = HashMap::new();
    for chunk in product_ids.chunks(500) {
        for p in products::Entity::find()
            .filter(products::Column::Id.is_in(chunk.to_vec()))
            .all(conn)
            .await?
        {
            skus.insert(p.id, p.sku);
        }
    }
    let supplier_ids: Vec<i64> = rows.iter().map(|r| r.supplier_id).collect();
    let mut codes = HashMap::new();
    for s in suppliers::Entity::find()
        .filter(suppliers::Column::Id.is_in(supplier_ids))
        .all(conn)
        .await?
    {
        codes.insert(s.id, s.code);
    }
    Ok(rows
        .into_iter()
        .map(|r| {
            let pts = points(prices.remove(&r.id).unwrap_or_default());
            SupplierItem {
                id: r.id,
                supplier_code: codes.get(&r.supplier_id).cloned().unwrap_or_default(),
                supplier_sku: r.supplier_sku,
                name: r.name,
                spec: r.spec,
                unit: r.unit,
                barcode: r.barcode,
                category: r.category,
                sku: r.product_id.and_then(|id| skus.get(&id).cloned()),
                match_status: r.match_status,
                current: in_effect(&pts, today),
            }
        })
        .collect())
}

/// A supplier's items with their current price. `query.search` looks in code, name, spec and barcode;
/// `query.status` filters by match status (`unmatched`, `suggested`, `confirmed`).
pub async fn list_items(
    desk: &Shopdesk,
    actor: &Actor,
    supplier_code: &str,
    query: &ListQuery,
) -> Result<Page<SupplierItem>, ProcurementError> {
    actor.require(Permission::ViewMasterData)?;
    let s = find_supplier(desk.db(), supplier_code).await?;
    let mut select =
        supplier_items::Entity::find().filter(supplier_items::Column::SupplierId.eq(s.id));
    if let Some(text) = query.search_text() {
        select = select.filter(search_any(
            &[
                supplier_items::Column::SupplierSku,
                supplier_items::Column::Name,
                supplier_items::Column::Spec,
                supplier_items::Column::Barcode,
            ],
            text,
        ));
    }
    if let Some(st) = query
        .status
        .as_deref()
        .filter(|s| !s.is_empty() && *s != "all")
    {
        select = select.filter(supplier_items::Column::MatchStatus.eq(st));
    }
    let (rows, total) = fetch_page(
        desk.db(),
        select,
        query,
        &[
            ("name", supplier_items::Column::Name),
            ("supplier_sku", supplier_items::Column::SupplierSku),
            ("category", supplier_items::Column::Category),
            ("match_status", supplier_items::Column::MatchStatus),
        ],
        supplier_items::Column::Id,
    )
    .await?;
    let today = desk.biz_date(desk.now());
    Ok(Page {
        items: to_domain(desk.db(), rows, today).await?,
        total,
        page: query.page(),
        page_size: query.page_size(),
    })
}

/// Every price a supplier item ever had, oldest first.
pub async fn history(
    desk: &Shopdesk,
    actor: &Actor,
    item_id: i64,
) -> Result<Vec<PricePoint>, ProcurementError> {
    actor.require(Permission::ViewMasterData)?;
    let rows = supplier_prices::Entity::find()
        .filter(supplier_prices::Column::SupplierItemId.eq(item_id))
        .order_by_asc(supplier_prices::Column::ValidFrom)
        .all(desk.db())
        .await?;
    Ok(points(rows))
}

/// Links a supplier item to one of our SKUs (confirming a suggestion or choosing another), or unlinks it
/// with `sku = None`.
pub async fn set_match(
    desk: &Shopdesk,
    actor: &Actor,
    item_id: i64,
    sku: Option<&str>,
) -> Result<SupplierItem, ProcurementError> {
    actor.require(Permission::EditSuppliers)?;
    let txn = desk.write_txn().await?;
    let item = supplier_items::Entity::find_by_id(item_id)
        .one(&txn)
        .await?
        .ok_or(ProcurementError::NotFound {
            entity: "supplier_item",
            id: item_id,
        })?;
    let product = match sku {
        Some(code) => Some(
            products::Entity::find()
                .filter(products::Column::Sku.eq(code.trim()))
                .one(&txn)
                .await?
                .ok_or_else(|| ProcurementError::NotFound {
                    entity: "product",
                    id: 0,
                })?,
        ),
        None => None,
    };
    let before =
        serde_json::json!({"product_id": item.product_id, "match_status": item.match_status});
    let mut am: supplier_items::ActiveModel = item.clone().into();
    am.product_id = Set(product.as_ref().map(|p| p.id));
    am.match_status = Set(if product.is_some() {
        "confirmed"
    } else {
        "unmatched"
    }
    .into());
    am.updated_at = Set(desk.now());
    let m = am.update(&txn).await?;
    let after = serde_json::json!({"product_id": m.product_id, "match_status": m.match_status});
    audit::record(
        desk,
        &txn,
        actor,
        Action::Update,
        "supplier_item",
        Some(m.id),
        &m.item_key,
        Some(&before),
        Some(&after),
    )
    .await?;
    txn.commit().await?;
    let today = desk.biz_date(desk.now());
    let mut v = to_domain(desk.db(), vec![m], today).await?;
    v.pop().ok_or(ProcurementError::NotFound {
        entity: "supplier_item",
        id: item_id,
    })
}

/// One supplier's current offer for a SKU.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct Offer {
    pub supplier_code: String,
    pub supplier_name: String,
    pub qualification: String,
    #[ts(type = "number")]
    pub supplier_item_id: i64,
    pub supplier_sku: String,
    pub item_name: String,
    pub match_status: String,
    pub price: PricePoint,
    /// The lowest price among offers in the comparison currency.
    pub cheapest: bool,
    /// The shortest lead time among offers that state one.
    pub fastest: bool,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct PriceComparison {
    pub sku: String,
    pub product_name: String,
    /// Offers in other currencies are listed but not ranked (no exchange rates are assumed).
    pub currency: String,
    pub offers: Vec<Offer>,
}

/// Every supplier's price in effect on `day` (default today) for our SKU, cheapest first; the cheapest and the
/// fastest marked. Suggested (unconfirmed) matches are included and say so.
pub async fn compare(
    desk: &Shopdesk,
    actor: &Actor,
    sku: &str,
    day: Option<NaiveDate>,
) -> Result<PriceComparison, ProcurementError> {
    actor.require(Permission::ViewMasterData)?;
    let product = products::Entity::find()
        .filter(products::Column::Sku.eq(sku.trim()))
        .one(desk.db())
        .await?
        .ok_or(ProcurementError::NotFound {
            entity: "product",
            id: 0,
        })?;
    let day = day.unwrap_or_else(|| desk.biz_date(desk.now()));
    let items = supplier_items::Entity::find()
        .filter(supplier_items::Column::ProductId.eq(product.id))
        .all(desk.db())
        .await?;
    let ids: Vec<i64> = items.iter().map(|i| i.id).collect();
    let mut prices = prices_of(desk.db(), &ids).await?;
    let supplier_ids: Vec<i64> = items.iter().map(|i| i.supplier_id).collect();
    let sups: HashMap<i64, suppliers::Model> = suppliers::Entity::find()
        .filter(suppliers::Column::Id.is_in(supplier_ids))
        .all(desk.db())
        .await?
        .into_iter()
        .map(|s| (s.id, s))
        .collect();
    let currency = product.currency.clone();
    let mut offers: Vec<(i64, Offer)> = Vec::new();
    for it in items {
        let pts = points(prices.remove(&it.id).unwrap_or_default());
        let Some(p) = in_effect(&pts, day) else {
            continue;
        };
        let Some(s) = sups.get(&it.supplier_id) else {
            continue;
        };
        let raw = UnitPrice::parse(&p.price)
            .map(|u| u.ten_thousandths())
            .unwrap_or(i64::MAX);
        offers.push((
            raw,
            Offer {
                supplier_code: s.code.clone(),
                supplier_name: s.name.clone(),
                qualification: s.qualification.clone(),
                supplier_item_id: it.id,
                supplier_sku: it.supplier_sku,
                item_name: it.name,
                match_status: it.match_status,
                price: p,
                cheapest: false,
                fastest: false,
            },
        ));
    }
    offers.sort_by(|a, b| {
        (a.1.price.currency != currency, a.0, &a.1.supplier_code).cmp(&(
            b.1.price.currency != currency,
            b.0,
            &b.1.supplier_code,
        ))
    });
    let min_price = offers
        .iter()
        .filter(|(_, o)| o.price.currency == currency)
        .map(|(p, _)| *p)
        .min();
    let min_lead = offers
        .iter()
        .filter_map(|(_, o)| o.price.lead_time_days)
        .min();
    for (p, o) in &mut offers {
        o.cheapest = o.price.currency == currency && Some(*p) == min_price;
        o.fastest = min_lead.is_some() && o.price.lead_time_days == min_lead;
    }
    Ok(PriceComparison {
        sku: product.sku,
        product_name: product.name,
        currency,
        offers: offers.into_iter().map(|(_, o)| o).collect(),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn row(id: i64, day: u32, price: i64) -> supplier_prices::Model {
        supplier_prices::Model {
            id,
            supplier_item_id: 1,
            supplier_id: 1,
            price,
            currency: "CNY".into(),
            price_unit: String::new(),
            moq: None,
            lead_time_days: None,
            valid_from: NaiveDate::from_ymd_opt(2026, 1, day).expect("date"),
            import_id: None,
            source_sheet: String::new(),
            source_row: 0,
            row_hash: String::new(),
            created_at: chrono::Utc::now(),
        }
    }

    #[test]
    fn history_has_valid_to_and_the_price_in_effect() {
        let pts = points(vec![
            row(2, 10, 12_0000),
            row(1, 1, 10_0000),
            row(3, 20, 11_0000),
        ]);
        assert_eq!(pts[0].valid_to, NaiveDate::from_ymd_opt(2026, 1, 9));
        assert_eq!(pts[1].valid_to, NaiveDate::from_ymd_opt(2026, 1, 19));
        assert_eq!(pts[2].valid_to, None);
        let d = |x| NaiveDate::from_ymd_opt(2026, 1, x).expect("date");
        assert_eq!(
            in_effect(&pts, d(15)).map(|p| p.price),
            Some("12.00".into())
        );
        assert_eq!(
            in_effect(&pts, d(25)).map(|p| p.price),
            Some("11.00".into())
        );
        assert_eq!(
            in_effect(&pts, NaiveDate::from_ymd_opt(2025, 12, 31).expect("d")),
            None
        );
    }
}
