//! Fulfilment on both databases: allocation to warehouses by region and stock with merge (合单) and split (拆单),
//! reservations through the inventory ledger, waves with a pick list in location order and packing slips, the
//! outbound check refusing a wrong or extra scan, packing with weight, shipping with tracking (stock leaves the
//! ledger, shipping notices recorded), tracking and delivery from a carrier's file, logistics exceptions with
//! reship, refund and claim, a split by hand, and concurrent allocations that never reserve twice.

use shopdesk_core::auth::{Actor, Role};
use shopdesk_core::imports::Control;
use shopdesk_core::masterdata::products::{self, ProductInput};
use shopdesk_core::masterdata::warehouses::{self, LocationInput, WarehouseInput};
use shopdesk_core::sales::allocate::{self, AllocateOptions, HandLine, HandParcel};
use shopdesk_core::sales::channels::Channel;
use shopdesk_core::sales::import::{self, OrderImportOptions};
use shopdesk_core::sales::outbound::{self, ParcelFilter, Resolution, TrackingInput, WaveKind};
use shopdesk_core::sales::review::{self, OrderDecision, ReviewScope};
use shopdesk_core::{ApiError, inventory, sales};
use shopdesk_tests::{TestDb, db_test};

const TEA_BARCODE: &str = "6901234567892";
const CUP_BARCODE: &str = "6901234567885";

/// Two warehouses, Shanghai and Beijing (B-01); TEA-1 and CUP-1 with barcodes. Stock: TEA 2 at
/// A-01 and 3 at A-02, 10 at B-01; one CUP at A-01. Returns (admin, tea, cup, [A-01, A-02, B-01]).
async fn setup(db: &TestDb) -> (Actor, i64, i64, [i64; 3]) {
    let admin = db.admin().await;
    let mut ids = Vec::new();
    for (sku, name, barcode) in [
        ("TEA-1", "绿茶 250g", TEA_BARCODE),
        ("CUP-1", "玻璃杯", CUP_BARCODE),
    ] {
        ids.push(
            products::create(
                &db.desk,
                &admin,
                &ProductInput {
                    sku: sku.into(),
                    barcode: Some(barcode.into()),
                    name: name.into(),
                    unit: "个".into(),
                    cost: "10".into(),
                    price: "30".into(),
                    ..Default::default()
                },
            )
            .await
            .unwrap()
            .id,
        );
    }
    let mut locs = Vec::new();
    for (code, name, address, loc_codes) in [
        (
            "SH",
            "上海仓",
            "上海市青浦区华新镇1号",
            &["A-02", "A-01"][..],
        ),
        ("BJ", "北京仓", "北京市大兴区物流园2号", &["B-01"][..]),
    ] {
        let w = warehouses::create(
            &db.desk,
            &admin,
            &WarehouseInput {
                code: code.into(),
                name: name.into(),
                address: address.into(),
                ..Default::default()
            },
        )
        .await
        .unwrap();
        for lc in loc_codes {
            locs.push((
                lc.to_string(),
                warehouses::create_location(
                    &db.desk,
                    &admin,
                    &LocationInput {
                        warehouse_id: w.id,
                        code: lc.to_string(),
                        zone: String::new(),
                        kind: "storage".into(),
                    },
                )
                .await
                .unwrap()
                .id,
            ));
        }
    }
    locs.sort();
    let loc = |c: &str| locs.iter().find(|l| l.0 == c).unwrap().1;
    let (a1, a2, b1) = (loc("A-01"), loc("A-02"), loc("B-01"));
    for (p, l, q) in [
        (ids[0], a1, 2),
        (ids[0], a2, 3),
        (ids[0], b1, 10),
        (ids[1], a1, 1),
    ] {
        inventory::adjust(&db.desk, &admin, p, l, q, None, "opening")
            .await
            .unwrap();
    }
    (admin, ids[0], ids[1], [a1, a2, b1])
}

