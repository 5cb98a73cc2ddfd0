//! sea-orm entities: one per table. **API Boundary:** entities never leave the core; modules convert rows into
//! domain types (in `masterdata`, `auth`, ...) before returning them.

pub mod users;
pub mod settings;
pub mod audit_log;
pub mod doc_sequences;
pub mod products;
pub mod suppliers;
pub mod supplier_certificates;
pub mod warehouses;
pub mod locations;
pub mod customers;
