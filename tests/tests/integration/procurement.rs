//! Supplier price-sheet import on the real sheets in ../shared/data/supplier_sheets (made by Excel, WPS and
//! Google Sheets) and on generated files for what the real ones do not show; price history and comparison.
//! The expected counts below were checked by hand against the sheets (see each test).

use shopdesk_core::ApiError;
use shopdesk_core::auth::{Actor, Role};
use shopdesk_core::imports::header::Mapping;
use shopdesk_core::imports::{Control, TextEncoding};
use shopdesk_core::masterdata::products::{self, ProductInput};
use shopdesk_core::masterdata::suppliers::{self, SupplierInput};
use shopdesk_core::procurement::price_sheets::{
    self, Analysis, FIELDS, MappingSource, PreviewRow, PriceSheetOptions, RowStatus,
};
use shopdesk_core::procurement::prices;
use shopdesk_tests::{TestDb, db_test};
use std::path::{Path, PathBuf};

fn sheet(rel: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../../shared/data/supplier_sheets")
        .join(rel)
}

async fn supplier(db: &TestDb, admin: &Actor, code: &str) {
    suppliers::create(
        &db.desk,
        admin,
        &SupplierInput {
            code: code.into(),
            name: format!("供应商 {code}"),
            qualification: "approved".into(),
            ..Default::default()
        },
    )
    .await
    .unwrap();
}

fn mapping(args: &[&str]) -> Mapping {
    let mut m = Mapping::default();
    for a in args {
        m.add_arg("test", a, FIELDS).unwrap();
    }
    m
}

async fn import(
    db: &TestDb,
    actor: &Actor,
    path: &Path,
    code: &str,
    opts: PriceSheetOptions,
) -> Analysis {
    price_sheets::import(&db.desk, actor, path, code, &opts, &Control::new())
        .await
        .unwrap_or_else(|e| panic!("import {}: {}", path.display(), ApiError::from(e)))
}

fn row<'a>(rows: &'a [PreviewRow], sheet: &str, n: u64) -> &'a PreviewRow {
    rows.iter()
        .find(|r| r.sheet == sheet && r.row == n)
        .unwrap_or_else(|| panic!("row {sheet}!{n}"))
}

async fn count(db: &TestDb, table: &str) -> usize {
    shopdesk_tests::dump_tables(&db.desk, &[table]).await[0]
        .1
        .len()
}

db_test!(
    yuziyuan_xls_two_stacked_quotations,
    |db: TestDb| async move {
        let admin = db.admin().await;
        supplier(&db, &admin, "YZY").await;
        let a = import(
            &db,
            &admin,
            &sheet("zh/报价单_yuziyuan.xls"),
            "YZY",
            Default::default(),
        )
        .await;
        let s = &a.summary;
        // Two quotations in one sheet: headers on rows 10 and 33; 1 + 4 items. Everything else (company and
        // party blocks, 注意事项 notes, signature lines) is reported as skipped, nothing is an error.
        assert_eq!(s.sheets[0].tables.len(), 2);
        assert_eq!(s.sheets[0].tables[0].header_row, Some(10));
        assert_eq!(s.sheets[0].tables[1].header_row, Some(33));
        assert_eq!((s.items_imported, s.rows_failed), (5, 0), "{:?}", s.errors);
        assert_eq!(s.prices_new, 5);
        let rows = a.all_rows();
        let r = row(&rows, "Sheet1", 11);
        // `9.3美金` is 9.30 USD.
        assert_eq!(
            (r.name.as_str(), r.price.as_deref(), r.currency.as_str()),
            ("10044-C2F1黑", Some("9.30"), "USD")
        );
        let r = row(&rows, "Sheet1", 34);
        assert_eq!(
            (
                r.name.as_str(),
                r.price.as_deref(),
                r.currency.as_str(),
                r.unit.as_str()
            ),
            ("31.5寸电容触摸屏", Some("565.00"), "CNY", "PCS")
        );
        assert_eq!(row(&rows, "Sheet1", 36).price.as_deref(), Some("2030.00"));
        assert_eq!(row(&rows, "Sheet1", 42).issues[0].code, "form_row");
        assert_eq!(row(&rows, "Sheet1", 16).issues[0].code, "note_row");
        db.close().await;
    }
);

