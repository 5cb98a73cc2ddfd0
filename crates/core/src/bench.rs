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
