//! What the running app holds: the opened core (or why it could not open), the logged-in user and the app's own
//! small configuration file (which database to use).

use serde::{Deserialize, Serialize};
use shopdesk_core::auth::Actor;
use shopdesk_core::{ApiError, DbConfig, Shopdesk, SystemClock, backup, db};
use std::path::PathBuf;
use std::sync::Arc;
use tokio::sync::{Mutex, RwLock, RwLockReadGuard};

/// `config.json` in the app-data folder.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
pub struct AppConfig {
    /// A PostgreSQL URL for a shared database; null means the embedded SQLite file.
    pub database_url: Option<String>,
}

pub struct AppState {
    pub desk: RwLock<Option<Shopdesk>>,
    pub startup_error: Mutex<Option<ApiError>>,
    pub session: Mutex<Option<Actor>>,
    pub config: Mutex<AppConfig>,
    pub data_dir: PathBuf,
    /// The import running now, for its progress bar and cancel button.
    pub import_control: std::sync::Mutex<Option<shopdesk_core::imports::Control>>,
}

impl AppState {
    pub fn config_path(data_dir: &std::path::Path) -> PathBuf {
        data_dir.join("config.json")
    }

    /// Opens the configured database: `SHOPDESK_DATABASE_URL`, else `config.json`, else the SQLite file.
    pub async fn start() -> Self {
        let data_dir = db::data_dir();
        let config: AppConfig = std::fs::read(Self::config_path(&data_dir))
            .ok()
            .and_then(|b| serde_json::from_slice(&b).ok())
            .unwrap_or_default();
        let db_config = Self::resolve(&config);
        let (desk, error) = match db_config {
            Ok(c) => match Shopdesk::open(c, Arc::new(SystemClock)).await {
                Ok(d) => (Some(d), None),
                Err(e) => (None, Some(ApiError::from(e))),
            },
            Err(e) => (None, Some(e)),
        };
        if let Some(e) = &error {
            tracing::error!("database not opened: {e}");
        }
        Self {
            desk: RwLock::new(desk),
            startup_error: Mutex::new(error),
            session: Mutex::new(None),
            config: Mutex::new(config),
            data_dir,
            import_control: std::sync::Mutex::new(None),
        }
    }

    fn resolve(config: &AppConfig) -> Result<DbConfig, ApiError> {
        if let Ok(url) = std::env::var("SHOPDESK_DATABASE_URL")
            && !url.trim().is_empty()
        {
            return Ok(DbConfig::parse(&url)?);
        }
        match config
            .database_url
            .as_deref()
            .filter(|u| !u.trim().is_empty())
        {
            Some(url) => Ok(DbConfig::parse(url)?),
            None => Ok(DbConfig::default_sqlite()),
        }
    }

    pub async fn save_config(&self, config: AppConfig) -> Result<(), ApiError> {
        std::fs::create_dir_all(&self.data_dir).map_err(ApiError::internal)?;
        let text = serde_json::to_vec_pretty(&config).map_err(ApiError::internal)?;
        std::fs::write(Self::config_path(&self.data_dir), text).map_err(ApiError::internal)?;
        *self.config.lock().await = config;
        Ok(())
    }

    /// The open core, or the error that kept it from opening.
    pub async fn desk(&self) -> Result<RwLockReadGuard<'_, Shopdesk>, ApiError> {
        let guard = self.desk.read().await;
        match RwLockReadGuard::try_map(guard, Option::as_ref) {
            Ok(d) => Ok(d),
            Err(_) => Err(self
                .startup_error
                .lock()
                .await
                .clone()
                .unwrap_or_else(|| ApiError::new("db.connect", "the database is not open"))),
        }
    }

    /// The open core plus the logged-in user; refused when nobody is logged in.
    pub async fn ctx(&self) -> Result<(RwLockReadGuard<'_, Shopdesk>, Actor), ApiError> {
        let actor = self
            .session
            .lock()
            .await
            .clone()
            .ok_or_else(|| ApiError::from(shopdesk_core::auth::AuthError::NotLoggedIn))?;
        Ok((self.desk().await?, actor))
    }

    /// Where picked files are kept for the import wizard.
    pub fn import_dir(&self) -> PathBuf {
        self.data_dir.join("imports")
    }

    pub async fn auto_backup(&self) {
        let guard = self.desk.read().await;
        if let Some(desk) = guard.as_ref()
            && desk.config().sqlite_path().is_some()
        {
            match backup::auto_backup_if_due(desk, 14).await {
                Ok(Some(b)) => tracing::info!("automatic backup written to {}", b.path),
                Ok(None) => {}
                Err(e) => tracing::warn!("automatic backup failed: {e}"),
            }
        }
    }
}

/// The interface language a new user sees before choosing: Chinese unless the system speaks English.
pub fn system_language() -> String {
    let lang = std::env::var("LC_ALL")
        .or_else(|_| std::env::var("LANG"))
        .unwrap_or_default();
    if lang.starts_with("en") {
        "en".into()
    } else {
        "zh-CN".into()
    }
}
