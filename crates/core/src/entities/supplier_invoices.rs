//! Table `supplier_invoices`: a supplier's invoice (供应商发票) against one purchase order, with its three-way-match status.

use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "supplier_invoices")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    #[sea_orm(unique)]
    pub doc_no: String,
    pub supplier_id: i64,
    pub po_id: i64,
    pub invoice_no: String,
    pub invoice_date: Date,
    pub due_date: Date,
    pub currency: String,
    pub net_amount: i64,
    pub tax_amount: i64,
    pub total_amount: i64,
    pub expected_amount: i64,
    pub paid_amount: i64,
    pub status: String,
    pub issues: String,
    pub notes: String,
    pub created_by: String,
    pub created_at: DateTimeUtc,
    pub decided_by: Option<String>,
    pub decided_at: Option<DateTimeUtc>,
    pub decision_note: String,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
