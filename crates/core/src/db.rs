//! Opening the database: an embedded SQLite file by default (WAL, foreign keys, busy timeout), or a shared
//! PostgreSQL server. The same migrations and queries run on both.

use sea_orm::sqlx::sqlite::{SqliteJournalMode, SqliteSynchronous};
use sea_orm::{
    ConnectOptions, ConnectionTrait, Database, DatabaseConnection, DbBackend, DbErr, Statement,
};
use shopdesk_migrations::{Migrator, MigratorTrait};
use std::path::{Path, PathBuf};
use std::time::Duration;

/// Which database Shopdesk runs on.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum DbConfig {
    /// An embedded SQLite file, created when missing.
    Sqlite { path: PathBuf },
    /// A PostgreSQL server shared by several desktops.
    Postgres { url: String },
}

#[derive(Debug, thiserror::Error)]
pub enum DbError {
    #[error("unsupported database URL `{0}`: use sqlite://PATH or postgres://USER@HOST/DB")]
    InvalidUrl(String),
    #[error("cannot create the folder {path}: {source}")]
    Folder {
        path: String,
        source: std::io::Error,
    },
    #[error("cannot open the database: {0}")]
    Connect(#[source] DbErr),
    #[error("cannot migrate the database: {0}")]
    Migrate(#[source] DbErr),
    #[error("database error: {0}")]
    Query(#[from] DbErr),
}

impl DbConfig {
    /// Parses `sqlite://PATH`, `sqlite:PATH` or `postgres://...` / `postgresql://...`.
    pub fn parse(url: &str) -> Result<Self, DbError> {
        let url = url.trim();
        if let Some(rest) = url
            .strip_prefix("sqlite://")
            .or_else(|| url.strip_prefix("sqlite:"))
        {
            let path = rest.split('?').next().unwrap_or_default();
            if path.is_empty() || path == ":memory:" {
                return Err(DbError::InvalidUrl(url.to_string()));
            }
            return Ok(Self::Sqlite {
                path: PathBuf::from(path),
            });
        }
        if url.starts_with("postgres://") || url.starts_with("postgresql://") {
            return Ok(Self::Postgres {
                url: url.to_string(),
            });
        }
        Err(DbError::InvalidUrl(url.to_string()))
    }

    /// The database a user gets without configuring anything: `shopdesk.db` in the OS app-data folder
    /// (`SHOPDESK_DATA_DIR` overrides the folder, for tests and portable installs).
    pub fn default_sqlite() -> Self {
        Self::Sqlite {
            path: data_dir().join("shopdesk.db"),
        }
    }

    /// `SHOPDESK_DATABASE_URL` when set, else the default SQLite file.
    pub fn from_env_or_default() -> Result<Self, DbError> {
        match std::env::var("SHOPDESK_DATABASE_URL") {
            Ok(url) if !url.trim().is_empty() => Self::parse(&url),
            _ => Ok(Self::default_sqlite()),
        }
    }

    pub fn backend(&self) -> DbBackend {
        match self {
            Self::Sqlite { .. } => DbBackend::Sqlite,
            Self::Postgres { .. } => DbBackend::Postgres,
        }
    }

    /// The URL as shown to users: the password of a PostgreSQL URL is masked.
    pub fn display_url(&self) -> String {
        match self {
            Self::Sqlite { path } => format!("sqlite://{}", path.display()),
            Self::Postgres { url } => mask_password(url),
        }
    }

    pub fn sqlite_path(&self) -> Option<&Path> {
        match self {
            Self::Sqlite { path } => Some(path),
            Self::Postgres { .. } => None,
        }
    }
}

/// The OS app-data folder of Shopdesk (or `SHOPDESK_DATA_DIR`).
pub fn data_dir() -> PathBuf {
    if let Ok(dir) = std::env::var("SHOPDESK_DATA_DIR")
        && !dir.trim().is_empty()
    {
        return PathBuf::from(dir);
    }
    directories::ProjectDirs::from("com", "Shopdesk", "Shopdesk")
        .map(|p| p.data_dir().to_path_buf())
        .unwrap_or_else(|| PathBuf::from(".shopdesk"))
}

fn mask_password(url: &str) -> String {
    // postgres://user:secret@host/db -> postgres://user:***@host/db
    if let Some((scheme, rest)) = url.split_once("://")
        && let Some((cred, host)) = rest.split_once('@')
        && let Some((user, _)) = cred.split_once(':')
    {
        return format!("{scheme}://{user}:***@{host}");
    }
    url.to_string()
}

/// Opens a pool without migrating (used for checking backups and by `connect_and_migrate`).
pub async fn connect(config: &DbConfig) -> Result<DatabaseConnection, DbError> {
    let mut opts = match config {
        DbConfig::Sqlite { path } => {
            if let Some(parent) = path.parent().filter(|p| !p.as_os_str().is_empty()) {
                std::fs::create_dir_all(parent).map_err(|source| DbError::Folder {
                    path: parent.display().to_string(),
                    source,
                })?;
            }
            let path = path.clone();
            let mut o = ConnectOptions::new("sqlite://shopdesk.db");
            o.map_sqlx_sqlite_opts(move |o| {
                o.filename(&path)
                    .create_if_missing(true)
                    .journal_mode(SqliteJournalMode::Wal)
                    .synchronous(SqliteSynchronous::Normal)
                    .foreign_keys(true)
                    .busy_timeout(Duration::from_secs(10))
            });
            o.max_connections(4).min_connections(1);
            o
        }
        DbConfig::Postgres { url } => {
            let mut o = ConnectOptions::new(url.clone());
            o.max_connections(8).min_connections(1);
            o
        }
    };
    opts.sqlx_logging(false)
        .connect_timeout(Duration::from_secs(10));
    Database::connect(opts).await.map_err(DbError::Connect)
}

pub async fn connect_and_migrate(config: &DbConfig) -> Result<DatabaseConnection, DbError> {
    let db = connect(config).await?;
    Migrator::up(&db, None).await.map_err(DbError::Migrate)?;
    Ok(db)
}

/// Reads one pragma (used to prove the SQLite settings took effect).
pub async fn sqlite_pragma(db: &DatabaseConnection, name: &str) -> Result<String, DbError> {
    let row = db
        .query_one_raw(Statement::from_string(
            DbBackend::Sqlite,
            format!("PRAGMA {name}"),
        ))
        .await?
        .ok_or_else(|| DbError::Query(DbErr::RecordNotFound(format!("PRAGMA {name}"))))?;
    let value: Result<String, _> = row.try_get_by_index(0);
    match value {
        Ok(v) => Ok(v),
        Err(_) => Ok(row.try_get_by_index::<i64>(0)?.to_string()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_urls() {
        assert_eq!(
            DbConfig::parse("sqlite:///tmp/a b.db").unwrap(),
            DbConfig::Sqlite {
                path: PathBuf::from("/tmp/a b.db")
            }
        );
        assert_eq!(
            DbConfig::parse("sqlite:rel.db?mode=rwc").unwrap(),
            DbConfig::Sqlite {
                path: "rel.db".into()
            }
        );
        assert!(matches!(
            DbConfig::parse("postgres://u:p@h/db").unwrap(),
            DbConfig::Postgres { .. }
        ));
        assert!(DbConfig::parse("mysql://x").is_err());
        assert!(DbConfig::parse("sqlite://").is_err());
    }

    #[test]
    fn masks_postgres_password() {
        let c = DbConfig::parse("postgres://shop:secret@db.local:5432/shopdesk").unwrap();
        assert_eq!(
            c.display_url(),
            "postgres://shop:***@db.local:5432/shopdesk"
        );
    }
}
