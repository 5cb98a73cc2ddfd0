//! Foundation: users, settings, audit log, document sequences and the master data
//! (products, suppliers with certificates, warehouses with locations, customers).

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
                .table(Users::Table)
                .col(big_pk_auto(Users::Id))
                .col(string_len_uniq(Users::Username, 64))
                .col(string_len(Users::DisplayName, 128))
                .col(string_len(Users::PasswordHash, 255))
                .col(string_len(Users::Role, 32))
                .col(boolean(Users::Active))
                .col(string_len(Users::Language, 16))
                .col(timestamp_with_time_zone(Users::CreatedAt))
                .col(timestamp_with_time_zone_null(Users::LastLoginAt))
                .to_owned(),
        )
        .await?;

        m.create_table(
            Table::create()
                .table(Settings::Table)
                .col(string_len(Settings::Key, 64).primary_key())
                .col(text(Settings::Value))
                .to_owned(),
        )
        .await?;

        m.create_table(
            Table::create()
                .table(AuditLog::Table)
                .col(big_pk_auto(AuditLog::Id))
                .col(timestamp_with_time_zone(AuditLog::At))
                .col(date(AuditLog::BizDate))
                .col(big_integer_null(AuditLog::UserId))
                .col(string_len(AuditLog::Username, 64))
                .col(string_len(AuditLog::Action, 32))
                .col(string_len(AuditLog::Entity, 32))
                .col(big_integer_null(AuditLog::EntityId))
                .col(string_len(AuditLog::EntityKey, 128))
                .col(text_null(AuditLog::Before))
                .col(text_null(AuditLog::After))
                .to_owned(),
        )
        .await?;
        index(
            m,
            AuditLog::Table,
            "idx_audit_log_biz_date",
            &[AuditLog::BizDate],
        )
        .await?;
        index(
            m,
            AuditLog::Table,
            "idx_audit_log_entity",
            &[AuditLog::Entity, AuditLog::EntityId],
        )
        .await?;
        index(
            m,
            AuditLog::Table,
            "idx_audit_log_user",
            &[AuditLog::UserId],
        )
        .await?;

        m.create_table(
            Table::create()
                .table(DocSequences::Table)
                .col(big_pk_auto(DocSequences::Id))
                .col(string_len(DocSequences::Prefix, 16))
                .col(string_len(DocSequences::Day, 8))
                .col(big_integer(DocSequences::LastValue))
                .to_owned(),
        )
        .await?;
        unique(
            m,
            DocSequences::Table,
            "uq_doc_sequences_prefix_day",
            &[DocSequences::Prefix, DocSequences::Day],
        )
        .await?;

        m.create_table(
            Table::create()
                .table(Products::Table)
                .col(big_pk_auto(Products::Id))
                .col(string_len_uniq(Products::Sku, 64))
                .col(string_len_null(Products::Barcode, 14))
                .col(string_len(Products::Name, 200))
                .col(string_len(Products::Spec, 200))
                .col(string_len(Products::Unit, 16))
                .col(string_len(Products::Category, 64))
                .col(string_len(Products::Brand, 64))
                .col(big_integer(Products::Cost))
                .col(big_integer(Products::Price))
                .col(string_len(Products::Currency, 3))
                .col(big_integer(Products::SafetyStock))
                .col(string_len(Products::Status, 16))
                .col(timestamp_with_time_zone(Products::CreatedAt))
                .col(timestamp_with_time_zone(Products::UpdatedAt))
                .to_owned(),
        )
        .await?;
        unique(
            m,
            Products::Table,
            "uq_products_barcode",
            &[Products::Barcode],
        )
        .await?;
        index(m, Products::Table, "idx_products_name", &[Products::Name]).await?;
        index(
            m,
            Products::Table,
            "idx_products_category",
            &[Products::Category],
        )
        .await?;
        index(
            m,
            Products::Table,
            "idx_products_status",
            &[Products::Status],
        )
        .await?;

        m.create_table(
            Table::create()
                .table(Suppliers::Table)
                .col(big_pk_auto(Suppliers::Id))
                .col(string_len_uniq(Suppliers::Code, 32))
                .col(string_len(Suppliers::Name, 200))
                .col(string_len(Suppliers::ContactName, 64))
                .col(string_len(Suppliers::Phone, 32))
                .col(string_len(Suppliers::Email, 128))
                .col(string_len(Suppliers::Address, 255))
                .col(string_len(Suppliers::PaymentTerms, 64))
                .col(integer(Suppliers::PaymentDays))
                .col(string_len(Suppliers::Qualification, 16))
                .col(string_len(Suppliers::Status, 16))
                .col(text(Suppliers::Notes))
                .col(timestamp_with_time_zone(Suppliers::CreatedAt))
                .col(timestamp_with_time_zone(Suppliers::UpdatedAt))
                .to_owned(),
        )
        .await?;
        index(
            m,
            Suppliers::Table,
            "idx_suppliers_name",
            &[Suppliers::Name],
        )
        .await?;

        m.create_table(
            Table::create()
                .table(SupplierCertificates::Table)
                .col(big_pk_auto(SupplierCertificates::Id))
                .col(big_integer(SupplierCertificates::SupplierId))
                .col(string_len(SupplierCertificates::Kind, 64))
                .col(string_len(SupplierCertificates::Number, 64))
                .col(date_null(SupplierCertificates::ExpiresOn))
                .foreign_key(
                    ForeignKey::create()
                        .name("fk_supplier_certificates_supplier")
                        .from(
                            SupplierCertificates::Table,
                            SupplierCertificates::SupplierId,
                        )
                        .to(Suppliers::Table, Suppliers::Id)
                        .on_delete(ForeignKeyAction::Cascade),
                )
                .to_owned(),
        )
        .await?;
        index(
            m,
            SupplierCertificates::Table,
            "idx_supplier_certificates_supplier",
            &[SupplierCertificates::SupplierId],
        )
        .await?;
        index(
            m,
            SupplierCertificates::Table,
            "idx_supplier_certificates_expires",
            &[SupplierCertificates::ExpiresOn],
        )
        .await?;

        m.create_table(
            Table::create()
                .table(Warehouses::Table)
                .col(big_pk_auto(Warehouses::Id))
                .col(string_len_uniq(Warehouses::Code, 32))
                .col(string_len(Warehouses::Name, 128))
                .col(string_len(Warehouses::Address, 255))
                .col(string_len(Warehouses::Manager, 64))
                .col(string_len(Warehouses::Status, 16))
                .col(timestamp_with_time_zone(Warehouses::CreatedAt))
                .col(timestamp_with_time_zone(Warehouses::UpdatedAt))
                .to_owned(),
        )
        .await?;

        m.create_table(
            Table::create()
                .table(Locations::Table)
                .col(big_pk_auto(Locations::Id))
                .col(big_integer(Locations::WarehouseId))
                .col(string_len(Locations::Code, 32))
                .col(string_len(Locations::Zone, 32))
                .col(string_len(Locations::Kind, 16))
                .col(string_len(Locations::Status, 16))
                .foreign_key(
                    ForeignKey::create()
                        .name("fk_locations_warehouse")
                        .from(Locations::Table, Locations::WarehouseId)
                        .to(Warehouses::Table, Warehouses::Id),
                )
                .to_owned(),
        )
        .await?;
        unique(
            m,
            Locations::Table,
            "uq_locations_warehouse_code",
            &[Locations::WarehouseId, Locations::Code],
        )
        .await?;

        m.create_table(
            Table::create()
                .table(Customers::Table)
                .col(big_pk_auto(Customers::Id))
                .col(string_len_uniq(Customers::Code, 32))
                .col(string_len(Customers::Name, 128))
                .col(string_len(Customers::Phone, 32))
                .col(string_len(Customers::Email, 128))
                .col(string_len(Customers::Province, 32))
                .col(string_len(Customers::City, 32))
                .col(string_len(Customers::Address, 255))
                .col(string_len(Customers::Tags, 255))
                .col(string_len(Customers::Status, 16))
                .col(text(Customers::Notes))
                .col(timestamp_with_time_zone(Customers::CreatedAt))
                .col(timestamp_with_time_zone(Customers::UpdatedAt))
                .to_owned(),
        )
        .await?;
        index(
            m,
            Customers::Table,
            "idx_customers_name",
            &[Customers::Name],
        )
        .await?;
        index(
            m,
            Customers::Table,
            "idx_customers_phone",
            &[Customers::Phone],
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

async fn index<T: Iden + Clone + 'static, C: Iden + Clone + 'static>(
    m: &SchemaManager<'_>,
    table: T,
    name: &str,
    cols: &[C],
) -> Result<(), DbErr> {
    let mut idx = Index::create();
    idx.name(name).table(table);
    for c in cols {
        idx.col(c.clone());
    }
    m.create_index(idx.to_owned()).await
}

async fn unique<T: Iden + Clone + 'static, C: Iden + Clone + 'static>(
    m: &SchemaManager<'_>,
    table: T,
    name: &str,
    cols: &[C],
) -> Result<(), DbErr> {
    let mut idx = Index::create();
    idx.name(name).table(table).unique();
    for c in cols {
        idx.col(c.clone());
    }
    m.create_index(idx.to_owned()).await
}

#[derive(DeriveIden, Clone)]
enum Users {
    Table,
    Id,
    Username,
    DisplayName,
    PasswordHash,
    Role,
    Active,
    Language,
    CreatedAt,
    LastLoginAt,
}

#[derive(DeriveIden, Clone)]
enum Settings {
    Table,
    Key,
    Value,
}

#[derive(DeriveIden, Clone)]
enum AuditLog {
    Table,
    Id,
    At,
    BizDate,
    UserId,
    Username,
    Action,
    Entity,
    EntityId,
    EntityKey,
    Before,
    After,
}

#[derive(DeriveIden, Clone)]
enum DocSequences {
    Table,
    Id,
    Prefix,
    Day,
    LastValue,
}

#[derive(DeriveIden, Clone)]
enum Products {
    Table,
    Id,
    Sku,
    Barcode,
    Name,
    Spec,
    Unit,
    Category,
    Brand,
    Cost,
    Price,
    Currency,
    SafetyStock,
    Status,
    CreatedAt,
    UpdatedAt,
}

#[derive(DeriveIden, Clone)]
enum Suppliers {
    Table,
    Id,
    Code,
    Name,
    ContactName,
    Phone,
    Email,
    Address,
    PaymentTerms,
    PaymentDays,
    Qualification,
    Status,
    Notes,
    CreatedAt,
    UpdatedAt,
}

#[derive(DeriveIden, Clone)]
enum SupplierCertificates {
    Table,
    Id,
    SupplierId,
    Kind,
    Number,
    ExpiresOn,
}

#[derive(DeriveIden, Clone)]
enum Warehouses {
    Table,
    Id,
    Code,
    Name,
    Address,
    Manager,
    Status,
    CreatedAt,
    UpdatedAt,
}

#[derive(DeriveIden, Clone)]
enum Locations {
    Table,
    Id,
    WarehouseId,
    Code,
    Zone,
    Kind,
    Status,
}

#[derive(DeriveIden, Clone)]
enum Customers {
    Table,
    Id,
    Code,
    Name,
    Phone,
    Email,
    Province,
    City,
    Address,
    Tags,
    Status,
    Notes,
    CreatedAt,
    UpdatedAt,
}
