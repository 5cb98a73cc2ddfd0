//! Promotions on both databases: percentage, flash sale with a cap that is never exceeded (also by two clerks at
//! once), group buy with a minimum group, spend-and-save tiers (the best one, once), coupons with minimum spend,
//! total and per-buyer limits; the stacking order; every line's price explained; phone orders priced with them.

use chrono::Duration;
use shopdesk_core::auth::{Actor, Role};
use shopdesk_core::masterdata::products::{self, ProductInput};
use shopdesk_core::sales::manual::{self, ManualLineInput, ManualOrderInput};
use shopdesk_core::sales::promotions::{
    self, PromotionInput, PromotionParams, QuoteInput, QuoteLine, Tier,
};
use shopdesk_core::{ApiError, sales};
use shopdesk_tests::{TestDb, db_test};

async fn setup(db: &TestDb) -> (Actor, Actor) {
    let admin = db.admin().await;
    for (sku, price) in [("TEA-1", "30"), ("CUP-1", "60"), ("PEN-1", "10")] {
        products::create(
            &db.desk,
            &admin,
            &ProductInput {
                sku: sku.into(),
                name: sku.into(),
                unit: "个".into(),
                price: price.into(),
                ..Default::default()
            },
        )
        .await
        .unwrap();
    }
    let ops = db.user(&admin, "yunying", Role::Operations).await;
    let now = db.desk.now();
    let promo =
        |code: &str, kind: &str, params: PromotionParams, skus: &[&str], cap: Option<i64>| {
            PromotionInput {
                code: code.into(),
                name: code.into(),
                kind: kind.into(),
                params,
                channels: vec![],
                skus: skus.iter().map(|s| s.to_string()).collect(),
                starts_at: now - Duration::hours(1),
                ends_at: now + Duration::days(7),
                cap,
                per_buyer: None,
                enabled: true,
            }
        };
    for p in [
        promo(
            "P10",
            "percent",
            PromotionParams {
                percent_off: "10".into(),
                ..Default::default()
            },
            &["CUP-1"],
            None,
        ),
        promo(
            "FLASH",
            "flash_sale",
            PromotionParams {
                price: "19.90".into(),
                ..Default::default()
            },
            &["TEA-1"],
            Some(5),
        ),
        promo(
            "GROUP",
            "group_buy",
            PromotionParams {
                price: "45".into(),
                min_group: 3,
                ..Default::default()
            },
            &["CUP-1"],
            None,
        ),
        promo(
            "MJ",
            "spend_save",
            PromotionParams {
                tiers: vec![
                    Tier {
                        threshold: "200".into(),
                        off: "20".into(),
                    },
                    Tier {
                        threshold: "500".into(),
                        off: "60".into(),
                    },
                ],
                ..Default::default()
            },
            &[],
            None,
        ),
        PromotionInput {
            per_buyer: Some(1),
            ..promo(
                "CPN10",
                "coupon",
                PromotionParams {
                    off: "10".into(),
                    min_spend: "100".into(),
                    ..Default::default()
                },
                &[],
                Some(2),
            )
        },
    ] {
        promotions::save(&db.desk, &ops, &p).await.unwrap();
    }
    (admin, ops)
}

fn lines(items: &[(&str, i64)]) -> Vec<QuoteLine> {
    items
        .iter()
        .map(|(s, q)| QuoteLine {
            sku: s.to_string(),
            qty: *q,
            unit_price: String::new(),
        })
        .collect()
}

fn field(e: ApiError) -> String {
    e.details
        .first()
        .map(|f| format!("{}:{}", f.field, f.code))
        .unwrap_or(e.code)
}

fn order(receiver: &str, items: &[(&str, i64)], coupon: &str) -> ManualOrderInput {
    ManualOrderInput {
        receiver: receiver.into(),
        phone: "13800138000".into(),
        province: "上海市".into(),
        city: "上海市".into(),
        address: "世纪大道100号".into(),
        paid: true,
        lines: items
            .iter()
            .map(|(s, q)| ManualLineInput {
                sku: s.to_string(),
                qty: *q,
                unit_price: String::new(),
            })
            .collect(),
        coupon: coupon.into(),
        ..Default::default()
    }
}

