//! Purchase orders (采购订单) with their lines, and goods receipts (入库验收) against PO lines. Amounts are i64 fen;
//! unit prices i64 ten-thousandths; tax rates i32 basis points (1300 = 13%).

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
                .table(PurchaseOrders::Table)
                .col(big_pk_auto(PurchaseOrders::Id))
                .col(string_len_uniq(PurchaseOrders::PoNo, 32))
                .col(big_integer(PurchaseOrders::SupplierId))
                .col(big_integer(PurchaseOrders::WarehouseId))
                .col(string_len(PurchaseOrders::Status, 24))
                .col(string_len(PurchaseOrders::Currency, 3))
                .col(date(PurchaseOrders::OrderDate))
                .col(date_null(PurchaseOrders::ExpectedDate))
                .col(big_integer(PurchaseOrders::NetAmount))
                .col(big_integer(PurchaseOrders::TaxAmount))
                .col(big_integer(PurchaseOrders::TotalAmount))
                .col(string_len(PurchaseOrders::Notes, 1000))
                .col(string_len(PurchaseOrders::CreatedBy, 64))
                .col(string_len_null(PurchaseOrders::ApprovedBy, 64))
                .col(timestamp_with_time_zone_null(PurchaseOrders::ApprovedAt))
                .col(timestamp_with_time_zone_null(PurchaseOrders::SentAt))
                .col(timestamp_with_time_zone(PurchaseOrders::CreatedAt))
                .col(timestamp_with_time_zone(PurchaseOrders::UpdatedAt))
                .foreign_key(
                    ForeignKey::create()
                        .name("fk_purchase_orders_supplier")
                        .from(PurchaseOrders::Table, PurchaseOrders::SupplierId)
                        .to(Suppliers::Table, Suppliers::Id),
                )
                .foreign_key(
                    ForeignKey::create()
                        .name("fk_purchase_orders_warehouse")
                        .from(PurchaseOrders::Table, PurchaseOrders::WarehouseId)
                        .to(Warehouses::Table, Warehouses::Id),
                )
                .to_owned(),
        )
        .await?;
        for (name, col) in [
            ("idx_purchase_orders_supplier", PurchaseOrders::SupplierId),
            ("idx_purchase_orders_status", PurchaseOrders::Status),
        ] {
            m.create_index(
                Index::create()
                    .name(name)
                    .table(PurchaseOrders::Table)
                    .col(col)
                    .to_owned(),
            )
            .await?;
        }

        m.create_table(
            Table::create()
                .table(PurchaseOrderLines::Table)
                .col(big_pk_auto(PurchaseOrderLines::Id))
                .col(big_integer(PurchaseOrderLines::PoId))
                .col(integer(PurchaseOrderLines::LineNo))
                .col(big_integer(PurchaseOrderLines::ProductId))
                .col(big_integer(PurchaseOrderLines::Qty))
                .col(big_integer(PurchaseOrderLines::UnitPrice))
                .col(integer(PurchaseOrderLines::TaxRateBp))
                .col(big_integer(PurchaseOrderLines::NetAmount))
                .col(big_integer(PurchaseOrderLines::TaxAmount))
                .col(date_null(PurchaseOrderLines::ExpectedDate))
                .col(big_integer(PurchaseOrderLines::ReceivedQty))
                .col(big_integer(PurchaseOrderLines::RejectedQty))
                .col(date_null(PurchaseOrderLines::PromisedDate))
                .col(timestamp_with_time_zone_null(PurchaseOrderLines::ChasedAt))
                .col(string_len(PurchaseOrderLines::ChaseNote, 500))
                .foreign_key(
                    ForeignKey::create()
                        .name("fk_po_lines_po")
                        .from(PurchaseOrderLines::Table, PurchaseOrderLines::PoId)
                        .to(PurchaseOrders::Table, PurchaseOrders::Id),
                )
                .foreign_key(
                    ForeignKey::create()
                        .name("fk_po_lines_product")
                        .from(PurchaseOrderLines::Table, PurchaseOrderLines::ProductId)
                        .to(Products::Table, Products::Id),
                )
                .to_owned(),
        )
        .await?;
        m.create_index(
            Index::create()
                .name("idx_po_lines_po")
                .table(PurchaseOrderLines::Table)
                .col(PurchaseOrderLines::PoId)
                .to_owned(),
        )
        .await?;

        m.create_table(
            Table::create()
                .table(PurchaseReceipts::Table)
                .col(big_pk_auto(PurchaseReceipts::Id))
                .col(string_len_uniq(PurchaseReceipts::ReceiptNo, 32))
                .col(big_integer(PurchaseReceipts::PoId))
                .col(big_integer(PurchaseReceipts::WarehouseId))
                .col(timestamp_with_time_zone(PurchaseReceipts::ReceivedAt))
                .col(date(PurchaseReceipts::BizDate))
                .col(string_len(PurchaseReceipts::Username, 64))
                .col(string_len(PurchaseReceipts::Notes, 1000))
                .foreign_key(
                    ForeignKey::create()
                        .name("fk_receipts_po")
                        .from(PurchaseReceipts::Table, PurchaseReceipts::PoId)
                        .to(PurchaseOrders::Table, PurchaseOrders::Id),
                )
                .to_owned(),
        )
        .await?;
        m.create_table(
            Table::create()
                .table(PurchaseReceiptLines::Table)
                .col(big_pk_auto(PurchaseReceiptLines::Id))
                .col(big_integer(PurchaseReceiptLines::ReceiptId))
                .col(big_integer(PurchaseReceiptLines::PoLineId))
                .col(big_integer(PurchaseReceiptLines::ProductId))
                .col(big_integer(PurchaseReceiptLines::LocationId))
                .col(big_integer(PurchaseReceiptLines::Counted))
                .col(big_integer(PurchaseReceiptLines::Accepted))
                .col(big_integer(PurchaseReceiptLines::Rejected))
                .col(string_len(PurchaseReceiptLines::RejectReason, 24))
                .col(big_integer_null(PurchaseReceiptLines::LedgerId))
                .foreign_key(
                    ForeignKey::create()
                        .name("fk_receipt_lines_receipt")
                        .from(PurchaseReceiptLines::Table, PurchaseReceiptLines::ReceiptId)
                        .to(PurchaseReceipts::Table, PurchaseReceipts::Id),
                )
                .foreign_key(
                    ForeignKey::create()
                        .name("fk_receipt_lines_po_line")
                        .from(PurchaseReceiptLines::Table, PurchaseReceiptLines::PoLineId)
                        .to(PurchaseOrderLines::Table, PurchaseOrderLines::Id),
                )
                .to_owned(),
        )
        .await?;
        m.create_index(
            Index::create()
                .name("idx_receipt_lines_po_line")
                .table(PurchaseReceiptLines::Table)
                .col(PurchaseReceiptLines::PoLineId)
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
enum PurchaseOrders {
    Table,
    Id,
    PoNo,
    SupplierId,
    WarehouseId,
    Status,
    Currency,
    OrderDate,
    ExpectedDate,
    NetAmount,
    TaxAmount,
    TotalAmount,
    Notes,
    CreatedBy,
    ApprovedBy,
    ApprovedAt,
    SentAt,
    CreatedAt,
    UpdatedAt,
}

#[derive(DeriveIden)]
enum PurchaseOrderLines {
    Table,
    Id,
    PoId,
    LineNo,
    ProductId,
    Qty,
    UnitPrice,
    TaxRateBp,
    NetAmount,
    TaxAmount,
    ExpectedDate,
    ReceivedQty,
    RejectedQty,
    PromisedDate,
    ChasedAt,
    ChaseNote,
}

#[derive(DeriveIden)]
enum PurchaseReceipts {
    Table,
    Id,
    ReceiptNo,
    PoId,
    WarehouseId,
    ReceivedAt,
    BizDate,
    Username,
    Notes,
}

#[derive(DeriveIden)]
enum PurchaseReceiptLines {
    Table,
    Id,
    ReceiptId,
    PoLineId,
    ProductId,
    LocationId,
    Counted,
    Accepted,
    Rejected,
    RejectReason,
    LedgerId,
}

#[derive(DeriveIden)]
enum Suppliers {
    Table,
    Id,
}

#[derive(DeriveIden)]
enum Warehouses {
    Table,
    Id,
}

#[derive(DeriveIden)]
enum Products {
    Table,
    Id,
}
