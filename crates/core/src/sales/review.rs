//! Review (审单): every decision is a rule the user can read, test and change. Rules run in their order over an
//! order; each has a condition (amount, channel, items, address, phone, buyer message, buyer/phone/address
//! history, customer tags, stock, price floor, platform codes) and an outcome (hold with a reason, set a priority,
//! add a tag, assign a warehouse, or pass and stop). An order no rule holds is approved; a held order waits in the
//! exception queue with every reason until someone approves or cancels it. A dry run shows what the rules would
//! do to the orders of any period without changing anything.
//!
//! Built-in rules (migration 000010): blacklisted buyer, incomplete address, invalid phone, unmapped platform code,
//! out of stock, price below floor (50 % of list price, or cost), suspected brushing (3 orders from one phone in
//! 24 h), unusual amount (≥ 5,000.00), buyer message, VIP priority.

use super::{SalesError, invalid, money_text};
use crate::Shopdesk;
use crate::audit::{self, Action};
use crate::auth::{Actor, Permission};
use crate::entities::{
    customers, order_events, order_rules, products, sales_order_lines as lines,
    sales_orders as orders,
};
use crate::money::{Currency, Money};
use chrono::{DateTime, Duration, NaiveDate, Utc};
use sea_orm::sea_query::Expr;
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, DerivePartialModel, EntityTrait, QueryFilter,
    QueryOrder, QuerySelect, Set,
};
use serde::{Deserialize, Serialize};
use std::collections::{BTreeMap, HashMap};
use ts_rs::TS;

/// What a rule looks at.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum Condition {
    /// Always (for a rule that only sets a priority or tag on every order).
    Always,
    /// The order total is at least this amount (in the order's currency).
    AmountAtLeast {
        amount: String,
    },
    /// The order total is below this amount.
    AmountBelow {
        amount: String,
    },
    ChannelIn {
        channels: Vec<String>,
    },
    /// The buyer left a message.
    BuyerMessage,
    /// Receiver, or province + city + street, is missing or too short to deliver to.
    InvalidAddress,
    /// No phone number, or one with fewer than 7 digits (masked numbers such as `138****0000` pass).
    InvalidPhone,
    /// A line's platform code is not mapped to one of our SKUs.
    UnmappedSku,
    /// A mapped line wants more than is available (on hand − reserved, all warehouses).
    OutOfStock,
    /// A line's unit price is below `percent_of_list` % of the SKU's list price, or below its cost.
    PriceBelowFloor {
        percent_of_list: u32,
    },
    /// At least `orders` orders (this one included) from the same phone, address or buyer within `hours`.
    Repeated {
        by: String,
        hours: u32,
        orders: u32,
    },
    /// The buyer or phone belongs to a customer tagged 黑名单 / blacklist.
    Blacklisted,
    /// The buyer or phone belongs to a customer with this tag (e.g. VIP).
    CustomerTag {
        tag: String,
    },
    /// At least this many units in all.
    ItemsAtLeast {
        qty: i64,
    },
    /// The payment method contains this text (e.g. 货到付款, COD).
    PaymentMethod {
        contains: String,
    },
    /// The order used a promotion of this kind (`flash_sale`, `group_buy`, `coupon`, `spend_save`, `percent`):
    /// flash-sale orders first, for instance.
    UsedPromotion {
        promotion_kind: String,
    },
    /// Every condition holds.
    All {
        conditions: Vec<Condition>,
    },
}

/// What a rule does when its condition holds.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum Outcome {
    /// Approve and stop: later rules do not run.
    Pass,
    Hold {
        reason: String,
    },
    Priority {
        level: i32,
    },
    Tag {
        tag: String,
    },
    Warehouse {
        code: String,
    },
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct Rule {
    #[ts(type = "number")]
    pub id: i64,
    pub name: String,
    pub position: i32,
    pub enabled: bool,
    pub condition: Condition,
    pub outcome: Outcome,
    pub updated_by: String,
    pub updated_at: DateTime<Utc>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct RuleInput {
    pub name: String,
    pub enabled: bool,
    pub condition: Condition,
    pub outcome: Outcome,
    /// Where it runs (lower first); `None` puts a new rule last and leaves an edited one where it is.
    pub position: Option<i32>,
}

/// Why an order is held: the rule's name and its reason code.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct HoldReason {
    pub rule: String,
    pub reason: String,
}

/// What the rules decided for one order.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct Verdict {
    #[ts(type = "number")]
    pub order_id: i64,
    pub platform_order_no: String,
    pub held: bool,
    pub reasons: Vec<HoldReason>,
    pub priority: i32,
    pub tags: Vec<String>,
    pub warehouse: String,
    /// The rules whose condition held, in order.
    pub matched: Vec<String>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct ReviewSummary {
    pub dry_run: bool,
    #[ts(type = "number")]
    pub orders: u64,
    #[ts(type = "number")]
    pub approved: u64,
    #[ts(type = "number")]
    pub held: u64,
    /// How many orders each rule matched.
    pub by_rule: BTreeMap<String, u64>,
    /// How many held orders each reason holds.
    pub by_reason: BTreeMap<String, u64>,
    /// The first 200 verdicts, held ones first.
    pub verdicts: Vec<Verdict>,
}

