//! Table `promotions`: a promotion (促销) with its kind, parameters (JSON), scope, validity and cap.

use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "promotions")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    #[sea_orm(unique)]
    pub code: String,
    pub name: String,
    /// `spend_save`, `percent`, `coupon`, `flash_sale` or `group_buy`.
    pub kind: String,
    pub params: String,
    pub channels: String,
    pub skus: String,
    pub starts_at: DateTimeUtc,
    pub ends_at: DateTimeUtc,
    pub cap: Option<i64>,
    pub used: i64,
    pub per_buyer: Option<i32>,
    pub enabled: bool,
    pub updated_by: String,
    pub created_at: DateTimeUtc,
    pub updated_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
