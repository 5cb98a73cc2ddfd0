use shopdesk_core::listing::ListQuery;
use shopdesk_core::masterdata::products;
use shopdesk_core::{ApiError, backup, demo};
use shopdesk_tests::{Backend, TestDb, db_test, dump_tables};
use std::path::PathBuf;

const TABLES: &[&str] = &[
    "users",
    "products",
    "suppliers",
    "supplier_certificates",
    "warehouses",
    "locations",
    "customers",
];

db_test!(backup_and_restore_round_trip, |db: TestDb| async move {
    let admin = db.admin().await;
    if db.backend == Backend::Postgres {
        let e: ApiError = backup::backup_now(&db.desk, &admin)
            .await
            .unwrap_err()
            .into();
        assert_eq!(
            e.code, "backup.not_supported",
            "PostgreSQL is backed up by the server"
        );
        db.close().await;
        return;
    }
    demo::load(&db.desk, &admin, demo::DEFAULT_SEED)
        .await
        .unwrap();
    let at_backup = dump_tables(&db.desk, TABLES).await;
    let info = backup::backup_now(&db.desk, &admin).await.unwrap();
    assert!(info.size_bytes > 100_000);

    // Change things after the backup.
    let first = products::list(&db.desk, &admin, &ListQuery::default())
        .await
        .unwrap()
        .items[0]
        .clone();
    products::set_archived(&db.desk, &admin, first.id, true)
        .await
        .unwrap();
    products::create(
        &db.desk,
        &admin,
        &products::ProductInput {
            sku: "AFTER".into(),
            name: "后加".into(),
            unit: "个".into(),
            ..Default::default()
        },
    )
    .await
    .unwrap();
    assert_ne!(dump_tables(&db.desk, TABLES).await, at_backup);

    // A broken file is refused before anything is touched.
    let junk = db.dir.path().join("junk.db");
    std::fs::write(&junk, b"this is not a database").unwrap();
    // Keep the temporary folder alive while the database in it is replaced and reopened.
    let TestDb { desk, dir, .. } = db;
    let (desk, err) = backup::restore(desk, &admin, &junk)
        .await
        .expect_err("junk refused");
    assert_eq!(ApiError::from(err).code, "backup.invalid");
    let desk = desk.expect("database still open");

    let restored = backup::restore(desk, &admin, &PathBuf::from(&info.path))
        .await
        .map_err(|(_, e)| e)
        .expect("restore");
    assert_eq!(
        dump_tables(&restored, TABLES).await,
        at_backup,
        "identical to the moment of the backup"
    );
    // The database before the restore was kept.
    let kept = backup::list(&restored, &admin).await.unwrap();
    assert!(
        kept.iter()
            .any(|b| b.file_name.starts_with("before-restore-"))
    );
    restored.close().await.unwrap();
    drop(dir);
});

db_test!(daily_automatic_backup, |db: TestDb| async move {
    if db.backend == Backend::Postgres {
        db.close().await;
        return;
    }
    db.admin().await;
    let first = backup::auto_backup_if_due(&db.desk, 3).await.unwrap();
    assert!(first.is_some(), "no automatic backup yet: one is made");
    db.clock.advance(chrono::Duration::hours(5));
    assert!(
        backup::auto_backup_if_due(&db.desk, 3)
            .await
            .unwrap()
            .is_none(),
        "not due within a day"
    );
    for _ in 0..4 {
        db.clock.advance(chrono::Duration::hours(25));
        assert!(
            backup::auto_backup_if_due(&db.desk, 3)
                .await
                .unwrap()
                .is_some()
        );
    }
    let dir = backup::backup_dir(&db.desk).unwrap();
    let autos = backup::list_backups(&dir)
        .unwrap()
        .into_iter()
        .filter(|b| b.file_name.starts_with("auto-"))
        .count();
    assert_eq!(autos, 3, "only the newest 3 are kept");
    db.close().await;
});
