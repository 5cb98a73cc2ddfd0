//! Company settings (name, time zone of the business day, base currency), stored in the `settings` table.

use crate::Shopdesk;
use crate::audit;
use crate::auth::{Actor, AuthError, Permission};
use crate::entities::settings;
use crate::error::{ApiError, FieldError, FieldErrors};
use crate::money::Currency;
use sea_orm::{ConnectionTrait, EntityTrait, Set};
use serde::{Deserialize, Serialize};
use ts_rs::TS;

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct CompanySettings {
    pub company_name: String,
    /// IANA time zone of the business day (`biz_date`), default Asia/Shanghai.
    pub time_zone: String,
    /// Base currency, default CNY.
    pub currency: String,
}

impl Default for CompanySettings {
    fn default() -> Self {
        Self {
            company_name: "我的店铺".into(),
            time_zone: "Asia/Shanghai".into(),
            currency: "CNY".into(),
        }
    }
}

impl CompanySettings {
    pub fn tz(&self) -> chrono_tz::Tz {
        self.time_zone.parse().unwrap_or(chrono_tz::Asia::Shanghai)
    }

    fn validate(&self) -> Result<(), FieldErrors> {
        let mut errs = FieldErrors::default();
        if self.company_name.trim().is_empty() {
            errs.push(FieldError::new("company_name", "required"));
        } else if self.company_name.chars().count() > 128 {
            errs.push(FieldError::new("company_name", "too_long").with("max", 128));
        }
        if self.time_zone.parse::<chrono_tz::Tz>().is_err() {
            errs.push(FieldError::new("time_zone", "invalid"));
        }
        if Currency::parse(&self.currency).is_err() {
            errs.push(FieldError::new("currency", "invalid"));
        }
        errs.into_result()
    }
}

#[derive(Debug, thiserror::Error)]
pub enum SettingsError {
    #[error(transparent)]
    Auth(#[from] AuthError),
    #[error("invalid settings: {0}")]
    Validation(FieldErrors),
    #[error(transparent)]
    Db(#[from] sea_orm::DbErr),
}

impl From<SettingsError> for ApiError {
    fn from(e: SettingsError) -> Self {
        match e {
            SettingsError::Auth(a) => a.into(),
            SettingsError::Validation(v) => v.into(),
            SettingsError::Db(d) => d.into(),
        }
    }
}

pub(crate) async fn load(conn: &impl ConnectionTrait) -> Result<CompanySettings, sea_orm::DbErr> {
    let mut s = CompanySettings::default();
    for row in settings::Entity::find().all(conn).await? {
        match row.key.as_str() {
            "company_name" => s.company_name = row.value,
            "time_zone" => s.time_zone = row.value,
            "currency" => s.currency = row.value,
            _ => {}
        }
    }
    Ok(s)
}

pub async fn get(desk: &Shopdesk, actor: &Actor) -> Result<CompanySettings, SettingsError> {
    actor.require(Permission::ViewMasterData)?;
    Ok(load(desk.db()).await?)
}

pub async fn update(
    desk: &Shopdesk,
    actor: &Actor,
    new: CompanySettings,
) -> Result<CompanySettings, SettingsError> {
    actor.require(Permission::EditSettings)?;
    let new = CompanySettings {
        company_name: new.company_name.trim().to_string(),
        time_zone: new.time_zone.trim().to_string(),
        currency: new.currency.trim().to_ascii_uppercase(),
    };
    new.validate().map_err(SettingsError::Validation)?;
    let txn = desk.write_txn().await?;
    let before = load(&txn).await?;
    for (k, v) in [
        ("company_name", &new.company_name),
        ("time_zone", &new.time_zone),
        ("currency", &new.currency),
    ] {
        settings::Entity::delete_by_id(k.to_string())
            .exec(&txn)
            .await?;
        settings::Entity::insert(settings::ActiveModel {
            key: Set(k.into()),
            value: Set(v.clone()),
        })
        .exec(&txn)
        .await?;
    }
    audit::record(
        desk,
        &txn,
        actor,
        audit::Action::Update,
        "settings",
        None,
        "company",
        Some(&before),
        Some(&new),
    )
    .await?;
    txn.commit().await?;
    desk.set_company(new.clone());
    Ok(new)
}

/// Procurement rules an administrator may change: the purchasing clerk's approval limit and the tolerances of the
/// three-way invoice match. Amounts are decimal strings in the company currency; the tolerance in percent.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct ProcurementSettings {
    /// The largest purchase-order total a purchasing clerk may approve (managers have no limit).
    pub purchasing_approval_limit: String,
    /// How far an invoiced unit price may differ from the PO's, in percent of the PO price.
    pub invoice_price_tolerance_pct: String,
    /// How far an invoice total may differ from PO price × invoiced quantity (tax included).
    pub invoice_amount_tolerance: String,
}

impl Default for ProcurementSettings {
    fn default() -> Self {
        Self {
            purchasing_approval_limit: "10000.00".into(),
            invoice_price_tolerance_pct: "1".into(),
            invoice_amount_tolerance: "5.00".into(),
        }
    }
}

/// [`ProcurementSettings`] in the units the rules compute with.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ProcurementRules {
    /// Minor units of the company currency.
    pub purchasing_approval_limit: i64,
    /// Basis points (100 = 1%).
    pub invoice_price_tolerance_bp: i64,
    /// The tolerance as an exact decimal, applied in the invoice's own currency.
    pub invoice_amount_tolerance: rust_decimal::Decimal,
}

