//! The sales report: orders, GMV (Σ order totals), paid and refunded over a period, by status, channel, currency
//! and day. Grouped in SQL by the stored business date; money summed as bigint minor units on both databases.

use super::{SalesError, money_text};
use crate::Shopdesk;
use crate::auth::{Actor, Permission};
use crate::report::{self, ColumnKind, Report, ReportChart, ReportParam};
use chrono::NaiveDate;
use sea_orm::{ConnectionTrait, Statement, Value};
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;
use ts_rs::TS;

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(default)]
pub struct SalesQuery {
    #[ts(type = "string | null")]
    pub from: Option<NaiveDate>,
    #[ts(type = "string | null")]
    pub to: Option<NaiveDate>,
    pub channel: Option<String>,
}

/// Figures in one currency, as decimal text.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct SalesFigures {
    /// A currency, channel or day, by what the figures are grouped by.
    pub key: String,
    pub currency: String,
    #[ts(type = "number")]
    pub orders: i64,
    pub gmv: String,
    pub paid: String,
    pub refunded: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct SalesReport {
    #[ts(type = "string | null")]
    pub from: Option<NaiveDate>,
    #[ts(type = "string | null")]
    pub to: Option<NaiveDate>,
    pub channel: Option<String>,
    /// Every order in the period.
    #[ts(type = "number")]
    pub orders: i64,
    /// The currency of the money figures below: the orders' own, or the company's when they are mixed.
    pub currency: String,
    pub gmv: String,
    pub paid: String,
    pub refunded: String,
    /// Orders in other currencies than `currency`, which its figures leave out (see `by_currency`).
    #[ts(type = "number")]
    pub other_currency_orders: i64,
    pub by_status: BTreeMap<String, i64>,
    pub by_currency: Vec<SalesFigures>,
    pub by_channel: Vec<SalesFigures>,
    pub by_day: Vec<SalesFigures>,
}

#[derive(Default, Clone, Copy)]
struct Sums {
    orders: i64,
    gmv: i64,
    paid: i64,
    refunded: i64,
}

impl Sums {
    fn add(&mut self, o: &Sums) {
        self.orders += o.orders;
        self.gmv += o.gmv;
        self.paid += o.paid;
        self.refunded += o.refunded;
    }

    fn figures(&self, key: &str, currency: &str) -> SalesFigures {
        SalesFigures {
            key: key.to_string(),
            currency: currency.to_string(),
            orders: self.orders,
            gmv: money_text(self.gmv, currency),
            paid: money_text(self.paid, currency),
            refunded: money_text(self.refunded, currency),
        }
    }
}

pub async fn sales(
    desk: &Shopdesk,
    actor: &Actor,
    q: &SalesQuery,
) -> Result<SalesReport, SalesError> {
    actor.require(Permission::ViewOrders)?;
    let db = desk.db();
    let backend = db.get_database_backend();
    let pg = backend == sea_orm::DbBackend::Postgres;
    let mut conds = Vec::new();
    let mut vals: Vec<Value> = Vec::new();
    let param = |v: Value, vals: &mut Vec<Value>| {
        vals.push(v);
        if pg {
            format!("${}", vals.len())
        } else {
            "?".to_string()
        }
    };
    if let Some(f) = q.from {
        conds.push(format!("biz_date >= {}", param(f.into(), &mut vals)));
    }
    if let Some(t) = q.to {
        conds.push(format!("biz_date <= {}", param(t.into(), &mut vals)));
    }
    if let Some(c) = q.channel.as_deref().filter(|c| !c.is_empty()) {
        conds.push(format!("channel = {}", param(c.into(), &mut vals)));
    }
    let filter = if conds.is_empty() {
        String::new()
    } else {
        format!("WHERE {}", conds.join(" AND "))
    };
    let sql = format!(
        "SELECT currency, status, channel, biz_date, CAST(COUNT(*) AS BIGINT) AS n, \
         CAST(SUM(total) AS BIGINT) AS gmv, CAST(SUM(paid) AS BIGINT) AS paid, \
         CAST(SUM(refunded) AS BIGINT) AS refunded FROM sales_orders {filter} \
         GROUP BY currency, status, channel, biz_date"
    );
    let rows = db
        .query_all_raw(Statement::from_sql_and_values(backend, sql, vals))
        .await?;
    let mut by_currency: BTreeMap<String, Sums> = BTreeMap::new();
    let mut by_status: BTreeMap<String, i64> = BTreeMap::new();
    let mut by_channel: BTreeMap<(String, String), Sums> = BTreeMap::new();
    let mut by_day: BTreeMap<(NaiveDate, String), Sums> = BTreeMap::new();
    let mut orders = 0;
    for r in rows {
        let cur: String = r.try_get("", "currency")?;
        let status: String = r.try_get("", "status")?;
        let channel: String = r.try_get("", "channel")?;
        let day: NaiveDate = r.try_get("", "biz_date")?;
        let s = Sums {
            orders: r.try_get("", "n")?,
            gmv: r.try_get("", "gmv")?,
            paid: r.try_get("", "paid")?,
            refunded: r.try_get("", "refunded")?,
        };
        orders += s.orders;
        *by_status.entry(status).or_default() += s.orders;
        by_currency.entry(cur.clone()).or_default().add(&s);
        by_channel
            .entry((channel, cur.clone()))
            .or_default()
            .add(&s);
        by_day.entry((day, cur)).or_default().add(&s);
    }
    let currency = if by_currency.len() == 1 {
        by_currency.keys().next().cloned().unwrap_or_default()
    } else {
        desk.company().currency.clone()
    };
    let main = by_currency.get(&currency).copied().unwrap_or_default();
    Ok(SalesReport {
        from: q.from,
        to: q.to,
        channel: q.channel.clone().filter(|c| !c.is_empty()),
        orders,
        gmv: money_text(main.gmv, &currency),
        paid: money_text(main.paid, &currency),
        refunded: money_text(main.refunded, &currency),
        other_currency_orders: orders - main.orders,
        currency,
        by_status,
        by_currency: by_currency.iter().map(|(c, s)| s.figures(c, c)).collect(),
        by_channel: by_channel
            .iter()
            .map(|((ch, c), s)| s.figures(ch, c))
            .collect(),
        by_day: by_day
            .iter()
            .map(|((d, c), s)| s.figures(&d.to_string(), c))
            .collect(),
    })
}