/// Which orders to review.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(default)]
pub struct ReviewScope {
    /// Only these orders (default: every order waiting for review).
    #[ts(type = "number[] | null")]
    pub order_ids: Option<Vec<i64>>,
    /// A dry run over the orders of a period (by order date), whatever their status; nothing changes.
    pub dry_run: bool,
    #[ts(type = "string | null")]
    pub from: Option<NaiveDate>,
    #[ts(type = "string | null")]
    pub to: Option<NaiveDate>,
}

fn to_rule(m: order_rules::Model) -> Option<Rule> {
    Some(Rule {
        id: m.id,
        condition: serde_json::from_str(&m.condition).ok()?,
        outcome: serde_json::from_str(&m.outcome).ok()?,
        name: m.name,
        position: m.position,
        enabled: m.enabled,
        updated_by: m.updated_by,
        updated_at: m.updated_at,
    })
}

/// Every rule in the order it runs.
pub async fn rules(desk: &Shopdesk, actor: &Actor) -> Result<Vec<Rule>, SalesError> {
    actor.require(Permission::ViewOrders)?;
    load_rules(desk.db()).await
}

async fn load_rules(conn: &impl ConnectionTrait) -> Result<Vec<Rule>, SalesError> {
    Ok(order_rules::Entity::find()
        .order_by_asc(order_rules::Column::Position)
        .order_by_asc(order_rules::Column::Id)
        .all(conn)
        .await?
        .into_iter()
        .filter_map(to_rule)
        .collect())
}

fn validate(i: &RuleInput) -> Result<(), SalesError> {
    if i.name.trim().is_empty() || i.name.chars().count() > 128 {
        return Err(invalid("name", "required"));
    }
    fn check(c: &Condition) -> Result<(), SalesError> {
        match c {
            Condition::AmountAtLeast { amount } | Condition::AmountBelow { amount } => {
                Money::parse(amount, Currency::CNY)
                    .map(|_| ())
                    .map_err(|_| invalid("condition.amount", "money"))
            }
            Condition::Repeated { by, hours, orders } => {
                if !matches!(by.as_str(), "phone" | "address" | "buyer") {
                    return Err(invalid("condition.by", "one_of"));
                }
                if *hours == 0 || *hours > 8784 || *orders < 2 {
                    return Err(invalid("condition.orders", "range"));
                }
                Ok(())
            }
            Condition::PriceBelowFloor { percent_of_list } if *percent_of_list > 100 => {
                Err(invalid("condition.percent_of_list", "percent"))
            }
            Condition::UsedPromotion { promotion_kind }
                if !super::promotions::KINDS.contains(&promotion_kind.as_str()) =>
            {
                Err(invalid("condition.promotion_kind", "one_of"))
            }
            Condition::All { conditions } => conditions.iter().try_for_each(check),
            _ => Ok(()),
        }
    }
    check(&i.condition)?;
    // The lengths the order columns hold (tags 500 in all, warehouse codes 32).
    match &i.outcome {
        Outcome::Hold { reason } if reason.trim().is_empty() || reason.chars().count() > 64 => {
            Err(invalid("outcome.reason", "required"))
        }
        Outcome::Tag { tag }
            if tag.trim().is_empty() || tag.chars().count() > 32 || tag.contains(',') =>
        {
            Err(invalid("outcome.tag", "tag"))
        }
        Outcome::Warehouse { code } if code.trim().is_empty() || code.chars().count() > 32 => {
            Err(invalid("outcome.code", "required"))
        }
        _ => Ok(()),
    }
}

/// Adds a rule (managers and operations staff), or with `id` changes one; audited.
pub async fn save_rule(
    desk: &Shopdesk,
    actor: &Actor,
    id: Option<i64>,
    input: &RuleInput,
) -> Result<Rule, SalesError> {
    actor.require(Permission::EditOrders)?;
    validate(input)?;
    let txn = desk.write_txn().await?;
    let now = desk.now();
    let cond = serde_json::to_string(&input.condition).unwrap_or_default();
    let outcome = serde_json::to_string(&input.outcome).unwrap_or_default();
    let (model, before) = match id {
        Some(id) => {
            let old = order_rules::Entity::find_by_id(id)
                .one(&txn)
                .await?
                .ok_or_else(|| SalesError::NotFound {
                    entity: "order_rule",
                    key: id.to_string(),
                })?;
            let mut a: order_rules::ActiveModel = old.clone().into();
            a.name = Set(input.name.trim().to_string());
            a.enabled = Set(input.enabled);
            a.condition = Set(cond);
            a.outcome = Set(outcome);
            if let Some(p) = input.position {
                a.position = Set(p);
            }
            a.updated_by = Set(actor.username.clone());
            a.updated_at = Set(now);
            (a.update(&txn).await?, to_rule(old))
        }
        None => {
            let last = order_rules::Entity::find()
                .order_by_desc(order_rules::Column::Position)
                .one(&txn)
                .await?
                .map(|r| r.position)
                .unwrap_or(0);
            let m = order_rules::ActiveModel {
                name: Set(input.name.trim().to_string()),
                position: Set(input.position.unwrap_or(last + 10)),
                enabled: Set(input.enabled),
                condition: Set(cond),
                outcome: Set(outcome),
                updated_by: Set(actor.username.clone()),
                updated_at: Set(now),
                ..Default::default()
            }
            .insert(&txn)
            .await?;
            (m, None)
        }
    };
    let rule = to_rule(model).ok_or_else(|| invalid("condition", "invalid"))?;
    audit::record(
        desk,
        &txn,
        actor,
        if before.is_some() {
            Action::Update
        } else {
            Action::Create
        },
        "order_rule",
        Some(rule.id),
        &rule.name,
        before.as_ref(),
        Some(&rule),
    )
    .await?;
    txn.commit().await?;
    Ok(rule)
}

