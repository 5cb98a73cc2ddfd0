use calamine::{Data, Reader, Xlsx, open_workbook};
use shopdesk_core::demo;
use shopdesk_core::export::{ListKind, export_list, export_list_to_dir};
use shopdesk_core::listing::ListQuery;
use shopdesk_tests::{TestDb, db_test};

db_test!(
    lists_export_to_excel_with_the_same_filters,
    |db: TestDb| async move {
        let admin = db.admin().await;
        demo::load(&db.desk, &admin, demo::DEFAULT_SEED)
            .await
            .unwrap();
        let path = db.dir.path().join("商品.xlsx");
        let q = ListQuery {
            category: Some("数码配件".into()),
            ..Default::default()
        };
        let r = export_list(&db.desk, &admin, ListKind::Products, &q, "zh-CN", &path)
            .await
            .unwrap();
        assert_eq!(r.rows, 150);

        let mut wb: Xlsx<_> = open_workbook(&path).unwrap();
        let sheet = wb.worksheet_range("商品").unwrap();
        let rows: Vec<&[Data]> = sheet.rows().collect();
        assert_eq!(rows.len(), 151, "header + one row per product");
        assert_eq!(rows[0][0], Data::String("SKU编码".into()));
        assert_eq!(rows[0][1], Data::String("条码".into()));
        // Barcodes are text cells: 13 digits never become a float.
        assert!(matches!(&rows[1][1], Data::String(s) if s.len() == 13));
        assert!(
            rows.iter()
                .skip(1)
                .all(|r| r[5] == Data::String("数码配件".into()))
        );

        let en = db.dir.path().join("customers.xlsx");
        let r = export_list(
            &db.desk,
            &admin,
            ListKind::Customers,
            &ListQuery {
                tag: Some("VIP".into()),
                ..Default::default()
            },
            "en",
            &en,
        )
        .await
        .unwrap();
        let mut wb: Xlsx<_> = open_workbook(&en).unwrap();
        let sheet = wb.worksheet_range("Customers").unwrap();
        assert_eq!(sheet.rows().count() as u64, r.rows + 1);
        assert!(r.rows > 0);
        // The app's way: a time-stamped file in a folder that is created when missing, named in the list's language.
        let dir = db.dir.path().join("Downloads").join("新建");
        let r = export_list_to_dir(
            &db.desk,
            &admin,
            ListKind::Warehouses,
            &ListQuery::default(),
            "zh-CN",
            &dir,
        )
        .await
        .unwrap();
        assert_eq!(r.rows, 2);
        let name = std::path::Path::new(&r.path)
            .file_name()
            .unwrap()
            .to_string_lossy()
            .into_owned();
        assert!(
            name.starts_with("仓库_2026") && name.ends_with(".xlsx"),
            "{name}"
        );
        assert!(std::path::Path::new(&r.path).exists());
        db.close().await;
    }
);
