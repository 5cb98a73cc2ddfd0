//! Inventory reports as [`Report`]s (screen, .xlsx and PDF from one definition): stock on hand and value, stock
//! as of a date, movement history of a SKU, ABC classification by value or volume, turnover and days of
//! inventory, ageing, and slow-moving stock (滞销).
//!
//! Definitions (also printed in each report's notes):
//! - **Issued** (出库消耗) is what left for customers: `ship` entries net of customer `return`s, with the
//!   revaluations a backdated entry made of those shipments; its value is the cost of goods sold (COGS).
//! - **ABC**: SKUs sorted by issued value (or quantity) over the period; a SKU is A while the cumulative share
//!   *before* it is below 80 %, B below 95 %, else C; nothing issued is C. Shares are exact ratios, shown
//!   rounded half away from zero to 0.01 %.
//! - **Turnover** = COGS ÷ average stock value, the average being (opening + closing) ÷ 2 at cost; **days of
//!   inventory** = days in the period × average ÷ COGS. Turnover to 0.01, days to 0.1, rounded half away from
//!   zero; no COGS leaves days empty (stock that does not move has no finite cover).
//! - **Ageing** assigns today's on-hand quantity first-in-first-out to the incoming entries (receipts, transfers
//!   in, customer returns, positive adjustments), newest last: what is on hand is what came in most recently. The
//!   value splits across the age buckets by quantity with the rounding residual in the oldest bucket.
//! - **Slow-moving**: stock on hand whose last issue (or, never issued, whose first receipt) is more than N days
//!   ago (default 90).

use super::InventoryError;
use crate::Shopdesk;
use crate::auth::{Actor, Permission};
use crate::error::{FieldError, FieldErrors};
use crate::report::{ColumnKind as K, Report, ReportChart, ReportParam, columns, percent, tr};
use chrono::{Duration, NaiveDate};
use rust_decimal::{Decimal, RoundingStrategy};
use sea_orm::{ConnectionTrait, DatabaseBackend, Statement, Value};
use serde::{Deserialize, Serialize};
use std::collections::{BTreeMap, HashMap};
use ts_rs::TS;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS, Default)]
#[serde(rename_all = "snake_case")]
pub enum InventoryReport {
    #[default]
    OnHand,
    AsOf,
    Movements,
    Abc,
    Turnover,
    Ageing,
    SlowMoving,
}

impl InventoryReport {
    pub fn parse(s: &str) -> Option<Self> {
        Some(match s {
            "on-hand" | "on_hand" => Self::OnHand,
            "as-of" | "as_of" => Self::AsOf,
            "movements" => Self::Movements,
            "abc" => Self::Abc,
            "turnover" => Self::Turnover,
            "ageing" | "aging" => Self::Ageing,
            "slow-moving" | "slow_moving" => Self::SlowMoving,
            _ => return None,
        })
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS, Default)]
#[serde(rename_all = "snake_case")]
pub enum AbcBasis {
    #[default]
    Value,
    Volume,
}

/// What to run: the report and its parameters (each report reads the ones it needs).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS, Default)]
pub struct ReportQuery {
    pub kind: InventoryReport,
    /// As-of date (stock as of); default today.
    pub date: Option<NaiveDate>,
    /// Period start (ABC, turnover, movements); default 89 days before `to`.
    pub from: Option<NaiveDate>,
    /// Period end (inclusive); default today.
    pub to: Option<NaiveDate>,
    /// Warehouse code; all warehouses when empty.
    pub warehouse: Option<String>,
    /// SKU or barcode (movements).
    pub sku: Option<String>,
    pub basis: Option<AbcBasis>,
    /// Slow-moving threshold in days (default 90).
    #[ts(type = "number | null")]
    pub days: Option<i64>,
}

fn invalid(field: &str, code: &str) -> InventoryError {
    let mut e = FieldErrors::default();
    e.push(FieldError::new(field, code));
    InventoryError::Validation(e)
}

/// Fen (possibly a half fen, from an average) as decimal text to the fen, rounded half away from zero.
fn money_dec(fen: Decimal) -> String {
    let yuan = (fen / Decimal::from(100))
        .round_dp_with_strategy(2, RoundingStrategy::MidpointAwayFromZero);
    format!("{yuan:.2}")
}

fn round_text(d: Decimal, dp: u32) -> String {
    let r = d.round_dp_with_strategy(dp, RoundingStrategy::MidpointAwayFromZero);
    format!("{r:.prec$}", prec = dp as usize)
}

struct Ctx<'a> {
    desk: &'a Shopdesk,
    lang: &'a str,
    backend: DatabaseBackend,
    /// id → (sku, name, category)
    products: HashMap<i64, (String, String, String)>,
    /// id → code
    warehouses: HashMap<i64, String>,
    warehouse_id: Option<i64>,
    today: NaiveDate,
}

