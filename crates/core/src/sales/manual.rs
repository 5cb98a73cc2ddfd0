//! Orders typed in by hand (phone orders, 电话订单): a customer looked up by code fills the receiver, each line
//! takes the SKU's list price unless another is given, and what is available is there to see while typing
//! ([`availability`]). Lines at list price get the promotions in force ([`promotions`]: item prices, spend-and-save,
//! a coupon), each line keeping how its price was reached; a typed price is a negotiated one and is kept. The order
//! gets our own number (`SO-…`, channel `manual`) and then goes through the same review as every imported order.

use super::{SalesError, SalesOrder, invalid, promotions};
use crate::Shopdesk;
use crate::audit::{self, Action};
use crate::auth::{Actor, Permission};
use crate::entities::{customers, products, sales_order_lines as lines, sales_orders as orders};
use crate::error::{FieldError, FieldErrors};
use crate::money::{Currency, Money, UnitPrice};
use sea_orm::{ActiveModelTrait, ColumnTrait, EntityTrait, QueryFilter, Set};
use serde::{Deserialize, Serialize};
use ts_rs::TS;

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(default)]
pub struct ManualLineInput {
    pub sku: String,
    #[ts(type = "number")]
    pub qty: i64,
    /// Empty: the SKU's list price.
    pub unit_price: String,
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(default)]
pub struct ManualOrderInput {
    /// A customer's code: fills buyer, receiver, phone and address where they are left empty.
    pub customer_code: String,
    pub receiver: String,
    pub phone: String,
    pub province: String,
    pub city: String,
    pub district: String,
    pub address: String,
    pub buyer_message: String,
    pub seller_note: String,
    pub payment_method: String,
    /// Paid already (bank transfer, cash): the order waits for review. Unpaid orders wait for payment, except
    /// cash on delivery (货到付款 / COD), which goes to review unpaid.
    pub paid: bool,
    pub shipping_fee: String,
    pub discount: String,
    pub lines: Vec<ManualLineInput>,
    /// A coupon code the customer gave (优惠券).
    pub coupon: String,
    /// The size of the group buy (拼团) this order is part of; 0 when none.
    pub group_size: u32,
}

/// A SKU as the order form shows it while typing: its list price and what is available now.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct SkuAvailability {
    pub sku: String,
    pub name: String,
    pub list_price: String,
    #[ts(type = "number")]
    pub available: i64,
}

/// List price and available stock (on hand − reserved, every warehouse) of the given SKUs.
pub async fn availability(
    desk: &Shopdesk,
    actor: &Actor,
    skus: &[String],
) -> Result<Vec<SkuAvailability>, SalesError> {
    actor.require(Permission::ViewOrders)?;
    let ps = products::Entity::find()
        .filter(products::Column::Sku.is_in(skus.iter().map(|s| s.trim().to_string())))
        .all(desk.db())
        .await?;
    let ids: Vec<i64> = ps.iter().map(|p| p.id).collect();
    let avail = crate::inventory::available_by_product(desk.db(), Some(&ids)).await?;
    Ok(ps
        .into_iter()
        .map(|p| SkuAvailability {
            available: avail.get(&p.id).copied().unwrap_or(0),
            list_price: UnitPrice::from_ten_thousandths(p.price).to_string(),
            sku: p.sku,
            name: p.name,
        })
        .collect())
}

fn truncate(s: &str, max: usize) -> String {
    s.trim().chars().take(max).collect()
}

