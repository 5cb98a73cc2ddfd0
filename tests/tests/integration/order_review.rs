//! Review (审单) on both databases: the built-in rules hold what they should (incomplete address, brushing from
//! one phone, out of stock, price below floor, unmapped code, buyer message, unusual amount, blacklisted buyer),
//! VIP orders get priority, a dry run changes nothing, held orders are approved or cancelled with a note, and a
//! rule switched off no longer holds. Review on import, and allocation on import after it.

use super::purchase_orders::setup;
use shopdesk_core::auth::Role;
use shopdesk_core::imports::Control;
use shopdesk_core::masterdata::{customers, products};
use shopdesk_core::sales::channels::Channel;
use shopdesk_core::sales::import::{self, OrderImportOptions};
use shopdesk_core::sales::review::{
    self, Condition, OrderDecision, Outcome, ReviewScope, RuleInput,
};
use shopdesk_core::{ApiError, inventory, sales};
use shopdesk_tests::{TestDb, db_test};

/// Imports `csv` as a generic channel's export named `name`.
async fn import_csv(
    db: &TestDb,
    actor: &shopdesk_core::auth::Actor,
    name: &str,
    csv: &str,
) -> import::OrderImportSummary {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join(name);
    std::fs::write(&path, csv).unwrap();
    import::import_file(
        &db.desk,
        actor,
        &path,
        &OrderImportOptions {
            channel: Channel::Generic,
            ..Default::default()
        },
        None,
        &Control::new(),
    )
    .await
    .unwrap()
}

/// The warehouse's first location (the setup makes one), to put stock on.
async fn first_location(db: &TestDb, wh: i64) -> i64 {
    use shopdesk_core::entities::locations;
    use shopdesk_core::sea_orm::{ColumnTrait, EntityTrait, QueryFilter};
    locations::Entity::find()
        .filter(locations::Column::WarehouseId.eq(wh))
        .one(db.desk.db())
        .await
        .unwrap()
        .unwrap()
        .id
}

/// The review tests' company: TEA-1 (list 30.00, cost 10.00, 5 in stock), CUP-1 (list 6,000.00, 2 in stock), a
/// blacklisted and a VIP customer. Returns the administrator and an operations user.
async fn seed(db: &TestDb) -> (shopdesk_core::auth::Actor, shopdesk_core::auth::Actor) {
    let (admin, tea, wh) = setup(db).await;
    let ops = db.user(&admin, "yunying", Role::Operations).await;
    // TEA-1 lists at 30.00 and costs 10.00; CUP-1 lists at 6,000.00. Five teas and two cups in stock.
    for (sku, name, cost, price) in [
        ("TEA-1", "绿茶 250g", "10", "30"),
        ("CUP-1", "玻璃杯", "100", "6000"),
    ] {
        let p = products::find_by_sku(&db.desk, &admin, sku)
            .await
            .unwrap()
            .unwrap();
        products::update(
            &db.desk,
            &admin,
            p.id,
            &products::ProductInput {
                sku: sku.into(),
                name: name.into(),
                unit: "个".into(),
                cost: cost.into(),
                price: price.into(),
                ..Default::default()
            },
        )
        .await
        .unwrap();
    }
    let loc = first_location(db, wh).await;
    inventory::adjust(&db.desk, &admin, tea, loc, 5, None, "stock")
        .await
        .unwrap();
    let cup = products::find_by_sku(&db.desk, &admin, "CUP-1")
        .await
        .unwrap()
        .unwrap();
    inventory::adjust(&db.desk, &admin, cup.id, loc, 2, None, "stock")
        .await
        .unwrap();
    for (code, phone, tag) in [
        ("C-BL", "13700000000", "黑名单"),
        ("C-VIP", "13600000000", "VIP"),
    ] {
        customers::create(
            &db.desk,
            &admin,
            &customers::CustomerInput {
                code: code.into(),
                name: code.into(),
                phone: phone.into(),
                tags: vec![tag.into()],
                ..Default::default()
            },
        )
        .await
        .unwrap();
    }
    (admin, ops)
}

