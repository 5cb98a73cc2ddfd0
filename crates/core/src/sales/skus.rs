//! Platform merchant codes (商家编码 / SKU / 外部系统编号) mapped to our SKUs. A code equal to one of our SKUs or
//! barcodes maps by itself; any other is listed as unmapped until someone maps it, once, for every order already
//! imported and every later import of that channel.

use super::SalesError;
use crate::Shopdesk;
use crate::audit::{self, Action};
use crate::auth::{Actor, Permission};
use crate::entities::{
    channel_sku_map, order_events, products, sales_order_lines as lines, sales_orders as orders,
};
use sea_orm::sea_query::Query;
use sea_orm::{
    ActiveModelTrait, ColumnTrait, Condition, EntityTrait, QueryFilter, QueryOrder, QuerySelect,
    Set,
};
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;
use ts_rs::TS;

/// A platform code that no SKU of ours answers to yet, with what it sold.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct UnmappedSku {
    pub channel: String,
    pub platform_sku: String,
    /// A title the platform gave it, to recognise it by.
    pub title: String,
    pub spec: String,
    #[ts(type = "number")]
    pub lines: i64,
    #[ts(type = "number")]
    pub qty: i64,
}

/// A code mapped to one of our SKUs.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct SkuMapping {
    pub channel: String,
    pub platform_sku: String,
    pub sku: String,
    pub name: String,
    /// Order lines that took the mapping now.
    #[ts(type = "number")]
    pub lines_updated: i64,
}

/// Lines of orders of one channel, by a subquery (no bind parameter per order).
fn in_channel(channel: &str) -> Condition {
    Condition::all().add(
        lines::Column::OrderId.in_subquery(
            Query::select()
                .column(orders::Column::Id)
                .from(orders::Entity)
                .and_where(orders::Column::Channel.eq(channel))
                .to_owned(),
        ),
    )
}

/// Every unmapped code of imported order lines, most sold first (optionally of one channel).
pub async fn unmapped(
    desk: &Shopdesk,
    actor: &Actor,
    channel: Option<&str>,
) -> Result<Vec<UnmappedSku>, SalesError> {
    actor.require(Permission::ViewOrders)?;
    // One pass per channel, the channel named in SQL (no bind parameter per line, whatever the volume).
    let channels: Vec<String> = match channel.filter(|c| !c.is_empty()) {
        Some(c) => vec![c.to_string()],
        None => super::Channel::IMPORTABLE
            .into_iter()
            .chain([super::Channel::Manual])
            .map(|c| c.as_str().to_string())
            .collect(),
    };
    let mut by: BTreeMap<(String, String), UnmappedSku> = BTreeMap::new();
    for ch in channels {
        let ls = lines::Entity::find()
            .filter(lines::Column::ProductId.is_null())
            .filter(in_channel(&ch))
            .order_by_asc(lines::Column::Id)
            .all(desk.db())
            .await?;
        for l in ls {
            // A line without a merchant code goes by the platform's item id.
            let code = if l.platform_sku.is_empty() {
                l.platform_item_id.clone()
            } else {
                l.platform_sku.clone()
            };
            if code.is_empty() {
                continue;
            }
            let e = by
                .entry((ch.clone(), code.clone()))
                .or_insert_with(|| UnmappedSku {
                    channel: ch.clone(),
                    platform_sku: code,
                    title: l.title.clone(),
                    spec: l.spec.clone(),
                    lines: 0,
                    qty: 0,
                });
            e.lines += 1;
            e.qty += l.qty;
        }
    }
    let mut out: Vec<UnmappedSku> = by.into_values().collect();
    out.sort_by(|a, b| {
        b.qty
            .cmp(&a.qty)
            .then_with(|| a.platform_sku.cmp(&b.platform_sku))
    });
    Ok(out)
}

