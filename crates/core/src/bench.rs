//! Benchmarks run by `shopdesk bench ...`: they print figures, they do not assert speed (timed tests are flaky).

use crate::auth::Actor;
use crate::error::ApiError;
use crate::export::{self, ListKind};
use crate::listing::ListQuery;
use crate::masterdata::products;
use crate::{Shopdesk, demo};
use serde::Serialize;
use std::time::Instant;

#[derive(Debug, Clone, Serialize)]
pub struct Timing {
    pub what: String,
    pub rows: u64,
    pub millis: f64,
}

#[derive(Debug, Clone, Serialize)]
pub struct ListBench {
    pub products: u64,
    pub backend: String,
    pub timings: Vec<Timing>,
}

#[allow(clippy::float_arithmetic)]
fn ms(start: Instant) -> f64 {
    (start.elapsed().as_secs_f64() * 1_000_000.0).round() / 1_000.0
}

/// Grows the products table to at least `target` rows, then times the list screen's queries (each the median of
/// `repeat` runs) and an export of the whole list.
pub async fn lists(
    desk: &Shopdesk,
    actor: &Actor,
    target: u64,
    repeat: usize,
    export_dir: &std::path::Path,
) -> Result<ListBench, ApiError> {
    let mut timings = Vec::new();
    let have = products::list(
        desk,
        actor,
        &ListQuery {
            status: Some("all".into()),
            page_size: 1,
            ..Default::default()
        },
    )
    .await?
    .total;
    if have < target {
        let t = Instant::now();
        let total = demo::bulk_products(desk, actor, (target - have) as usize, 7).await?;
        timings.push(Timing {
            what: "insert synthetic products (one transaction)".into(),
            rows: total - have,
            millis: ms(t),
        });
    }
    let cases: Vec<(&str, ListQuery)> = vec![
        ("first page, default order (SKU)", ListQuery::default()),
        (
            "search 绿茶 (name/SKU/barcode/spec, case-insensitive)",
            ListQuery {
                search: Some("绿茶".into()),
                ..Default::default()
            },
        ),
        (
            "search a SKU fragment yl-1000",
            ListQuery {
                search: Some("yl-1000".into()),
                ..Default::default()
            },
        ),
        (
            "filter category 数码配件, sort by price desc",
            ListQuery {
                category: Some("数码配件".into()),
                sort: Some("price".into()),
                desc: true,
                ..Default::default()
            },
        ),
        (
            "page 1000 of 50, sort by name",
            ListQuery {
                page: 1000,
                sort: Some("name".into()),
                ..Default::default()
            },
        ),
    ];
    for (what, q) in cases {
        let mut runs = Vec::new();
        let mut rows = 0;
        for _ in 0..repeat.max(1) {
            let t = Instant::now();
            rows = products::list(desk, actor, &q).await?.total;
            runs.push(ms(t));
        }
        runs.sort_by(f64::total_cmp);
        timings.push(Timing {
            what: what.into(),
            rows,
            millis: runs[runs.len() / 2],
        });
    }
    std::fs::create_dir_all(export_dir).map_err(ApiError::internal)?;
    let path = export_dir.join("bench-products.xlsx");
    let t = Instant::now();
    let r = export::export_list(
        desk,
        actor,
        ListKind::Products,
        &ListQuery::default(),
        "zh-CN",
        &path,
    )
    .await?;
    timings.push(Timing {
        what: "export every active product to .xlsx".into(),
        rows: r.rows,
        millis: ms(t),
    });
    let total = products::list(
        desk,
        actor,
        &ListQuery {
            status: Some("all".into()),
            page_size: 1,
            ..Default::default()
        },
    )
    .await?
    .total;
    Ok(ListBench {
        products: total,
        backend: format!("{:?}", desk.config().backend()),
        timings,
    })
}

#[derive(Debug, Clone, Serialize)]
pub struct ReservationBench {
    pub backend: String,
    pub tasks: usize,
    pub stock: i64,
    pub attempts: usize,
    pub reserved: i64,
    pub rejected: i64,
    /// Reserved beyond the stock: must be 0.
    pub oversold: i64,
    /// Reservations whose ledger entry or balance went missing: must be 0.
    pub lost: i64,
    pub seconds: f64,
    pub per_second: f64,
    pub ledger_ok: bool,
}

