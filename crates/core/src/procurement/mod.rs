//! Procurement (采购): supplier price sheets imported from Excel/WPS/CSV ([`price_sheets`]), supplier items and
//! their price history with a comparison across suppliers ([`prices`]), purchase orders and receipts ([`orders`]), returns of rejected goods ([`returns`]),
//! supplier invoices, payments, balances and ageing ([`payables`]).
//!
//! Everything here takes the acting user and checks permission in the core; every import is one transaction
//! with its audit row. It must never touch stock: receipts are posted by the inventory module.

pub mod orders;
pub mod payables;
pub mod planning;
pub mod po_doc;
pub mod price_sheets;
pub mod prices;
pub mod returns;
pub mod scorecard;

use crate::ApiError;
use crate::auth::AuthError;
use crate::imports::ImportError;

#[derive(Debug, thiserror::Error)]
pub enum ProcurementError {
    #[error(transparent)]
    Auth(#[from] AuthError),
    #[error(transparent)]
    Import(#[from] ImportError),
    #[error("no supplier with code `{0}`")]
    NoSuchSupplier(String),
    #[error("{entity} #{id} does not exist")]
    NotFound { entity: &'static str, id: i64 },
    #[error("`{0}` is not a currency code")]
    Currency(String),
    #[error("cannot write {path}: {reason}")]
    Write { path: String, reason: String },
    #[error("invalid input: {0}")]
    Validation(crate::error::FieldErrors),
    #[error("purchase order {po_no} is {status}: it cannot {action}")]
    Status {
        po_no: String,
        status: String,
        action: &'static str,
    },
    #[error("supplier {code} is {qualification}, not approved: it cannot receive purchase orders")]
    SupplierNotApproved { code: String, qualification: String },
    #[error("purchase order {po_no} totals {total}, above the approval limit {limit} of your role")]
    ApprovalLimit {
        po_no: String,
        total: String,
        limit: String,
    },
    #[error("{doc_no} is {status}: it cannot {action}")]
    DocStatus {
        doc_no: String,
        status: String,
        action: &'static str,
    },
    #[error("supplier {supplier} invoice {invoice_no} is already recorded as {doc_no}")]
    DuplicateInvoice {
        supplier: String,
        invoice_no: String,
        doc_no: String,
    },
    #[error(transparent)]
    Inventory(Box<crate::inventory::InventoryError>),
    #[error(transparent)]
    Db(#[from] sea_orm::DbErr),
}

impl From<ProcurementError> for ApiError {
    fn from(e: ProcurementError) -> Self {
        let message = e.to_string();
        match e {
            ProcurementError::Auth(a) => a.into(),
            ProcurementError::Import(i) => i.into(),
            ProcurementError::NoSuchSupplier(code) => {
                ApiError::new("procurement.no_such_supplier", message)
                    .with_field("supplier")
                    .with_param("code", code)
            }
            ProcurementError::NotFound { entity, id } => {
                ApiError::new("procurement.not_found", message)
                    .with_param("entity", entity)
                    .with_param("id", id)
            }
            ProcurementError::Currency(c) => ApiError::new("procurement.currency", message)
                .with_field("currency")
                .with_param("value", c),
            ProcurementError::Write { path, .. } => {
                ApiError::new("procurement.write", message).with_param("path", path)
            }
            ProcurementError::Validation(v) => v.into(),
            ProcurementError::Status {
                po_no,
                status,
                action,
            } => ApiError::new("procurement.po_status", message)
                .with_param("po_no", po_no)
                .with_param("status", status)
                .with_param("action", action),
            ProcurementError::SupplierNotApproved {
                code,
                qualification,
            } => ApiError::new("procurement.supplier_not_approved", message)
                .with_param("code", code)
                .with_param("qualification", qualification),
            ProcurementError::ApprovalLimit {
                po_no,
                total,
                limit,
            } => ApiError::new("procurement.approval_limit", message)
                .with_param("po_no", po_no)
                .with_param("total", total)
                .with_param("limit", limit),
            ProcurementError::DocStatus {
                doc_no,
                status,
                action,
            } => ApiError::new("procurement.doc_status", message)
                .with_param("doc_no", doc_no)
                .with_param("status", status)
                .with_param("action", action),
            ProcurementError::DuplicateInvoice {
                supplier,
                invoice_no,
                doc_no,
            } => ApiError::new("procurement.duplicate_invoice", message)
                .with_field("invoice_no")
                .with_param("supplier", supplier)
                .with_param("invoice_no", invoice_no)
                .with_param("doc_no", doc_no),
            ProcurementError::Inventory(i) => (*i).into(),
            ProcurementError::Db(d) => d.into(),
        }
    }
}