db_test!(
    promotions_price_and_stack_as_stated,
    |db: TestDb| async move {
        let (_admin, ops) = setup(&db).await;
        let quote = |q: QuoteInput| {
            let (desk, ops) = (&db.desk, &ops);
            async move { promotions::quote(desk, ops, &q).await.unwrap() }
        };
        // 10 % off the cups (240 → 216), then 满200减20 over cups and pens (246): spread 17.57 + 2.43.
        let q = quote(QuoteInput {
            lines: lines(&[("CUP-1", 4), ("PEN-1", 3)]),
            ..Default::default()
        })
        .await;
        assert_eq!(
            (q.goods.as_str(), q.discount.as_str(), q.total.as_str()),
            ("270.00", "44.00", "226.00")
        );
        assert_eq!((q.lines[0].amount, q.lines[1].amount), (19843, 2757));
        assert_eq!(q.lines[0].steps.len(), 3, "{:?}", q.lines[0].steps);
        assert!(
            q.lines[0].steps[1].contains("P10"),
            "{:?}",
            q.lines[0].steps
        );
        assert!(q.lines[0].steps[2].contains("MJ"), "{:?}", q.lines[0].steps);
        // In a group of three the group price (45) beats 10 % off (54): they do not stack.
        let q = quote(QuoteInput {
            lines: lines(&[("CUP-1", 4), ("PEN-1", 3)]),
            group_size: 3,
            ..Default::default()
        })
        .await;
        assert_eq!(q.total, "190.00");
        assert!(
            q.applied.iter().any(|a| a.code == "GROUP")
                && !q.applied.iter().any(|a| a.code == "P10")
        );
        // 满500减60 applies once; it is not 满200减20 twice.
        let q = quote(QuoteInput {
            lines: lines(&[("CUP-1", 10)]),
            ..Default::default()
        })
        .await;
        assert_eq!(q.total, "480.00");
        // A coupon comes last, on what spend-and-save left.
        let q = quote(QuoteInput {
            lines: lines(&[("CUP-1", 4), ("PEN-1", 3)]),
            coupon: "cpn10".into(),
            buyer: "张三".into(),
            ..Default::default()
        })
        .await;
        assert_eq!(
            (q.total.as_str(), q.coupon_problem.as_str()),
            ("216.00", "")
        );
        // Below the coupon's minimum spend it does not apply, and says why.
        let q = quote(QuoteInput {
            lines: lines(&[("PEN-1", 3)]),
            coupon: "CPN10".into(),
            ..Default::default()
        })
        .await;
        assert_eq!(
            (q.total.as_str(), q.coupon_problem.as_str()),
            ("30.00", "min_spend")
        );
        // Flash-sale lines take the flash price and stay out of 满减: only the cups' 216 counts (≥ 200).
        let q = quote(QuoteInput {
            lines: lines(&[("TEA-1", 3), ("CUP-1", 4)]),
            ..Default::default()
        })
        .await;
        assert_eq!(q.lines[0].amount, 5970);
        assert_eq!(q.lines[0].discount, 3030);
        assert_eq!(q.lines[1].amount, 21600 - 2000);
        // A typed (negotiated) price is kept and takes no promotion.
        let q = quote(QuoteInput {
            lines: vec![QuoteLine {
                sku: "CUP-1".into(),
                qty: 4,
                unit_price: "50".into(),
            }],
            ..Default::default()
        })
        .await;
        assert_eq!((q.total.as_str(), q.lines[0].steps.len()), ("200.00", 1));

        // Phone orders: the flash cap of 5 is taken 3, then 2 (the third unit at list price), then none.
        let o1 = manual::create(&db.desk, &ops, &order("甲", &[("TEA-1", 3)], ""))
            .await
            .unwrap();
        assert_eq!(o1.total, "59.70");
        assert!(
            o1.lines[0].price_note.contains("19.90"),
            "{}",
            o1.lines[0].price_note
        );
        // The built-in rule puts flash-sale orders first.
        let r = shopdesk_core::sales::review::review(&db.desk, &ops, &Default::default())
            .await
            .unwrap();
        let v = r.verdicts.iter().find(|v| v.order_id == o1.id).unwrap();
        assert_eq!(v.priority, 5, "{v:?}");
        assert!(v.matched.iter().any(|m| m == "秒杀订单优先"), "{v:?}");
        let o2 = manual::create(&db.desk, &ops, &order("乙", &[("TEA-1", 3)], ""))
            .await
            .unwrap();
        assert_eq!(o2.total, "69.80");
        let o3 = manual::create(&db.desk, &ops, &order("丙", &[("TEA-1", 1)], ""))
            .await
            .unwrap();
        assert_eq!(o3.total, "30.00");
        let flash = promotions::list(&db.desk, &ops)
            .await
            .unwrap()
            .into_iter()
            .find(|p| p.code == "FLASH")
            .unwrap();
        assert_eq!(flash.used, 5);

        // The coupon: once per buyer, twice in all.
        let a = manual::create(
            &db.desk,
            &ops,
            &order("甲", &[("CUP-1", 4), ("PEN-1", 3)], "CPN10"),
        )
        .await
        .unwrap();
        assert_eq!((a.total.as_str(), a.discount.as_str()), ("216.00", "54.00"));
        let e = manual::create(&db.desk, &ops, &order("甲", &[("CUP-1", 4)], "CPN10"))
            .await
            .unwrap_err();
        assert_eq!(field(e.into()), "coupon:coupon_per_buyer");
        manual::create(&db.desk, &ops, &order("乙", &[("CUP-1", 4)], "CPN10"))
            .await
            .unwrap();
        let e = manual::create(&db.desk, &ops, &order("丙", &[("CUP-1", 4)], "CPN10"))
            .await
            .unwrap_err();
        assert_eq!(field(e.into()), "coupon:coupon_used_up");
        let timeline_line = sales::get(&db.desk, &ops, &a.platform_order_no, None)
            .await
            .unwrap();
        assert!(timeline_line.lines[0].price_note.contains("CPN10"));
    }
);

