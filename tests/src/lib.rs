//! Test harness: every database test runs twice, on a fresh SQLite file and on a fresh PostgreSQL database.
//!
//! PostgreSQL comes from `SHOPDESK_TEST_PG_URL` (an administrative URL such as
//! `postgres://postgres@127.0.0.1:54329/postgres`), which `scripts/test` sets after starting a server on loopback.
//! Without it the PostgreSQL variants are skipped with a note, unless `SHOPDESK_REQUIRE_PG=1` (set by the test
//! command and CI), where a missing server fails the test.

use chrono::{TimeZone, Utc};
use sea_orm::{ConnectionTrait, Database, DbBackend, Statement};
use shopdesk_core::auth::{self, Actor, NewUser, Role};
use shopdesk_core::{DbConfig, FixedClock, Shopdesk};
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Backend {
    Sqlite,
    Postgres,
}

/// A fresh database with a fixed clock, removed when dropped.
pub struct TestDb {
    pub desk: Shopdesk,
    pub clock: Arc<FixedClock>,
    pub backend: Backend,
    pub dir: tempfile::TempDir,
    pg: Option<(String, String)>,
}

/// 2026-11-22 09:30 in Shanghai.
pub fn test_start() -> chrono::DateTime<Utc> {
    Utc.with_ymd_and_hms(2026, 11, 22, 1, 30, 0)
        .single()
        .expect("valid time")
}

static COUNTER: AtomicU64 = AtomicU64::new(0);

pub async fn fresh(backend: Backend) -> Option<TestDb> {
    let dir = tempfile::tempdir().expect("temp dir");
    let clock = Arc::new(FixedClock::new(test_start()));
    match backend {
        Backend::Sqlite => {
            let config = DbConfig::Sqlite {
                path: dir.path().join("shopdesk.db"),
            };
            let desk = Shopdesk::open(config, clock.clone())
                .await
                .expect("open sqlite");
            Some(TestDb {
                desk,
                clock,
                backend,
                dir,
                pg: None,
            })
        }
        Backend::Postgres => {
            let Some(admin_url) = std::env::var("SHOPDESK_TEST_PG_URL")
                .ok()
                .filter(|s| !s.is_empty())
            else {
                if std::env::var("SHOPDESK_REQUIRE_PG").is_ok_and(|v| v == "1") {
                    panic!(
                        "SHOPDESK_REQUIRE_PG=1 but SHOPDESK_TEST_PG_URL is not set: start PostgreSQL with scripts/pg"
                    );
                }
                eprintln!("note: SHOPDESK_TEST_PG_URL not set, PostgreSQL variant skipped");
                return None;
            };
            let name = format!(
                "shopdesk_t{}_{}_{}",
                std::process::id(),
                COUNTER.fetch_add(1, Ordering::SeqCst),
                Utc::now().timestamp_subsec_nanos()
            );
            let admin = Database::connect(&admin_url)
                .await
                .expect("connect to PostgreSQL admin URL");
            admin
                .execute_raw(Statement::from_string(
                    DbBackend::Postgres,
                    format!("CREATE DATABASE {name}"),
                ))
                .await
                .expect("create test database");
            admin.close().await.ok();
            let url = replace_db_name(&admin_url, &name);
            let desk = Shopdesk::open(DbConfig::Postgres { url }, clock.clone())
                .await
                .expect("open postgres");
            Some(TestDb {
                desk,
                clock,
                backend,
                dir,
                pg: Some((admin_url, name)),
            })
        }
    }
}

fn replace_db_name(url: &str, name: &str) -> String {
    let (base, query) = match url.split_once('?') {
        Some((b, q)) => (b, Some(q)),
        None => (url, None),
    };
    let cut = base.rfind('/').expect("URL with a database path");
    let mut out = format!("{}/{name}", &base[..cut]);
    if let Some(q) = query {
        out.push('?');
        out.push_str(q);
    }
    out
}

impl TestDb {
    /// Creates the administrator `admin` and returns the actor.
    pub async fn admin(&self) -> Actor {
        auth::setup_admin(
            &self.desk,
            NewUser {
                username: "admin".into(),
                display_name: "管理员".into(),
                password: "admin-secret".into(),
                role: Role::Admin,
                language: "zh-CN".into(),
            },
        )
        .await
        .expect("setup admin")
    }

    /// Creates a user of `role` (password `password1`) and returns the actor.
    pub async fn user(&self, admin: &Actor, username: &str, role: Role) -> Actor {
        auth::create_user(
            &self.desk,
            admin,
            NewUser {
                username: username.into(),
                display_name: username.into(),
                password: "password1".into(),
                role,
                language: "en".into(),
            },
        )
        .await
        .expect("create user");
        auth::login(&self.desk, username, "password1")
            .await
            .expect("login")
    }

    pub async fn close(self) {
        let TestDb { desk, pg, .. } = self;
        desk.close().await.ok();
        if let Some((admin_url, name)) = pg
            && let Ok(admin) = Database::connect(&admin_url).await
        {
            let _ = admin
                .execute_raw(Statement::from_string(
                    DbBackend::Postgres,
                    format!("DROP DATABASE IF EXISTS {name} WITH (FORCE)"),
                ))
                .await;
            admin.close().await.ok();
        }
    }
}

/// Declares a test that runs on SQLite and on PostgreSQL: `db_test!(name, |db: TestDb| async move { ... })`.
#[macro_export]
macro_rules! db_test {
    ($name:ident, $body:expr) => {
        mod $name {
            #[allow(unused_imports)]
            use super::*;

            #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
            async fn sqlite() {
                if let Some(db) = $crate::fresh($crate::Backend::Sqlite).await {
                    ($body)(db).await;
                }
            }

            #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
            async fn postgres() {
                if let Some(db) = $crate::fresh($crate::Backend::Postgres).await {
                    ($body)(db).await;
                }
            }
        }
    };
}

/// Every row of every table, as JSON text, for "is the data identical" checks.
pub async fn dump_tables(desk: &Shopdesk, tables: &[&str]) -> Vec<(String, Vec<String>)> {
    let mut out = Vec::new();
    for t in tables {
        let rows = desk
            .db()
            .query_all_raw(Statement::from_string(
                desk.db().get_database_backend(),
                format!("SELECT * FROM {t} ORDER BY id"),
            ))
            .await
            .expect("dump");
        let mut lines = Vec::new();
        for r in rows {
            let v = sea_orm::JsonValue::from_query_result(&r, "").expect("row as json");
            lines.push(v.to_string());
        }
        out.push((t.to_string(), lines));
    }
    out
}

pub use sea_orm::FromQueryResult;