db_test!(
    purchase_sheet_with_dates_subtotals_and_several_sheets,
    |db: TestDb| async move {
        let admin = db.admin().await;
        supplier(&db, &admin, "CGX").await;
        let path = sheet("zh/20170318产购销表.xlsx");
        let a = import(&db, &admin, &path, "CGX", Default::default()).await;
        let s = &a.summary;
        // 采购表: 16 purchases of 10 materials, dated (text dates such as 2017-3-22); 成品销售表: 14 sales rows and
        // 15 subtotal rows (月合计/合计/总合计) skipped; 生产表 has no name/price header and says so.
        assert_eq!(s.rows_read, 45);
        assert_eq!(s.items_imported, 30);
        assert_eq!(s.rows_skipped, 15);
        assert_eq!(s.rows_failed, 0);
        assert!(s.skipped.iter().all(|i| i.code == "subtotal"));
        assert!(
            s.warnings
                .iter()
                .any(|w| w.code == "no_header" && w.sheet == "生产表")
        );
        let rows = a.all_rows();
        let r = row(&rows, "采购表", 9);
        // The spec 0.995 was a float in the file: it stays 0.995 (no float noise), a code 703 stays `703`.
        assert_eq!(
            (r.name.as_str(), r.spec.as_str(), r.price.as_deref()),
            ("丙烯酸", "0.995", Some("7500.00"))
        );
        assert_eq!(row(&rows, "采购表", 11).spec, "703");
        assert_eq!(
            row(&rows, "采购表", 2).valid_from,
            chrono::NaiveDate::from_ymd_opt(2017, 3, 22)
        );
        assert_eq!(row(&rows, "成品销售表", 4).issues[0].code, "subtotal");

        // Only the purchase sheet: 10 items; 甲醛 went from 1450 to 1400 on 2017-03-31 and stayed there.
        db.clock.advance(chrono::Duration::hours(1));
        supplier(&db, &admin, "CG2").await;
        let a = import(
            &db,
            &admin,
            &path,
            "CG2",
            PriceSheetOptions {
                sheet: Some("采购表".into()),
                ..Default::default()
            },
        )
        .await;
        let s = &a.summary;
        assert_eq!(
            (s.rows_read, s.items_imported, s.items_created),
            (16, 16, 10)
        );
        assert_eq!(
            (s.prices_new, s.prices_changed, s.prices_unchanged),
            (10, 1, 5)
        );
        let items = prices::list_items(
            &db.desk,
            &admin,
            "CG2",
            &shopdesk_core::listing::ListQuery {
                search: Some("甲醛".into()),
                ..Default::default()
            },
        )
        .await
        .unwrap();
        assert_eq!(items.total, 1);
        let h = prices::history(&db.desk, &admin, items.items[0].id)
            .await
            .unwrap();
        assert_eq!(h.len(), 2);
        assert_eq!(
            (h[0].price.as_str(), h[0].valid_to),
            ("1450.00", chrono::NaiveDate::from_ymd_opt(2017, 3, 30))
        );
        assert_eq!((h[1].price.as_str(), h[1].valid_to), ("1400.00", None));
        assert_eq!(
            items.items[0].current.as_ref().map(|c| c.price.as_str()),
            Some("1400.00")
        );

        // The same file again: nothing new, nothing duplicated, and the earlier import is named.
        let before = count(&db, "supplier_prices").await;
        let again = import(
            &db,
            &admin,
            &path,
            "CG2",
            PriceSheetOptions {
                sheet: Some("采购表".into()),
                ..Default::default()
            },
        )
        .await;
        assert_eq!(
            (
                again.summary.prices_new,
                again.summary.prices_changed,
                again.summary.prices_unchanged
            ),
            (0, 0, 16)
        );
        assert_eq!(again.summary.previous_import_id, a.summary.import_id);
        assert_eq!(count(&db, "supplier_prices").await, before);
        db.close().await;
    }
);