/// Creates a phone order in one transaction with its audit row.
pub async fn create(
    desk: &Shopdesk,
    actor: &Actor,
    input: &ManualOrderInput,
) -> Result<SalesOrder, SalesError> {
    actor.require(Permission::EditOrders)?;
    let company = desk.company();
    let cur = Currency::parse(&company.currency).unwrap_or(Currency::CNY);
    let mut errs = Vec::new();
    if input.lines.is_empty() {
        errs.push(FieldError::new("lines", "required"));
    }
    let money = |field: &str, text: &str, errs: &mut Vec<FieldError>| -> i64 {
        if text.trim().is_empty() {
            return 0;
        }
        match Money::parse(text, cur) {
            Ok(m) if m.minor() >= 0 => m.minor(),
            _ => {
                errs.push(FieldError::new(field, "money"));
                0
            }
        }
    };
    let shipping = money("shipping_fee", &input.shipping_fee, &mut errs);
    let discount = money("discount", &input.discount, &mut errs);
    let txn = desk.write_txn().await?;
    let customer = if input.customer_code.trim().is_empty() {
        None
    } else {
        let c = customers::Entity::find()
            .filter(customers::Column::Code.eq(input.customer_code.trim()))
            .one(&txn)
            .await?;
        if c.is_none() {
            errs.push(FieldError::new("customer_code", "not_found"));
        }
        c
    };
    let mut ls = Vec::new();
    let mut priced = None;
    if input.lines.iter().any(|l| l.qty <= 0) {
        for (i, l) in input.lines.iter().enumerate() {
            if l.qty <= 0 {
                errs.push(FieldError::new(&format!("lines[{i}].qty"), "positive"));
            }
        }
    } else if !input.lines.is_empty() {
        let q = promotions::QuoteInput {
            channel: "manual".into(),
            // As the order's buyer will read: the customer's code, else the receiver.
            buyer: if input.customer_code.trim().is_empty() {
                input.receiver.trim().to_string()
            } else {
                input.customer_code.trim().to_string()
            },
            lines: input
                .lines
                .iter()
                .map(|l| promotions::QuoteLine {
                    sku: l.sku.clone(),
                    qty: l.qty,
                    unit_price: l.unit_price.clone(),
                })
                .collect(),
            coupon: input.coupon.clone(),
            group_size: input.group_size,
        };
        match promotions::price(desk, &txn, &q, &actor.language, desk.now()).await {
            Ok(p) => {
                if !p.coupon_problem.is_empty() {
                    errs.push(FieldError::new(
                        "coupon",
                        &format!("coupon_{}", p.coupon_problem),
                    ));
                }
                ls = p.lines.clone();
                priced = Some(p);
            }
            Err(SalesError::Validation(v)) => errs.extend(v.0),
            Err(e) => return Err(e),
        }
    }
    let goods: i64 = ls.iter().map(|l| l.list_amount).sum();
    let discount = discount + ls.iter().map(|l| l.discount).sum::<i64>();
    let c = customer.as_ref();
    let pick = |given: &str, from: Option<&str>| -> String {
        if given.trim().is_empty() {
            from.unwrap_or("").to_string()
        } else {
            given.trim().to_string()
        }
    };
    let receiver = pick(&input.receiver, c.map(|c| c.name.as_str()));
    let phone = pick(&input.phone, c.map(|c| c.phone.as_str()));
    let province = pick(&input.province, c.map(|c| c.province.as_str()));
    let city = pick(&input.city, c.map(|c| c.city.as_str()));
    let address = pick(&input.address, c.map(|c| c.address.as_str()));
    if receiver.is_empty() {
        errs.push(FieldError::new("receiver", "required"));
    }
    if discount > goods + shipping {
        errs.push(FieldError::new("discount", "out_of_range"));
    }
    if !errs.is_empty() {
        return Err(SalesError::Validation(FieldErrors(errs)));
    }
    let total = goods + shipping - discount;
    let now = desk.now();
    let biz_date = desk.biz_date(now);
    let no = crate::docno::next(&txn, "SO", biz_date).await?;
    let cod = {
        let m = input.payment_method.trim().to_lowercase();
        m.contains("货到付款") || m == "cod" || m.contains("cash on delivery")
    };
    let (status, paid, paid_at) = if input.paid {
        ("pending_review", total, Some(now))
    } else if cod {
        ("pending_review", 0, None)
    } else {
        ("unpaid", 0, None)
    };
    let o = orders::ActiveModel {
        channel: Set("manual".into()),
        shop: Set(String::new()),
        platform_order_no: Set(no.clone()),
        status: Set(status.into()),
        platform_status: Set(String::new()),
        currency: Set(cur.to_string()),
        goods_amount: Set(goods),
        shipping_fee: Set(shipping),
        discount: Set(discount),
        tax: Set(0),
        total: Set(total),
        paid: Set(paid),
        refunded: Set(0),
        payment_method: Set(truncate(&input.payment_method, 64)),
        buyer: Set(c
            .map(|c| c.code.clone())
            .unwrap_or_else(|| receiver.clone())),
        receiver: Set(truncate(&receiver, 128)),
        phone: Set(truncate(&phone, 64)),
        province: Set(truncate(&province, 64)),
        city: Set(truncate(&city, 64)),
        district: Set(truncate(&input.district, 64)),
        address: Set(truncate(&address, 500)),
        postal_code: Set(String::new()),
        country: Set(String::new()),
        buyer_message: Set(truncate(&input.buyer_message, 1000)),
        seller_note: Set(truncate(&input.seller_note, 1000)),
        carrier: Set(String::new()),
        tracking_no: Set(String::new()),
        ordered_at: Set(now),
        paid_at: Set(paid_at),
        biz_date: Set(biz_date),
        priority: Set(0),
        tags: Set(String::new()),
        hold_reasons: Set(String::new()),
        warehouse_code: Set(String::new()),
        import_id: Set(None),
        row_hash: Set(String::new()),
        created_at: Set(now),
        updated_at: Set(now),
        ..Default::default()
    }
    .insert(&txn)
    .await?;
    for (n, l) in ls.into_iter().enumerate() {
        let unit = UnitPrice::parse(&l.unit_price).map_err(|_| invalid("unit_price", "price"))?;
        lines::ActiveModel {
            order_id: Set(o.id),
            line_no: Set(n as i32 + 1),
            platform_sku: Set(l.sku),
            platform_item_id: Set(String::new()),
            product_id: Set(Some(l.product_id)),
            title: Set(truncate(&l.name, 500)),
            spec: Set(truncate(&l.spec, 255)),
            qty: Set(l.qty),
            unit_price: Set(unit.ten_thousandths()),
            discount: Set(l.discount),
            amount: Set(l.amount),
            price_note: Set(l.steps.join("\n")),
            ..Default::default()
        }
        .insert(&txn)
        .await?;
    }
    if let Some(p) = &priced {
        promotions::record_uses(&txn, p, o.id, &o.buyer, now).await?;
    }
    let out = super::load(&txn, vec![o], &actor.language)
        .await?
        .pop()
        .ok_or_else(|| SalesError::NotFound {
            entity: "sales_order",
            key: no.clone(),
        })?;
    audit::record(
        desk,
        &txn,
        actor,
        Action::Create,
        "sales_order",
        Some(out.id),
        &no,
        None::<&()>,
        Some(&out),
    )
    .await?;
    txn.commit().await?;
    Ok(out)
}
