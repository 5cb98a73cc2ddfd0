//! Table `supplier_items`: a supplier's own article, matched (or not yet) to one of our SKUs.

use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "supplier_items")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub supplier_id: i64,
    /// The supplier's code when there is one, else name|spec|unit normalised: unique per supplier.
    pub item_key: String,
    pub supplier_sku: String,
    pub name: String,
    pub spec: String,
    pub unit: String,
    pub barcode: String,
    pub category: String,
    pub product_id: Option<i64>,
    /// `unmatched`, `suggested` (matched by barcode or name, to confirm) or `confirmed`.
    pub match_status: String,
    pub created_at: DateTimeUtc,
    pub updated_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
