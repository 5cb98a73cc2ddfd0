use shopdesk_core::ApiError;
use shopdesk_core::auth::Role;
use shopdesk_core::inventory::{self, InventoryError};
use shopdesk_core::masterdata::products::{self, ProductInput};
use shopdesk_core::masterdata::warehouses::{self, LocationInput, WarehouseInput};
use shopdesk_core::money::UnitPrice;
use shopdesk_tests::{TestDb, db_test};

async fn setup(db: &TestDb) -> (shopdesk_core::auth::Actor, i64, i64, i64) {
    let admin = db.admin().await;
    let p = products::create(
        &db.desk,
        &admin,
        &ProductInput {
            sku: "INV-1".into(),
            name: "库存测试".into(),
            unit: "件".into(),
            ..Default::default()
        },
    )
    .await
    .unwrap();
    let w = warehouses::create(
        &db.desk,
        &admin,
        &WarehouseInput {
            code: "W1".into(),
            name: "一号仓".into(),
            ..Default::default()
        },
    )
    .await
    .unwrap();
    let l = warehouses::create_location(
        &db.desk,
        &admin,
        &LocationInput {
            warehouse_id: w.id,
            code: "A-01".into(),
            zone: String::new(),
            kind: "storage".into(),
        },
    )
    .await
    .unwrap();
    (admin, p.id, w.id, l.id)
}

db_test!(
    moving_average_is_exact_to_the_fen,
    |db: TestDb| async move {
        let (admin, product, wh, loc) = setup(&db).await;
        // 3 units at 10.00, then 1 unit at 10.01: value 40.01 for 4 units.
        inventory::adjust(
            &db.desk,
            &admin,
            product,
            loc,
            3,
            Some(UnitPrice::parse("10").unwrap()),
            "opening",
        )
        .await
        .unwrap();
        inventory::adjust(
            &db.desk,
            &admin,
            product,
            loc,
            1,
            Some(UnitPrice::parse("10.01").unwrap()),
            "receipt",
        )
        .await
        .unwrap();
        assert_eq!(
            inventory::valuation(&db.desk, product, wh).await.unwrap(),
            (4, 4001)
        );
        // Out 1: 40.01 / 4 = 10.0025 → 10.00 leaves (half away from zero at the fen); the residual stays in stock.
        inventory::adjust(&db.desk, &admin, product, loc, -1, None, "sample")
            .await
            .unwrap();
        assert_eq!(
            inventory::valuation(&db.desk, product, wh).await.unwrap(),
            (3, 3001)
        );
        // The last units out take all the remaining value: zero quantity carries no value.
        inventory::adjust(&db.desk, &admin, product, loc, -3, None, "scrap")
            .await
            .unwrap();
        assert_eq!(
            inventory::valuation(&db.desk, product, wh).await.unwrap(),
            (0, 0)
        );
        // Stock never goes negative.
        let e = inventory::adjust(&db.desk, &admin, product, loc, -1, None, "too much")
            .await
            .unwrap_err();
        assert!(
            matches!(
                e,
                InventoryError::InsufficientStock {
                    requested: 1,
                    available: 0,
                    ..
                }
            ),
            "{e}"
        );
        assert_eq!(ApiError::from(e).code, "inventory.insufficient_stock");
        let report = inventory::check(&db.desk, &admin).await.unwrap();
        assert!(report.ok, "{:?}", report.differences);
        assert_eq!(
            report.ledger_entries, 4,
            "the refused movement left no ledger entry"
        );
        db.close().await;
    }
);

db_test!(
    concurrent_reservations_never_oversell,
    |db: TestDb| async move {
        let (admin, product, _wh, loc) = setup(&db).await;
        let ops = db.user(&admin, "ops", Role::Operations).await;
        inventory::adjust(
            &db.desk,
            &admin,
            product,
            loc,
            600,
            Some(UnitPrice::parse("5").unwrap()),
            "opening",
        )
        .await
        .unwrap();
        // 1,000 reservations of one unit at once against 600 units.
        let mut handles = Vec::new();
        for i in 0..1_000 {
            let (desk, ops) = (db.desk.clone(), ops.clone());
            handles.push(tokio::spawn(async move {
                inventory::reserve(&desk, &ops, product, loc, 1, &format!("SO-{i}")).await
            }));
        }
        let (mut ok, mut refused) = (0, 0);
        for h in handles {
            match h.await.unwrap() {
                Ok(_) => ok += 1,
                Err(InventoryError::InsufficientStock { .. }) => refused += 1,
                Err(e) => panic!("unexpected: {e}"),
            }
        }
        assert_eq!(
            (ok, refused),
            (600, 400),
            "exactly the stock was reserved, the rest refused"
        );
        let b = inventory::balances(&db.desk, &admin, product)
            .await
            .unwrap();
        assert_eq!((b[0].on_hand, b[0].reserved, b[0].available), (600, 600, 0));
        let report = inventory::check(&db.desk, &admin).await.unwrap();
        assert!(report.ok, "{:?}", report.differences);
        assert_eq!(
            report.ledger_entries, 601,
            "one opening entry and one per successful reservation: none lost"
        );
        // Release frees stock again; a warehouse-less role may not post stock.
        inventory::release(&db.desk, &ops, product, loc, 10, "SO-1")
            .await
            .unwrap();
        assert_eq!(
            inventory::balances(&db.desk, &admin, product)
                .await
                .unwrap()[0]
                .available,
            10
        );
        let forbidden: ApiError = inventory::adjust(&db.desk, &ops, product, loc, 1, None, "x")
            .await
            .unwrap_err()
            .into();
        assert_eq!(forbidden.code, "auth.forbidden");
        db.close().await;
    }
);

db_test!(
    stock_as_of_date_and_on_hand_report,
    |db: TestDb| async move {
        use shopdesk_core::inventory::reports;
        let (admin, product, wh, loc) = setup(&db).await;
        let day1 = db.desk.biz_date(db.desk.now());
        inventory::adjust(
            &db.desk,
            &admin,
            product,
            loc,
            10,
            Some(UnitPrice::parse("2.5").unwrap()),
            "day 1",
        )
        .await
        .unwrap();
        db.clock.advance(chrono::Duration::days(1));
        inventory::adjust(&db.desk, &admin, product, loc, -4, None, "day 2")
            .await
            .unwrap();
        let before = reports::stock_as_of(&db.desk, &admin, day1 - chrono::Duration::days(1))
            .await
            .unwrap();
        assert!(before.is_empty(), "nothing before the first entry");
        let end_day1 = reports::stock_as_of(&db.desk, &admin, day1).await.unwrap();
        assert_eq!(
            (
                end_day1[0].qty,
                end_day1[0].value_fen,
                end_day1[0].warehouse_id
            ),
            (10, 2_500, wh)
        );
        let end_day2 = reports::stock_as_of(&db.desk, &admin, day1 + chrono::Duration::days(1))
            .await
            .unwrap();
        assert_eq!((end_day2[0].qty, end_day2[0].value_fen), (6, 1_500));
        let report = reports::on_hand(&db.desk, &admin).await.unwrap();
        assert_eq!(report.len(), 1);
        assert_eq!(
            (
                report[0].warehouse_code.as_str(),
                report[0].on_hand,
                report[0].available,
                report[0].value_fen
            ),
            ("W1", 6, 6, 1_500)
        );
        db.close().await;
    }
);