/// How review runs, besides its rules.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(default)]
pub struct ReviewSettings {
    /// Review orders as they are imported (自动审单): the rules judge each new order waiting for review in the
    /// import's own transaction, so that it is stored approved or held, with the same reasons and timeline event
    /// as a review run. Off by default: imported orders wait until someone runs the review.
    pub review_on_import: bool,
    /// Allocate the orders the review on import approves (审核后自动分仓), in the same transaction: parcels
    /// drawn up and stock reserved as an allocation run would (merging the file's own orders, not splitting),
    /// so that an import holds stock. Only with `review_on_import`, and only when the importing user may
    /// reserve stock; what cannot be allocated stays approved for the next run. Off by default.
    pub allocate_on_import: bool,
}

const REVIEW_ON_IMPORT: &str = "orders.review_on_import";
const ALLOCATE_ON_IMPORT: &str = "orders.allocate_on_import";

pub(crate) async fn load_settings(
    conn: &impl ConnectionTrait,
) -> Result<ReviewSettings, sea_orm::DbErr> {
    use crate::entities::settings;
    let on = |key: &str| settings::Entity::find_by_id(key.to_string()).one(conn);
    Ok(ReviewSettings {
        review_on_import: on(REVIEW_ON_IMPORT)
            .await?
            .is_some_and(|s| s.value == "true"),
        allocate_on_import: on(ALLOCATE_ON_IMPORT)
            .await?
            .is_some_and(|s| s.value == "true"),
    })
}

pub async fn settings(desk: &Shopdesk, actor: &Actor) -> Result<ReviewSettings, SalesError> {
    actor.require(Permission::ViewOrders)?;
    Ok(load_settings(desk.db()).await?)
}

/// Changes how review runs (those who may edit the rules; allocating on import also needs the right to reserve
/// stock); audited.
pub async fn save_settings(
    desk: &Shopdesk,
    actor: &Actor,
    new: &ReviewSettings,
) -> Result<ReviewSettings, SalesError> {
    use crate::entities::settings;
    actor.require(Permission::EditOrders)?;
    let txn = desk.write_txn().await?;
    let before = load_settings(&txn).await?;
    if new.allocate_on_import != before.allocate_on_import {
        actor.require(Permission::ReserveStock)?;
    }
    for (key, value) in [
        (REVIEW_ON_IMPORT, new.review_on_import),
        (ALLOCATE_ON_IMPORT, new.allocate_on_import),
    ] {
        settings::Entity::delete_by_id(key.to_string())
            .exec(&txn)
            .await?;
        settings::ActiveModel {
            key: Set(key.into()),
            value: Set(value.to_string()),
        }
        .insert(&txn)
        .await?;
    }
    audit::record(
        desk,
        &txn,
        actor,
        Action::Update,
        "settings",
        None::<i64>,
        "review",
        Some(&before),
        Some(new),
    )
    .await?;
    txn.commit().await?;
    Ok(new.clone())
}

