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
