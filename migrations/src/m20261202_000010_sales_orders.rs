//! Sales orders (订单) from every channel: the orders with their money in minor units, their lines with the
//! platform's SKU code and our product once mapped, the channel SKU map (商家编码 → our SKU, fixed once for all later
//! imports), each order's timeline of events, and the record of every order import.
//! An order is unique per channel, shop and platform order number: re-importing never duplicates it.

use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    fn use_transaction(&self) -> Option<bool> {
        Some(true)
    }

    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.create_table(
            Table::create()
                .table(OrderImports::Table)
                .col(big_pk_auto(OrderImports::Id))
                .col(string_len(OrderImports::Channel, 16))
                .col(string_len(OrderImports::FileName, 255))
                .col(string_len(OrderImports::FileHash, 64))
                .col(big_integer(OrderImports::RowsRead))
                .col(big_integer(OrderImports::OrdersCreated))
                .col(big_integer(OrderImports::OrdersUpdated))
                .col(big_integer(OrderImports::Lines))
                .col(big_integer(OrderImports::RowsFailed))
                .col(string_len(OrderImports::Username, 64))
                .col(timestamp_with_time_zone(OrderImports::CreatedAt))
                .to_owned(),
        )
        .await?;
        m.create_table(
            Table::create()
                .table(SalesOrders::Table)
                .col(big_pk_auto(SalesOrders::Id))
                .col(string_len(SalesOrders::Channel, 16))
                .col(string_len(SalesOrders::Shop, 64))
                .col(string_len(SalesOrders::PlatformOrderNo, 64))
                .col(string_len(SalesOrders::Status, 24))
                .col(string_len(SalesOrders::PlatformStatus, 64))
                .col(string_len(SalesOrders::Currency, 3))
                .col(big_integer(SalesOrders::GoodsAmount))
                .col(big_integer(SalesOrders::ShippingFee))
                .col(big_integer(SalesOrders::Discount))
                .col(big_integer(SalesOrders::Tax))
                .col(big_integer(SalesOrders::Total))
                .col(big_integer(SalesOrders::Paid))
                .col(big_integer(SalesOrders::Refunded))
                .col(string_len(SalesOrders::PaymentMethod, 64))
                .col(string_len(SalesOrders::Buyer, 128))
                .col(string_len(SalesOrders::Receiver, 128))
                .col(string_len(SalesOrders::Phone, 64))
                .col(string_len(SalesOrders::Province, 64))
                .col(string_len(SalesOrders::City, 64))
                .col(string_len(SalesOrders::District, 64))
                .col(string_len(SalesOrders::Address, 500))
                .col(string_len(SalesOrders::PostalCode, 32))
                .col(string_len(SalesOrders::Country, 64))
                .col(string_len(SalesOrders::BuyerMessage, 1000))
                .col(string_len(SalesOrders::SellerNote, 1000))
                .col(string_len(SalesOrders::Carrier, 64))
                .col(string_len(SalesOrders::TrackingNo, 64))
                .col(timestamp_with_time_zone(SalesOrders::OrderedAt))
                .col(timestamp_with_time_zone_null(SalesOrders::PaidAt))
                .col(date(SalesOrders::BizDate))
                .col(integer(SalesOrders::Priority))
                .col(string_len(SalesOrders::Tags, 500))
                .col(text(SalesOrders::HoldReasons))
                .col(string_len(SalesOrders::WarehouseCode, 32))
                .col(big_integer_null(SalesOrders::ImportId))
                .col(string_len(SalesOrders::RowHash, 64))
                .col(timestamp_with_time_zone(SalesOrders::CreatedAt))
                .col(timestamp_with_time_zone(SalesOrders::UpdatedAt))
                .to_owned(),
        )
        .await?;
        for (name, cols) in [
            (
                "uq_sales_orders_platform_no",
                vec![
                    SalesOrders::Channel,
                    SalesOrders::Shop,
                    SalesOrders::PlatformOrderNo,
                ],
            ),
            ("idx_sales_orders_biz_date", vec![SalesOrders::BizDate]),
            ("idx_sales_orders_status", vec![SalesOrders::Status]),
        ] {
            let mut idx = Index::create();
            idx.name(name).table(SalesOrders::Table);
            for c in cols {
                idx.col(c);
            }
            if name.starts_with("uq_") {
                idx.unique();
            }
            m.create_index(idx.to_owned()).await?;
        }
        m.create_table(
            Table::create()
                .table(SalesOrderLines::Table)
                .col(big_pk_auto(SalesOrderLines::Id))
                .col(big_integer(SalesOrderLines::OrderId))
                .col(integer(SalesOrderLines::LineNo))
                .col(string_len(SalesOrderLines::PlatformSku, 128))
                .col(string_len(SalesOrderLines::PlatformItemId, 64))
                .col(big_integer_null(SalesOrderLines::ProductId))
                .col(string_len(SalesOrderLines::Title, 500))
                .col(string_len(SalesOrderLines::Spec, 255))
                .col(big_integer(SalesOrderLines::Qty))
                .col(big_integer(SalesOrderLines::UnitPrice))
                .col(big_integer(SalesOrderLines::Discount))
                .col(big_integer(SalesOrderLines::Amount))
                .foreign_key(
                    ForeignKey::create()
                        .from(SalesOrderLines::Table, SalesOrderLines::OrderId)
                        .to(SalesOrders::Table, SalesOrders::Id),
                )
                .to_owned(),
        )
        .await?;
        m.create_index(
            Index::create()
                .name("idx_sales_order_lines_order")
                .table(SalesOrderLines::Table)
                .col(SalesOrderLines::OrderId)
                .to_owned(),
        )
        .await?;
        m.create_index(
            Index::create()
                .name("idx_sales_order_lines_sku")
                .table(SalesOrderLines::Table)
                .col(SalesOrderLines::PlatformSku)
                .to_owned(),
        )
        .await?;
        m.create_table(
            Table::create()
                .table(ChannelSkuMap::Table)
                .col(big_pk_auto(ChannelSkuMap::Id))
                .col(string_len(ChannelSkuMap::Channel, 16))
                .col(string_len(ChannelSkuMap::PlatformSku, 128))
                .col(big_integer(ChannelSkuMap::ProductId))
                .col(string_len(ChannelSkuMap::CreatedBy, 64))
                .col(timestamp_with_time_zone(ChannelSkuMap::CreatedAt))
                .to_owned(),
        )
        .await?;
        m.create_index(
            Index::create()
                .name("uq_channel_sku_map")
                .table(ChannelSkuMap::Table)
                .col(ChannelSkuMap::Channel)
                .col(ChannelSkuMap::PlatformSku)
                .unique()
                .to_owned(),
        )
        .await?;
        m.create_table(
            Table::create()
                .table(OrderEvents::Table)
                .col(big_pk_auto(OrderEvents::Id))
                .col(big_integer(OrderEvents::OrderId))
                .col(timestamp_with_time_zone(OrderEvents::At))
                .col(string_len(OrderEvents::Username, 64))
                .col(string_len(OrderEvents::Kind, 32))
                .col(text(OrderEvents::Detail))
                .to_owned(),
        )
        .await?;
        m.create_table(
            Table::create()
                .table(OrderRules::Table)
                .col(big_pk_auto(OrderRules::Id))
                .col(string_len(OrderRules::Name, 128))
                .col(integer(OrderRules::Position))
                .col(boolean(OrderRules::Enabled))
                .col(text(OrderRules::Condition))
                .col(text(OrderRules::Outcome))
                .col(string_len(OrderRules::UpdatedBy, 64))
                .col(timestamp_with_time_zone(OrderRules::UpdatedAt))
                .to_owned(),
        )
        .await?;
        // The built-in review rules (审单规则), in order; users edit, reorder, disable or add to them.
        let builtin: &[(&str, &str, &str)] = &[
            (
                "黑名单买家",
                r#"{"kind":"blacklisted"}"#,
                r#"{"kind":"hold","reason":"blacklisted"}"#,
            ),
            (
                "地址不完整",
                r#"{"kind":"invalid_address"}"#,
                r#"{"kind":"hold","reason":"invalid_address"}"#,
            ),
            (
                "电话无效",
                r#"{"kind":"invalid_phone"}"#,
                r#"{"kind":"hold","reason":"invalid_phone"}"#,
            ),
            (
                "商品编码未映射",
                r#"{"kind":"unmapped_sku"}"#,
                r#"{"kind":"hold","reason":"unmapped_sku"}"#,
            ),
            (
                "缺货",
                r#"{"kind":"out_of_stock"}"#,
                r#"{"kind":"hold","reason":"out_of_stock"}"#,
            ),
            (
                "低于底价",
                r#"{"kind":"price_below_floor","percent_of_list":50}"#,
                r#"{"kind":"hold","reason":"price_below_floor"}"#,
            ),
            (
                "疑似刷单",
                r#"{"kind":"repeated","by":"phone","hours":24,"orders":3}"#,
                r#"{"kind":"hold","reason":"suspected_brushing"}"#,
            ),
            (
                "金额异常",
                r#"{"kind":"amount_at_least","amount":"5000"}"#,
                r#"{"kind":"hold","reason":"unusual_amount"}"#,
            ),
            (
                "买家留言",
                r#"{"kind":"buyer_message"}"#,
                r#"{"kind":"hold","reason":"buyer_message"}"#,
            ),
            (
                "VIP 优先",
                r#"{"kind":"customer_tag","tag":"VIP"}"#,
                r#"{"kind":"priority","level":10}"#,
            ),
        ];
        for (n, (name, cond, outcome)) in builtin.iter().enumerate() {
            m.exec_stmt(
                Query::insert()
                    .into_table(OrderRules::Table)
                    .columns([
                        OrderRules::Name,
                        OrderRules::Position,
                        OrderRules::Enabled,
                        OrderRules::Condition,
                        OrderRules::Outcome,
                        OrderRules::UpdatedBy,
                        OrderRules::UpdatedAt,
                    ])
                    .values_panic([
                        (*name).into(),
                        ((n as i32 + 1) * 10).into(),
                        true.into(),
                        (*cond).into(),
                        (*outcome).into(),
                        "".into(),
                        Expr::current_timestamp(),
                    ])
                    .to_owned(),
            )
            .await?;
        }
        m.create_index(
            Index::create()
                .name("idx_order_events_order")
                .table(OrderEvents::Table)
                .col(OrderEvents::OrderId)
                .to_owned(),
        )
        .await?;
        Ok(())
    }

    async fn down(&self, _m: &SchemaManager) -> Result<(), DbErr> {
        Err(DbErr::Migration(
            "Shopdesk migrations only move forward".into(),
        ))
    }
}