/// What the review needs to know besides the orders: stock, products, customers' tags, order history.
struct Facts {
    /// Available per product, less what orders approved earlier in this review take.
    available: HashMap<i64, i64>,
    /// List price, cost (ten-thousandths) and currency per product.
    products: HashMap<i64, (i64, i64, String)>,
    /// Customer tags by phone and by name/code (buyer).
    tags_by_phone: HashMap<String, String>,
    tags_by_buyer: HashMap<String, String>,
    /// (order id, ordered at) of every order by phone / address / buyer, for the history rules.
    history: HashMap<(&'static str, String), Vec<DateTime<Utc>>>,
    /// The kinds of promotion each order used.
    promotions: HashMap<i64, Vec<String>>,
}

/// What the rules read of an order under review: not the whole row (a review reads every waiting order, and half
/// of an order's columns are of no interest to any rule).
#[derive(Debug, Clone, DerivePartialModel)]
#[sea_orm(entity = "orders::Entity")]
pub(crate) struct Reviewed {
    pub id: i64,
    pub channel: String,
    pub platform_order_no: String,
    pub currency: String,
    pub total: i64,
    pub payment_method: String,
    pub buyer: String,
    pub receiver: String,
    pub phone: String,
    pub province: String,
    pub city: String,
    pub district: String,
    pub address: String,
    pub buyer_message: String,
    pub ordered_at: DateTime<Utc>,
    pub priority: i32,
    pub tags: String,
    pub warehouse_code: String,
}

impl Reviewed {
    /// An order about to be stored, under the id given to it (`db::reserve_ids`).
    pub(crate) fn incoming(id: i64, o: &orders::Model) -> Self {
        Self {
            id,
            channel: o.channel.clone(),
            platform_order_no: o.platform_order_no.clone(),
            currency: o.currency.clone(),
            total: o.total,
            payment_method: o.payment_method.clone(),
            buyer: o.buyer.clone(),
            receiver: o.receiver.clone(),
            phone: o.phone.clone(),
            province: o.province.clone(),
            city: o.city.clone(),
            district: o.district.clone(),
            address: o.address.clone(),
            buyer_message: o.buyer_message.clone(),
            ordered_at: o.ordered_at,
            priority: o.priority,
            tags: o.tags.clone(),
            warehouse_code: o.warehouse_code.clone(),
        }
    }
}

/// What the rules read of an order line.
#[derive(Debug, Clone, DerivePartialModel)]
#[sea_orm(entity = "lines::Entity")]
pub(crate) struct ReviewedLine {
    pub order_id: i64,
    pub product_id: Option<i64>,
    pub qty: i64,
    pub unit_price: i64,
}

fn digits(s: &str) -> usize {
    s.chars().filter(char::is_ascii_digit).count()
}

fn address_key(o: &Reviewed) -> String {
    address_of(&o.province, &o.city, &o.district, &o.address)
}

fn address_of(province: &str, city: &str, district: &str, street: &str) -> String {
    format!("{province}{city}{district}{street}")
        .chars()
        .filter(|c| !c.is_whitespace())
        .collect()
}

/// What identifies a buyer for the history rules: (phone, address, buyer) of an order.
fn identity_key(by: &str, phone: &str, address: String, buyer: &str) -> String {
    match by {
        // A masked number (`138****0000`) is shared by many buyers: it identifies nobody.
        "phone" if phone.contains('*') => String::new(),
        "phone" => phone.chars().filter(|c| c.is_ascii_digit()).collect(),
        "address" => address,
        _ => buyer.trim().to_string(),
    }
}

fn history_key(by: &str, o: &Reviewed) -> String {
    identity_key(by, &o.phone, address_key(o), &o.buyer)
}

/// Where the history rules find the orders under review themselves.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Targets {
    /// In the database, with the other orders (a dry run, or a choice of orders).
    Stored,
    /// Every order waiting for review (a plain review): the history reads the other orders from the database and
    /// takes these from memory.
    AllWaiting,
    /// Not stored yet (review on import): the history reads every stored order and adds these from memory.
    Incoming,
}

