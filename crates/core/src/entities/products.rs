//! Table `products`.

use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "products")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    #[sea_orm(unique)]
    pub sku: String,
    pub barcode: Option<String>,
    pub name: String,
    pub spec: String,
    pub unit: String,
    pub category: String,
    pub brand: String,
    /// Unit cost in 1/10,000 of the currency unit.
    pub cost: i64,
    /// Unit sale price in 1/10,000 of the currency unit.
    pub price: i64,
    pub currency: String,
    pub safety_stock: i64,
    pub status: String,
    pub created_at: DateTimeUtc,
    pub updated_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
