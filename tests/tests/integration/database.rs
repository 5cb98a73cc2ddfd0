use sea_orm::{ConnectionTrait, Statement};
use shopdesk_core::db;
use shopdesk_tests::{Backend, TestDb, db_test};

db_test!(sqlite_settings_take_effect, |db: TestDb| async move {
    if db.backend == Backend::Sqlite {
        // Checked on a pooled connection: WAL, foreign keys and busy timeout are per-connection settings.
        assert_eq!(
            db::sqlite_pragma(db.desk.db(), "journal_mode")
                .await
                .unwrap(),
            "wal"
        );
        assert_eq!(
            db::sqlite_pragma(db.desk.db(), "foreign_keys")
                .await
                .unwrap(),
            "1"
        );
        assert_eq!(
            db::sqlite_pragma(db.desk.db(), "busy_timeout")
                .await
                .unwrap(),
            "10000"
        );
    }
    db.close().await;
});

db_test!(
    migrations_are_idempotent_and_sums_are_exact,
    |db: TestDb| async move {
        // Running the migrator again on an up-to-date database changes nothing.
        let again = shopdesk_core::Shopdesk::open(db.desk.config().clone(), db.clock.clone())
            .await
            .expect("reopen");
        again.close().await.unwrap();
        let admin = db.admin().await;
        // Money is i64 minor units; SUM reads back as the same integer on both databases (cast to bigint).
        for (i, cost) in [
            "333333333333.3333",
            "333333333333.3333",
            "333333333333.3333",
        ]
        .iter()
        .enumerate()
        {
            shopdesk_core::masterdata::products::create(
                &db.desk,
                &admin,
                &shopdesk_core::masterdata::products::ProductInput {
                    sku: format!("SUM-{i}"),
                    name: "求和测试".into(),
                    unit: "个".into(),
                    cost: (*cost).into(),
                    price: "1".into(),
                    ..Default::default()
                },
            )
            .await
            .unwrap();
        }
        let backend = db.desk.db().get_database_backend();
        let row = db
            .desk
            .db()
            .query_one_raw(Statement::from_string(
                backend,
                "SELECT CAST(SUM(cost) AS BIGINT) AS s FROM products",
            ))
            .await
            .unwrap()
            .unwrap();
        let sum: i64 = row.try_get("", "s").unwrap();
        assert_eq!(
            sum, 9_999_999_999_999_999,
            "3 × 333333333333.3333 in ten-thousandths, exact"
        );
        db.close().await;
    }
);