const ORDERS: &str = "\
订单号,下单时间,付款时间,买家,收货人,手机号,地址,商品编码,商品,数量,单价
M-1,2026-11-20 09:00:00,2026-11-20 09:01:00,zhangsan,张三,13800138000,上海市浦东新区世纪大道100号,TEA-1,绿茶,1,30.00
M-2,2026-11-20 09:30:00,2026-11-20 09:31:00,zhangsan,张三,13800138000,上海市浦东新区世纪大道100号,TEA-1,绿茶,1,30.00
S-1,2026-11-20 10:00:00,2026-11-20 10:01:00,wangwu,王五,13900000001,北京市海淀区中关村大街1号,TEA-1,绿茶,4,30.00
S-1,2026-11-20 10:00:00,2026-11-20 10:01:00,wangwu,王五,13900000001,北京市海淀区中关村大街1号,CUP-1,玻璃杯,1,30.00
W-1,2026-11-20 11:00:00,2026-11-20 11:01:00,lisi,李四,13700000001,广东省广州市天河区体育西路1号,CUP-1,玻璃杯,5,30.00
";

async fn import_and_approve(db: &TestDb, ops: &Actor) {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("orders.csv");
    std::fs::write(&path, ORDERS).unwrap();
    let s = import::import_file(
        &db.desk,
        ops,
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
    assert_eq!((s.orders_created, s.rows_failed), (4, 0), "{:?}", s.errors);
    let r = review::review(&db.desk, ops, &ReviewScope::default())
        .await
        .unwrap();
    // W-1 wants five cups and there is one: held for stock; the clerk lets it through to wait for stock.
    assert_eq!((r.approved, r.held), (3, 1), "{:?}", r.verdicts);
    let w1 = sales::get(&db.desk, ops, "W-1", None).await.unwrap();
    review::decide(
        &db.desk,
        ops,
        w1.id,
        OrderDecision::Approve,
        "补货中，先审过",
    )
    .await
    .unwrap();
}

fn code(e: ApiError) -> String {
    e.details
        .first()
        .map(|f| format!("{}:{}", f.field, f.code))
        .unwrap_or(e.code)
}

async fn status(db: &TestDb, actor: &Actor, no: &str) -> String {
    sales::get(&db.desk, actor, no, None).await.unwrap().status
}

db_test!(
    allocate_pick_check_ship_and_handle_exceptions,
    |db: TestDb| async move {
        let (admin, tea, cup, [a1, a2, b1]) = setup(&db).await;
        let ops = db.user(&admin, "yunying", Role::Operations).await;
        let wh = db.user(&admin, "cangku", Role::Warehouse).await;
        import_and_approve(&db, &ops).await;

        // 1. Without splitting: M-1 and M-2 (one buyer, one address) share one Shanghai parcel; S-1 needs four
        //    teas and a cup, which no single warehouse has; W-1 lacks cups.
        let s = allocate::allocate(&db.desk, &ops, &AllocateOptions::default())
            .await
            .unwrap();
        assert_eq!(
            (
                s.orders,
                s.allocated,
                s.partial,
                s.waiting,
                s.parcels,
                s.merged_orders,
                s.units
            ),
            (4, 2, 0, 2, 1, 2, 2)
        );
        // The run's reservations are in the stock ledger once per SKU × location, under the run's number; its
        // parcel lines hold which parcel has what.
        {
            use sea_orm::{ColumnTrait, EntityTrait, QueryFilter};
            use shopdesk_core::entities::stock_ledger as sl;
            let run = sl::Entity::find()
                .filter(sl::Column::Kind.eq("reserve"))
                .filter(sl::Column::DocType.eq("allocation"))
                .all(db.desk.db())
                .await
                .unwrap();
            assert!(!run.is_empty());
            assert!(run.iter().all(|e| e.product_id == tea
                && e.doc_no == run[0].doc_no
                && e.doc_no.starts_with("AL")
                && e.doc_line.is_none()));
            let mut places: Vec<i64> = run.iter().map(|e| e.location_id).collect();
            places.sort_unstable();
            places.dedup();
            assert_eq!(places.len(), run.len(), "one entry per location: {run:?}");
            assert_eq!(run.iter().map(|e| e.reserved).sum::<i64>(), 2);
        }
        assert_eq!(status(&db, &ops, "M-1").await, "allocated");
        assert_eq!(status(&db, &ops, "S-1").await, "approved");
        let merged = outbound::parcels(
            &db.desk,
            &ops,
            &ParcelFilter {
                search: Some("M-2".into()),
                ..Default::default()
            },
        )
        .await
        .unwrap();
        assert_eq!(merged.len(), 1);
        let m = &merged[0];
        assert_eq!((m.warehouse.as_str(), m.units), ("SH", 2));
        assert_eq!(m.orders, vec!["M-1".to_string(), "M-2".to_string()]);
        // Reserved along the pick path: A-01 before A-02.
        assert!(
            m.lines.iter().all(|l| l.location == "A-01"),
            "{:?}",
            m.lines
        );
        let avail = inventory::available_by_product(db.desk.db(), Some(&[tea]))
            .await
            .unwrap();
        assert_eq!(avail[&tea], 13);

        // 2. Splitting allowed: S-1's teas from Beijing (its region), its cup from Shanghai; W-1 still waits.
        let s = allocate::allocate(
            &db.desk,
            &ops,
            &AllocateOptions {
                split: true,
                ..Default::default()
            },
        )
        .await
        .unwrap();
        assert_eq!(
            (s.orders, s.allocated, s.waiting, s.parcels, s.split_orders),
            (2, 1, 1, 2, 1)
        );
        assert_eq!(s.waiting_orders.len(), 1);
        assert_eq!(s.waiting_orders[0].platform_order_no, "W-1");
        assert_eq!(s.waiting_orders[0].shortages[0].sku, "CUP-1");
        assert_eq!(s.waiting_orders[0].shortages[0].qty, 5);
        let s1 = sales::get(&db.desk, &ops, "S-1", None).await.unwrap();
        let s1_parcels = outbound::parcels_of_order(&db.desk, &ops, s1.id)
            .await
            .unwrap();
        let by_wh: Vec<(String, i64)> = s1_parcels
            .iter()
            .map(|p| (p.warehouse.clone(), p.units))
            .collect();
        assert_eq!(by_wh, vec![("BJ".to_string(), 4), ("SH".to_string(), 1)]);
        let bj_parcel = s1_parcels[0].parcel_no.clone();
        let cup_parcel = s1_parcels[1].parcel_no.clone();

        // 3. Waves: the one-unit parcel goes to a single-item wave, the merged one to a multi-item wave.
        let single = outbound::create_wave(&db.desk, &wh, "SH", WaveKind::Single, 50)
            .await
            .unwrap()
            .unwrap();
        assert_eq!((single.parcels, single.units), (1, 1));
        let multi = outbound::create_wave(&db.desk, &wh, "SH", WaveKind::Multi, 50)
            .await
            .unwrap()
            .unwrap();
        assert_eq!((multi.parcels, multi.units), (1, 2));
        assert!(
            outbound::create_wave(&db.desk, &wh, "SH", WaveKind::Mixed, 50)
                .await
                .unwrap()
                .is_none()
        );
        assert_eq!(status(&db, &ops, "M-1").await, "picking");
        let pick = outbound::pick_list(&db.desk, &wh, &multi.wave_no, "zh-CN")
            .await
            .unwrap();
        assert_eq!(pick.rows.len(), 1);
        assert_eq!(pick.cell(0, "location"), "A-01");
        assert_eq!(pick.cell(0, "sku"), "TEA-1");
        assert_eq!(pick.cell(0, "qty"), "2");
        assert_eq!(pick.cell(0, "slots"), "1×2");
        let slips = outbound::packing_slips(&db.desk, &wh, &multi.wave_no, "zh-CN")
            .await
            .unwrap();
        assert!(slips.starts_with(b"%PDF"));

        // 4. Outbound check: a cup scanned into the tea parcel is refused, as is a third tea; packing waits for
        //    every unit.
        let e = outbound::check_scan(&db.desk, &wh, &m.parcel_no, CUP_BARCODE)
            .await
            .unwrap_err();
        assert_eq!(code(e.into()), "code:wrong_item");
        let e = outbound::pack(&db.desk, &wh, &m.parcel_no, "0.5")
            .await
            .unwrap_err();
        assert_eq!(code(e.into()), "parcel:not_checked");
        let st = outbound::check_scan(&db.desk, &wh, &m.parcel_no, TEA_BARCODE)
            .await
            .unwrap();
        assert!(!st.complete);
        let st = outbound::check_scan(&db.desk, &wh, &m.parcel_no, "tea-1")
            .await
            .unwrap();
        assert!(st.complete, "{st:?}");
        let e = outbound::check_scan(&db.desk, &wh, &m.parcel_no, TEA_BARCODE)
            .await
            .unwrap_err();
        assert_eq!(code(e.into()), "code:too_many");
        let e = outbound::pack(&db.desk, &wh, &m.parcel_no, "0.5003")
            .await
            .unwrap_err();
        assert_eq!(code(e.into()), "weight:kg");
        let packed = outbound::pack(&db.desk, &wh, &m.parcel_no, "0.5")
            .await
            .unwrap();
        assert_eq!(
            (packed.status.as_str(), packed.weight_kg.as_str()),
            ("packed", "0.500")
        );
        assert_eq!(status(&db, &ops, "M-2").await, "packed");

        // 5. Ship: a tracking number is required; stock leaves the ledger; each platform order gets a notice.
        let e = outbound::ship(&db.desk, &wh, &m.parcel_no, None)
            .await
            .unwrap_err();
        assert_eq!(code(e.into()), "tracking_no:required");
        let sf = TrackingInput {
            carrier: "顺丰".into(),
            service: "标快".into(),
            tracking_no: "SF1234567890".into(),
        };
        let shipped = outbound::ship(&db.desk, &wh, &m.parcel_no, Some(&sf))
            .await
            .unwrap();
        assert_eq!(shipped.status, "shipped");
        assert_eq!(status(&db, &ops, "M-1").await, "shipped");
        let bal = inventory::balances(&db.desk, &admin, tea).await.unwrap();
        let at = |l: i64| bal.iter().find(|b| b.location_id == l).unwrap().clone();
        assert_eq!((at(a1).on_hand, at(a1).reserved), (0, 0));
        assert_eq!((at(a2).on_hand, at(a2).reserved), (3, 0));
        assert_eq!((at(b1).on_hand, at(b1).reserved), (10, 4));
        let notices = outbound::notices(&db.desk, &ops, true).await.unwrap();
        assert_eq!(notices.len(), 2);
        assert!(notices.iter().all(|n| n.tracking_no == "SF1234567890"));
        assert_eq!(
            outbound::mark_notices_sent(&db.desk, &ops, &[notices[0].id])
                .await
                .unwrap(),
            1
        );
        assert_eq!(
            outbound::notices(&db.desk, &ops, true).await.unwrap().len(),
            1
        );
        let m1 = sales::get(&db.desk, &ops, "M-1", None).await.unwrap();
        assert_eq!(m1.tracking_no, "SF1234567890");
        let kinds: Vec<String> = sales::timeline(&db.desk, &ops, m1.id)
            .await
            .unwrap()
            .into_iter()
            .map(|e| e.kind)
            .collect();
        for k in ["approved", "allocated", "picking", "packed", "shipped"] {
            assert!(kinds.iter().any(|x| x == k), "{k} missing in {kinds:?}");
        }

        // The same SF number on another parcel is refused; the cup parcel ships with its own.
        let e = outbound::set_tracking(&db.desk, &wh, &cup_parcel, &sf)
            .await
            .unwrap_err();
        assert_eq!(code(e.into()), "tracking_no:duplicate");
        outbound::check_scan(&db.desk, &wh, &cup_parcel, CUP_BARCODE)
            .await
            .unwrap();
        outbound::pack(&db.desk, &wh, &cup_parcel, "0.35 kg")
            .await
            .unwrap();
        outbound::ship(
            &db.desk,
            &wh,
            &cup_parcel,
            Some(&TrackingInput {
                carrier: "中通".into(),
                service: String::new(),
                tracking_no: "ZT7700112233".into(),
            }),
        )
        .await
        .unwrap();
        // S-1's tea parcel has not shipped: the order is as far as its least advanced parcel.
        assert_eq!(status(&db, &ops, "S-1").await, "allocated");
        let waves = outbound::waves(&db.desk, &ops, false).await.unwrap();
        assert!(
            waves
                .iter()
                .all(|w| w.status == "done" && w.done == w.parcels),
            "{waves:?}"
        );

        // 6. Cancelling the Beijing parcel releases its reservation; S-1 goes back to allocation.
        outbound::carrier_export(&db.desk, &wh, "顺丰", None, "zh-CN")
            .await
            .unwrap();
        allocate::cancel_parcel(&db.desk, &ops, &bj_parcel, "客户改地址")
            .await
            .unwrap();
        assert_eq!(status(&db, &ops, "S-1").await, "approved");
        let bal = inventory::balances(&db.desk, &admin, tea).await.unwrap();
        assert_eq!(bal.iter().map(|b| b.reserved).sum::<i64>(), 0);

        // 7. The carrier's file: the SF parcel delivered; an unknown parcel reported at its row and column.
        let dir = tempfile::tempdir().unwrap();
        let file = dir.path().join("顺丰回单.csv");
        std::fs::write(
            &file,
            format!(
                "包裹号,运单号,状态\n{},SF1234567890,已签收\nPK-NOPE,SF999,运输中\n{},ZT7700112233,未签收\n",
                m.parcel_no, cup_parcel
            ),
        )
        .unwrap();
        let t = outbound::import_tracking(&db.desk, &wh, &file, "顺丰", "zh-CN")
            .await
            .unwrap();
        // 未签收 (not signed for) is news, not a delivery.
        assert_eq!(
            (t.rows_read, t.delivered, t.updated, t.rows_failed),
            (3, 1, 1, 1)
        );
        assert_eq!((t.errors[0].row, t.errors[0].column.as_str()), (3, "A"));
        assert!(
            t.errors[0].message.contains("PK-NOPE"),
            "{}",
            t.errors[0].message
        );

        // 8. Four days on, the cup parcel has had no news: flagged. Reported lost, it is reshipped once the
        //    warehouse has a cup again; a refund larger than paid is refused; a claim is recorded.
        db.clock.advance(chrono::Duration::days(4));
        let scan = outbound::scan_exceptions(&db.desk, &ops).await.unwrap();
        assert_eq!(scan.no_update, 1);
        let queue = outbound::parcels(
            &db.desk,
            &ops,
            &ParcelFilter {
                exceptions: true,
                ..Default::default()
            },
        )
        .await
        .unwrap();
        assert_eq!(queue.len(), 1);
        assert_eq!(
            (queue[0].parcel_no.as_str(), queue[0].exception.as_str()),
            (cup_parcel.as_str(), "no_update")
        );
        outbound::report_exception(&db.desk, &ops, &cup_parcel, "lost", "快递称丢件")
            .await
            .unwrap();
        let e =
            outbound::resolve_exception(&db.desk, &ops, &cup_parcel, &Resolution::Reship, "补发")
                .await
                .unwrap_err();
        assert_eq!(code(e.into()), "reship:out_of_stock");
        inventory::adjust(&db.desk, &admin, cup, a1, 1, None, "到货")
            .await
            .unwrap();
        let new =
            outbound::resolve_exception(&db.desk, &ops, &cup_parcel, &Resolution::Reship, "补发")
                .await
                .unwrap()
                .unwrap();
        let reship = outbound::parcel(&db.desk, &ops, &new).await.unwrap();
        assert_eq!(
            (reship.status.as_str(), reship.reship_of.as_str()),
            ("allocated", cup_parcel.as_str())
        );
        let e = outbound::resolve_exception(&db.desk, &ops, &cup_parcel, &Resolution::Close, "x")
            .await
            .unwrap_err();
        assert_eq!(code(e.into()), "exception:none_open");
        outbound::report_exception(&db.desk, &ops, &m.parcel_no, "damaged", "外箱破损")
            .await
            .unwrap();
        let e = outbound::resolve_exception(
            &db.desk,
            &ops,
            &m.parcel_no,
            &Resolution::Refund {
                amount: "30.01".into(),
            },
            "破损退款",
        )
        .await
        .unwrap_err();
        assert_eq!(code(e.into()), "amount:more_than_paid");
        outbound::resolve_exception(
            &db.desk,
            &ops,
            &m.parcel_no,
            &Resolution::Claim {
                amount: "30.00".into(),
            },
            "向顺丰索赔",
        )
        .await
        .unwrap();
        let claimed = outbound::parcel(&db.desk, &ops, &m.parcel_no)
            .await
            .unwrap();
        assert_eq!(
            (claimed.resolution.as_str(), claimed.claim_amount.as_str()),
            ("claim", "30.00")
        );

        // 9. Split by hand: Beijing gets cups; W-1 ships three from there now, the last two wait and are then
        //    allocated by the next run.
        inventory::adjust(&db.desk, &admin, cup, b1, 5, None, "到货")
            .await
            .unwrap();
        let w1 = sales::get(&db.desk, &ops, "W-1", None).await.unwrap();
        let e = allocate::allocate_by_hand(
            &db.desk,
            &ops,
            w1.id,
            &[HandParcel {
                warehouse: "BJ".into(),
                lines: vec![HandLine { line_no: 1, qty: 6 }],
            }],
            "先发三件",
        )
        .await
        .unwrap_err();
        assert_eq!(code(e.into()), "parcels[0].line_1:more_than_ordered");
        let nos = allocate::allocate_by_hand(
            &db.desk,
            &ops,
            w1.id,
            &[HandParcel {
                warehouse: "BJ".into(),
                lines: vec![HandLine { line_no: 1, qty: 3 }],
            }],
            "先发三件",
        )
        .await
        .unwrap();
        assert_eq!(nos.len(), 1);
        assert_eq!(status(&db, &ops, "W-1").await, "approved");
        let s = allocate::allocate(
            &db.desk,
            &ops,
            &AllocateOptions {
                order_ids: Some(vec![w1.id]),
                ..Default::default()
            },
        )
        .await
        .unwrap();
        assert_eq!((s.allocated, s.units), (1, 2));
        assert_eq!(status(&db, &ops, "W-1").await, "allocated");

        // The ledger and the balances agree after all of it.
        let check = inventory::check(&db.desk, &admin).await.unwrap();
        assert!(check.ok, "{:?}", check.differences);
    }
);

db_test!(
    concurrent_allocations_never_reserve_twice,
    |db: TestDb| async move {
        let (admin, tea, _cup, _) = setup(&db).await;
        let ops = db.user(&admin, "yunying", Role::Operations).await;
        import_and_approve(&db, &ops).await;
        let opts = AllocateOptions {
            split: true,
            ..Default::default()
        };
        let (a, b) = tokio::join!(
            allocate::allocate(&db.desk, &ops, &opts),
            allocate::allocate(&db.desk, &ops, &opts)
        );
        let ok: Vec<_> = [a, b].into_iter().filter_map(Result::ok).collect();
        assert!(!ok.is_empty());
        // However the two interleaved, each order line is reserved once.
        let units: i64 = ok.iter().map(|s| s.units).sum();
        assert_eq!(units, 2 + 5);
        let bal = inventory::balances(&db.desk, &admin, tea).await.unwrap();
        assert_eq!(bal.iter().map(|b| b.reserved).sum::<i64>(), 6);
        let check = inventory::check(&db.desk, &admin).await.unwrap();
        assert!(check.ok, "{:?}", check.differences);
    }
);

db_test!(
    cancelling_an_allocated_order_releases_its_stock,
    |db: TestDb| async move {
        let (admin, tea, _cup, _) = setup(&db).await;
        let ops = db.user(&admin, "yunying", Role::Operations).await;
        import_and_approve(&db, &ops).await;
        let s = allocate::allocate(&db.desk, &ops, &AllocateOptions::default())
            .await
            .unwrap();
        assert_eq!(s.merged_orders, 2);
        assert_eq!(reserved(&db, &admin, tea).await, 2);
        // The buyer cancels M-1: the merged parcel is cancelled, its stock released, M-2 goes back to allocation.
        // (S-1 waited: four teas and a cup were in no one warehouse while M's two teas were reserved.)
        let m1 = sales::get(&db.desk, &ops, "M-1", None).await.unwrap();
        review::decide(&db.desk, &ops, m1.id, OrderDecision::Cancel, "买家取消")
            .await
            .unwrap();
        assert_eq!(reserved(&db, &admin, tea).await, 0);
        assert_eq!(status(&db, &ops, "M-1").await, "cancelled");
        assert_eq!(status(&db, &ops, "M-2").await, "approved");
        let s = allocate::allocate(&db.desk, &ops, &AllocateOptions::default())
            .await
            .unwrap();
        // With M-1's teas back, Shanghai holds all of S-1 (four teas and the cup) as well as M-2's tea.
        assert_eq!((s.allocated, s.units), (2, 6));
        assert_eq!(reserved(&db, &admin, tea).await, 5);
        let check = inventory::check(&db.desk, &admin).await.unwrap();
        assert!(check.ok, "{:?}", check.differences);
    }
);

async fn reserved(db: &TestDb, admin: &Actor, product: i64) -> i64 {
    inventory::balances(&db.desk, admin, product)
        .await
        .unwrap()
        .iter()
        .map(|b| b.reserved)
        .sum()
}
