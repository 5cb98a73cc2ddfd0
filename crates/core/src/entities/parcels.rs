//! Table `parcels`: what one warehouse ships in one box (包裹) — one order, part of one (拆单) or several orders of
//! one buyer (合单) — from allocation through picking, check, packing and shipping to delivery or a logistics
//! exception.

use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "parcels")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    #[sea_orm(unique)]
    pub parcel_no: String,
    pub warehouse_id: i64,
    pub main_order_id: i64,
    /// `allocated`, `picking`, `packed`, `shipped`, `delivered` or `cancelled`.
    pub status: String,
    pub wave_id: Option<i64>,
    pub wave_slot: i32,
    pub priority: i32,
    pub units: i64,
    pub carrier: String,
    pub service: String,
    pub tracking_no: String,
    pub weight_grams: i64,
    pub promised_at: Option<DateTimeUtc>,
    pub packed_at: Option<DateTimeUtc>,
    pub packed_by: String,
    pub shipped_at: Option<DateTimeUtc>,
    pub shipped_by: String,
    pub delivered_at: Option<DateTimeUtc>,
    pub last_tracking_at: Option<DateTimeUtc>,
    /// `""`, `no_update`, `late`, `lost` or `damaged`.
    pub exception: String,
    pub exception_note: String,
    /// `""`, `reship`, `refund`, `claim` or `closed`.
    pub resolution: String,
    /// Minor units claimed from the carrier.
    pub claim_amount: i64,
    pub reship_of: Option<i64>,
    pub created_at: DateTimeUtc,
    pub updated_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