impl ProcurementSettings {
    fn keys() -> [&'static str; 3] {
        [
            "procurement.purchasing_approval_limit",
            "procurement.invoice_price_tolerance_pct",
            "procurement.invoice_amount_tolerance",
        ]
    }

    fn values(&self) -> [&String; 3] {
        [
            &self.purchasing_approval_limit,
            &self.invoice_price_tolerance_pct,
            &self.invoice_amount_tolerance,
        ]
    }

    /// Checks every field and returns the rules in computing units.
    pub fn rules(&self, currency: &str) -> Result<ProcurementRules, FieldErrors> {
        use rust_decimal::Decimal;
        use rust_decimal::prelude::ToPrimitive;
        use std::str::FromStr;
        let mut errs = FieldErrors::default();
        let cur = Currency::parse(currency).unwrap_or(Currency::CNY);
        let limit = match crate::money::Money::parse(self.purchasing_approval_limit.trim(), cur) {
            Ok(m) if m.minor() >= 0 => m.minor(),
            _ => {
                errs.push(FieldError::new("purchasing_approval_limit", "money"));
                0
            }
        };
        let pct = Decimal::from_str(self.invoice_price_tolerance_pct.trim())
            .ok()
            .filter(|d| {
                *d >= Decimal::ZERO && *d <= Decimal::from(100) && d.normalize().scale() <= 2
            })
            .and_then(|d| (d * Decimal::from(100)).to_i64());
        if pct.is_none() {
            errs.push(FieldError::new("invoice_price_tolerance_pct", "percent"));
        }
        let amount = Decimal::from_str(self.invoice_amount_tolerance.trim())
            .ok()
            .filter(|d| {
                *d >= Decimal::ZERO
                    && d.normalize().scale() <= 2
                    && *d < Decimal::from(1_000_000_000)
            });
        if amount.is_none() {
            errs.push(FieldError::new("invoice_amount_tolerance", "money"));
        }
        errs.into_result()?;
        Ok(ProcurementRules {
            purchasing_approval_limit: limit,
            invoice_price_tolerance_bp: pct.unwrap_or_default(),
            invoice_amount_tolerance: amount.unwrap_or_default().normalize(),
        })
    }
}

pub(crate) async fn load_procurement(
    conn: &impl ConnectionTrait,
) -> Result<ProcurementSettings, sea_orm::DbErr> {
    let mut s = ProcurementSettings::default();
    for row in settings::Entity::find().all(conn).await? {
        match row.key.as_str() {
            "procurement.purchasing_approval_limit" => s.purchasing_approval_limit = row.value,
            "procurement.invoice_price_tolerance_pct" => s.invoice_price_tolerance_pct = row.value,
            "procurement.invoice_amount_tolerance" => s.invoice_amount_tolerance = row.value,
            _ => {}
        }
    }
    Ok(s)
}

/// The procurement rules in effect (defaults where nothing was saved, or where a saved value no longer parses).
pub(crate) async fn procurement_rules(
    desk: &Shopdesk,
    conn: &impl ConnectionTrait,
) -> Result<ProcurementRules, sea_orm::DbErr> {
    let currency = desk.company().currency;
    let s = load_procurement(conn).await?;
    Ok(s.rules(&currency).unwrap_or_else(|_| {
        ProcurementSettings::default()
            .rules(&currency)
            .expect("the defaults are valid")
    }))
}

pub async fn get_procurement(
    desk: &Shopdesk,
    actor: &Actor,
) -> Result<ProcurementSettings, SettingsError> {
    actor.require(Permission::ViewMasterData)?;
    Ok(load_procurement(desk.db()).await?)
}

pub async fn update_procurement(
    desk: &Shopdesk,
    actor: &Actor,
    new: ProcurementSettings,
) -> Result<ProcurementSettings, SettingsError> {
    actor.require(Permission::EditSettings)?;
    let rules = new
        .rules(&desk.company().currency)
        .map_err(SettingsError::Validation)?;
    let cur = Currency::parse(&desk.company().currency).unwrap_or(Currency::CNY);
    // Stored normalised, so what is shown is what the rules use.
    let new = ProcurementSettings {
        purchasing_approval_limit: crate::money::Money::from_minor(
            rules.purchasing_approval_limit,
            cur,
        )
        .to_string(),
        invoice_price_tolerance_pct: rust_decimal::Decimal::new(
            rules.invoice_price_tolerance_bp,
            2,
        )
        .normalize()
        .to_string(),
        invoice_amount_tolerance: rules.invoice_amount_tolerance.to_string(),
    };
    let txn = desk.write_txn().await?;
    let before = load_procurement(&txn).await?;
    for (k, v) in ProcurementSettings::keys().into_iter().zip(new.values()) {
        settings::Entity::delete_by_id(k.to_string())
            .exec(&txn)
            .await?;
        settings::Entity::insert(settings::ActiveModel {
            key: Set(k.into()),
            value: Set(v.clone()),
        })
        .exec(&txn)
        .await?;
    }
    audit::record(
        desk,
        &txn,
        actor,
        audit::Action::Update,
        "settings",
        None,
        "procurement",
        Some(&before),
        Some(&new),
    )
    .await?;
    txn.commit().await?;
    Ok(new)
}