/// Many concurrent tasks reserve one unit each of one hot SKU at one location holding `stock` units.
#[allow(clippy::float_arithmetic)]
pub async fn reservations(
    desk: &Shopdesk,
    actor: &Actor,
    tasks: usize,
    stock: i64,
    attempts: usize,
) -> Result<ReservationBench, ApiError> {
    use crate::entities::{locations, warehouses};
    use crate::inventory;
    use crate::masterdata::products::{self as p, ProductInput};
    use crate::masterdata::warehouses::{self as w, LocationInput, WarehouseInput};
    use sea_orm::{ColumnTrait, EntityTrait, QueryFilter};
    // A fresh SKU per run, so runs never disturb each other or real data.
    let tag = desk.now().format("%Y%m%d%H%M%S%f").to_string();
    let product = p::create(
        desk,
        actor,
        &ProductInput {
            sku: format!("BENCH-{tag}"),
            name: "压测商品".into(),
            unit: "件".into(),
            cost: "10".into(),
            price: "20".into(),
            ..Default::default()
        },
    )
    .await?;
    let wh = match warehouses::Entity::find()
        .filter(warehouses::Column::Code.eq("BENCH"))
        .one(desk.db())
        .await?
    {
        Some(x) => x.id,
        None => {
            w::create(
                desk,
                actor,
                &WarehouseInput {
                    code: "BENCH".into(),
                    name: "压测仓".into(),
                    ..Default::default()
                },
            )
            .await?
            .id
        }
    };
    let loc = match locations::Entity::find()
        .filter(locations::Column::WarehouseId.eq(wh))
        .filter(locations::Column::Code.eq("HOT"))
        .one(desk.db())
        .await?
    {
        Some(x) => x.id,
        None => {
            w::create_location(
                desk,
                actor,
                &LocationInput {
                    warehouse_id: wh,
                    code: "HOT".into(),
                    zone: String::new(),
                    kind: "storage".into(),
                },
            )
            .await?
            .id
        }
    };
    inventory::adjust(
        desk,
        actor,
        product.id,
        loc,
        stock,
        Some(crate::money::UnitPrice::from_ten_thousandths(100_000)),
        "bench opening stock",
    )
    .await?;
    let per_task = attempts.div_ceil(tasks.max(1));
    let start = Instant::now();
    let mut handles = Vec::new();
    for t in 0..tasks.max(1) {
        let (desk, actor) = (desk.clone(), actor.clone());
        let n = per_task.min(attempts.saturating_sub(t * per_task));
        handles.push(tokio::spawn(async move {
            let (mut ok, mut refused) = (0i64, 0i64);
            for i in 0..n {
                match inventory::reserve(
                    &desk,
                    &actor,
                    product.id,
                    loc,
                    1,
                    &format!("BENCH-{t}-{i}"),
                )
                .await
                {
                    Ok(_) => ok += 1,
                    Err(inventory::InventoryError::InsufficientStock { .. }) => refused += 1,
                    Err(e) => return Err(ApiError::from(e)),
                }
            }
            Ok((ok, refused))
        }));
    }
    let (mut reserved, mut rejected) = (0, 0);
    for h in handles {
        let (ok, refused) = h.await.map_err(ApiError::internal)??;
        reserved += ok;
        rejected += refused;
    }
    let seconds = start.elapsed().as_secs_f64();
    let balance = inventory::balances(desk, actor, product.id).await?;
    let stored_reserved: i64 = balance.iter().map(|b| b.reserved).sum();
    let report = inventory::check(desk, actor).await?;
    Ok(ReservationBench {
        backend: format!("{:?}", desk.config().backend()),
        tasks,
        stock,
        attempts,
        reserved,
        rejected,
        oversold: (stored_reserved - stock).max(0),
        lost: (reserved - stored_reserved).abs(),
        seconds: (seconds * 1000.0).round() / 1000.0,
        per_second: ((attempts as f64) / seconds.max(1e-9)).round(),
        ledger_ok: report.ok,
    })
}

#[derive(Debug, Clone, Serialize)]
pub struct LedgerBench {
    pub backend: String,
    pub ledger_entries: i64,
    pub timings: Vec<Timing>,
}

