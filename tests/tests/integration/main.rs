//! Integration tests: whole flows through the core on a fresh database per test, each on SQLite and PostgreSQL.

mod auth_roles;
mod backup;
mod database;
mod demo_and_lists;
mod export;
mod fulfilment;
mod inventory;
mod masterdata;
mod order_review;
mod payables;
mod procurement;
mod promotions;
mod purchase_orders;
mod sales_orders;
mod stock_periods;
mod supplier_returns;
mod warehouse_work;
