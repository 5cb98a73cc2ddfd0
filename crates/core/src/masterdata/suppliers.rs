//! Suppliers, with qualification status (资质审核) and certificates with expiry dates.

use super::{Cell, Check, ExportTable, MasterDataError, RecordStatus, header};
use crate::Shopdesk;
use crate::audit::{self, Action};
use crate::auth::{Actor, Permission};
use crate::entities::{supplier_certificates as certs, suppliers};
use crate::error::FieldError;
use crate::listing::{ListQuery, Page, apply_sort, fetch_page, search_any};
use chrono::{DateTime, NaiveDate, Utc};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QueryOrder, Set,
};
use serde::{Deserialize, Serialize};
use std::collections::HashMap;
use ts_rs::TS;

pub const QUALIFICATIONS: &[&str] = &["candidate", "approved", "suspended"];

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct Certificate {
    #[ts(type = "number | null")]
    pub id: Option<i64>,
    /// e.g. 营业执照, 食品经营许可证, ISO 9001.
    pub kind: String,
    pub number: String,
    pub expires_on: Option<NaiveDate>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct Supplier {
    #[ts(type = "number")]
    pub id: i64,
    pub code: String,
    pub name: String,
    pub contact_name: String,
    pub phone: String,
    pub email: String,
    pub address: String,
    pub payment_terms: String,
    pub payment_days: i32,
    /// `candidate`, `approved` or `suspended`; only approved suppliers receive purchase orders.
    pub qualification: String,
    pub status: RecordStatus,
    pub notes: String,
    pub certificates: Vec<Certificate>,
    /// The earliest certificate expiry, for the list's warning column.
    pub next_expiry: Option<NaiveDate>,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(default)]
pub struct SupplierInput {
    pub code: String,
    pub name: String,
    pub contact_name: String,
    pub phone: String,
    pub email: String,
    pub address: String,
    pub payment_terms: String,
    pub payment_days: i32,
    pub qualification: String,
    pub notes: String,
    pub certificates: Vec<Certificate>,
}

fn to_domain(m: suppliers::Model, certs: Vec<certs::Model>) -> Supplier {
    let certificates: Vec<Certificate> = certs
        .into_iter()
        .map(|c| Certificate {
            id: Some(c.id),
            kind: c.kind,
            number: c.number,
            expires_on: c.expires_on,
        })
        .collect();
    let next_expiry = certificates.iter().filter_map(|c| c.expires_on).min();
    Supplier {
        id: m.id,
        code: m.code,
        name: m.name,
        contact_name: m.contact_name,
        phone: m.phone,
        email: m.email,
        address: m.address,
        payment_terms: m.payment_terms,
        payment_days: m.payment_days,
        qualification: m.qualification,
        status: RecordStatus::parse(&m.status),
        notes: m.notes,
        certificates,
        next_expiry,
        created_at: m.created_at,
        updated_at: m.updated_at,
    }
}

async fn with_certs(
    conn: &impl ConnectionTrait,
    rows: Vec<suppliers::Model>,
) -> Result<Vec<Supplier>, sea_orm::DbErr> {
    let ids: Vec<i64> = rows.iter().map(|r| r.id).collect();
    let mut by_supplier: HashMap<i64, Vec<certs::Model>> = HashMap::new();
    for chunk in ids.chunks(500) {
        for c in certs::Entity::find()
            .filter(certs::Column::SupplierId.is_in(chunk.to_vec()))
            .order_by_asc(certs::Column::Id)
            .all(conn)
            .await?
        {
            by_supplier.entry(c.supplier_id).or_default().push(c);
        }
    }
    Ok(rows
        .into_iter()
        .map(|r| {
            let c = by_supplier.remove(&r.id).unwrap_or_default();
            to_domain(r, c)
        })
        .collect())
}

struct Valid {
    code: String,
    name: String,
    contact_name: String,
    phone: String,
    email: String,
    address: String,
    payment_terms: String,
    payment_days: i32,
    qualification: String,
    notes: String,
    certificates: Vec<Certificate>,
}

fn validate(i: &SupplierInput) -> Result<Valid, MasterDataError> {
    let mut c = Check::default();
    let qualification = if i.qualification.trim().is_empty() {
        "candidate".to_string()
    } else {
        i.qualification.clone()
    };
    let v = Valid {
        code: c.code("code", &i.code, 32),
        name: c.required("name", &i.name, 200),
        contact_name: c.optional("contact_name", &i.contact_name, 64),
        phone: c.phone("phone", &i.phone),
        email: c.email("email", &i.email),
        address: c.optional("address", &i.address, 255),
        payment_terms: c.optional("payment_terms", &i.payment_terms, 64),
        payment_days: {
            if !(0..=365).contains(&i.payment_days) {
                c.push(
                    FieldError::new("payment_days", "range")
                        .with("min", 0)
                        .with("max", 365),
                );
            }
            i.payment_days
        },
        qualification: c.one_of("qualification", &qualification, QUALIFICATIONS),
        notes: c.optional("notes", &i.notes, 2000),
        certificates: i
            .certificates
            .iter()
            .enumerate()
            .map(|(n, cert)| Certificate {
                id: None,
                kind: c.required(&format!("certificates.{n}.kind"), &cert.kind, 64),
                number: c.optional(&format!("certificates.{n}.number"), &cert.number, 64),
                expires_on: cert.expires_on,
            })
            .collect(),
    };
    c.finish()?;
    Ok(v)
}

fn filtered(q: &ListQuery) -> sea_orm::Select<suppliers::Entity> {
    let mut sel = suppliers::Entity::find();
    if let Some(s) = q.search_text() {
        sel = sel.filter(search_any(
            &[
                suppliers::Column::Code,
                suppliers::Column::Name,
                suppliers::Column::ContactName,
                suppliers::Column::Phone,
            ],
            s,
        ));
    }
    match q.status.as_deref() {
        Some("all") | Some("") => {}
        Some(s) => sel = sel.filter(suppliers::Column::Status.eq(s)),
        None => sel = sel.filter(suppliers::Column::Status.eq("active")),
    }
    if let Some(qual) = q.qualification.as_deref().filter(|s| !s.is_empty()) {
        sel = sel.filter(suppliers::Column::Qualification.eq(qual));
    }
    sel
}

const SORTABLE: &[(&str, suppliers::Column)] = &[
    ("code", suppliers::Column::Code),
    ("name", suppliers::Column::Name),
    ("qualification", suppliers::Column::Qualification),
    ("payment_days", suppliers::Column::PaymentDays),
    ("updated_at", suppliers::Column::UpdatedAt),
];

pub async fn list(
    desk: &Shopdesk,
    actor: &Actor,
    q: &ListQuery,
) -> Result<Page<Supplier>, MasterDataError> {
    actor.require(Permission::ViewMasterData)?;
    let (rows, total) =
        fetch_page(desk.db(), filtered(q), q, SORTABLE, suppliers::Column::Code).await?;
    Ok(Page {
        items: with_certs(desk.db(), rows).await?,
        total,
        page: q.page(),
        page_size: q.page_size(),
    })
}

async fn load(conn: &impl ConnectionTrait, id: i64) -> Result<Supplier, MasterDataError> {
    let m =
        suppliers::Entity::find_by_id(id)
            .one(conn)
            .await?
            .ok_or(MasterDataError::NotFound {
                entity: "supplier",
                id,
            })?;
    Ok(with_certs(conn, vec![m]).await?.remove(0))
}

pub async fn get(desk: &Shopdesk, actor: &Actor, id: i64) -> Result<Supplier, MasterDataError> {
    actor.require(Permission::ViewMasterData)?;
    load(desk.db(), id).await
}

async fn ensure_unique(
    conn: &impl ConnectionTrait,
    code: &str,
    except: Option<i64>,
) -> Result<(), MasterDataError> {
    super::ensure_unique::<suppliers::Entity>(
        conn,
        suppliers::Column::Code,
        suppliers::Column::Id,
        code,
        except,
        "supplier",
        "code",
    )
    .await
}

async fn replace_certificates(
    conn: &impl ConnectionTrait,
    supplier_id: i64,
    list: &[Certificate],
) -> Result<(), sea_orm::DbErr> {
    certs::Entity::delete_many()
        .filter(certs::Column::SupplierId.eq(supplier_id))
        .exec(conn)
        .await?;
    if !list.is_empty() {
        certs::Entity::insert_many(list.iter().map(|c| certs::ActiveModel {
            supplier_id: Set(supplier_id),
            kind: Set(c.kind.clone()),
            number: Set(c.number.clone()),
            expires_on: Set(c.expires_on),
            ..Default::default()
        }))
        .exec(conn)
        .await?;
    }
    Ok(())
}

pub async fn create(
    desk: &Shopdesk,
    actor: &Actor,
    input: &SupplierInput,
) -> Result<Supplier, MasterDataError> {
    actor.require(Permission::EditSuppliers)?;
    let v = validate(input)?;
    let now = desk.now();
    let txn = desk.write_txn().await?;
    ensure_unique(&txn, &v.code, None).await?;
    let m = suppliers::ActiveModel {
        code: Set(v.code),
        name: Set(v.name),
        contact_name: Set(v.contact_name),
        phone: Set(v.phone),
        email: Set(v.email),
        address: Set(v.address),
        payment_terms: Set(v.payment_terms),
        payment_days: Set(v.payment_days),
        qualification: Set(v.qualification),
        status: Set(RecordStatus::Active.as_str().into()),
        notes: Set(v.notes),
        created_at: Set(now),
        updated_at: Set(now),
        ..Default::default()
    }
    .insert(&txn)
    .await?;
    replace_certificates(&txn, m.id, &v.certificates).await?;
    let s = load(&txn, m.id).await?;
    audit::record(
        desk,
        &txn,
        actor,
        Action::Create,
        "supplier",
        Some(s.id),
        &s.code,
        None::<&()>,
        Some(&s),
    )
    .await?;
    txn.commit().await?;
    Ok(s)
}

pub async fn update(
    desk: &Shopdesk,
    actor: &Actor,
    id: i64,
    input: &SupplierInput,
) -> Result<Supplier, MasterDataError> {
    actor.require(Permission::EditSuppliers)?;
    let v = validate(input)?;
    let txn = desk.write_txn().await?;
    let before = load(&txn, id).await?;
    ensure_unique(&txn, &v.code, Some(id)).await?;
    let current =
        suppliers::Entity::find_by_id(id)
            .one(&txn)
            .await?
            .ok_or(MasterDataError::NotFound {
                entity: "supplier",
                id,
            })?;
    let mut am: suppliers::ActiveModel = current.into();
    am.code = Set(v.code);
    am.name = Set(v.name);
    am.contact_name = Set(v.contact_name);
    am.phone = Set(v.phone);
    am.email = Set(v.email);
    am.address = Set(v.address);
    am.payment_terms = Set(v.payment_terms);
    am.payment_days = Set(v.payment_days);
    am.qualification = Set(v.qualification);
    am.notes = Set(v.notes);
    am.updated_at = Set(desk.now());
    am.update(&txn).await?;
    replace_certificates(&txn, id, &v.certificates).await?;
    let after = load(&txn, id).await?;
    audit::record(
        desk,
        &txn,
        actor,
        Action::Update,
        "supplier",
        Some(id),
        &after.code,
        Some(&before),
        Some(&after),
    )
    .await?;
    txn.commit().await?;
    Ok(after)
}

pub async fn set_archived(
    desk: &Shopdesk,
    actor: &Actor,
    id: i64,
    archive: bool,
) -> Result<Supplier, MasterDataError> {
    actor.require(Permission::EditSuppliers)?;
    let txn = desk.write_txn().await?;
    let before = load(&txn, id).await?;
    let current =
        suppliers::Entity::find_by_id(id)
            .one(&txn)
            .await?
            .ok_or(MasterDataError::NotFound {
                entity: "supplier",
                id,
            })?;
    let mut am: suppliers::ActiveModel = current.into();
    am.status = Set(if archive { "archived" } else { "active" }.into());
    am.updated_at = Set(desk.now());
    am.update(&txn).await?;
    let after = load(&txn, id).await?;
    let action = if archive {
        Action::Archive
    } else {
        Action::Restore
    };
    audit::record(
        desk,
        &txn,
        actor,
        action,
        "supplier",
        Some(id),
        &after.code,
        Some(&before),
        Some(&after),
    )
    .await?;
    txn.commit().await?;
    Ok(after)
}

/// A certificate that expires within `days` (or has expired), for the dashboard's warning list.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct ExpiringCertificate {
    #[ts(type = "number")]
    pub supplier_id: i64,
    pub supplier_code: String,
    pub supplier_name: String,
    pub kind: String,
    pub number: String,
    pub expires_on: NaiveDate,
    #[ts(type = "number")]
    pub days_left: i64,
}