/// Fills the ledger to at least `entries` rows of plausible receipts and issues spread over a year (balances and
/// valuations written to match, so the ledger check holds), then times stock-as-of-date for every SKU, the
/// on-hand report and the full ledger check. Needs products and locations (the demo company).
pub async fn ledger(desk: &Shopdesk, actor: &Actor, entries: i64) -> Result<LedgerBench, ApiError> {
    use crate::entities::{
        locations, products as p, stock_balances, stock_ledger, stock_valuations,
    };
    use crate::inventory::{self, reports};
    use sea_orm::{ColumnTrait, EntityTrait, PaginatorTrait, QueryFilter, Set};
    use std::collections::HashMap;
    actor
        .require(crate::auth::Permission::LoadDemo)
        .map_err(ApiError::from)?;
    let mut timings = Vec::new();
    let have = stock_ledger::Entity::find().count(desk.db()).await? as i64;
    if have < entries {
        let t = Instant::now();
        let prods: Vec<i64> = p::Entity::find()
            .all(desk.db())
            .await?
            .into_iter()
            .map(|x| x.id)
            .collect();
        let locs: Vec<(i64, i64)> = locations::Entity::find()
            .filter(locations::Column::Kind.eq("storage"))
            .all(desk.db())
            .await?
            .into_iter()
            .map(|l| (l.id, l.warehouse_id))
            .collect();
        if prods.is_empty() || locs.is_empty() {
            return Err(ApiError::new(
                "bench.no_master_data",
                "load the demo company first (shopdesk demo)",
            ));
        }
        let txn = desk.write_txn().await?;
        let start_day = desk.biz_date(desk.now()) - chrono::Duration::days(365);
        let mut bal: HashMap<(i64, i64, i64), i64> = HashMap::new();
        let mut val: HashMap<(i64, i64), (i64, i64)> = HashMap::new();
        let mut seed: u64 = 0x5EED;
        let mut next = move || {
            seed = seed.wrapping_add(0x9E37_79B9_7F4A_7C15);
            let mut z = seed;
            z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
            z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
            z ^ (z >> 31)
        };
        let todo = entries - have;
        let mut batch = Vec::with_capacity(1_000);
        for i in 0..todo {
            let product = prods[(next() % prods.len() as u64) as usize];
            // Each product lives in a few locations, so balances stay realistic in number.
            let (loc, wh) = locs[((product as u64 * 7 + next() % 3) % locs.len() as u64) as usize];
            let day = start_day + chrono::Duration::days((i * 365 / todo.max(1)).min(364));
            let on_hand = bal.get(&(product, wh, loc)).copied().unwrap_or(0);
            let (q, unit) = if on_hand > 5 && next() % 3 != 0 {
                (-((next() % on_hand.min(20) as u64) as i64 + 1), 0)
            } else {
                ((next() % 50) as i64 + 1, (next() % 900_000) as i64 + 10_000)
            };
            let (vq, vv) = val.get(&(product, wh)).copied().unwrap_or((0, 0));
            // The same rules as posting, so the generated ledger values exactly as real movements would.
            let value = if q > 0 {
                inventory::value_in(unit, q)
            } else {
                -inventory::value_out(vv, vq, -q)
            };
            *bal.entry((product, wh, loc)).or_default() += q;
            let e = val.entry((product, wh)).or_default();
            e.0 += q;
            e.1 += value;
            let at = day
                .and_hms_opt(2, 0, 0)
                .map(|d| d.and_utc())
                .unwrap_or_else(|| desk.now());
            batch.push(stock_ledger::ActiveModel {
                at: Set(at),
                biz_date: Set(day),
                product_id: Set(product),
                warehouse_id: Set(wh),
                location_id: Set(loc),
                kind: Set(if q > 0 { "receipt" } else { "ship" }.into()),
                qty: Set(q),
                reserved: Set(0),
                in_transit: Set(0),
                unit_cost: Set(unit),
                value: Set(value),
                doc_type: Set("bench".into()),
                doc_no: Set(String::new()),
                doc_line: Set(None),
                user_id: Set(Some(actor.user_id)),
                username: Set(actor.username.clone()),
                reverses_id: Set(None),
                note: Set(String::new()),
                ..Default::default()
            });
            if batch.len() == 1_000 {
                stock_ledger::Entity::insert_many(std::mem::take(&mut batch))
                    .exec(&txn)
                    .await?;
            }
        }
        if !batch.is_empty() {
            stock_ledger::Entity::insert_many(batch).exec(&txn).await?;
        }
        // Balances and valuations as the ledger says (added to what was there).
        let now = desk.now();
        for ((product, wh, loc), q) in bal {
            let existing = stock_balances::Entity::find()
                .filter(stock_balances::Column::ProductId.eq(product))
                .filter(stock_balances::Column::LocationId.eq(loc))
                .one(&txn)
                .await?;
            match existing {
                Some(b) => {
                    let mut am: stock_balances::ActiveModel = b.clone().into();
                    am.on_hand = Set(b.on_hand + q);
                    sea_orm::ActiveModelTrait::update(am, &txn).await?;
                }
                None => {
                    stock_balances::Entity::insert(stock_balances::ActiveModel {
                        product_id: Set(product),
                        warehouse_id: Set(wh),
                        location_id: Set(loc),
                        on_hand: Set(q),
                        reserved: Set(0),
                        in_transit: Set(0),
                        updated_at: Set(now),
                        ..Default::default()
                    })
                    .exec(&txn)
                    .await?;
                }
            }
        }
        for ((product, wh), (q, v)) in val {
            let existing = stock_valuations::Entity::find()
                .filter(stock_valuations::Column::ProductId.eq(product))
                .filter(stock_valuations::Column::WarehouseId.eq(wh))
                .one(&txn)
                .await?;
            match existing {
                Some(x) => {
                    let mut am: stock_valuations::ActiveModel = x.clone().into();
                    am.qty = Set(x.qty + q);
                    am.value = Set(x.value + v);
                    sea_orm::ActiveModelTrait::update(am, &txn).await?;
                }
                None => {
                    stock_valuations::Entity::insert(stock_valuations::ActiveModel {
                        product_id: Set(product),
                        warehouse_id: Set(wh),
                        qty: Set(q),
                        value: Set(v),
                        updated_at: Set(now),
                        ..Default::default()
                    })
                    .exec(&txn)
                    .await?;
                }
            }
        }
        txn.commit().await?;
        timings.push(Timing {
            what: "generate ledger entries (one transaction)".into(),
            rows: todo as u64,
            millis: ms(t),
        });
    }
    let mid = desk.biz_date(desk.now()) - chrono::Duration::days(180);
    let t = Instant::now();
    let asof = reports::stock_as_of(desk, actor, mid).await?;
    timings.push(Timing {
        what: format!("stock as of {mid} for every SKU × warehouse"),
        rows: asof.len() as u64,
        millis: ms(t),
    });
    let t = Instant::now();
    let report = reports::on_hand(desk, actor).await?;
    timings.push(Timing {
        what: "on-hand report by warehouse and category".into(),
        rows: report.len() as u64,
        millis: ms(t),
    });
    let t = Instant::now();
    let check = inventory::check(desk, actor).await?;
    timings.push(Timing {
        what: format!("full ledger check (ok = {})", check.ok),
        rows: check.balances_checked as u64,
        millis: ms(t),
    });
    Ok(LedgerBench {
        backend: format!("{:?}", desk.config().backend()),
        ledger_entries: check.ledger_entries,
        timings,
    })
}