/// Maps a channel's code to our SKU (replacing an earlier mapping), and gives every imported line of that channel
/// with that code and no product our product, in one transaction with its audit row and an event per order.
pub async fn map_sku(
    desk: &Shopdesk,
    actor: &Actor,
    channel: &str,
    platform_sku: &str,
    sku: &str,
) -> Result<SkuMapping, SalesError> {
    actor.require(Permission::EditOrders)?;
    let channel = super::Channel::parse(channel)
        .ok_or_else(|| SalesError::UnknownChannel(channel.to_string()))?
        .as_str();
    let code = platform_sku.trim();
    if code.is_empty() || code.chars().count() > 128 {
        let mut e = crate::error::FieldErrors::default();
        e.push(crate::error::FieldError::new("platform_sku", "required"));
        return Err(SalesError::Validation(e));
    }
    let txn = desk.write_txn().await?;
    let product = products::Entity::find()
        .filter(products::Column::Sku.eq(sku.trim()))
        .one(&txn)
        .await?
        .ok_or_else(|| SalesError::NotFound {
            entity: "product",
            key: sku.to_string(),
        })?;
    let now = desk.now();
    let before = channel_sku_map::Entity::find()
        .filter(channel_sku_map::Column::Channel.eq(channel))
        .filter(channel_sku_map::Column::PlatformSku.eq(code))
        .one(&txn)
        .await?;
    match &before {
        Some(m) => {
            channel_sku_map::Entity::update_many()
                .col_expr(channel_sku_map::Column::ProductId, product.id.into())
                .col_expr(
                    channel_sku_map::Column::CreatedBy,
                    actor.username.clone().into(),
                )
                .col_expr(channel_sku_map::Column::CreatedAt, now.into())
                .filter(channel_sku_map::Column::Id.eq(m.id))
                .exec(&txn)
                .await?;
        }
        None => {
            channel_sku_map::ActiveModel {
                channel: Set(channel.to_string()),
                platform_sku: Set(code.to_string()),
                product_id: Set(product.id),
                created_by: Set(actor.username.clone()),
                created_at: Set(now),
                ..Default::default()
            }
            .insert(&txn)
            .await?;
        }
    }
    // The lines of the channel with this code (or, without a merchant code, this item id) and no product.
    let this_code = Condition::any()
        .add(lines::Column::PlatformSku.eq(code))
        .add(
            Condition::all()
                .add(lines::Column::PlatformSku.eq(""))
                .add(lines::Column::PlatformItemId.eq(code)),
        );
    let mut order_ids: Vec<i64> = lines::Entity::find()
        .select_only()
        .column(lines::Column::OrderId)
        .filter(lines::Column::ProductId.is_null())
        .filter(this_code.clone())
        .filter(in_channel(channel))
        .into_tuple::<i64>()
        .all(&txn)
        .await?;
    let updated = lines::Entity::update_many()
        .col_expr(lines::Column::ProductId, Some(product.id).into())
        .filter(lines::Column::ProductId.is_null())
        .filter(this_code)
        .filter(in_channel(channel))
        .exec(&txn)
        .await?
        .rows_affected as i64;
    order_ids.sort_unstable();
    order_ids.dedup();
    let detail = serde_json::json!({ "platform_sku": code, "sku": product.sku }).to_string();
    let events: Vec<order_events::ActiveModel> = order_ids
        .iter()
        .map(|id| order_events::ActiveModel {
            order_id: Set(*id),
            at: Set(now),
            username: Set(actor.username.clone()),
            kind: Set("sku_mapped".into()),
            detail: Set(detail.clone()),
            ..Default::default()
        })
        .collect();
    crate::db::insert_all(&txn, events).await?;
    let out = SkuMapping {
        channel: channel.to_string(),
        platform_sku: code.to_string(),
        sku: product.sku.clone(),
        name: product.name.clone(),
        lines_updated: updated,
    };
    audit::record(
        desk,
        &txn,
        actor,
        if before.is_some() {
            Action::Update
        } else {
            Action::Create
        },
        "channel_sku_map",
        None::<i64>,
        &format!("{channel}:{code}"),
        before
            .as_ref()
            .map(|b| serde_json::json!({ "product_id": b.product_id }))
            .as_ref(),
        Some(&out),
    )
    .await?;
    txn.commit().await?;
    Ok(out)
}

/// Every mapping of a channel (or all), by code.
pub async fn mappings(
    desk: &Shopdesk,
    actor: &Actor,
    channel: Option<&str>,
) -> Result<Vec<SkuMapping>, SalesError> {
    actor.require(Permission::ViewOrders)?;
    let mut q = channel_sku_map::Entity::find()
        .order_by_asc(channel_sku_map::Column::Channel)
        .order_by_asc(channel_sku_map::Column::PlatformSku);
    if let Some(c) = channel.filter(|c| !c.is_empty()) {
        q = q.filter(channel_sku_map::Column::Channel.eq(c));
    }
    let maps = q.all(desk.db()).await?;
    let prods: std::collections::HashMap<i64, products::Model> = products::Entity::find()
        .filter(products::Column::Id.is_in(maps.iter().map(|m| m.product_id)))
        .all(desk.db())
        .await?
        .into_iter()
        .map(|p| (p.id, p))
        .collect();
    Ok(maps
        .into_iter()
        .map(|m| {
            let p = prods.get(&m.product_id);
            SkuMapping {
                channel: m.channel,
                platform_sku: m.platform_sku,
                sku: p.map(|p| p.sku.clone()).unwrap_or_default(),
                name: p.map(|p| p.name.clone()).unwrap_or_default(),
                lines_updated: 0,
            }
        })
        .collect())
}
