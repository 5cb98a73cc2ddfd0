//! Table `parcel_lines`: units of one order line in a parcel, reserved at one location; `checked` counts the units
//! the outbound check has scanned.

use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "parcel_lines")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub parcel_id: i64,
    pub order_id: i64,
    pub order_line_id: i64,
    pub product_id: i64,
    pub location_id: i64,
    pub qty: i64,
    pub checked: i64,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {
    #[sea_orm(
        belongs_to = "super::parcels::Entity",
        from = "Column::ParcelId",
        to = "super::parcels::Column::Id"
    )]
    Parcel,
    #[sea_orm(
        belongs_to = "super::sales_orders::Entity",
        from = "Column::OrderId",
        to = "super::sales_orders::Column::Id"
    )]
    Order,
}

impl Related<super::sales_orders::Entity> for Entity {
    fn to() -> RelationDef {
        Relation::Order.def()
    }
}

impl Related<super::parcels::Entity> for Entity {
    fn to() -> RelationDef {
        Relation::Parcel.def()
    }
}

impl ActiveModelBehavior for ActiveModel {}
