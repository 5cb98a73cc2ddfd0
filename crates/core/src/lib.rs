//! shopdesk-core: all of Shopdesk's business logic and persistence.
//!
//! **Architecture Invariant:** this crate knows nothing of Tauri, windows or the command line. The desktop shell
//! (`src-tauri`) and the CLI (`crates/cli`) both drive it through [`Shopdesk`] and the module functions, passing the
//! acting user ([`auth::Actor`]) so that permissions are checked here, for every caller alike.
//!
//! **Architecture Invariant:** money is never `f64`. Amounts are [`money::Money`] (i64 minor units) and unit prices
//! [`money::UnitPrice`] (i64 ten-thousandths); every rounding is explicit.
//!
//! **Architecture Invariant:** every multi-row write runs in one database transaction together with its audit rows.

pub mod audit;
pub mod auth;
pub mod backup;
pub mod barcode;
pub mod bench;
pub mod clock;
pub mod dashboard;
pub mod db;
pub mod demo;
pub mod docno;
pub mod entities;
pub mod error;
pub mod export;
pub mod imports;
pub mod inventory;
pub mod listing;
pub mod masterdata;
pub mod money;
pub mod pdf;
pub mod procurement;
pub mod report;
pub mod sales;
pub mod settings;

use std::sync::Arc;

pub use clock::{Clock, FixedClock, SystemClock};
pub use db::DbConfig;
pub use error::{ApiError, FieldError};
pub use sea_orm;

/// The opened Shopdesk: a migrated database plus the clock every timestamp comes from.
#[derive(Clone)]
pub struct Shopdesk {
    db: sea_orm::DatabaseConnection,
    config: DbConfig,
    clock: Arc<dyn Clock>,
    company: Arc<std::sync::RwLock<settings::CompanySettings>>,
    /// SQLite: the connections bulk transactions write on, without the automatic checkpoint (see
    /// [`db::connect_bulk`]).
    bulk: Option<sea_orm::DatabaseConnection>,
    /// The checkpoint that runs after the last bulk commit, if any.
    checkpoint: Arc<std::sync::Mutex<Option<tokio::task::JoinHandle<Option<Checkpointed>>>>>,
}

/// What a checkpoint after a bulk commit did (SQLite's `PRAGMA wal_checkpoint(PASSIVE)`): pages in the
/// write-ahead log, and how many of them are now in the database file (fewer while a reader still needs them).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Checkpointed {
    pub log_pages: i64,
    pub copied_pages: i64,
    pub millis: u64,
}

impl std::fmt::Debug for Shopdesk {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Shopdesk")
            .field("config", &self.config)
            .finish_non_exhaustive()
    }
}

impl Shopdesk {
    /// Connects, creates the SQLite file when missing, and runs every pending migration.
    pub async fn open(config: DbConfig, clock: Arc<dyn Clock>) -> Result<Self, db::DbError> {
        let db = db::connect_and_migrate(&config).await?;
        let company = settings::load(&db).await?;
        let bulk = db::connect_bulk(&config).await?;
        Ok(Self {
            db,
            config,
            clock,
            company: Arc::new(std::sync::RwLock::new(company)),
            bulk,
            checkpoint: Arc::default(),
        })
    }

    pub fn db(&self) -> &sea_orm::DatabaseConnection {
        &self.db
    }

    pub fn config(&self) -> &DbConfig {
        &self.config
    }

    pub fn clock(&self) -> &dyn Clock {
        self.clock.as_ref()
    }

    pub fn clock_arc(&self) -> Arc<dyn Clock> {
        self.clock.clone()
    }

    pub fn now(&self) -> chrono::DateTime<chrono::Utc> {
        self.clock.now()
    }

    /// The company settings as last loaded or saved.
    pub fn company(&self) -> settings::CompanySettings {
        self.company
            .read()
            .unwrap_or_else(|e| e.into_inner())
            .clone()
    }

    pub(crate) fn set_company(&self, s: settings::CompanySettings) {
        *self.company.write().unwrap_or_else(|e| e.into_inner()) = s;
    }

    /// The business date of an instant: the calendar day in the company's time zone.
    pub fn biz_date(&self, at: chrono::DateTime<chrono::Utc>) -> chrono::NaiveDate {
        at.with_timezone(&self.company().tz()).date_naive()
    }

