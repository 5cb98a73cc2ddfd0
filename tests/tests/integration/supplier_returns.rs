//! Returns to suppliers (退供单) on both databases: rejected goods wait on the list, go back on a return document
//! (never more than was rejected, even when two people send them at once), stock and payables stay untouched,
//! and the document renders to PDF and .xlsx.

use super::purchase_orders::{po, setup};
use shopdesk_core::ApiError;
use shopdesk_core::auth::Role;
use shopdesk_core::inventory;
use shopdesk_core::procurement::orders::{self, PoAction, ReceiptInput, ReceiptLineInput};
use shopdesk_core::procurement::returns::{self, ReturnLineInput, SupplierReturnInput};
use shopdesk_core::report;
use shopdesk_tests::{TestDb, db_test};

fn code(e: shopdesk_core::procurement::ProcurementError) -> String {
    ApiError::from(e).code
}

fn ret(line: i64, qty: i64) -> SupplierReturnInput {
    SupplierReturnInput {
        lines: vec![ReturnLineInput {
            receipt_line_id: line,
            qty,
        }],
        carrier: "顺丰".into(),
        tracking_no: "SF1234567890".into(),
        notes: String::new(),
    }
}

db_test!(
    rejected_goods_go_back_on_a_return,
    |db: TestDb| async move {
        let (admin, tea, wh) = setup(&db).await;
        let keeper = db.user(&admin, "keeper", Role::Warehouse).await;
        let clerk = db.user(&admin, "clerk", Role::Purchasing).await;
        // 10 teas at 12.3456: 7 accepted, 3 rejected for quality.
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
                    location_code: "A-01".into(),
                    counted: 10,
                    accepted: 7,
                    rejected: 3,
                    reject_reason: "quality".into(),
                }],
            },
        )
        .await
        .unwrap();
        let waiting = orders::rejected_goods(&db.desk, &keeper, None)
            .await
            .unwrap();
        assert_eq!(
            waiting
                .iter()
                .map(|w| (w.sku.as_str(), w.rejected, w.returned, w.pending))
                .collect::<Vec<_>>(),
            vec![("TEA-1", 3, 0, 3)]
        );
        let line = waiting[0].receipt_line_id;

        // Purchasing clerks do not ship goods; more than was rejected is refused; so is nothing.
        let e = returns::create(&db.desk, &clerk, &ret(line, 1))
            .await
            .unwrap_err();
        assert_eq!(code(e), "auth.forbidden");
        let e = returns::create(&db.desk, &keeper, &ret(line, 4))
            .await
            .unwrap_err();
        assert_eq!(code(e), "validation");
        let e = returns::create(&db.desk, &keeper, &ret(line, 0))
            .await
            .unwrap_err();
        assert_eq!(code(e), "validation");

        // Two units go back: 2 × 12.3456 = 24.6912 → 24.69.
        let r = returns::create(&db.desk, &keeper, &ret(line, 2))
            .await
            .unwrap();
        assert!(r.return_no.starts_with("RT-"), "{}", r.return_no);
        assert_eq!(
            (r.supplier_code.as_str(), r.amount.as_str(), r.lines.len()),
            ("GOOD", "24.69", 1)
        );
        assert_eq!(
            (
                r.lines[0].qty,
                r.lines[0].reason.as_str(),
                r.lines[0].po_no.as_str()
            ),
            (2, "quality", p.po_no.as_str())
        );
        let waiting = orders::rejected_goods(&db.desk, &keeper, None)
            .await
            .unwrap();
        assert_eq!((waiting[0].returned, waiting[0].pending), (2, 1));

        // The last unit, sent twice at once: exactly one return takes it.
        let last = ret(line, 1);
        let (a, b) = tokio::join!(
            returns::create(&db.desk, &keeper, &last),
            returns::create(&db.desk, &keeper, &last),
        );
        assert_eq!(
            [a.is_ok(), b.is_ok()].iter().filter(|ok| **ok).count(),
            1,
            "one of two concurrent returns of the last unit succeeds"
        );
        assert!(
            orders::rejected_goods(&db.desk, &keeper, None)
                .await
                .unwrap()
                .is_empty(),
            "nothing is left waiting"
        );
        let all = returns::list(&db.desk, &keeper, Some("GOOD"))
            .await
            .unwrap();
        assert_eq!(all.len(), 2);
        assert_eq!(
            all.iter()
                .flat_map(|r| r.lines.iter().map(|l| l.qty))
                .sum::<i64>(),
            3
        );

        // Stock never held the rejected goods and still does not; the PO line stays outstanding by 3.
        assert_eq!(
            inventory::valuation(&db.desk, tea, wh).await.unwrap(),
            (7, 8_642)
        );
        let check = inventory::check(&db.desk, &admin).await.unwrap();
        assert!(check.ok, "{:?}", check.differences);
        let p = orders::get(&db.desk, &admin, p.id).await.unwrap();
        assert_eq!(
            (p.lines[0].received_qty, p.lines[0].outstanding_qty),
            (7, 3)
        );

        // The document: Chinese PDF and an .xlsx that reads back with the total.
        let doc = returns::document(&db.desk, "zh-CN", &r);
        assert_eq!(doc.rows.len(), 1);
        assert_eq!(doc.totals.as_ref().unwrap()[7], "24.69");
        assert!(doc.title.starts_with("退供单 RT-"));
        let pdf = report::pdf(&doc).unwrap();
        assert!(pdf.starts_with(b"%PDF"));
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("rt.xlsx");
        report::write_xlsx(&doc, &path).unwrap();
        use calamine::{Reader, open_workbook_auto};
        let mut wb = open_workbook_auto(&path).unwrap();
        let sheet = wb.sheet_names()[0].clone();
        let range = wb.worksheet_range(&sheet).unwrap();
        let text: Vec<String> = range.cells().map(|(_, _, c)| c.to_string()).collect();
        assert!(text.iter().any(|c| c.contains("承运商: 顺丰")), "{text:?}");
        assert!(text.iter().any(|c| c == "24.69"), "{text:?}");
    }
);
