//! Table `purchase_receipts`: one goods receipt (入库验收单) against a purchase order.

use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "purchase_receipts")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    #[sea_orm(unique)]
    pub receipt_no: String,
    pub po_id: i64,
    pub warehouse_id: i64,
    pub received_at: DateTimeUtc,
    pub biz_date: Date,
    pub username: String,
    pub notes: String,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