pub async fn expiring_certificates(
    desk: &Shopdesk,
    actor: &Actor,
    days: i64,
) -> Result<Vec<ExpiringCertificate>, MasterDataError> {
    actor.require(Permission::ViewMasterData)?;
    let today = desk.biz_date(desk.now());
    let limit = today + chrono::Duration::days(days);
    let rows = certs::Entity::find()
        .filter(certs::Column::ExpiresOn.lte(limit))
        .order_by_asc(certs::Column::ExpiresOn)
        .all(desk.db())
        .await?;
    let ids: Vec<i64> = rows.iter().map(|c| c.supplier_id).collect();
    let sups: HashMap<i64, suppliers::Model> = suppliers::Entity::find()
        .filter(suppliers::Column::Id.is_in(ids))
        .filter(suppliers::Column::Status.eq("active"))
        .all(desk.db())
        .await?
        .into_iter()
        .map(|s| (s.id, s))
        .collect();
    Ok(rows
        .into_iter()
        .filter_map(|c| {
            let s = sups.get(&c.supplier_id)?;
            let exp = c.expires_on?;
            Some(ExpiringCertificate {
                supplier_id: s.id,
                supplier_code: s.code.clone(),
                supplier_name: s.name.clone(),
                kind: c.kind,
                number: c.number,
                expires_on: exp,
                days_left: (exp - today).num_days(),
            })
        })
        .collect())
}

