//! Table `order_rules`: the review rules (审单规则) in the order they run; condition and outcome as JSON.

use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "order_rules")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub name: String,
    pub position: i32,
    pub enabled: bool,
    /// `sales::review::Condition` as JSON.
    pub condition: String,
    /// `sales::review::Outcome` as JSON.
    pub outcome: String,
    pub updated_by: String,
    pub updated_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
