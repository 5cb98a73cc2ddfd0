//! Backdated entries revalue exactly what they affect, closed periods refuse postings, and the inventory
//! reports (ABC, turnover, ageing, slow-moving) come out with hand-computed figures, on both databases.

use chrono::{NaiveDate, TimeZone, Utc};
use shopdesk_core::ApiError;
use shopdesk_core::auth::Role;
use shopdesk_core::entities::stock_ledger;
use shopdesk_core::inventory::analysis::{self, AbcBasis, InventoryReport, ReportQuery};
use shopdesk_core::inventory::reports;
use shopdesk_core::inventory::{self, Adjustment, InventoryError, Movement, MovementKind, periods};
use shopdesk_core::masterdata::products::{self, ProductInput};
use shopdesk_core::masterdata::warehouses::{self, LocationInput, WarehouseInput};
use shopdesk_core::money::UnitPrice;
use shopdesk_core::report::Report;
use shopdesk_core::sea_orm::{ColumnTrait, EntityTrait, QueryFilter, QueryOrder};
use shopdesk_tests::{TestDb, db_test};

fn day(m: u32, d: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(2026, m, d).unwrap()
}

/// 09:30 in Shanghai on that day.
fn at(m: u32, d: u32) -> chrono::DateTime<Utc> {
    Utc.with_ymd_and_hms(2026, m, d, 1, 30, 0).single().unwrap()
}

fn code(e: InventoryError) -> String {
    ApiError::from(e).code
}

async fn product(db: &TestDb, admin: &shopdesk_core::auth::Actor, sku: &str, cat: &str) -> i64 {
    products::create(
        &db.desk,
        admin,
        &ProductInput {
            sku: sku.into(),
            name: format!("{sku} 商品"),
            unit: "件".into(),
            category: cat.into(),
            ..Default::default()
        },
    )
    .await
    .unwrap()
    .id
}

/// Warehouse W1 with one storage location A-01: (warehouse, location id).
async fn warehouse_w1(
    db: &TestDb,
    admin: &shopdesk_core::auth::Actor,
) -> (warehouses::Warehouse, i64) {
    let w = warehouses::create(
        &db.desk,
        admin,
        &WarehouseInput {
            code: "W1".into(),
            name: "一号仓".into(),
            ..Default::default()
        },
    )
    .await
    .unwrap();
    let loc = warehouses::create_location(
        &db.desk,
        admin,
        &LocationInput {
            warehouse_id: w.id,
            code: "A-01".into(),
            zone: String::new(),
            kind: "storage".into(),
        },
    )
    .await
    .unwrap()
    .id;
    (w, loc)
}

async fn ship(db: &TestDb, admin: &shopdesk_core::auth::Actor, product: i64, loc: i64, qty: i64) {
    let txn = db.desk.write_txn().await.unwrap();
    inventory::post(
        &db.desk,
        &txn,
        admin,
        &[Movement {
            kind: MovementKind::Ship,
            product_id: product,
            location_id: loc,
            qty: -qty,
            reserved: 0,
            in_transit: 0,
            unit_cost: None,
            value: None,
            doc_type: "shipment".into(),
            doc_no: format!("SHIP-{product}-{qty}"),
            doc_line: None,
            note: String::new(),
        }],
    )
    .await
    .unwrap();
    txn.commit().await.unwrap();
}

fn adj(
    product: i64,
    loc: i64,
    qty: i64,
    cost: Option<&str>,
    date: Option<NaiveDate>,
) -> Adjustment {
    Adjustment {
        product_id: product,
        location_id: loc,
        qty,
        unit_cost: cost.map(|c| UnitPrice::parse(c).unwrap()),
        note: "test".into(),
        date,
    }
}

fn row<'a>(r: &'a Report, sku: &str) -> Vec<(&'a str, &'a str)> {
    let i = r
        .rows
        .iter()
        .position(|row| row.iter().any(|c| c == sku))
        .unwrap_or_else(|| panic!("{sku} not in {}", r.key));
    r.columns
        .iter()
        .map(|c| c.key.as_str())
        .zip(r.rows[i].iter().map(String::as_str))
        .collect()
}

fn get<'a>(cells: &[(&'a str, &'a str)], key: &str) -> &'a str {
    cells.iter().find(|c| c.0 == key).map(|c| c.1).unwrap()
}

async fn as_of(
    db: &TestDb,
    admin: &shopdesk_core::auth::Actor,
    p: i64,
    d: NaiveDate,
) -> (i64, i64) {
    reports::stock_as_of(&db.desk, admin, d)
        .await
        .unwrap()
        .into_iter()
        .find(|r| r.product_id == p)
        .map(|r| (r.qty, r.value_fen))
        .unwrap_or((0, 0))
}