    /// Begins a transaction that will write. On SQLite it is `BEGIN IMMEDIATE`: the write lock is taken at once
    /// (waiting up to the busy timeout), so a transaction that reads before it writes can never fail with
    /// "database is locked" on a snapshot another writer moved past. PostgreSQL ignores the mode.
    pub async fn write_txn(&self) -> Result<sea_orm::DatabaseTransaction, sea_orm::DbErr> {
        Self::begin_write(&self.db).await
    }

    async fn begin_write(
        db: &sea_orm::DatabaseConnection,
    ) -> Result<sea_orm::DatabaseTransaction, sea_orm::DbErr> {
        use sea_orm::{SqliteTransactionMode, TransactionOptions, TransactionTrait};
        db.begin_with_options(TransactionOptions {
            sqlite_transaction_mode: Some(SqliteTransactionMode::Immediate),
            ..Default::default()
        })
        .await
    }

    /// A write transaction for bulk work (imports, reviews) that runs the same statement shape hundreds of times
    /// while a table grows. On PostgreSQL it plans every execution with its values
    /// (`plan_cache_mode = force_custom_plan`, for this transaction only), and refreshes the statistics of the
    /// `tables` it looks up in: a pooled connection's cached generic plan, or statistics taken while a table was
    /// small, would otherwise scan the whole table for each lookup (measured on 100,000 orders: import 111 s →
    /// 15 s, re-import 212 s → 4 s). SQLite needs neither; there the transaction runs on the bulk connections,
    /// and is to be committed with [`Self::commit_bulk`].
    pub async fn bulk_txn(
        &self,
        tables: &[&str],
    ) -> Result<sea_orm::DatabaseTransaction, sea_orm::DbErr> {
        use sea_orm::ConnectionTrait;
        let txn = Self::begin_write(self.bulk.as_ref().unwrap_or(&self.db)).await?;
        if self.db.get_database_backend() == sea_orm::DbBackend::Postgres {
            txn.execute_unprepared("SET LOCAL plan_cache_mode = force_custom_plan")
                .await?;
            for t in tables {
                txn.execute_unprepared(&format!("ANALYZE {t}")).await?;
            }
        }
        Ok(txn)
    }

    /// Commits a transaction begun with [`Self::bulk_txn`]. On SQLite the write-ahead log it grew is then copied
    /// back into the database file by a checkpoint on a task of its own, after this returns: the data is
    /// committed and readable at once, and a large import's caller does not wait for the copy (about a second
    /// for 100,000 orders). Checkpoints run one after the other; [`Self::wait_for_checkpoint`] waits for the last.
    pub async fn commit_bulk(
        &self,
        txn: sea_orm::DatabaseTransaction,
    ) -> Result<(), sea_orm::DbErr> {
        txn.commit().await?;
        if self.bulk.is_none() {
            return Ok(());
        }
        // On the main pool: the bulk connections stay free for bulk transactions.
        let main = self.db.clone();
        let mut slot = self.checkpoint.lock().unwrap_or_else(|e| e.into_inner());
        let before = slot.take();
        let work = async move {
            if let Some(h) = before {
                let _ = h.await;
            }
            db::checkpoint(&main).await
        };
        match tokio::runtime::Handle::try_current() {
            Ok(rt) => *slot = Some(rt.spawn(work)),
            // Outside a runtime (not the case in the app or the CLI), nowhere to run it later: SQLite's next
            // automatic checkpoint on the main connections does it.
            Err(_) => drop(work),
        }
        Ok(())
    }

    /// Waits for the checkpoint after the last bulk commit, if one is pending (the CLI before it exits, a restore
    /// before it closes the pool, the order benchmark to time it).
    pub async fn wait_for_checkpoint(&self) -> Option<Checkpointed> {
        let pending = self
            .checkpoint
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .take();
        pending?.await.ok().flatten()
    }

    /// Closes the pools (needed before a restore replaces the SQLite file), once the last checkpoint is done.
    pub async fn close(self) -> Result<(), db::DbError> {
        self.wait_for_checkpoint().await;
        // Both are closed, whatever the first says; its error is the one returned.
        let bulk = match self.bulk {
            Some(bulk) => bulk.close().await,
            None => Ok(()),
        };
        let main = self.db.close().await;
        bulk.and(main).map_err(db::DbError::from)
    }
}
