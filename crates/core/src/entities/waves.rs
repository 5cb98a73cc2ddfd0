//! Table `waves`: a picking wave (波次) of parcels of one warehouse, picked together from one pick list.

use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "waves")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    #[sea_orm(unique)]
    pub wave_no: String,
    pub warehouse_id: i64,
    /// `single` (one-unit parcels), `multi`, `hot` (parcels of the best-selling SKUs only) or `mixed`.
    pub kind: String,
    /// `open` while parcels of it are being picked and checked, `done` when none is left to pack.
    pub status: String,
    pub parcels: i64,
    pub units: i64,
    pub created_by: String,
    pub created_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
