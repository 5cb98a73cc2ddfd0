use shopdesk_core::ApiError;
use shopdesk_core::audit::{self, AuditQuery};
use shopdesk_core::listing::ListQuery;
use shopdesk_core::masterdata::suppliers::{Certificate, SupplierInput};
use shopdesk_core::masterdata::warehouses::{LocationInput, WarehouseInput};
use shopdesk_core::masterdata::{RecordStatus, customers, products, suppliers, warehouses};
use shopdesk_tests::{TestDb, db_test};

fn tea() -> products::ProductInput {
    products::ProductInput {
        sku: "TEA-001".into(),
        barcode: Some("6901234567892".into()),
        name: "西湖龙井 明前特级".into(),
        spec: "250g/罐".into(),
        unit: "罐".into(),
        category: "茶叶".into(),
        brand: "狮峰".into(),
        cost: "128.5".into(),
        price: "268.00".into(),
        currency: None,
        safety_stock: 20,
    }
}

db_test!(
    product_create_edit_archive_with_audit,
    |db: TestDb| async move {
        let admin = db.admin().await;
        let p = products::create(&db.desk, &admin, &tea()).await.unwrap();
        assert_eq!(p.cost, "128.50");
        assert_eq!(p.price, "268.00");
        assert_eq!(p.currency, "CNY");
        assert_eq!(p.barcode.as_deref(), Some("6901234567892"));

        // Field validation: every problem at once, with stable codes.
        let bad = products::ProductInput {
            sku: "has space".into(),
            barcode: Some("6901234567891".into()),
            name: " ".into(),
            unit: "".into(),
            cost: "1.23456".into(),
            price: "abc".into(),
            safety_stock: -1,
            ..Default::default()
        };
        let e: ApiError = products::create(&db.desk, &admin, &bad)
            .await
            .unwrap_err()
            .into();
        assert_eq!(e.code, "validation");
        let got: Vec<(String, String)> = e
            .details
            .iter()
            .map(|d| (d.field.clone(), d.code.clone()))
            .collect();
        for want in [
            ("sku", "no_spaces"),
            ("barcode", "barcode_check_digit"),
            ("name", "required"),
            ("unit", "required"),
            ("cost", "too_many_decimals"),
            ("price", "number"),
            ("safety_stock", "negative"),
        ] {
            assert!(
                got.contains(&(want.0.to_string(), want.1.to_string())),
                "missing {want:?} in {got:?}"
            );
        }
        let check = e.details.iter().find(|d| d.field == "barcode").unwrap();
        assert_eq!(check.params.get("expected").map(String::as_str), Some("2"));

        // Duplicates name the field.
        let dup: ApiError = products::create(&db.desk, &admin, &tea())
            .await
            .unwrap_err()
            .into();
        assert_eq!(
            (dup.code.as_str(), dup.field.as_deref()),
            ("masterdata.duplicate", Some("sku"))
        );
        let dup_barcode: ApiError = products::create(
            &db.desk,
            &admin,
            &products::ProductInput {
                sku: "TEA-002".into(),
                ..tea()
            },
        )
        .await
        .unwrap_err()
        .into();
        assert_eq!(dup_barcode.field.as_deref(), Some("barcode"));

        // Edit, then archive: both audited with before and after.
        db.clock.advance(chrono::Duration::minutes(5));
        let edited = products::update(
            &db.desk,
            &admin,
            p.id,
            &products::ProductInput {
                price: "258".into(),
                ..tea()
            },
        )
        .await
        .unwrap();
        assert_eq!(edited.price, "258.00");
        assert!(edited.updated_at > p.updated_at);
        let archived = products::set_archived(&db.desk, &admin, p.id, true)
            .await
            .unwrap();
        assert_eq!(archived.status, RecordStatus::Archived);
        let active = products::list(&db.desk, &admin, &ListQuery::default())
            .await
            .unwrap();
        assert_eq!(active.total, 0, "archived products leave the default list");
        let all = products::list(
            &db.desk,
            &admin,
            &ListQuery {
                status: Some("all".into()),
                ..Default::default()
            },
        )
        .await
        .unwrap();
        assert_eq!(all.total, 1);

        let log = audit::list(
            &db.desk,
            &admin,
            AuditQuery {
                entity: Some("product".into()),
                ..Default::default()
            },
        )
        .await
        .unwrap();
        let actions: Vec<&str> = log.items.iter().map(|e| e.action.as_str()).collect();
        assert_eq!(actions, vec!["archive", "update", "create"]);
        let update = &log.items[1];
        assert_eq!(update.username, "admin");
        assert_eq!(update.entity_key, "TEA-001");
        assert_eq!(update.biz_date.to_string(), "2026-11-22");
        let price_change = update
            .changes
            .iter()
            .find(|c| c.field == "price")
            .expect("price change recorded");
        assert_eq!(
            (
                price_change.before.as_deref(),
                price_change.after.as_deref()
            ),
            (Some("268.00"), Some("258.00"))
        );
        db.close().await;
    }
);

