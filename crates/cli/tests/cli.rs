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
