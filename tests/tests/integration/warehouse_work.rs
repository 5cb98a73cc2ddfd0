//! The warehouse's work on both databases, as issue 4's "done means" describes it: a PO received with a rejected
//! line, put away to the suggested location, moved, transferred to another warehouse (in transit, then received in
//! two parts with the value carried to the fen), counted with a variance while its locations are frozen, the count
//! approved by a manager, and the ledger check passing with balances and values that agree.

use super::purchase_orders::{po, setup};
use shopdesk_core::ApiError;
use shopdesk_core::auth::Role;
use shopdesk_core::inventory::counts::{self, CountDecision, CountEntry, CountInput};
use shopdesk_core::inventory::warehouse::{
    self, MoveInput, TransferInput, TransferLineInput, TransferReceiptLine,
};
use shopdesk_core::inventory::{self};
use shopdesk_core::masterdata::warehouses::{self, LocationInput, WarehouseInput};
use shopdesk_core::procurement::orders::{self, PoAction, ReceiptInput, ReceiptLineInput};
use shopdesk_tests::{TestDb, db_test};

fn code(e: inventory::InventoryError) -> String {
    ApiError::from(e).code
}

async fn balance(
    db: &TestDb,
    admin: &shopdesk_core::auth::Actor,
    product: i64,
    loc: &str,
) -> (i64, i64) {
    use shopdesk_core::entities::locations;
    use shopdesk_core::sea_orm::{ColumnTrait, EntityTrait, QueryFilter};
    let ids: Vec<i64> = locations::Entity::find()
        .filter(locations::Column::Code.eq(loc))
        .all(db.desk.db())
        .await
        .unwrap()
        .into_iter()
        .map(|l| l.id)
        .collect();
    inventory::balances(&db.desk, admin, product)
        .await
        .unwrap()
        .into_iter()
        .filter(|b| ids.contains(&b.location_id))
        .fold((0, 0), |(q, t), b| (q + b.on_hand, t + b.in_transit))
}