impl Ctx<'_> {
    fn t<'s>(&self, zh: &'s str, en: &'s str) -> &'s str {
        tr(self.lang, zh, en)
    }

    /// Fen as decimal text in the company currency.
    fn money(&self, fen: i64) -> String {
        super::fen_text(self.desk, fen)
    }

    fn ph(&self, n: usize) -> String {
        match self.backend {
            DatabaseBackend::Postgres => format!("${n}"),
            _ => "?".into(),
        }
    }

    async fn query(
        &self,
        sql: String,
        values: Vec<Value>,
    ) -> Result<Vec<sea_orm::QueryResult>, InventoryError> {
        Ok(self
            .desk
            .db()
            .query_all_raw(Statement::from_sql_and_values(self.backend, sql, values))
            .await?)
    }

    /// ` AND <alias>warehouse_id = ?` when a warehouse is chosen, with its value pushed.
    fn wh_filter(&self, alias: &str, values: &mut Vec<Value>) -> String {
        match self.warehouse_id {
            Some(w) => {
                values.push(w.into());
                format!(" AND {alias}warehouse_id = {}", self.ph(values.len()))
            }
            None => String::new(),
        }
    }

    fn product(&self, id: i64) -> (String, String, String) {
        self.products
            .get(&id)
            .cloned()
            .unwrap_or_else(|| (format!("#{id}"), String::new(), String::new()))
    }

    fn wh(&self, id: i64) -> String {
        self.warehouses.get(&id).cloned().unwrap_or_default()
    }

    fn warehouse_param(&self) -> ReportParam {
        ReportParam {
            label: self.t("仓库", "Warehouse").into(),
            value: match self.warehouse_id {
                Some(id) => self.wh(id),
                None => self.t("全部", "All").into(),
            },
        }
    }

    fn period_param(&self, from: NaiveDate, to: NaiveDate) -> ReportParam {
        ReportParam {
            label: self.t("期间", "Period").into(),
            value: format!("{from} ~ {to}"),
        }
    }

    /// Issued quantity and value (fen) per product over [from, to]: shipments net of returns, with the
    /// revaluations of shipments.
    async fn issued(
        &self,
        from: NaiveDate,
        to: NaiveDate,
    ) -> Result<HashMap<i64, (i64, i64)>, InventoryError> {
        let mut values: Vec<Value> = vec![from.into(), to.into()];
        let wh = self.wh_filter("l.", &mut values);
        let sql = format!(
            "SELECT l.product_id AS product_id, CAST(SUM(-l.qty) AS BIGINT) AS q, CAST(SUM(-l.value) AS BIGINT) AS v \
             FROM stock_ledger l LEFT JOIN stock_ledger t ON l.kind = 'revalue' AND t.id = l.reverses_id \
             WHERE l.biz_date >= {} AND l.biz_date <= {}{wh} \
             AND (l.kind IN ('ship', 'return') OR (l.kind = 'revalue' AND t.kind = 'ship')) \
             GROUP BY l.product_id",
            self.ph(1),
            self.ph(2)
        );
        let mut out = HashMap::new();
        for r in self.query(sql, values).await? {
            out.insert(
                r.try_get::<i64>("", "product_id")?,
                (r.try_get("", "q")?, r.try_get("", "v")?),
            );
        }
        Ok(out)
    }

    /// Current stock quantity and value per (product, warehouse) from the valuations, non-zero only.
    async fn stock_now(&self) -> Result<BTreeMap<(i64, i64), (i64, i64)>, InventoryError> {
        let mut values = Vec::new();
        let wh = self.wh_filter("", &mut values);
        let sql = format!(
            "SELECT product_id, warehouse_id, qty, value FROM stock_valuations WHERE (qty <> 0 OR value <> 0){wh}"
        );
        let mut out = BTreeMap::new();
        for r in self.query(sql, values).await? {
            out.insert(
                (r.try_get("", "product_id")?, r.try_get("", "warehouse_id")?),
                (r.try_get("", "qty")?, r.try_get("", "value")?),
            );
        }
        Ok(out)
    }
}

fn default_period(
    q: &ReportQuery,
    today: NaiveDate,
) -> Result<(NaiveDate, NaiveDate), InventoryError> {
    let to = q.to.unwrap_or(today);
    let from = q.from.unwrap_or(to - Duration::days(89));
    if from > to {
        return Err(invalid("from", "after_to"));
    }
    Ok((from, to))
}

/// Runs an inventory report in the user's language (`zh-CN` or `en`).
pub async fn run(
    desk: &Shopdesk,
    actor: &Actor,
    q: &ReportQuery,
    lang: &str,
) -> Result<Report, InventoryError> {
    use crate::entities::{products, warehouses};
    use sea_orm::EntityTrait;
    actor.require(Permission::ViewMasterData)?;
    let db = desk.db();
    let whs: Vec<warehouses::Model> = warehouses::Entity::find().all(db).await?;
    let warehouse_id = match q
        .warehouse
        .as_deref()
        .map(str::trim)
        .filter(|w| !w.is_empty())
    {
        Some(code) => Some(
            whs.iter()
                .find(|w| w.code == code)
                .map(|w| w.id)
                .ok_or_else(|| invalid("warehouse", "not_found"))?,
        ),
        None => None,
    };
    let now = desk.now();
    let mut ctx = Ctx {
        desk,
        lang,
        backend: db.get_database_backend(),
        products: HashMap::new(),
        warehouses: whs.into_iter().map(|w| (w.id, w.code)).collect(),
        warehouse_id,
        today: desk.biz_date(now),
    };
    if q.kind != InventoryReport::Movements && q.kind != InventoryReport::OnHand {
        ctx.products = products::Entity::find()
            .all(db)
            .await?
            .into_iter()
            .map(|p| (p.id, (p.sku, p.name, p.category)))
            .collect();
    }
    let mut report = match q.kind {
        InventoryReport::OnHand => on_hand(&ctx, actor).await?,
        InventoryReport::AsOf => as_of(&ctx, actor, q).await?,
        InventoryReport::Movements => movements(&ctx, actor, q).await?,
        InventoryReport::Abc => abc(&ctx, q).await?,
        InventoryReport::Turnover => turnover(&ctx, q).await?,
        InventoryReport::Ageing => ageing(&ctx).await?,
        InventoryReport::SlowMoving => slow_moving(&ctx, q).await?,
    };
    report.generated_at = now
        .with_timezone(&desk.company().tz())
        .format("%Y-%m-%d %H:%M")
        .to_string();
    report.company = desk.company().company_name.clone();
    Ok(report)
}