db_test!(
    a_flash_sale_cap_holds_under_concurrency,
    |db: TestDb| async move {
        let (_admin, ops) = setup(&db).await;
        let now = db.desk.now();
        promotions::save(
            &db.desk,
            &ops,
            &PromotionInput {
                code: "PENFLASH".into(),
                name: "笔秒杀".into(),
                kind: "flash_sale".into(),
                params: PromotionParams {
                    price: "5".into(),
                    ..Default::default()
                },
                channels: vec![],
                skus: vec!["PEN-1".into()],
                starts_at: now - Duration::hours(1),
                ends_at: now + Duration::hours(1),
                cap: Some(4),
                per_buyer: None,
                enabled: true,
            },
        )
        .await
        .unwrap();
        let (ia, ib) = (
            order("甲", &[("PEN-1", 3)], ""),
            order("乙", &[("PEN-1", 3)], ""),
        );
        let (a, b) = tokio::join!(
            manual::create(&db.desk, &ops, &ia),
            manual::create(&db.desk, &ops, &ib)
        );
        let ok: Vec<_> = [a, b].into_iter().filter_map(Result::ok).collect();
        assert!(!ok.is_empty());
        let pen = promotions::list(&db.desk, &ops)
            .await
            .unwrap()
            .into_iter()
            .find(|p| p.code == "PENFLASH")
            .unwrap();
        assert!(pen.used <= 4, "cap exceeded: {}", pen.used);
        // Every unit sold at the flash price is counted, and no more.
        let flash_units: i64 = ok
            .iter()
            .map(|o| {
                let l = &o.lines[0];
                // 5.00 a unit at the flash price, 10.00 at list.
                let amount: i64 = l.amount.replace('.', "").parse().unwrap();
                (l.qty * 1000 - amount) / 500
            })
            .sum();
        assert_eq!(flash_units, pen.used);
    }
);

