//! Table `supplier_return_lines`: rejected units of one receipt line sent back on a return.

use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "supplier_return_lines")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub return_id: i64,
    pub receipt_line_id: i64,
    pub product_id: i64,
    pub qty: i64,
    /// The PO's net unit price, ten-thousandths.
    pub unit_price: i64,
    /// qty × unit price, minor units, rounded half away from zero.
    pub amount: i64,
    pub reason: String,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
