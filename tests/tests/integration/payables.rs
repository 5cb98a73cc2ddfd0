//! Payables on both databases: invoices matched three ways against PO lines and receipts (within tolerance →
//! payable; price, tax-rate, quantity or amount variances → held for a manager), duplicate invoice numbers refused,
//! payments applied oldest due first or explicitly with the rest kept as an advance, ageing as of any date, the
//! supplier statement, the editable approval limit and tolerances, and the payables check afterwards.

use super::purchase_orders::{po, setup};
use chrono::NaiveDate;
use shopdesk_core::ApiError;
use shopdesk_core::auth::Role;
use shopdesk_core::listing::ListQuery;
use shopdesk_core::procurement::orders::{self, PoAction, ReceiptInput, ReceiptLineInput};
use shopdesk_core::procurement::payables::{
    self, AllocationInput, InvoiceDecision, InvoiceInput, InvoiceLineInput, PaymentInput,
};
use shopdesk_core::settings::{self, ProcurementSettings};
use shopdesk_tests::{TestDb, db_test};

fn code(e: shopdesk_core::procurement::ProcurementError) -> String {
    ApiError::from(e).code
}

fn day(y: i32, m: u32, d: u32) -> Option<NaiveDate> {
    NaiveDate::from_ymd_opt(y, m, d)
}

fn invoice(po_id: i64, no: &str, lines: &[(i64, i64, &str)]) -> InvoiceInput {
    InvoiceInput {
        po_id,
        invoice_no: no.into(),
        invoice_date: day(2026, 11, 20),
        lines: lines
            .iter()
            .map(|(line, qty, price)| InvoiceLineInput {
                po_line_id: *line,
                qty: *qty,
                unit_price: price.to_string(),
                tax_rate: String::new(),
            })
            .collect(),
        ..Default::default()
    }
}

