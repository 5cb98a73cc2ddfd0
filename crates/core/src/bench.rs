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
