use sea_orm::{ColumnTrait, ConnectionTrait, QueryFilter, Statement};
use shopdesk_core::db;
use shopdesk_tests::{Backend, TestDb, db_test};

/// A row for the bulk-write tests: written by `username`, for `action` on `entity` with `entity_key`; no user,
/// entity id, before or after (tests set those where they vary).
fn audit_row(
    at: chrono::DateTime<chrono::Utc>,
    day: chrono::NaiveDate,
    username: &str,
    action: &str,
    entity: &str,
    entity_key: String,
) -> shopdesk_core::entities::audit_log::ActiveModel {
    use sea_orm::Set;
    shopdesk_core::entities::audit_log::ActiveModel {
        at: Set(at),
        biz_date: Set(day),
        user_id: Set(None),
        username: Set(username.into()),
        action: Set(action.into()),
        entity: Set(entity.into()),
        entity_id: Set(None),
        entity_key: Set(entity_key),
        before: Set(None),
        after: Set(None),
        ..Default::default()
    }
}

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
        // The main connections checkpoint by themselves; the bulk ones leave it to `commit_bulk`.
        assert_eq!(
            db::sqlite_pragma(db.desk.db(), "wal_autocheckpoint")
                .await
                .unwrap(),
            "1000"
        );
        let bulk = db::connect_bulk(db.desk.config())
            .await
            .unwrap()
            .expect("SQLite has bulk connections");
        assert_eq!(
            db::sqlite_pragma(&bulk, "wal_autocheckpoint")
                .await
                .unwrap(),
            "0"
        );
        bulk.close().await.unwrap();
    } else {
        assert!(db::connect_bulk(db.desk.config()).await.unwrap().is_none());
    }
    db.close().await;
});

db_test!(
    a_bulk_import_is_readable_at_once_and_checkpointed_after_it_returns,
    |db: TestDb| async move {
        use shopdesk_core::entities::sales_orders;
        use shopdesk_core::sales::import::{self, OrderImportOptions};
        use shopdesk_core::sea_orm::{EntityTrait, PaginatorTrait};
        let admin = db.admin().await;
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("orders.csv");
        let mut csv =
            String::from("订单号,下单时间,付款时间,收货人,手机号,地址,商品编码,数量,单价\n");
        for i in 0..300 {
            csv.push_str(&format!(
                "C{i:05},2026-11-20 10:00:00,2026-11-20 10:01:00,顾客{i},1380000{i:04},上海市浦东新区世纪大道{i}号,TEA-{},1,30.00\n",
                i % 7
            ));
        }
        std::fs::write(&path, csv).unwrap();
        let s = import::import_file(
            &db.desk,
            &admin,
            &path,
            &OrderImportOptions {
                channel: shopdesk_core::sales::channels::Channel::Generic,
                ..Default::default()
            },
            None,
            &shopdesk_core::imports::Control::new(),
        )
        .await
        .unwrap();
        assert_eq!(s.orders_created, 300);
        // Committed and visible on the other connections as soon as the import returns.
        assert_eq!(
            sales_orders::Entity::find()
                .count(db.desk.db())
                .await
                .unwrap(),
            300
        );
        let c = db.desk.wait_for_checkpoint().await;
        if db.backend == Backend::Sqlite {
            let c = c.expect("a checkpoint follows the import's commit");
            assert!(c.log_pages > 0, "{c:?}");
            assert_eq!(c.copied_pages, c.log_pages, "no reader held it back");
        } else {
            assert_eq!(c, None, "PostgreSQL has no write-ahead log of ours to copy");
        }
        // Waited for once.
        assert_eq!(db.desk.wait_for_checkpoint().await, None);
        db.close().await;
    }
);

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

