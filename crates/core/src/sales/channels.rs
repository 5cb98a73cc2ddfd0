//! The channels orders come from, the header names of their exports (../shared/data/formats/order_exports.md)
//! and how a platform's status words become our order status.
//!
//! Every channel reads through the same import machinery; a channel only says which header names mean which
//! field. `generic` knows the names of every channel plus plain Chinese and English ones, for any CSV/Excel with
//! a saved or given column mapping.

use crate::imports::header::FieldSpec;
use serde::{Deserialize, Serialize};
use std::collections::HashMap;
use std::sync::OnceLock;
use ts_rs::TS;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
pub enum Channel {
    Tmall,
    Taobao,
    Jd,
    Pdd,
    Shopify,
    Amazon,
    Generic,
    Manual,
}

impl Channel {
    pub const IMPORTABLE: [Channel; 7] = [
        Channel::Tmall,
        Channel::Taobao,
        Channel::Jd,
        Channel::Pdd,
        Channel::Shopify,
        Channel::Amazon,
        Channel::Generic,
    ];

    pub fn as_str(&self) -> &'static str {
        match self {
            Channel::Tmall => "tmall",
            Channel::Taobao => "taobao",
            Channel::Jd => "jd",
            Channel::Pdd => "pdd",
            Channel::Shopify => "shopify",
            Channel::Amazon => "amazon",
            Channel::Generic => "generic",
            Channel::Manual => "manual",
        }
    }

    pub fn parse(s: &str) -> Option<Channel> {
        Channel::IMPORTABLE
            .into_iter()
            .chain([Channel::Manual])
            .find(|c| c.as_str() == s.trim().to_ascii_lowercase())
    }

    /// Chinese platforms price in yuan; the others say so in a currency column (else the company's currency).
    pub fn default_currency(&self) -> Option<&'static str> {
        match self {
            Channel::Tmall | Channel::Taobao | Channel::Jd | Channel::Pdd => Some("CNY"),
            _ => None,
        }
    }

    /// The fields this channel's export is read by.
    pub fn specs(&self) -> &'static [FieldSpec] {
        static CACHE: OnceLock<HashMap<Channel, &'static [FieldSpec]>> = OnceLock::new();
        CACHE
            .get_or_init(|| {
                Channel::IMPORTABLE
                    .into_iter()
                    .map(|c| (c, build_specs(c)))
                    .collect()
            })
            .get(self)
            .copied()
            .unwrap_or(&[])
    }
}

/// Fields read once per order (the first row of an order that fills them wins).
pub const ORDER_FIELDS: &[&str] = &[
    "order_no",
    "shop",
    "status",
    "refund_status",
    "fulfillment_status",
    "ordered_at",
    "paid_at",
    "cancelled_at",
    "buyer",
    "receiver",
    "phone",
    "province",
    "city",
    "district",
    "address",
    "postal_code",
    "country",
    "buyer_message",
    "seller_note",
    "currency",
    "goods_amount",
    "shipping_fee",
    "discount",
    "tax",
    "total",
    "paid",
    "refunded",
    "payment_method",
    "carrier",
    "tracking_no",
];

/// Fields of one line (a row of a one-row-per-line export).
pub const LINE_FIELDS: &[&str] = &[
    "platform_sku",
    "item_id",
    "title",
    "spec",
    "qty",
    "unit_price",
    "line_amount",
    "line_discount",
    "line_shipping",
    "line_tax",
];

/// Every field a user can name in `--column FIELD=COLUMN`.
pub fn all_fields() -> impl Iterator<Item = &'static str> {
    ORDER_FIELDS.iter().chain(LINE_FIELDS).copied()
}

/// Every field as a spec without names, for checking a user's mapping.
pub fn field_specs() -> &'static [FieldSpec] {
    static SPECS: OnceLock<Vec<FieldSpec>> = OnceLock::new();
    SPECS.get_or_init(|| {
        all_fields()
            .map(|key| FieldSpec {
                key,
                exact: &[],
                contains: &[],
            })
            .collect()
    })
}

const T: &str = "tmall taobao generic";
const JD: &str = "jd generic";
const PDD: &str = "pdd generic";
const SHOP: &str = "shopify generic";
const AMZ: &str = "amazon generic";
const GEN: &str = "generic";

