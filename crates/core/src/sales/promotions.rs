//! Promotions (促销), applied when an order is priced here (phone orders; imported orders come priced by their
//! platform). Every line keeps its list price and shows, step by step, how its price was reached.
//!
//! Kinds:
//! - `percent` (折扣): `percent_off` % off the list price of the SKUs in scope.
//! - `flash_sale` (秒杀): a fixed unit `price` for the SKUs in scope, for at most `cap` units over all orders —
//!   units past the cap pay the usual price, and the cap is taken by one guarded update when the order is saved,
//!   so it can never be exceeded, even by two clerks at once.
//! - `group_buy` (拼团): a fixed unit `price` when the order belongs to a group of at least `min_group` buyers.
//! - `spend_save` (满减): tiers `[{threshold, off}]`; the highest tier the eligible subtotal reaches applies once
//!   (满500减60 is not twice 满200减20 plus more).
//! - `coupon` (优惠券): entered by its code; `off` an amount or `percent_off`, from `min_spend`; `cap` uses in all,
//!   `per_buyer` uses per buyer; one coupon per order.
//!
//! **Stacking, in this order:** (1) item prices — of percent, flash sale and group buy, each line takes the one
//! that gives the lowest price; they never stack with each other; (2) spend-and-save on the subtotal after item
//! prices of the lines in its scope, flash-sale lines excluded (秒杀商品不参与满减); (3) one coupon on what is left
//! after spend-and-save, flash-sale lines excluded. An order-level discount is spread over its lines in proportion
//! to their amounts, rounded to the fen with the remainder on the largest lines, so lines always add up to the
//! order. A line whose price the clerk typed is a negotiated price: no promotion touches it.
//!
//! Rounding: a percentage is taken off the line amount (list × qty) once, rounded half away from zero to the fen.

use super::{SalesError, invalid, money_text};
use crate::Shopdesk;
use crate::audit::{self, Action};
use crate::auth::{Actor, Permission};
use crate::entities::{products, promotion_uses, promotions};
use crate::money::{Currency, Money, UnitPrice};
use chrono::{DateTime, Utc};
use rust_decimal::{Decimal, RoundingStrategy};
use sea_orm::sea_query::Expr;
use sea_orm::{
    ColumnTrait, ConnectionTrait, EntityTrait, PaginatorTrait, QueryFilter, QueryOrder, Set,
};
use serde::{Deserialize, Serialize};
use std::collections::HashMap;
use std::str::FromStr;
use ts_rs::TS;

pub const KINDS: &[&str] = &["percent", "flash_sale", "group_buy", "spend_save", "coupon"];

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(default)]
pub struct Tier {
    pub threshold: String,
    pub off: String,
}

