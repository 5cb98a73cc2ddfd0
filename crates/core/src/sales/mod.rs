//! Orders (订单): customer orders from every channel. [`channels`] knows the platforms' exports,
//! [`import`] reads them through the shared import machinery into orders and lines in one transaction (re-imports
//! update status, payment and refund fields and record what changed), [`skus`] maps platform merchant codes
//! (商家编码) to our SKUs once for all later imports, [`review`] is the rule-based review (审单) with its exception
//! queue, and [`summary`] is the sales report.
//!
//! **Architecture Invariant:** an order is unique per channel, shop and platform order number (a unique index):
//! re-importing a file, or an export that overlaps an earlier one, never duplicates an order. Platform order
//! numbers are text from the file to the database; a number Excel already turned into a float is refused, not
//! guessed. Money is minor units of the order's currency.

pub mod allocate;
pub mod channels;
pub mod import;
pub mod manual;
pub mod outbound;
pub mod promotions;
pub mod review;
pub mod skus;
pub mod summary;

use crate::ApiError;
use crate::Shopdesk;
use crate::auth::{Actor, AuthError, Permission};
use crate::entities::{order_events, sales_order_lines as lines, sales_orders as orders};
use crate::imports::ImportError;
use crate::listing::{ListQuery, Page, fetch_page, search_any};
use crate::money::{Currency, Money, UnitPrice};
use chrono::{DateTime, NaiveDate, Utc};
use sea_orm::{ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QueryOrder, Set};
use serde::{Deserialize, Serialize};
use std::collections::HashMap;
use ts_rs::TS;

pub use channels::Channel;

