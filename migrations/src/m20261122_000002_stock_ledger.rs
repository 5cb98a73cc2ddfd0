//! Inventory foundation: the append-only stock ledger, balances per SKU × warehouse × location, and the moving-
//! average valuation per SKU × warehouse. Quantities are i64 in the SKU's smallest unit; values are i64 fen.

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
                .table(StockLedger::Table)
                .col(big_pk_auto(StockLedger::Id))
                .col(timestamp_with_time_zone(StockLedger::At))
                .col(date(StockLedger::BizDate))
                .col(big_integer(StockLedger::ProductId))
                .col(big_integer(StockLedger::WarehouseId))
                .col(big_integer(StockLedger::LocationId))
                .col(string_len(StockLedger::Kind, 24))
                .col(big_integer(StockLedger::Qty))
                .col(big_integer(StockLedger::Reserved))
                .col(big_integer(StockLedger::InTransit))
                .col(big_integer(StockLedger::UnitCost))
                .col(big_integer(StockLedger::Value))
                .col(string_len(StockLedger::DocType, 24))
                .col(string_len(StockLedger::DocNo, 64))
                .col(big_integer_null(StockLedger::DocLine))
                .col(big_integer_null(StockLedger::UserId))
                .col(string_len(StockLedger::Username, 64))
                .col(big_integer_null(StockLedger::ReversesId))
                .col(string_len(StockLedger::Note, 255))
                .foreign_key(
                    ForeignKey::create()
                        .name("fk_stock_ledger_product")
                        .from(StockLedger::Table, StockLedger::ProductId)
                        .to(Products::Table, Products::Id),
                )
                .foreign_key(
                    ForeignKey::create()
                        .name("fk_stock_ledger_location")
                        .from(StockLedger::Table, StockLedger::LocationId)
                        .to(Locations::Table, Locations::Id),
                )
                .to_owned(),
        )
        .await?;
        for (name, cols) in [
            (
                "idx_stock_ledger_key",
                vec![
                    StockLedger::ProductId,
                    StockLedger::WarehouseId,
                    StockLedger::LocationId,
                ],
            ),
            ("idx_stock_ledger_biz_date", vec![StockLedger::BizDate]),
            ("idx_stock_ledger_doc", vec![StockLedger::DocNo]),
        ] {
            let mut idx = Index::create();
            idx.name(name).table(StockLedger::Table);
            for c in cols {
                idx.col(c);
            }
            m.create_index(idx.to_owned()).await?;
        }

        m.create_table(
            Table::create()
                .table(StockBalances::Table)
                .col(big_pk_auto(StockBalances::Id))
                .col(big_integer(StockBalances::ProductId))
                .col(big_integer(StockBalances::WarehouseId))
                .col(big_integer(StockBalances::LocationId))
                .col(big_integer(StockBalances::OnHand))
                .col(big_integer(StockBalances::Reserved))
                .col(big_integer(StockBalances::InTransit))
                .col(timestamp_with_time_zone(StockBalances::UpdatedAt))
                .foreign_key(
                    ForeignKey::create()
                        .name("fk_stock_balances_product")
                        .from(StockBalances::Table, StockBalances::ProductId)
                        .to(Products::Table, Products::Id),
                )
                .to_owned(),
        )
        .await?;
        m.create_index(
            Index::create()
                .name("uq_stock_balances_key")
                .table(StockBalances::Table)
                .col(StockBalances::ProductId)
                .col(StockBalances::WarehouseId)
                .col(StockBalances::LocationId)
                .unique()
                .to_owned(),
        )
        .await?;
        m.create_index(
            Index::create()
                .name("idx_stock_balances_warehouse")
                .table(StockBalances::Table)
                .col(StockBalances::WarehouseId)
                .to_owned(),
        )
        .await?;

        m.create_table(
            Table::create()
                .table(StockValuations::Table)
                .col(big_pk_auto(StockValuations::Id))
                .col(big_integer(StockValuations::ProductId))
                .col(big_integer(StockValuations::WarehouseId))
                .col(big_integer(StockValuations::Qty))
                .col(big_integer(StockValuations::Value))
                .col(timestamp_with_time_zone(StockValuations::UpdatedAt))
                .to_owned(),
        )
        .await?;
        m.create_index(
            Index::create()
                .name("uq_stock_valuations_key")
                .table(StockValuations::Table)
                .col(StockValuations::ProductId)
                .col(StockValuations::WarehouseId)
                .unique()
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
enum StockLedger {
    Table,
    Id,
    At,
    BizDate,
    ProductId,
    WarehouseId,
    LocationId,
    Kind,
    Qty,
    Reserved,
    InTransit,
    UnitCost,
    Value,
    DocType,
    DocNo,
    DocLine,
    UserId,
    Username,
    ReversesId,
    Note,
}

#[derive(DeriveIden)]
enum StockBalances {
    Table,
    Id,
    ProductId,
    WarehouseId,
    LocationId,
    OnHand,
    Reserved,
    InTransit,
    UpdatedAt,
}

#[derive(DeriveIden)]
enum StockValuations {
    Table,
    Id,
    ProductId,
    WarehouseId,
    Qty,
    Value,
    UpdatedAt,
}

#[derive(DeriveIden)]
enum Products {
    Table,
    Id,
}

#[derive(DeriveIden)]
enum Locations {
    Table,
    Id,
}