async fn facts(
    conn: &impl ConnectionTrait,
    targets: &[Reviewed],
    rules: &[Rule],
    mode: Targets,
) -> Result<Facts, SalesError> {
    let mut f = Facts {
        available: HashMap::new(),
        products: HashMap::new(),
        tags_by_phone: HashMap::new(),
        tags_by_buyer: HashMap::new(),
        history: HashMap::new(),
        promotions: HashMap::new(),
    };
    f.available = crate::inventory::available_by_product(conn, None).await?;
    for p in products::Entity::find().all(conn).await? {
        f.products.insert(p.id, (p.price, p.cost, p.currency));
    }
    for c in customers::Entity::find().all(conn).await? {
        if c.tags.trim_matches(',').is_empty() {
            continue;
        }
        let phone: String = c.phone.chars().filter(|c| c.is_ascii_digit()).collect();
        if !phone.is_empty() {
            f.tags_by_phone.insert(phone, c.tags.clone());
        }
        f.tags_by_buyer.insert(c.name.clone(), c.tags.clone());
        f.tags_by_buyer.insert(c.code.clone(), c.tags);
    }
    // The promotions each order used, when a rule asks.
    fn asks_promotion(c: &Condition) -> bool {
        match c {
            Condition::UsedPromotion { .. } => true,
            Condition::All { conditions } => conditions.iter().any(asks_promotion),
            _ => false,
        }
    }
    // (Orders not stored yet have used no promotion: nothing to look up for them.)
    if mode != Targets::Incoming
        && rules
            .iter()
            .any(|r| r.enabled && asks_promotion(&r.condition))
    {
        use crate::entities::{promotion_uses, promotions};
        let kinds: HashMap<i64, String> = promotions::Entity::find()
            .all(conn)
            .await?
            .into_iter()
            .map(|p| (p.id, p.kind))
            .collect();
        for chunk in targets.chunks(500) {
            for u in promotion_uses::Entity::find()
                .filter(promotion_uses::Column::OrderId.is_in(chunk.iter().map(|o| o.id)))
                .all(conn)
                .await?
            {
                if let Some(k) = kinds.get(&u.promotion_id) {
                    f.promotions.entry(u.order_id).or_default().push(k.clone());
                }
            }
        }
    }
    // History: the orders that share a phone/address/buyer with an order under review, within the widest window.
    let mut windows: Vec<(String, u32)> = Vec::new();
    fn collect(c: &Condition, out: &mut Vec<(String, u32)>) {
        match c {
            Condition::Repeated { by, hours, .. } => out.push((by.clone(), *hours)),
            Condition::All { conditions } => conditions.iter().for_each(|c| collect(c, out)),
            _ => {}
        }
    }
    for r in rules.iter().filter(|r| r.enabled) {
        collect(&r.condition, &mut windows);
    }
    if !windows.is_empty() && !targets.is_empty() {
        let widest = windows.iter().map(|w| w.1).max().unwrap_or(24);
        let from = targets
            .iter()
            .map(|o| o.ordered_at)
            .min()
            .unwrap_or_default()
            - Duration::hours(i64::from(widest));
        let to = targets
            .iter()
            .map(|o| o.ordered_at)
            .max()
            .unwrap_or_default()
            + Duration::hours(i64::from(widest));
        // Only the columns that identify a buyer, not whole orders.
        type Near = (
            String,
            String,
            String,
            String,
            String,
            String,
            DateTime<Utc>,
        );
        let mut q = orders::Entity::find()
            .select_only()
            .columns([
                orders::Column::Phone,
                orders::Column::Province,
                orders::Column::City,
                orders::Column::District,
                orders::Column::Address,
                orders::Column::Buyer,
                orders::Column::OrderedAt,
            ])
            .filter(orders::Column::OrderedAt.gte(from))
            .filter(orders::Column::OrderedAt.lte(to))
            .filter(orders::Column::Status.ne("cancelled"));
        if mode == Targets::AllWaiting {
            q = q.filter(orders::Column::Status.ne("pending_review"));
        }
        let near: Vec<Near> = q.into_tuple().all(conn).await?;
        let waiting = targets.iter().filter(|_| mode != Targets::Stored).map(|o| {
            (
                &o.phone,
                &o.province,
                &o.city,
                &o.district,
                &o.address,
                &o.buyer,
                &o.ordered_at,
            )
        });
        let all = near
            .iter()
            .map(|(phone, province, city, district, street, buyer, at)| {
                (phone, province, city, district, street, buyer, at)
            })
            .chain(waiting);
        let bys: Vec<&'static str> = ["phone", "address", "buyer"]
            .into_iter()
            .filter(|by| windows.iter().any(|w| w.0 == *by))
            .collect();
        for (phone, province, city, district, street, buyer, at) in all {
            for by in &bys {
                let address = if *by == "address" {
                    address_of(province, city, district, street)
                } else {
                    String::new()
                };
                let k = identity_key(by, phone, address, buyer);
                if k.chars().count() >= 3 {
                    f.history.entry((*by, k)).or_default().push(*at);
                }
            }
        }
    }
    Ok(f)
}

fn has_tag(tags: Option<&String>, tag: &str) -> bool {
    tags.is_some_and(|t| {
        t.split(',')
            .any(|x| !x.is_empty() && x.eq_ignore_ascii_case(tag))
    })
}

fn holds(c: &Condition, o: &Reviewed, ls: &[ReviewedLine], f: &Facts) -> bool {
    // Worked out only by the conditions that need them (every rule runs over every order).
    let money = |a: &str| {
        let cur = Currency::parse(&o.currency).unwrap_or(Currency::CNY);
        Money::parse(a, cur).map(|m| m.minor()).ok()
    };
    let customer_tags = || {
        let phone: String = o.phone.chars().filter(|c| c.is_ascii_digit()).collect();
        f.tags_by_phone
            .get(&phone)
            .or_else(|| f.tags_by_buyer.get(o.buyer.trim()))
    };
    match c {
        Condition::Always => true,
        Condition::AmountAtLeast { amount } => money(amount).is_some_and(|a| o.total >= a),
        Condition::AmountBelow { amount } => money(amount).is_some_and(|a| o.total < a),
        Condition::ChannelIn { channels } => channels.contains(&o.channel),
        Condition::BuyerMessage => !o.buyer_message.trim().is_empty(),
        Condition::InvalidAddress => {
            let street = o.address.trim();
            let whole = address_key(o);
            o.receiver.trim().is_empty()
                || street.is_empty()
                || whole.chars().count() < 8
                // One region name alone (`上海`, `广东省`) is not an address.
                || (o.city.is_empty() && street.chars().count() <= 8 && digits(street) == 0
                    && !street.contains(['路', '街', '道', '号', '村', '巷', ' ']))
        }
        Condition::InvalidPhone => {
            let masked = o.phone.contains('*');
            !masked && digits(&o.phone) < 7
        }
        Condition::UnmappedSku => ls.iter().any(|l| l.product_id.is_none()),
        Condition::OutOfStock => {
            let mut want: HashMap<i64, i64> = HashMap::new();
            for l in ls {
                if let Some(p) = l.product_id {
                    *want.entry(p).or_default() += l.qty;
                }
            }
            want.iter()
                .any(|(p, q)| f.available.get(p).copied().unwrap_or(0) < *q)
        }
        Condition::PriceBelowFloor { percent_of_list } => ls.iter().any(|l| {
            let Some((price, cost, currency)) = l.product_id.and_then(|p| f.products.get(&p))
            else {
                return false;
            };
            // A price in another currency than the SKU's cannot be compared.
            if *currency != o.currency {
                return false;
            }
            // Unit prices, list prices and costs are all ten-thousandths of the currency unit.
            let floor_list = price * i64::from(*percent_of_list) / 100;
            l.qty > 0 && (l.unit_price < floor_list || (*cost > 0 && l.unit_price < *cost))
        }),
        Condition::Repeated { by, hours, orders } => {
            let key = history_key(by, o);
            if key.chars().count() < 3 {
                return false;
            }
            let window = Duration::hours(i64::from(*hours));
            let by = match by.as_str() {
                "phone" => "phone",
                "address" => "address",
                _ => "buyer",
            };
            // Held when some span of `hours` holds `orders` orders, this one among them (a burst is held
            // whole, its first orders too; three orders a day apart are not a burst of 24 h).
            let times = f.history.get(&(by, key)).map(Vec::as_slice).unwrap_or(&[]);
            times.iter().any(|start| {
                let end = *start + window;
                *start <= o.ordered_at
                    && o.ordered_at <= end
                    && times.iter().filter(|t| **t >= *start && **t <= end).count() as u32
                        >= *orders
            })
        }
        Condition::Blacklisted => {
            let t = customer_tags();
            has_tag(t, "黑名单") || has_tag(t, "blacklist")
        }
        Condition::CustomerTag { tag } => has_tag(customer_tags(), tag),
        Condition::ItemsAtLeast { qty } => ls.iter().map(|l| l.qty).sum::<i64>() >= *qty,
        Condition::PaymentMethod { contains } => {
            !contains.is_empty() && o.payment_method.contains(contains.as_str())
        }
        Condition::UsedPromotion { promotion_kind } => f
            .promotions
            .get(&o.id)
            .is_some_and(|ks| ks.iter().any(|k| k == promotion_kind)),
        Condition::All { conditions } => conditions.iter().all(|c| holds(c, o, ls, f)),
    }
}