db_test!(
    keralasree_category_rows_and_a_saved_mapping,
    |db: TestDb| async move {
        let admin = db.admin().await;
        supplier(&db, &admin, "KER").await;
        let path = sheet("en/price_list_keralasree.xlsx");
        // Its header says `Medicines`, not a name we know: detection reports the closest row instead of guessing.
        let a = price_sheets::analyze(&db.desk, &admin, &path, "KER", &Default::default())
            .await
            .unwrap();
        assert_eq!(a.summary.items_imported, 0);
        let w = &a.summary.warnings[0];
        assert_eq!(
            (w.code.as_str(), w.params["sheet"].as_str()),
            ("no_header", "Table 1")
        );
        assert!(w.message.contains("第 1 行"), "{}", w.message);

        // Mapped by its header text: 484 rows = 475 items + 9 category rows (ARISHTAM /ASAVAM, ...).
        let a = import(
            &db,
            &admin,
            &path,
            "KER",
            PriceSheetOptions {
                mapping: mapping(&["name=Medicines"]),
                save_mapping: true,
                ..Default::default()
            },
        )
        .await;
        let s = &a.summary;
        assert_eq!(
            (s.rows_read, s.items_imported, s.rows_skipped, s.rows_failed),
            (484, 475, 9, 0)
        );
        assert_eq!(s.mapping_source, MappingSource::Given);
        assert!(s.skipped.iter().all(|i| i.code == "category"));
        let rows = a.all_rows();
        let r = row(&rows, "Table 1", 3);
        assert_eq!(
            (
                r.name.as_str(),
                r.unit.as_str(),
                r.price.as_deref(),
                r.category.as_str()
            ),
            ("Abhayarishtam", "450ml", Some("59.00"), "ARISHTAM /ASAVAM")
        );

        // Next time the saved mapping is used without asking.
        let a = import(&db, &admin, &path, "KER", Default::default()).await;
        assert_eq!(a.summary.mapping_source, MappingSource::Saved);
        assert_eq!(
            (a.summary.items_imported, a.summary.prices_unchanged),
            (475, 475)
        );
        db.close().await;
    }
);

db_test!(
    sancity_google_sheet_reports_rather_than_guesses,
    |db: TestDb| async move {
        let admin = db.admin().await;
        supplier(&db, &admin, "SAN").await;
        let a = import(
            &db,
            &admin,
            &sheet("en/price_list_sancity.xlsx"),
            "SAN",
            Default::default(),
        )
        .await;
        let s = &a.summary;
        // Six sheets; only Cabarroguis is a list (2-row merged header, product names merged down over their
        // sizes, section headers inside). The matrices (Adjustment, FLJ, PRICELIST) and the competitor lists
        // have no name+price header: each is reported with the closest row.
        assert_eq!(s.sheet_names.len(), 6);
        let noted: Vec<&str> = s
            .sheets
            .iter()
            .filter(|x| x.note.is_some())
            .map(|x| x.name.as_str())
            .collect();
        assert_eq!(
            noted,
            vec!["Canvass", "Adjustment", "Competitors", "FLJ", "PRICELIST"]
        );
        assert_eq!(
            (s.rows_read, s.items_imported, s.rows_skipped, s.rows_failed),
            (41, 23, 5, 13)
        );
        let rows = a.all_rows();
        let r = row(&rows, "Cabarroguis", 5);
        // The name comes from the merged cell above; `90/pc` is 90 per pc; the other price columns are reported.
        assert_eq!(
            (
                r.name.as_str(),
                r.spec.as_str(),
                r.price.as_deref(),
                r.price_unit.as_str()
            ),
            ("Flat Tote Bag", "10″ × 12″", Some("90.00"), "pc")
        );
        assert_eq!(r.issues[0].code, "other_prices");
        // Ranges such as `120-150` are errors naming the column, not a guessed price.
        let r = row(&rows, "Cabarroguis", 21);
        assert_eq!(
            (
                r.status,
                r.issues[0].code.as_str(),
                r.issues[0].column.as_str()
            ),
            (RowStatus::Error, "price_range", "C")
        );
        // A price in the spec column (`120/pc`) is an error, not an item called Mugs with spec 120/pc.
        assert_eq!(
            row(&rows, "Cabarroguis", 18).issues[0].code,
            "spec_is_price"
        );
        // After the section header on row 28, column B holds the retail price.
        let r = row(&rows, "Cabarroguis", 29);
        assert_eq!(
            (r.name.as_str(), r.price.as_deref()),
            ("Pin Button Badges (58mm)", Some("25.00"))
        );
        db.close().await;
    }
);

