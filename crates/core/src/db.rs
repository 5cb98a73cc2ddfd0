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
    // `SHOPDESK_SQL_LOG=1` logs every statement with its time (target `sqlx::query`): for profiling.
    opts.sqlx_logging(std::env::var_os("SHOPDESK_SQL_LOG").is_some())
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

/// Bulk insert of many new rows of one table, in statements of as many rows as the database takes parameters.
///
/// `Entity::insert_many` builds a syntax tree per value and renders it to SQL for every chunk; for the large
/// imports (100,000 price rows, 200,000 order lines) that work cost more than the database's own. This writes the
/// same `INSERT INTO t (cols) VALUES (...), (...)` directly from the active models' values, so each column value
/// is moved once into the statement's parameters. Every model must set the same columns (a column left `NotSet`,
/// such as an auto-increment id, is left out for all rows); the rows are written in order, on the connection or
/// transaction given, so they belong to the caller's transaction.
pub async fn insert_all<A>(conn: &impl ConnectionTrait, models: Vec<A>) -> Result<u64, DbErr>
where
    A: sea_orm::ActiveModelTrait,
{
    insert_batches(conn, models, &[]).await.map(|(n, _)| n)
}

/// [`insert_all`], also returning the `returning` columns of every row written (`RETURNING`: PostgreSQL, SQLite
/// 3.35+), for callers that need the ids just given. The rows may come back in any order: return a key with the id.
pub async fn insert_all_returning<A>(
    conn: &impl ConnectionTrait,
    models: Vec<A>,
    returning: &[&str],
) -> Result<Vec<sea_orm::QueryResult>, DbErr>
where
    A: sea_orm::ActiveModelTrait,
{
    insert_batches(conn, models, returning)
        .await
        .map(|(_, rows)| rows)
}

async fn insert_batches<A>(
    conn: &impl ConnectionTrait,
    models: Vec<A>,
    returning: &[&str],
) -> Result<(u64, Vec<sea_orm::QueryResult>), DbErr>
where
    A: sea_orm::ActiveModelTrait,
{
    use sea_orm::{ActiveValue, EntityName, EntityTrait, IdenStatic, Iterable};
    let Some(first) = models.first() else {
        return Ok((0, Vec::new()));
    };
    let columns: Vec<<A::Entity as EntityTrait>::Column> =
        <<A::Entity as EntityTrait>::Column as Iterable>::iter()
            .filter(|c| !matches!(first.get(*c), ActiveValue::NotSet))
            .collect();
    if columns.is_empty() {
        return Err(DbErr::Custom("insert_all: a model sets no column".into()));
    }
    let backend = conn.get_database_backend();
    let table = <A::Entity as Default>::default().table_name().to_string();
    let head = format!(
        "INSERT INTO \"{table}\" ({}) VALUES ",
        columns
            .iter()
            .map(|c| format!("\"{}\"", c.as_str()))
            .collect::<Vec<_>>()
            .join(", ")
    );
    // SQLite takes 32,766 parameters per statement, PostgreSQL 65,535; 1,000 rows is past the point of gains.
    let per_statement = (30_000 / columns.len()).clamp(1, 1000);
    let tail = if returning.is_empty() {
        String::new()
    } else {
        format!(
            " RETURNING {}",
            returning
                .iter()
                .map(|c| format!("\"{c}\""))
                .collect::<Vec<_>>()
                .join(", ")
        )
    };
    let mut rows = Vec::new();
    let mut written = 0u64;
    let mut models = models.into_iter().peekable();
    let mut sql = String::new();
    while models.peek().is_some() {
        sql.clear();
        sql.push_str(&head);
        let mut values: Vec<sea_orm::Value> = Vec::with_capacity(per_statement * columns.len());
        let mut n = 0usize;
        for mut model in models.by_ref().take(per_statement) {
            if n > 0 {
                sql.push_str(", ");
            }
            sql.push('(');
            for (k, c) in columns.iter().enumerate() {
                let v = match model.take(*c) {
                    ActiveValue::Set(v) | ActiveValue::Unchanged(v) => v,
                    ActiveValue::NotSet => {
                        return Err(DbErr::Custom(format!(
                            "insert_all: {table}.{} is set on the first row but not on row {}",
                            c.as_str(),
                            written as usize + n + 1
                        )));
                    }
                };
                if k > 0 {
                    sql.push_str(", ");
                }
                values.push(v);
                match backend {
                    sea_orm::DbBackend::Postgres => {
                        use std::fmt::Write;
                        let _ = write!(sql, "${}", values.len());
                    }
                    _ => sql.push('?'),
                }
            }
            sql.push(')');
            n += 1;
        }
        sql.push_str(&tail);
        let statement = Statement::from_sql_and_values(backend, sql.as_str(), values);
        if returning.is_empty() {
            conn.execute_raw(statement).await?;
        } else {
            rows.extend(conn.query_all_raw(statement).await?);
        }
        written += n as u64;
    }
    Ok((written, rows))
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