db_test!(
    an_unpriced_import_is_priced_with_promotions,
    |db: TestDb| async move {
        use shopdesk_core::imports::Control;
        use shopdesk_core::sales::channels::Channel;
        use shopdesk_core::sales::import::{self, OrderImportOptions};
        let (_admin, ops) = setup(&db).await;
        // A wholesale list with SKUs and quantities only, ordered while the promotions run: list prices, 10 % off the
        // cups, then 满200减20.
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("批发单.csv");
        std::fs::write(
            &path,
            "订单号,下单时间,收货人,手机号,地址,商品编码,数量\n\
         W-1,2026-11-22 09:20:00,张三,13800138000,上海市浦东新区世纪大道100号,CUP-1,4\n\
         W-1,2026-11-22 09:20:00,张三,13800138000,上海市浦东新区世纪大道100号,PEN-1,3\n",
        )
        .unwrap();
        let s = import::import_file(
            &db.desk,
            &ops,
            &path,
            &OrderImportOptions {
                channel: Channel::Generic,
                ..Default::default()
            },
            None,
            &Control::new(),
        )
        .await
        .unwrap();
        assert_eq!((s.orders_created, s.rows_failed), (1, 0), "{:?}", s.errors);
        let o = sales::get(&db.desk, &ops, "W-1", None).await.unwrap();
        assert_eq!(
            (
                o.goods_amount.as_str(),
                o.discount.as_str(),
                o.total.as_str()
            ),
            ("270.00", "44.00", "226.00")
        );
        assert_eq!(o.lines[0].amount, "198.43");
        assert!(
            o.lines[0].price_note.contains("P10"),
            "{}",
            o.lines[0].price_note
        );
        let kinds: Vec<String> = sales::timeline(&db.desk, &ops, o.id)
            .await
            .unwrap()
            .into_iter()
            .map(|e| e.kind)
            .collect();
        assert!(kinds.contains(&"priced".to_string()), "{kinds:?}");
    }
);

db_test!(
    orders_reviewed_on_import_have_used_no_promotion,
    |db: TestDb| async move {
        use shopdesk_core::imports::Control;
        use shopdesk_core::sales::import::{self, OrderImportOptions};
        use shopdesk_core::sales::review::{self, ReviewSettings};
        let (_admin, ops) = setup(&db).await;
        // A stored phone order in the flash sale: the built-in rule puts it first.
        let o1 = manual::create(&db.desk, &ops, &order("甲", &[("TEA-1", 1)], ""))
            .await
            .unwrap();
        assert!(o1.lines[0].price_note.contains("19.90"));
        review::save_settings(
            &db.desk,
            &ops,
            &ReviewSettings {
                review_on_import: true,
                allocate_on_import: false,
            },
        )
        .await
        .unwrap();
        // Orders reviewed as they are imported, as many as the stored order's id and one more: none of them is
        // taken for an order in the flash sale (it once looked promotion uses up by their places in the file).
        let mut file =
            String::from("订单号,下单时间,付款时间,收货人,手机号,地址,商品编码,商品,数量,单价\n");
        for i in 0..=o1.id {
            file.push_str(&format!(
                "IMP-{i},2026-11-22 09:00:00,2026-11-22 09:01:00,买家{i},1380013{i:04},上海市浦东新区世纪大道{i}号,CUP-1,杯子,1,60.00\n"
            ));
        }
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("导入审单.csv");
        std::fs::write(&path, file).unwrap();
        let s = import::import_file(
            &db.desk,
            &ops,
            &path,
            &OrderImportOptions {
                channel: sales::Channel::Generic,
                ..Default::default()
            },
            None,
            &Control::new(),
        )
        .await
        .unwrap();
        assert_eq!(s.orders_created as i64, o1.id + 1, "{:?}", s.errors);
        let r = s.review.expect("reviewed on import");
        assert_eq!(r.verdicts.len() as i64, o1.id + 1);
        for v in &r.verdicts {
            assert!(!v.matched.iter().any(|m| m == "秒杀订单优先"), "{v:?}");
            assert_eq!(v.priority, 0, "{v:?}");
        }
        db.close().await;
    }
);
