//! Table `supplier_returns`: one return of rejected goods to a supplier (退供单).

use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "supplier_returns")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    #[sea_orm(unique)]
    pub return_no: String,
    pub supplier_id: i64,
    pub currency: String,
    /// Σ line amounts, minor units: the value the supplier must credit or replace.
    pub amount: i64,
    pub carrier: String,
    pub tracking_no: String,
    pub notes: String,
    pub biz_date: Date,
    pub created_by: String,
    pub created_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