fn empty_report(key: &str, title: &str) -> Report {
    Report {
        key: key.into(),
        title: title.into(),
        params: Vec::new(),
        columns: Vec::new(),
        rows: Vec::new(),
        totals: None,
        chart: None,
        notes: Vec::new(),
        generated_at: String::new(),
        company: String::new(),
    }
}

fn bar_chart(
    ctx: &Ctx<'_>,
    title: &str,
    series: &str,
    mut pairs: Vec<(String, i64)>,
    limit: usize,
) -> Option<ReportChart> {
    pairs.retain(|p| p.1 != 0);
    pairs.sort_by(|a, b| b.1.cmp(&a.1).then_with(|| a.0.cmp(&b.0)));
    pairs.truncate(limit);
    if pairs.is_empty() {
        return None;
    }
    Some(ReportChart {
        title: title.into(),
        series: series.into(),
        labels: pairs.iter().map(|p| p.0.clone()).collect(),
        values: pairs.iter().map(|p| ctx.money(p.1)).collect(),
        line_series: None,
        line: None,
    })
}

async fn on_hand(ctx: &Ctx<'_>, actor: &Actor) -> Result<Report, InventoryError> {
    let lines = super::reports::on_hand(ctx.desk, actor).await?;
    let mut r = empty_report(
        "stock_on_hand",
        ctx.t("库存现存量与金额", "Stock on hand and value"),
    );
    r.params.push(ctx.warehouse_param());
    r.columns = columns(&[
        ("warehouse", ctx.t("仓库", "Warehouse"), K::Text),
        ("category", ctx.t("类目", "Category"), K::Text),
        ("skus", ctx.t("SKU数", "SKUs"), K::Int),
        ("on_hand", ctx.t("现存量", "On hand"), K::Int),
        ("reserved", ctx.t("已预留", "Reserved"), K::Int),
        ("available", ctx.t("可用量", "Available"), K::Int),
        ("value", ctx.t("库存金额", "Value"), K::Money),
    ]);
    let code = ctx.warehouse_id.map(|w| ctx.wh(w));
    let mut tot = (0i64, 0i64, 0i64, 0i64, 0i64);
    let mut pairs = Vec::new();
    for l in lines
        .into_iter()
        .filter(|l| code.as_ref().is_none_or(|c| *c == l.warehouse_code))
    {
        let cat = if l.category.is_empty() {
            ctx.t("(未分类)", "(none)").to_string()
        } else {
            l.category.clone()
        };
        tot = (
            tot.0 + l.skus,
            tot.1 + l.on_hand,
            tot.2 + l.reserved,
            tot.3 + l.available,
            tot.4 + l.value_fen,
        );
        pairs.push((format!("{} · {cat}", l.warehouse_code), l.value_fen));
        r.rows.push(vec![
            l.warehouse_code,
            cat,
            l.skus.to_string(),
            l.on_hand.to_string(),
            l.reserved.to_string(),
            l.available.to_string(),
            ctx.money(l.value_fen),
        ]);
    }
    r.totals = Some(vec![
        ctx.t("合计", "Total").into(),
        String::new(),
        tot.0.to_string(),
        tot.1.to_string(),
        tot.2.to_string(),
        tot.3.to_string(),
        ctx.money(tot.4),
    ]);
    r.chart = bar_chart(
        ctx,
        ctx.t(
            "库存金额（仓库 · 类目）",
            "Stock value by warehouse · category",
        ),
        ctx.t("金额", "Value"),
        pairs,
        15,
    );
    r.notes.push(
        ctx.t(
            "金额按移动加权平均成本计；可用量 = 现存量 − 已预留。",
            "Value at moving-average cost; available = on hand − reserved.",
        )
        .into(),
    );
    Ok(r)
}

async fn as_of(ctx: &Ctx<'_>, actor: &Actor, q: &ReportQuery) -> Result<Report, InventoryError> {
    let date = q.date.unwrap_or(ctx.today);
    let rows: Vec<(i64, i64, i64, i64)> = super::reports::stock_as_of(ctx.desk, actor, date)
        .await?
        .into_iter()
        .filter(|x| ctx.warehouse_id.is_none_or(|w| w == x.warehouse_id))
        .map(|x| (x.product_id, x.warehouse_id, x.qty, x.value_fen))
        .collect();
    let mut r = empty_report("stock_as_of", ctx.t("历史日期库存", "Stock as of a date"));
    r.params.push(ReportParam {
        label: ctx.t("截至日期", "As of").into(),
        value: date.to_string(),
    });
    r.params.push(ctx.warehouse_param());
    r.columns = columns(&[
        ("sku", "SKU", K::Text),
        ("name", ctx.t("品名", "Name"), K::Text),
        ("category", ctx.t("类目", "Category"), K::Text),
        ("warehouse", ctx.t("仓库", "Warehouse"), K::Text),
        ("qty", ctx.t("数量", "Quantity"), K::Int),
        ("value", ctx.t("金额", "Value"), K::Money),
    ]);
    let mut by_wh: BTreeMap<String, i64> = BTreeMap::new();
    let (mut tq, mut tv) = (0i64, 0i64);
    let mut out: Vec<Vec<String>> = Vec::with_capacity(rows.len());
    for (p, w, qty, v) in rows {
        let (sku, name, cat) = ctx.product(p);
        *by_wh.entry(ctx.wh(w)).or_default() += v;
        tq += qty;
        tv += v;
        out.push(vec![
            sku,
            name,
            cat,
            ctx.wh(w),
            qty.to_string(),
            ctx.money(v),
        ]);
    }
    out.sort();
    r.rows = out;
    r.totals = Some(vec![
        ctx.t("合计", "Total").into(),
        String::new(),
        String::new(),
        String::new(),
        tq.to_string(),
        ctx.money(tv),
    ]);
    r.chart = bar_chart(
        ctx,
        ctx.t("各仓库存金额", "Stock value by warehouse"),
        ctx.t("金额", "Value"),
        by_wh.into_iter().collect(),
        15,
    );
    r.notes.push(
        ctx.t(
            "由库存流水按业务日期汇总（含该日），不改写历史；补录与重估分录按其所属日期计入。",
            "Summed from the stock ledger by business date (inclusive), history never rewritten; backdated entries and revaluations count on their own dates.",
        )
        .into(),
    );
    Ok(r)
}

