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
    connect_with(config, false).await
}

/// On SQLite, the connections that bulk transactions (imports, review and allocation runs) write on: the same
/// file and settings, but without SQLite's automatic checkpoint, which would copy the whole write-ahead log of a
/// large transaction (about 100 MB for 100,000 orders) back into the database file, with two `fsync`s, inside its
/// `COMMIT`. [`crate::Shopdesk::commit_bulk`] runs that checkpoint after the commit instead, on a task of its
/// own. `None` on PostgreSQL.
pub async fn connect_bulk(config: &DbConfig) -> Result<Option<DatabaseConnection>, DbError> {
    match config {
        DbConfig::Sqlite { .. } => connect_with(config, true).await.map(Some),
        DbConfig::Postgres { .. } => Ok(None),
    }
}

async fn connect_with(config: &DbConfig, bulk: bool) -> Result<DatabaseConnection, DbError> {
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
                    .pragma("wal_autocheckpoint", if bulk { "0" } else { "1000" })
            });
            if bulk {
                // Opened when the first bulk transaction begins; two, so that a second one waits on SQLite's
                // write lock (and its busy timeout) as it would on the main pool. (The checkpoints after them
                // run on the main pool.)
                o.max_connections(2).min_connections(0).connect_lazy(true);
            } else {
                o.max_connections(4).min_connections(1);
            }
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

/// Copies SQLite's write-ahead log back into the database file as far as no reader still needs it
/// (`PRAGMA wal_checkpoint(PASSIVE)`: it waits for no one and blocks no one). `None` when another checkpoint was
/// running (SQLite then copies nothing and says so) or on failure, which is logged, not returned: the log stays
/// valid and the next checkpoint copies it.
pub(crate) async fn checkpoint(db: &DatabaseConnection) -> Option<crate::Checkpointed> {
    let t = std::time::Instant::now();
    let row = pragma_row(db, "wal_checkpoint(PASSIVE)").await;
    let millis = t.elapsed().as_millis() as u64;
    let read = |row: &sea_orm::QueryResult| -> Result<[i64; 3], DbErr> {
        Ok([
            row.try_get_by_index(0)?,
            row.try_get_by_index(1)?,
            row.try_get_by_index(2)?,
        ])
    };
    match row.and_then(|r| read(&r).map_err(DbError::from)) {
        Ok([0, log_pages, copied_pages]) => {
            tracing::debug!(
                log_pages,
                copied_pages,
                ms = millis,
                "checkpoint after a bulk commit"
            );
            Some(crate::Checkpointed {
                log_pages,
                copied_pages,
                millis,
            })
        }
        Ok(_) => {
            tracing::debug!("checkpoint after a bulk commit: another checkpoint was running");
            None
        }
        Err(e) => {
            tracing::warn!("checkpoint after a bulk commit: {e}");
            None
        }
    }
}

/// The row of `PRAGMA {pragma}`.
async fn pragma_row(
    db: &DatabaseConnection,
    pragma: &str,
) -> Result<sea_orm::QueryResult, DbError> {
    db.query_one_raw(Statement::from_string(
        DbBackend::Sqlite,
        format!("PRAGMA {pragma}"),
    ))
    .await?
    .ok_or_else(|| DbError::Query(DbErr::RecordNotFound(format!("PRAGMA {pragma}"))))
}

/// Reads one pragma (used to prove the SQLite settings took effect).
pub async fn sqlite_pragma(db: &DatabaseConnection, name: &str) -> Result<String, DbError> {
    let row = pragma_row(db, name).await?;
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
/// is moved once into the statement's parameters; on SQLite a column that has one value in every row of a
/// statement is bound once for all of them. Every model must set the same columns (a column left `NotSet`,
/// such as an auto-increment id, is left out for all rows); the rows are written in order, on the connection or
/// transaction given, so they belong to the caller's transaction.
///
/// `models` may be a lazy iterator: each statement's models are then built while the previous statement runs on
/// the database's side. (The iterator is boxed here, so that a caller's future does not carry its closures' types:
/// closures over borrowed rows would make a command's future fail the `Send` check.)
pub fn insert_all<'a, A, I>(
    conn: &'a impl ConnectionTrait,
    models: I,
) -> impl std::future::Future<Output = Result<u64, DbErr>> + Send + 'a
where
    A: sea_orm::ActiveModelTrait + Send + 'a,
    I: IntoIterator<Item = A>,
    I::IntoIter: Send + 'a,
{
    let models: Box<dyn Iterator<Item = A> + Send + 'a> = Box::new(models.into_iter());
    async move { insert_batches(conn, models).await }
}

