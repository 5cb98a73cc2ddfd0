//! Table `ship_notices`: the shipping notification (发货通知) owed to a platform order — carrier and tracking
//! number — pending until someone marks it sent once it is on the platform (no platform API is called).

use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "ship_notices")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub order_id: i64,
    pub parcel_id: i64,
    pub channel: String,
    pub shop: String,
    pub platform_order_no: String,
    pub carrier: String,
    pub tracking_no: String,
    pub status: String,
    pub created_at: DateTimeUtc,
    pub sent_at: Option<DateTimeUtc>,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
