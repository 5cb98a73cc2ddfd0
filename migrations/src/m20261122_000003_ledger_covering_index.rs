//! A covering index for the ledger's aggregate reads (stock as of a date, the ledger check): SQLite and PostgreSQL
//! answer `SUM(qty), SUM(value) ... GROUP BY product_id, warehouse_id[, location_id]` from the index alone, in
//! order, without touching the table. It replaces the narrower `idx_stock_ledger_key`, its prefix.

use sea_orm_migration::prelude::*;

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    fn use_transaction(&self) -> Option<bool> {
        Some(true)
    }

    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.create_index(
            Index::create()
                .name("idx_stock_ledger_cover")
                .table(StockLedger::Table)
                .col(StockLedger::ProductId)
                .col(StockLedger::WarehouseId)
                .col(StockLedger::LocationId)
                .col(StockLedger::BizDate)
                .col(StockLedger::Qty)
                .col(StockLedger::Reserved)
                .col(StockLedger::InTransit)
                .col(StockLedger::Value)
                .to_owned(),
        )
        .await?;
        m.drop_index(
            Index::drop()
                .name("idx_stock_ledger_key")
                .table(StockLedger::Table)
                .to_owned(),
        )
        .await
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
    ProductId,
    WarehouseId,
    LocationId,
    BizDate,
    Qty,
    Reserved,
    InTransit,
    Value,
}