fn kind_label(lang: &str, kind: &str) -> String {
    let zh = match kind {
        "receipt" => "采购入库",
        "move_out" => "移出",
        "move_in" => "移入",
        "reserve" => "预留",
        "release" => "释放预留",
        "pick" => "拣货",
        "ship" => "发货出库",
        "return" => "退货入库",
        "transfer_out" => "调拨出库",
        "in_transit" => "在途",
        "transfer_in" => "调拨入库",
        "adjust" => "盘点/调整",
        "scrap" => "报废",
        "reversal" => "冲销",
        "revalue" => "成本重估",
        other => other,
    };
    if lang.starts_with("zh") {
        zh.into()
    } else {
        kind.replace('_', " ")
    }
}

async fn movements(
    ctx: &Ctx<'_>,
    actor: &Actor,
    q: &ReportQuery,
) -> Result<Report, InventoryError> {
    let code = q
        .sku
        .as_deref()
        .map(str::trim)
        .filter(|s| !s.is_empty())
        .ok_or_else(|| invalid("sku", "required"))?;
    let p = super::warehouse::product_by_code(ctx.desk.db(), code)
        .await?
        .ok_or_else(|| invalid("sku", "not_found"))?;
    let from = q.from;
    let to = q.to;
    let mut rows = super::reports::movements(ctx.desk, actor, code, 5000).await?;
    rows.reverse();
    let mut r = empty_report(
        "stock_movements",
        ctx.t("商品出入库明细", "Movement history"),
    );
    r.params.push(ReportParam {
        label: "SKU".into(),
        value: format!("{} {}", p.sku, p.name),
    });
    r.params.push(ctx.warehouse_param());
    if from.is_some() || to.is_some() {
        r.params.push(ReportParam {
            label: ctx.t("期间", "Period").into(),
            value: format!(
                "{} ~ {}",
                from.map(|d| d.to_string()).unwrap_or_default(),
                to.map(|d| d.to_string()).unwrap_or_default()
            ),
        });
    }
    r.columns = columns(&[
        ("date", ctx.t("业务日期", "Date"), K::Date),
        ("kind", ctx.t("类型", "Kind"), K::Text),
        ("warehouse", ctx.t("仓库", "Warehouse"), K::Text),
        ("location", ctx.t("库位", "Location"), K::Text),
        ("qty", ctx.t("数量", "Quantity"), K::Int),
        ("reserved", ctx.t("预留", "Reserved"), K::Int),
        ("in_transit", ctx.t("在途", "In transit"), K::Int),
        ("value", ctx.t("金额", "Value"), K::Money),
        ("balance", ctx.t("结存", "Balance"), K::Int),
        ("doc", ctx.t("单据", "Document"), K::Text),
        ("user", ctx.t("操作人", "User"), K::Text),
    ]);
    let code = ctx.warehouse_id.map(|w| ctx.wh(w));
    // The running balance is over the chosen warehouse(s): today's stock less what the listed entries moved is
    // where the list starts, even when older entries are not listed.
    let listed: i64 = rows
        .iter()
        .filter(|m| code.as_ref().is_none_or(|c| *c == m.warehouse_code))
        .map(|m| m.qty)
        .sum();
    let now: i64 = ctx
        .stock_now()
        .await?
        .iter()
        .filter(|((pid, _), _)| *pid == p.id)
        .map(|(_, (q, _))| *q)
        .sum();
    let mut balance = now - listed;
    let (mut tq, mut tv) = (0i64, Decimal::ZERO);
    for m in rows
        .into_iter()
        .filter(|m| code.as_ref().is_none_or(|c| *c == m.warehouse_code))
    {
        balance += m.qty;
        if from.is_some_and(|f| m.biz_date < f) || to.is_some_and(|t| m.biz_date > t) {
            continue;
        }
        tq += m.qty;
        tv += m.value.parse::<Decimal>().unwrap_or_default();
        r.rows.push(vec![
            m.biz_date.to_string(),
            kind_label(ctx.lang, &m.kind),
            m.warehouse_code,
            m.location_code,
            m.qty.to_string(),
            m.reserved.to_string(),
            m.in_transit.to_string(),
            m.value,
            balance.to_string(),
            m.doc_no,
            m.username,
        ]);
    }
    r.totals = Some(vec![
        ctx.t("合计", "Total").into(),
        String::new(),
        String::new(),
        String::new(),
        tq.to_string(),
        String::new(),
        String::new(),
        format!("{tv:.2}"),
        balance.to_string(),
        String::new(),
        String::new(),
    ]);
    r.notes.push(
        ctx.t(
            "结存为所选仓库该笔流水后的现存量；最多列出最近5000笔。",
            "Balance is the on-hand quantity in the chosen warehouse(s) after each entry; the latest 5,000 entries at most.",
        )
        .into(),
    );
    Ok(r)
}