db_test!(
    backdated_entries_revalue_what_they_affect_and_closed_periods_refuse,
    |db: TestDb| async move {
        let admin = db.admin().await;
        let a = product(&db, &admin, "TEA-A", "茶叶").await;
        let b = product(&db, &admin, "CUP-B", "茶具").await;
        let (w, loc) = warehouse_w1(&db, &admin).await;
        // Sep 1: 10 × 10.00 of A, 5 × 7.00 of B. Nov 5: ship 4 A (40.00). Nov 10: ship 3 A (30.00).
        db.clock.set(at(9, 1));
        inventory::adjust_on(&db.desk, &admin, &adj(a, loc, 10, Some("10"), None))
            .await
            .unwrap();
        inventory::adjust_on(&db.desk, &admin, &adj(b, loc, 5, Some("7"), None))
            .await
            .unwrap();
        db.clock.set(at(11, 5));
        ship(&db, &admin, a, loc, 4).await;
        db.clock.set(at(11, 10));
        ship(&db, &admin, a, loc, 3).await;
        db.clock.set(at(11, 22));
        assert_eq!(
            inventory::valuation(&db.desk, a, w.id).await.unwrap(),
            (3, 3_000)
        );

        // A late-entered receipt on Nov 3: 10 × 13.00. The two later shipments left at the wrong average:
        // Nov 5 should be 230.00 × 4/20 = 46.00 (−6.00 more), Nov 10 184.00 × 3/16 = 34.50 (−4.50 more).
        inventory::adjust_on(
            &db.desk,
            &admin,
            &adj(a, loc, 10, Some("13"), Some(day(11, 3))),
        )
        .await
        .unwrap();
        assert_eq!(
            inventory::valuation(&db.desk, a, w.id).await.unwrap(),
            (13, 14_950)
        );
        let revals = stock_ledger::Entity::find()
            .filter(stock_ledger::Column::Kind.eq("revalue"))
            .order_by_asc(stock_ledger::Column::BizDate)
            .all(db.desk.db())
            .await
            .unwrap();
        let got: Vec<(i64, NaiveDate, i64, i64)> = revals
            .iter()
            .map(|r| (r.product_id, r.biz_date, r.qty, r.value))
            .collect();
        assert_eq!(
            got,
            vec![(a, day(11, 5), 0, -600), (a, day(11, 10), 0, -450)]
        );
        for r in &revals {
            let target = stock_ledger::Entity::find_by_id(r.reverses_id.unwrap())
                .one(db.desk.db())
                .await
                .unwrap()
                .unwrap();
            assert_eq!(
                (target.kind.as_str(), target.biz_date),
                ("ship", r.biz_date)
            );
        }
        // History before the backdated date is as it was; from it on, the sums include the revaluations.
        assert_eq!(as_of(&db, &admin, a, day(11, 2)).await, (10, 10_000));
        assert_eq!(as_of(&db, &admin, a, day(11, 4)).await, (20, 23_000));
        assert_eq!(as_of(&db, &admin, a, day(11, 5)).await, (16, 18_400));
        assert_eq!(as_of(&db, &admin, a, day(11, 22)).await, (13, 14_950));
        // B was not touched.
        assert_eq!(as_of(&db, &admin, b, day(11, 22)).await, (5, 3_500));
        assert!(inventory::check(&db.desk, &admin).await.unwrap().ok);

        // A backdated issue that would leave the warehouse short later is refused, even with stock today.
        inventory::adjust_on(&db.desk, &admin, &adj(a, loc, 10, Some("13"), None))
            .await
            .unwrap();
        let e = inventory::adjust_on(&db.desk, &admin, &adj(a, loc, -18, None, Some(day(11, 4))))
            .await
            .unwrap_err();
        assert_eq!(code(e), "inventory.short_in_history");
        let e = inventory::adjust_on(
            &db.desk,
            &admin,
            &adj(a, loc, 1, Some("1"), Some(day(11, 23))),
        )
        .await
        .unwrap_err();
        assert_eq!(code(e), "validation");
        // Nothing of the refused postings stayed: 23 units worth 279.50; 10 leave at 121.52.
        assert_eq!(
            inventory::valuation(&db.desk, a, w.id).await.unwrap(),
            (23, 27_950)
        );
        inventory::adjust_on(&db.desk, &admin, &adj(a, loc, -10, None, None))
            .await
            .unwrap();
        assert_eq!(
            inventory::valuation(&db.desk, a, w.id).await.unwrap(),
            (13, 15_798)
        );

        // Closing: finance may, the warehouse may not; only before today and only forward.
        let finance = db.user(&admin, "fin", Role::Finance).await;
        let keeper = db.user(&admin, "keeper", Role::Warehouse).await;
        let manager = db.user(&admin, "boss", Role::Manager).await;
        let e = periods::close(&db.desk, &keeper, day(11, 4), "")
            .await
            .unwrap_err();
        assert_eq!(code(e), "auth.forbidden");
        let e = periods::close(&db.desk, &finance, day(11, 22), "")
            .await
            .unwrap_err();
        assert_eq!(code(e), "validation");
        let st = periods::close(&db.desk, &finance, day(11, 4), "十一月上旬")
            .await
            .unwrap();
        assert_eq!(st.closed_through, Some(day(11, 4)));
        let e = periods::close(&db.desk, &finance, day(11, 3), "")
            .await
            .unwrap_err();
        assert_eq!(code(e), "validation");
        let before = inventory::check(&db.desk, &admin)
            .await
            .unwrap()
            .ledger_entries;
        let e = inventory::adjust_on(
            &db.desk,
            &admin,
            &adj(a, loc, 1, Some("1"), Some(day(11, 4))),
        )
        .await
        .unwrap_err();
        assert_eq!(code(e), "inventory.period_closed");
        assert_eq!(
            inventory::check(&db.desk, &admin)
                .await
                .unwrap()
                .ledger_entries,
            before
        );
        // The day after the close is open.
        inventory::adjust_on(
            &db.desk,
            &admin,
            &adj(b, loc, 1, Some("7"), Some(day(11, 5))),
        )
        .await
        .unwrap();
        // Reopening is for administrators, with a reason.
        let e = periods::reopen(&db.desk, &manager, None, "mistake")
            .await
            .unwrap_err();
        assert_eq!(code(e), "auth.forbidden");
        let e = periods::reopen(&db.desk, &admin, None, " ")
            .await
            .unwrap_err();
        assert_eq!(code(e), "validation");
        let st = periods::reopen(&db.desk, &admin, Some(day(11, 1)), "补录十一月初入库")
            .await
            .unwrap();
        assert_eq!(st.closed_through, Some(day(11, 1)));
        assert!(inventory::check(&db.desk, &admin).await.unwrap().ok);
    }
);

