//! Table `purchase_receipt_lines`: counted, accepted and rejected quantities of one PO line in one receipt.

use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "purchase_receipt_lines")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub receipt_id: i64,
    pub po_line_id: i64,
    pub product_id: i64,
    pub location_id: i64,
    pub counted: i64,
    pub accepted: i64,
    pub rejected: i64,
    /// `quality`, `packaging`, `wrong_item`, `damaged`, `other`; empty when nothing was rejected.
    pub reject_reason: String,
    /// The stock-ledger entry of the accepted quantity.
    pub ledger_id: Option<i64>,
    /// Rejected units sent back to the supplier on a return (退供单); never more than `rejected`.
    pub returned: i64,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