#[derive(Debug, thiserror::Error)]
pub enum SalesError {
    #[error(transparent)]
    Auth(#[from] AuthError),
    #[error(transparent)]
    Import(#[from] ImportError),
    #[error("`{0}` is not a channel: tmall, taobao, jd, pdd, shopify, amazon or generic")]
    UnknownChannel(String),
    #[error("{entity} `{key}` does not exist")]
    NotFound { entity: &'static str, key: String },
    #[error("invalid input: {0}")]
    Validation(crate::error::FieldErrors),
    #[error(transparent)]
    Inventory(#[from] crate::inventory::InventoryError),
    #[error(transparent)]
    Pdf(#[from] crate::pdf::PdfError),
    #[error(transparent)]
    Db(#[from] sea_orm::DbErr),
}

impl From<SalesError> for ApiError {
    fn from(e: SalesError) -> Self {
        let message = e.to_string();
        match e {
            SalesError::Auth(a) => a.into(),
            SalesError::Import(i) => i.into(),
            SalesError::UnknownChannel(c) => ApiError::new("sales.unknown_channel", message)
                .with_field("channel")
                .with_param("value", c),
            SalesError::NotFound { entity, key } => ApiError::new("sales.not_found", message)
                .with_param("entity", entity)
                .with_param("key", key),
            SalesError::Validation(v) => v.into(),
            SalesError::Inventory(i) => i.into(),
            SalesError::Pdf(p) => p.into(),
            SalesError::Db(d) => d.into(),
        }
    }
}

/// Our order statuses, in the order work moves them. `unpaid`, `pending_review`, `shipped`, `completed` and
/// `closed` can come from a platform; the others are steps of our own workflow (review, allocation, picking).
pub const STATUSES: &[&str] = &[
    "unpaid",
    "pending_review",
    "held",
    "approved",
    "allocated",
    "picking",
    "packed",
    "shipped",
    "completed",
    "closed",
    "cancelled",
];

/// A status in the user's words.
pub fn status_label(lang: &str, s: &str) -> String {
    let (zh, en) = match s {
        "unpaid" => ("待付款", "unpaid"),
        "pending_review" => ("待审单", "to review"),
        "held" => ("异常挂起", "held"),
        "approved" => ("已审核", "approved"),
        "allocated" => ("已分仓", "allocated"),
        "picking" => ("拣货中", "picking"),
        "packed" => ("已打包", "packed"),
        "shipped" => ("已发货", "shipped"),
        "completed" => ("已完成", "completed"),
        "closed" => ("已关闭", "closed"),
        "cancelled" => ("已取消", "cancelled"),
        other => (other, other),
    };
    crate::report::tr(lang, zh, en).to_string()
}

/// How far along an order is, for "never move backwards on a re-import".
pub(crate) fn status_rank(s: &str) -> usize {
    STATUSES.iter().position(|x| *x == s).unwrap_or(0)
}

/// One event of an order's timeline, by `actor`, to insert.
pub(crate) fn event(
    order_id: i64,
    at: DateTime<Utc>,
    actor: &Actor,
    kind: &str,
    detail: serde_json::Value,
) -> order_events::ActiveModel {
    order_events::ActiveModel {
        order_id: Set(order_id),
        at: Set(at),
        username: Set(actor.username.clone()),
        kind: Set(kind.into()),
        detail: Set(detail.to_string()),
        ..Default::default()
    }
}

/// A validation error on one field.
pub(crate) fn invalid(field: &str, code: &str) -> SalesError {
    let mut e = crate::error::FieldErrors::default();
    e.push(crate::error::FieldError::new(field, code));
    SalesError::Validation(e)
}

pub(crate) fn money_text(minor: i64, currency: &str) -> String {
    Money::from_minor(minor, Currency::parse(currency).unwrap_or(Currency::CNY)).to_string()
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct OrderLine {
    #[ts(type = "number")]
    pub line_no: i32,
    pub platform_sku: String,
    pub platform_item_id: String,
    /// Our SKU once the platform code is mapped; empty while it is not.
    pub sku: String,
    pub title: String,
    pub spec: String,
    #[ts(type = "number")]
    pub qty: i64,
    pub unit_price: String,
    pub discount: String,
    pub amount: String,
    /// How the price was reached, one step per line: the promotions applied here, or the platform's price.
    pub price_note: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct SalesOrder {
    #[ts(type = "number")]
    pub id: i64,
    pub channel: String,
    pub shop: String,
    pub platform_order_no: String,
    pub status: String,
    pub platform_status: String,
    pub currency: String,
    pub goods_amount: String,
    pub shipping_fee: String,
    pub discount: String,
    pub tax: String,
    pub total: String,
    pub paid: String,
    pub refunded: String,
    pub payment_method: String,
    pub buyer: String,
    pub receiver: String,
    pub phone: String,
    pub province: String,
    pub city: String,
    pub district: String,
    pub address: String,
    pub postal_code: String,
    pub country: String,
    pub buyer_message: String,
    pub seller_note: String,
    pub carrier: String,
    pub tracking_no: String,
    pub ordered_at: DateTime<Utc>,
    pub paid_at: Option<DateTime<Utc>>,
    #[ts(type = "string")]
    pub biz_date: NaiveDate,
    pub lines: Vec<OrderLine>,
    /// Lines whose platform code is not mapped to one of our SKUs yet.
    #[ts(type = "number")]
    pub unmapped_lines: i64,
    /// Set by review rules: higher is picked first.
    pub priority: i32,
    pub tags: Vec<String>,
    /// Why the review held the order (empty unless held).
    pub hold_reasons: Vec<review::HoldReason>,
    /// The warehouse a review rule assigned (empty: allocation decides).
    pub warehouse_code: String,
}

/// One event of an order's timeline.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct OrderEvent {
    pub at: DateTime<Utc>,
    pub username: String,
    /// `imported`, `updated`, `sku_mapped`, …
    pub kind: String,
    /// JSON; for `updated` `{field: [before, after]}`.
    pub detail: String,
}

/// Orders filtered by channel (in `category`), status and free text (order number, buyer, receiver, phone).
pub async fn list(
    desk: &Shopdesk,
    actor: &Actor,
    query: &ListQuery,
) -> Result<Page<SalesOrder>, SalesError> {
    actor.require(Permission::ViewOrders)?;
    let mut select = orders::Entity::find();
    if let Some(t) = query.search_text() {
        select = select.filter(search_any(
            &[
                orders::Column::PlatformOrderNo,
                orders::Column::Buyer,
                orders::Column::Receiver,
                orders::Column::Phone,
            ],
            t,
        ));
    }
    if let Some(s) = query
        .status
        .as_deref()
        .filter(|s| !s.is_empty() && *s != "all" && *s != "active")
    {
        select = select.filter(orders::Column::Status.eq(s));
    }
    if let Some(c) = query.category.as_deref().filter(|c| !c.is_empty()) {
        select = select.filter(orders::Column::Channel.eq(c));
    }
    let mut q = query.clone();
    if q.sort.is_none() {
        q.sort = Some("ordered_at".into());
        q.desc = true;
    }
    let (rows, total) = fetch_page(
        desk.db(),
        select,
        &q,
        &[
            ("ordered_at", orders::Column::OrderedAt),
            ("platform_order_no", orders::Column::PlatformOrderNo),
            ("total", orders::Column::Total),
            ("status", orders::Column::Status),
        ],
        orders::Column::Id,
    )
    .await?;
    Ok(Page {
        items: load(desk.db(), rows, &actor.language).await?,
        total,
        page: query.page(),
        page_size: query.page_size(),
    })
}

/// One order by its platform number (and channel when the same number exists on several).
pub async fn get(
    desk: &Shopdesk,
    actor: &Actor,
    platform_order_no: &str,
    channel: Option<&str>,
) -> Result<SalesOrder, SalesError> {
    actor.require(Permission::ViewOrders)?;
    let mut q = orders::Entity::find()
        .filter(orders::Column::PlatformOrderNo.eq(platform_order_no.trim()))
        .order_by_asc(orders::Column::Id);
    if let Some(c) = channel.filter(|c| !c.is_empty()) {
        q = q.filter(orders::Column::Channel.eq(c));
    }
    let rows = q.all(desk.db()).await?;
    load(desk.db(), rows, &actor.language)
        .await?
        .into_iter()
        .next()
        .ok_or_else(|| SalesError::NotFound {
            entity: "sales_order",
            key: platform_order_no.to_string(),
        })
}

/// The timeline of one order: its import, then every recorded event, oldest first.
pub async fn timeline(
    desk: &Shopdesk,
    actor: &Actor,
    order_id: i64,
) -> Result<Vec<OrderEvent>, SalesError> {
    use crate::entities::order_imports;
    actor.require(Permission::ViewOrders)?;
    let o = orders::Entity::find_by_id(order_id)
        .one(desk.db())
        .await?
        .ok_or_else(|| SalesError::NotFound {
            entity: "sales_order",
            key: order_id.to_string(),
        })?;
    let mut out = Vec::new();
    let first_import = match o.import_id {
        Some(id) => order_imports::Entity::find_by_id(id).one(desk.db()).await?,
        None => None,
    };
    out.push(OrderEvent {
        at: o.created_at,
        username: first_import
            .as_ref()
            .map(|i| i.username.clone())
            .unwrap_or_default(),
        kind: if first_import.is_some() {
            "imported"
        } else {
            "created"
        }
        .into(),
        detail: serde_json::json!({
            "file": first_import.as_ref().map(|i| i.file_name.clone()),
            "channel": o.channel,
        })
        .to_string(),
    });
    for e in order_events::Entity::find()
        .filter(order_events::Column::OrderId.eq(order_id))
        .order_by_asc(order_events::Column::Id)
        .all(desk.db())
        .await?
    {
        out.push(OrderEvent {
            at: e.at,
            username: e.username,
            kind: e.kind,
            detail: e.detail,
        });
    }
    Ok(out)
}

async fn load(
    conn: &impl ConnectionTrait,
    rows: Vec<orders::Model>,
    lang: &str,
) -> Result<Vec<SalesOrder>, SalesError> {
    let ls = lines::Entity::find()
        .filter(lines::Column::OrderId.is_in(rows.iter().map(|o| o.id)))
        .order_by_asc(lines::Column::OrderId)
        .order_by_asc(lines::Column::LineNo)
        .all(conn)
        .await?;
    let skus = crate::masterdata::products::sku_codes(
        conn,
        ls.iter().filter_map(|l| l.product_id).collect(),
    )
    .await?;
    let mut by_order: HashMap<i64, Vec<lines::Model>> = HashMap::new();
    for l in ls {
        by_order.entry(l.order_id).or_default().push(l);
    }
    Ok(rows
        .into_iter()
        .map(|o| {
            let m = |v: i64| money_text(v, &o.currency);
            let ls = by_order.remove(&o.id).unwrap_or_default();
            let unmapped_lines = ls.iter().filter(|l| l.product_id.is_none()).count() as i64;
            SalesOrder {
                id: o.id,
                lines: ls
                    .into_iter()
                    .map(|l| OrderLine {
                        price_note: if l.price_note.is_empty() {
                            format!(
                                "{} {} × {} − {} = {}",
                                crate::report::tr(lang, "平台定价", "Priced by the platform:"),
                                UnitPrice::from_ten_thousandths(l.unit_price),
                                l.qty,
                                m(l.discount),
                                m(l.amount)
                            )
                        } else {
                            l.price_note.clone()
                        },
                        line_no: l.line_no,
                        sku: l
                            .product_id
                            .and_then(|p| skus.get(&p).cloned())
                            .unwrap_or_default(),
                        platform_sku: l.platform_sku,
                        platform_item_id: l.platform_item_id,
                        title: l.title,
                        spec: l.spec,
                        qty: l.qty,
                        unit_price: UnitPrice::from_ten_thousandths(l.unit_price).to_string(),
                        discount: m(l.discount),
                        amount: m(l.amount),
                    })
                    .collect(),
                unmapped_lines,
                priority: o.priority,
                tags: o
                    .tags
                    .split(',')
                    .filter(|t| !t.is_empty())
                    .map(str::to_string)
                    .collect(),
                hold_reasons: serde_json::from_str(&o.hold_reasons).unwrap_or_default(),
                warehouse_code: o.warehouse_code.clone(),
                goods_amount: m(o.goods_amount),
                shipping_fee: m(o.shipping_fee),
                discount: m(o.discount),
                tax: m(o.tax),
                total: m(o.total),
                paid: m(o.paid),
                refunded: m(o.refunded),
                channel: o.channel,
                shop: o.shop,
                platform_order_no: o.platform_order_no,
                status: o.status,
                platform_status: o.platform_status,
                currency: o.currency,
                payment_method: o.payment_method,
                buyer: o.buyer,
                receiver: o.receiver,
                phone: o.phone,
                province: o.province,
                city: o.city,
                district: o.district,
                address: o.address,
                postal_code: o.postal_code,
                country: o.country,
                buyer_message: o.buyer_message,
                seller_note: o.seller_note,
                carrier: o.carrier,
                tracking_no: o.tracking_no,
                ordered_at: o.ordered_at,
                paid_at: o.paid_at,
                biz_date: o.biz_date,
            }
        })
        .collect())
}