/// Ids for `n` rows about to be inserted into `table` (whose `id` is an auto-increment key), given out before the
/// insert: the rows that refer to them (an order's lines, a parcel's lines) can then be built and written without
/// reading the new ids back, and in any order the foreign keys allow.
///
/// - SQLite: the `n` ids after the highest ever given (the table's `sqlite_sequence` entry, or its highest id).
///   Call it inside a write transaction ([`crate::Shopdesk::write_txn`], `BEGIN IMMEDIATE`): that holds the
///   database's only write lock, so no one else can take these ids before the insert, which moves the sequence on.
///   Until then the transaction itself must not insert into `table` without giving the id (that would take the
///   first of them, and the insert with it would fail on the key).
/// - PostgreSQL: `n` values drawn from the column's sequence, which no one else is given again.
pub async fn reserve_ids(
    conn: &impl ConnectionTrait,
    table: &str,
    n: usize,
) -> Result<Vec<i64>, DbErr> {
    if n == 0 {
        return Ok(Vec::new());
    }
    let backend = conn.get_database_backend();
    match backend {
        DbBackend::Postgres => {
            let rows = conn
                .query_all_raw(Statement::from_sql_and_values(
                    backend,
                    "SELECT nextval(pg_get_serial_sequence($1, 'id')) AS id FROM generate_series(1, $2)",
                    [table.into(), (n as i64).into()],
                ))
                .await?;
            // Ascending, as SQLite's are: rows given them in order keep that order by id.
            let mut ids = rows
                .iter()
                .map(|r| r.try_get::<i64>("", "id"))
                .collect::<Result<Vec<_>, _>>()?;
            ids.sort_unstable();
            if ids.len() != n {
                return Err(DbErr::Custom(format!(
                    "reserve_ids: {table}: {} ids for {n} rows",
                    ids.len()
                )));
            }
            Ok(ids)
        }
        _ => {
            let sql = format!(
                "SELECT MAX(COALESCE((SELECT seq FROM sqlite_sequence WHERE name = ?), 0), \
                 COALESCE((SELECT MAX(id) FROM \"{table}\"), 0)) AS last"
            );
            let last: i64 = conn
                .query_one_raw(Statement::from_sql_and_values(backend, sql, [table.into()]))
                .await?
                .ok_or_else(|| DbErr::RecordNotFound(format!("reserve_ids: {table}")))?
                .try_get("", "last")?;
            Ok((last + 1..=last + n as i64).collect())
        }
    }
}

/// Writes that run as their own task while the caller goes on (on another core, on a multi-threaded runtime), in
/// the caller's transaction (a [`SharedTxn`], shared through an `Arc`). Dropped before [`Background::join`] (the caller failed or
/// was cancelled), the task is aborted, and the transaction rolls back with the caller's.
pub struct Background<T: Send + 'static>(Option<tokio::task::JoinHandle<Result<T, DbErr>>>);

impl<T: Send + 'static> Background<T> {
    pub fn spawn(
        work: impl std::future::Future<Output = Result<T, DbErr>> + Send + 'static,
    ) -> Self {
        Self(Some(tokio::spawn(work)))
    }

    /// Waits for the writes and gives their result.
    pub async fn join(mut self) -> Result<T, DbErr> {
        match self.0.take() {
            Some(h) => h
                .await
                .map_err(|e| DbErr::Custom(format!("background writes: {e}")))?,
            None => Err(DbErr::Custom("background writes: joined twice".into())),
        }
    }
}

impl<T: Send + 'static> Drop for Background<T> {
    fn drop(&mut self) {
        if let Some(h) = self.0.take() {
            h.abort();
        }
    }
}

/// A write transaction shared by tasks that write at once ([`Background`]), each holding an `Arc` of it. Its
/// statements take turns in the order they come (a fair lock; the driver's own is not, and a task writing
/// statement after statement kept the others waiting), and once one has failed, none runs: SQLite rolls the whole
/// transaction back on some errors (a full disk, an I/O error) and would run the next statement as a transaction of
/// its own, committed at once.
pub struct SharedTxn {
    txn: sea_orm::DatabaseTransaction,
    /// Whether a statement has failed.
    gate: tokio::sync::Mutex<bool>,
}

impl SharedTxn {
    pub fn new(txn: sea_orm::DatabaseTransaction) -> Self {
        Self {
            txn,
            gate: tokio::sync::Mutex::new(false),
        }
    }

    /// The transaction itself, to commit or roll back, once no task shares it.
    pub fn into_inner(self) -> sea_orm::DatabaseTransaction {
        self.txn
    }