const ORDERS: &str = "\
订单号,下单时间,付款时间,收货人,手机号,地址,商品编码,商品,数量,单价,买家留言
G-1,2026-11-20 09:00:00,2026-11-20 09:01:00,张三,13800138000,上海市浦东新区世纪大道100号,TEA-1,绿茶,1,30.00,
G-2,2026-11-20 09:10:00,2026-11-20 09:11:00,李四,13800138001,上海,TEA-1,绿茶,1,30.00,
G-3,2026-11-20 10:00:00,2026-11-20 10:01:00,王五,13900000001,北京市海淀区中关村大街1号,TEA-1,绿茶,1,30.00,
G-4,2026-11-20 10:30:00,2026-11-20 10:31:00,王五,13900000001,北京市海淀区中关村大街2号,TEA-1,绿茶,1,30.00,
G-5,2026-11-20 11:00:00,2026-11-20 11:01:00,王六,139-0000-0001,北京市海淀区中关村大街3号,TEA-1,绿茶,1,30.00,
G-6,2026-11-20 12:00:00,2026-11-20 12:01:00,赵六,13800138006,广州市天河区体育西路2号,TEA-1,绿茶,10,30.00,
G-7,2026-11-20 12:10:00,2026-11-20 12:11:00,钱七,13800138007,广州市天河区体育西路3号,TEA-1,绿茶,1,1.00,
G-8,2026-11-20 12:20:00,2026-11-20 12:21:00,孙八,13800138008,广州市天河区体育西路4号,CUP-9,杯子,1,24.00,
G-9,2026-11-20 12:30:00,2026-11-20 12:31:00,周九,13800138009,广州市天河区体育西路5号,TEA-1,绿茶,1,30.00,请发顺丰
G-10,2026-11-20 12:40:00,2026-11-20 12:41:00,吴十,13800138010,广州市天河区体育西路6号,CUP-1,玻璃杯,1,6000.00,
G-11,2026-11-20 12:50:00,2026-11-20 12:51:00,郑一,13700000000,深圳市南山区科技园路1号,TEA-1,绿茶,1,30.00,
G-12,2026-11-20 13:00:00,2026-11-20 13:01:00,冯二,13600000000,深圳市南山区科技园路2号,TEA-1,绿茶,1,30.00,
";

