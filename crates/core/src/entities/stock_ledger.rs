//! Table `stock_ledger`.

use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "stock_ledger")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub at: DateTimeUtc,
    pub biz_date: Date,
    pub product_id: i64,
    pub warehouse_id: i64,
    pub location_id: i64,
    pub kind: String,
    /// Change of on-hand quantity.
    pub qty: i64,
    /// Change of reserved quantity.
    pub reserved: i64,
    /// Change of in-transit quantity.
    pub in_transit: i64,
    /// Unit cost used for this entry, in ten-thousandths.
    pub unit_cost: i64,
    /// Change of the warehouse's stock value, in fen.
    pub value: i64,
    pub doc_type: String,
    pub doc_no: String,
    pub doc_line: Option<i64>,
    pub user_id: Option<i64>,
    pub username: String,
    pub reverses_id: Option<i64>,
    pub note: String,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
