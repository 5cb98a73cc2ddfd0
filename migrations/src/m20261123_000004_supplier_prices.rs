//! Procurement, first part: supplier items (a supplier's own article, matched to our SKU), their price history,
//! the record of every price-sheet import (file hash, mapping, counts), and column mappings saved per supplier
//! (and later per sales channel). Prices are i64 ten-thousandths of the currency unit, as product prices.

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
                .table(SupplierItems::Table)
                .col(big_pk_auto(SupplierItems::Id))
                .col(big_integer(SupplierItems::SupplierId))
                .col(string_len(SupplierItems::ItemKey, 255))
                .col(string_len(SupplierItems::SupplierSku, 64))
                .col(string_len(SupplierItems::Name, 255))
                .col(string_len(SupplierItems::Spec, 255))
                .col(string_len(SupplierItems::Unit, 32))
                .col(string_len(SupplierItems::Barcode, 32))
                .col(string_len(SupplierItems::Category, 128))
                .col(big_integer_null(SupplierItems::ProductId))
                .col(string_len(SupplierItems::MatchStatus, 16))
                .col(timestamp_with_time_zone(SupplierItems::CreatedAt))
                .col(timestamp_with_time_zone(SupplierItems::UpdatedAt))
                .foreign_key(
                    ForeignKey::create()
                        .name("fk_supplier_items_supplier")
                        .from(SupplierItems::Table, SupplierItems::SupplierId)
                        .to(Suppliers::Table, Suppliers::Id),
                )
                .foreign_key(
                    ForeignKey::create()
                        .name("fk_supplier_items_product")
                        .from(SupplierItems::Table, SupplierItems::ProductId)
                        .to(Products::Table, Products::Id),
                )
                .to_owned(),
        )
        .await?;
        m.create_index(
            Index::create()
                .name("uq_supplier_items_key")
                .table(SupplierItems::Table)
                .col(SupplierItems::SupplierId)
                .col(SupplierItems::ItemKey)
                .unique()
                .to_owned(),
        )
        .await?;
        m.create_index(
            Index::create()
                .name("idx_supplier_items_product")
                .table(SupplierItems::Table)
                .col(SupplierItems::ProductId)
                .to_owned(),
        )
        .await?;

        m.create_table(
            Table::create()
                .table(PriceImports::Table)
                .col(big_pk_auto(PriceImports::Id))
                .col(big_integer(PriceImports::SupplierId))
                .col(string_len(PriceImports::FileName, 255))
                .col(string_len(PriceImports::FileHash, 64))
                .col(text(PriceImports::Mapping))
                .col(big_integer(PriceImports::RowsRead))
                .col(big_integer(PriceImports::ItemsImported))
                .col(big_integer(PriceImports::RowsSkipped))
                .col(big_integer(PriceImports::RowsFailed))
                .col(big_integer(PriceImports::PricesNew))
                .col(big_integer(PriceImports::PricesChanged))
                .col(big_integer(PriceImports::PricesUnchanged))
                .col(big_integer_null(PriceImports::UserId))
                .col(string_len(PriceImports::Username, 64))
                .col(timestamp_with_time_zone(PriceImports::CreatedAt))
                .foreign_key(
                    ForeignKey::create()
                        .name("fk_price_imports_supplier")
                        .from(PriceImports::Table, PriceImports::SupplierId)
                        .to(Suppliers::Table, Suppliers::Id),
                )
                .to_owned(),
        )
        .await?;
        m.create_index(
            Index::create()
                .name("idx_price_imports_hash")
                .table(PriceImports::Table)
                .col(PriceImports::SupplierId)
                .col(PriceImports::FileHash)
                .to_owned(),
        )
        .await?;

        m.create_table(
            Table::create()
                .table(SupplierPrices::Table)
                .col(big_pk_auto(SupplierPrices::Id))
                .col(big_integer(SupplierPrices::SupplierItemId))
                .col(big_integer(SupplierPrices::SupplierId))
                .col(big_integer(SupplierPrices::Price))
                .col(string_len(SupplierPrices::Currency, 3))
                .col(string_len(SupplierPrices::PriceUnit, 32))
                .col(big_integer_null(SupplierPrices::Moq))
                .col(integer_null(SupplierPrices::LeadTimeDays))
                .col(date(SupplierPrices::ValidFrom))
                .col(big_integer_null(SupplierPrices::ImportId))
                .col(string_len(SupplierPrices::SourceSheet, 128))
                .col(big_integer(SupplierPrices::SourceRow))
                .col(string_len(SupplierPrices::RowHash, 64))
                .col(timestamp_with_time_zone(SupplierPrices::CreatedAt))
                .foreign_key(
                    ForeignKey::create()
                        .name("fk_supplier_prices_item")
                        .from(SupplierPrices::Table, SupplierPrices::SupplierItemId)
                        .to(SupplierItems::Table, SupplierItems::Id),
                )
                .to_owned(),
        )
        .await?;
        for (name, cols) in [
            (
                "idx_supplier_prices_item",
                vec![SupplierPrices::SupplierItemId, SupplierPrices::ValidFrom],
            ),
            (
                "idx_supplier_prices_hash",
                vec![SupplierPrices::SupplierId, SupplierPrices::RowHash],
            ),
        ] {
            let mut idx = Index::create();
            idx.name(name).table(SupplierPrices::Table);
            for c in cols {
                idx.col(c);
            }
            m.create_index(idx.to_owned()).await?;
        }

        m.create_table(
            Table::create()
                .table(ImportMappings::Table)
                .col(big_pk_auto(ImportMappings::Id))
                .col(string_len(ImportMappings::Kind, 32))
                .col(big_integer(ImportMappings::OwnerId))
                .col(text(ImportMappings::Mapping))
                .col(string_len(ImportMappings::UpdatedBy, 64))
                .col(timestamp_with_time_zone(ImportMappings::UpdatedAt))
                .to_owned(),
        )
        .await?;
        m.create_index(
            Index::create()
                .name("uq_import_mappings_owner")
                .table(ImportMappings::Table)
                .col(ImportMappings::Kind)
                .col(ImportMappings::OwnerId)
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
enum SupplierItems {
    Table,
    Id,
    SupplierId,
    ItemKey,
    SupplierSku,
    Name,
    Spec,
    Unit,
    Barcode,
    Category,
    ProductId,
    MatchStatus,
    CreatedAt,
    UpdatedAt,
}

#[derive(DeriveIden)]
enum SupplierPrices {
    Table,
    Id,
    SupplierItemId,
    SupplierId,
    Price,
    Currency,
    PriceUnit,
    Moq,
    LeadTimeDays,
    ValidFrom,
    ImportId,
    SourceSheet,
    SourceRow,
    RowHash,
    CreatedAt,
}

#[derive(DeriveIden)]
enum PriceImports {
    Table,
    Id,
    SupplierId,
    FileName,
    FileHash,
    Mapping,
    RowsRead,
    ItemsImported,
    RowsSkipped,
    RowsFailed,
    PricesNew,
    PricesChanged,
    PricesUnchanged,
    UserId,
    Username,
    CreatedAt,
}

#[derive(DeriveIden)]
enum ImportMappings {
    Table,
    Id,
    Kind,
    OwnerId,
    Mapping,
    UpdatedBy,
    UpdatedAt,
}

#[derive(DeriveIden)]
enum Suppliers {
    Table,
    Id,
}

#[derive(DeriveIden)]
enum Products {
    Table,
    Id,
}
