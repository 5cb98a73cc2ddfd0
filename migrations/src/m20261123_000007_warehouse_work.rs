//! Warehouse work: transfers between warehouses (调拨) with stock in transit, and stocktaking sessions (盘点) that
//! freeze their locations (`locations.count_id`) while counting. Quantities are i64 units; values i64 fen.

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
                .table(StockTransfers::Table)
                .col(big_pk_auto(StockTransfers::Id))
                .col(string_len_uniq(StockTransfers::TransferNo, 32))
                .col(big_integer(StockTransfers::FromWarehouseId))
                .col(big_integer(StockTransfers::ToWarehouseId))
                .col(big_integer(StockTransfers::TransitLocationId))
                .col(string_len(StockTransfers::Status, 24))
                .col(string_len(StockTransfers::Notes, 1000))
                .col(string_len(StockTransfers::ShippedBy, 64))
                .col(timestamp_with_time_zone(StockTransfers::ShippedAt))
                .col(string_len_null(StockTransfers::ReceivedBy, 64))
                .col(timestamp_with_time_zone_null(StockTransfers::ReceivedAt))
                .foreign_key(
                    ForeignKey::create()
                        .name("fk_transfers_from")
                        .from(StockTransfers::Table, StockTransfers::FromWarehouseId)
                        .to(Warehouses::Table, Warehouses::Id),
                )
                .foreign_key(
                    ForeignKey::create()
                        .name("fk_transfers_to")
                        .from(StockTransfers::Table, StockTransfers::ToWarehouseId)
                        .to(Warehouses::Table, Warehouses::Id),
                )
                .to_owned(),
        )
        .await?;
        m.create_index(
            Index::create()
                .name("idx_transfers_status")
                .table(StockTransfers::Table)
                .col(StockTransfers::Status)
                .to_owned(),
        )
        .await?;
        m.create_table(
            Table::create()
                .table(StockTransferLines::Table)
                .col(big_pk_auto(StockTransferLines::Id))
                .col(big_integer(StockTransferLines::TransferId))
                .col(integer(StockTransferLines::LineNo))
                .col(big_integer(StockTransferLines::ProductId))
                .col(big_integer(StockTransferLines::FromLocationId))
                .col(big_integer(StockTransferLines::Qty))
                .col(big_integer(StockTransferLines::Value))
                .col(big_integer(StockTransferLines::ReceivedQty))
                .col(big_integer(StockTransferLines::ReceivedValue))
                .foreign_key(
                    ForeignKey::create()
                        .name("fk_transfer_lines_transfer")
                        .from(StockTransferLines::Table, StockTransferLines::TransferId)
                        .to(StockTransfers::Table, StockTransfers::Id),
                )
                .to_owned(),
        )
        .await?;
        m.create_index(
            Index::create()
                .name("idx_transfer_lines_transfer")
                .table(StockTransferLines::Table)
                .col(StockTransferLines::TransferId)
                .to_owned(),
        )
        .await?;

        m.create_table(
            Table::create()
                .table(StockCounts::Table)
                .col(big_pk_auto(StockCounts::Id))
                .col(string_len_uniq(StockCounts::CountNo, 32))
                .col(big_integer(StockCounts::WarehouseId))
                .col(string_len(StockCounts::Status, 16))
                .col(string_len(StockCounts::Scope, 1000))
                .col(string_len(StockCounts::Notes, 1000))
                .col(string_len(StockCounts::CreatedBy, 64))
                .col(timestamp_with_time_zone(StockCounts::CreatedAt))
                .col(string_len_null(StockCounts::DecidedBy, 64))
                .col(timestamp_with_time_zone_null(StockCounts::DecidedAt))
                .foreign_key(
                    ForeignKey::create()
                        .name("fk_counts_warehouse")
                        .from(StockCounts::Table, StockCounts::WarehouseId)
                        .to(Warehouses::Table, Warehouses::Id),
                )
                .to_owned(),
        )
        .await?;
        m.create_table(
            Table::create()
                .table(StockCountLines::Table)
                .col(big_pk_auto(StockCountLines::Id))
                .col(big_integer(StockCountLines::CountId))
                .col(big_integer(StockCountLines::ProductId))
                .col(big_integer(StockCountLines::LocationId))
                .col(big_integer(StockCountLines::Expected))
                .col(big_integer_null(StockCountLines::Counted))
                .col(string_len_null(StockCountLines::CountedBy, 64))
                .col(timestamp_with_time_zone_null(StockCountLines::CountedAt))
                .col(big_integer_null(StockCountLines::LedgerId))
                .foreign_key(
                    ForeignKey::create()
                        .name("fk_count_lines_count")
                        .from(StockCountLines::Table, StockCountLines::CountId)
                        .to(StockCounts::Table, StockCounts::Id),
                )
                .to_owned(),
        )
        .await?;
        m.create_index(
            Index::create()
                .name("uq_count_lines_count_location_product")
                .table(StockCountLines::Table)
                .col(StockCountLines::CountId)
                .col(StockCountLines::LocationId)
                .col(StockCountLines::ProductId)
                .unique()
                .to_owned(),
        )
        .await?;
        // The open count that freezes a location (NULL when none).
        m.alter_table(
            Table::alter()
                .table(Locations::Table)
                .add_column(big_integer_null(Locations::CountId))
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
enum StockTransfers {
    Table,
    Id,
    TransferNo,
    FromWarehouseId,
    ToWarehouseId,
    TransitLocationId,
    Status,
    Notes,
    ShippedBy,
    ShippedAt,
    ReceivedBy,
    ReceivedAt,
}

#[derive(DeriveIden)]
enum StockTransferLines {
    Table,
    Id,
    TransferId,
    LineNo,
    ProductId,
    FromLocationId,
    Qty,
    Value,
    ReceivedQty,
    ReceivedValue,
}

#[derive(DeriveIden)]
enum StockCounts {
    Table,
    Id,
    CountNo,
    WarehouseId,
    Status,
    Scope,
    Notes,
    CreatedBy,
    CreatedAt,
    DecidedBy,
    DecidedAt,
}

#[derive(DeriveIden)]
enum StockCountLines {
    Table,
    Id,
    CountId,
    ProductId,
    LocationId,
    Expected,
    Counted,
    CountedBy,
    CountedAt,
    LedgerId,
}

#[derive(DeriveIden)]
enum Warehouses {
    Table,
    Id,
}

#[derive(DeriveIden)]
enum Locations {
    Table,
    CountId,
}
