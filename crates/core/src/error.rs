//! The one error that crosses the boundary to the UI and the CLI's `--json` output.
//!
//! **API Boundary:** every module keeps its own `thiserror` enum; each converts into [`ApiError`], whose `code` is
//! stable (the UI branches on it and looks up `errors:<code>` in its translations), whose `message` is an English
//! fallback, and which names the offending field, file, sheet, row and column when there is one.

use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;
use ts_rs::TS;

/// One problem with one input field (or one cell of an imported file).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct FieldError {
    /// The field name as in the input type (`sku`, `barcode`, ...).
    pub field: String,
    /// A stable code, e.g. `required`, `too_long`, `barcode_check_digit`.
    pub code: String,
    /// Values to fill into the translated message (`max`, `expected`, ...).
    pub params: BTreeMap<String, String>,
}

impl FieldError {
    pub fn new(field: &str, code: &str) -> Self {
        Self {
            field: field.to_string(),
            code: code.to_string(),
            params: BTreeMap::new(),
        }
    }

    pub fn with(mut self, key: &str, value: impl ToString) -> Self {
        self.params.insert(key.to_string(), value.to_string());
        self
    }
}

impl std::fmt::Display for FieldError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}: {}", self.field, self.code)?;
        for (k, v) in &self.params {
            write!(f, " {k}={v}")?;
        }
        Ok(())
    }
}

/// A list of field errors, collected so that a form shows every problem at once.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct FieldErrors(pub Vec<FieldError>);

impl FieldErrors {
    pub fn push(&mut self, e: FieldError) {
        self.0.push(e);
    }

    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    pub fn into_result(self) -> Result<(), FieldErrors> {
        if self.0.is_empty() { Ok(()) } else { Err(self) }
    }
}

impl std::fmt::Display for FieldErrors {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let parts: Vec<String> = self.0.iter().map(ToString::to_string).collect();
        write!(f, "{}", parts.join("; "))
    }
}

/// The serialisable error at the UI and CLI boundary.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct ApiError {
    /// Stable machine-readable code, e.g. `auth.forbidden`, `validation`, `masterdata.duplicate`.
    pub code: String,
    /// English fallback text; the UI shows its own translation of `code` instead.
    pub message: String,
    /// The offending input field, when there is one.
    pub field: Option<String>,
    /// File, sheet, row and column for import errors.
    pub file: Option<String>,
    pub sheet: Option<String>,
    #[ts(type = "number | null")]
    pub row: Option<u64>,
    pub column: Option<String>,
    /// Values for the translated message.
    pub params: BTreeMap<String, String>,
    /// Every field problem of a form, so that all are shown at once.
    pub details: Vec<FieldError>,
}

impl ApiError {
    pub fn new(code: &str, message: impl Into<String>) -> Self {
        Self {
            code: code.to_string(),
            message: message.into(),
            field: None,
            file: None,
            sheet: None,
            row: None,
            column: None,
            params: BTreeMap::new(),
            details: Vec::new(),
        }
    }

    pub fn with_param(mut self, key: &str, value: impl ToString) -> Self {
        self.params.insert(key.to_string(), value.to_string());
        self
    }

    pub fn with_field(mut self, field: &str) -> Self {
        self.field = Some(field.to_string());
        self
    }

    /// Unexpected failures (database down, disk full): the code is generic, the message carries the cause.
    pub fn internal(err: impl std::fmt::Display) -> Self {
        Self::new("internal", err.to_string())
    }
}

impl std::fmt::Display for ApiError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "[{}] {}", self.code, self.message)?;
        if let Some(field) = &self.field {
            write!(f, " (field {field})")?;
        }
        Ok(())
    }
}

impl std::error::Error for ApiError {}

impl From<FieldErrors> for ApiError {
    fn from(errs: FieldErrors) -> Self {
        let mut e = ApiError::new("validation", errs.to_string());
        e.field = errs.0.first().map(|f| f.field.clone());
        e.details = errs.0;
        e
    }
}

impl From<sea_orm::DbErr> for ApiError {
    fn from(e: sea_orm::DbErr) -> Self {
        ApiError::new("db", e.to_string())
    }
}

impl From<crate::db::DbError> for ApiError {
    fn from(e: crate::db::DbError) -> Self {
        let code = match &e {
            crate::db::DbError::InvalidUrl(_) => "db.invalid_url",
            crate::db::DbError::Folder { .. } => "db.folder",
            crate::db::DbError::Connect(_) => "db.connect",
            crate::db::DbError::Migrate(_) => "db.migrate",
            crate::db::DbError::Query(_) => "db",
        };
        ApiError::new(code, e.to_string())
    }
}