    async fn guarded<T>(
        &self,
        statement: impl std::future::Future<Output = Result<T, DbErr>>,
    ) -> Result<T, DbErr> {
        let mut failed = self.gate.lock().await;
        if *failed {
            return Err(DbErr::Custom(
                "an earlier statement of this transaction failed".into(),
            ));
        }
        let done = statement.await;
        *failed = done.is_err();
        done
    }
}

#[async_trait::async_trait]
impl ConnectionTrait for SharedTxn {
    fn get_database_backend(&self) -> DbBackend {
        self.txn.get_database_backend()
    }

    async fn execute_raw(&self, stmt: Statement) -> Result<sea_orm::ExecResult, DbErr> {
        self.guarded(self.txn.execute_raw(stmt)).await
    }

    async fn execute_unprepared(&self, sql: &str) -> Result<sea_orm::ExecResult, DbErr> {
        self.guarded(self.txn.execute_unprepared(sql)).await
    }

    async fn query_one_raw(&self, stmt: Statement) -> Result<Option<sea_orm::QueryResult>, DbErr> {
        self.guarded(self.txn.query_one_raw(stmt)).await
    }

    async fn query_all_raw(&self, stmt: Statement) -> Result<Vec<sea_orm::QueryResult>, DbErr> {
        self.guarded(self.txn.query_all_raw(stmt)).await
    }

    fn support_returning(&self) -> bool {
        self.txn.support_returning()
    }

    fn is_mock_connection(&self) -> bool {
        self.txn.is_mock_connection()
    }
}

/// A subquery of many ids bound as one parameter, a JSON array (`ids_json`): for a statement over many rows by
/// id, one parameter instead of one per id, and one statement instead of one per few hundred ids. `n` is the
/// parameter's number on PostgreSQL (SQLite takes `?` in order).
pub fn ids_subquery(backend: DbBackend, n: usize) -> String {
    match backend {
        DbBackend::Postgres => {
            format!(
                "SELECT CAST(value AS BIGINT) FROM jsonb_array_elements_text(CAST(${n} AS JSONB))"
            )
        }
        _ => "SELECT value FROM json_each(?)".to_string(),
    }
}

/// The parameter of [`ids_subquery`].
pub fn ids_json(ids: &[i64]) -> sea_orm::Value {
    sea_orm::Value::from(serde_json::to_string(ids).unwrap_or_else(|_| "[]".into()))
}

/// What every statement of one bulk insert shares.
struct BulkInsert<A: sea_orm::ActiveModelTrait> {
    backend: DbBackend,
    table: String,
    columns: Vec<<A::Entity as sea_orm::EntityTrait>::Column>,
    /// `INSERT INTO "t" ("a", "b") VALUES `
    head: String,
    per_statement: usize,
}

