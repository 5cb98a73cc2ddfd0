//! Table `order_imports`: one import of a channel's order export, with its counts.

use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "order_imports")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub channel: String,
    pub file_name: String,
    pub file_hash: String,
    pub rows_read: i64,
    pub orders_created: i64,
    pub orders_updated: i64,
    pub lines: i64,
    pub rows_failed: i64,
    pub username: String,
    pub created_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
