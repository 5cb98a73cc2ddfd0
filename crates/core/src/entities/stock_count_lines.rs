//! Table `stock_count_lines`: one SKU at one location: the frozen expected quantity and what was counted.

use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "stock_count_lines")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub count_id: i64,
    pub product_id: i64,
    pub location_id: i64,
    pub expected: i64,
    pub counted: Option<i64>,
    pub counted_by: Option<String>,
    pub counted_at: Option<DateTimeUtc>,
    pub ledger_id: Option<i64>,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