db_test!(
    rules_hold_what_they_should_and_the_queue_decides,
    |db: TestDb| async move {
        let (_admin, ops) = seed(&db).await;
        let s = import_csv(&db, &ops, "电话订单.csv", ORDERS).await;
        assert_eq!((s.orders_created, s.rows_failed), (12, 0), "{:?}", s.errors);
        assert_eq!(s.created_by_status.get("pending_review"), Some(&12));

        // A dry run over the day: what the rules would do, nothing changed.
        let day = chrono::NaiveDate::from_ymd_opt(2026, 11, 20);
        let dry = review::review(
            &db.desk,
            &ops,
            &ReviewScope {
                dry_run: true,
                from: day,
                to: day,
                ..Default::default()
            },
        )
        .await
        .unwrap();
        assert_eq!((dry.orders, dry.approved, dry.held), (12, 2, 10));
        let o = sales::get(&db.desk, &ops, "G-2", None).await.unwrap();
        assert_eq!(o.status, "pending_review", "a dry run changes nothing");

        let r = review::review(&db.desk, &ops, &ReviewScope::default())
            .await
            .unwrap();
        assert_eq!((r.orders, r.approved, r.held), (12, 2, 10));
        assert_eq!(r.by_reason, dry.by_reason);
        let reasons = |no: &str| {
            let v = r
                .verdicts
                .iter()
                .find(|v| v.platform_order_no == no)
                .unwrap();
            v.reasons
                .iter()
                .map(|x| x.reason.clone())
                .collect::<Vec<_>>()
        };
        assert_eq!(reasons("G-1"), Vec::<String>::new());
        assert_eq!(reasons("G-2"), vec!["invalid_address"]);
        for no in ["G-3", "G-4", "G-5"] {
            assert_eq!(reasons(no), vec!["suspected_brushing"], "{no}");
        }
        assert_eq!(reasons("G-6"), vec!["out_of_stock"]);
        assert_eq!(reasons("G-7"), vec!["price_below_floor"]);
        assert_eq!(reasons("G-8"), vec!["unmapped_sku"]);
        assert_eq!(reasons("G-9"), vec!["buyer_message"]);
        assert_eq!(reasons("G-10"), vec!["unusual_amount"]);
        assert_eq!(reasons("G-11"), vec!["blacklisted"]);
        let vip = sales::get(&db.desk, &ops, "G-12", None).await.unwrap();
        assert_eq!((vip.status.as_str(), vip.priority), ("approved", 10));

        // The exception queue shows every reason; decisions need a note.
        let queue = review::held(&db.desk, &ops).await.unwrap();
        assert_eq!(queue.len(), 10);
        let g9 = queue.iter().find(|o| o.platform_order_no == "G-9").unwrap();
        assert_eq!(g9.hold_reasons[0].rule, "买家留言");
        let e = review::decide(&db.desk, &ops, g9.id, OrderDecision::Approve, " ")
            .await
            .unwrap_err();
        assert_eq!(ApiError::from(e).code, "validation");
        review::decide(&db.desk, &ops, g9.id, OrderDecision::Approve, "顺丰可以发")
            .await
            .unwrap();
        let g2 = queue.iter().find(|o| o.platform_order_no == "G-2").unwrap();
        review::decide(&db.desk, &ops, g2.id, OrderDecision::Cancel, "地址联系不上")
            .await
            .unwrap();
        let e = review::decide(&db.desk, &ops, g2.id, OrderDecision::Approve, "again")
            .await
            .unwrap_err();
        assert_eq!(ApiError::from(e).code, "validation");
        let events = sales::timeline(&db.desk, &ops, g9.id).await.unwrap();
        assert_eq!(
            events.iter().map(|e| e.kind.as_str()).collect::<Vec<_>>(),
            vec!["imported", "held", "approved"]
        );

        // Rules are the user's: switch the buyer-message rule off and it no longer holds; add a tag rule.
        let rules = review::rules(&db.desk, &ops).await.unwrap();
        assert_eq!(rules.len(), 11);
        let msg = rules
            .iter()
            .find(|r| r.condition == Condition::BuyerMessage)
            .unwrap();
        review::save_rule(
            &db.desk,
            &ops,
            Some(msg.id),
            &RuleInput {
                name: msg.name.clone(),
                enabled: false,
                condition: msg.condition.clone(),
                outcome: msg.outcome.clone(),
                position: None,
            },
        )
        .await
        .unwrap();
        let tag = review::save_rule(
            &db.desk,
            &ops,
            None,
            &RuleInput {
                name: "多件".into(),
                enabled: true,
                condition: Condition::ItemsAtLeast { qty: 10 },
                outcome: Outcome::Tag {
                    tag: "多件".into()
                },
                position: None,
            },
        )
        .await
        .unwrap();
        assert_eq!(tag.position, rules.last().unwrap().position + 10);
        let dry = review::review(
            &db.desk,
            &ops,
            &ReviewScope {
                dry_run: true,
                from: day,
                to: day,
                ..Default::default()
            },
        )
        .await
        .unwrap();
        assert!(!dry.by_reason.contains_key("buyer_message"));
        assert_eq!(dry.by_rule.get("多件"), Some(&1));
        // A bad rule is refused with the field named.
        let e = review::save_rule(
            &db.desk,
            &ops,
            None,
            &RuleInput {
                name: "坏规则".into(),
                enabled: true,
                condition: Condition::Repeated {
                    by: "email".into(),
                    hours: 24,
                    orders: 3,
                },
                outcome: Outcome::Hold { reason: "x".into() },
                position: None,
            },
        )
        .await
        .unwrap_err();
        assert_eq!(ApiError::from(e).details[0].field, "condition.by");
    }
);