async fn abc(ctx: &Ctx<'_>, q: &ReportQuery) -> Result<Report, InventoryError> {
    let (from, to) = default_period(q, ctx.today)?;
    let basis = q.basis.unwrap_or_default();
    let issued = ctx.issued(from, to).await?;
    let mut stock: HashMap<i64, (i64, i64)> = HashMap::new();
    for ((p, _), (qty, v)) in ctx.stock_now().await? {
        let e = stock.entry(p).or_default();
        e.0 += qty;
        e.1 += v;
    }
    let mut ids: Vec<i64> = issued.keys().chain(stock.keys()).copied().collect();
    ids.sort_unstable();
    ids.dedup();
    let metric = |p: &i64| {
        let (q, v) = issued.get(p).copied().unwrap_or((0, 0));
        Ord::max(if basis == AbcBasis::Value { v } else { q }, 0)
    };
    let mut items: Vec<(i64, i64, String)> = ids
        .iter()
        .map(|p| (*p, metric(p), ctx.product(*p).0))
        .collect();
    items.sort_by(|a, b| b.1.cmp(&a.1).then_with(|| a.2.cmp(&b.2)));
    let total: i64 = items.iter().map(|i| i.1).sum();
    let mut r = empty_report(
        "stock_abc",
        if basis == AbcBasis::Value {
            ctx.t("ABC分类（按金额）", "ABC classification by value")
        } else {
            ctx.t("ABC分类（按数量）", "ABC classification by volume")
        },
    );
    r.params.push(ctx.period_param(from, to));
    r.params.push(ctx.warehouse_param());
    r.params.push(ReportParam {
        label: ctx.t("分类界限", "Class limits").into(),
        value: "A 80% · B 95%".into(),
    });
    r.columns = columns(&[
        ("rank", ctx.t("排名", "Rank"), K::Int),
        ("sku", "SKU", K::Text),
        ("name", ctx.t("品名", "Name"), K::Text),
        ("category", ctx.t("类目", "Category"), K::Text),
        ("issued_qty", ctx.t("出库数量", "Issued qty"), K::Int),
        ("issued_value", ctx.t("出库成本", "Issued value"), K::Money),
        ("share", ctx.t("占比%", "Share %"), K::Percent),
        ("cumulative", ctx.t("累计%", "Cumulative %"), K::Percent),
        ("class", ctx.t("分类", "Class"), K::Text),
        ("on_hand", ctx.t("现存量", "On hand"), K::Int),
        ("stock_value", ctx.t("库存金额", "Stock value"), K::Money),
    ]);
    let mut cum = 0i64;
    let mut classes: BTreeMap<&str, (i64, i64)> = BTreeMap::new();
    let (mut tq, mut tv, mut sq, mut sv) = (0i64, 0i64, 0i64, 0i64);
    let mut chart_labels = Vec::new();
    let mut chart_values = Vec::new();
    let mut chart_cum = Vec::new();
    let dtotal = Decimal::from(total);
    for (i, (p, m, _)) in items.iter().enumerate() {
        // Exact: cum_before / total < 80 % ⇔ 100 × cum_before < 80 × total.
        let class = if *m == 0 || total == 0 {
            "C"
        } else if cum * 100 < 80 * total {
            "A"
        } else if cum * 100 < 95 * total {
            "B"
        } else {
            "C"
        };
        cum += m;
        let (iq, iv) = issued.get(p).copied().unwrap_or((0, 0));
        let (oq, ov) = stock.get(p).copied().unwrap_or((0, 0));
        let (sku, name, cat) = ctx.product(*p);
        let c = classes.entry(class).or_default();
        c.0 += 1;
        c.1 += m;
        tq += iq;
        tv += iv;
        sq += oq;
        sv += ov;
        if i < 20 && *m > 0 {
            chart_labels.push(sku.clone());
            chart_values.push(if basis == AbcBasis::Value {
                ctx.money(*m)
            } else {
                m.to_string()
            });
            chart_cum.push(percent(Decimal::from(cum), dtotal));
        }
        r.rows.push(vec![
            (i + 1).to_string(),
            sku,
            name,
            cat,
            iq.to_string(),
            ctx.money(iv),
            percent(Decimal::from(*m), dtotal),
            percent(Decimal::from(cum), dtotal),
            class.into(),
            oq.to_string(),
            ctx.money(ov),
        ]);
    }
    r.totals = Some(vec![
        String::new(),
        ctx.t("合计", "Total").into(),
        format!("{} SKU", items.len()),
        String::new(),
        tq.to_string(),
        ctx.money(tv),
        if total > 0 {
            "100.00".into()
        } else {
            String::new()
        },
        String::new(),
        String::new(),
        sq.to_string(),
        ctx.money(sv),
    ]);
    if !chart_labels.is_empty() {
        r.chart = Some(ReportChart {
            title: ctx
                .t("帕累托图（前20个SKU）", "Pareto chart (top 20 SKUs)")
                .into(),
            series: if basis == AbcBasis::Value {
                ctx.t("出库成本", "Issued value").into()
            } else {
                ctx.t("出库数量", "Issued qty").into()
            },
            labels: chart_labels,
            values: chart_values,
            line_series: Some(ctx.t("累计%", "Cumulative %").into()),
            line: Some(chart_cum),
        });
    }
    for (class, (n, m)) in &classes {
        r.notes.push(format!(
            "{class}: {n} SKU · {}%",
            if total > 0 {
                percent(Decimal::from(*m), dtotal)
            } else {
                "0.00".into()
            }
        ));
    }
    r.notes.push(
        ctx.t(
            "出库 = 发货出库减客户退货（含对发货的成本重估）；累计占比（不含本行）低于80%为A，低于95%为B，其余及无出库为C。",
            "Issued = shipments net of customer returns (with revaluations of shipments); A while the cumulative share before the SKU is below 80 %, B below 95 %, else C (nothing issued is C).",
        )
        .into(),
    );
    Ok(r)
}

