//! Order fulfilment: parcels (包裹) — what one warehouse ships in one box: the lines of one order, part of an
//! order (拆单) or the lines of several orders of one buyer (合单) — each parcel line with the location its stock is
//! reserved at and how many units the outbound check (出库复核) has scanned; picking waves (波次); and the shipping
//! notification records (发货通知) sent back to each platform order.

use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    fn use_transaction(&self) -> Option<bool> {
        Some(true)
    }

    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.create_table(
            Table::create()
                .table(Waves::Table)
                .col(big_pk_auto(Waves::Id))
                .col(string_len_uniq(Waves::WaveNo, 32))
                .col(big_integer(Waves::WarehouseId))
                .col(string_len(Waves::Kind, 16))
                .col(string_len(Waves::Status, 16))
                .col(big_integer(Waves::Parcels))
                .col(big_integer(Waves::Units))
                .col(string_len(Waves::CreatedBy, 64))
                .col(timestamp_with_time_zone(Waves::CreatedAt))
                .to_owned(),
        )
        .await?;
        m.create_table(
            Table::create()
                .table(Parcels::Table)
                .col(big_pk_auto(Parcels::Id))
                .col(string_len_uniq(Parcels::ParcelNo, 32))
                .col(big_integer(Parcels::WarehouseId))
                // The order whose receiver and address the parcel goes to (the first of a merge).
                .col(big_integer(Parcels::MainOrderId))
                .col(string_len(Parcels::Status, 16))
                .col(big_integer_null(Parcels::WaveId))
                // Place in the wave (the slot of the sorting wall), from 1.
                .col(integer(Parcels::WaveSlot))
                .col(integer(Parcels::Priority))
                .col(big_integer(Parcels::Units))
                .col(string_len(Parcels::Carrier, 64))
                .col(string_len(Parcels::Service, 64))
                .col(string_len(Parcels::TrackingNo, 64))
                // Grams, exact.
                .col(big_integer(Parcels::WeightGrams))
                .col(timestamp_with_time_zone_null(Parcels::PromisedAt))
                .col(timestamp_with_time_zone_null(Parcels::PackedAt))
                .col(string_len(Parcels::PackedBy, 64))
                .col(timestamp_with_time_zone_null(Parcels::ShippedAt))
                .col(string_len(Parcels::ShippedBy, 64))
                .col(timestamp_with_time_zone_null(Parcels::DeliveredAt))
                .col(timestamp_with_time_zone_null(Parcels::LastTrackingAt))
                // Logistics exception (no_update, late, lost, damaged) and how it was resolved.
                .col(string_len(Parcels::Exception, 16))
                .col(string_len(Parcels::ExceptionNote, 500))
                .col(string_len(Parcels::Resolution, 16))
                .col(big_integer(Parcels::ClaimAmount))
                .col(big_integer_null(Parcels::ReshipOf))
                .col(timestamp_with_time_zone(Parcels::CreatedAt))
                .col(timestamp_with_time_zone(Parcels::UpdatedAt))
                .to_owned(),
        )
        .await?;
        for (name, col) in [
            ("idx_parcels_status", Parcels::Status),
            ("idx_parcels_wave", Parcels::WaveId),
            ("idx_parcels_tracking", Parcels::TrackingNo),
        ] {
            m.create_index(
                Index::create()
                    .name(name)
                    .table(Parcels::Table)
                    .col(col)
                    .to_owned(),
            )
            .await?;
        }
        m.create_table(
            Table::create()
                .table(ParcelLines::Table)
                .col(big_pk_auto(ParcelLines::Id))
                .col(big_integer(ParcelLines::ParcelId))
                .col(big_integer(ParcelLines::OrderId))
                .col(big_integer(ParcelLines::OrderLineId))
                .col(big_integer(ParcelLines::ProductId))
                .col(big_integer(ParcelLines::LocationId))
                .col(big_integer(ParcelLines::Qty))
                .col(big_integer(ParcelLines::Checked))
                .foreign_key(
                    ForeignKey::create()
                        .from(ParcelLines::Table, ParcelLines::ParcelId)
                        .to(Parcels::Table, Parcels::Id),
                )
                .to_owned(),
        )
        .await?;
        for (name, col) in [
            ("idx_parcel_lines_parcel", ParcelLines::ParcelId),
            ("idx_parcel_lines_order", ParcelLines::OrderId),
            ("idx_parcel_lines_order_line", ParcelLines::OrderLineId),
        ] {
            m.create_index(
                Index::create()
                    .name(name)
                    .table(ParcelLines::Table)
                    .col(col)
                    .to_owned(),
            )
            .await?;
        }
        m.create_table(
            Table::create()
                .table(ShipNotices::Table)
                .col(big_pk_auto(ShipNotices::Id))
                .col(big_integer(ShipNotices::OrderId))
                .col(big_integer(ShipNotices::ParcelId))
                .col(string_len(ShipNotices::Channel, 16))
                .col(string_len(ShipNotices::Shop, 64))
                .col(string_len(ShipNotices::PlatformOrderNo, 64))
                .col(string_len(ShipNotices::Carrier, 64))
                .col(string_len(ShipNotices::TrackingNo, 64))
                // pending until marked sent once it is on the platform (no platform API is called).
                .col(string_len(ShipNotices::Status, 16))
                .col(timestamp_with_time_zone(ShipNotices::CreatedAt))
                .col(timestamp_with_time_zone_null(ShipNotices::SentAt))
                .to_owned(),
        )
        .await?;
        m.create_index(
            Index::create()
                .name("idx_ship_notices_status")
                .table(ShipNotices::Table)
                .col(ShipNotices::Status)
                .to_owned(),
        )
        .await?;
        Ok(())
    }

    async fn down(&self, _m: &SchemaManager) -> Result<(), DbErr> {
        Err(DbErr::Migration(
            "Shopdesk migrations only move forward".into(),
        ))
    }
}

#[derive(DeriveIden)]
enum Waves {
    Table,
    Id,
    WaveNo,
    WarehouseId,
    Kind,
    Status,
    Parcels,
    Units,
    CreatedBy,
    CreatedAt,
}

#[derive(DeriveIden, Clone, Copy)]
enum Parcels {
    Table,
    Id,
    ParcelNo,
    WarehouseId,
    MainOrderId,
    Status,
    WaveId,
    WaveSlot,
    Priority,
    Units,
    Carrier,
    Service,
    TrackingNo,
    WeightGrams,
    PromisedAt,
    PackedAt,
    PackedBy,
    ShippedAt,
    ShippedBy,
    DeliveredAt,
    LastTrackingAt,
    Exception,
    ExceptionNote,
    Resolution,
    ClaimAmount,
    ReshipOf,
    CreatedAt,
    UpdatedAt,
}

#[derive(DeriveIden, Clone, Copy)]
enum ParcelLines {
    Table,
    Id,
    ParcelId,
    OrderId,
    OrderLineId,
    ProductId,
    LocationId,
    Qty,
    Checked,
}

#[derive(DeriveIden)]
enum ShipNotices {
    Table,
    Id,
    OrderId,
    ParcelId,
    Channel,
    Shop,
    PlatformOrderNo,
    Carrier,
    TrackingNo,
    Status,
    CreatedAt,
    SentAt,
}
