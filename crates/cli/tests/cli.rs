//! The command line is a contract (scripts and acceptance checks rely on it): one JSON object on stdout with
//! `--json`, errors on stderr with a non-zero exit code, permissions of the acting user.

use std::process::Command;

fn shopdesk(db: &str, args: &[&str]) -> (i32, serde_json::Value, String) {
    let out = Command::new(env!("CARGO_BIN_EXE_shopdesk"))
        .arg("--db")
        .arg(db)
        .args(args)
        .env_remove("SHOPDESK_DATABASE_URL")
        .output()
        .expect("run shopdesk");
    let stdout = String::from_utf8_lossy(&out.stdout).to_string();
    let json = serde_json::from_str(stdout.trim()).unwrap_or(serde_json::Value::Null);
    (
        out.status.code().unwrap_or(-1),
        json,
        String::from_utf8_lossy(&out.stderr).to_string(),
    )
}

#[test]
fn init_demo_lists_stock_check_and_bench() {
    let dir = tempfile::tempdir().unwrap();
    let db = format!("sqlite://{}", dir.path().join("cli.db").display());

    let (code, v, _) = shopdesk(&db, &["init", "--json"]);
    assert_eq!(code, 0);
    assert_eq!(v["needs_setup"], true);

    let (code, v, _) = shopdesk(&db, &["demo", "--json"]);
    assert_eq!(code, 0);
    assert_eq!(v["products"], 1200);

    let (code, v, _) = shopdesk(
        &db,
        &[
            "products",
            "list",
            "--search",
            "绿茶",
            "--page-size",
            "5",
            "--json",
        ],
    );
    assert_eq!(code, 0);
    assert!(v["total"].as_u64().unwrap() > 0);
    assert!(v["items"][0]["name"].as_str().unwrap().contains("绿茶"));

    let (code, v, _) = shopdesk(
        &db,
        &[
            "stock",
            "adjust",
            "--sku",
            "YL-00001",
            "--location",
            "WH-SH/A-01-1",
            "--qty",
            "10",
            "--unit-cost",
            "2.5",
            "--json",
        ],
    );
    assert_eq!(code, 0, "{v}");
    assert_eq!(v["warehouse_value"], "25.00");

    let (code, v, _) = shopdesk(&db, &["check", "ledger", "--json"]);
    assert_eq!(code, 0);
    assert_eq!(v["ok"], true);
    assert_eq!(v["differences"], serde_json::json!([]));

    let (code, v, _) = shopdesk(
        &db,
        &[
            "bench",
            "reservations",
            "--tasks",
            "8",
            "--stock",
            "50",
            "--attempts",
            "120",
            "--json",
        ],
    );
    assert_eq!(code, 0);
    assert_eq!(
        (
            v["reserved"].as_i64(),
            v["rejected"].as_i64(),
            v["oversold"].as_i64()
        ),
        (Some(50), Some(70), Some(0))
    );
    assert!(v["per_second"].as_f64().unwrap() > 0.0);

    // The customer-service user may not post stock: refused by the core, non-zero exit, JSON error on stderr.
    let (code, _, err) = shopdesk(
        &db,
        &[
            "--user",
            "kefu",
            "stock",
            "adjust",
            "--sku",
            "YL-00001",
            "--location",
            "WH-SH/A-01-1",
            "--qty",
            "1",
            "--json",
        ],
    );
    assert_ne!(code, 0);
    let e: serde_json::Value = serde_json::from_str(err.trim()).expect("JSON error on stderr");
    assert_eq!(e["error"]["code"], "auth.forbidden");

    let (code, _, err) = shopdesk("mysql://nope", &["init"]);
    assert_ne!(code, 0);
    assert!(err.contains("unsupported database URL"));
}

fn shared_sheet(rel: &str) -> String {
    std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../../../shared/data/supplier_sheets")
        .join(rel)
        .display()
        .to_string()
}