#[derive(Debug, Clone, Serialize)]
pub struct PriceImportBench {
    pub backend: String,
    pub rows: u64,
    pub file: String,
    pub file_bytes: u64,
    pub items_imported: u64,
    pub prices_stored: u64,
    pub timings: Vec<Timing>,
    /// Peak resident memory of this process (VmHWM), MiB; 0 where the OS does not say.
    pub peak_rss_mib: u64,
}

/// Peak resident set size of this process in MiB (Linux `/proc/self/status` VmHWM).
pub fn peak_rss_mib() -> u64 {
    std::fs::read_to_string("/proc/self/status")
        .ok()
        .and_then(|s| {
            s.lines()
                .find(|l| l.starts_with("VmHWM:"))
                .and_then(|l| l.split_whitespace().nth(1))
                .and_then(|kb| kb.parse::<u64>().ok())
        })
        .map(|kb| kb / 1024)
        .unwrap_or(0)
}

/// Writes a supplier price sheet of `rows` items the way an office would (title row, header on row 3, codes as
/// text, prices as numbers and some as text with currency), for the import benchmark.
pub fn write_price_sheet(
    path: &std::path::Path,
    rows: u64,
) -> Result<(), rust_xlsxwriter::XlsxError> {
    let mut wb = rust_xlsxwriter::Workbook::new();
    let ws = wb.add_worksheet_with_constant_memory()?;
    ws.write_string(0, 0, "某某贸易有限公司 报价单")?;
    for (c, h) in [
        "货号",
        "品名",
        "规格",
        "单位",
        "单价",
        "起订量",
        "交期",
        "条码",
    ]
    .iter()
    .enumerate()
    {
        ws.write_string(2, c as u16, *h)?;
    }
    for i in 0..rows {
        let r = (i + 3) as u32;
        ws.write_string(r, 0, format!("BX-{i:07}"))?;
        ws.write_string(r, 1, format!("测试商品 {i}"))?;
        ws.write_string(r, 2, format!("{}ml", 100 + i % 900))?;
        ws.write_string(r, 3, if i % 3 == 0 { "箱" } else { "个" })?;
        let fen = 100 + (i * 37) % 99_900;
        if i % 10 == 0 {
            ws.write_string(r, 4, format!("￥{}.{:02}", fen / 100, fen % 100))?;
        } else {
            ws.write_number(
                r,
                4,
                rust_decimal::prelude::ToPrimitive::to_f64(&rust_decimal::Decimal::new(
                    fen as i64, 2,
                ))
                .unwrap_or(0.0),
            )?;
        }
        ws.write_number(r, 5, ((i % 5 + 1) * 10) as u32)?;
        ws.write_number(r, 6, (i % 30 + 1) as u32)?;
        let body = format!("690{:09}", i % 1_000_000_000);
        let check = crate::barcode::gtin_check_digit(body.as_bytes());
        ws.write_string(r, 7, format!("{body}{check}"))?;
    }
    wb.save(path)
}

