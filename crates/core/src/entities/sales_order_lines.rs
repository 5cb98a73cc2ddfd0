//! Table `sales_order_lines`: one item of a sales order, with the platform's code and our product once mapped.

use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "sales_order_lines")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub order_id: i64,
    pub line_no: i32,
    /// The merchant code on the platform (商家编码 / SKU / 外部系统编号).
    pub platform_sku: String,
    /// The platform's own item id (商品ID, ASIN) when the export has one.
    pub platform_item_id: String,
    /// Our product; `None` until the platform code is mapped.
    pub product_id: Option<i64>,
    pub title: String,
    pub spec: String,
    pub qty: i64,
    /// Ten-thousandths.
    pub unit_price: i64,
    /// Minor units.
    pub discount: i64,
    /// Minor units: what the line sold for.
    pub amount: i64,
    /// How the price was reached (list price, promotions applied), one step per line of text.
    pub price_note: String,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