/// The sales report as a document: figures by day with a GMV chart, the period's totals, and the status counts.
pub fn document(desk: &Shopdesk, lang: &str, r: &SalesReport) -> Report {
    let t = |zh: &str, en: &str| report::tr(lang, zh, en).to_string();
    let mut doc = Report::new(desk, "sales", &t("销售报表", "Sales report"));
    let mut params = vec![
        ReportParam {
            label: t("期间", "Period"),
            value: format!(
                "{} – {}",
                r.from.map(|d| d.to_string()).unwrap_or_default(),
                r.to.map(|d| d.to_string()).unwrap_or_default()
            ),
        },
        ReportParam {
            label: t("订单数", "Orders"),
            value: r.orders.to_string(),
        },
        ReportParam {
            label: t("成交额 (GMV)", "GMV"),
            value: format!("{} {}", r.gmv, r.currency),
        },
    ];
    if let Some(c) = &r.channel {
        params.insert(
            1,
            ReportParam {
                label: t("渠道", "Channel"),
                value: c.clone(),
            },
        );
    }
    doc.params = params;
    doc.columns = report::columns(&[
        ("day", &t("日期", "Day"), ColumnKind::Date),
        ("currency", &t("币种", "Currency"), ColumnKind::Text),
        ("orders", &t("订单数", "Orders"), ColumnKind::Int),
        ("gmv", &t("成交额", "GMV"), ColumnKind::Money),
        ("paid", &t("实付", "Paid"), ColumnKind::Money),
        ("refunded", &t("退款", "Refunded"), ColumnKind::Money),
    ]);
    doc.rows = r
        .by_day
        .iter()
        .map(|f| {
            vec![
                f.key.clone(),
                f.currency.clone(),
                f.orders.to_string(),
                f.gmv.clone(),
                f.paid.clone(),
                f.refunded.clone(),
            ]
        })
        .collect();
    doc.totals = Some(vec![
        t("合计", "Total"),
        r.currency.clone(),
        (r.orders - r.other_currency_orders).to_string(),
        r.gmv.clone(),
        r.paid.clone(),
        r.refunded.clone(),
    ]);
    let days: Vec<&SalesFigures> = r
        .by_day
        .iter()
        .filter(|f| f.currency == r.currency)
        .collect();
    if !days.is_empty() {
        doc.chart = Some(ReportChart {
            title: t("每日成交额", "GMV by day"),
            series: t("成交额", "GMV"),
            labels: days.iter().map(|f| f.key.clone()).collect(),
            values: days.iter().map(|f| f.gmv.clone()).collect(),
            line_series: None,
            line: None,
        });
    }
    let statuses: Vec<String> = r
        .by_status
        .iter()
        .map(|(s, n)| format!("{} {n}", super::status_label(lang, s)))
        .collect();
    doc.notes = vec![
        format!("{}: {}", t("按状态", "By status"), statuses.join(", ")),
        t(
            "成交额为订单总额之和（含运费与税，减优惠），按下单日期（公司时区）归属。",
            "GMV is the sum of order totals (shipping and tax included, discounts taken off), by order date in the company's time zone.",
        ),
    ];
    if r.other_currency_orders > 0 {
        doc.notes.push(format!(
            "{} {}",
            r.other_currency_orders,
            t(
                "笔其他币种订单未计入合计。",
                "orders in other currencies are not in the totals."
            )
        ));
    }
    doc
}