#[derive(DeriveIden)]
enum OrderImports {
    Table,
    Id,
    Channel,
    FileName,
    FileHash,
    RowsRead,
    OrdersCreated,
    OrdersUpdated,
    Lines,
    RowsFailed,
    Username,
    CreatedAt,
}

#[derive(DeriveIden, Clone, Copy)]
enum SalesOrders {
    Table,
    Id,
    Channel,
    Shop,
    PlatformOrderNo,
    Status,
    PlatformStatus,
    Currency,
    GoodsAmount,
    ShippingFee,
    Discount,
    Tax,
    Total,
    Paid,
    Refunded,
    PaymentMethod,
    Buyer,
    Receiver,
    Phone,
    Province,
    City,
    District,
    Address,
    PostalCode,
    Country,
    BuyerMessage,
    SellerNote,
    Carrier,
    TrackingNo,
    OrderedAt,
    PaidAt,
    BizDate,
    Priority,
    Tags,
    HoldReasons,
    WarehouseCode,
    ImportId,
    RowHash,
    CreatedAt,
    UpdatedAt,
}

#[derive(DeriveIden)]
enum SalesOrderLines {
    Table,
    Id,
    OrderId,
    LineNo,
    PlatformSku,
    PlatformItemId,
    ProductId,
    Title,
    Spec,
    Qty,
    UnitPrice,
    Discount,
    Amount,
}

#[derive(DeriveIden)]
enum ChannelSkuMap {
    Table,
    Id,
    Channel,
    PlatformSku,
    ProductId,
    CreatedBy,
    CreatedAt,
}

#[derive(DeriveIden)]
enum OrderRules {
    Table,
    Id,
    Name,
    Position,
    Enabled,
    Condition,
    Outcome,
    UpdatedBy,
    UpdatedAt,
}

#[derive(DeriveIden)]
enum OrderEvents {
    Table,
    Id,
    OrderId,
    At,
    Username,
    Kind,
    Detail,
}