db_test!(
    suppliers_certificates_and_qualification,
    |db: TestDb| async move {
        let admin = db.admin().await;
        let today = db.desk.biz_date(db.desk.now());
        let input = SupplierInput {
            code: "SUP-900".into(),
            name: "杭州茶园有限公司".into(),
            contact_name: "周先生".into(),
            phone: "13800138000".into(),
            email: "zhou@example.cn".into(),
            payment_terms: "月结30天".into(),
            payment_days: 30,
            qualification: "candidate".into(),
            certificates: vec![
                Certificate {
                    id: None,
                    kind: "营业执照".into(),
                    number: "91330100".into(),
                    expires_on: None,
                },
                Certificate {
                    id: None,
                    kind: "食品经营许可证".into(),
                    number: "JY1".into(),
                    expires_on: Some(today + chrono::Duration::days(10)),
                },
            ],
            ..Default::default()
        };
        let s = suppliers::create(&db.desk, &admin, &input).await.unwrap();
        assert_eq!(s.certificates.len(), 2);
        assert_eq!(s.next_expiry, Some(today + chrono::Duration::days(10)));
        let expiring = suppliers::expiring_certificates(&db.desk, &admin, 30)
            .await
            .unwrap();
        assert_eq!(expiring.len(), 1);
        assert_eq!(expiring[0].days_left, 10);

        let approved = suppliers::update(
            &db.desk,
            &admin,
            s.id,
            &SupplierInput {
                qualification: "approved".into(),
                ..input.clone()
            },
        )
        .await
        .unwrap();
        assert_eq!(approved.qualification, "approved");
        let bad: ApiError = suppliers::update(
            &db.desk,
            &admin,
            s.id,
            &SupplierInput {
                qualification: "vip".into(),
                phone: "12345".into(),
                email: "nope".into(),
                ..input.clone()
            },
        )
        .await
        .unwrap_err()
        .into();
        let fields: Vec<&str> = bad.details.iter().map(|d| d.field.as_str()).collect();
        assert_eq!(fields, vec!["phone", "email", "qualification"]);
        let listed = suppliers::list(
            &db.desk,
            &admin,
            &ListQuery {
                qualification: Some("approved".into()),
                ..Default::default()
            },
        )
        .await
        .unwrap();
        assert_eq!(listed.total, 1);
        db.close().await;
    }
);