/// Generates an N-row price sheet and times its import end to end into the database (one transaction).
pub async fn price_import(
    desk: &Shopdesk,
    actor: &Actor,
    rows: u64,
    keep: Option<&std::path::Path>,
) -> Result<PriceImportBench, ApiError> {
    use crate::masterdata::suppliers::{self, SupplierInput};
    use crate::procurement::price_sheets::{self, PriceSheetOptions};
    let mut timings = Vec::new();
    let dir = std::env::temp_dir().join("shopdesk-bench");
    std::fs::create_dir_all(&dir).map_err(ApiError::internal)?;
    let path = keep
        .map(std::path::Path::to_path_buf)
        .unwrap_or_else(|| dir.join(format!("price-sheet-{rows}.xlsx")));
    let t = Instant::now();
    write_price_sheet(&path, rows).map_err(ApiError::internal)?;
    timings.push(Timing {
        what: "write the .xlsx (rust_xlsxwriter, not part of the import)".into(),
        rows,
        millis: ms(t),
    });
    let code = format!("BENCH-{}", desk.now().timestamp_millis());
    suppliers::create(
        desk,
        actor,
        &SupplierInput {
            code: code.clone(),
            name: "Benchmark supplier".into(),
            qualification: "approved".into(),
            ..Default::default()
        },
    )
    .await?;
    let t = Instant::now();
    let a = price_sheets::import(
        desk,
        actor,
        &path,
        &code,
        &PriceSheetOptions::default(),
        &crate::imports::Control::new(),
    )
    .await?;
    timings.push(Timing {
        what: "import end to end: read, check every row, store items + prices in one transaction"
            .into(),
        rows: a.summary.rows_read,
        millis: ms(t),
    });
    let t = Instant::now();
    let again = price_sheets::import(
        desk,
        actor,
        &path,
        &code,
        &PriceSheetOptions::default(),
        &crate::imports::Control::new(),
    )
    .await?;
    timings.push(Timing {
        what: "re-import of the same file (nothing changed, nothing stored)".into(),
        rows: again.summary.prices_unchanged,
        millis: ms(t),
    });
    Ok(PriceImportBench {
        backend: format!("{:?}", desk.config().backend()),
        rows,
        file: path.display().to_string(),
        file_bytes: std::fs::metadata(&path).map(|m| m.len()).unwrap_or(0),
        items_imported: a.summary.items_imported,
        prices_stored: a.summary.prices_new + a.summary.prices_changed,
        timings,
        peak_rss_mib: peak_rss_mib(),
    })
}

