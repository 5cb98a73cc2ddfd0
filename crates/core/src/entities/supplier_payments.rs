//! Table `supplier_payments`: a payment to a supplier (付款).

use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "supplier_payments")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    #[sea_orm(unique)]
    pub payment_no: String,
    pub supplier_id: i64,
    pub currency: String,
    pub amount: i64,
    pub pay_date: Date,
    pub method: String,
    pub reference: String,
    pub notes: String,
    pub created_by: String,
    pub created_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
