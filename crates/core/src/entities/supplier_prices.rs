//! Table `supplier_prices`: price history of a supplier item. A price is valid from its date until the next
//! price of the same item; rows are never updated.

use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "supplier_prices")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub supplier_item_id: i64,
    pub supplier_id: i64,
    /// Unit price in ten-thousandths of the currency unit.
    pub price: i64,
    pub currency: String,
    /// The unit the price is per (`pc`, `箱`), when the sheet said.
    pub price_unit: String,
    pub moq: Option<i64>,
    pub lead_time_days: Option<i32>,
    pub valid_from: Date,
    pub import_id: Option<i64>,
    pub source_sheet: String,
    pub source_row: i64,
    pub row_hash: String,
    pub created_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