/// The parameters of a promotion; which ones matter depends on its kind.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(default)]
pub struct PromotionParams {
    /// percent, coupon: percent off (e.g. "10" for 10 %).
    pub percent_off: String,
    /// flash_sale, group_buy: the unit price.
    pub price: String,
    /// spend_save: the tiers.
    pub tiers: Vec<Tier>,
    /// coupon: an amount off.
    pub off: String,
    /// coupon: the least eligible subtotal.
    pub min_spend: String,
    /// group_buy: the least group size.
    pub min_group: u32,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct Promotion {
    #[ts(type = "number")]
    pub id: i64,
    pub code: String,
    pub name: String,
    pub kind: String,
    pub params: PromotionParams,
    pub channels: Vec<String>,
    pub skus: Vec<String>,
    pub starts_at: DateTime<Utc>,
    pub ends_at: DateTime<Utc>,
    #[ts(type = "number | null")]
    pub cap: Option<i64>,
    #[ts(type = "number")]
    pub used: i64,
    pub per_buyer: Option<i32>,
    pub enabled: bool,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct PromotionInput {
    pub code: String,
    pub name: String,
    pub kind: String,
    pub params: PromotionParams,
    pub channels: Vec<String>,
    pub skus: Vec<String>,
    pub starts_at: DateTime<Utc>,
    pub ends_at: DateTime<Utc>,
    #[ts(type = "number | null")]
    pub cap: Option<i64>,
    pub per_buyer: Option<i32>,
    pub enabled: bool,
}

fn to_view(m: promotions::Model) -> Promotion {
    let split = |s: &str| -> Vec<String> {
        s.split(',')
            .map(str::trim)
            .filter(|x| !x.is_empty())
            .map(str::to_string)
            .collect()
    };
    Promotion {
        id: m.id,
        params: serde_json::from_str(&m.params).unwrap_or_default(),
        channels: split(&m.channels),
        skus: split(&m.skus),
        code: m.code,
        name: m.name,
        kind: m.kind,
        starts_at: m.starts_at,
        ends_at: m.ends_at,
        cap: m.cap,
        used: m.used,
        per_buyer: m.per_buyer,
        enabled: m.enabled,
    }
}

/// Every promotion, newest first.
pub async fn list(desk: &Shopdesk, actor: &Actor) -> Result<Vec<Promotion>, SalesError> {
    actor.require(Permission::ViewOrders)?;
    Ok(promotions::Entity::find()
        .order_by_desc(promotions::Column::Id)
        .all(desk.db())
        .await?
        .into_iter()
        .map(to_view)
        .collect())
}

fn dec(field: &str, s: &str, required: bool) -> Result<Option<Decimal>, SalesError> {
    let t = s.trim();
    if t.is_empty() {
        return if required {
            Err(invalid(field, "required"))
        } else {
            Ok(None)
        };
    }
    match Decimal::from_str(t) {
        Ok(d) if d >= Decimal::ZERO && d.scale() <= 4 => Ok(Some(d)),
        _ => Err(invalid(field, "number")),
    }
}

fn validate(i: &PromotionInput, cur: Currency) -> Result<(), SalesError> {
    let code = i.code.trim();
    if code.is_empty()
        || code.chars().count() > 32
        || !code
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_')
    {
        return Err(invalid("code", "format"));
    }
    if i.name.trim().is_empty() || i.name.chars().count() > 128 {
        return Err(invalid("name", "required"));
    }
    if !KINDS.contains(&i.kind.as_str()) {
        return Err(invalid("kind", "one_of"));
    }
    if i.ends_at <= i.starts_at {
        return Err(invalid("ends_at", "after_start"));
    }
    if i.cap.is_some_and(|c| c <= 0) {
        return Err(invalid("cap", "positive"));
    }
    // A cap means something for flash sales (units) and coupons (uses) only.
    if i.cap.is_some() && !["flash_sale", "coupon"].contains(&i.kind.as_str()) {
        return Err(invalid("cap", "not_for_kind"));
    }
    if let Some(n) = i.per_buyer {
        if i.kind != "coupon" {
            return Err(invalid("per_buyer", "not_for_kind"));
        }
        if n < 1 {
            return Err(invalid("per_buyer", "positive"));
        }
    }
    // Amounts are money of the company currency (two decimals for CNY), prices up to four decimals.
    let money = |field: &str, v: &str, required: bool| -> Result<(), SalesError> {
        if v.trim().is_empty() {
            return if required {
                Err(invalid(field, "required"))
            } else {
                Ok(())
            };
        }
        match Money::parse(v, cur) {
            Ok(m) if m.minor() >= 0 => Ok(()),
            _ => Err(invalid(field, "money")),
        }
    };
    let p = &i.params;
    match i.kind.as_str() {
        "percent" => {
            let d = dec("params.percent_off", &p.percent_off, true)?.unwrap_or_default();
            if d <= Decimal::ZERO || d >= Decimal::from(100) {
                return Err(invalid("params.percent_off", "range"));
            }
        }
        "flash_sale" | "group_buy" => {
            dec("params.price", &p.price, true)?;
            if i.kind == "flash_sale" && i.cap.is_none() {
                return Err(invalid("cap", "required"));
            }
            if i.kind == "group_buy" && p.min_group < 2 {
                return Err(invalid("params.min_group", "range"));
            }
            if i.skus.is_empty() {
                return Err(invalid("skus", "required"));
            }
        }
        "spend_save" => {
            if p.tiers.is_empty() {
                return Err(invalid("params.tiers", "required"));
            }
            for (n, t) in p.tiers.iter().enumerate() {
                money(&format!("params.tiers[{n}].threshold"), &t.threshold, true)?;
                money(&format!("params.tiers[{n}].off"), &t.off, true)?;
                let th = dec(&format!("params.tiers[{n}].threshold"), &t.threshold, true)?;
                let off = dec(&format!("params.tiers[{n}].off"), &t.off, true)?;
                if off >= th || off == Some(Decimal::ZERO) {
                    return Err(invalid(&format!("params.tiers[{n}].off"), "range"));
                }
            }
        }
        _ => {
            let pct = dec("params.percent_off", &p.percent_off, false)?;
            money("params.off", &p.off, false)?;
            money("params.min_spend", &p.min_spend, false)?;
            let off = dec("params.off", &p.off, false)?;
            if pct.is_some() == off.is_some() {
                return Err(invalid("params.off", "one_of"));
            }
            if pct.is_some_and(|d| d <= Decimal::ZERO || d >= Decimal::from(100)) {
                return Err(invalid("params.percent_off", "range"));
            }
            if off == Some(Decimal::ZERO) {
                return Err(invalid("params.off", "positive"));
            }
        }
    }
    Ok(())
}

/// Creates a promotion, or updates the one with the same code (its use count is kept).
pub async fn save(
    desk: &Shopdesk,
    actor: &Actor,
    i: &PromotionInput,
) -> Result<Promotion, SalesError> {
    actor.require(Permission::EditOrders)?;
    validate(
        i,
        Currency::parse(&desk.company().currency).unwrap_or(Currency::CNY),
    )?;
    let txn = desk.write_txn().await?;
    let now = desk.now();
    let code = i.code.trim().to_string();
    let before = promotions::Entity::find()
        .filter(promotions::Column::Code.eq(&code))
        .one(&txn)
        .await?;
    let params = serde_json::to_string(&i.params).unwrap_or_default();
    let join = |v: &[String]| {
        v.iter()
            .map(|s| s.trim())
            .filter(|s| !s.is_empty())
            .collect::<Vec<_>>()
            .join(",")
    };
    let mut am = promotions::ActiveModel {
        code: Set(code.clone()),
        name: Set(i.name.trim().to_string()),
        kind: Set(i.kind.clone()),
        params: Set(params),
        channels: Set(join(&i.channels)),
        skus: Set(join(&i.skus)),
        starts_at: Set(i.starts_at),
        ends_at: Set(i.ends_at),
        cap: Set(i.cap),
        per_buyer: Set(i.per_buyer),
        enabled: Set(i.enabled),
        updated_by: Set(actor.username.clone()),
        updated_at: Set(now),
        ..Default::default()
    };
    let id = match &before {
        Some(b) => {
            am.id = Set(b.id);
            promotions::Entity::update(am).exec(&txn).await?;
            b.id
        }
        None => {
            am.used = Set(0);
            am.created_at = Set(now);
            promotions::Entity::insert(am)
                .exec(&txn)
                .await?
                .last_insert_id
        }
    };
    let saved = promotions::Entity::find_by_id(id)
        .one(&txn)
        .await?
        .map(to_view)
        .ok_or_else(|| SalesError::NotFound {
            entity: "promotion",
            key: code.clone(),
        })?;
    audit::record(
        desk,
        &txn,
        actor,
        if before.is_some() {
            Action::Update
        } else {
            Action::Create
        },
        "promotion",
        Some(id),
        &code,
        before.map(to_view).as_ref(),
        Some(&saved),
    )
    .await?;
    txn.commit().await?;
    Ok(saved)
}

// ---------------------------------------------------------------------------------------------------------------
// Pricing

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(default)]
pub struct QuoteLine {
    pub sku: String,
    #[ts(type = "number")]
    pub qty: i64,
    /// A price the clerk typed (negotiated): kept, no promotion applies. Empty: list price and promotions.
    pub unit_price: String,
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(default)]
pub struct QuoteInput {
    pub channel: String,
    pub buyer: String,
    pub lines: Vec<QuoteLine>,
    /// A coupon code the buyer gave.
    pub coupon: String,
    /// The size of the group this order belongs to (拼团), if any.
    pub group_size: u32,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct PricedLine {
    pub sku: String,
    #[ts(type = "number")]
    pub product_id: i64,
    pub name: String,
    pub spec: String,
    #[ts(type = "number")]
    pub qty: i64,
    /// The list (or typed) unit price.
    pub unit_price: String,
    /// list × qty, minor units.
    #[ts(type = "number")]
    pub list_amount: i64,
    /// Every promotion's discount on this line, minor units.
    #[ts(type = "number")]
    pub discount: i64,
    /// What the line sells for, minor units.
    #[ts(type = "number")]
    pub amount: i64,
    /// How the price was reached, one step each.
    pub steps: Vec<String>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct AppliedPromotion {
    #[ts(type = "number")]
    pub promotion_id: i64,
    pub code: String,
    pub name: String,
    pub kind: String,
    /// Units at the promotion's price (flash sale, group buy).
    #[ts(type = "number")]
    pub units: i64,
    #[ts(type = "number")]
    pub discount: i64,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct PricedOrder {
    pub currency: String,
    pub lines: Vec<PricedLine>,
    pub applied: Vec<AppliedPromotion>,
    /// Σ list amounts.
    pub goods: String,
    /// Σ discounts.
    pub discount: String,
    /// goods − discount (before shipping).
    pub total: String,
    /// Why a coupon given did not apply (empty when it did or none was given).
    pub coupon_problem: String,
}

fn round_fen(d: Decimal) -> i64 {
    use rust_decimal::prelude::ToPrimitive;
    d.round_dp_with_strategy(0, RoundingStrategy::MidpointAwayFromZero)
        .to_i64()
        .unwrap_or(0)
}

fn in_scope(p: &promotions::Model, sku: &str, channel: &str) -> bool {
    let list = |s: &str, x: &str| s.is_empty() || s.split(',').any(|v| v.trim() == x);
    list(&p.skus, sku) && list(&p.channels, channel)
}

/// Spreads `total` minor units over `weights` in proportion, rounding down and giving the remainder one unit at
/// a time to the largest weights first: the parts always add up to `total`.
pub fn spread(total: i64, weights: &[i64]) -> Vec<i64> {
    let sum: i64 = weights.iter().sum();
    if sum <= 0 || total == 0 {
        return vec![0; weights.len()];
    }
    let mut parts: Vec<i64> = weights
        .iter()
        .map(|w| (i128::from(total) * i128::from(*w) / i128::from(sum)) as i64)
        .collect();
    let mut left = total - parts.iter().sum::<i64>();
    let mut order: Vec<usize> = (0..weights.len()).collect();
    order.sort_by_key(|&i| (-weights[i], i));
    for &i in order.iter().cycle() {
        if left == 0 {
            break;
        }
        if weights[i] > 0 {
            parts[i] += 1;
            left -= 1;
        }
    }
    parts
}

/// Prices lines with the promotions in force now (see the module docs for the rules); changes nothing.
pub async fn quote(
    desk: &Shopdesk,
    actor: &Actor,
    input: &QuoteInput,
) -> Result<PricedOrder, SalesError> {
    actor.require(Permission::ViewOrders)?;
    price(desk, desk.db(), input, &actor.language, desk.now()).await
}

/// [`quote`] inside the caller's transaction, the steps written in `lang`.
pub(crate) async fn price(
    desk: &Shopdesk,
    conn: &impl ConnectionTrait,
    input: &QuoteInput,
    lang: &str,
    now: DateTime<Utc>,
) -> Result<PricedOrder, SalesError> {
    let company = desk.company();
    let cur = Currency::parse(&company.currency).unwrap_or(Currency::CNY);
    let t = |zh: &str, en: &str| crate::report::tr(lang, zh, en).to_string();
    let m = |v: i64| money_text(v, cur.as_str());
    let active: Vec<promotions::Model> = promotions::Entity::find()
        .filter(promotions::Column::Enabled.eq(true))
        .filter(promotions::Column::StartsAt.lte(now))
        .filter(promotions::Column::EndsAt.gt(now))
        .order_by_asc(promotions::Column::Id)
        .all(conn)
        .await?;
    let prods: HashMap<String, products::Model> = products::Entity::find()
        .filter(products::Column::Sku.is_in(input.lines.iter().map(|l| l.sku.trim().to_string())))
        .all(conn)
        .await?
        .into_iter()
        .map(|p| (p.sku.clone(), p))
        .collect();
    let mut lines: Vec<PricedLine> = Vec::new();
    // Per line: Some(promotion id) of a flash sale it took (excluded from order-level promotions); typed price.
    let mut flash_of: Vec<Option<i64>> = Vec::new();
    let mut typed: Vec<bool> = Vec::new();
    let mut applied: Vec<AppliedPromotion> = Vec::new();
    let mut flash_left: HashMap<i64, i64> = active
        .iter()
        .filter(|p| p.kind == "flash_sale")
        .map(|p| (p.id, p.cap.unwrap_or(0) - p.used))
        .collect();
    // Every line's problem is reported at once.
    let mut errs = crate::error::FieldErrors::default();
    for (i, l) in input.lines.iter().enumerate() {
        let f = |n: &str| format!("lines[{i}].{n}");
        let mut bad = |field: &str, code: &str| {
            errs.push(crate::error::FieldError::new(&f(field), code));
        };
        let Some(p) = prods.get(l.sku.trim()) else {
            bad("sku", "not_found");
            continue;
        };
        if l.qty <= 0 {
            bad("qty", "positive");
            continue;
        }
        let is_typed = !l.unit_price.trim().is_empty();
        let unit = if is_typed {
            match UnitPrice::parse(&l.unit_price)
                .ok()
                .filter(|u| u.ten_thousandths() >= 0)
            {
                Some(u) => u,
                None => {
                    bad("unit_price", "price");
                    continue;
                }
            }
        } else {
            if p.currency != cur.as_str() {
                bad("unit_price", "required");
                continue;
            }
            UnitPrice::from_ten_thousandths(p.price)
        };
        let Ok(list_amount) = unit.times(l.qty, cur).map(|x| x.minor()) else {
            bad("qty", "out_of_range");
            continue;
        };
        let mut steps = vec![format!(
            "{} {} × {} = {}",
            if is_typed {
                t("议价", "Agreed price")
            } else {
                t("标价", "List price")
            },
            unit,
            l.qty,
            m(list_amount)
        )];
        let mut best: Option<(i64, &promotions::Model, i64, String)> = None; // (amount, promo, units, step)
        if !is_typed {
            for pr in active
                .iter()
                .filter(|pr| in_scope(pr, &p.sku, &input.channel))
            {
                let params: PromotionParams = serde_json::from_str(&pr.params).unwrap_or_default();
                let candidate = match pr.kind.as_str() {
                    "percent" => {
                        let pct = Decimal::from_str(params.percent_off.trim()).unwrap_or_default();
                        let off = round_fen(Decimal::from(list_amount) * pct / Decimal::from(100));
                        Some((
                            list_amount - off,
                            l.qty,
                            format!(
                                "{} {} −{}% = −{}",
                                t("折扣", "Discount"),
                                pr.name,
                                pct.normalize(),
                                m(off)
                            ),
                        ))
                    }
                    "flash_sale" | "group_buy" => {
                        let price = UnitPrice::parse(&params.price).ok();
                        let eligible =
                            pr.kind == "flash_sale" || input.group_size >= params.min_group.max(2);
                        match price.filter(|_| eligible) {
                            Some(price) if price.ten_thousandths() < unit.ten_thousandths() => {
                                let units = if pr.kind == "flash_sale" {
                                    flash_left.get(&pr.id).copied().unwrap_or(0).clamp(0, l.qty)
                                } else {
                                    l.qty
                                };
                                if units == 0 {
                                    steps.push(format!(
                                        "{} {} {}",
                                        t("秒杀", "Flash sale"),
                                        pr.name,
                                        t("已售罄", "sold out")
                                    ));
                                    None
                                } else {
                                    let at_promo =
                                        price.times(units, cur).map(|x| x.minor()).unwrap_or(0);
                                    let rest = unit
                                        .times(l.qty - units, cur)
                                        .map(|x| x.minor())
                                        .unwrap_or(0);
                                    let label = if pr.kind == "flash_sale" {
                                        t("秒杀", "Flash sale")
                                    } else {
                                        t("拼团", "Group buy")
                                    };
                                    let mut step = format!("{label} {} {price} × {units}", pr.name);
                                    if units < l.qty {
                                        step.push_str(&format!(
                                            " ({} {} × {unit})",
                                            t("超出限量按原价", "over the cap at list price"),
                                            l.qty - units
                                        ));
                                    }
                                    Some((at_promo + rest, units, step))
                                }
                            }
                            _ => None,
                        }
                    }
                    _ => None,
                };
                if let Some((amount, units, step)) = candidate
                    && best.as_ref().is_none_or(|b| amount < b.0)
                {
                    best = Some((amount, pr, units, step));
                }
            }
        }
        let (amount, flash) = match best {
            Some((amount, pr, units, step)) => {
                steps.push(format!("{step} → {}", m(amount)));
                if pr.kind == "flash_sale"
                    && let Some(left) = flash_left.get_mut(&pr.id)
                {
                    *left -= units;
                }
                add_applied(&mut applied, pr, units, list_amount - amount);
                (amount, (pr.kind == "flash_sale").then_some(pr.id))
            }
            None => (list_amount, None),
        };
        lines.push(PricedLine {
            sku: p.sku.clone(),
            product_id: p.id,
            name: p.name.clone(),
            spec: p.spec.clone(),
            qty: l.qty,
            unit_price: unit.to_string(),
            list_amount,
            discount: list_amount - amount,
            amount,
            steps,
        });
        flash_of.push(flash);
        typed.push(is_typed);
    }
    if !errs.is_empty() {
        return Err(SalesError::Validation(errs));
    }
    // (2) Spend-and-save: the best single tier of each promotion; the promotion that saves most applies.
    let eligible = |pr: &promotions::Model, lines: &[PricedLine]| -> Vec<usize> {
        (0..lines.len())
            .filter(|&i| {
                flash_of[i].is_none() && !typed[i] && in_scope(pr, &lines[i].sku, &input.channel)
            })
            .collect()
    };
    let mut best_ss: Option<(i64, &promotions::Model, Vec<usize>, String)> = None;
    for pr in active.iter().filter(|p| p.kind == "spend_save") {
        let idx = eligible(pr, &lines);
        let subtotal: i64 = idx.iter().map(|&i| lines[i].amount).sum();
        let params: PromotionParams = serde_json::from_str(&pr.params).unwrap_or_default();
        let mut tier_best: Option<(i64, i64)> = None; // (threshold, off)
        for tier in &params.tiers {
            let (Ok(th), Ok(off)) = (
                Money::parse(&tier.threshold, cur),
                Money::parse(&tier.off, cur),
            ) else {
                continue;
            };
            if subtotal >= th.minor() && tier_best.is_none_or(|b| off.minor() > b.1) {
                tier_best = Some((th.minor(), off.minor()));
            }
        }
        if let Some((th, off)) = tier_best
            && best_ss.as_ref().is_none_or(|b| off > b.0)
        {
            let step = format!(
                "{} {} {}{}{}{}",
                t("满减", "Spend & save"),
                pr.name,
                t("满", "spend "),
                m(th),
                t("减", " save "),
                m(off)
            );
            best_ss = Some((off, pr, idx, step));
        }
    }
    if let Some((off, pr, idx, step)) = best_ss {
        apply_order_discount(&mut lines, &idx, off, &step, &t("分摊", "share"), &m);
        add_applied(&mut applied, pr, 0, off);
    }
    // (3) One coupon.
    let mut coupon_problem = String::new();
    let code = input.coupon.trim();
    if !code.is_empty() {
        match active
            .iter()
            .find(|p| p.kind == "coupon" && p.code.eq_ignore_ascii_case(code))
        {
            None => coupon_problem = "not_found".into(),
            Some(pr) => {
                let params: PromotionParams = serde_json::from_str(&pr.params).unwrap_or_default();
                let idx = eligible(pr, &lines);
                let subtotal: i64 = idx.iter().map(|&i| lines[i].amount).sum();
                let min = Money::parse(&params.min_spend, cur)
                    .map(|x| x.minor())
                    .unwrap_or(0);
                let by_buyer = if let Some(limit) = pr.per_buyer {
                    let n = promotion_uses::Entity::find()
                        .filter(promotion_uses::Column::PromotionId.eq(pr.id))
                        .filter(promotion_uses::Column::Buyer.eq(input.buyer.trim()))
                        .count(conn)
                        .await?;
                    n >= u64::try_from(limit).unwrap_or(0)
                } else {
                    false
                };
                if pr.cap.is_some_and(|c| pr.used >= c) {
                    coupon_problem = "used_up".into();
                } else if by_buyer {
                    coupon_problem = "per_buyer".into();
                } else if subtotal < min || subtotal == 0 {
                    coupon_problem = "min_spend".into();
                } else {
                    let off = if !params.off.trim().is_empty() {
                        Money::parse(&params.off, cur)
                            .map(|x| x.minor())
                            .unwrap_or(0)
                    } else {
                        let pct = Decimal::from_str(params.percent_off.trim()).unwrap_or_default();
                        round_fen(Decimal::from(subtotal) * pct / Decimal::from(100))
                    }
                    .min(subtotal);
                    let step = format!("{} {} −{}", t("优惠券", "Coupon"), pr.code, m(off));
                    apply_order_discount(&mut lines, &idx, off, &step, &t("分摊", "share"), &m);
                    add_applied(&mut applied, pr, 0, off);
                }
            }
        }
    }
    let goods: i64 = lines.iter().map(|l| l.list_amount).sum();
    let discount: i64 = lines.iter().map(|l| l.discount).sum();
    Ok(PricedOrder {
        currency: cur.to_string(),
        lines,
        applied,
        goods: m(goods),
        discount: m(discount),
        total: m(goods - discount),
        coupon_problem,
    })
}

fn add_applied(
    applied: &mut Vec<AppliedPromotion>,
    pr: &promotions::Model,
    units: i64,
    discount: i64,
) {
    if let Some(a) = applied.iter_mut().find(|a| a.promotion_id == pr.id) {
        a.units += units;
        a.discount += discount;
    } else {
        applied.push(AppliedPromotion {
            promotion_id: pr.id,
            code: pr.code.clone(),
            name: pr.name.clone(),
            kind: pr.kind.clone(),
            units,
            discount,
        });
    }
}

fn apply_order_discount(
    lines: &mut [PricedLine],
    idx: &[usize],
    off: i64,
    step: &str,
    share: &str,
    m: &dyn Fn(i64) -> String,
) {
    let weights: Vec<i64> = idx.iter().map(|&i| lines[i].amount).collect();
    for (&i, part) in idx.iter().zip(spread(off, &weights)) {
        if part == 0 {
            continue;
        }
        let l = &mut lines[i];
        l.discount += part;
        l.amount -= part;
        l.steps
            .push(format!("{step}, {share} −{} → {}", m(part), m(l.amount)));
    }
}

/// Records what a saved order took from its promotions, in the order's transaction: flash-sale units and coupon
/// uses are taken from their caps by guarded updates, so a cap is never exceeded — if another order took the last
/// units first, this fails with `sold_out` and the order is not saved (price it again).
pub(crate) async fn record_uses(
    conn: &impl ConnectionTrait,
    priced: &PricedOrder,
    order_id: i64,
    buyer: &str,
    now: DateTime<Utc>,
) -> Result<(), SalesError> {
    for a in &priced.applied {
        let take = match a.kind.as_str() {
            "flash_sale" => a.units,
            "coupon" => 1,
            _ => 0,
        };
        use sea_orm::sea_query::ExprTrait;
        if take > 0 {
            let done = promotions::Entity::update_many()
                .col_expr(
                    promotions::Column::Used,
                    Expr::col(promotions::Column::Used).add(take),
                )
                .filter(promotions::Column::Id.eq(a.promotion_id))
                .filter(
                    sea_orm::Condition::any()
                        .add(promotions::Column::Cap.is_null())
                        .add(
                            Expr::col(promotions::Column::Used)
                                .add(take)
                                .lte(Expr::col(promotions::Column::Cap)),
                        ),
                )
                .exec(conn)
                .await?;
            if done.rows_affected != 1 {
                return Err(invalid(&format!("promotion.{}", a.code), "sold_out"));
            }
        } else {
            promotions::Entity::update_many()
                .col_expr(
                    promotions::Column::Used,
                    Expr::col(promotions::Column::Used).add(1i64),
                )
                .filter(promotions::Column::Id.eq(a.promotion_id))
                .exec(conn)
                .await?;
        }
        if a.kind == "coupon"
            && let Some(limit) = promotions::Entity::find_by_id(a.promotion_id)
                .one(conn)
                .await?
                .and_then(|p| p.per_buyer)
        {
            // Checked again at save: a quote taken before another order of this buyer used the coupon.
            let n = promotion_uses::Entity::find()
                .filter(promotion_uses::Column::PromotionId.eq(a.promotion_id))
                .filter(promotion_uses::Column::Buyer.eq(buyer.trim()))
                .count(conn)
                .await?;
            if n >= u64::try_from(limit).unwrap_or(0) {
                return Err(invalid("coupon", "coupon_per_buyer"));
            }
        }
        promotion_uses::Entity::insert(promotion_uses::ActiveModel {
            promotion_id: Set(a.promotion_id),
            order_id: Set(order_id),
            buyer: Set(buyer.trim().chars().take(128).collect()),
            units: Set(a.units),
            discount: Set(a.discount),
            currency: Set(priced.currency.clone()),
            created_at: Set(now),
            ..Default::default()
        })
        .exec(conn)
        .await?;
    }
    Ok(())
}

/// Gives back what a cancelled order took from its promotions (flash-sale units, a coupon use).
pub(crate) async fn release_uses(
    conn: &impl ConnectionTrait,
    order_id: i64,
) -> Result<(), SalesError> {
    use sea_orm::sea_query::ExprTrait;
    let uses = promotion_uses::Entity::find()
        .filter(promotion_uses::Column::OrderId.eq(order_id))
        .all(conn)
        .await?;
    for u in &uses {
        let kind = promotions::Entity::find_by_id(u.promotion_id)
            .one(conn)
            .await?
            .map(|p| p.kind)
            .unwrap_or_default();
        let back = if kind == "flash_sale" { u.units } else { 1 };
        promotions::Entity::update_many()
            .col_expr(
                promotions::Column::Used,
                Expr::col(promotions::Column::Used).sub(back),
            )
            .filter(promotions::Column::Id.eq(u.promotion_id))
            .filter(promotions::Column::Used.gte(back))
            .exec(conn)
            .await?;
    }
    promotion_uses::Entity::delete_many()
        .filter(promotion_uses::Column::OrderId.eq(order_id))
        .exec(conn)
        .await?;
    Ok(())
}

/// Prices the orders an import created from a file that gave no prices (every line and the order at zero, every
/// line mapped to a SKU): list prices and the promotions in force, as a phone order is priced, each line keeping how.
/// Runs in the import's transaction; returns how many orders it priced.
pub(crate) async fn price_unpriced(
    desk: &Shopdesk,
    conn: &impl ConnectionTrait,
    actor: &Actor,
    import_id: i64,
) -> Result<u64, SalesError> {
    use crate::entities::{order_events, sales_order_lines as lines, sales_orders as orders};
    let candidates = orders::Entity::find()
        .filter(orders::Column::ImportId.eq(import_id))
        .filter(orders::Column::GoodsAmount.eq(0))
        .filter(orders::Column::Total.eq(0))
        .order_by_asc(orders::Column::Id)
        .all(conn)
        .await?;
    let mut n = 0;
    let now = desk.now();
    for o in candidates {
        let ls = lines::Entity::find()
            .filter(lines::Column::OrderId.eq(o.id))
            .order_by_asc(lines::Column::LineNo)
            .all(conn)
            .await?;
        if ls.is_empty()
            || ls
                .iter()
                .any(|l| l.product_id.is_none() || l.unit_price != 0 || l.amount != 0)
        {
            continue;
        }
        let skus = crate::masterdata::products::sku_codes(
            conn,
            ls.iter().filter_map(|l| l.product_id).collect(),
        )
        .await?;
        let q = QuoteInput {
            channel: o.channel.clone(),
            buyer: o.buyer.clone(),
            lines: ls
                .iter()
                .map(|l| QuoteLine {
                    sku: l
                        .product_id
                        .and_then(|p| skus.get(&p).cloned())
                        .unwrap_or_default(),
                    qty: l.qty,
                    unit_price: String::new(),
                })
                .collect(),
            coupon: String::new(),
            group_size: 0,
        };
        // At the promotions in force when the order was placed.
        let priced = match price(desk, conn, &q, &actor.language, o.ordered_at).await {
            Ok(p) if p.currency == o.currency => p,
            // A SKU priced in another currency, or a line that cannot be priced: left as the file gave it.
            Ok(_) | Err(SalesError::Validation(_)) => continue,
            Err(e) => return Err(e),
        };
        for (l, pl) in ls.iter().zip(&priced.lines) {
            let unit =
                UnitPrice::parse(&pl.unit_price).map_err(|_| invalid("unit_price", "price"))?;
            lines::Entity::update_many()
                .col_expr(
                    lines::Column::UnitPrice,
                    Expr::value(unit.ten_thousandths()),
                )
                .col_expr(lines::Column::Discount, Expr::value(pl.discount))
                .col_expr(lines::Column::Amount, Expr::value(pl.amount))
                .col_expr(lines::Column::PriceNote, Expr::value(pl.steps.join("\n")))
                .filter(lines::Column::Id.eq(l.id))
                .exec(conn)
                .await?;
        }
        let goods: i64 = priced.lines.iter().map(|l| l.list_amount).sum();
        let discount: i64 = priced.lines.iter().map(|l| l.discount).sum::<i64>() + o.discount;
        let total = goods + o.shipping_fee + o.tax - discount;
        orders::Entity::update_many()
            .col_expr(orders::Column::GoodsAmount, Expr::value(goods))
            .col_expr(orders::Column::Discount, Expr::value(discount))
            .col_expr(orders::Column::Total, Expr::value(total))
            .filter(orders::Column::Id.eq(o.id))
            .exec(conn)
            .await?;
        record_uses(conn, &priced, o.id, &o.buyer, now).await?;
        order_events::Entity::insert(super::event(
            o.id,
            now,
            actor,
            "priced",
            serde_json::json!({
                "goods": priced.goods,
                "discount": priced.discount,
                "promotions": priced.applied.iter().map(|a| a.code.clone()).collect::<Vec<_>>(),
            }),
        ))
        .exec(conn)
        .await?;
        n += 1;
    }
    Ok(n)
}

#[cfg(test)]
mod tests {
    use super::spread;

    #[test]
    fn spread_adds_up_and_gives_the_remainder_to_the_largest() {
        assert_eq!(spread(1000, &[5000, 3000, 2000]), vec![500, 300, 200]);
        assert_eq!(spread(100, &[1, 1, 1]), vec![34, 33, 33]);
        assert_eq!(spread(7, &[300, 100]), vec![6, 1]);
        assert_eq!(spread(0, &[1, 2]), vec![0, 0]);
        assert_eq!(spread(5, &[0, 0]), vec![0, 0]);
        let p = spread(2001, &[3333, 6667, 1]);
        assert_eq!(p.iter().sum::<i64>(), 2001);
    }
}