impl<A: sea_orm::ActiveModelTrait> BulkInsert<A> {
    /// The next statement: up to `per_statement` rows taken from `models`, and how many; `None` when none are
    /// left. Taking the models from a lazy iterator here lets the caller build them while the previous
    /// statement runs.
    fn next(
        &self,
        models: &mut impl Iterator<Item = A>,
        written: u64,
    ) -> Result<Option<(Statement, u64)>, DbErr> {
        use sea_orm::{ActiveValue, IdenStatic};
        let ncols = self.columns.len();
        // The rows' values, row after row.
        let mut cells: Vec<sea_orm::Value> = Vec::with_capacity(self.per_statement * ncols);
        let mut n = 0usize;
        for mut model in models.take(self.per_statement) {
            for c in &self.columns {
                cells.push(match model.take(*c) {
                    ActiveValue::Set(v) | ActiveValue::Unchanged(v) => v,
                    ActiveValue::NotSet => {
                        return Err(DbErr::Custom(format!(
                            "insert_all: {}.{} is set on the first row but not on row {}",
                            self.table,
                            c.as_str(),
                            written as usize + n + 1
                        )));
                    }
                });
            }
            n += 1;
        }
        if n == 0 {
            return Ok(None);
        }
        // SQLite: a column with the same value on every row of the statement (a status, a time stamp, an empty
        // note) is bound once, not once per row: `INSERT … SELECT ?, column1, … FROM (VALUES (…), (…))`.
        let sqlite = self.backend == DbBackend::Sqlite;
        let mut constant: Vec<bool> = (0..ncols)
            .map(|k| sqlite && n > 1 && (1..n).all(|r| cells[r * ncols + k] == cells[k]))
            .collect();
        if constant.iter().all(|c| *c) {
            constant[0] = false;
        }
        let mut sql = String::with_capacity(self.head.len() + n * ncols * 3 + 64);
        sql.push_str(&self.head);
        let mut values: Vec<sea_orm::Value> = Vec::with_capacity(cells.len());
        let mut cells = cells.into_iter();
        if constant.iter().any(|c| *c) {
            use std::fmt::Write;
            sql.truncate(sql.len() - "VALUES ".len());
            sql.push_str("SELECT ");
            let mut varying = 0usize;
            for (k, is_constant) in constant.iter().enumerate() {
                if k > 0 {
                    sql.push_str(", ");
                }
                if *is_constant {
                    sql.push('?');
                } else {
                    varying += 1;
                    let _ = write!(sql, "column{varying}");
                }
            }
            sql.push_str(" FROM (VALUES ");
            for r in 0..n {
                sql.push_str(if r > 0 { ", (" } else { "(" });
                let mut first = true;
                for (is_constant, v) in constant.iter().zip(cells.by_ref().take(ncols)) {
                    if *is_constant {
                        // The first row's value is bound in the SELECT list, ahead of the rows.
                        if r == 0 {
                            values.push(v);
                        }
                        continue;
                    }
                    sql.push_str(if first { "?" } else { ", ?" });
                    first = false;
                    values.push(v);
                }
                sql.push(')');
            }
            sql.push(')');
            // The constants' parameters come first in the text: move them to the front, in column order.
            let nconst = constant.iter().filter(|c| **c).count();
            let nvary = ncols - nconst;
            let first_row: Vec<sea_orm::Value> = values.drain(..ncols).collect();
            let (consts, vary): (Vec<_>, Vec<_>) = first_row
                .into_iter()
                .zip(constant.iter())
                .partition(|(_, c)| **c);
            let mut ordered: Vec<sea_orm::Value> = Vec::with_capacity(nconst + n * nvary);
            ordered.extend(consts.into_iter().map(|(v, _)| v));
            ordered.extend(vary.into_iter().map(|(v, _)| v));
            ordered.append(&mut values);
            values = ordered;
        } else {
            for r in 0..n {
                sql.push_str(if r > 0 { ", (" } else { "(" });
                for (k, v) in cells.by_ref().take(ncols).enumerate() {
                    if k > 0 {
                        sql.push_str(", ");
                    }
                    values.push(v);
                    match self.backend {
                        DbBackend::Postgres => {
                            use std::fmt::Write;
                            let _ = write!(sql, "${}", values.len());
                        }
                        _ => sql.push('?'),
                    }
                }
                sql.push(')');
            }
        }
        Ok(Some((
            Statement::from_sql_and_values(self.backend, sql, values),
            n as u64,
        )))
    }
}

async fn insert_batches<A>(
    conn: &impl ConnectionTrait,
    models: Box<dyn Iterator<Item = A> + Send + '_>,
) -> Result<u64, DbErr>
where
    A: sea_orm::ActiveModelTrait + Send,
{
    use sea_orm::{ActiveValue, EntityName, EntityTrait, IdenStatic, Iterable};
    let mut models = models.peekable();
    let Some(first) = models.peek() else {
        return Ok(0);
    };
    let columns: Vec<<A::Entity as EntityTrait>::Column> =
        <<A::Entity as EntityTrait>::Column as Iterable>::iter()
            .filter(|c| !matches!(first.get(*c), ActiveValue::NotSet))
            .collect();
    if columns.is_empty() {
        return Err(DbErr::Custom("insert_all: a model sets no column".into()));
    }
    let table = <A::Entity as Default>::default().table_name().to_string();
    let head = format!(
        "INSERT INTO \"{table}\" ({}) VALUES ",
        columns
            .iter()
            .map(|c| format!("\"{}\"", c.as_str()))
            .collect::<Vec<_>>()
            .join(", ")
    );
    let bulk = BulkInsert::<A> {
        backend: conn.get_database_backend(),
        table,
        // SQLite takes 32,766 parameters per statement, PostgreSQL 65,535; 1,000 rows is past the point of gains.
        per_statement: (30_000 / columns.len()).clamp(1, 1000),
        columns,
        head,
    };
    let mut written = 0u64;
    let mut next = bulk.next(&mut models, written)?;
    // Each statement runs on the database's side while the next one is built here (both on this task: the
    // driver works on its own thread once the statement is sent).
    while let Some((statement, n)) = next.take() {
        let following = async { bulk.next(&mut models, written + n) };
        let (done, following) = tokio::join!(conn.execute_raw(statement), following);
        done?;
        next = following?;
        written += n;
    }
    Ok(written)
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
