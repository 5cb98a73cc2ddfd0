//! Table `stock_transfer_lines`: one SKU of a transfer with the exact value that left the source warehouse.

use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "stock_transfer_lines")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub transfer_id: i64,
    pub line_no: i32,
    pub product_id: i64,
    pub from_location_id: i64,
    pub qty: i64,
    pub value: i64,
    pub received_qty: i64,
    pub received_value: i64,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
