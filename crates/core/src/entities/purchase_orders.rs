//! Table `purchase_orders`.

use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "purchase_orders")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    #[sea_orm(unique)]
    pub po_no: String,
    pub supplier_id: i64,
    pub warehouse_id: i64,
    pub status: String,
    pub currency: String,
    pub order_date: Date,
    pub expected_date: Option<Date>,
    /// Fen, before tax.
    pub net_amount: i64,
    pub tax_amount: i64,
    pub total_amount: i64,
    pub notes: String,
    pub created_by: String,
    pub approved_by: Option<String>,
    pub approved_at: Option<DateTimeUtc>,
    pub sent_at: Option<DateTimeUtc>,
    pub created_at: DateTimeUtc,
    pub updated_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
