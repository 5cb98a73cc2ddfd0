//! Returns to suppliers (退供单): goods rejected at receipt go back to the supplier on a document that names the
//! receipt lines and quantities, the carrier and the tracking number. `purchase_receipt_lines.returned` counts what
//! has gone back, so the return-to-supplier list shows only what is still waiting (rejected − returned).

use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    fn use_transaction(&self) -> Option<bool> {
        Some(true)
    }

    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.alter_table(
            Table::alter()
                .table(PurchaseReceiptLines::Table)
                .add_column(big_integer(PurchaseReceiptLines::Returned).default(0))
                .to_owned(),
        )
        .await?;
        m.create_table(
            Table::create()
                .table(SupplierReturns::Table)
                .col(big_pk_auto(SupplierReturns::Id))
                .col(string_len_uniq(SupplierReturns::ReturnNo, 32))
                .col(big_integer(SupplierReturns::SupplierId))
                .col(string_len(SupplierReturns::Currency, 3))
                .col(big_integer(SupplierReturns::Amount))
                .col(string_len(SupplierReturns::Carrier, 64))
                .col(string_len(SupplierReturns::TrackingNo, 64))
                .col(string_len(SupplierReturns::Notes, 1000))
                .col(date(SupplierReturns::BizDate))
                .col(string_len(SupplierReturns::CreatedBy, 64))
                .col(timestamp_with_time_zone(SupplierReturns::CreatedAt))
                .foreign_key(
                    ForeignKey::create()
                        .from(SupplierReturns::Table, SupplierReturns::SupplierId)
                        .to(Suppliers::Table, Suppliers::Id),
                )
                .to_owned(),
        )
        .await?;
        m.create_table(
            Table::create()
                .table(SupplierReturnLines::Table)
                .col(big_pk_auto(SupplierReturnLines::Id))
                .col(big_integer(SupplierReturnLines::ReturnId))
                .col(big_integer(SupplierReturnLines::ReceiptLineId))
                .col(big_integer(SupplierReturnLines::ProductId))
                .col(big_integer(SupplierReturnLines::Qty))
                .col(big_integer(SupplierReturnLines::UnitPrice))
                .col(big_integer(SupplierReturnLines::Amount))
                .col(string_len(SupplierReturnLines::Reason, 24))
                .foreign_key(
                    ForeignKey::create()
                        .from(SupplierReturnLines::Table, SupplierReturnLines::ReturnId)
                        .to(SupplierReturns::Table, SupplierReturns::Id),
                )
                .foreign_key(
                    ForeignKey::create()
                        .from(
                            SupplierReturnLines::Table,
                            SupplierReturnLines::ReceiptLineId,
                        )
                        .to(PurchaseReceiptLines::Table, PurchaseReceiptLines::Id),
                )
                .to_owned(),
        )
        .await?;
        m.create_index(
            Index::create()
                .name("idx_supplier_return_lines_return")
                .table(SupplierReturnLines::Table)
                .col(SupplierReturnLines::ReturnId)
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
enum PurchaseReceiptLines {
    Table,
    Id,
    Returned,
}

#[derive(DeriveIden)]
enum Suppliers {
    Table,
    Id,
}

#[derive(DeriveIden)]
enum SupplierReturns {
    Table,
    Id,
    ReturnNo,
    SupplierId,
    Currency,
    Amount,
    Carrier,
    TrackingNo,
    Notes,
    BizDate,
    CreatedBy,
    CreatedAt,
}

#[derive(DeriveIden)]
enum SupplierReturnLines {
    Table,
    Id,
    ReturnId,
    ReceiptLineId,
    ProductId,
    Qty,
    UnitPrice,
    Amount,
    Reason,
}
