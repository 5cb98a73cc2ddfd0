//! Backups of the embedded SQLite database: on demand and daily automatic (`VACUUM INTO`, a consistent copy taken
//! while the app runs), and restore with a check (integrity and a schema this version knows) before anything is
//! replaced. Before a restore, the current database is itself backed up, so a restore can be undone.
//!
//! PostgreSQL databases are backed up by the server's own tools (pg_dump); the commands say so plainly.

use crate::Shopdesk;
use crate::audit::{self, Action};
use crate::auth::{Actor, AuthError, Permission};
use crate::db::{self, DbConfig};
use crate::error::ApiError;
use chrono::{DateTime, Utc};
use sea_orm::{ConnectionTrait, DbBackend, Statement};
use serde::{Deserialize, Serialize};
use shopdesk_migrations::{Migrator, MigratorTrait};
use std::path::{Path, PathBuf};
use ts_rs::TS;

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct BackupInfo {
    pub path: String,
    pub file_name: String,
    #[ts(type = "number")]
    pub size_bytes: u64,
    pub created_at: DateTime<Utc>,
}

#[derive(Debug, thiserror::Error)]
pub enum BackupError {
    #[error(transparent)]
    Auth(#[from] AuthError),
    #[error("backups of a PostgreSQL database are made on the server (pg_dump)")]
    NotSupported,
    #[error("{path} is not a usable Shopdesk backup: {reason}")]
    Invalid { path: String, reason: String },
    #[error("{path}: {source}")]
    Io {
        path: String,
        source: std::io::Error,
    },
    #[error(transparent)]
    Db(#[from] sea_orm::DbErr),
    #[error(transparent)]
    Open(#[from] db::DbError),
}

impl From<BackupError> for ApiError {
    fn from(e: BackupError) -> Self {
        match e {
            BackupError::Auth(a) => a.into(),
            BackupError::NotSupported => ApiError::new("backup.not_supported", e.to_string()),
            BackupError::Invalid {
                ref path,
                ref reason,
            } => {
                let (p, r) = (path.clone(), reason.clone());
                ApiError::new("backup.invalid", e.to_string())
                    .with_param("path", p)
                    .with_param("reason", r)
            }
            BackupError::Io { ref path, .. } => {
                let p = path.clone();
                ApiError::new("backup.io", e.to_string()).with_param("path", p)
            }
            BackupError::Db(d) => d.into(),
            BackupError::Open(o) => o.into(),
        }
    }
}

fn io(path: &Path) -> impl FnOnce(std::io::Error) -> BackupError + '_ {
    move |source| BackupError::Io {
        path: path.display().to_string(),
        source,
    }
}

/// Where backups of this database go: a `backups` folder beside the database file.
pub fn backup_dir(desk: &Shopdesk) -> Result<PathBuf, BackupError> {
    let path = desk
        .config()
        .sqlite_path()
        .ok_or(BackupError::NotSupported)?;
    let parent = path
        .parent()
        .filter(|p| !p.as_os_str().is_empty())
        .unwrap_or(Path::new("."));
    Ok(parent.join("backups"))
}

fn info(path: &Path) -> Result<BackupInfo, BackupError> {
    let meta = std::fs::metadata(path).map_err(io(path))?;
    let created: DateTime<Utc> = meta
        .modified()
        .map(DateTime::<Utc>::from)
        .unwrap_or_else(|_| Utc::now());
    Ok(BackupInfo {
        path: path.display().to_string(),
        file_name: path
            .file_name()
            .map(|f| f.to_string_lossy().into_owned())
            .unwrap_or_default(),
        size_bytes: meta.len(),
        created_at: created,
    })
}

/// Writes a consistent copy of the live database to `target` (which must not exist).
pub async fn write_copy(desk: &Shopdesk, target: &Path) -> Result<(), BackupError> {
    if desk.config().sqlite_path().is_none() {
        return Err(BackupError::NotSupported);
    }
    if let Some(parent) = target.parent() {
        std::fs::create_dir_all(parent).map_err(io(parent))?;
    }
    let quoted = target.display().to_string().replace('\'', "''");
    desk.db()
        .execute_unprepared(&format!("VACUUM INTO '{quoted}'"))
        .await?;
    Ok(())
}

fn stamp(desk: &Shopdesk) -> String {
    desk.now().format("%Y%m%d-%H%M%S").to_string()
}

/// A backup on demand, into the backups folder.
pub async fn backup_now(desk: &Shopdesk, actor: &Actor) -> Result<BackupInfo, BackupError> {
    actor.require(Permission::Backup)?;
    let dir = backup_dir(desk)?;
    let mut target = dir.join(format!("shopdesk-{}.db", stamp(desk)));
    let mut n = 1;
    while target.exists() {
        target = dir.join(format!("shopdesk-{}-{n}.db", stamp(desk)));
        n += 1;
    }
    write_copy(desk, &target).await?;
    let i = info(&target)?;
    audit::record(
        desk,
        desk.db(),
        actor,
        Action::Backup,
        "database",
        None,
        &i.file_name,
        None::<&()>,
        Some(&i),
    )
    .await?;
    Ok(i)
}

/// Backups in the folder, newest first.
pub fn list_backups(dir: &Path) -> Result<Vec<BackupInfo>, BackupError> {
    if !dir.exists() {
        return Ok(Vec::new());
    }
    let mut out = Vec::new();
    for entry in std::fs::read_dir(dir).map_err(io(dir))? {
        let entry = entry.map_err(io(dir))?;
        let p = entry.path();
        if p.extension().is_some_and(|e| e == "db") {
            out.push(info(&p)?);
        }
    }
    out.sort_by(|a, b| b.file_name.cmp(&a.file_name));
    Ok(out)
}

pub async fn list(desk: &Shopdesk, actor: &Actor) -> Result<Vec<BackupInfo>, BackupError> {
    actor.require(Permission::Backup)?;
    list_backups(&backup_dir(desk)?)
}

/// Makes the daily automatic backup when the newest `auto-` backup is older than a day; keeps the newest `keep`.
/// Returns the new backup, if one was made.
pub async fn auto_backup_if_due(
    desk: &Shopdesk,
    keep: usize,
) -> Result<Option<BackupInfo>, BackupError> {
    let dir = backup_dir(desk)?;
    let autos: Vec<BackupInfo> = list_backups(&dir)?
        .into_iter()
        .filter(|b| b.file_name.starts_with("auto-"))
        .collect();
    let due = autos.first().is_none_or(|newest| {
        // The file name carries the time it was taken (`auto-YYYYMMDD-HHMMSS.db`), independent of file-system times.
        let taken = newest
            .file_name
            .strip_prefix("auto-")
            .and_then(|s| s.strip_suffix(".db"))
            .and_then(|s| chrono::NaiveDateTime::parse_from_str(s, "%Y%m%d-%H%M%S").ok())
            .map(|n| n.and_utc());
        taken.is_none_or(|t| desk.now() - t >= chrono::Duration::hours(24))
    });
    if !due {
        return Ok(None);
    }
    let target = dir.join(format!("auto-{}.db", stamp(desk)));
    if target.exists() {
        return Ok(None);
    }
    write_copy(desk, &target).await?;
    let made = info(&target)?;
    let mut autos: Vec<BackupInfo> = list_backups(&dir)?
        .into_iter()
        .filter(|b| b.file_name.starts_with("auto-"))
        .collect();
    autos.sort_by(|a, b| b.file_name.cmp(&a.file_name));
    for old in autos.iter().skip(keep) {
        let p = PathBuf::from(&old.path);
        std::fs::remove_file(&p).map_err(io(&p))?;
    }
    Ok(Some(made))
}

/// Checks that a file is an intact Shopdesk database whose schema this version knows.
pub async fn verify(path: &Path) -> Result<(), BackupError> {
    let invalid = |reason: String| BackupError::Invalid {
        path: path.display().to_string(),
        reason,
    };
    let mut head = [0u8; 16];
    {
        use std::io::Read;
        let mut f = std::fs::File::open(path).map_err(io(path))?;
        f.read_exact(&mut head)
            .map_err(|_| invalid("file too short".into()))?;
    }
    if &head != b"SQLite format 3\0" {
        return Err(invalid("not an SQLite database".into()));
    }
    let conn = db::connect(&DbConfig::Sqlite {
        path: path.to_path_buf(),
    })
    .await?;
    let result = async {
        let row = conn
            .query_one_raw(Statement::from_string(
                DbBackend::Sqlite,
                "PRAGMA integrity_check",
            ))
            .await?
            .ok_or_else(|| invalid("integrity check returned nothing".into()))?;
        let status: String = row.try_get_by_index(0)?;
        if status != "ok" {
            return Err(invalid(format!("integrity check: {status}")));
        }
        let applied = conn
            .query_all_raw(Statement::from_string(
                DbBackend::Sqlite,
                "SELECT version FROM seaql_migrations",
            ))
            .await
            .map_err(|_| invalid("no Shopdesk schema".into()))?;
        let known: Vec<String> = Migrator::migrations()
            .iter()
            .map(|m| m.name().to_string())
            .collect();
        for row in applied {
            let v: String = row.try_get_by_index(0)?;
            if !known.contains(&v) {
                return Err(invalid(format!("made by a newer Shopdesk (migration {v})")));
            }
        }
        let users = conn
            .query_one_raw(Statement::from_string(
                DbBackend::Sqlite,
                "SELECT COUNT(*) FROM users",
            ))
            .await;
        if users.is_err() {
            return Err(invalid("no users table".into()));
        }
        Ok(())
    }
    .await;
    conn.close().await?;
    result
}

/// Replaces the live database with a verified backup. The current database is first saved as
/// `before-restore-<time>.db`. Returns the reopened Shopdesk (migrated forward if the backup was older).
/// On failure the caller gets back the database that is open now (the old one where possible), or `None` when
/// nothing could be reopened.
pub async fn restore(
    desk: Shopdesk,
    actor: &Actor,
    backup: &Path,
) -> Result<Shopdesk, (Option<Shopdesk>, BackupError)> {
    if let Err(e) = actor.require(Permission::Backup) {
        return Err((Some(desk), e.into()));
    }
    let Some(live) = desk.config().sqlite_path().map(Path::to_path_buf) else {
        return Err((Some(desk), BackupError::NotSupported));
    };
    if let Err(e) = verify(backup).await {
        return Err((Some(desk), e));
    }
    let safety = match backup_dir(&desk) {
        Ok(dir) => dir.join(format!("before-restore-{}.db", stamp(&desk))),
        Err(e) => return Err((Some(desk), e)),
    };
    if let Err(e) = write_copy(&desk, &safety).await {
        return Err((Some(desk), e));
    }
    let (config, clock) = (desk.config().clone(), desk.clock_arc());
    if let Err(e) = desk.close().await {
        // The pool is gone either way; reopen what is there.
        tracing::warn!("closing before restore: {e}");
    }
    let copy = (|| -> Result<(), BackupError> {
        for suffix in ["-wal", "-shm"] {
            let side = PathBuf::from(format!("{}{suffix}", live.display()));
            if side.exists() {
                std::fs::remove_file(&side).map_err(io(&side))?;
            }
        }
        std::fs::copy(backup, &live).map_err(io(&live))?;
        Ok(())
    })();
    let (config_again, clock_again) = (config.clone(), clock.clone());
    let reopened = Shopdesk::open(config, clock).await;
    match (copy, reopened) {
        (Ok(()), Ok(desk)) => {
            let i = info(backup).ok();
            if let Err(e) = audit::record(
                &desk,
                desk.db(),
                actor,
                Action::RestoreBackup,
                "database",
                None,
                &backup.display().to_string(),
                None::<&()>,
                i.as_ref(),
            )
            .await
            {
                tracing::warn!("audit of restore: {e}");
            }
            Ok(desk)
        }
        (Err(e), Ok(desk)) => Err((Some(desk), e)),
        (_, Err(e)) => {
            // Put the safety copy back so the user is never left without a database.
            let _ = std::fs::copy(&safety, &live);
            let again = Shopdesk::open(config_again, clock_again).await.ok();
            Err((again, BackupError::Open(e)))
        }
    }
}
