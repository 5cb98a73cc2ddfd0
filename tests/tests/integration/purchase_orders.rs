//! Purchase orders through their whole life on both databases: amounts exact to the fen, qualification and
//! approval limits enforced in the core, receipt with a rejected line posted to the stock ledger, over-receipt
//! tolerance, the chasing list, and the ledger check afterwards.

use shopdesk_core::ApiError;
use shopdesk_core::auth::{Actor, Role};
use shopdesk_core::inventory;
use shopdesk_core::masterdata::products::{self, ProductInput};
use shopdesk_core::masterdata::suppliers::{self, SupplierInput};
use shopdesk_core::masterdata::warehouses::{self, LocationInput, WarehouseInput};
use shopdesk_core::procurement::orders::{
    self, PoAction, PoInput, PoLineInput, ReceiptInput, ReceiptLineInput,
};
use shopdesk_tests::{TestDb, db_test};

pub(crate) async fn setup(db: &TestDb) -> (Actor, i64, i64) {
    let admin = db.admin().await;
    let mut ids = Vec::new();
    for (sku, name) in [("TEA-1", "绿茶 250g"), ("CUP-1", "玻璃杯")] {
        ids.push(
            products::create(
                &db.desk,
                &admin,
                &ProductInput {
                    sku: sku.into(),
                    name: name.into(),
                    unit: "个".into(),
                    ..Default::default()
                },
            )
            .await
            .unwrap()
            .id,
        );
    }
    for (code, q) in [("GOOD", "approved"), ("NEW", "candidate")] {
        suppliers::create(
            &db.desk,
            &admin,
            &SupplierInput {
                code: code.into(),
                name: format!("{code} 供应商"),
                contact_name: "张经理".into(),
                phone: "13800000000".into(),
                qualification: q.into(),
                ..Default::default()
            },
        )
        .await
        .unwrap();
    }
    let w = warehouses::create(
        &db.desk,
        &admin,
        &WarehouseInput {
            code: "WH".into(),
            name: "主仓".into(),
            ..Default::default()
        },
    )
    .await
    .unwrap();
    warehouses::create_location(
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
    (admin, ids[0], w.id)
}

pub(crate) fn po(supplier: &str, lines: &[(&str, i64, &str, &str)]) -> PoInput {
    PoInput {
        supplier_code: supplier.into(),
        warehouse_code: "WH".into(),
        expected_date: chrono::NaiveDate::from_ymd_opt(2026, 11, 30),
        lines: lines
            .iter()
            .map(|(sku, qty, price, tax)| PoLineInput {
                sku: sku.to_string(),
                qty: *qty,
                unit_price: price.to_string(),
                tax_rate: tax.to_string(),
                expected_date: None,
            })
            .collect(),
        ..Default::default()
    }
}

fn code(e: shopdesk_core::procurement::ProcurementError) -> String {
    ApiError::from(e).code
}

db_test!(
    purchase_order_from_draft_to_closed,
    |db: TestDb| async move {
        let (admin, tea, wh) = setup(&db).await;
        let clerk = db.user(&admin, "clerk", Role::Purchasing).await;
        let manager = db.user(&admin, "boss", Role::Manager).await;
        let keeper = db.user(&admin, "keeper", Role::Warehouse).await;

        // 100 × 12.3456 = 1234.56, tax 13% = 160.49 (160.4928); 3 × 0.335 = 1.005 → 1.01, tax 0.13.
        let p = orders::create(
            &db.desk,
            &clerk,
            &po(
                "GOOD",
                &[("TEA-1", 100, "12.3456", "13"), ("CUP-1", 3, "0.335", "13")],
            ),
        )
        .await
        .unwrap();
        assert!(p.po_no.starts_with("PO-20261122-"));
        assert_eq!(p.status, "draft");
        assert_eq!(
            (
                p.lines[0].net_amount.as_str(),
                p.lines[0].tax_amount.as_str()
            ),
            ("1234.56", "160.49")
        );
        assert_eq!(
            (
                p.lines[1].net_amount.as_str(),
                p.lines[1].tax_amount.as_str()
            ),
            ("1.01", "0.13")
        );
        assert_eq!(
            (
                p.net_amount.as_str(),
                p.tax_amount.as_str(),
                p.total_amount.as_str()
            ),
            ("1235.57", "160.62", "1396.19")
        );

        // Bad lines are reported field by field.
        let e = orders::create(&db.desk, &clerk, &po("GOOD", &[("NOPE", 0, "x", "200")]))
            .await
            .unwrap_err();
        let e = ApiError::from(e);
        let fields: Vec<&str> = e.details.iter().map(|d| d.field.as_str()).collect();
        assert_eq!(
            fields,
            vec![
                "lines.0.sku",
                "lines.0.qty",
                "lines.0.unit_price",
                "lines.0.tax_rate"
            ]
        );

        // A candidate supplier cannot be sent a purchase order.
        let c = orders::create(&db.desk, &clerk, &po("NEW", &[("TEA-1", 1, "1", "0")]))
            .await
            .unwrap();
        assert_eq!(
            code(
                orders::transition(&db.desk, &clerk, c.id, PoAction::Submit)
                    .await
                    .unwrap_err()
            ),
            "procurement.supplier_not_approved"
        );

        // Receiving before sending is refused; the clerk's limit (10,000.00) does not cover a large order.
        orders::transition(&db.desk, &clerk, p.id, PoAction::Submit)
            .await
            .unwrap();
        let big = orders::create(
            &db.desk,
            &clerk,
            &po("GOOD", &[("TEA-1", 1000, "12", "13")]),
        )
        .await
        .unwrap();
        orders::transition(&db.desk, &clerk, big.id, PoAction::Submit)
            .await
            .unwrap();
        assert_eq!(
            code(
                orders::transition(&db.desk, &clerk, big.id, PoAction::Approve)
                    .await
                    .unwrap_err()
            ),
            "procurement.approval_limit"
        );
        // An order in another currency is not within the clerk's CNY limit, however small.
        let mut usd = po("GOOD", &[("TEA-1", 1, "1", "0")]);
        usd.currency = Some("USD".into());
        let usd = orders::create(&db.desk, &clerk, &usd).await.unwrap();
        orders::transition(&db.desk, &clerk, usd.id, PoAction::Submit)
            .await
            .unwrap();
        assert_eq!(
            code(
                orders::transition(&db.desk, &clerk, usd.id, PoAction::Approve)
                    .await
                    .unwrap_err()
            ),
            "procurement.approval_limit"
        );
        let big = orders::transition(&db.desk, &manager, big.id, PoAction::Approve)
            .await
            .unwrap();
        assert_eq!(big.approved_by.as_deref(), Some("boss"));
        // The warehouse may not approve at all.
        assert_eq!(
            code(
                orders::transition(&db.desk, &keeper, p.id, PoAction::Approve)
                    .await
                    .unwrap_err()
            ),
            "auth.forbidden"
        );
        let p = orders::transition(&db.desk, &clerk, p.id, PoAction::Approve)
            .await
            .unwrap();
        assert_eq!(p.status, "approved");
        let p = orders::transition(&db.desk, &clerk, p.id, PoAction::Send)
            .await
            .unwrap();
        assert_eq!(p.status, "sent");
        assert!(p.sent_at.is_some());

        // First receipt: 60 teas counted, 55 accepted, 5 rejected for quality; cups not yet.
        let r = orders::receive(
            &db.desk,
            &keeper,
            &ReceiptInput {
                po_id: p.id,
                notes: String::new(),
                lines: vec![ReceiptLineInput {
                    line_id: p.lines[0].id,
                    location_code: "A-01".into(),
                    counted: 60,
                    accepted: 55,
                    rejected: 5,
                    reject_reason: "quality".into(),
                }],
            },
        )
        .await
        .unwrap();
        assert_eq!(
            (r.po_status.as_str(), r.accepted, r.rejected),
            ("partially_received", 55, 5)
        );
        let p = orders::get(&db.desk, &admin, p.id).await.unwrap();
        assert_eq!(
            (
                p.lines[0].received_qty,
                p.lines[0].rejected_qty,
                p.lines[0].outstanding_qty
            ),
            (55, 5, 45)
        );
        // Stock and value: 55 × 12.3456 = 679.008 → 679.01.
        let b = inventory::balances(&db.desk, &admin, tea).await.unwrap();
        assert_eq!(b[0].on_hand, 55);
        assert_eq!(
            inventory::valuation(&db.desk, tea, wh).await.unwrap(),
            (55, 67_901)
        );

        // Counted must equal accepted + rejected; a rejection needs a reason; over-receipt beyond 10% is refused.
        let bad = |accepted, rejected, reason: &str| ReceiptInput {
            po_id: p.id,
            notes: String::new(),
            lines: vec![ReceiptLineInput {
                line_id: p.lines[0].id,
                location_code: "A-01".into(),
                counted: accepted + rejected,
                accepted,
                rejected,
                reject_reason: reason.into(),
            }],
        };
        let e = ApiError::from(
            orders::receive(&db.desk, &keeper, &bad(56, 0, ""))
                .await
                .unwrap_err(),
        );
        assert_eq!(e.details[0].code, "over_receipt");
        let e = ApiError::from(
            orders::receive(&db.desk, &keeper, &bad(1, 1, ""))
                .await
                .unwrap_err(),
        );
        assert_eq!(e.details[0].code, "one_of");
        // The same line twice in one receipt would count it twice: refused.
        let mut twice = bad(1, 0, "");
        twice.lines.push(twice.lines[0].clone());
        let e = ApiError::from(
            orders::receive(&db.desk, &keeper, &twice)
                .await
                .unwrap_err(),
        );
        assert_eq!(e.details[0].code, "duplicate");

        // The rest (within tolerance: 45 + 5 extra) and the cups: received; then closed.
        let r = orders::receive(
            &db.desk,
            &keeper,
            &ReceiptInput {
                po_id: p.id,
                notes: "第二批".into(),
                lines: vec![
                    ReceiptLineInput {
                        line_id: p.lines[0].id,
                        location_code: "A-01".into(),
                        counted: 50,
                        accepted: 50,
                        rejected: 0,
                        reject_reason: String::new(),
                    },
                    ReceiptLineInput {
                        line_id: p.lines[1].id,
                        location_code: "A-01".into(),
                        counted: 3,
                        accepted: 3,
                        rejected: 0,
                        reject_reason: String::new(),
                    },
                ],
            },
        )
        .await
        .unwrap();
        assert_eq!(r.po_status, "received");
        assert_eq!(
            inventory::balances(&db.desk, &admin, tea).await.unwrap()[0].on_hand,
            105
        );
        let p = orders::transition(&db.desk, &clerk, p.id, PoAction::Close)
            .await
            .unwrap();
        assert_eq!(p.status, "closed");
        assert_eq!(
            code(
                orders::transition(&db.desk, &clerk, p.id, PoAction::Cancel)
                    .await
                    .unwrap_err()
            ),
            "procurement.po_status"
        );

        let check = inventory::check(&db.desk, &admin).await.unwrap();
        assert!(check.ok, "{:?}", check.differences);

        // The documents for the supplier: a PDF with the Chinese font embedded as a subset (small), and an .xlsx
        // whose totals carry the amount in capital numerals.
        let note = shopdesk_core::procurement::po_doc::receipt_pdf(&db.desk, &admin, &r.receipt_no)
            .await
            .unwrap();
        assert!(note.starts_with(b"%PDF") && note.len() < 300_000);
        let pdf = shopdesk_core::procurement::po_doc::pdf(&db.desk, &admin, p.id)
            .await
            .unwrap();
        assert!(pdf.starts_with(b"%PDF"));
        assert!(
            pdf.len() < 300_000,
            "the font is subsetted: {} bytes",
            pdf.len()
        );
        let xlsx = db.dir.path().join("po.xlsx");
        shopdesk_core::procurement::po_doc::xlsx(&db.desk, &admin, p.id, &xlsx)
            .await
            .unwrap();
        use calamine::Reader;
        let mut wb: calamine::Xlsx<_> = calamine::open_workbook(&xlsx).unwrap();
        let sheet = wb.worksheet_range_at(0).unwrap().unwrap();
        let texts: Vec<String> = sheet.rows().flatten().map(|c| c.to_string()).collect();
        assert!(texts.contains(&p.po_no));
        assert!(
            texts.contains(&"壹仟叁佰玖拾陆元壹角玖分".to_string()),
            "{texts:?}"
        );
        assert!(texts.contains(&"TEA-1".to_string()));
        db.close().await;
    }
);

db_test!(
    chasing_list_shows_late_lines_and_takes_a_new_promise,
    |db: TestDb| async move {
        let (admin, _, _) = setup(&db).await;
        let p = orders::create(
            &db.desk,
            &admin,
            &po("GOOD", &[("TEA-1", 10, "5", "13"), ("CUP-1", 5, "2", "13")]),
        )
        .await
        .unwrap();
        for a in [PoAction::Submit, PoAction::Approve, PoAction::Send] {
            orders::transition(&db.desk, &admin, p.id, a).await.unwrap();
        }
        // Expected 2026-11-30; today is 2026-11-22: due in 8 days, not in the 3-day list yet.
        assert!(
            orders::chase_list(&db.desk, &admin, 3)
                .await
                .unwrap()
                .is_empty()
        );
        db.clock.advance(chrono::Duration::days(10));
        let list = orders::chase_list(&db.desk, &admin, 3).await.unwrap();
        assert_eq!(list.len(), 2);
        assert_eq!(
            (list[0].days_left, list[0].phone.as_str()),
            (Some(-2), "13800000000")
        );
        let c = orders::mark_chased(
            &db.desk,
            &admin,
            list[0].line_id,
            "供应商说下周一发货",
            chrono::NaiveDate::from_ymd_opt(2026, 12, 7),
        )
        .await
        .unwrap();
        assert_eq!(c.due, chrono::NaiveDate::from_ymd_opt(2026, 12, 7));
        assert_eq!(c.days_left, Some(5));
        assert!(c.chased_at.is_some());
        // Cancelling an order with nothing received takes it off the list.
        orders::transition(&db.desk, &admin, p.id, PoAction::Cancel)
            .await
            .unwrap();
        assert!(
            orders::chase_list(&db.desk, &admin, 30)
                .await
                .unwrap()
                .is_empty()
        );
        db.close().await;
    }
);

db_test!(
    scorecard_is_computed_from_the_records,
    |db: TestDb| async move {
        use shopdesk_core::imports::Control;
        use shopdesk_core::procurement::{price_sheets, scorecard};
        let (admin, _, _) = setup(&db).await;
        suppliers::create(
            &db.desk,
            &admin,
            &SupplierInput {
                code: "ALT".into(),
                name: "ALT 供应商".into(),
                qualification: "approved".into(),
                ..Default::default()
            },
        )
        .await
        .unwrap();
        let d = |day| chrono::NaiveDate::from_ymd_opt(2026, 11, day);
        let mut a = po("GOOD", &[("TEA-1", 10, "5", "13")]);
        a.expected_date = d(25);
        let mut b = po("GOOD", &[("CUP-1", 5, "2", "13")]);
        b.expected_date = d(23);
        let (a, b) = (
            orders::create(&db.desk, &admin, &a).await.unwrap(),
            orders::create(&db.desk, &admin, &b).await.unwrap(),
        );
        for id in [a.id, b.id] {
            for s in [PoAction::Submit, PoAction::Approve, PoAction::Send] {
                orders::transition(&db.desk, &admin, id, s).await.unwrap();
            }
        }
        let receive = |accepted, rejected, reason: &str| ReceiptInput {
            po_id: a.id,
            notes: String::new(),
            lines: vec![ReceiptLineInput {
                line_id: a.lines[0].id,
                location_code: "A-01".into(),
                counted: accepted + rejected,
                accepted,
                rejected,
                reject_reason: reason.into(),
            }],
        };
        // Day 0: 8 good, 2 rejected; day 2: the last 2 — in full before the 25th. The cups never come.
        orders::receive(&db.desk, &admin, &receive(8, 2, "quality"))
            .await
            .unwrap();
        db.clock.advance(chrono::Duration::days(2));
        orders::receive(&db.desk, &admin, &receive(2, 0, ""))
            .await
            .unwrap();
        // Prices: GOOD quotes TEA-1 at 10.00, ALT at 12.00 (average 11.00).
        for (code, price) in [("GOOD", "10.00"), ("ALT", "12.00")] {
            let p = db.dir.path().join(format!("{code}.csv"));
            std::fs::write(&p, format!("我方编码,品名,单价\nTEA-1,绿茶,{price}\n")).unwrap();
            price_sheets::import(
                &db.desk,
                &admin,
                &p,
                code,
                &Default::default(),
                &Control::new(),
            )
            .await
            .unwrap();
        }
        db.clock.advance(chrono::Duration::days(2));
        let cards = scorecard::scorecards(&db.desk, &admin, d(1).unwrap(), d(30).unwrap())
            .await
            .unwrap();
        let good = cards.iter().find(|c| c.supplier_code == "GOOD").unwrap();
        assert_eq!((good.orders, good.lines_due, good.lines_on_time), (2, 2, 1));
        assert_eq!(good.on_time_rate.as_deref(), Some("50.0"));
        assert_eq!(
            (good.accepted, good.rejected, good.pass_rate.as_deref()),
            (10, 2, Some("83.3"))
        );
        assert_eq!(good.avg_lead_days.as_deref(), Some("1.0"));
        assert_eq!(
            (good.price_index.as_deref(), good.skus_compared),
            (Some("90.9"), 1)
        );
        let alt = cards.iter().find(|c| c.supplier_code == "ALT").unwrap();
        assert_eq!(
            (alt.price_index.as_deref(), alt.on_time_rate.as_deref()),
            (Some("109.1"), None)
        );
        db.close().await;
    }
);

db_test!(
    purchase_plan_from_stock_velocity_and_prices,
    |db: TestDb| async move {
        use shopdesk_core::entities::locations;
        use shopdesk_core::imports::Control;
        use shopdesk_core::inventory::{Movement, MovementKind};
        use shopdesk_core::procurement::planning::{self, PlanOptions, PlannedLine};
        use shopdesk_core::procurement::price_sheets;
        use shopdesk_core::sea_orm::{ColumnTrait, EntityTrait, QueryFilter};
        let (admin, _, _) = setup(&db).await;
        let plan_id = products::create(
            &db.desk,
            &admin,
            &ProductInput {
                sku: "PLAN-1".into(),
                name: "计划品".into(),
                unit: "个".into(),
                safety_stock: 10,
                ..Default::default()
            },
        )
        .await
        .unwrap()
        .id;
        let loc = locations::Entity::find()
            .filter(locations::Column::Code.eq("A-01"))
            .one(db.desk.db())
            .await
            .unwrap()
            .unwrap()
            .id;
        // 65 in, 60 shipped in the last 30 days: 2 a day, 5 left.
        inventory::adjust(
            &db.desk,
            &admin,
            plan_id,
            loc,
            65,
            Some(shopdesk_core::money::UnitPrice::parse("9").unwrap()),
            "opening",
        )
        .await
        .unwrap();
        let txn = db.desk.write_txn().await.unwrap();
        inventory::post(
            &db.desk,
            &txn,
            &admin,
            &[Movement {
                kind: MovementKind::Ship,
                product_id: plan_id,
                location_id: loc,
                qty: -60,
                reserved: 0,
                in_transit: 0,
                unit_cost: None,
                value: None,
                doc_type: "shipment".into(),
                doc_no: "SO-1".into(),
                doc_line: None,
                note: String::new(),
            }],
        )
        .await
        .unwrap();
        txn.commit().await.unwrap();
        suppliers::create(
            &db.desk,
            &admin,
            &SupplierInput {
                code: "ALT".into(),
                name: "ALT".into(),
                qualification: "approved".into(),
                ..Default::default()
            },
        )
        .await
        .unwrap();
        for (code, body) in [
            ("GOOD", "我方编码,品名,单价,交期\nPLAN-1,计划品,10.00,5\n"),
            ("ALT", "我方编码,品名,单价,交期\nPLAN-1,计划品,12.00,2\n"),
        ] {
            let p = db.dir.path().join(format!("{code}.csv"));
            std::fs::write(&p, body).unwrap();
            price_sheets::import(
                &db.desk,
                &admin,
                &p,
                code,
                &Default::default(),
                &Control::new(),
            )
            .await
            .unwrap();
        }
        // Reorder point ⌈2 × 5⌉ + 10 = 20 > 5 projected: buy ⌈2 × (5 + 14)⌉ + 10 − 5 = 43 from the cheaper GOOD.
        let plan = planning::suggestions(&db.desk, &admin, &PlanOptions::default())
            .await
            .unwrap();
        assert_eq!(plan.len(), 1, "{plan:?}");
        assert_eq!(plan[0].supplier_code, "GOOD");
        let s = &plan[0].lines[0];
        assert_eq!(
            (
                s.sku.as_str(),
                s.velocity.as_str(),
                s.reorder_point,
                s.suggested_qty
            ),
            ("PLAN-1", "2.00", 20, 43)
        );
        assert_eq!(s.unit_price.as_deref(), Some("10.00"));
        let po = planning::to_draft_po(
            &db.desk,
            &admin,
            "GOOD",
            "WH",
            None,
            &[PlannedLine {
                sku: "PLAN-1".into(),
                qty: 43,
            }],
        )
        .await
        .unwrap();
        assert_eq!(
            (po.status.as_str(), po.total_amount.as_str()),
            ("draft", "485.90")
        );
        // Once submitted it is on order: nothing more to suggest.
        orders::transition(&db.desk, &admin, po.id, PoAction::Submit)
            .await
            .unwrap();
        assert!(
            planning::suggestions(&db.desk, &admin, &PlanOptions::default())
                .await
                .unwrap()
                .is_empty()
        );
        db.close().await;
    }
);
