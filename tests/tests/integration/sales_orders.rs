//! Orders in, on both databases: the real Tmall order report (its answer key in ../shared/data/README.md comes
//! out exactly), a Shopify-layout export (one row per line, order fields on the first line only, then a later
//! export that overlaps it), and a hand-made JD export in GBK with `="..."` order numbers, stray spaces in header
//! names, amounts repeated on every line and one unreadable amount. Unmapped platform codes are mapped once.

use super::purchase_orders::setup;
use shopdesk_core::auth::Role;
use shopdesk_core::entities::sales_orders;
use shopdesk_core::imports::Control;
use shopdesk_core::sales::channels::Channel;
use shopdesk_core::sales::import::{self, OrderImportOptions};
use shopdesk_core::sales::summary::{self, SalesQuery};
use shopdesk_core::sales::{self, skus};
use shopdesk_core::sea_orm::{ColumnTrait, EntityTrait, PaginatorTrait, QueryFilter};
use shopdesk_tests::{TestDb, db_test};
use std::path::PathBuf;

fn shared(rel: &str) -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("../../shared/data")
        .join(rel)
}

fn fixture(name: &str) -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("fixtures/orders")
        .join(name)
}

fn opts(channel: Channel) -> OrderImportOptions {
    OrderImportOptions {
        channel,
        ..Default::default()
    }
}

async fn count(db: &TestDb) -> u64 {
    sales_orders::Entity::find()
        .count(db.desk.db())
        .await
        .unwrap()
}

db_test!(
    the_real_tmall_report_imports_with_its_answer_key,
    |db: TestDb| async move {
        let admin = db.admin().await;
        let ops = db.user(&admin, "yunying", Role::Operations).await;
        let path = shared("order_exports/tmall/tmall_order_report.csv");
        // A dry run counts everything and stores nothing.
        let dry = import::import_file(
            &db.desk,
            &ops,
            &path,
            &OrderImportOptions {
                dry_run: true,
                ..opts(Channel::Tmall)
            },
            None,
            &Control::new(),
        )
        .await
        .unwrap();
        assert_eq!((dry.rows_read, dry.orders_created), (28_010, 28_010));
        assert_eq!(count(&db).await, 0);

        let s = import::import_file(
            &db.desk,
            &ops,
            &path,
            &opts(Channel::Tmall),
            None,
            &Control::new(),
        )
        .await
        .unwrap();
        assert_eq!(
            (
                s.rows_read,
                s.orders_created,
                s.orders_updated,
                s.rows_failed,
                s.lines
            ),
            (28_010, 28_010, 0, 0, 0),
            "{:?}",
            s.errors.first()
        );
        assert!(s.errors.is_empty());
        let r = summary::sales(&db.desk, &ops, &SalesQuery::default())
            .await
            .unwrap();
        assert_eq!(
            (
                r.orders,
                r.currency.as_str(),
                r.gmv.as_str(),
                r.paid.as_str(),
                r.refunded.as_str()
            ),
            (28_010, "CNY", "2995760.61", "1902487.15", "572335.92")
        );
        // 3,923 without a payment time are unpaid; 5,132 refunded in full are closed; the rest wait for review.
        assert_eq!(r.by_status.get("unpaid"), Some(&3_923));
        assert_eq!(r.by_status.get("closed"), Some(&5_132));
        assert_eq!(r.by_status.get("pending_review"), Some(&18_955));
        let with_payment = sales_orders::Entity::find()
            .filter(sales_orders::Column::PaidAt.is_not_null())
            .count(db.desk.db())
            .await
            .unwrap();
        assert_eq!(with_payment, 24_087);
        // Created 2020-02-20 23:59:54 in China is that business day; the trailing spaces of `收货地址 ` did not matter.
        let o = sales::get(&db.desk, &ops, "2", Some("tmall"))
            .await
            .unwrap();
        assert_eq!(
            (
                o.biz_date.to_string(),
                o.address.as_str(),
                o.total.as_str(),
                o.status.as_str()
            ),
            (
                "2020-02-20".to_string(),
                "内蒙古自治区",
                "21.00",
                "pending_review"
            )
        );
        // One day of the month, by the stored business date.
        let day = summary::sales(
            &db.desk,
            &ops,
            &SalesQuery {
                from: chrono::NaiveDate::from_ymd_opt(2020, 2, 20),
                to: chrono::NaiveDate::from_ymd_opt(2020, 2, 20),
                channel: Some("tmall".into()),
            },
        )
        .await
        .unwrap();
        assert_eq!(day.by_day.len(), 1);
        assert!(day.orders > 0 && day.orders < 28_010);

        // Importing the same file again duplicates nothing and changes nothing.
        let again = import::import_file(
            &db.desk,
            &ops,
            &path,
            &opts(Channel::Tmall),
            None,
            &Control::new(),
        )
        .await
        .unwrap();
        assert_eq!(
            (
                again.orders_created,
                again.orders_updated,
                again.orders_unchanged
            ),
            (0, 0, 28_010)
        );
        assert_eq!(count(&db).await, 28_010);
    }
);

