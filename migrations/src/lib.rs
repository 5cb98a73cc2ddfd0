//! Forward-only schema migrations for Shopdesk.
//!
//! Rules (see ARCHITECTURE.md): a migration that has landed is never edited; new work adds a new timestamped file
//! `mYYYYMMDD_NNNNNN_name.rs`. Only sea-query schema builders are used (no raw SQL), so the same files run on SQLite
//! and PostgreSQL. Every migration runs inside a transaction, on SQLite too (`use_transaction`).
//! Money columns are `big_integer` minor units; there is no `decimal`/`real` column anywhere.

pub use sea_orm_migration::prelude::*;

mod m20261122_000001_foundation;
mod m20261122_000002_stock_ledger;
mod m20261122_000003_ledger_covering_index;
mod m20261123_000004_supplier_prices;
mod m20261123_000005_purchase_orders;
mod m20261123_000006_payables;
mod m20261123_000007_warehouse_work;
mod m20261123_000008_stock_periods;
mod m20261202_000009_supplier_returns;
mod m20261202_000010_sales_orders;
mod m20261202_000011_order_fulfilment;
mod m20261202_000012_promotions;

pub struct Migrator;

#[async_trait::async_trait]
impl MigratorTrait for Migrator {
    fn migrations() -> Vec<Box<dyn MigrationTrait>> {
        vec![
            Box::new(m20261122_000001_foundation::Migration),
            Box::new(m20261122_000002_stock_ledger::Migration),
            Box::new(m20261122_000003_ledger_covering_index::Migration),
            Box::new(m20261123_000004_supplier_prices::Migration),
            Box::new(m20261123_000005_purchase_orders::Migration),
            Box::new(m20261123_000006_payables::Migration),
            Box::new(m20261123_000007_warehouse_work::Migration),
            Box::new(m20261123_000008_stock_periods::Migration),
            Box::new(m20261202_000009_supplier_returns::Migration),
            Box::new(m20261202_000010_sales_orders::Migration),
            Box::new(m20261202_000011_order_fulfilment::Migration),
            Box::new(m20261202_000012_promotions::Migration),
        ]
    }
}