db_test!(
    rejected_rows_csv_gbk_blocks_barcodes_and_cancel,
    |db: TestDb| async move {
        let admin = db.admin().await;
        supplier(&db, &admin, "CSV").await;
        let dir = db.dir.path();
        // A GBK CSV as WPS saves it, with a title row, text prices, a bad price, barcodes and a subtotal.
        let csv = "某某公司报价单\n\
                   货号,品名,规格,单位,单价,起订量,交期,条码\n\
                   A-1,绿茶,250g,盒,￥12.50,100pcs,7天,6901234567892\n\
                   A-2,红茶,250g,盒,12.5元/箱,,,6901234567891\n\
                   A-3,花茶,,盒,12-15,,,\n\
                   A-4,白茶,,盒,0.30000000000000004,,,96385074\n\
                   A-5,黑茶,,盒,=\"8.80\",,,012345678905\n\
                   ,小计,,,48.8,,,\n";
        let (bytes, _, _) = encoding_rs::GBK.encode(csv);
        let path = dir.join("报价.csv");
        std::fs::write(&path, &bytes).unwrap();
        let a = import(&db, &admin, &path, "CSV", Default::default()).await;
        let s = &a.summary;
        assert_eq!(s.encoding, Some(TextEncoding::Gb18030));
        assert_eq!(
            (s.rows_read, s.items_imported, s.rows_skipped, s.rows_failed),
            (6, 4, 1, 1)
        );
        let rows = a.all_rows();
        let r = row(&rows, "报价", 3);
        assert_eq!(
            (r.price.as_deref(), r.moq, r.lead_time_days),
            (Some("12.50"), Some(100), Some(7))
        );
        assert_eq!(row(&rows, "报价", 6).price.as_deref(), Some("0.30"));
        assert_eq!(row(&rows, "报价", 7).price.as_deref(), Some("8.80"));
        // A wrong check digit is kept as the supplier's text and flagged; GTIN-8/12/13 are all fine.
        let bad = s
            .warnings
            .iter()
            .find(|w| w.code == "barcode_invalid")
            .unwrap();
        assert_eq!((bad.row, bad.column.as_str()), (4, "H"));
        assert_eq!(
            s.warnings
                .iter()
                .filter(|w| w.code == "barcode_invalid")
                .count(),
            1
        );
        let e = &s.errors[0];
        assert_eq!(
            (e.sheet.as_str(), e.row, e.column.as_str(), e.code.as_str()),
            ("报价", 5, "E", "price_range")
        );
        assert!(e.message.contains("12-15"), "{}", e.message);
        // The bad rows go to an .xlsx with their problems, ready to fix and import again.
        let out = dir.join("rejects.xlsx");
        assert_eq!(a.write_rejects(&out, "zh-CN").unwrap(), 1);
        use calamine::Reader;
        let mut wb: calamine::Xlsx<_> = calamine::open_workbook(&out).unwrap();
        let range = wb.worksheet_range("rejected").unwrap();
        assert_eq!(range.get((1, 1)).map(|c| c.to_string()), Some("5".into()));
        assert!(range.get((1, 2)).unwrap().to_string().contains("E: "));
        assert_eq!(range.get((1, 3)).map(|c| c.to_string()), Some("A-3".into()));

        // Side-by-side blocks: name, price, note, then name, price, note again.
        let blocks = dir.join("blocks.csv");
        std::fs::write(
            &blocks,
            "name,price,note,name,price,note\ntea,1.5,x,coffee,2.5,y\nmilk,3,,,,\n",
        )
        .unwrap();
        let a = import(
            &db,
            &admin,
            &blocks,
            "CSV",
            PriceSheetOptions {
                mapping: mapping(&["name=A,D", "price=B,E", "note=C,F"]),
                ..Default::default()
            },
        )
        .await;
        assert_eq!(a.summary.items_imported, 3);
        let rows = a.all_rows();
        assert_eq!(
            rows.iter()
                .map(|r| (r.block, r.name.as_str()))
                .collect::<Vec<_>>(),
            vec![(0, "tea"), (1, "coffee"), (0, "milk")]
        );

        // Cancel: nothing is stored, not even the import record.
        let items = count(&db, "supplier_items").await;
        let control = Control::new();
        control.cancel();
        let r = price_sheets::import(
            &db.desk,
            &admin,
            &path,
            "CSV",
            &PriceSheetOptions {
                valid_from: chrono::NaiveDate::from_ymd_opt(2027, 1, 1),
                ..Default::default()
            },
            &control,
        )
        .await;
        assert_eq!(ApiError::from(r.unwrap_err()).code, "import.cancelled");
        assert_eq!(count(&db, "supplier_items").await, items);
        assert_eq!(count(&db, "price_imports").await, 2);

        // A dry run stores nothing either but counts what it would do.
        let a = import(
            &db,
            &admin,
            &path,
            "CSV",
            PriceSheetOptions {
                dry_run: true,
                valid_from: chrono::NaiveDate::from_ymd_opt(2027, 1, 1),
                ..Default::default()
            },
        )
        .await;
        assert_eq!(a.summary.prices_unchanged, 4);
        assert_eq!(count(&db, "price_imports").await, 2);

        // Only purchasing (and managers/admins) may import.
        let wh = db.user(&admin, "wh", Role::Warehouse).await;
        let e = price_sheets::import(
            &db.desk,
            &wh,
            &path,
            "CSV",
            &Default::default(),
            &Control::new(),
        )
        .await
        .unwrap_err();
        assert_eq!(ApiError::from(e).code, "auth.forbidden");
        db.close().await;
    }
);

