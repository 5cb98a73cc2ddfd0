//! Payables (应付): supplier invoices matched three ways against purchase-order lines and goods receipts, payments
//! to suppliers with their allocation to invoices, and the append-only payables ledger with a balance per supplier
//! and currency updated in the same transaction. Amounts are i64 fen; unit prices i64 ten-thousandths; tax rates
//! i32 basis points.

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
                .table(SupplierInvoices::Table)
                .col(big_pk_auto(SupplierInvoices::Id))
                .col(string_len_uniq(SupplierInvoices::DocNo, 32))
                .col(big_integer(SupplierInvoices::SupplierId))
                .col(big_integer(SupplierInvoices::PoId))
                .col(string_len(SupplierInvoices::InvoiceNo, 64))
                .col(date(SupplierInvoices::InvoiceDate))
                .col(date(SupplierInvoices::DueDate))
                .col(string_len(SupplierInvoices::Currency, 3))
                .col(big_integer(SupplierInvoices::NetAmount))
                .col(big_integer(SupplierInvoices::TaxAmount))
                .col(big_integer(SupplierInvoices::TotalAmount))
                .col(big_integer(SupplierInvoices::ExpectedAmount))
                .col(big_integer(SupplierInvoices::PaidAmount))
                .col(string_len(SupplierInvoices::Status, 16))
                .col(string_len(SupplierInvoices::Issues, 500))
                .col(string_len(SupplierInvoices::Notes, 1000))
                .col(string_len(SupplierInvoices::CreatedBy, 64))
                .col(timestamp_with_time_zone(SupplierInvoices::CreatedAt))
                .col(string_len_null(SupplierInvoices::DecidedBy, 64))
                .col(timestamp_with_time_zone_null(SupplierInvoices::DecidedAt))
                .col(string_len(SupplierInvoices::DecisionNote, 1000))
                .foreign_key(
                    ForeignKey::create()
                        .name("fk_supplier_invoices_supplier")
                        .from(SupplierInvoices::Table, SupplierInvoices::SupplierId)
                        .to(Suppliers::Table, Suppliers::Id),
                )
                .foreign_key(
                    ForeignKey::create()
                        .name("fk_supplier_invoices_po")
                        .from(SupplierInvoices::Table, SupplierInvoices::PoId)
                        .to(PurchaseOrders::Table, PurchaseOrders::Id),
                )
                .to_owned(),
        )
        .await?;
        m.create_index(
            Index::create()
                .name("idx_supplier_invoices_supplier_no")
                .table(SupplierInvoices::Table)
                .col(SupplierInvoices::SupplierId)
                .col(SupplierInvoices::InvoiceNo)
                .to_owned(),
        )
        .await?;
        for (name, col) in [
            ("idx_supplier_invoices_po", SupplierInvoices::PoId),
            ("idx_supplier_invoices_status", SupplierInvoices::Status),
        ] {
            m.create_index(
                Index::create()
                    .name(name)
                    .table(SupplierInvoices::Table)
                    .col(col)
                    .to_owned(),
            )
            .await?;
        }

        m.create_table(
            Table::create()
                .table(SupplierInvoiceLines::Table)
                .col(big_pk_auto(SupplierInvoiceLines::Id))
                .col(big_integer(SupplierInvoiceLines::InvoiceId))
                .col(big_integer(SupplierInvoiceLines::PoLineId))
                .col(big_integer(SupplierInvoiceLines::Qty))
                .col(big_integer(SupplierInvoiceLines::UnitPrice))
                .col(integer(SupplierInvoiceLines::TaxRateBp))
                .col(big_integer(SupplierInvoiceLines::NetAmount))
                .col(big_integer(SupplierInvoiceLines::TaxAmount))
                .col(big_integer(SupplierInvoiceLines::PoUnitPrice))
                .col(integer(SupplierInvoiceLines::PoTaxRateBp))
                .col(big_integer(SupplierInvoiceLines::ReceivedQty))
                .col(big_integer(SupplierInvoiceLines::InvoicedBefore))
                .col(big_integer(SupplierInvoiceLines::ExpectedAmount))
                .col(string_len(SupplierInvoiceLines::Issues, 200))
                .foreign_key(
                    ForeignKey::create()
                        .name("fk_supplier_invoice_lines_invoice")
                        .from(SupplierInvoiceLines::Table, SupplierInvoiceLines::InvoiceId)
                        .to(SupplierInvoices::Table, SupplierInvoices::Id),
                )
                .foreign_key(
                    ForeignKey::create()
                        .name("fk_supplier_invoice_lines_po_line")
                        .from(SupplierInvoiceLines::Table, SupplierInvoiceLines::PoLineId)
                        .to(PurchaseOrderLines::Table, PurchaseOrderLines::Id),
                )
                .to_owned(),
        )
        .await?;
        for (name, col) in [
            (
                "idx_supplier_invoice_lines_invoice",
                SupplierInvoiceLines::InvoiceId,
            ),
            (
                "idx_supplier_invoice_lines_po_line",
                SupplierInvoiceLines::PoLineId,
            ),
        ] {
            m.create_index(
                Index::create()
                    .name(name)
                    .table(SupplierInvoiceLines::Table)
                    .col(col)
                    .to_owned(),
            )
            .await?;
        }

        m.create_table(
            Table::create()
                .table(SupplierPayments::Table)
                .col(big_pk_auto(SupplierPayments::Id))
                .col(string_len_uniq(SupplierPayments::PaymentNo, 32))
                .col(big_integer(SupplierPayments::SupplierId))
                .col(string_len(SupplierPayments::Currency, 3))
                .col(big_integer(SupplierPayments::Amount))
                .col(date(SupplierPayments::PayDate))
                .col(string_len(SupplierPayments::Method, 16))
                .col(string_len(SupplierPayments::Reference, 128))
                .col(string_len(SupplierPayments::Notes, 1000))
                .col(string_len(SupplierPayments::CreatedBy, 64))
                .col(timestamp_with_time_zone(SupplierPayments::CreatedAt))
                .foreign_key(
                    ForeignKey::create()
                        .name("fk_supplier_payments_supplier")
                        .from(SupplierPayments::Table, SupplierPayments::SupplierId)
                        .to(Suppliers::Table, Suppliers::Id),
                )
                .to_owned(),
        )
        .await?;
        m.create_index(
            Index::create()
                .name("idx_supplier_payments_supplier")
                .table(SupplierPayments::Table)
                .col(SupplierPayments::SupplierId)
                .to_owned(),
        )
        .await?;

        m.create_table(
            Table::create()
                .table(PaymentAllocations::Table)
                .col(big_pk_auto(PaymentAllocations::Id))
                .col(big_integer(PaymentAllocations::PaymentId))
                .col(big_integer(PaymentAllocations::InvoiceId))
                .col(big_integer(PaymentAllocations::Amount))
                .col(date(PaymentAllocations::PayDate))
                .foreign_key(
                    ForeignKey::create()
                        .name("fk_payment_allocations_payment")
                        .from(PaymentAllocations::Table, PaymentAllocations::PaymentId)
                        .to(SupplierPayments::Table, SupplierPayments::Id),
                )
                .foreign_key(
                    ForeignKey::create()
                        .name("fk_payment_allocations_invoice")
                        .from(PaymentAllocations::Table, PaymentAllocations::InvoiceId)
                        .to(SupplierInvoices::Table, SupplierInvoices::Id),
                )
                .to_owned(),
        )
        .await?;
        for (name, col) in [
            (
                "idx_payment_allocations_payment",
                PaymentAllocations::PaymentId,
            ),
            (
                "idx_payment_allocations_invoice",
                PaymentAllocations::InvoiceId,
            ),
        ] {
            m.create_index(
                Index::create()
                    .name(name)
                    .table(PaymentAllocations::Table)
                    .col(col)
                    .to_owned(),
            )
            .await?;
        }

        m.create_table(
            Table::create()
                .table(PayablesLedger::Table)
                .col(big_pk_auto(PayablesLedger::Id))
                .col(big_integer(PayablesLedger::SupplierId))
                .col(string_len(PayablesLedger::Currency, 3))
                .col(string_len(PayablesLedger::Kind, 16))
                .col(string_len(PayablesLedger::DocNo, 32))
                .col(big_integer(PayablesLedger::DocId))
                .col(big_integer(PayablesLedger::Amount))
                .col(date(PayablesLedger::BizDate))
                .col(string_len(PayablesLedger::Username, 64))
                .col(timestamp_with_time_zone(PayablesLedger::CreatedAt))
                .foreign_key(
                    ForeignKey::create()
                        .name("fk_payables_ledger_supplier")
                        .from(PayablesLedger::Table, PayablesLedger::SupplierId)
                        .to(Suppliers::Table, Suppliers::Id),
                )
                .to_owned(),
        )
        .await?;
        m.create_index(
            Index::create()
                .name("idx_payables_ledger_supplier_date")
                .table(PayablesLedger::Table)
                .col(PayablesLedger::SupplierId)
                .col(PayablesLedger::BizDate)
                .to_owned(),
        )
        .await?;

        m.create_table(
            Table::create()
                .table(SupplierBalances::Table)
                .col(big_pk_auto(SupplierBalances::Id))
                .col(big_integer(SupplierBalances::SupplierId))
                .col(string_len(SupplierBalances::Currency, 3))
                .col(big_integer(SupplierBalances::Balance))
                .col(timestamp_with_time_zone(SupplierBalances::UpdatedAt))
                .foreign_key(
                    ForeignKey::create()
                        .name("fk_supplier_balances_supplier")
                        .from(SupplierBalances::Table, SupplierBalances::SupplierId)
                        .to(Suppliers::Table, Suppliers::Id),
                )
                .to_owned(),
        )
        .await?;
        m.create_index(
            Index::create()
                .name("uq_supplier_balances_supplier_currency")
                .table(SupplierBalances::Table)
                .col(SupplierBalances::SupplierId)
                .col(SupplierBalances::Currency)
                .unique()
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
enum SupplierInvoices {
    Table,
    Id,
    DocNo,
    SupplierId,
    PoId,
    InvoiceNo,
    InvoiceDate,
    DueDate,
    Currency,
    NetAmount,
    TaxAmount,
    TotalAmount,
    ExpectedAmount,
    PaidAmount,
    Status,
    Issues,
    Notes,
    CreatedBy,
    CreatedAt,
    DecidedBy,
    DecidedAt,
    DecisionNote,
}

#[derive(DeriveIden)]
enum SupplierInvoiceLines {
    Table,
    Id,
    InvoiceId,
    PoLineId,
    Qty,
    UnitPrice,
    TaxRateBp,
    NetAmount,
    TaxAmount,
    PoUnitPrice,
    PoTaxRateBp,
    ReceivedQty,
    InvoicedBefore,
    ExpectedAmount,
    Issues,
}

#[derive(DeriveIden)]
enum SupplierPayments {
    Table,
    Id,
    PaymentNo,
    SupplierId,
    Currency,
    Amount,
    PayDate,
    Method,
    Reference,
    Notes,
    CreatedBy,
    CreatedAt,
}

#[derive(DeriveIden)]
enum PaymentAllocations {
    Table,
    Id,
    PaymentId,
    InvoiceId,
    Amount,
    PayDate,
}

#[derive(DeriveIden)]
enum PayablesLedger {
    Table,
    Id,
    SupplierId,
    Currency,
    Kind,
    DocNo,
    DocId,
    Amount,
    BizDate,
    Username,
    CreatedAt,
}

#[derive(DeriveIden)]
enum SupplierBalances {
    Table,
    Id,
    SupplierId,
    Currency,
    Balance,
    UpdatedAt,
}

#[derive(DeriveIden)]
enum Suppliers {
    Table,
    Id,
}

#[derive(DeriveIden)]
enum PurchaseOrders {
    Table,
    Id,
}

#[derive(DeriveIden)]
enum PurchaseOrderLines {
    Table,
    Id,
}
