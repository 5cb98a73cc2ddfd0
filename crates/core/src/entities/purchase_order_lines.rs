//! Table `purchase_order_lines`.

use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "purchase_order_lines")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub po_id: i64,
    pub line_no: i32,
    pub product_id: i64,
    pub qty: i64,
    /// Ten-thousandths, before tax.
    pub unit_price: i64,
    /// Basis points: 1300 = 13%.
    pub tax_rate_bp: i32,
    pub net_amount: i64,
    pub tax_amount: i64,
    pub expected_date: Option<Date>,
    pub received_qty: i64,
    pub rejected_qty: i64,
    pub promised_date: Option<Date>,
    pub chased_at: Option<DateTimeUtc>,
    pub chase_note: String,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