#[test]
fn supplier_sheet_import_and_a_purchase_order() {
    let dir = tempfile::tempdir().unwrap();
    let db = format!("sqlite://{}", dir.path().join("cli.db").display());
    assert_eq!(shopdesk(&db, &["demo", "--json"]).0, 0);

    // The stacked quotations of the real .xls: the JSON summary names every count and every problem.
    let yzy = shared_sheet("zh/报价单_yuziyuan.xls");
    let (code, v, err) = shopdesk(
        &db,
        &[
            "import",
            "supplier-sheet",
            &yzy,
            "--supplier",
            "SUP-001",
            "--json",
        ],
    );
    assert_eq!(code, 0, "{err}");
    assert_eq!(v["rows_read"], 28);
    assert_eq!(v["items_imported"], 5);
    assert_eq!(v["rows_skipped"], 23);
    assert_eq!(v["rows_failed"], 0);
    assert_eq!(v["errors"], serde_json::json!([]));
    assert!(v["warnings"].is_array());
    assert_eq!(v["prices_new"], 5);
    // Again: nothing new.
    let (_, v, _) = shopdesk(
        &db,
        &[
            "import",
            "supplier-sheet",
            &yzy,
            "--supplier",
            "SUP-001",
            "--json",
        ],
    );
    assert_eq!(
        (v["prices_new"].as_u64(), v["prices_unchanged"].as_u64()),
        (Some(0), Some(5))
    );

    // A mapping by header text, as a dry run; a column that is not there is an error naming it.
    let ker = shared_sheet("en/price_list_keralasree.xlsx");
    let (code, v, _) = shopdesk(
        &db,
        &[
            "import",
            "supplier-sheet",
            &ker,
            "--supplier",
            "SUP-002",
            "--column",
            "name=Medicines",
            "--dry-run",
            "--json",
        ],
    );
    assert_eq!(code, 0);
    assert_eq!(
        (v["items_imported"].as_u64(), v["dry_run"].as_bool()),
        (Some(475), Some(true))
    );
    let (code, _, err) = shopdesk(
        &db,
        &[
            "import",
            "supplier-sheet",
            &ker,
            "--supplier",
            "SUP-002",
            "--column",
            "name=Nope",
            "--json",
        ],
    );
    assert_ne!(code, 0);
    let e: serde_json::Value = serde_json::from_str(err.trim()).unwrap();
    assert_eq!(e["error"]["code"], "import.no_such_column");
    assert_eq!(e["error"]["column"], "Nope");

    // Bad rows: errors with sheet, row, column and code, and the rejects file to fix.
    let csv = dir.path().join("q.csv");
    std::fs::write(
        &csv,
        "品名,单价,条码\n绿茶,12.5,6901234567891\n红茶,12-15,\n",
    )
    .unwrap();
    let rejects = dir.path().join("rejects.xlsx");
    let (code, v, _) = shopdesk(
        &db,
        &[
            "import",
            "supplier-sheet",
            csv.to_str().unwrap(),
            "--supplier",
            "SUP-001",
            "--rejects",
            rejects.to_str().unwrap(),
            "--json",
        ],
    );
    assert_eq!(code, 0);
    assert_eq!(v["rows_failed"], 1);
    let e = &v["errors"][0];
    assert_eq!(
        (
            e["sheet"].as_str(),
            e["row"].as_u64(),
            e["column"].as_str(),
            e["code"].as_str()
        ),
        (Some("q"), Some(3), Some("B"), Some("price_range"))
    );
    assert_eq!(v["warnings"][0]["code"], "barcode_invalid");
    assert!(rejects.is_file());

    // A purchase order from draft to a partial receipt with a rejected quantity.
    let (code, v, err) = shopdesk(
        &db,
        &[
            "po",
            "create",
            "--supplier",
            "SUP-001",
            "--warehouse",
            "WH-SH",
            "--line",
            "YL-00001:10:2.5:13",
            "--json",
        ],
    );
    assert_eq!(code, 0, "{err}");
    assert_eq!(v["total_amount"], "28.25");
    let po = v["po_no"].as_str().unwrap().to_string();
    for step in ["submit", "approve", "send"] {
        let (code, _, err) = shopdesk(&db, &["po", step, &po, "--json"]);
        assert_eq!(code, 0, "{step}: {err}");
    }
    let (code, v, err) = shopdesk(
        &db,
        &[
            "po",
            "receive",
            &po,
            "--line",
            "1:A-01-1:8:2:quality",
            "--json",
        ],
    );
    assert_eq!(code, 0, "{err}");
    assert_eq!(
        (
            v["accepted"].as_i64(),
            v["rejected"].as_i64(),
            v["po_status"].as_str()
        ),
        (Some(8), Some(2), Some("partially_received"))
    );
    let (code, v, _) = shopdesk(&db, &["check", "ledger", "--json"]);
    assert_eq!((code, v["ok"].as_bool()), (0, Some(true)));

    // The supplier's invoice for the 8 accepted at 2.60 (4% over the PO's 2.50; the total 0.90 over is within
    // the amount tolerance): held for the price. Approved with a note, then paid in part.
    let (code, v, err) = shopdesk(
        &db,
        &[
            "payables", "invoice", &po, "--number", "F-77", "--line", "1:8:2.6", "--json",
        ],
    );
    assert_eq!(code, 0, "{err}");
    assert_eq!(
        (v["status"].as_str(), v["total_amount"].as_str()),
        (Some("held"), Some("23.50"))
    );
    assert_eq!(v["issues"], serde_json::json!(["line 1: price"]));
    let doc = v["doc_no"].as_str().unwrap().to_string();
    let (code, _, err) = shopdesk(&db, &["payables", "approve", &doc, "--json"]);
    assert_ne!(code, 0, "a decision needs a note");
    assert!(err.contains("note"), "{err}");
    let (code, v, err) = shopdesk(
        &db,
        &["payables", "approve", &doc, "--note", "ok", "--json"],
    );
    assert_eq!((code, v["status"].as_str()), (0, Some("approved")), "{err}");
    let (code, v, err) = shopdesk(
        &db,
        &[
            "payables",
            "pay",
            "SUP-001",
            "20",
            "--reference",
            "B-9",
            "--json",
        ],
    );
    assert_eq!(code, 0, "{err}");
    assert_eq!(v["allocations"][0]["amount"], "20.00");
    let (code, v, _) = shopdesk(&db, &["payables", "ageing", "--json"]);
    assert_eq!(code, 0);
    assert_eq!(v["rows"][0]["balance"], "3.50");
    let (code, v, _) = shopdesk(&db, &["check", "payables", "--json"]);
    assert_eq!((code, v["ok"].as_bool()), (0, Some(true)));
}