db_test!(
    receive_put_away_transfer_count_and_approve,
    |db: TestDb| async move {
        let (admin, tea, wh) = setup(&db).await;
        let keeper = db.user(&admin, "keeper", Role::Warehouse).await;
        let manager = db.user(&admin, "boss", Role::Manager).await;
        for (code, kind) in [
            ("RCV-1", "receiving"),
            ("A-02", "storage"),
            ("B-01", "storage"),
        ] {
            warehouses::create_location(
                &db.desk,
                &admin,
                &LocationInput {
                    warehouse_id: wh,
                    code: code.into(),
                    zone: String::new(),
                    kind: kind.into(),
                },
            )
            .await
            .unwrap();
        }
        let w2 = warehouses::create(
            &db.desk,
            &admin,
            &WarehouseInput {
                code: "WH2".into(),
                name: "北京仓".into(),
                ..Default::default()
            },
        )
        .await
        .unwrap();
        for (code, kind) in [("R-1", "receiving"), ("S-1", "storage")] {
            warehouses::create_location(
                &db.desk,
                &admin,
                &LocationInput {
                    warehouse_id: w2.id,
                    code: code.into(),
                    zone: String::new(),
                    kind: kind.into(),
                },
            )
            .await
            .unwrap();
        }

        // Receive 10 teas at the receiving location: 9 accepted (9 × 12.3456 = 111.11), 1 rejected.
        let p = orders::create(
            &db.desk,
            &admin,
            &po("GOOD", &[("TEA-1", 10, "12.3456", "13")]),
        )
        .await
        .unwrap();
        for a in [PoAction::Submit, PoAction::Approve, PoAction::Send] {
            orders::transition(&db.desk, &admin, p.id, a).await.unwrap();
        }
        orders::receive(
            &db.desk,
            &keeper,
            &ReceiptInput {
                po_id: p.id,
                notes: String::new(),
                lines: vec![ReceiptLineInput {
                    line_id: p.lines[0].id,
                    location_code: "RCV-1".into(),
                    counted: 10,
                    accepted: 9,
                    rejected: 1,
                    reject_reason: "packaging".into(),
                }],
            },
        )
        .await
        .unwrap();
        assert_eq!(
            inventory::valuation(&db.desk, tea, wh).await.unwrap(),
            (9, 11_111)
        );

        // Putaway: no storage location holds the tea yet, so the first empty one is suggested and used.
        let s = warehouse::suggest_location(&db.desk, &keeper, "WH", "TEA-1", None)
            .await
            .unwrap();
        assert_eq!(
            (s.location_code.as_str(), s.reason.as_str()),
            ("A-01", "empty")
        );
        let m = warehouse::move_stock(
            &db.desk,
            &keeper,
            &MoveInput {
                warehouse_code: "WH".into(),
                sku: "TEA-1".into(),
                from_location: "RCV-1".into(),
                qty: 9,
                ..Default::default()
            },
        )
        .await
        .unwrap();
        assert_eq!(m.to_location, "A-01");
        // Moving more than is there is refused; a move to A-02 leaves the warehouse's value as it was.
        let e = warehouse::move_stock(
            &db.desk,
            &keeper,
            &MoveInput {
                warehouse_code: "WH".into(),
                sku: "TEA-1".into(),
                from_location: "A-01".into(),
                to_location: "A-02".into(),
                qty: 10,
                ..Default::default()
            },
        )
        .await
        .unwrap_err();
        assert_eq!(code(e), "inventory.insufficient_stock");
        warehouse::move_stock(
            &db.desk,
            &keeper,
            &MoveInput {
                warehouse_code: "WH".into(),
                sku: "TEA-1".into(),
                from_location: "A-01".into(),
                to_location: "A-02".into(),
                qty: 2,
                ..Default::default()
            },
        )
        .await
        .unwrap();
        assert_eq!(balance(&db, &admin, tea, "A-01").await, (7, 0));
        assert_eq!(balance(&db, &admin, tea, "RCV-1").await, (0, 0));
        assert_eq!(
            inventory::valuation(&db.desk, tea, wh).await.unwrap(),
            (9, 11_111)
        );
        let s = warehouse::suggest_location(&db.desk, &keeper, "WH", "TEA-1", None)
            .await
            .unwrap();
        assert_eq!(
            (s.location_code.as_str(), s.reason.as_str()),
            ("A-01", "holds_sku")
        );

        // Transfer 4 to WH2: 4/9 of 111.11 = 49.38 leaves WH and is in transit at R-1.
        let t = warehouse::ship_transfer(
            &db.desk,
            &keeper,
            &TransferInput {
                from_warehouse: "WH".into(),
                to_warehouse: "WH2".into(),
                notes: String::new(),
                lines: vec![TransferLineInput {
                    sku: "TEA-1".into(),
                    from_location: "A-01".into(),
                    qty: 4,
                }],
            },
        )
        .await
        .unwrap();
        assert_eq!(
            (
                t.status.as_str(),
                t.lines[0].value.as_str(),
                t.in_transit_value.as_str(),
                t.transit_location.as_str()
            ),
            ("in_transit", "49.38", "49.38", "R-1")
        );
        assert_eq!(
            inventory::valuation(&db.desk, tea, wh).await.unwrap(),
            (5, 6_173)
        );
        assert_eq!(balance(&db, &admin, tea, "R-1").await, (0, 4));
        // Received in two parts: 3 to S-1 take 37.04 (37.035 rounded half away), the last one the rest, 12.34.
        let t = warehouse::receive_transfer(
            &db.desk,
            &keeper,
            &t.transfer_no,
            &[TransferReceiptLine {
                line_no: 1,
                qty: 3,
                to_location: "S-1".into(),
            }],
        )
        .await
        .unwrap();
        assert_eq!(
            (
                t.status.as_str(),
                t.lines[0].received_value.as_str(),
                t.in_transit_value.as_str()
            ),
            ("partially_received", "37.04", "12.34")
        );
        let e = warehouse::receive_transfer(
            &db.desk,
            &keeper,
            &t.transfer_no,
            &[TransferReceiptLine {
                line_no: 1,
                qty: 2,
                to_location: "S-1".into(),
            }],
        )
        .await
        .unwrap_err();
        assert_eq!(ApiError::from(e).details[0].code, "transfer_qty");
        let t = warehouse::receive_transfer(&db.desk, &keeper, &t.transfer_no, &[])
            .await
            .unwrap();
        assert_eq!(
            (t.status.as_str(), t.in_transit_value.as_str()),
            ("received", "0.00")
        );
        assert_eq!(
            inventory::valuation(&db.desk, tea, w2.id).await.unwrap(),
            (4, 4_938)
        );
        assert_eq!(balance(&db, &admin, tea, "S-1").await, (4, 0));
        assert_eq!(balance(&db, &admin, tea, "R-1").await, (0, 0));

        // Count: 3 and 2 expected. While counting they are frozen.
        let c = counts::start_count(
            &db.desk,
            &keeper,
            &CountInput {
                warehouse_code: "WH".into(),
                locations: vec!["A-01".into(), "A-02".into()],
                notes: String::new(),
            },
        )
        .await
        .unwrap();
        let expected: Vec<(String, i64)> = c
            .lines
            .iter()
            .map(|l| (l.location.clone(), l.expected))
            .collect();
        assert_eq!(
            expected,
            vec![("A-01".to_string(), 3), ("A-02".to_string(), 2)]
        );
        let frozen = warehouse::move_stock(
            &db.desk,
            &keeper,
            &MoveInput {
                warehouse_code: "WH".into(),
                sku: "TEA-1".into(),
                from_location: "A-01".into(),
                to_location: "B-01".into(),
                qty: 1,
                ..Default::default()
            },
        )
        .await
        .unwrap_err();
        assert_eq!(code(frozen), "inventory.frozen");
        // A second session over A-02 is refused.
        let busy = counts::start_count(
            &db.desk,
            &keeper,
            &CountInput {
                warehouse_code: "WH".into(),
                locations: vec!["A-02".into()],
                notes: String::new(),
            },
        )
        .await
        .unwrap_err();
        assert_eq!(ApiError::from(busy).details[0].code, "being_counted");
        // A-01 typed: 2 (one short). A-02 scanned three times (one over) and a cup found there.
        let mut entries = vec![CountEntry {
            location: "A-01".into(),
            code: "TEA-1".into(),
            qty: 2,
            add: false,
        }];
        for _ in 0..3 {
            entries.push(CountEntry {
                location: "A-02".into(),
                code: "TEA-1".into(),
                qty: 1,
                add: true,
            });
        }
        entries.push(CountEntry {
            location: "A-02".into(),
            code: "CUP-1".into(),
            qty: 1,
            add: true,
        });
        let c = counts::record_counts(&db.desk, &keeper, &c.count_no, &entries)
            .await
            .unwrap();
        let seen: Vec<(String, String, i64, Option<i64>, i64)> = c
            .lines
            .iter()
            .map(|l| {
                (
                    l.location.clone(),
                    l.sku.clone(),
                    l.expected,
                    l.counted,
                    l.variance,
                )
            })
            .collect();
        assert_eq!(
            seen,
            vec![
                ("A-01".into(), "TEA-1".into(), 3, Some(2), -1),
                ("A-02".into(), "CUP-1".into(), 0, Some(1), 1),
                ("A-02".into(), "TEA-1".into(), 2, Some(3), 1),
            ]
        );
        // One tea lost and one found, each 12.35 at the average of 61.73 / 5: net 0.00.
        assert_eq!(c.lines[0].variance_value, "-12.35");
        assert_eq!(c.variance_value, "0.00");
        let pdf = counts::count_sheet_pdf(&db.desk, &keeper, &c.count_no)
            .await
            .unwrap();
        assert!(pdf.starts_with(b"%PDF"));
        // The warehouse may count but not approve.
        let e = counts::decide_count(&db.desk, &keeper, &c.count_no, CountDecision::Approve)
            .await
            .unwrap_err();
        assert_eq!(code(e), "auth.forbidden");
        let c = counts::decide_count(&db.desk, &manager, &c.count_no, CountDecision::Approve)
            .await
            .unwrap();
        assert_eq!(c.status, "approved");
        assert_eq!(balance(&db, &admin, tea, "A-01").await, (2, 0));
        assert_eq!(balance(&db, &admin, tea, "A-02").await, (3, 0));
        assert_eq!(inventory::valuation(&db.desk, tea, wh).await.unwrap().0, 5);
        // Unfrozen: moves work again; deciding twice is refused.
        warehouse::move_stock(
            &db.desk,
            &keeper,
            &MoveInput {
                warehouse_code: "WH".into(),
                sku: "TEA-1".into(),
                from_location: "A-01".into(),
                to_location: "B-01".into(),
                qty: 1,
                ..Default::default()
            },
        )
        .await
        .unwrap();
        let e = counts::decide_count(&db.desk, &manager, &c.count_no, CountDecision::Cancel)
            .await
            .unwrap_err();
        assert_eq!(code(e), "inventory.doc_status");

        // Ledger, balances and values agree; the value of both warehouses is what was received.
        let check = inventory::check(&db.desk, &admin).await.unwrap();
        assert!(check.ok, "{:?}", check.differences);
        let (_, v1) = inventory::valuation(&db.desk, tea, wh).await.unwrap();
        let (_, v2) = inventory::valuation(&db.desk, tea, w2.id).await.unwrap();
        assert_eq!(
            v1 + v2,
            11_111,
            "no fen created or lost by moves, transfers and a net-zero count"
        );

        // The rejected tea is on the return-to-supplier list.
        let back = orders::rejected_goods(&db.desk, &keeper, Some("GOOD"))
            .await
            .unwrap();
        assert_eq!(
            back.iter()
                .map(|r| (
                    r.sku.as_str(),
                    r.rejected,
                    r.reason.as_str(),
                    r.unit_price.as_str()
                ))
                .collect::<Vec<_>>(),
            vec![("TEA-1", 1, "packaging", "12.3456")]
        );
        // The stock screen and the movement history agree with the balances.
        use shopdesk_core::inventory::reports;
        let page = reports::stock_rows(&db.desk, &keeper, Some("tea"), Some("WH"), 1, 50)
            .await
            .unwrap();
        let rows: Vec<(String, i64)> = page
            .items
            .iter()
            .map(|r| (r.location_code.clone(), r.on_hand))
            .collect();
        assert_eq!(
            rows,
            vec![
                ("A-01".to_string(), 1),
                ("A-02".to_string(), 3),
                ("B-01".to_string(), 1)
            ]
        );
        let history = reports::movements(&db.desk, &keeper, "TEA-1", 100)
            .await
            .unwrap();
        assert_eq!(history.first().map(|m| m.kind.as_str()), Some("move_in"));
        assert_eq!(history.last().map(|m| m.kind.as_str()), Some("receipt"));
        let kinds: std::collections::BTreeSet<&str> =
            history.iter().map(|m| m.kind.as_str()).collect();
        for k in [
            "transfer_out",
            "in_transit",
            "transfer_in",
            "adjust",
            "move_out",
        ] {
            assert!(kinds.contains(k), "{k} missing from {kinds:?}");
        }
    }
);