fn judge(rules: &[Rule], o: &Reviewed, ls: &[ReviewedLine], f: &Facts) -> Verdict {
    let mut v = Verdict {
        order_id: o.id,
        platform_order_no: o.platform_order_no.clone(),
        held: false,
        reasons: Vec::new(),
        priority: o.priority,
        tags: o
            .tags
            .split(',')
            .filter(|t| !t.is_empty())
            .map(str::to_string)
            .collect(),
        warehouse: o.warehouse_code.clone(),
        matched: Vec::new(),
    };
    for r in rules.iter().filter(|r| r.enabled) {
        if !holds(&r.condition, o, ls, f) {
            continue;
        }
        v.matched.push(r.name.clone());
        match &r.outcome {
            Outcome::Pass => break,
            Outcome::Hold { reason } => v.reasons.push(HoldReason {
                rule: r.name.clone(),
                reason: reason.clone(),
            }),
            Outcome::Priority { level } => v.priority = v.priority.max(*level),
            Outcome::Tag { tag } => {
                if !v.tags.contains(tag) {
                    v.tags.push(tag.clone());
                }
            }
            Outcome::Warehouse { code } => v.warehouse = code.clone(),
        }
    }
    v.held = !v.reasons.is_empty();
    v
}

/// Reviews the orders waiting for review (or the given ones, or dry, a period's): clean orders are approved,
/// the others held with every reason; priorities, tags and warehouses set by the rules are stored. One
/// transaction, an event per order.
pub async fn review(
    desk: &Shopdesk,
    actor: &Actor,
    scope: &ReviewScope,
) -> Result<ReviewSummary, SalesError> {
    if scope.dry_run {
        actor.require(Permission::ViewOrders)?;
    } else {
        actor.require(Permission::EditOrders)?;
    }
    let txn = desk.bulk_txn(&[]).await?;
    let summary = review_in(desk, &txn, actor, scope).await?;
    if scope.dry_run {
        txn.rollback().await?;
    } else {
        desk.commit_bulk(txn).await?;
    }
    Ok(summary)
}

