//! Table `price_imports`: one row per supplier price-sheet import, with the file's hash and the counts.

use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "price_imports")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub supplier_id: i64,
    pub file_name: String,
    pub file_hash: String,
    /// The mapping used, as JSON.
    pub mapping: String,
    pub rows_read: i64,
    pub items_imported: i64,
    pub rows_skipped: i64,
    pub rows_failed: i64,
    pub prices_new: i64,
    pub prices_changed: i64,
    pub prices_unchanged: i64,
    pub user_id: Option<i64>,
    pub username: String,
    pub created_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
