//! Customers, with tags such as VIP.

use super::{Cell, Check, ExportTable, MasterDataError, RecordStatus, header};
use crate::Shopdesk;
use crate::audit::{self, Action};
use crate::auth::{Actor, Permission};
use crate::entities::customers;
use crate::error::FieldError;
use crate::listing::{ListQuery, Page, apply_sort, fetch_page, search_any};
use chrono::{DateTime, Utc};
use sea_orm::{ActiveModelTrait, ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, Set};
use serde::{Deserialize, Serialize};
use ts_rs::TS;

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct Customer {
    #[ts(type = "number")]
    pub id: i64,
    pub code: String,
    pub name: String,
    pub phone: String,
    pub email: String,
    pub province: String,
    pub city: String,
    pub address: String,
    pub tags: Vec<String>,
    pub status: RecordStatus,
    pub notes: String,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(default)]
pub struct CustomerInput {
    pub code: String,
    pub name: String,
    pub phone: String,
    pub email: String,
    pub province: String,
    pub city: String,
    pub address: String,
    pub tags: Vec<String>,
    pub notes: String,
}

/// Tags are stored as `,A,B,` so that "has tag X" is `tags LIKE '%,X,%'` on every database.
pub(crate) fn encode_tags(tags: &[String]) -> String {
    if tags.is_empty() {
        String::new()
    } else {
        format!(",{},", tags.join(","))
    }
}

fn decode_tags(s: &str) -> Vec<String> {
    s.split(',')
        .filter(|t| !t.is_empty())
        .map(str::to_string)
        .collect()
}

impl From<customers::Model> for Customer {
    fn from(m: customers::Model) -> Self {
        Self {
            id: m.id,
            code: m.code,
            name: m.name,
            phone: m.phone,
            email: m.email,
            province: m.province,
            city: m.city,
            address: m.address,
            tags: decode_tags(&m.tags),
            status: RecordStatus::parse(&m.status),
            notes: m.notes,
            created_at: m.created_at,
            updated_at: m.updated_at,
        }
    }
}

fn validate(i: &CustomerInput) -> Result<CustomerInput, MasterDataError> {
    let mut c = Check::default();
    let mut tags: Vec<String> = Vec::new();
    for t in &i.tags {
        let t = t.trim();
        if t.is_empty() {
            continue;
        }
        if t.contains(',') || t.chars().count() > 32 {
            c.push(FieldError::new("tags", "tag").with("tag", t));
        } else if !tags.iter().any(|x| x == t) {
            tags.push(t.to_string());
        }
    }
    let v = CustomerInput {
        code: c.code("code", &i.code, 32),
        name: c.required("name", &i.name, 128),
        phone: c.phone("phone", &i.phone),
        email: c.email("email", &i.email),
        province: c.optional("province", &i.province, 32),
        city: c.optional("city", &i.city, 32),
        address: c.optional("address", &i.address, 255),
        tags,
        notes: c.optional("notes", &i.notes, 2000),
    };
    if encode_tags(&v.tags).chars().count() > 255 {
        c.push(FieldError::new("tags", "too_long").with("max", 255));
    }
    c.finish()?;
    Ok(v)
}

fn filtered(q: &ListQuery) -> sea_orm::Select<customers::Entity> {
    let mut sel = customers::Entity::find();
    if let Some(s) = q.search_text() {
        sel = sel.filter(search_any(
            &[
                customers::Column::Code,
                customers::Column::Name,
                customers::Column::Phone,
                customers::Column::City,
            ],
            s,
        ));
    }
    match q.status.as_deref() {
        Some("all") | Some("") => {}
        Some(s) => sel = sel.filter(customers::Column::Status.eq(s)),
        None => sel = sel.filter(customers::Column::Status.eq("active")),
    }
    if let Some(tag) = q.tag.as_deref().map(str::trim).filter(|s| !s.is_empty()) {
        sel = sel.filter(customers::Column::Tags.contains(format!(",{tag},")));
    }
    sel
}

const SORTABLE: &[(&str, customers::Column)] = &[
    ("code", customers::Column::Code),
    ("name", customers::Column::Name),
    ("city", customers::Column::City),
    ("updated_at", customers::Column::UpdatedAt),
    ("created_at", customers::Column::CreatedAt),
];

pub async fn list(
    desk: &Shopdesk,
    actor: &Actor,
    q: &ListQuery,
) -> Result<Page<Customer>, MasterDataError> {
    actor.require(Permission::ViewMasterData)?;
    let (rows, total) =
        fetch_page(desk.db(), filtered(q), q, SORTABLE, customers::Column::Code).await?;
    Ok(Page {
        items: rows.into_iter().map(Customer::from).collect(),
        total,
        page: q.page(),
        page_size: q.page_size(),
    })
}