db_test!(a_phone_order_typed_in_by_hand, |db: TestDb| async move {
    use shopdesk_core::sales::manual::{self, ManualLineInput, ManualOrderInput};
    let (admin, tea, wh) = setup(&db).await;
    let kefu = db.user(&admin, "kefu", Role::CustomerService).await;
    let p = products::find_by_sku(&db.desk, &admin, "TEA-1")
        .await
        .unwrap()
        .unwrap();
    products::update(
        &db.desk,
        &admin,
        p.id,
        &products::ProductInput {
            sku: "TEA-1".into(),
            name: "绿茶 250g".into(),
            unit: "个".into(),
            price: "30".into(),
            ..Default::default()
        },
    )
    .await
    .unwrap();
    let loc = first_location(&db, wh).await;
    inventory::adjust(&db.desk, &admin, tea, loc, 5, None, "stock")
        .await
        .unwrap();
    let cup = products::find_by_sku(&db.desk, &admin, "CUP-1")
        .await
        .unwrap()
        .unwrap();
    inventory::adjust(&db.desk, &admin, cup.id, loc, 5, None, "stock")
        .await
        .unwrap();
    customers::create(
        &db.desk,
        &admin,
        &customers::CustomerInput {
            code: "C-1".into(),
            name: "老客户".into(),
            phone: "13812345678".into(),
            province: "浙江省".into(),
            city: "杭州市".into(),
            address: "西湖区文三路 8 号".into(),
            ..Default::default()
        },
    )
    .await
    .unwrap();
    // Stock and price as the form shows them while typing.
    let a = manual::availability(&db.desk, &kefu, &["TEA-1".into(), "CUP-1".into()])
        .await
        .unwrap();
    let tea_a = a.iter().find(|x| x.sku == "TEA-1").unwrap();
    assert_eq!((tea_a.available, tea_a.list_price.as_str()), (5, "30.00"));

    let input = ManualOrderInput {
        customer_code: "C-1".into(),
        paid: true,
        payment_method: "银行转账".into(),
        shipping_fee: "8".into(),
        discount: "5".into(),
        lines: vec![
            ManualLineInput {
                sku: "TEA-1".into(),
                qty: 2,
                unit_price: String::new(),
            },
            ManualLineInput {
                sku: "CUP-1".into(),
                qty: 1,
                unit_price: "12.5".into(),
            },
        ],
        ..Default::default()
    };
    let o = manual::create(&db.desk, &kefu, &input).await.unwrap();
    // 2 × 30.00 + 12.50 = 72.50 goods, + 8.00 shipping − 5.00 discount = 75.50.
    assert!(
        o.platform_order_no.starts_with("SO-"),
        "{}",
        o.platform_order_no
    );
    assert_eq!(
        (
            o.channel.as_str(),
            o.status.as_str(),
            o.goods_amount.as_str(),
            o.total.as_str(),
            o.paid.as_str()
        ),
        ("manual", "pending_review", "72.50", "75.50", "75.50")
    );
    assert_eq!(
        (o.receiver.as_str(), o.phone.as_str(), o.city.as_str()),
        ("老客户", "13812345678", "杭州市")
    );
    assert_eq!(
        o.lines.iter().map(|l| l.sku.as_str()).collect::<Vec<_>>(),
        vec!["TEA-1", "CUP-1"]
    );
    // Cash on delivery waits for review unpaid; an unknown SKU and a negative price are named.
    let cod = manual::create(
        &db.desk,
        &kefu,
        &ManualOrderInput {
            payment_method: "货到付款".into(),
            paid: false,
            ..input.clone()
        },
    )
    .await
    .unwrap();
    assert_eq!(
        (cod.status.as_str(), cod.paid.as_str()),
        ("pending_review", "0.00")
    );
    let e = manual::create(
        &db.desk,
        &kefu,
        &ManualOrderInput {
            lines: vec![
                ManualLineInput {
                    sku: "NOPE".into(),
                    qty: 1,
                    unit_price: String::new(),
                },
                ManualLineInput {
                    sku: "TEA-1".into(),
                    qty: 1,
                    unit_price: "-3".into(),
                },
            ],
            ..input.clone()
        },
    )
    .await
    .unwrap_err();
    let fields: Vec<String> = ApiError::from(e)
        .details
        .into_iter()
        .map(|d| d.field)
        .collect();
    assert_eq!(fields, vec!["lines[0].sku", "lines[1].unit_price"]);
    // Typed-in orders go through the same review.
    let r = review::review(&db.desk, &kefu, &ReviewScope::default())
        .await
        .unwrap();
    assert_eq!((r.orders, r.approved), (2, 2));
    let events = sales::timeline(&db.desk, &kefu, o.id).await.unwrap();
    assert_eq!(events[0].kind, "created");
});