db_test!(
    safety_stock_alerts_count_what_is_on_order,
    |db: TestDb| async move {
        let (admin, tea, _wh) = setup(&db).await;
        use shopdesk_core::inventory::reports;
        use shopdesk_core::masterdata::products;
        products::update(
            &db.desk,
            &admin,
            tea,
            &products::ProductInput {
                sku: "TEA-1".into(),
                name: "绿茶 250g".into(),
                unit: "个".into(),
                safety_stock: 20,
                ..Default::default()
            },
        )
        .await
        .unwrap();
        // Nothing in stock: 20 short and nothing on order.
        let a = reports::alerts(&db.desk, &admin).await.unwrap();
        assert_eq!(
            a.iter()
                .map(|x| (x.sku.as_str(), x.shortfall, x.on_order, x.needs_order))
                .collect::<Vec<_>>(),
            vec![("TEA-1", 20, 0, true)]
        );
        // 25 on an approved order: still short on the shelf, but no new order is needed.
        let o = orders::create(&db.desk, &admin, &po("GOOD", &[("TEA-1", 25, "1", "0")]))
            .await
            .unwrap();
        for s in [PoAction::Submit, PoAction::Approve] {
            orders::transition(&db.desk, &admin, o.id, s).await.unwrap();
        }
        let a = reports::alerts(&db.desk, &admin).await.unwrap();
        assert_eq!((a[0].on_order, a[0].needs_order), (25, false));
    }
);