db_test!(
    shopify_and_jd_exports_with_reimport_and_sku_mapping,
    |db: TestDb| async move {
        let (admin, _, _) = setup(&db).await;
        let kefu = db.user(&admin, "kefu", Role::CustomerService).await;
        let clerk = db.user(&admin, "clerk", Role::Purchasing).await;

        // Purchasing clerks do not import orders.
        let e = import::import_file(
            &db.desk,
            &clerk,
            &fixture("shopify_orders_export.csv"),
            &opts(Channel::Shopify),
            None,
            &Control::new(),
        )
        .await
        .unwrap_err();
        assert_eq!(shopdesk_core::ApiError::from(e).code, "auth.forbidden");

        // Shopify: three orders, four rows; #1001's order fields are on its first line only.
        let s = import::import_file(
            &db.desk,
            &kefu,
            &fixture("shopify_orders_export.csv"),
            &opts(Channel::Shopify),
            None,
            &Control::new(),
        )
        .await
        .unwrap();
        assert_eq!(
            (s.rows_read, s.orders_created, s.lines, s.rows_failed),
            (4, 3, 4, 0),
            "{:?}",
            s.errors
        );
        assert_eq!(
            s.unmapped_skus,
            vec!["CUP-9".to_string(), "OOLONG-100".to_string()]
        );
        let o = sales::get(&db.desk, &kefu, "#1001", None).await.unwrap();
        assert_eq!(
            (
                o.currency.as_str(),
                o.goods_amount.as_str(),
                o.shipping_fee.as_str(),
                o.tax.as_str(),
                o.discount.as_str(),
                o.total.as_str(),
                o.paid.as_str(),
                o.status.as_str(),
            ),
            (
                "USD",
                "84.00",
                "5.00",
                "6.72",
                "5.00",
                "90.72",
                "90.72",
                "pending_review"
            )
        );
        // Created 2025-12-07 19:07:58 +0000 is 8 December in Shanghai.
        assert_eq!(o.biz_date.to_string(), "2025-12-08");
        assert_eq!(
            o.lines
                .iter()
                .map(|l| (
                    l.platform_sku.as_str(),
                    l.sku.as_str(),
                    l.qty,
                    l.unit_price.as_str(),
                    l.amount.as_str()
                ))
                .collect::<Vec<_>>(),
            vec![
                ("TEA-1", "TEA-1", 2, "30.00", "60.00"),
                ("CUP-9", "", 1, "24.00", "24.00")
            ]
        );
        assert_eq!(
            (o.receiver.as_str(), o.address.as_str()),
            ("Ann Lee", "12 Main St Apt 3")
        );
        let r = summary::sales(
            &db.desk,
            &kefu,
            &SalesQuery {
                channel: Some("shopify".into()),
                ..Default::default()
            },
        )
        .await
        .unwrap();
        assert_eq!(
            (
                r.orders,
                r.currency.as_str(),
                r.gmv.as_str(),
                r.paid.as_str(),
                r.refunded.as_str()
            ),
            (3, "USD", "170.72", "120.72", "30.00")
        );
        assert_eq!(
            r.by_status
                .iter()
                .map(|(k, v)| (k.as_str(), *v))
                .collect::<Vec<_>>(),
            vec![("closed", 1), ("pending_review", 1), ("unpaid", 1)]
        );

        // A later export overlapping the first: #1001 fulfilled, #1003 paid, #1002 as it was.
        let s = import::import_file(
            &db.desk,
            &kefu,
            &fixture("shopify_orders_export_later.csv"),
            &opts(Channel::Shopify),
            None,
            &Control::new(),
        )
        .await
        .unwrap();
        assert_eq!(
            (s.orders_created, s.orders_updated, s.orders_unchanged),
            (0, 2, 1)
        );
        assert_eq!(count(&db).await, 3);
        let o = sales::get(&db.desk, &kefu, "#1001", None).await.unwrap();
        assert_eq!(o.status, "shipped");
        let o3 = sales::get(&db.desk, &kefu, "#1003", None).await.unwrap();
        assert_eq!(
            (o3.status.as_str(), o3.paid.as_str()),
            ("pending_review", "50.00")
        );
        let events = sales::timeline(&db.desk, &kefu, o3.id).await.unwrap();
        assert_eq!(
            events.iter().map(|e| e.kind.as_str()).collect::<Vec<_>>(),
            vec!["imported", "updated"]
        );
        let changes: serde_json::Value = serde_json::from_str(&events[1].detail).unwrap();
        assert_eq!(
            changes["changes"]["status"],
            serde_json::json!(["unpaid", "pending_review"])
        );
        assert_eq!(
            changes["changes"]["paid"],
            serde_json::json!(["0.00", "50.00"])
        );

        // JD, hand-made in GBK: four orders on five rows, one with an unreadable amount.
        let s = import::import_file(
            &db.desk,
            &kefu,
            &fixture("jd_orders_hand_made.csv"),
            &opts(Channel::Jd),
            None,
            &Control::new(),
        )
        .await
        .unwrap();
        assert_eq!(
            (s.rows_read, s.orders_created, s.lines, s.rows_failed),
            (5, 3, 4, 1)
        );
        assert_eq!(s.errors.len(), 1);
        let e = &s.errors[0];
        assert_eq!(
            (e.row, e.column.as_str(), e.code.as_str()),
            (5, "H", "amount_invalid")
        );
        assert!(e.message.contains("三十元"), "{}", e.message);
        // `="230012345678"` is the order number 230012345678; its amounts repeat on both lines and count once.
        let j = sales::get(&db.desk, &kefu, "230012345678", Some("jd"))
            .await
            .unwrap();
        assert_eq!(
            (
                j.total.as_str(),
                j.paid.as_str(),
                j.status.as_str(),
                j.lines.len(),
                j.currency.as_str()
            ),
            ("84.00", "84.00", "pending_review", 2, "CNY")
        );
        assert_eq!(
            (j.buyer_message.as_str(), j.receiver.as_str()),
            ("请尽快发货", "张三")
        );
        // Cash on delivery, shipped and not yet paid.
        let cod = sales::get(&db.desk, &kefu, "230012345679", Some("jd"))
            .await
            .unwrap();
        assert_eq!(
            (
                cod.status.as_str(),
                cod.paid.as_str(),
                cod.shipping_fee.as_str()
            ),
            ("shipped", "0.00", "6.00")
        );
        let done = sales::get(&db.desk, &kefu, "230012345681", Some("jd"))
            .await
            .unwrap();
        assert_eq!(done.status, "completed");

        // Unmapped codes: CUP-9 on both channels, OOLONG-100 on both. Map Shopify's CUP-9 to our CUP-1 once.
        let un = skus::unmapped(&db.desk, &kefu, Some("shopify"))
            .await
            .unwrap();
        assert_eq!(
            un.iter()
                .map(|u| (u.platform_sku.as_str(), u.qty))
                .collect::<Vec<_>>(),
            vec![("CUP-9", 1), ("OOLONG-100", 1)]
        );
        let m = skus::map_sku(&db.desk, &kefu, "shopify", "CUP-9", "CUP-1")
            .await
            .unwrap();
        assert_eq!((m.sku.as_str(), m.lines_updated), ("CUP-1", 1));
        let o = sales::get(&db.desk, &kefu, "#1001", None).await.unwrap();
        assert_eq!(o.lines[1].sku, "CUP-1");
        assert_eq!(o.unmapped_lines, 0);
        let un = skus::unmapped(&db.desk, &kefu, None).await.unwrap();
        assert!(
            un.iter()
                .any(|u| u.channel == "jd" && u.platform_sku == "CUP-9"),
            "a mapping is per channel"
        );
        assert!(
            !un.iter()
                .any(|u| u.channel == "shopify" && u.platform_sku == "CUP-9")
        );
        // Later imports of the channel use the mapping: a new order with CUP-9 maps by itself.
        let csv = "Name,Created at,Financial Status,Paid at,Currency,Total,Lineitem quantity,Lineitem name,Lineitem price,Lineitem sku\n\
                   #1004,2025-12-10 10:00:00 +0000,paid,2025-12-10 10:01:00 +0000,USD,24.00,1,Glass cup,24.00,CUP-9\n";
        let dir = tempfile::tempdir().unwrap();
        let p = dir.path().join("orders_export_2.csv");
        std::fs::write(&p, csv).unwrap();
        let s = import::import_file(
            &db.desk,
            &kefu,
            &p,
            &opts(Channel::Shopify),
            None,
            &Control::new(),
        )
        .await
        .unwrap();
        assert_eq!((s.orders_created, s.unmapped_sku_count), (1, 0));
        let o4 = sales::get(&db.desk, &kefu, "#1004", None).await.unwrap();
        assert_eq!(o4.lines[0].sku, "CUP-1");
        let events = sales::timeline(&db.desk, &kefu, o.id).await.unwrap();
        assert!(events.iter().any(|e| e.kind == "sku_mapped"));

        // The rows that failed go to an .xlsx with their problem, and read back.
        let rej = dir.path().join("rejects.xlsx");
        import::import_file(
            &db.desk,
            &kefu,
            &fixture("jd_orders_hand_made.csv"),
            &OrderImportOptions {
                dry_run: true,
                ..opts(Channel::Jd)
            },
            Some(&rej),
            &Control::new(),
        )
        .await
        .unwrap();
        use calamine::{Reader, open_workbook_auto};
        let mut wb = open_workbook_auto(&rej).unwrap();
        let range = wb.worksheet_range("rejected").unwrap();
        assert_eq!(range.height(), 2, "the header and the one failed row");
        let text: Vec<String> = range.cells().map(|(_, _, c)| c.to_string()).collect();
        assert!(text.iter().any(|c| c == "230012345680"), "{text:?}");
        assert!(text.iter().any(|c| c.contains("三十元")), "{text:?}");
    }
);