async fn turnover(ctx: &Ctx<'_>, q: &ReportQuery) -> Result<Report, InventoryError> {
    let (from, to) = default_period(q, ctx.today)?;
    let days = (to - from).num_days() + 1;
    let issued = ctx.issued(from, to).await?;
    let opening_date = from - Duration::days(1);
    let mut values: Vec<Value> = vec![opening_date.into(), to.into()];
    let wh = ctx.wh_filter("", &mut values);
    let sql = format!(
        "SELECT product_id, CAST(SUM(CASE WHEN biz_date <= {} THEN value ELSE 0 END) AS BIGINT) AS o, \
         CAST(SUM(value) AS BIGINT) AS c FROM stock_ledger WHERE biz_date <= {}{wh} GROUP BY product_id",
        ctx.ph(1),
        ctx.ph(2)
    );
    let mut values_by: BTreeMap<i64, (i64, i64)> = BTreeMap::new();
    for x in ctx.query(sql, values).await? {
        values_by.insert(
            x.try_get("", "product_id")?,
            (x.try_get("", "o")?, x.try_get("", "c")?),
        );
    }
    for p in issued.keys() {
        values_by.entry(*p).or_default();
    }
    let mut r = empty_report(
        "stock_turnover",
        ctx.t("库存周转与周转天数", "Turnover and days of inventory"),
    );
    r.params.push(ctx.period_param(from, to));
    r.params.push(ReportParam {
        label: ctx.t("天数", "Days").into(),
        value: days.to_string(),
    });
    r.params.push(ctx.warehouse_param());
    r.columns = columns(&[
        ("sku", "SKU", K::Text),
        ("name", ctx.t("品名", "Name"), K::Text),
        ("category", ctx.t("类目", "Category"), K::Text),
        ("opening", ctx.t("期初金额", "Opening value"), K::Money),
        ("closing", ctx.t("期末金额", "Closing value"), K::Money),
        ("average", ctx.t("平均库存", "Average stock"), K::Money),
        ("cogs", ctx.t("出库成本", "COGS"), K::Money),
        ("issued_qty", ctx.t("出库数量", "Issued qty"), K::Int),
        ("turnover", ctx.t("周转次数", "Turnover"), K::Decimal),
        ("days", ctx.t("周转天数", "Days of inventory"), K::Decimal),
    ]);
    let ratio = |cogs: i64, avg: Decimal| -> (String, String) {
        let turns = if avg.is_zero() {
            String::new()
        } else {
            round_text(Decimal::from(cogs) / avg, 2)
        };
        let cover = if cogs <= 0 {
            String::new()
        } else {
            round_text(Decimal::from(days) * avg / Decimal::from(cogs), 1)
        };
        (turns, cover)
    };
    let mut rows: Vec<(i64, Vec<String>)> = Vec::new();
    let (mut to_, mut tc, mut tcogs, mut tq) = (0i64, 0i64, 0i64, 0i64);
    let mut by_cat: BTreeMap<String, (i64, i64, i64)> = BTreeMap::new();
    for (p, (o, c)) in values_by {
        let (iq, cogs) = issued.get(&p).copied().unwrap_or((0, 0));
        if o == 0 && c == 0 && cogs == 0 {
            continue;
        }
        let avg = Decimal::from(o + c) / Decimal::from(2);
        let (turns, cover) = ratio(cogs, avg);
        let (sku, name, cat) = ctx.product(p);
        let e = by_cat
            .entry(if cat.is_empty() {
                ctx.t("(未分类)", "(none)").into()
            } else {
                cat.clone()
            })
            .or_default();
        e.0 += o;
        e.1 += c;
        e.2 += cogs;
        to_ += o;
        tc += c;
        tcogs += cogs;
        tq += iq;
        rows.push((
            cogs,
            vec![
                sku,
                name,
                cat,
                ctx.money(o),
                ctx.money(c),
                money_dec(avg),
                ctx.money(cogs),
                iq.to_string(),
                turns,
                cover,
            ],
        ));
    }
    rows.sort_by(|a, b| b.0.cmp(&a.0).then_with(|| a.1[0].cmp(&b.1[0])));
    r.rows = rows.into_iter().map(|x| x.1).collect();
    let tavg = Decimal::from(to_ + tc) / Decimal::from(2);
    let (tturns, tcover) = ratio(tcogs, tavg);
    r.totals = Some(vec![
        ctx.t("合计", "Total").into(),
        String::new(),
        String::new(),
        ctx.money(to_),
        ctx.money(tc),
        money_dec(tavg),
        ctx.money(tcogs),
        tq.to_string(),
        tturns,
        tcover,
    ]);
    let mut cats: Vec<(String, String, Decimal)> = by_cat
        .into_iter()
        .filter_map(|(cat, (o, c, cogs))| {
            let avg = Decimal::from(o + c) / Decimal::from(2);
            (!avg.is_zero()).then(|| {
                let t = Decimal::from(cogs) / avg;
                (cat, round_text(t, 2), t)
            })
        })
        .collect();
    cats.sort_by(|a, b| b.2.cmp(&a.2).then_with(|| a.0.cmp(&b.0)));
    cats.truncate(15);
    if !cats.is_empty() {
        r.chart = Some(ReportChart {
            title: ctx.t("各类目周转次数", "Turnover by category").into(),
            series: ctx.t("周转次数", "Turnover").into(),
            labels: cats.iter().map(|c| c.0.clone()).collect(),
            values: cats.iter().map(|c| c.1.clone()).collect(),
            line_series: None,
            line: None,
        });
    }
    r.notes.push(
        ctx.t(
            "周转次数 = 出库成本 ÷ 平均库存（(期初+期末)÷2，按成本）；周转天数 = 期间天数 × 平均库存 ÷ 出库成本；无出库则周转天数为空。四舍五入：次数两位、天数一位小数。",
            "Turnover = COGS ÷ average stock ((opening + closing) ÷ 2, at cost); days of inventory = days × average ÷ COGS, empty without COGS. Rounded half away from zero: turnover to 0.01, days to 0.1.",
        )
        .into(),
    );
    Ok(r)
}