/// (field, channels, exact header names). Names are compared after `header::normalize_header` (no spaces,
/// lower case, a bracketed suffix such as `(元)` dropped), so `收货地址 ` and `商品总价(元)` match.
const NAMES: &[(&str, &str, &[&str])] = &[
    ("order_no", T, &["订单编号", "主订单编号"]),
    ("order_no", JD, &["订单号"]),
    ("order_no", PDD, &["订单号"]),
    ("order_no", "shopify", &["Name"]),
    ("order_no", AMZ, &["amazon-order-id", "order-id"]),
    (
        "order_no",
        GEN,
        &[
            "平台订单号",
            "订单号码",
            "order no",
            "order number",
            "order id",
        ],
    ),
    ("shop", T, &["店铺名称"]),
    ("shop", GEN, &["店铺", "shop", "store"]),
    ("status", T, &["订单状态"]),
    ("status", JD, &["订单状态"]),
    ("status", PDD, &["订单状态"]),
    ("status", SHOP, &["Financial Status"]),
    ("status", AMZ, &["order-status"]),
    ("status", GEN, &["状态", "status", "order status"]),
    ("refund_status", T, &["退款状态"]),
    ("refund_status", PDD, &["售后状态"]),
    ("fulfillment_status", SHOP, &["Fulfillment Status"]),
    ("ordered_at", T, &["订单创建时间"]),
    ("ordered_at", JD, &["下单时间"]),
    ("ordered_at", PDD, &["订单成交时间", "订单创建时间"]),
    ("ordered_at", SHOP, &["Created at"]),
    ("ordered_at", AMZ, &["purchase-date"]),
    (
        "ordered_at",
        GEN,
        &["下单日期", "订单日期", "创建时间", "order date", "date"],
    ),
    ("paid_at", T, &["订单付款时间"]),
    ("paid_at", JD, &["付款确认时间"]),
    ("paid_at", PDD, &["支付时间"]),
    ("paid_at", SHOP, &["Paid at"]),
    ("paid_at", AMZ, &["payments-date"]),
    ("paid_at", GEN, &["付款时间", "payment date"]),
    ("cancelled_at", SHOP, &["Cancelled at"]),
    ("buyer", T, &["买家会员名"]),
    ("buyer", JD, &["下单帐号", "下单账号"]),
    ("buyer", SHOP, &["Email"]),
    ("buyer", AMZ, &["buyer-email", "buyer-name"]),
    ("buyer", GEN, &["买家", "客户", "customer", "buyer"]),
    ("receiver", T, &["收货人姓名"]),
    ("receiver", JD, &["客户姓名"]),
    ("receiver", PDD, &["收货人"]),
    ("receiver", SHOP, &["Shipping Name"]),
    ("receiver", AMZ, &["recipient-name"]),
    ("receiver", GEN, &["收件人", "recipient"]),
    ("phone", T, &["联系手机", "联系电话"]),
    ("phone", JD, &["联系电话"]),
    ("phone", PDD, &["手机"]),
    ("phone", SHOP, &["Shipping Phone", "Phone", "Billing Phone"]),
    ("phone", AMZ, &["buyer-phone-number", "ship-phone-number"]),
    ("phone", GEN, &["电话", "手机号", "phone"]),
    ("province", PDD, &["省"]),
    ("province", SHOP, &["Shipping Province"]),
    ("province", AMZ, &["ship-state"]),
    ("province", GEN, &["省份", "province", "state"]),
    ("city", PDD, &["市"]),
    ("city", SHOP, &["Shipping City"]),
    ("city", AMZ, &["ship-city"]),
    ("city", GEN, &["城市", "city"]),
    ("district", PDD, &["区"]),
    ("district", GEN, &["区县", "district"]),
    ("address", T, &["收货地址"]),
    ("address", JD, &["客户地址"]),
    ("address", PDD, &["详细地址"]),
    ("address", SHOP, &["Shipping Street"]),
    (
        "address",
        AMZ,
        &["ship-address-1", "ship-address-2", "ship-address-3"],
    ),
    ("address", GEN, &["地址", "address"]),
    ("postal_code", SHOP, &["Shipping Zip"]),
    ("postal_code", AMZ, &["ship-postal-code"]),
    ("postal_code", GEN, &["邮编", "zip", "postal code"]),
    ("country", SHOP, &["Shipping Country"]),
    ("country", AMZ, &["ship-country"]),
    ("country", GEN, &["国家", "country"]),
    ("buyer_message", T, &["买家留言"]),
    ("buyer_message", JD, &["订单备注"]),
    ("buyer_message", SHOP, &["Notes"]),
    ("buyer_message", GEN, &["留言", "买家备注", "note"]),
    ("seller_note", T, &["订单备注"]),
    ("seller_note", JD, &["商家备注"]),
    ("seller_note", PDD, &["商家备注"]),
    ("seller_note", GEN, &["卖家备注"]),
    ("currency", SHOP, &["Currency"]),
    ("currency", AMZ, &["currency"]),
    ("currency", GEN, &["币种"]),
    ("goods_amount", T, &["买家应付货款"]),
    ("goods_amount", PDD, &["商品总价"]),
    ("goods_amount", SHOP, &["Subtotal"]),
    ("goods_amount", GEN, &["商品金额", "货款", "subtotal"]),
    ("shipping_fee", T, &["买家应付邮费"]),
    ("shipping_fee", JD, &["运费金额"]),
    ("shipping_fee", PDD, &["邮费"]),
    ("shipping_fee", SHOP, &["Shipping"]),
    ("shipping_fee", GEN, &["运费", "shipping fee"]),
    ("discount", PDD, &["店铺优惠折扣"]),
    ("discount", SHOP, &["Discount Amount"]),
    ("discount", GEN, &["优惠", "优惠金额", "discount"]),
    ("tax", SHOP, &["Taxes"]),
    ("tax", GEN, &["税额", "tax"]),
    ("total", T, &["总金额"]),
    ("total", JD, &["订单金额"]),
    ("total", SHOP, &["Total"]),
    (
        "total",
        GEN,
        &["订单总额", "合计金额", "order total", "total"],
    ),
    ("paid", T, &["买家实际支付金额"]),
    ("paid", JD, &["应付金额"]),
    ("paid", PDD, &["用户实付金额"]),
    ("paid", GEN, &["实付金额", "paid", "amount paid"]),
    ("refunded", T, &["退款金额"]),
    ("refunded", SHOP, &["Refunded Amount"]),
    ("refunded", GEN, &["退款", "refunded", "refund"]),
    ("payment_method", JD, &["支付方式"]),
    ("payment_method", SHOP, &["Payment Method"]),
    ("payment_method", GEN, &["付款方式", "payment method"]),
    ("carrier", T, &["物流公司"]),
    ("carrier", PDD, &["快递公司"]),
    ("carrier", GEN, &["承运商", "carrier"]),
    ("tracking_no", T, &["物流单号", "运单号"]),
    ("tracking_no", PDD, &["快递单号"]),
    ("tracking_no", GEN, &["tracking number", "tracking no"]),
    ("platform_sku", T, &["商家编码", "外部系统编号"]),
    ("platform_sku", JD, &["货号"]),
    (
        "platform_sku",
        PDD,
        &["商家编码-SKU维度", "商家编码-规格维度", "商家编码-商品维度"],
    ),
    ("platform_sku", SHOP, &["Lineitem sku"]),
    ("platform_sku", AMZ, &["sku"]),
    ("platform_sku", GEN, &["编码", "商品编码", "sku code"]),
    ("item_id", T, &["商品ID"]),
    ("item_id", JD, &["商品ID"]),
    ("item_id", PDD, &["商品id"]),
    ("item_id", AMZ, &["asin"]),
    ("title", T, &["宝贝标题", "标题", "商品标题"]),
    ("title", JD, &["商品名称"]),
    ("title", PDD, &["商品"]),
    ("title", SHOP, &["Lineitem name"]),
    ("title", AMZ, &["product-name"]),
    (
        "title",
        GEN,
        &["品名", "名称", "product", "product name", "item"],
    ),
    ("spec", T, &["规格名称", "商品属性", "销售属性"]),
    ("spec", PDD, &["商品规格"]),
    ("spec", GEN, &["规格", "spec", "variant"]),
    ("qty", T, &["购买数量"]),
    ("qty", JD, &["订购数量"]),
    ("qty", PDD, &["商品数量"]),
    ("qty", SHOP, &["Lineitem quantity"]),
    ("qty", AMZ, &["quantity", "quantity-purchased"]),
    ("qty", GEN, &["数量", "qty"]),
    ("unit_price", T, &["价格", "商品价格"]),
    ("unit_price", JD, &["京东价"]),
    ("unit_price", SHOP, &["Lineitem price"]),
    ("unit_price", GEN, &["单价", "unit price", "price"]),
    ("line_amount", AMZ, &["item-price"]),
    ("line_amount", GEN, &["金额", "小计", "line total"]),
    ("line_discount", SHOP, &["Lineitem discount"]),
    ("line_discount", AMZ, &["item-promotion-discount"]),
    ("line_shipping", AMZ, &["shipping-price"]),
    ("line_tax", AMZ, &["item-tax"]),
];