/// [`review`] in the caller's transaction (the caller checks the permission, then commits, or rolls a dry run back).
pub(crate) async fn review_in(
    desk: &Shopdesk,
    txn: &impl ConnectionTrait,
    actor: &Actor,
    scope: &ReviewScope,
) -> Result<ReviewSummary, SalesError> {
    let mut q = orders::Entity::find();
    if let Some(ids) = &scope.order_ids {
        q = q.filter(orders::Column::Id.is_in(ids.clone()));
        if !scope.dry_run {
            q = q.filter(orders::Column::Status.is_in(["pending_review", "held"]));
        }
    } else if scope.dry_run {
        if let Some(f) = scope.from {
            q = q.filter(orders::Column::BizDate.gte(f));
        }
        if let Some(t) = scope.to {
            q = q.filter(orders::Column::BizDate.lte(t));
        }
    } else {
        q = q.filter(orders::Column::Status.eq("pending_review"));
    }
    // Locked (PostgreSQL) so that a decision or a re-import in between cannot be overwritten.
    let q = if scope.dry_run { q } else { q.lock_exclusive() };
    // Oldest first (sorted here: cheaper than asking SQLite to sort every waiting order).
    let mut targets = q.into_partial_model::<Reviewed>().all(txn).await?;
    targets.sort_by_key(|o| (o.ordered_at, o.id));
    let rules = load_rules(txn).await?;
    let mode = if scope.order_ids.is_none() && !scope.dry_run {
        Targets::AllWaiting
    } else {
        Targets::Stored
    };
    let mut f = facts(txn, &targets, &rules, mode).await?;
    let mut all_lines: HashMap<i64, Vec<ReviewedLine>> = HashMap::new();
    for chunk in targets.chunks(500) {
        for l in lines::Entity::find()
            .filter(lines::Column::OrderId.is_in(chunk.iter().map(|o| o.id)))
            .into_partial_model::<ReviewedLine>()
            .all(txn)
            .await?
        {
            all_lines.entry(l.order_id).or_default().push(l);
        }
    }
    let (mut summary, mut verdicts) = judge_all(&rules, &targets, &all_lines, &mut f);
    summary.dry_run = scope.dry_run;
    if !scope.dry_run {
        let now = desk.now();
        // Orders that end the same way are updated together (most are simply approved).
        type Outcome5 = (&'static str, String, i32, String, String);
        let mut groups: BTreeMap<Outcome5, Vec<i64>> = BTreeMap::new();
        let mut events = Vec::with_capacity(verdicts.len());
        for v in &verdicts {
            let o = StoredOutcome::of(v);
            groups
                .entry((o.status, o.hold_reasons, o.priority, o.tags, o.warehouse))
                .or_default()
                .push(v.order_id);
            events.push(event(v, v.order_id, now, actor));
        }
        // One statement per outcome, its orders' ids bound as one JSON array.
        let backend = txn.get_database_backend();
        let sets = if backend == sea_orm::DbBackend::Postgres {
            "status = $1, hold_reasons = $2, priority = $3, tags = $4, warehouse_code = $5, updated_at = $6"
        } else {
            "status = ?, hold_reasons = ?, priority = ?, tags = ?, warehouse_code = ?, updated_at = ?"
        };
        let sql = format!(
            "UPDATE sales_orders SET {sets} WHERE id IN ({})",
            crate::db::ids_subquery(backend, 7)
        );
        for ((status, reasons, priority, tags, warehouse), ids) in &groups {
            txn.execute_raw(sea_orm::Statement::from_sql_and_values(
                backend,
                sql.as_str(),
                [
                    (*status).into(),
                    reasons.clone().into(),
                    (*priority).into(),
                    tags.clone().into(),
                    warehouse.clone().into(),
                    now.into(),
                    crate::db::ids_json(ids),
                ],
            ))
            .await?;
        }
        crate::db::insert_all(txn, events).await?;
        let after = serde_json::json!({
            "orders": summary.orders,
            "approved": summary.approved,
            "held": summary.held,
            "by_reason": summary.by_reason,
        });
        audit::record(
            desk,
            txn,
            actor,
            Action::Update,
            "order_review",
            None::<i64>,
            "review",
            None::<&()>,
            Some(&after),
        )
        .await?;
    }
    verdicts.sort_by_key(|v| !v.held);
    verdicts.truncate(200);
    summary.verdicts = verdicts;
    Ok(summary)
}

/// Judges the targets in their order (oldest first): what an approved order takes of the stock is not there for
/// the next. Returns the counts (without the verdicts) and every verdict, in the targets' order.
fn judge_all(
    rules: &[Rule],
    targets: &[Reviewed],
    lines: &HashMap<i64, Vec<ReviewedLine>>,
    f: &mut Facts,
) -> (ReviewSummary, Vec<Verdict>) {
    let mut summary = ReviewSummary {
        dry_run: false,
        orders: targets.len() as u64,
        approved: 0,
        held: 0,
        by_rule: BTreeMap::new(),
        by_reason: BTreeMap::new(),
        verdicts: Vec::new(),
    };
    let mut verdicts = Vec::with_capacity(targets.len());
    for o in targets {
        let ls = lines.get(&o.id).map(Vec::as_slice).unwrap_or(&[]);
        let v = judge(rules, o, ls, f);
        for m in &v.matched {
            *summary.by_rule.entry(m.clone()).or_default() += 1;
        }
        for r in &v.reasons {
            *summary.by_reason.entry(r.reason.clone()).or_default() += 1;
        }
        if v.held {
            summary.held += 1;
        } else {
            summary.approved += 1;
            for l in ls {
                if let Some(p) = l.product_id {
                    *f.available.entry(p).or_default() -= l.qty;
                }
            }
        }
        verdicts.push(v);
    }
    (summary, verdicts)
}

/// What a verdict stores on its order.
pub(crate) struct StoredOutcome {
    pub status: &'static str,
    /// The reasons as JSON when held, else empty.
    pub hold_reasons: String,
    pub priority: i32,
    pub tags: String,
    pub warehouse: String,
}

impl StoredOutcome {
    pub(crate) fn of(v: &Verdict) -> Self {
        Self {
            status: if v.held { "held" } else { "approved" },
            hold_reasons: if v.held {
                serde_json::to_string(&v.reasons).unwrap_or_default()
            } else {
                String::new()
            },
            priority: v.priority,
            tags: v.tags.join(","),
            warehouse: v.warehouse.clone(),
        }
    }
}

/// What a verdict's timeline event says (written straight from the verdict, without a JSON tree per order).
#[derive(Serialize)]
struct EventDetail<'a> {
    matched: &'a [String],
    priority: i32,
    reasons: &'a [HoldReason],
}