/// Figures of `shopdesk bench orders`.
#[derive(Debug, Clone, Serialize)]
pub struct OrdersBench {
    pub backend: String,
    pub orders: u64,
    pub rows: u64,
    pub file: String,
    pub file_bytes: u64,
    pub timings: Vec<Timing>,
    /// Orders per second from the file to allocated orders with stock reserved (import + review + allocate).
    pub orders_per_second: f64,
    /// The same, counting the checkpoint after the import (SQLite) as if it were waited for.
    pub orders_per_second_with_checkpoint: f64,
    pub peak_rss_mib: u64,
}

/// Writes a generic order export of `orders` orders (one to three lines each, one row per line, order fields
/// repeated) over the company's first products, most with complete addresses and a few with problems.
pub fn write_order_csv(
    path: &std::path::Path,
    orders: u64,
    skus: &[(String, String)],
) -> std::io::Result<u64> {
    use std::io::Write;
    let mut f = std::io::BufWriter::new(std::fs::File::create(path)?);
    writeln!(
        f,
        "订单号,下单时间,付款时间,收货人,手机号,地址,商品编码,商品,数量,单价,买家留言"
    )?;
    let mut rows = 0u64;
    let start = chrono::NaiveDate::from_ymd_opt(2026, 1, 1)
        .and_then(|d| d.and_hms_opt(0, 0, 0))
        .unwrap_or_default();
    for i in 0..orders {
        let at = start + chrono::Duration::seconds((i * 37) as i64);
        let paid = at + chrono::Duration::seconds(40);
        let lines = 1 + (i % 3);
        let address = if i % 50 == 0 {
            "上海".to_string()
        } else {
            format!("上海市浦东新区世纪大道{}号", i % 997 + 1)
        };
        let message = if i % 40 == 0 { "请尽快发货" } else { "" };
        for l in 0..lines {
            let (sku, price) = &skus[((i * 7 + l * 13) as usize) % skus.len().max(1)];
            writeln!(
                f,
                "B{i:09},{},{},顾客{},1{:010},{address},{sku},商品 {sku},{},{price},{message}",
                at.format("%Y-%m-%d %H:%M:%S"),
                paid.format("%Y-%m-%d %H:%M:%S"),
                i % 5000,
                3_800_000_000u64 + i,
                1 + (i + l) % 2,
            )?;
            rows += 1;
        }
    }
    f.flush()?;
    Ok(rows)
}