fn build_specs(c: Channel) -> &'static [FieldSpec] {
    let mut by_field: Vec<(&'static str, Vec<&'static str>)> = Vec::new();
    for (field, channels, names) in NAMES {
        if !channels.split(' ').any(|x| x == c.as_str()) {
            continue;
        }
        match by_field.iter_mut().find(|(f, _)| f == field) {
            Some((_, v)) => v.extend_from_slice(names),
            None => by_field.push((field, names.to_vec())),
        }
    }
    let specs: Vec<FieldSpec> = by_field
        .into_iter()
        .map(|(key, names)| FieldSpec {
            key,
            exact: Box::leak(names.into_boxed_slice()),
            contains: &[],
        })
        .collect();
    Box::leak(specs.into_boxed_slice())
}

/// Our order status as the platform's words say it; `None` when they say nothing we know.
/// Closed trades (cancelled, voided, refunded in full) win over everything else.
pub fn status_from_words(words: &[&str]) -> Option<&'static str> {
    if words.iter().all(|w| w.trim().is_empty()) {
        return None;
    }
    // PDD's "no after-sales (or it was withdrawn)" says nothing about the order.
    let text = words
        .join(" ")
        .to_lowercase()
        .replace("无售后或售后取消", "")
        .replace("售后取消", "")
        .replace("无售后", "");
    if text.trim().is_empty() {
        return None;
    }
    let has = |list: &[&str]| list.iter().any(|w| text.contains(w));
    if has(&[
        "交易关闭",
        "已取消",
        "订单取消",
        "取消",
        "已关闭",
        "退款成功",
        "trade_closed",
        "cancel",
        "voided",
    ]) || text.split_whitespace().any(|w| w == "refunded")
    {
        return Some("closed");
    }
    if has(&[
        "交易成功",
        "已完成",
        "完成",
        "已签收",
        "已收货",
        "delivered",
    ]) {
        return Some("completed");
    }
    if has(&[
        "卖家已发货",
        "已发货",
        "待收货",
        "待签收",
        "等待确认收货",
        "等待买家确认收货",
        "已出库",
        "配送",
        "shipped",
        "fulfilled",
    ]) && !has(&["unshipped", "partiallyshipped", "unfulfilled", "未发货"])
    {
        return Some("shipped");
    }
    // `unpaid` and `partially_paid` contain `paid`: they are read first.
    if has(&[
        "等待买家付款",
        "待付款",
        "未付款",
        "wait_buyer_pay",
        "unpaid",
        "partially_paid",
    ]) || (has(&["pending"]) && !has(&["paid"]))
    {
        return Some("unpaid");
    }
    if has(&[
        "已付款",
        "待发货",
        "等待卖家发货",
        "等待出库",
        "未发货",
        "paid",
        "authorized",
        "unshipped",
        "partiallyshipped",
        "unfulfilled",
        "partial",
    ]) {
        return Some("pending_review");
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_channel_reads_order_numbers() {
        for c in Channel::IMPORTABLE {
            assert!(
                c.specs().iter().any(|s| s.key == "order_no"),
                "{c:?} has no order_no"
            );
        }
        let tmall: Vec<&str> = Channel::Tmall.specs().iter().map(|s| s.key).collect();
        assert!(tmall.contains(&"refunded") && !tmall.contains(&"line_shipping"));
    }

    #[test]
    fn platform_words_become_our_status() {
        assert_eq!(status_from_words(&["交易关闭"]), Some("closed"));
        assert_eq!(status_from_words(&["交易成功"]), Some("completed"));
        assert_eq!(
            status_from_words(&["卖家已发货，等待买家确认"]),
            Some("shipped")
        );
        assert_eq!(
            status_from_words(&["买家已付款，等待卖家发货"]),
            Some("pending_review")
        );
        assert_eq!(status_from_words(&["等待买家付款"]), Some("unpaid"));
        assert_eq!(status_from_words(&["等待出库"]), Some("pending_review"));
        assert_eq!(status_from_words(&["待发货", "退款成功"]), Some("closed"));
        assert_eq!(
            status_from_words(&["已发货，待签收", "无售后或售后取消"]),
            Some("shipped")
        );
        assert_eq!(status_from_words(&["paid", "fulfilled"]), Some("shipped"));
        assert_eq!(status_from_words(&["paid", ""]), Some("pending_review"));
        assert_eq!(
            status_from_words(&["partially_refunded", "unfulfilled"]),
            Some("pending_review")
        );
        assert_eq!(status_from_words(&["pending"]), Some("unpaid"));
        assert_eq!(status_from_words(&["unpaid"]), Some("unpaid"));
        assert_eq!(
            status_from_words(&["partially_paid", "unfulfilled"]),
            Some("unpaid")
        );
        assert_eq!(status_from_words(&["refunded"]), Some("closed"));
        assert_eq!(status_from_words(&["Unshipped"]), Some("pending_review"));
        assert_eq!(status_from_words(&["Canceled"]), Some("closed"));
        assert_eq!(status_from_words(&[""]), None);
    }
}
