//! Table `supplier_invoice_lines`: one invoiced PO line with what it was matched against.

use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "supplier_invoice_lines")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub invoice_id: i64,
    pub po_line_id: i64,
    pub qty: i64,
    pub unit_price: i64,
    pub tax_rate_bp: i32,
    pub net_amount: i64,
    pub tax_amount: i64,
    pub po_unit_price: i64,
    pub po_tax_rate_bp: i32,
    pub received_qty: i64,
    pub invoiced_before: i64,
    pub expected_amount: i64,
    pub issues: String,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
