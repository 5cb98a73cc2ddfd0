//! Table `stock_transfers`: a transfer between warehouses (调拨单); its stock is in transit at `transit_location_id` until received.

use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "stock_transfers")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    #[sea_orm(unique)]
    pub transfer_no: String,
    pub from_warehouse_id: i64,
    pub to_warehouse_id: i64,
    pub transit_location_id: i64,
    pub status: String,
    pub notes: String,
    pub shipped_by: String,
    pub shipped_at: DateTimeUtc,
    pub received_by: Option<String>,
    pub received_at: Option<DateTimeUtc>,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