db_test!(
    stock_is_shared_in_order_and_a_burst_is_a_span,
    |db: TestDb| async move {
        // Five teas for ten orders of two: the two oldest take four, the third finds one left and is held.
        // Three orders from one phone 20 hours apart are not three inside 24 hours; none is brushing.
        let (admin, tea, wh) = setup(&db).await;
        let loc = first_location(&db, wh).await;
        inventory::adjust(&db.desk, &admin, tea, loc, 5, None, "stock")
            .await
            .unwrap();
        let mut csv =
            String::from("订单号,下单时间,付款时间,收货人,手机号,地址,商品编码,数量,单价\n");
        for i in 0..3 {
            csv.push_str(&format!(
                "S-{i},2026-11-2{} {:02}:00:00,2026-11-2{} {:02}:05:00,张三,13800000000,上海市浦东新区世纪大道{i}号,TEA-1,2,30\n",
                1 + (i * 20) / 24,
                (i * 20) % 24,
                1 + (i * 20) / 24,
                (i * 20) % 24,
            ));
        }
        let s = import_csv(&db, &admin, "orders.csv", &csv).await;
        assert_eq!(s.orders_created, 3, "{:?}", s.errors);
        let r = review::review(&db.desk, &admin, &ReviewScope::default())
            .await
            .unwrap();
        let reasons: Vec<(String, Vec<String>)> = r
            .verdicts
            .iter()
            .map(|v| {
                (
                    v.platform_order_no.clone(),
                    v.reasons.iter().map(|x| x.reason.clone()).collect(),
                )
            })
            .collect();
        let of = |no: &str| {
            reasons
                .iter()
                .find(|(n, _)| n == no)
                .map(|(_, r)| r.clone())
                .unwrap()
        };
        assert_eq!(of("S-0"), Vec::<String>::new());
        assert_eq!(of("S-1"), Vec::<String>::new());
        assert_eq!(of("S-2"), vec!["out_of_stock".to_string()]);
    }
);

db_test!(
    a_burst_counts_orders_reviewed_before,
    |db: TestDb| async move {
        // Two orders from one phone are reviewed and approved; a third from the same phone within 24 hours, in a
        // later file, makes three: it is held as brushing, and the two already approved stay approved.
        let (admin, tea, wh) = setup(&db).await;
        let loc = first_location(&db, wh).await;
        inventory::adjust(&db.desk, &admin, tea, loc, 50, None, "stock")
            .await
            .unwrap();
        let rows = |rows: &[(&str, &str)]| {
            let mut csv =
                String::from("订单号,下单时间,付款时间,收货人,手机号,地址,商品编码,数量,单价\n");
            for (no, at) in rows {
                csv.push_str(&format!(
                    "{no},{at},{at},张三,13900000009,上海市浦东新区世纪大道9号,TEA-1,1,30\n"
                ));
            }
            csv
        };
        let first = rows(&[
            ("B-1", "2026-11-21 08:00:00"),
            ("B-2", "2026-11-21 09:00:00"),
        ]);
        import_csv(&db, &admin, "a.csv", &first).await;
        let r = review::review(&db.desk, &admin, &ReviewScope::default())
            .await
            .unwrap();
        assert_eq!((r.approved, r.held), (2, 0), "{:?}", r.verdicts);
        let second = rows(&[("B-3", "2026-11-21 20:00:00")]);
        import_csv(&db, &admin, "b.csv", &second).await;
        let r = review::review(&db.desk, &admin, &ReviewScope::default())
            .await
            .unwrap();
        assert_eq!((r.orders, r.held), (1, 1), "{:?}", r.verdicts);
        assert_eq!(r.verdicts[0].reasons[0].reason, "suspected_brushing");
        let b1 = sales::get(&db.desk, &admin, "B-1", None).await.unwrap();
        assert_eq!(b1.status, "approved");
    }
);