pub async fn get(desk: &Shopdesk, actor: &Actor, id: i64) -> Result<Customer, MasterDataError> {
    actor.require(Permission::ViewMasterData)?;
    customers::Entity::find_by_id(id)
        .one(desk.db())
        .await?
        .map(Customer::from)
        .ok_or(MasterDataError::NotFound {
            entity: "customer",
            id,
        })
}

async fn ensure_unique(
    conn: &impl ConnectionTrait,
    code: &str,
    except: Option<i64>,
) -> Result<(), MasterDataError> {
    super::ensure_unique::<customers::Entity>(
        conn,
        customers::Column::Code,
        customers::Column::Id,
        code,
        except,
        "customer",
        "code",
    )
    .await
}

pub async fn create(
    desk: &Shopdesk,
    actor: &Actor,
    input: &CustomerInput,
) -> Result<Customer, MasterDataError> {
    actor.require(Permission::EditCustomers)?;
    let v = validate(input)?;
    let now = desk.now();
    let txn = desk.write_txn().await?;
    ensure_unique(&txn, &v.code, None).await?;
    let m = customers::ActiveModel {
        code: Set(v.code),
        name: Set(v.name),
        phone: Set(v.phone),
        email: Set(v.email),
        province: Set(v.province),
        city: Set(v.city),
        address: Set(v.address),
        tags: Set(encode_tags(&v.tags)),
        status: Set("active".into()),
        notes: Set(v.notes),
        created_at: Set(now),
        updated_at: Set(now),
        ..Default::default()
    }
    .insert(&txn)
    .await?;
    let c = Customer::from(m);
    audit::record(
        desk,
        &txn,
        actor,
        Action::Create,
        "customer",
        Some(c.id),
        &c.code,
        None::<&()>,
        Some(&c),
    )
    .await?;
    txn.commit().await?;
    Ok(c)
}

pub async fn update(
    desk: &Shopdesk,
    actor: &Actor,
    id: i64,
    input: &CustomerInput,
) -> Result<Customer, MasterDataError> {
    actor.require(Permission::EditCustomers)?;
    let v = validate(input)?;
    let txn = desk.write_txn().await?;
    let current =
        customers::Entity::find_by_id(id)
            .one(&txn)
            .await?
            .ok_or(MasterDataError::NotFound {
                entity: "customer",
                id,
            })?;
    ensure_unique(&txn, &v.code, Some(id)).await?;
    let before = Customer::from(current.clone());
    let mut am: customers::ActiveModel = current.into();
    am.code = Set(v.code);
    am.name = Set(v.name);
    am.phone = Set(v.phone);
    am.email = Set(v.email);
    am.province = Set(v.province);
    am.city = Set(v.city);
    am.address = Set(v.address);
    am.tags = Set(encode_tags(&v.tags));
    am.notes = Set(v.notes);
    am.updated_at = Set(desk.now());
    let after = Customer::from(am.update(&txn).await?);
    audit::record(
        desk,
        &txn,
        actor,
        Action::Update,
        "customer",
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
) -> Result<Customer, MasterDataError> {
    actor.require(Permission::EditCustomers)?;
    let txn = desk.write_txn().await?;
    let current =
        customers::Entity::find_by_id(id)
            .one(&txn)
            .await?
            .ok_or(MasterDataError::NotFound {
                entity: "customer",
                id,
            })?;
    let before = Customer::from(current.clone());
    let mut am: customers::ActiveModel = current.into();
    am.status = Set(if archive { "archived" } else { "active" }.into());
    am.updated_at = Set(desk.now());
    let after = Customer::from(am.update(&txn).await?);
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
        "customer",
        Some(id),
        &after.code,
        Some(&before),
        Some(&after),
    )
    .await?;
    txn.commit().await?;
    Ok(after)
}

pub async fn export_table(
    desk: &Shopdesk,
    actor: &Actor,
    q: &ListQuery,
    lang: &str,
) -> Result<ExportTable, MasterDataError> {
    actor.require(Permission::ExportData)?;
    let rows = apply_sort(filtered(q), q, SORTABLE, customers::Column::Code)
        .all(desk.db())
        .await?;
    let h = |zh, en| header(lang, zh, en);
    Ok(ExportTable {
        sheet: h("客户", "Customers"),
        headers: vec![
            h("编码", "Code"),
            h("名称", "Name"),
            h("电话", "Phone"),
            h("邮箱", "Email"),
            h("省份", "Province"),
            h("城市", "City"),
            h("地址", "Address"),
            h("标签", "Tags"),
            h("状态", "Status"),
        ],
        rows: rows
            .into_iter()
            .map(|m| {
                vec![
                    Cell::Text(m.code),
                    Cell::Text(m.name),
                    Cell::Text(m.phone),
                    Cell::Text(m.email),
                    Cell::Text(m.province),
                    Cell::Text(m.city),
                    Cell::Text(m.address),
                    Cell::Text(decode_tags(&m.tags).join(", ")),
                    Cell::Text(m.status),
                ]
            })
            .collect(),
    })
}
