//! Master data: products/SKUs, suppliers (with certificates), warehouses (with locations) and customers.
//!
//! Every submodule has the same shape: a domain type sent to the UI (never the entity), an input type parsed and
//! validated in one place, and `list` / `get` / `create` / `update` / `archive` / `restore` / `export_rows`
//! functions that take the acting user, check permission, write in one transaction and record the audit row.

pub mod customers;
pub mod products;
pub mod suppliers;
pub mod warehouses;

use crate::auth::AuthError;
use crate::error::{ApiError, FieldError, FieldErrors};
use crate::money::UnitPrice;
use serde::{Deserialize, Serialize};
use ts_rs::TS;

#[derive(Debug, thiserror::Error)]
pub enum MasterDataError {
    #[error(transparent)]
    Auth(#[from] AuthError),
    #[error("invalid input: {0}")]
    Validation(FieldErrors),
    #[error("{entity} with {field} `{value}` already exists")]
    Duplicate {
        entity: &'static str,
        field: &'static str,
        value: String,
    },
    #[error("{entity} #{id} does not exist")]
    NotFound { entity: &'static str, id: i64 },
    #[error(transparent)]
    Db(#[from] sea_orm::DbErr),
}

impl From<MasterDataError> for ApiError {
    fn from(e: MasterDataError) -> Self {
        match e {
            MasterDataError::Auth(a) => a.into(),
            MasterDataError::Validation(v) => v.into(),
            MasterDataError::Duplicate {
                entity,
                field,
                ref value,
            } => {
                let value = value.clone();
                let mut err = ApiError::new("masterdata.duplicate", e.to_string())
                    .with_field(field)
                    .with_param("entity", entity)
                    .with_param("value", value.clone());
                err.details
                    .push(FieldError::new(field, "duplicate").with("value", value));
                err
            }
            MasterDataError::NotFound { entity, id } => {
                ApiError::new("masterdata.not_found", e.to_string())
                    .with_param("entity", entity)
                    .with_param("id", id)
            }
            MasterDataError::Db(d) => d.into(),
        }
    }
}

/// Active records show in pickers; archived ones are kept for history and can be restored.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
pub enum RecordStatus {
    Active,
    Archived,
}

impl RecordStatus {
    pub fn as_str(&self) -> &'static str {
        match self {
            RecordStatus::Active => "active",
            RecordStatus::Archived => "archived",
        }
    }

    pub fn parse(s: &str) -> RecordStatus {
        if s == "archived" {
            RecordStatus::Archived
        } else {
            RecordStatus::Active
        }
    }
}

/// Collects every field problem of one input, so a form can show them all at once.
#[derive(Default)]
pub(crate) struct Check {
    errs: FieldErrors,
}

impl Check {
    pub fn finish(self) -> Result<(), MasterDataError> {
        self.errs.into_result().map_err(MasterDataError::Validation)
    }

    pub fn push(&mut self, e: FieldError) {
        self.errs.push(e);
    }

    /// Trimmed text that must not be empty.
    pub fn required(&mut self, field: &str, value: &str, max: usize) -> String {
        let v = value.trim();
        if v.is_empty() {
            self.push(FieldError::new(field, "required"));
        } else if v.chars().count() > max {
            self.push(FieldError::new(field, "too_long").with("max", max));
        }
        v.to_string()
    }

    pub fn optional(&mut self, field: &str, value: &str, max: usize) -> String {
        let v = value.trim();
        if v.chars().count() > max {
            self.push(FieldError::new(field, "too_long").with("max", max));
        }
        v.to_string()
    }

    /// A code (SKU, supplier code...): required, no spaces.
    pub fn code(&mut self, field: &str, value: &str, max: usize) -> String {
        let v = self.required(field, value, max);
        if v.chars().any(char::is_whitespace) {
            self.push(FieldError::new(field, "no_spaces"));
        }
        v
    }

    pub fn phone(&mut self, field: &str, value: &str) -> String {
        let v = value.trim();
        if !v.is_empty() {
            let digits = v.chars().filter(char::is_ascii_digit).count();
            let ok_chars = v
                .chars()
                .all(|c| c.is_ascii_digit() || matches!(c, '+' | '-' | ' ' | '(' | ')'));
            let mobile_cn = v.len() == 11 && v.starts_with('1') && digits == 11;
            if !ok_chars
                || !(7..=15).contains(&digits)
                || (v.len() == 11 && v.starts_with('1') && !mobile_cn)
            {
                self.push(FieldError::new(field, "phone"));
            }
        }
        v.to_string()
    }

    pub fn email(&mut self, field: &str, value: &str) -> String {
        let v = value.trim();
        if !v.is_empty() {
            let ok = v.split_once('@').is_some_and(|(user, host)| {
                !user.is_empty()
                    && host.contains('.')
                    && !host.starts_with('.')
                    && !host.ends_with('.')
            }) && !v.chars().any(char::is_whitespace);
            if !ok {
                self.push(FieldError::new(field, "email"));
            }
        }
        v.to_string()
    }

    /// A non-negative unit price as decimal text, stored in ten-thousandths.
    pub fn unit_price(&mut self, field: &str, value: &str) -> i64 {
        if value.trim().is_empty() {
            return 0;
        }
        match UnitPrice::parse(value) {
            Ok(p) if p.ten_thousandths() < 0 => {
                self.push(FieldError::new(field, "negative"));
                0
            }
            Ok(p) => p.ten_thousandths(),
            Err(crate::money::MoneyError::TooManyDecimals { max, .. }) => {
                self.push(FieldError::new(field, "too_many_decimals").with("max", max));
                0
            }
            Err(_) => {
                self.push(FieldError::new(field, "number"));
                0
            }
        }
    }

    pub fn non_negative(&mut self, field: &str, value: i64) -> i64 {
        if value < 0 {
            self.push(FieldError::new(field, "negative"));
        }
        value
    }

    pub fn one_of(&mut self, field: &str, value: &str, allowed: &[&str]) -> String {
        let v = value.trim();
        if !allowed.contains(&v) {
            self.push(FieldError::new(field, "one_of").with("allowed", allowed.join(",")));
        }
        v.to_string()
    }
}

/// Refuses a second record with the same `value` in `column` (ignoring the record `except` itself, on edit), with
/// an error that names the entity and the field for the form.
pub(crate) async fn ensure_unique<E: sea_orm::EntityTrait>(
    conn: &impl sea_orm::ConnectionTrait,
    column: E::Column,
    id_column: E::Column,
    value: &str,
    except: Option<i64>,
    entity: &'static str,
    field: &'static str,
) -> Result<(), MasterDataError>
where
    E::Model: Sync,
{
    use sea_orm::{ColumnTrait, PaginatorTrait, QueryFilter};
    let mut q = E::find().filter(column.eq(value));
    if let Some(id) = except {
        q = q.filter(id_column.ne(id));
    }
    if q.count(conn).await? > 0 {
        return Err(MasterDataError::Duplicate {
            entity,
            field,
            value: value.to_string(),
        });
    }
    Ok(())
}

/// A unit price from the database, as decimal text for the UI.
pub(crate) fn price_text(ten_thousandths: i64) -> String {
    UnitPrice::from_ten_thousandths(ten_thousandths).to_string()
}

/// One cell of an exported sheet.
#[derive(Debug, Clone, PartialEq)]
pub enum Cell {
    Text(String),
    Int(i64),
    /// A decimal kept exact as text and written as a number with the given decimals.
    Decimal(rust_decimal::Decimal),
    Date(chrono::NaiveDate),
    DateTime(chrono::DateTime<chrono::Utc>),
    Empty,
}

/// A table ready for export: translated headers and rows.
#[derive(Debug, Clone)]
pub struct ExportTable {
    pub sheet: String,
    pub headers: Vec<String>,
    pub rows: Vec<Vec<Cell>>,
}

pub(crate) fn header(lang: &str, zh: &str, en: &str) -> String {
    if lang.starts_with("zh") {
        zh.to_string()
    } else {
        en.to_string()
    }
}