/// Age buckets in days (upper bounds, inclusive); the last is open.
const BUCKETS: [(i64, &str); 6] = [
    (30, "0–30"),
    (60, "31–60"),
    (90, "61–90"),
    (180, "91–180"),
    (365, "181–365"),
    (i64::MAX, ">365"),
];

async fn ageing(ctx: &Ctx<'_>) -> Result<Report, InventoryError> {
    let stock = ctx.stock_now().await?;
    // Incoming entries newest first, only as many per SKU × warehouse as its on-hand quantity needs: the
    // running sum (a window function) cuts the rest inside the database.
    let mut values = Vec::new();
    let wh = ctx.wh_filter("l.", &mut values);
    let sql = format!(
        "SELECT product_id, warehouse_id, biz_date, qty, cum FROM ( \
           SELECT l.product_id, l.warehouse_id, l.biz_date, l.qty, v.qty AS on_hand, \
             CAST(SUM(l.qty) OVER (PARTITION BY l.product_id, l.warehouse_id ORDER BY l.biz_date DESC, l.id DESC) AS BIGINT) AS cum \
           FROM stock_ledger l JOIN stock_valuations v ON v.product_id = l.product_id AND v.warehouse_id = l.warehouse_id \
           WHERE v.qty > 0 AND l.qty > 0 AND l.kind IN ('receipt', 'transfer_in', 'return', 'adjust'){wh} \
         ) x WHERE cum - qty < on_hand ORDER BY product_id, warehouse_id, cum"
    );
    let mut layers: HashMap<(i64, i64), Vec<(NaiveDate, i64)>> = HashMap::new();
    for x in ctx.query(sql, values).await? {
        layers
            .entry((x.try_get("", "product_id")?, x.try_get("", "warehouse_id")?))
            .or_default()
            .push((x.try_get("", "biz_date")?, x.try_get("", "qty")?));
    }
    let mut r = empty_report("stock_ageing", ctx.t("库龄分析", "Stock ageing"));
    r.params.push(ReportParam {
        label: ctx.t("截至日期", "As of").into(),
        value: ctx.today.to_string(),
    });
    r.params.push(ctx.warehouse_param());
    let mut cols = vec![
        ("sku".to_string(), "SKU".to_string(), K::Text),
        ("name".into(), ctx.t("品名", "Name").into(), K::Text),
        (
            "warehouse".into(),
            ctx.t("仓库", "Warehouse").into(),
            K::Text,
        ),
        ("on_hand".into(), ctx.t("现存量", "On hand").into(), K::Int),
        ("value".into(), ctx.t("库存金额", "Value").into(), K::Money),
    ];
    for (i, (_, label)) in BUCKETS.iter().enumerate() {
        cols.push((
            format!("b{i}"),
            format!("{label}{}", ctx.t("天", "d")),
            K::Money,
        ));
    }
    cols.push((
        "oldest".into(),
        ctx.t("最早入库", "Oldest receipt").into(),
        K::Date,
    ));
    r.columns = cols
        .into_iter()
        .map(|(key, label, kind)| crate::report::ReportColumn { key, label, kind })
        .collect();
    let mut totals = [0i64; BUCKETS.len()];
    let (mut tq, mut tv) = (0i64, 0i64);
    let mut rows: Vec<(i64, Vec<String>)> = Vec::new();
    for ((p, w), (qty, value)) in &stock {
        if *qty <= 0 {
            continue;
        }
        // Quantity per bucket: layers newest first, the part of the last layer that is still on hand, and
        // any quantity no incoming entry explains in the oldest bucket.
        let mut qty_b = [0i64; BUCKETS.len()];
        let mut left = *qty;
        let mut oldest = None;
        for (date, q) in layers.get(&(*p, *w)).map(Vec::as_slice).unwrap_or(&[]) {
            if left == 0 {
                break;
            }
            let take = Ord::min(*q, left);
            let age = (ctx.today - *date).num_days();
            let b = BUCKETS
                .iter()
                .position(|(upper, _)| age <= *upper)
                .unwrap_or(BUCKETS.len() - 1);
            qty_b[b] += take;
            left -= take;
            oldest = Some(*date);
        }
        qty_b[BUCKETS.len() - 1] += left;
        // Value by quantity, youngest first, the residual left to the oldest non-empty bucket.
        let mut val_b = [0i64; BUCKETS.len()];
        let (mut vq, mut vv) = (*qty, *value);
        for (b, bq) in qty_b.iter().enumerate() {
            if *bq == 0 {
                continue;
            }
            let part = super::value_out(vv, vq, *bq);
            val_b[b] = part;
            vq -= bq;
            vv -= part;
        }
        let (sku, name, _) = ctx.product(*p);
        let mut row = vec![sku, name, ctx.wh(*w), qty.to_string(), ctx.money(*value)];
        for (b, v) in val_b.iter().enumerate() {
            totals[b] += v;
            row.push(if qty_b[b] == 0 {
                String::new()
            } else {
                ctx.money(*v)
            });
        }
        row.push(oldest.map(|d| d.to_string()).unwrap_or_default());
        tq += qty;
        tv += value;
        rows.push((*value, row));
    }
    rows.sort_by(|a, b| b.0.cmp(&a.0).then_with(|| a.1[0].cmp(&b.1[0])));
    r.rows = rows.into_iter().map(|x| x.1).collect();
    let mut t = vec![
        ctx.t("合计", "Total").into(),
        String::new(),
        String::new(),
        tq.to_string(),
        ctx.money(tv),
    ];
    t.extend(totals.iter().map(|v| ctx.money(*v)));
    t.push(String::new());
    r.totals = Some(t);
    r.chart = Some(ReportChart {
        title: ctx.t("各库龄段库存金额", "Stock value by age").into(),
        series: ctx.t("金额", "Value").into(),
        labels: BUCKETS
            .iter()
            .map(|b| format!("{}{}", b.1, ctx.t("天", " days")))
            .collect(),
        values: totals.iter().map(|v| ctx.money(*v)).collect(),
        line_series: None,
        line: None,
    });
    r.notes.push(
        ctx.t(
            "库龄按先进先出：现存量视为最近入库（采购、调入、退货、盘盈）的货；金额按数量分摊，尾差计入最老库龄段。",
            "First in, first out: what is on hand is what came in most recently (receipts, transfers in, returns, positive adjustments); value is split by quantity, the rounding residual in the oldest bucket.",
        )
        .into(),
    );
    Ok(r)
}

