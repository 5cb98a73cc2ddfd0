//! Promotions (促销): spend-and-save tiers (满减), percentage discounts, coupons, flash sales with a unit cap and
//! group buys (拼团); what each order used (for the ROI report) and, on every order line, how its price was
//! reached; and a built-in review rule that puts flash-sale orders first.

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
                .table(Promotions::Table)
                .col(big_pk_auto(Promotions::Id))
                .col(string_len_uniq(Promotions::Code, 32))
                .col(string_len(Promotions::Name, 128))
                .col(string_len(Promotions::Kind, 16))
                // JSON: tiers, percent, price, amount, minimum spend, minimum group size.
                .col(text(Promotions::Params))
                // Channels it applies to (comma-separated; empty: every channel).
                .col(string_len(Promotions::Channels, 128))
                // SKUs it applies to (comma-separated; empty: every SKU).
                .col(text(Promotions::Skus))
                .col(timestamp_with_time_zone(Promotions::StartsAt))
                .col(timestamp_with_time_zone(Promotions::EndsAt))
                // Flash sale: units that may ever sell at its price; coupon: times it may be used.
                .col(big_integer_null(Promotions::Cap))
                .col(big_integer(Promotions::Used))
                .col(integer_null(Promotions::PerBuyer))
                .col(boolean(Promotions::Enabled))
                .col(string_len(Promotions::UpdatedBy, 64))
                .col(timestamp_with_time_zone(Promotions::CreatedAt))
                .col(timestamp_with_time_zone(Promotions::UpdatedAt))
                .to_owned(),
        )
        .await?;
        m.create_table(
            Table::create()
                .table(PromotionUses::Table)
                .col(big_pk_auto(PromotionUses::Id))
                .col(big_integer(PromotionUses::PromotionId))
                .col(big_integer(PromotionUses::OrderId))
                .col(string_len(PromotionUses::Buyer, 128))
                .col(big_integer(PromotionUses::Units))
                .col(big_integer(PromotionUses::Discount))
                .col(string_len(PromotionUses::Currency, 3))
                .col(timestamp_with_time_zone(PromotionUses::CreatedAt))
                .to_owned(),
        )
        .await?;
        for (name, col) in [
            ("idx_promotion_uses_promotion", PromotionUses::PromotionId),
            ("idx_promotion_uses_order", PromotionUses::OrderId),
        ] {
            m.create_index(
                Index::create()
                    .name(name)
                    .table(PromotionUses::Table)
                    .col(col)
                    .to_owned(),
            )
            .await?;
        }
        // Flash-sale orders are picked first (秒杀订单优先), after VIP customers.
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
                    "秒杀订单优先".into(),
                    110.into(),
                    true.into(),
                    r#"{"kind":"used_promotion","promotion_kind":"flash_sale"}"#.into(),
                    r#"{"kind":"priority","level":5}"#.into(),
                    "".into(),
                    Expr::current_timestamp(),
                ])
                .to_owned(),
        )
        .await?;
        m.alter_table(
            Table::alter()
                .table(SalesOrderLines::Table)
                .add_column(text(SalesOrderLines::PriceNote).default(""))
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
enum Promotions {
    Table,
    Id,
    Code,
    Name,
    Kind,
    Params,
    Channels,
    Skus,
    StartsAt,
    EndsAt,
    Cap,
    Used,
    PerBuyer,
    Enabled,
    UpdatedBy,
    CreatedAt,
    UpdatedAt,
}

#[derive(DeriveIden)]
enum PromotionUses {
    Table,
    Id,
    PromotionId,
    OrderId,
    Buyer,
    Units,
    Discount,
    Currency,
    CreatedAt,
}

#[derive(DeriveIden)]
enum OrderRules {
    Table,
    Name,
    Position,
    Enabled,
    Condition,
    Outcome,
    UpdatedBy,
    UpdatedAt,
}

#[derive(DeriveIden)]
enum SalesOrderLines {
    Table,
    PriceNote,
}