db_test!(
    review_on_import_gives_a_review_runs_verdicts,
    |db: TestDb| async move {
        let (admin, ops) = seed(&db).await;
        let finance = db.user(&admin, "caiwu", Role::Finance).await;
        assert!(
            !review::settings(&db.desk, &ops)
                .await
                .unwrap()
                .review_on_import,
            "off until someone turns it on"
        );
        let on = review::ReviewSettings {
            review_on_import: true,
            ..Default::default()
        };
        let e = review::save_settings(&db.desk, &finance, &on)
            .await
            .unwrap_err();
        assert_eq!(ApiError::from(e).code, "auth.forbidden");
        review::save_settings(&db.desk, &ops, &on).await.unwrap();
        assert!(
            review::settings(&db.desk, &ops)
                .await
                .unwrap()
                .review_on_import
        );

        // The same file as above: the import stores each order approved or held, with a review run's reasons.
        let s = import_csv(&db, &ops, "电话订单.csv", ORDERS).await;
        assert_eq!((s.orders_created, s.rows_failed), (12, 0), "{:?}", s.errors);
        let r = s.review.expect("reviewed on import");
        assert_eq!((r.orders, r.approved, r.held), (12, 2, 10));
        assert_eq!(s.created_by_status.get("approved"), Some(&2));
        assert_eq!(s.created_by_status.get("held"), Some(&10));
        assert_eq!(s.created_by_status.get("pending_review"), None);
        let g3 = sales::get(&db.desk, &ops, "G-3", None).await.unwrap();
        assert_eq!(g3.status, "held");
        assert_eq!(g3.hold_reasons[0].reason, "suspected_brushing");
        let g6 = sales::get(&db.desk, &ops, "G-6", None).await.unwrap();
        assert_eq!(g6.hold_reasons[0].reason, "out_of_stock");
        let vip = sales::get(&db.desk, &ops, "G-12", None).await.unwrap();
        assert_eq!((vip.status.as_str(), vip.priority), ("approved", 10));
        // The verdicts shown name the stored orders.
        let v = r
            .verdicts
            .iter()
            .find(|v| v.platform_order_no == "G-12")
            .unwrap();
        assert_eq!(v.order_id, vip.id);
        let events = sales::timeline(&db.desk, &ops, g6.id).await.unwrap();
        assert_eq!(
            events.iter().map(|e| e.kind.as_str()).collect::<Vec<_>>(),
            vec!["imported", "held"]
        );
        assert_eq!(review::held(&db.desk, &ops).await.unwrap().len(), 10);
        // Nothing is left for a review run; importing the file again reviews nothing.
        let again = review::review(&db.desk, &ops, &ReviewScope::default())
            .await
            .unwrap();
        assert_eq!(again.orders, 0);
        let s = import_csv(&db, &ops, "电话订单.csv", ORDERS).await;
        assert_eq!((s.orders_unchanged, s.review.is_none()), (12, true));

        // The history rules see stored orders too: a third order from G-3's phone within 24 hours is brushing.
        let more = "\
订单号,下单时间,付款时间,收货人,手机号,地址,商品编码,商品,数量,单价,买家留言
G-21,2026-11-20 15:00:00,2026-11-20 15:01:00,王五,13900000001,北京市海淀区中关村大街9号,CUP-1,玻璃杯,1,6000.00,
G-22,2026-11-20 15:05:00,2026-11-20 15:06:00,陈七,13500000000,杭州市西湖区文三路1号,CUP-1,玻璃杯,1,4999.00,
";
        let s = import_csv(&db, &ops, "第二批.csv", more).await;
        let r = s.review.expect("reviewed on import");
        let reasons = |no: &str| {
            r.verdicts
                .iter()
                .find(|v| v.platform_order_no == no)
                .unwrap()
                .reasons
                .iter()
                .map(|x| x.reason.clone())
                .collect::<Vec<_>>()
        };
        assert_eq!(
            reasons("G-21"),
            vec!["suspected_brushing", "unusual_amount"]
        );
        assert_eq!(reasons("G-22"), Vec::<String>::new());

        // A file without prices is priced first, then reviewed.
        let unpriced = "\
订单号,下单时间,付款时间,收货人,手机号,地址,商品编码,数量
U-1,2026-11-21 09:00:00,2026-11-21 09:01:00,蒋九,13300000000,成都市武侯区天府大道1号,TEA-1,1
";
        let s = import_csv(&db, &ops, "批发单.csv", unpriced).await;
        let r = s.review.expect("reviewed once priced");
        assert_eq!((r.orders, r.approved), (1, 1), "{:?}", r.verdicts);
        let u1 = sales::get(&db.desk, &ops, "U-1", None).await.unwrap();
        assert_eq!(
            (u1.status.as_str(), u1.total.as_str()),
            ("approved", "30.00")
        );
    }
);