db_test!(
    abc_turnover_ageing_and_slow_moving_reports,
    |db: TestDb| async move {
        let admin = db.admin().await;
        let a = product(&db, &admin, "TEA-A", "茶叶").await;
        let b = product(&db, &admin, "CUP-B", "茶具").await;
        let c = product(&db, &admin, "POT-C", "茶具").await;
        let (_, loc) = warehouse_w1(&db, &admin).await;
        db.clock.set(at(9, 1));
        for (p, q, cost) in [(a, 10, "10"), (b, 5, "7"), (c, 10, "2")] {
            inventory::adjust_on(&db.desk, &admin, &adj(p, loc, q, Some(cost), None))
                .await
                .unwrap();
        }
        db.clock.set(at(11, 5));
        ship(&db, &admin, a, loc, 4).await;
        ship(&db, &admin, c, loc, 9).await;
        db.clock.set(at(11, 10));
        ship(&db, &admin, a, loc, 3).await;
        db.clock.set(at(11, 22));
        inventory::adjust_on(
            &db.desk,
            &admin,
            &adj(a, loc, 10, Some("13"), Some(day(11, 3))),
        )
        .await
        .unwrap();
        let run = |q: ReportQuery| {
            let desk = &db.desk;
            let admin = &admin;
            async move { analysis::run(desk, admin, &q, "zh-CN").await.unwrap() }
        };
        let period = |kind| ReportQuery {
            kind,
            from: Some(day(11, 1)),
            to: Some(day(11, 22)),
            ..Default::default()
        };

        // ABC by value: A issued 46.00 + 34.50 = 80.50, C 9 × 2.00 = 18.00 (total 98.50). A's share before
        // it is 0 → A; C's is 81.73 % → B; B issued nothing → C.
        let abc = run(period(InventoryReport::Abc)).await;
        let ra = row(&abc, "TEA-A");
        assert_eq!(
            (
                get(&ra, "issued_qty"),
                get(&ra, "issued_value"),
                get(&ra, "share"),
                get(&ra, "class")
            ),
            ("7", "80.50", "81.73", "A")
        );
        let rc = row(&abc, "POT-C");
        assert_eq!(
            (
                get(&rc, "issued_value"),
                get(&rc, "cumulative"),
                get(&rc, "class")
            ),
            ("18.00", "100.00", "B")
        );
        assert_eq!(get(&row(&abc, "CUP-B"), "class"), "C");
        assert_eq!(abc.chart.as_ref().unwrap().labels, vec!["TEA-A", "POT-C"]);
        // By volume C (9) leads A (7).
        let vol = run(ReportQuery {
            basis: Some(AbcBasis::Volume),
            ..period(InventoryReport::Abc)
        })
        .await;
        assert_eq!(vol.rows[0][1], "POT-C");
        assert_eq!(get(&row(&vol, "POT-C"), "class"), "A");

        // Turnover Nov 1–22 (22 days): A opening 100.00, closing 149.50, average 124.75, COGS 80.50 →
        // 0.65 turns, 34.1 days. Totals: opening 155.00, closing 186.50 (149.50 + 35.00 + 2.00), average
        // 170.75, COGS 98.50 → 0.58 turns, 22 × 170.75 / 98.50 = 38.1 days.
        let t = run(period(InventoryReport::Turnover)).await;
        let ta = row(&t, "TEA-A");
        assert_eq!(
            (
                get(&ta, "opening"),
                get(&ta, "closing"),
                get(&ta, "average"),
                get(&ta, "cogs"),
                get(&ta, "turnover"),
                get(&ta, "days")
            ),
            ("100.00", "149.50", "124.75", "80.50", "0.65", "34.1")
        );
        let tb = row(&t, "CUP-B");
        assert_eq!((get(&tb, "turnover"), get(&tb, "days")), ("0.00", ""));
        let tot = t.totals.as_ref().unwrap();
        assert_eq!(
            &tot[3..],
            ["155.00", "186.50", "170.75", "98.50", "16", "0.58", "38.1"]
        );

        // Ageing on Nov 22: A's 13 units are the 10 of Nov 3 (19 days) and 3 of Sep 1 (82 days):
        // 149.50 × 10/13 = 115.00 in 0–30, the rest 34.50 in 61–90.
        let ag = run(ReportQuery {
            kind: InventoryReport::Ageing,
            ..Default::default()
        })
        .await;
        let aa = row(&ag, "TEA-A");
        assert_eq!(
            (
                get(&aa, "on_hand"),
                get(&aa, "value"),
                get(&aa, "b0"),
                get(&aa, "b1"),
                get(&aa, "b2"),
                get(&aa, "oldest")
            ),
            ("13", "149.50", "115.00", "", "34.50", "2026-09-01")
        );
        // 61–90 days: 34.50 of A, all of B (35.00) and C's last unit (2.00).
        assert_eq!(ag.chart.as_ref().unwrap().values[2], "71.50");
        // Slow-moving: with 30 days, B (never shipped, in since Sep 1: 82 days) is slow; A and C shipped lately.
        let slow = run(ReportQuery {
            kind: InventoryReport::SlowMoving,
            days: Some(30),
            ..Default::default()
        })
        .await;
        let skus: Vec<&str> = slow.rows.iter().map(|r| r[0].as_str()).collect();
        assert_eq!(skus, vec!["CUP-B"]);
        assert_eq!(get(&row(&slow, "CUP-B"), "idle_days"), "82");
        assert_eq!(get(&row(&slow, "CUP-B"), "last_issue"), "从未");
        let slow90 = run(ReportQuery {
            kind: InventoryReport::SlowMoving,
            ..Default::default()
        })
        .await;
        assert!(slow90.rows.is_empty());

        // Every report writes to .xlsx (read back) and PDF.
        let dir = tempfile::tempdir().unwrap();
        for kind in [
            InventoryReport::OnHand,
            InventoryReport::AsOf,
            InventoryReport::Abc,
            InventoryReport::Turnover,
            InventoryReport::Ageing,
            InventoryReport::SlowMoving,
        ] {
            let r = run(ReportQuery {
                kind,
                ..period(kind)
            })
            .await;
            let path = dir.path().join(format!("{}.xlsx", r.key));
            shopdesk_core::report::write_xlsx(&r, &path).unwrap();
            use calamine::{Reader, Xlsx, open_workbook};
            let mut wb: Xlsx<_> = open_workbook(&path).unwrap();
            let sheet = wb.worksheet_range_at(0).unwrap().unwrap();
            assert_eq!(sheet.get_value((0, 0)).unwrap().to_string(), r.title);
            let pdf = shopdesk_core::report::pdf(&r).unwrap();
            assert!(pdf.starts_with(b"%PDF"), "{}", r.key);
        }
        let mv = run(ReportQuery {
            kind: InventoryReport::Movements,
            sku: Some("TEA-A".into()),
            ..Default::default()
        })
        .await;
        // In the order entered, with the running balance: 10, 6, 3, then the backdated 10 → 13, revaluations.
        let balances: Vec<&str> = mv.rows.iter().map(|r| r[8].as_str()).collect();
        assert_eq!(balances.last().copied(), Some("13"));
        assert!(mv.rows.iter().any(|r| r[1] == "成本重估"));
    }
);
