//! Table `order_events`: the timeline of a sales order (what changed, who, when), append-only.

use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "order_events")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub order_id: i64,
    pub at: DateTimeUtc,
    pub username: String,
    /// `updated` (a re-import changed it), `sku_mapped`, and later review, allocation and shipping steps.
    pub kind: String,
    /// JSON: for `updated`, `{field: [before, after]}`.
    pub detail: String,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