db_test!(
    comparison_marks_cheapest_and_fastest_and_matches_are_confirmed,
    |db: TestDb| async move {
        let admin = db.admin().await;
        products::create(
            &db.desk,
            &admin,
            &ProductInput {
                sku: "TEA-1".into(),
                name: "绿茶".into(),
                spec: "250g".into(),
                unit: "盒".into(),
                barcode: Some("6901234567892".into()),
                ..Default::default()
            },
        )
        .await
        .unwrap();
        for (code, body) in [
            (
                "S1",
                "品名,规格,单价,交期,条码\n绿茶,250g,12.50,7,6901234567892\n",
            ),
            ("S2", "品名,规格,单价,交期\n绿茶,250g,11.80,15\n"),
            ("S3", "我方编码,品名,单价,交期\nTEA-1,Green tea,13.00,3\n"),
        ] {
            supplier(&db, &admin, code).await;
            let p = db.dir.path().join(format!("{code}.csv"));
            std::fs::write(&p, body).unwrap();
            let a = import(&db, &admin, &p, code, Default::default()).await;
            assert_eq!(a.summary.items_imported, 1);
        }
        // S1 by barcode and S2 by name+spec are suggestions; S3 gave our SKU and is confirmed.
        let s1 = prices::list_items(&db.desk, &admin, "S1", &Default::default())
            .await
            .unwrap()
            .items
            .remove(0);
        assert_eq!(
            (s1.match_status.as_str(), s1.sku.as_deref()),
            ("suggested", Some("TEA-1"))
        );
        let s3 = prices::list_items(&db.desk, &admin, "S3", &Default::default())
            .await
            .unwrap()
            .items
            .remove(0);
        assert_eq!(s3.match_status, "confirmed");
        let s2 = prices::list_items(&db.desk, &admin, "S2", &Default::default())
            .await
            .unwrap()
            .items
            .remove(0);
        let s2 = prices::set_match(&db.desk, &admin, s2.id, Some("TEA-1"))
            .await
            .unwrap();
        assert_eq!(s2.match_status, "confirmed");

        let c = prices::compare(&db.desk, &admin, "TEA-1", None)
            .await
            .unwrap();
        let by: Vec<(&str, &str, bool, bool)> = c
            .offers
            .iter()
            .map(|o| {
                (
                    o.supplier_code.as_str(),
                    o.price.price.as_str(),
                    o.cheapest,
                    o.fastest,
                )
            })
            .collect();
        assert_eq!(
            by,
            vec![
                ("S2", "11.80", true, false),
                ("S1", "12.50", false, false),
                ("S3", "13.00", false, true)
            ]
        );

        // A new sheet from S2 a week later raises the price: the comparison moves, history keeps both.
        db.clock.advance(chrono::Duration::days(7));
        let p = db.dir.path().join("S2b.csv");
        std::fs::write(&p, "品名,规格,单价,交期\n绿茶,250g,12.90,15\n").unwrap();
        let a = import(&db, &admin, &p, "S2", Default::default()).await;
        assert_eq!((a.summary.prices_new, a.summary.prices_changed), (0, 1));
        let c = prices::compare(&db.desk, &admin, "TEA-1", None)
            .await
            .unwrap();
        assert_eq!(c.offers[0].supplier_code, "S1");
        assert!(c.offers[0].cheapest);
        let h = prices::history(&db.desk, &admin, s2.id).await.unwrap();
        assert_eq!(
            h.iter().map(|p| p.price.as_str()).collect::<Vec<_>>(),
            vec!["11.80", "12.90"]
        );
        // The older sheet again, the same day: a change back to 11.80, not "unchanged".
        std::fs::write(&p, "品名,规格,单价,交期\n绿茶,250g,11.80,15\n").unwrap();
        let a = import(&db, &admin, &p, "S2", Default::default()).await;
        assert_eq!(
            (a.summary.prices_changed, a.summary.prices_unchanged),
            (1, 0)
        );
        let c = prices::compare(&db.desk, &admin, "TEA-1", None)
            .await
            .unwrap();
        assert_eq!(
            (
                c.offers[0].supplier_code.as_str(),
                c.offers[0].price.price.as_str()
            ),
            ("S2", "11.80")
        );
        db.close().await;
    }
);