db_test!(
    warehouses_locations_and_customers,
    |db: TestDb| async move {
        let admin = db.admin().await;
        let w = warehouses::create(
            &db.desk,
            &admin,
            &WarehouseInput {
                code: "WH-1".into(),
                name: "一号仓".into(),
                ..Default::default()
            },
        )
        .await
        .unwrap();
        for code in ["A-01-1", "A-01-2"] {
            warehouses::create_location(
                &db.desk,
                &admin,
                &LocationInput {
                    warehouse_id: w.id,
                    code: code.into(),
                    zone: "A区".into(),
                    kind: String::new(),
                },
            )
            .await
            .unwrap();
        }
        let dup: ApiError = warehouses::create_location(
            &db.desk,
            &admin,
            &LocationInput {
                warehouse_id: w.id,
                code: "A-01-1".into(),
                zone: String::new(),
                kind: "storage".into(),
            },
        )
        .await
        .unwrap_err()
        .into();
        assert_eq!(dup.code, "masterdata.duplicate");
        let listed = warehouses::list(&db.desk, &admin, &ListQuery::default())
            .await
            .unwrap();
        assert_eq!(listed.items[0].location_count, 2);
        let locs = warehouses::list_locations(
            &db.desk,
            &admin,
            &ListQuery {
                warehouse_id: Some(w.id),
                ..Default::default()
            },
        )
        .await
        .unwrap();
        assert_eq!(
            locs.items
                .iter()
                .map(|l| l.kind.as_str())
                .collect::<Vec<_>>(),
            vec!["storage", "storage"]
        );

        // Codes are unique per list: a second warehouse, supplier or customer with the same code names the field.
        let dup_wh: ApiError = warehouses::create(
            &db.desk,
            &admin,
            &WarehouseInput {
                code: "WH-1".into(),
                name: "重复".into(),
                ..Default::default()
            },
        )
        .await
        .unwrap_err()
        .into();
        assert_eq!(
            (dup_wh.code.as_str(), dup_wh.field.as_deref()),
            ("masterdata.duplicate", Some("code"))
        );
        assert_eq!(
            dup_wh.params.get("entity").map(String::as_str),
            Some("warehouse")
        );
        let s = SupplierInput {
            code: "S-1".into(),
            name: "甲".into(),
            ..Default::default()
        };
        suppliers::create(&db.desk, &admin, &s).await.unwrap();
        let dup_s: ApiError = suppliers::create(&db.desk, &admin, &s)
            .await
            .unwrap_err()
            .into();
        assert_eq!(
            dup_s.params.get("entity").map(String::as_str),
            Some("supplier")
        );
        let c = customers::CustomerInput {
            code: "C-DUP".into(),
            name: "乙".into(),
            ..Default::default()
        };
        let first = customers::create(&db.desk, &admin, &c).await.unwrap();
        let dup_c: ApiError = customers::create(&db.desk, &admin, &c)
            .await
            .unwrap_err()
            .into();
        assert_eq!(
            dup_c.params.get("entity").map(String::as_str),
            Some("customer")
        );
        // Saving a record under its own code is not a duplicate.
        customers::update(&db.desk, &admin, first.id, &c)
            .await
            .unwrap();

        let vip = customers::create(
            &db.desk,
            &admin,
            &customers::CustomerInput {
                code: "C1".into(),
                name: "王芳".into(),
                phone: "13912345678".into(),
                tags: vec!["VIP".into(), " 批发 ".into(), "VIP".into()],
                ..Default::default()
            },
        )
        .await
        .unwrap();
        assert_eq!(vip.tags, vec!["VIP", "批发"]);
        customers::create(
            &db.desk,
            &admin,
            &customers::CustomerInput {
                code: "C2".into(),
                name: "李VIPER".into(),
                ..Default::default()
            },
        )
        .await
        .unwrap();
        // The tag filter matches whole tags only: "VIP" does not match a name or a tag "VIPER".
        let vips = customers::list(
            &db.desk,
            &admin,
            &ListQuery {
                tag: Some("VIP".into()),
                ..Default::default()
            },
        )
        .await
        .unwrap();
        assert_eq!(
            vips.items
                .iter()
                .map(|c| c.code.as_str())
                .collect::<Vec<_>>(),
            vec!["C1"]
        );
        db.close().await;
    }
);
