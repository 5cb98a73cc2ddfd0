//! sea-orm entities: one per table. **API Boundary:** entities never leave the core; modules convert rows into
//! domain types (in `masterdata`, `auth`, ...) before returning them.

pub mod audit_log;
pub mod customers;
pub mod doc_sequences;
pub mod import_mappings;
pub mod locations;
pub mod payables_ledger;
pub mod payment_allocations;
pub mod price_imports;
pub mod products;
pub mod purchase_order_lines;
pub mod purchase_orders;
pub mod purchase_receipt_lines;
pub mod purchase_receipts;
pub mod settings;
pub mod stock_balances;
pub mod stock_count_lines;
pub mod stock_counts;
pub mod stock_ledger;
pub mod stock_period_lock;
pub mod stock_transfer_lines;
pub mod stock_transfers;
pub mod stock_valuations;
pub mod supplier_balances;
pub mod supplier_certificates;
pub mod supplier_invoice_lines;
pub mod supplier_invoices;
pub mod supplier_items;
pub mod supplier_payments;
pub mod supplier_prices;
pub mod suppliers;
pub mod users;
pub mod warehouses;
