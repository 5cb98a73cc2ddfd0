//! Table `sales_orders`: one customer order from a channel (or typed in), money in minor units of `currency`.

use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "sales_orders")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    /// tmall | taobao | jd | pdd | shopify | amazon | generic | manual
    pub channel: String,
    pub shop: String,
    pub platform_order_no: String,
    /// Our workflow status (see `sales::OrderStatus`).
    pub status: String,
    /// The platform's own status text, as exported.
    pub platform_status: String,
    pub currency: String,
    pub goods_amount: i64,
    pub shipping_fee: i64,
    pub discount: i64,
    pub tax: i64,
    /// What the order is worth (GMV): goods + shipping + tax − discount, or the platform's total.
    pub total: i64,
    pub paid: i64,
    pub refunded: i64,
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
    pub ordered_at: DateTimeUtc,
    pub paid_at: Option<DateTimeUtc>,
    /// The order date in the company's time zone (reports group by it).
    pub biz_date: Date,
    pub priority: i32,
    pub tags: String,
    /// JSON list of `{rule, reason}` the review held the order for; empty when it was not held.
    pub hold_reasons: String,
    /// The warehouse a review rule assigned (empty: allocation decides).
    pub warehouse_code: String,
    pub import_id: Option<i64>,
    /// Fingerprint of the order as last imported: an unchanged re-import touches nothing.
    pub row_hash: String,
    pub created_at: DateTimeUtc,
    pub updated_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