db_test!(
    bulk_inserts_store_every_row_as_given,
    |db: TestDb| async move {
        use sea_orm::{EntityTrait, QueryOrder, Set};
        use shopdesk_core::entities::audit_log;
        let at = db.desk.now();
        let day = db.desk.biz_date(at);
        // 2,500 rows: three statements of up to 1,000. Some columns have one value on every row of a statement
        // (bound once on SQLite), some change from the third statement on, one is NULL throughout, one varies.
        let models: Vec<audit_log::ActiveModel> = (0..2500i64)
            .map(|i| audit_log::ActiveModel {
                user_id: Set(if i < 2000 { Some(7) } else { Some(i) }),
                after: Set(if i == 2400 {
                    Some("{\"x\":1}".into())
                } else {
                    None
                }),
                ..audit_row(
                    at,
                    day,
                    "批量",
                    if i < 2000 { "create" } else { "update" },
                    "bulk_test",
                    format!("K-{i:05}"),
                )
            })
            .collect();
        assert_eq!(db::insert_all(db.desk.db(), models).await.unwrap(), 2500);
        let rows = audit_log::Entity::find()
            .filter(audit_log::Column::Entity.eq("bulk_test"))
            .order_by_asc(audit_log::Column::Id)
            .all(db.desk.db())
            .await
            .unwrap();
        assert_eq!(rows.len(), 2500);
        for (i, r) in rows.iter().enumerate() {
            let i = i as i64;
            assert_eq!(r.entity_key, format!("K-{i:05}"));
            assert_eq!(r.user_id, Some(if i < 2000 { 7 } else { i }));
            assert_eq!(r.action, if i < 2000 { "create" } else { "update" });
            assert_eq!((r.at, r.biz_date, r.username.as_str()), (at, day, "批量"));
            assert_eq!(r.entity_id, None);
            assert_eq!(r.after.is_some(), i == 2400);
        }
        // Ids given before the insert: past every id the table has had, written as given (rows all alike but for
        // the id), and never given twice, even once the row with the highest id is gone.
        let txn = db.desk.write_txn().await.unwrap();
        let ids = db::reserve_ids(&txn, "audit_log", 3).await.unwrap();
        assert_eq!(ids.len(), 3);
        assert!(ids[0] > rows.last().unwrap().id);
        let same = ids.iter().map(|id| audit_log::ActiveModel {
            id: Set(*id),
            ..audit_row(at, day, "批量", "same", "bulk_test", "same".into())
        });
        assert_eq!(db::insert_all(&txn, same).await.unwrap(), 3);
        let stored: Vec<i64> = audit_log::Entity::find()
            .filter(audit_log::Column::Action.eq("same"))
            .order_by_asc(audit_log::Column::Id)
            .all(&txn)
            .await
            .unwrap()
            .into_iter()
            .map(|r| r.id)
            .collect();
        assert_eq!(stored, ids);
        audit_log::Entity::delete_by_id(ids[2])
            .exec(&txn)
            .await
            .unwrap();
        let next = db::reserve_ids(&txn, "audit_log", 2).await.unwrap();
        assert_eq!(next.len(), 2);
        assert!(next[0] > ids[2], "{next:?} after {ids:?}");
        assert_ne!(next[0], next[1]);
        txn.commit().await.unwrap();
        db.close().await;
    }
);

db_test!(
    background_writes_belong_to_their_transaction,
    |db: TestDb| async move {
        use sea_orm::{EntityTrait, PaginatorTrait, QueryFilter, Set};
        use shopdesk_core::entities::audit_log;
        use std::sync::Arc;
        let at = db.desk.now();
        let day = db.desk.biz_date(at);
        let rows = move |action: &'static str| {
            (0..1500i64).map(move |i| audit_log::ActiveModel {
                entity_id: Set(Some(i)),
                ..audit_row(at, day, "后台", action, "background_test", format!("K-{i}"))
            })
        };
        let count = |action: &'static str| {
            audit_log::Entity::find()
                .filter(audit_log::Column::Entity.eq("background_test"))
                .filter(audit_log::Column::Action.eq(action))
                .count(db.desk.db())
        };
        // The caller fails after starting the writes: dropped unjoined, they stop, and nothing is stored.
        let txn = Arc::new(db::SharedTxn::new(db.desk.write_txn().await.unwrap()));
        let t = txn.clone();
        let task = db::Background::spawn(async move {
            db::insert_all(&*t, rows("dropped").collect::<Vec<_>>()).await
        });
        db::insert_all(&*txn, rows("dropped").take(10))
            .await
            .unwrap();
        drop(task);
        drop(txn);
        // A new write transaction waits until the first one has let go (on SQLite, for its lock).
        let txn = Arc::new(db::SharedTxn::new(db.desk.write_txn().await.unwrap()));
        assert_eq!(count("dropped").await.unwrap(), 0);
        // Joined, they are part of the caller's commit, beside its own writes.
        let t = txn.clone();
        let task = db::Background::spawn(async move {
            db::insert_all(&*t, rows("joined").collect::<Vec<_>>()).await
        });
        db::insert_all(&*txn, rows("joined").take(10))
            .await
            .unwrap();
        assert_eq!(task.join().await.unwrap(), 1500);
        assert_eq!(count("joined").await.unwrap(), 0, "not committed yet");
        Arc::into_inner(txn)
            .unwrap()
            .into_inner()
            .commit()
            .await
            .unwrap();
        assert_eq!(count("joined").await.unwrap(), 1510);
        db.close().await;
    }
);

db_test!(
    a_shared_transaction_runs_nothing_after_a_failed_statement,
    |db: TestDb| async move {
        use sea_orm::{EntityTrait, PaginatorTrait};
        use shopdesk_core::entities::audit_log;
        let at = db.desk.now();
        let row = audit_row(
            at,
            db.desk.biz_date(at),
            "后台",
            "after_failure",
            "shared_test",
            "x".into(),
        );
        let before = audit_log::Entity::find().count(db.desk.db()).await.unwrap();
        let txn = db::SharedTxn::new(db.desk.write_txn().await.unwrap());
        db::insert_all(&txn, [row.clone()]).await.unwrap();
        // A statement fails (SQLite may have rolled the whole transaction back): nothing runs after it, neither a
        // write nor a read, so nothing can be committed on its own.
        txn.execute_unprepared("INSERT INTO no_such_table (x) VALUES (1)")
            .await
            .unwrap_err();
        let e = db::insert_all(&txn, [row]).await.unwrap_err();
        assert!(
            e.to_string()
                .contains("an earlier statement of this transaction failed"),
            "{e}"
        );
        let backend = txn.get_database_backend();
        assert!(
            txn.query_one_raw(Statement::from_string(backend, "SELECT 1"))
                .await
                .is_err()
        );
        drop(txn);
        assert_eq!(
            audit_log::Entity::find().count(db.desk.db()).await.unwrap(),
            before
        );
        db.close().await;
    }
);