db_test!(
    allocate_on_import_parcels_and_reserves_what_the_review_approves,
    |db: TestDb| async move {
        use shopdesk_core::entities::{parcel_lines, sales_order_lines};
        use shopdesk_core::sales::{allocate, outbound};
        use shopdesk_core::sea_orm::{ColumnTrait, EntityTrait, QueryFilter, QueryOrder};
        let (admin, ops) = seed(&db).await;
        let cs = db.user(&admin, "kefu", Role::CustomerService).await;
        let both = review::ReviewSettings {
            review_on_import: true,
            allocate_on_import: true,
        };
        // Allocating on import holds stock: customer service may not turn it on; operations may.
        let e = review::save_settings(&db.desk, &cs, &both)
            .await
            .unwrap_err();
        assert_eq!(ApiError::from(e).code, "auth.forbidden");
        review::save_settings(&db.desk, &ops, &both).await.unwrap();
        assert_eq!(review::settings(&db.desk, &cs).await.unwrap(), both);

        // one buyer at one address, merged into one parcel; A-3 takes the last three teas; A-4 has a
        // message and is held.
        let file = "\
订单号,下单时间,付款时间,收货人,手机号,地址,商品编码,商品,数量,单价,买家留言
A-1,2026-11-22 09:00:00,2026-11-22 09:01:00,张三,13800138000,上海市浦东新区世纪大道100号,TEA-1,绿茶,1,30.00,
A-2,2026-11-22 09:30:00,2026-11-22 09:31:00,张三,13800138000,上海市浦东新区世纪大道100号,TEA-1,绿茶,1,30.00,
A-3,2026-11-22 10:00:00,2026-11-22 10:01:00,李四,13800138001,杭州市西湖区文三路1号,TEA-1,绿茶,3,30.00,
A-4,2026-11-22 10:30:00,2026-11-22 10:31:00,王五,13800138002,广州市天河区体育西路2号,TEA-1,绿茶,1,30.00,请发顺丰
";
        let s = import_csv(&db, &ops, "自动分仓.csv", file).await;
        assert_eq!((s.orders_created, s.rows_failed), (4, 0), "{:?}", s.errors);
        let r = s.review.expect("reviewed on import");
        assert_eq!((r.approved, r.held), (3, 1));
        let a = s.allocation.expect("allocated on import");
        assert_eq!(
            (
                a.orders,
                a.allocated,
                a.waiting,
                a.parcels,
                a.merged_orders,
                a.units
            ),
            (3, 3, 0, 2, 2, 5)
        );
        assert_eq!(s.created_by_status.get("allocated"), Some(&3));
        assert_eq!(s.created_by_status.get("held"), Some(&1));
        assert_eq!(s.created_by_status.get("approved"), None);
        let a1 = sales::get(&db.desk, &ops, "A-1", None).await.unwrap();
        let a3 = sales::get(&db.desk, &ops, "A-3", None).await.unwrap();
        assert_eq!(
            (a1.status.as_str(), a3.status.as_str()),
            ("allocated", "allocated")
        );
        let events = sales::timeline(&db.desk, &ops, a3.id).await.unwrap();
        assert_eq!(
            events.iter().map(|e| e.kind.as_str()).collect::<Vec<_>>(),
            vec!["imported", "approved", "allocated"]
        );
        // The parcels hold the orders' own lines, and the stock is reserved: the ledger agrees with the balances.
        let merged = outbound::parcels_of_order(&db.desk, &ops, a1.id)
            .await
            .unwrap();
        assert_eq!(merged.len(), 1);
        assert_eq!(merged[0].orders, vec!["A-1".to_string(), "A-2".to_string()]);
        assert_eq!(
            (merged[0].status.as_str(), merged[0].units),
            ("allocated", 2)
        );
        let held_lines: Vec<(i64, i64)> = parcel_lines::Entity::find()
            .filter(parcel_lines::Column::OrderId.eq(a3.id))
            .all(db.desk.db())
            .await
            .unwrap()
            .into_iter()
            .map(|l| (l.order_line_id, l.qty))
            .collect();
        let a3_lines: Vec<i64> = sales_order_lines::Entity::find()
            .filter(sales_order_lines::Column::OrderId.eq(a3.id))
            .order_by_asc(sales_order_lines::Column::LineNo)
            .all(db.desk.db())
            .await
            .unwrap()
            .into_iter()
            .map(|l| l.id)
            .collect();
        assert_eq!(held_lines, vec![(a3_lines[0], 3)]);
        let tea = products::find_by_sku(&db.desk, &admin, "TEA-1")
            .await
            .unwrap()
            .unwrap();
        let bal = inventory::balances(&db.desk, &admin, tea.id).await.unwrap();
        assert_eq!(bal.iter().map(|b| b.reserved).sum::<i64>(), 5);
        assert!(inventory::check(&db.desk, &admin).await.unwrap().ok);
        // Nothing is left for an allocation run.
        let run = allocate::allocate(&db.desk, &ops, &Default::default())
            .await
            .unwrap();
        assert_eq!(run.orders, 0);

        // Customer service may import but not reserve stock: its orders are reviewed and stay approved, and the
        // next allocation run takes them up.
        let loc = first_location(&db, bal[0].warehouse_id).await;
        inventory::adjust(&db.desk, &admin, tea.id, loc, 1, None, "stock")
            .await
            .unwrap();
        let file = "\
订单号,下单时间,付款时间,收货人,手机号,地址,商品编码,商品,数量,单价,买家留言
B-1,2026-11-22 11:00:00,2026-11-22 11:01:00,赵六,13800138003,成都市武侯区天府大道1号,TEA-1,绿茶,1,30.00,
";
        let s = import_csv(&db, &cs, "客服导入.csv", file).await;
        assert_eq!(s.review.map(|r| r.approved), Some(1));
        assert!(s.allocation.is_none());
        let b1 = sales::get(&db.desk, &ops, "B-1", None).await.unwrap();
        assert_eq!(b1.status, "approved");
        let run = allocate::allocate(&db.desk, &ops, &Default::default())
            .await
            .unwrap();
        assert_eq!((run.orders, run.allocated), (1, 1));

        // A file without prices is priced, reviewed, then allocated.
        inventory::adjust(&db.desk, &admin, tea.id, loc, 1, None, "stock")
            .await
            .unwrap();
        let unpriced = "\
订单号,下单时间,付款时间,收货人,手机号,地址,商品编码,数量
U-1,2026-11-22 12:00:00,2026-11-22 12:01:00,蒋九,13300000000,成都市武侯区天府大道9号,TEA-1,1
";
        let s = import_csv(&db, &ops, "批发单.csv", unpriced).await;
        assert_eq!(s.review.map(|r| r.approved), Some(1));
        assert_eq!(s.allocation.map(|a| (a.allocated, a.parcels)), Some((1, 1)));
        let u1 = sales::get(&db.desk, &ops, "U-1", None).await.unwrap();
        assert_eq!(u1.status, "allocated");
        assert!(inventory::check(&db.desk, &admin).await.unwrap().ok);
    }
);