async fn slow_moving(ctx: &Ctx<'_>, q: &ReportQuery) -> Result<Report, InventoryError> {
    let threshold = q.days.unwrap_or(90);
    if threshold < 1 {
        return Err(invalid("days", "positive"));
    }
    let stock = ctx.stock_now().await?;
    let mut values = Vec::new();
    let wh = ctx.wh_filter("", &mut values);
    let sql = format!(
        "SELECT product_id, warehouse_id, \
           MAX(CASE WHEN kind = 'ship' THEN biz_date END) AS last_issue, \
           MIN(CASE WHEN qty > 0 AND kind IN ('receipt', 'transfer_in', 'return', 'adjust') THEN biz_date END) AS first_in, \
           MAX(CASE WHEN qty > 0 AND kind IN ('receipt', 'transfer_in', 'return', 'adjust') THEN biz_date END) AS last_in \
         FROM stock_ledger WHERE qty <> 0{wh} GROUP BY product_id, warehouse_id"
    );
    type Dates = (Option<NaiveDate>, Option<NaiveDate>, Option<NaiveDate>);
    let mut dates: HashMap<(i64, i64), Dates> = HashMap::new();
    for x in ctx.query(sql, values).await? {
        dates.insert(
            (x.try_get("", "product_id")?, x.try_get("", "warehouse_id")?),
            (
                x.try_get("", "last_issue")?,
                x.try_get("", "first_in")?,
                x.try_get("", "last_in")?,
            ),
        );
    }
    let mut r = empty_report("stock_slow_moving", ctx.t("滞销库存", "Slow-moving stock"));
    r.params.push(ReportParam {
        label: ctx.t("无出库天数超过", "No issue for more than").into(),
        value: format!("{threshold}{}", ctx.t("天", " days")),
    });
    r.params.push(ReportParam {
        label: ctx.t("截至日期", "As of").into(),
        value: ctx.today.to_string(),
    });
    r.params.push(ctx.warehouse_param());
    r.columns = columns(&[
        ("sku", "SKU", K::Text),
        ("name", ctx.t("品名", "Name"), K::Text),
        ("category", ctx.t("类目", "Category"), K::Text),
        ("warehouse", ctx.t("仓库", "Warehouse"), K::Text),
        ("on_hand", ctx.t("现存量", "On hand"), K::Int),
        ("value", ctx.t("库存金额", "Value"), K::Money),
        ("last_issue", ctx.t("最近出库", "Last issue"), K::Date),
        ("last_receipt", ctx.t("最近入库", "Last receipt"), K::Date),
        ("idle_days", ctx.t("呆滞天数", "Days idle"), K::Int),
    ]);
    let mut rows: Vec<(i64, Vec<String>)> = Vec::new();
    let (mut tq, mut tv) = (0i64, 0i64);
    let mut pairs = Vec::new();
    for ((p, w), (qty, value)) in &stock {
        if *qty <= 0 {
            continue;
        }
        let (last_issue, first_in, last_in) =
            dates.get(&(*p, *w)).copied().unwrap_or((None, None, None));
        let Some(since) = last_issue.or(first_in) else {
            continue;
        };
        let idle = (ctx.today - since).num_days();
        if idle <= threshold {
            continue;
        }
        let (sku, name, cat) = ctx.product(*p);
        tq += qty;
        tv += value;
        pairs.push((format!("{sku} · {}", ctx.wh(*w)), *value));
        rows.push((
            *value,
            vec![
                sku,
                name,
                cat,
                ctx.wh(*w),
                qty.to_string(),
                ctx.money(*value),
                last_issue
                    .map(|d| d.to_string())
                    .unwrap_or_else(|| ctx.t("从未", "never").into()),
                last_in.map(|d| d.to_string()).unwrap_or_default(),
                idle.to_string(),
            ],
        ));
    }
    rows.sort_by(|a, b| b.0.cmp(&a.0).then_with(|| a.1[0].cmp(&b.1[0])));
    r.rows = rows.into_iter().map(|x| x.1).collect();
    r.totals = Some(vec![
        ctx.t("合计", "Total").into(),
        format!("{} SKU", r.rows.len()),
        String::new(),
        String::new(),
        tq.to_string(),
        ctx.money(tv),
        String::new(),
        String::new(),
        String::new(),
    ]);
    r.chart = bar_chart(
        ctx,
        ctx.t("滞销库存金额（前15）", "Slow-moving value (top 15)"),
        ctx.t("金额", "Value"),
        pairs,
        15,
    );
    r.notes.push(
        ctx.t(
            "呆滞天数 = 今天距最近一次发货出库；从未出库的按首次入库起算。",
            "Days idle = days since the last shipment; never shipped counts from the first receipt.",
        )
        .into(),
    );
    Ok(r)
}