/// Generates an order export and times its import, the review of every order it brought and their allocation.
/// The review settings given are saved first (and stay): with review on import the import reviews the orders it
/// creates and the review step finds none left; with allocation on import as well, the allocation step finds none
/// left either. Both steps are still run and timed.
#[allow(clippy::float_arithmetic)]
pub async fn orders(
    desk: &Shopdesk,
    actor: &Actor,
    orders: u64,
    settings: &crate::sales::review::ReviewSettings,
) -> Result<OrdersBench, ApiError> {
    use crate::entities::products;
    use crate::sales::import::{self, OrderImportOptions};
    use crate::sales::review::{self, ReviewScope};
    use sea_orm::{EntityTrait, QueryOrder, QuerySelect};
    // The first 200 SKUs at their list prices.
    let skus: Vec<(String, String)> = products::Entity::find()
        .order_by_asc(products::Column::Id)
        .limit(200)
        .all(desk.db())
        .await?
        .into_iter()
        .map(|p| {
            (
                p.sku,
                crate::money::UnitPrice::from_ten_thousandths(p.price).to_string(),
            )
        })
        .collect();
    if skus.is_empty() {
        return Err(ApiError::new(
            "bench.no_products",
            "load the demo company first (shopdesk demo): the orders need products",
        ));
    }
    // Stock for every SKU the orders use, so that the review approves what is clean.
    use sea_orm::{ColumnTrait, QueryFilter};
    let loc = crate::entities::locations::Entity::find()
        .filter(crate::entities::locations::Column::Kind.eq("storage"))
        .order_by_asc(crate::entities::locations::Column::Id)
        .one(desk.db())
        .await?
        .ok_or_else(|| ApiError::new("bench.no_location", "load the demo company first"))?;
    let ids: Vec<i64> = products::Entity::find()
        .order_by_asc(products::Column::Id)
        .limit(200)
        .all(desk.db())
        .await?
        .into_iter()
        .map(|p| p.id)
        .collect();
    for id in ids {
        crate::inventory::adjust(
            desk,
            actor,
            id,
            loc.id,
            1_000_000,
            Some(crate::money::UnitPrice::from_ten_thousandths(50_000)),
            "bench orders",
        )
        .await?;
    }
    let dir = std::env::temp_dir().join("shopdesk-bench");
    std::fs::create_dir_all(&dir).map_err(ApiError::internal)?;
    let path = dir.join(format!("orders-{orders}.csv"));
    let mut timings = Vec::new();
    let t = Instant::now();
    let rows = write_order_csv(&path, orders, &skus).map_err(ApiError::internal)?;
    timings.push(Timing {
        what: "write the CSV (not part of the import)".into(),
        rows,
        millis: ms(t),
    });
    let opts = OrderImportOptions {
        channel: crate::sales::Channel::Generic,
        shop: format!("BENCH-{}", desk.now().timestamp_millis()),
        ..Default::default()
    };
    if *settings != review::ReviewSettings::default() {
        review::save_settings(desk, actor, settings).await?;
    }
    let t = Instant::now();
    let wb = crate::imports::Workbook::open(&path, opts.encoding)?;
    let s = import::import(desk, actor, &wb, &opts, &crate::imports::Control::new()).await?;
    let import_ms = ms(t);
    timings.push(Timing {
        what: match (&s.review, &s.allocation) {
            (Some(r), Some(a)) => format!(
                "import end to end: read, check, review ({} approved, {} held), allocate ({} orders into {} parcels, {} units reserved), {} orders + {} lines in one transaction",
                r.approved, r.held, a.allocated, a.parcels, a.units, s.orders_created, s.lines
            ),
            (Some(r), None) => format!(
                "import end to end: read, check, review ({} approved, {} held), {} orders + {} lines in one transaction",
                r.approved, r.held, s.orders_created, s.lines
            ),
            (None, _) => format!(
                "import end to end: read, check, {} orders + {} lines in one transaction",
                s.orders_created, s.lines
            ),
        },
        rows: s.rows_read,
        millis: import_ms,
    });
    // On SQLite each bulk step's write-ahead log is copied into the database file after it returns, beside
    // whatever the user does next; here the import's is waited for and timed on its own, and the later steps'
    // are waited for (untimed), so that no timed step shares the cores with a checkpoint.
    let t = Instant::now();
    let checkpoint = desk.wait_for_checkpoint().await;
    let checkpoint_ms = ms(t);
    if let Some(c) = checkpoint {
        timings.push(Timing {
            what: format!(
                "checkpoint after the import (in the background, once it returned): {} of {} log pages copied into the database file",
                c.copied_pages, c.log_pages
            ),
            rows: 0,
            millis: checkpoint_ms,
        });
    }
    let t = Instant::now();
    let r = review::review(desk, actor, &ReviewScope::default()).await?;
    let review_ms = ms(t);
    desk.wait_for_checkpoint().await;
    timings.push(Timing {
        what: format!(
            "review every order waiting: {} approved, {} held",
            r.approved, r.held
        ),
        rows: r.orders,
        millis: review_ms,
    });
    let t = Instant::now();
    let a = crate::sales::allocate::allocate(
        desk,
        actor,
        &crate::sales::allocate::AllocateOptions::default(),
    )
    .await?;
    let allocate_ms = ms(t);
    desk.wait_for_checkpoint().await;
    timings.push(Timing {
        what: format!(
            "allocate and reserve: {} orders into {} parcels, {} units reserved, {} waiting",
            a.allocated, a.parcels, a.units, a.waiting
        ),
        rows: a.orders,
        millis: allocate_ms,
    });
    let t = Instant::now();
    let again = import::import(desk, actor, &wb, &opts, &crate::imports::Control::new()).await?;
    timings.push(Timing {
        what: "re-import of the same file (nothing changed, nothing stored)".into(),
        rows: again.orders_unchanged,
        millis: ms(t),
    });
    let total = import_ms + review_ms + allocate_ms;
    desk.wait_for_checkpoint().await;
    Ok(OrdersBench {
        backend: format!("{:?}", desk.config().backend()),
        orders: s.orders_created,
        rows,
        file: path.display().to_string(),
        file_bytes: std::fs::metadata(&path).map(|m| m.len()).unwrap_or(0),
        timings,
        orders_per_second: ((s.orders_created as f64) * 1000.0 / total.max(1e-9)).round(),
        orders_per_second_with_checkpoint: ((s.orders_created as f64) * 1000.0
            / (total + checkpoint_ms).max(1e-9))
        .round(),
        peak_rss_mib: peak_rss_mib(),
    })
}