#[test]
fn order_import_sku_mapping_and_sales_report() {
    let dir = tempfile::tempdir().unwrap();
    let db = format!("sqlite://{}", dir.path().join("cli.db").display());
    let (code, _, _) = shopdesk(&db, &["demo", "--json"]);
    assert_eq!(code, 0);
    let fixture = |name: &str| {
        std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("../../tests/fixtures/orders")
            .join(name)
            .display()
            .to_string()
    };
    let shopify = fixture("shopify_orders_export.csv");
    let (code, v, err) = shopdesk(
        &db,
        &[
            "import",
            "orders",
            &shopify,
            "--channel",
            "shopify",
            "--dry-run",
            "--json",
        ],
    );
    assert_eq!(code, 0, "{err}");
    assert_eq!(
        (
            v["dry_run"].as_bool(),
            v["rows_read"].as_u64(),
            v["orders_created"].as_u64()
        ),
        (Some(true), Some(4), Some(3))
    );
    let (code, v, err) = shopdesk(
        &db,
        &[
            "import",
            "orders",
            &shopify,
            "--channel",
            "shopify",
            "--json",
        ],
    );
    assert_eq!(code, 0, "{err}");
    for key in [
        "rows_read",
        "orders_created",
        "orders_updated",
        "lines",
        "rows_failed",
        "errors",
    ] {
        assert!(!v[key].is_null(), "{key} missing: {v}");
    }
    assert_eq!(
        (v["orders_created"].as_u64(), v["lines"].as_u64()),
        (Some(3), Some(4))
    );
    // The JD file: one order fails with the row and column named; a mapping given by hand is taken.
    let jd = fixture("jd_orders_hand_made.csv");
    let (code, v, err) = shopdesk(
        &db,
        &[
            "import",
            "orders",
            &jd,
            "--channel",
            "jd",
            "--column",
            "seller_note=V",
            "--json",
        ],
    );
    assert_eq!(code, 0, "{err}");
    assert_eq!(
        (v["orders_created"].as_u64(), v["rows_failed"].as_u64()),
        (Some(3), Some(1))
    );
    assert_eq!(v["errors"][0]["row"], 5);
    assert_eq!(v["errors"][0]["column"], "H");
    assert_eq!(v["errors"][0]["sheet"], "jd_orders_hand_made");
    assert_eq!(v["mapping_source"], "given");
    let (code, _, err) = shopdesk(
        &db,
        &["import", "orders", &jd, "--channel", "wish", "--json"],
    );
    assert_ne!(code, 0);
    assert!(err.contains("wish"), "{err}");

    let (code, v, _) = shopdesk(
        &db,
        &["orders", "unmapped", "--channel", "shopify", "--json"],
    );
    assert_eq!(code, 0);
    assert_eq!(v.as_array().map(Vec::len), Some(3), "{v}");
    let (code, v, err) = shopdesk(
        &db,
        &[
            "orders",
            "map-sku",
            "--channel",
            "shopify",
            "TEA-1",
            "YL-00001",
            "--json",
        ],
    );
    assert_eq!(code, 0, "{err}");
    assert_eq!(v["lines_updated"], 2);

    let (code, v, _) = shopdesk(&db, &["report", "sales", "--channel", "shopify", "--json"]);
    assert_eq!(code, 0);
    assert_eq!(
        (
            v["orders"].as_i64(),
            v["gmv"].as_str(),
            v["paid"].as_str(),
            v["refunded"].as_str()
        ),
        (Some(3), Some("170.72"), Some("120.72"), Some("30.00"))
    );
    assert_eq!(v["by_status"]["closed"], 1);
    let pdf = dir.path().join("sales.pdf");
    let (code, _, err) = shopdesk(
        &db,
        &[
            "report",
            "sales",
            "--from",
            "2025-12-01",
            "--to",
            "2026-12-31",
            "--pdf",
            pdf.to_str().unwrap(),
            "--json",
        ],
    );
    assert_eq!(code, 0, "{err}");
    assert!(std::fs::read(&pdf).unwrap().starts_with(b"%PDF"));
}