db_test!(
    invoice_match_payments_ageing_and_statement,
    |db: TestDb| async move {
        let (admin, _tea, _wh) = setup(&db).await;
        let clerk = db.user(&admin, "clerk", Role::Purchasing).await;
        let manager = db.user(&admin, "boss", Role::Manager).await;
        let keeper = db.user(&admin, "keeper", Role::Warehouse).await;
        let finance = db.user(&admin, "money", Role::Finance).await;

        // 1235.57 + 160.62 = 1396.19; the clerk's approval limit is a setting.
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
        orders::transition(&db.desk, &clerk, p.id, PoAction::Submit)
            .await
            .unwrap();
        settings::update_procurement(
            &db.desk,
            &admin,
            ProcurementSettings {
                purchasing_approval_limit: "1000".into(),
                ..Default::default()
            },
        )
        .await
        .unwrap();
        assert_eq!(
            code(
                orders::transition(&db.desk, &clerk, p.id, PoAction::Approve)
                    .await
                    .unwrap_err()
            ),
            "procurement.approval_limit"
        );
        let saved = settings::update_procurement(
            &db.desk,
            &admin,
            ProcurementSettings {
                purchasing_approval_limit: "2000".into(),
                ..Default::default()
            },
        )
        .await
        .unwrap();
        assert_eq!(saved.purchasing_approval_limit, "2000.00");
        let bad = settings::update_procurement(
            &db.desk,
            &admin,
            ProcurementSettings {
                purchasing_approval_limit: "-1".into(),
                invoice_price_tolerance_pct: "abc".into(),
                invoice_amount_tolerance: "1.001".into(),
            },
        )
        .await
        .unwrap_err();
        assert_eq!(ApiError::from(bad).details.len(), 3);
        orders::transition(&db.desk, &clerk, p.id, PoAction::Approve)
            .await
            .unwrap();

        // An invoice before the order was sent is refused.
        assert_eq!(
            code(
                payables::record_invoice(
                    &db.desk,
                    &finance,
                    &invoice(p.id, "F1", &[(p.lines[0].id, 1, "")])
                )
                .await
                .unwrap_err()
            ),
            "procurement.po_status"
        );
        let p = orders::transition(&db.desk, &clerk, p.id, PoAction::Send)
            .await
            .unwrap();
        // Received: 65 teas counted, 60 accepted, 5 rejected; 3 cups.
        orders::receive(
            &db.desk,
            &keeper,
            &ReceiptInput {
                po_id: p.id,
                notes: String::new(),
                lines: vec![
                    ReceiptLineInput {
                        line_id: p.lines[0].id,
                        location_code: "A-01".into(),
                        counted: 65,
                        accepted: 60,
                        rejected: 5,
                        reject_reason: "quality".into(),
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
        let (tea, cup) = (p.lines[0].id, p.lines[1].id);

        // The warehouse may not record invoices.
        assert_eq!(
            code(
                payables::record_invoice(&db.desk, &keeper, &invoice(p.id, "F1", &[(tea, 60, "")]))
                    .await
                    .unwrap_err()
            ),
            "auth.forbidden"
        );
        // Invoice 1: the 60 accepted teas at the PO price: 740.74 + 96.30 = 837.04 → matched, payable.
        let mut i1 = invoice(p.id, "F-0001", &[(tea, 60, "")]);
        i1.invoice_date = day(2026, 9, 1);
        i1.due_date = day(2026, 10, 1);
        let i1 = payables::record_invoice(&db.desk, &finance, &i1)
            .await
            .unwrap();
        assert!(i1.doc_no.starts_with("PI-20261122-"));
        assert_eq!(
            (
                i1.status.as_str(),
                i1.net_amount.as_str(),
                i1.tax_amount.as_str(),
                i1.total_amount.as_str(),
                i1.variance.as_str(),
                i1.payment_status.as_str()
            ),
            ("matched", "740.74", "96.30", "837.04", "0.00", "unpaid")
        );
        assert!(i1.issues.is_empty());
        // The same supplier invoice number again is refused.
        assert_eq!(
            code(
                payables::record_invoice(
                    &db.desk,
                    &finance,
                    &invoice(p.id, "F-0001", &[(cup, 1, "")])
                )
                .await
                .unwrap_err()
            ),
            "procurement.duplicate_invoice"
        );

        // Invoice 2: 10 more teas (none left unbilled) at 12.50 (1.25% over): held with every reason.
        let i2 = payables::record_invoice(
            &db.desk,
            &finance,
            &invoice(p.id, "F-0002", &[(tea, 10, "12.50")]),
        )
        .await
        .unwrap();
        assert_eq!(i2.status, "held");
        assert_eq!(
            i2.issues,
            vec!["amount", "line 1: price", "line 1: qty_not_received"]
        );
        assert_eq!(
            (i2.lines[0].received_qty, i2.lines[0].invoiced_before),
            (60, 60)
        );
        assert_eq!(i2.payment_status, "not_payable");
        // The mismatch queue holds it; finance cannot decide it; a manager must give a reason.
        let held = payables::list_invoices(
            &db.desk,
            &finance,
            &ListQuery {
                status: Some("held".into()),
                ..Default::default()
            },
            None,
        )
        .await
        .unwrap();
        assert_eq!(held.total, 1);
        assert_eq!(
            code(
                payables::decide_invoice(&db.desk, &finance, i2.id, InvoiceDecision::Reject, "x")
                    .await
                    .unwrap_err()
            ),
            "auth.forbidden"
        );
        assert_eq!(
            code(
                payables::decide_invoice(&db.desk, &manager, i2.id, InvoiceDecision::Reject, " ")
                    .await
                    .unwrap_err()
            ),
            "validation"
        );
        let i2 = payables::decide_invoice(
            &db.desk,
            &manager,
            i2.id,
            InvoiceDecision::Reject,
            "数量未到货，价格不符",
        )
        .await
        .unwrap();
        assert_eq!(
            (i2.status.as_str(), i2.decided_by.as_deref()),
            ("rejected", Some("boss"))
        );
        // Deciding twice is refused.
        assert_eq!(
            code(
                payables::decide_invoice(&db.desk, &manager, i2.id, InvoiceDecision::Approve, "ok")
                    .await
                    .unwrap_err()
            ),
            "procurement.doc_status"
        );

        // Invoice 3: the 3 cups at 0.34 (1.49% over the PO's 0.335): 1.02 + 0.13 = 1.15 against 1.14 expected.
        // The amount is within 5.00, the price is not: held for the price only; the manager accepts it.
        let i3 = payables::record_invoice(
            &db.desk,
            &finance,
            &invoice(p.id, "F-0003", &[(cup, 3, "0.34")]),
        )
        .await
        .unwrap();
        assert_eq!(
            (i3.status.as_str(), i3.issues.clone(), i3.variance.as_str()),
            ("held", vec!["line 2: price".to_string()], "0.01")
        );
        let i3 = payables::decide_invoice(
            &db.desk,
            &manager,
            i3.id,
            InvoiceDecision::Approve,
            "供应商涨价已确认",
        )
        .await
        .unwrap();
        assert_eq!(i3.status, "approved");

        // Payment 1: 500.00, applied oldest due first → all to invoice 1.
        let pay1 = payables::record_payment(
            &db.desk,
            &finance,
            &PaymentInput {
                supplier_code: "GOOD".into(),
                amount: "500".into(),
                method: "bank".into(),
                reference: "BANK-77".into(),
                ..Default::default()
            },
        )
        .await
        .unwrap();
        assert_eq!(pay1.allocations.len(), 1);
        assert_eq!(
            (
                pay1.allocations[0].invoice_doc_no.as_str(),
                pay1.allocations[0].amount.as_str(),
                pay1.unallocated.as_str()
            ),
            (i1.doc_no.as_str(), "500.00", "0.00")
        );
        // Applying more than an invoice's open amount is refused, nothing is written.
        let e = payables::record_payment(
            &db.desk,
            &finance,
            &PaymentInput {
                supplier_code: "GOOD".into(),
                amount: "400".into(),
                method: "bank".into(),
                allocations: vec![AllocationInput {
                    invoice_doc_no: i3.doc_no.clone(),
                    amount: "1.16".into(),
                }],
                ..Default::default()
            },
        )
        .await
        .unwrap_err();
        assert_eq!(
            ApiError::from(e).details[0].field,
            "allocations.0.amount".to_string()
        );
        // Payment 2: 400.00 applied to invoice 3 only (1.15); 398.85 stays as an advance.
        let pay2 = payables::record_payment(
            &db.desk,
            &finance,
            &PaymentInput {
                supplier_code: "GOOD".into(),
                amount: "400".into(),
                method: "alipay".into(),
                allocations: vec![AllocationInput {
                    invoice_doc_no: i3.doc_no.clone(),
                    amount: "1.15".into(),
                }],
                ..Default::default()
            },
        )
        .await
        .unwrap();
        assert_eq!(pay2.unallocated, "398.85");
        let i1 = payables::get_invoice(&db.desk, &finance, i1.id)
            .await
            .unwrap();
        assert_eq!(
            (
                i1.paid_amount.as_str(),
                i1.open_amount.as_str(),
                i1.payment_status.as_str()
            ),
            ("500.00", "337.04", "partially_paid")
        );

        // Ageing today (2026-11-22): invoice 1 due 2026-10-01 is 52 days late; the advance nets it.
        let a = payables::ageing(&db.desk, &finance, None).await.unwrap();
        assert_eq!(a.rows.len(), 1);
        let r = &a.rows[0];
        assert_eq!(
            (
                r.current.as_str(),
                r.days_1_30.as_str(),
                r.days_31_60.as_str(),
                r.open_total.as_str(),
                r.unapplied.as_str(),
                r.balance.as_str(),
                r.open_invoices
            ),
            ("0.00", "0.00", "337.04", "337.04", "398.85", "-61.81", 1)
        );
        // As of 2026-09-15 only invoice 1 existed, not yet due and not yet paid.
        let a = payables::ageing(&db.desk, &finance, day(2026, 9, 15))
            .await
            .unwrap();
        assert_eq!(
            (a.rows[0].current.as_str(), a.rows[0].balance.as_str()),
            ("837.04", "837.04")
        );

        // The statement runs through the ledger: +837.04 (09-01), +1.15, −500, −400 → −61.81, the ageing balance.
        let s = payables::statement(&db.desk, &finance, "GOOD", None, None, None)
            .await
            .unwrap();
        let amounts: Vec<&str> = s.lines.iter().map(|l| l.amount.as_str()).collect();
        assert_eq!(amounts, vec!["837.04", "1.15", "-500.00", "-400.00"]);
        assert_eq!(s.closing, "-61.81");
        let s = payables::statement(&db.desk, &finance, "GOOD", None, day(2026, 11, 1), None)
            .await
            .unwrap();
        assert_eq!((s.opening.as_str(), s.lines.len()), ("837.04", 3));

        let c = payables::check(&db.desk, &finance).await.unwrap();
        assert!(c.ok, "{:?}", c.differences);
        assert_eq!(c.entries, 4);
        let ledger = shopdesk_core::inventory::check(&db.desk, &admin)
            .await
            .unwrap();
        assert!(ledger.ok);
    }
);

db_test!(
    concurrent_payments_never_overpay_an_invoice,
    |db: TestDb| async move {
        let (admin, _tea, _wh) = setup(&db).await;
        let p = orders::create(&db.desk, &admin, &po("GOOD", &[("TEA-1", 10, "10", "0")]))
            .await
            .unwrap();
        for a in [PoAction::Submit, PoAction::Approve, PoAction::Send] {
            orders::transition(&db.desk, &admin, p.id, a).await.unwrap();
        }
        orders::receive(
            &db.desk,
            &admin,
            &ReceiptInput {
                po_id: p.id,
                notes: String::new(),
                lines: vec![ReceiptLineInput {
                    line_id: p.lines[0].id,
                    location_code: "A-01".into(),
                    counted: 10,
                    accepted: 10,
                    rejected: 0,
                    reject_reason: String::new(),
                }],
            },
        )
        .await
        .unwrap();
        let i = payables::record_invoice(
            &db.desk,
            &admin,
            &invoice(p.id, "X-1", &[(p.lines[0].id, 10, "")]),
        )
        .await
        .unwrap();
        assert_eq!(i.total_amount, "100.00");
        // Twenty payments of 10.00 each name the invoice at once: exactly ten are applied, the rest refused.
        let mut tasks = Vec::new();
        for _ in 0..20 {
            let desk = db.desk.clone();
            let admin = admin.clone();
            let doc = i.doc_no.clone();
            tasks.push(tokio::spawn(async move {
                payables::record_payment(
                    &desk,
                    &admin,
                    &PaymentInput {
                        supplier_code: "GOOD".into(),
                        amount: "10".into(),
                        method: "bank".into(),
                        allocations: vec![AllocationInput {
                            invoice_doc_no: doc,
                            amount: "10".into(),
                        }],
                        ..Default::default()
                    },
                )
                .await
                .is_ok()
            }));
        }
        let mut ok = 0;
        for t in tasks {
            if t.await.unwrap() {
                ok += 1;
            }
        }
        assert_eq!(ok, 10);
        let i = payables::get_invoice(&db.desk, &admin, i.id).await.unwrap();
        assert_eq!(
            (i.paid_amount.as_str(), i.payment_status.as_str()),
            ("100.00", "paid")
        );
        let c = payables::check(&db.desk, &admin).await.unwrap();
        assert!(c.ok, "{:?}", c.differences);
        let a = payables::ageing(&db.desk, &admin, None).await.unwrap();
        assert_eq!(a.rows.len(), 0);
    }
);
