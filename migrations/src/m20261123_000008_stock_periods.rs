//! Closed stock periods: one row holding the date through which the stock ledger is closed (`closed_through`,
//! inclusive). Posting into a closed period is refused; the history of closes and reopens is in the audit log.

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
                .table(StockPeriodLock::Table)
                .col(big_integer(StockPeriodLock::Id).primary_key())
                .col(date_null(StockPeriodLock::ClosedThrough))
                .col(string_len(StockPeriodLock::UpdatedBy, 64))
                .col(timestamp_with_time_zone_null(StockPeriodLock::UpdatedAt))
                .to_owned(),
        )
        .await?;
        m.exec_stmt(
            Query::insert()
                .into_table(StockPeriodLock::Table)
                .columns([StockPeriodLock::Id, StockPeriodLock::UpdatedBy])
                .values_panic([1i64.into(), "".into()])
                .to_owned(),
        )
        .await?;
        // Revaluation entries point at the entry they correct (`reverses_id`).
        m.create_index(
            Index::create()
                .name("idx_stock_ledger_reverses")
                .table(StockLedger::Table)
                .col(StockLedger::ReversesId)
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
enum StockPeriodLock {
    Table,
    Id,
    ClosedThrough,
    UpdatedBy,
    UpdatedAt,
}

#[derive(DeriveIden)]
enum StockLedger {
    Table,
    ReversesId,
}
