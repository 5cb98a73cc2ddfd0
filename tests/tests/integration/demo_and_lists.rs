use sea_orm::{ConnectionTrait, Statement};
use shopdesk_core::listing::ListQuery;
use shopdesk_core::masterdata::products;
use shopdesk_core::{ApiError, demo};
use shopdesk_tests::{TestDb, db_test, dump_tables};

db_test!(
    demo_company_and_server_side_lists,
    |db: TestDb| async move {
        let admin = db.admin().await;
        let s = demo::load(&db.desk, &admin, demo::DEFAULT_SEED)
            .await
            .unwrap();
        assert!(s.products >= 1_000, "at least 1,000 products");
        assert_eq!(s.warehouses, 2);
        assert_eq!(s.users, 6, "one user for every non-admin role");
        let again: ApiError = demo::load(&db.desk, &admin, demo::DEFAULT_SEED)
            .await
            .unwrap_err()
            .into();
        assert_eq!(again.code, "demo.already_loaded");

        // Search is case-insensitive and matches the same rows as a plain SQL LIKE.
        let page = products::list(
            &db.desk,
            &admin,
            &ListQuery {
                search: Some("绿茶".into()),
                page_size: 5,
                ..Default::default()
            },
        )
        .await
        .unwrap();
        let backend = db.desk.db().get_database_backend();
        let row = db
            .desk
            .db()
            .query_one_raw(Statement::from_string(
                backend,
                "SELECT COUNT(*) AS n FROM products WHERE name LIKE '%绿茶%'",
            ))
            .await
            .unwrap()
            .unwrap();
        let n: i64 = row.try_get("", "n").unwrap();
        assert!(n > 0);
        assert_eq!(page.total, n as u64);
        assert!(page.items.len() <= 5);
        assert!(page.items.iter().all(|p| p.name.contains("绿茶")));
        let by_sku_lower = products::list(
            &db.desk,
            &admin,
            &ListQuery {
                search: Some("yl-0000".into()),
                ..Default::default()
            },
        )
        .await
        .unwrap();
        let skus: Vec<&str> = by_sku_lower.items.iter().map(|p| p.sku.as_str()).collect();
        assert_eq!(
            skus,
            vec!["YL-00001", "YL-00009"],
            "lower-case search finds upper-case SKUs (drinks are every 8th)"
        );

        // Sort by price descending: the first row has the highest price of the filter.
        let drinks = ListQuery {
            category: Some("饮料".into()),
            sort: Some("price".into()),
            desc: true,
            page_size: 500,
            ..Default::default()
        };
        let sorted = products::list(&db.desk, &admin, &drinks).await.unwrap();
        let prices: Vec<rust_decimal::Decimal> = sorted
            .items
            .iter()
            .map(|p| p.price.parse().unwrap())
            .collect();
        assert!(
            prices.windows(2).all(|w| w[0] >= w[1]),
            "sorted by price, descending"
        );
        assert_eq!(sorted.total, 150, "1,200 products over 8 categories");

        // Pagination: pages do not overlap and cover the total.
        let mut seen = std::collections::HashSet::new();
        for page in 1..=3 {
            let p = products::list(
                &db.desk,
                &admin,
                &ListQuery {
                    page,
                    page_size: 400,
                    ..Default::default()
                },
            )
            .await
            .unwrap();
            assert_eq!(p.total, 1_200);
            for item in p.items {
                assert!(seen.insert(item.sku), "no row on two pages");
            }
        }
        assert_eq!(seen.len(), 1_200);

        // The same with a sort column that has only 8 distinct values: ties must not move rows between pages.
        let mut seen = std::collections::HashSet::new();
        for page in 1..=24 {
            let p = products::list(
                &db.desk,
                &admin,
                &ListQuery {
                    page,
                    page_size: 50,
                    sort: Some("category".into()),
                    ..Default::default()
                },
            )
            .await
            .unwrap();
            for item in p.items {
                assert!(
                    seen.insert(item.sku),
                    "no row on two pages when sorting by category"
                );
            }
        }
        assert_eq!(seen.len(), 1_200);
        db.close().await;
    }
);

db_test!(demo_is_deterministic, |db: TestDb| async move {
    let admin = db.admin().await;
    demo::load(&db.desk, &admin, 42).await.unwrap();
    let other = shopdesk_tests::fresh(shopdesk_tests::Backend::Sqlite)
        .await
        .unwrap();
    let admin2 = other.admin().await;
    demo::load(&other.desk, &admin2, 42).await.unwrap();
    let tables = [
        "products",
        "suppliers",
        "customers",
        "warehouses",
        "locations",
    ];
    assert_eq!(
        dump_tables(&db.desk, &tables)
            .await
            .iter()
            .map(|(_, r)| r.len())
            .collect::<Vec<_>>(),
        dump_tables(&other.desk, &tables)
            .await
            .iter()
            .map(|(_, r)| r.len())
            .collect::<Vec<_>>()
    );
    let a = products::list(
        &db.desk,
        &admin,
        &ListQuery {
            page_size: 500,
            ..Default::default()
        },
    )
    .await
    .unwrap();
    let b = products::list(
        &other.desk,
        &admin2,
        &ListQuery {
            page_size: 500,
            ..Default::default()
        },
    )
    .await
    .unwrap();
    let strip = |p: &products::Product| {
        (
            p.sku.clone(),
            p.name.clone(),
            p.barcode.clone(),
            p.cost.clone(),
            p.price.clone(),
        )
    };
    assert_eq!(
        a.items.iter().map(strip).collect::<Vec<_>>(),
        b.items.iter().map(strip).collect::<Vec<_>>()
    );
    // Every demo barcode is a valid EAN-13.
    for p in &a.items {
        shopdesk_core::barcode::Barcode::parse(p.barcode.as_deref().unwrap())
            .expect("valid EAN-13");
    }
    other.close().await;
    db.close().await;
});