pub async fn export_table(
    desk: &Shopdesk,
    actor: &Actor,
    q: &ListQuery,
    lang: &str,
) -> Result<ExportTable, MasterDataError> {
    actor.require(Permission::ExportData)?;
    let rows = apply_sort(filtered(q), q, SORTABLE, suppliers::Column::Code)
        .all(desk.db())
        .await?;
    let rows = with_certs(desk.db(), rows).await?;
    let h = |zh, en| header(lang, zh, en);
    Ok(ExportTable {
        sheet: h("供应商", "Suppliers"),
        headers: vec![
            h("编码", "Code"),
            h("名称", "Name"),
            h("联系人", "Contact"),
            h("电话", "Phone"),
            h("邮箱", "Email"),
            h("地址", "Address"),
            h("付款条件", "Payment terms"),
            h("账期(天)", "Payment days"),
            h("资质状态", "Qualification"),
            h("证照数", "Certificates"),
            h("最近到期", "Next expiry"),
            h("状态", "Status"),
        ],
        rows: rows
            .into_iter()
            .map(|s| {
                vec![
                    Cell::Text(s.code),
                    Cell::Text(s.name),
                    Cell::Text(s.contact_name),
                    Cell::Text(s.phone),
                    Cell::Text(s.email),
                    Cell::Text(s.address),
                    Cell::Text(s.payment_terms),
                    Cell::Int(i64::from(s.payment_days)),
                    Cell::Text(s.qualification),
                    Cell::Int(s.certificates.len() as i64),
                    s.next_expiry.map(Cell::Date).unwrap_or(Cell::Empty),
                    Cell::Text(s.status.as_str().into()),
                ]
            })
            .collect(),
    })
}
