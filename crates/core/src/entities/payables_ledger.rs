//! Table `payables_ledger`: append-only payables entries; positive amounts raise what we owe the supplier.

use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "payables_ledger")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub supplier_id: i64,
    pub currency: String,
    pub kind: String,
    pub doc_no: String,
    pub doc_id: i64,
    pub amount: i64,
    pub biz_date: Date,
    pub username: String,
    pub created_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