/// The timeline event of a verdict on the order `order_id`.
pub(crate) fn event(
    v: &Verdict,
    order_id: i64,
    at: DateTime<Utc>,
    actor: &Actor,
) -> order_events::ActiveModel {
    order_events::ActiveModel {
        order_id: Set(order_id),
        at: Set(at),
        username: Set(actor.username.clone()),
        kind: Set(if v.held { "held" } else { "approved" }.into()),
        detail: Set(serde_json::to_string(&EventDetail {
            matched: &v.matched,
            priority: v.priority,
            reasons: &v.reasons,
        })
        .unwrap_or_default()),
        ..Default::default()
    }
}

/// Review on import: judges orders that are not stored yet, each under the id given to it before it is stored,
/// with the rules and facts a review run would use (the stored orders' history plus these). Returns the counts and
/// every verdict, in the targets' order (oldest first: sort them so).
pub(crate) async fn judge_incoming(
    conn: &impl ConnectionTrait,
    targets: &[Reviewed],
    lines: &HashMap<i64, Vec<ReviewedLine>>,
) -> Result<(ReviewSummary, Vec<Verdict>), SalesError> {
    let rules = load_rules(conn).await?;
    let t = std::time::Instant::now();
    let mut f = facts(conn, targets, &rules, Targets::Incoming).await?;
    tracing::debug!(ms = t.elapsed().as_millis() as u64, "review facts");
    let t = std::time::Instant::now();
    let judged = judge_all(&rules, targets, lines, &mut f);
    tracing::debug!(ms = t.elapsed().as_millis() as u64, "review judged");
    Ok(judged)
}

/// A decision on a held order (or one waiting for review): approve it anyway, or cancel it; a note is required.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
pub enum OrderDecision {
    Approve,
    Cancel,
}

pub async fn decide(
    desk: &Shopdesk,
    actor: &Actor,
    order_id: i64,
    decision: OrderDecision,
    note: &str,
) -> Result<String, SalesError> {
    actor.require(Permission::EditOrders)?;
    if note.trim().is_empty() {
        return Err(invalid("note", "required"));
    }
    let txn = desk.write_txn().await?;
    let (to, from): (&str, &[&str]) = match decision {
        OrderDecision::Approve => ("approved", &["held", "pending_review"]),
        OrderDecision::Cancel => (
            "cancelled",
            &[
                "held",
                "pending_review",
                "approved",
                "unpaid",
                "allocated",
                "picking",
                "packed",
            ],
        ),
    };
    let o = orders::Entity::find_by_id(order_id)
        .one(&txn)
        .await?
        .ok_or_else(|| SalesError::NotFound {
            entity: "sales_order",
            key: order_id.to_string(),
        })?;
    let done = orders::Entity::update_many()
        .col_expr(orders::Column::Status, Expr::value(to))
        .col_expr(orders::Column::HoldReasons, Expr::value(""))
        .col_expr(orders::Column::UpdatedAt, Expr::value(desk.now()))
        .filter(orders::Column::Id.eq(order_id))
        .filter(orders::Column::Status.is_in(from.iter().copied()))
        .exec(&txn)
        .await?;
    if done.rows_affected != 1 {
        return Err(invalid("status", "not_open"));
    }
    if decision == OrderDecision::Cancel {
        // Nothing stays reserved for a cancelled order, it cannot ship, and what it took from promotions is back.
        super::allocate::cancel_open_parcels(desk, &txn, actor, &[order_id], note).await?;
        super::promotions::release_uses(&txn, order_id).await?;
    }
    super::event(
        order_id,
        desk.now(),
        actor,
        to,
        serde_json::json!({ "note": note.trim(), "total": money_text(o.total, &o.currency) }),
    )
    .insert(&txn)
    .await?;
    audit::record(
        desk,
        &txn,
        actor,
        Action::Update,
        "sales_order",
        Some(order_id),
        &o.platform_order_no,
        Some(&serde_json::json!({ "status": o.status, "hold_reasons": o.hold_reasons })),
        Some(&serde_json::json!({ "status": to, "note": note.trim() })),
    )
    .await?;
    txn.commit().await?;
    Ok(to.to_string())
}

/// The exception queue: held orders, highest priority and oldest first, with their reasons.
pub async fn held(desk: &Shopdesk, actor: &Actor) -> Result<Vec<super::SalesOrder>, SalesError> {
    actor.require(Permission::ViewOrders)?;
    let rows = orders::Entity::find()
        .filter(orders::Column::Status.eq("held"))
        .order_by_desc(orders::Column::Priority)
        .order_by_asc(orders::Column::OrderedAt)
        .limit(500)
        .all(desk.db())
        .await?;
    super::load(desk.db(), rows, &actor.language).await
}
