//! Warehouses and their locations (库位).

use super::{Cell, Check, ExportTable, MasterDataError, RecordStatus, header};
use crate::Shopdesk;
use crate::audit::{self, Action};
use crate::auth::{Actor, Permission};
use crate::entities::{locations, warehouses};
use crate::listing::{ListQuery, Page, apply_sort, fetch_page, search_any};
use chrono::{DateTime, Utc};
use sea_orm::sea_query::{Expr, ExprTrait};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, EntityTrait, PaginatorTrait, QueryFilter,
    QuerySelect, Set,
};
use serde::{Deserialize, Serialize};
use std::collections::HashMap;
use ts_rs::TS;

pub const LOCATION_KINDS: &[&str] = &["storage", "receiving", "shipping", "defect"];

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct Warehouse {
    #[ts(type = "number")]
    pub id: i64,
    pub code: String,
    pub name: String,
    pub address: String,
    pub manager: String,
    pub status: RecordStatus,
    #[ts(type = "number")]
    pub location_count: i64,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(default)]
pub struct WarehouseInput {
    pub code: String,
    pub name: String,
    pub address: String,
    pub manager: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct Location {
    #[ts(type = "number")]
    pub id: i64,
    #[ts(type = "number")]
    pub warehouse_id: i64,
    pub warehouse_code: String,
    pub code: String,
    pub zone: String,
    /// `storage`, `receiving`, `shipping` or `defect`.
    pub kind: String,
    pub status: RecordStatus,
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(default)]
pub struct LocationInput {
    #[ts(type = "number")]
    pub warehouse_id: i64,
    pub code: String,
    pub zone: String,
    pub kind: String,
}

async fn location_counts(
    conn: &impl ConnectionTrait,
    ids: &[i64],
) -> Result<HashMap<i64, i64>, sea_orm::DbErr> {
    let rows: Vec<(i64, i64)> = locations::Entity::find()
        .select_only()
        .column(locations::Column::WarehouseId)
        .column_as(
            Expr::col(locations::Column::Id).count().cast_as("bigint"),
            "n",
        )
        .filter(locations::Column::WarehouseId.is_in(ids.to_vec()))
        .filter(locations::Column::Status.eq("active"))
        .group_by(locations::Column::WarehouseId)
        .into_tuple()
        .all(conn)
        .await?;
    Ok(rows.into_iter().collect())
}

fn to_warehouse(m: warehouses::Model, count: i64) -> Warehouse {
    Warehouse {
        id: m.id,
        code: m.code,
        name: m.name,
        address: m.address,
        manager: m.manager,
        status: RecordStatus::parse(&m.status),
        location_count: count,
        created_at: m.created_at,
        updated_at: m.updated_at,
    }
}

fn filtered(q: &ListQuery) -> sea_orm::Select<warehouses::Entity> {
    let mut sel = warehouses::Entity::find();
    if let Some(s) = q.search_text() {
        sel = sel.filter(search_any(
            &[
                warehouses::Column::Code,
                warehouses::Column::Name,
                warehouses::Column::Address,
            ],
            s,
        ));
    }
    match q.status.as_deref() {
        Some("all") | Some("") => {}
        Some(s) => sel = sel.filter(warehouses::Column::Status.eq(s)),
        None => sel = sel.filter(warehouses::Column::Status.eq("active")),
    }
    sel
}

const SORTABLE: &[(&str, warehouses::Column)] = &[
    ("code", warehouses::Column::Code),
    ("name", warehouses::Column::Name),
    ("updated_at", warehouses::Column::UpdatedAt),
];

pub async fn list(
    desk: &Shopdesk,
    actor: &Actor,
    q: &ListQuery,
) -> Result<Page<Warehouse>, MasterDataError> {
    actor.require(Permission::ViewMasterData)?;
    let (rows, total) = fetch_page(
        desk.db(),
        filtered(q),
        q,
        SORTABLE,
        warehouses::Column::Code,
    )
    .await?;
    let counts = location_counts(desk.db(), &rows.iter().map(|r| r.id).collect::<Vec<_>>()).await?;
    let items = rows.into_iter().map(|r| {
        let n = counts.get(&r.id).copied().unwrap_or(0);
        to_warehouse(r, n)
    });
    Ok(Page {
        items: items.collect(),
        total,
        page: q.page(),
        page_size: q.page_size(),
    })
}

async fn load(conn: &impl ConnectionTrait, id: i64) -> Result<Warehouse, MasterDataError> {
    let m =
        warehouses::Entity::find_by_id(id)
            .one(conn)
            .await?
            .ok_or(MasterDataError::NotFound {
                entity: "warehouse",
                id,
            })?;
    let n = location_counts(conn, &[id])
        .await?
        .get(&id)
        .copied()
        .unwrap_or(0);
    Ok(to_warehouse(m, n))
}

pub async fn get(desk: &Shopdesk, actor: &Actor, id: i64) -> Result<Warehouse, MasterDataError> {
    actor.require(Permission::ViewMasterData)?;
    load(desk.db(), id).await
}

fn validate(i: &WarehouseInput) -> Result<WarehouseInput, MasterDataError> {
    let mut c = Check::default();
    let v = WarehouseInput {
        code: c.code("code", &i.code, 32),
        name: c.required("name", &i.name, 128),
        address: c.optional("address", &i.address, 255),
        manager: c.optional("manager", &i.manager, 64),
    };
    c.finish()?;
    Ok(v)
}

async fn ensure_unique(
    conn: &impl ConnectionTrait,
    code: &str,
    except: Option<i64>,
) -> Result<(), MasterDataError> {
    super::ensure_unique::<warehouses::Entity>(
        conn,
        warehouses::Column::Code,
        warehouses::Column::Id,
        code,
        except,
        "warehouse",
        "code",
    )
    .await
}

pub async fn create(
    desk: &Shopdesk,
    actor: &Actor,
    input: &WarehouseInput,
) -> Result<Warehouse, MasterDataError> {
    actor.require(Permission::EditWarehouses)?;
    let v = validate(input)?;
    let now = desk.now();
    let txn = desk.write_txn().await?;
    ensure_unique(&txn, &v.code, None).await?;
    let m = warehouses::ActiveModel {
        code: Set(v.code),
        name: Set(v.name),
        address: Set(v.address),
        manager: Set(v.manager),
        status: Set("active".into()),
        created_at: Set(now),
        updated_at: Set(now),
        ..Default::default()
    }
    .insert(&txn)
    .await?;
    let w = to_warehouse(m, 0);
    audit::record(
        desk,
        &txn,
        actor,
        Action::Create,
        "warehouse",
        Some(w.id),
        &w.code,
        None::<&()>,
        Some(&w),
    )
    .await?;
    txn.commit().await?;
    Ok(w)
}

pub async fn update(
    desk: &Shopdesk,
    actor: &Actor,
    id: i64,
    input: &WarehouseInput,
) -> Result<Warehouse, MasterDataError> {
    actor.require(Permission::EditWarehouses)?;
    let v = validate(input)?;
    let txn = desk.write_txn().await?;
    let before = load(&txn, id).await?;
    ensure_unique(&txn, &v.code, Some(id)).await?;
    let current =
        warehouses::Entity::find_by_id(id)
            .one(&txn)
            .await?
            .ok_or(MasterDataError::NotFound {
                entity: "warehouse",
                id,
            })?;
    let mut am: warehouses::ActiveModel = current.into();
    am.code = Set(v.code);
    am.name = Set(v.name);
    am.address = Set(v.address);
    am.manager = Set(v.manager);
    am.updated_at = Set(desk.now());
    am.update(&txn).await?;
    let after = load(&txn, id).await?;
    audit::record(
        desk,
        &txn,
        actor,
        Action::Update,
        "warehouse",
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
) -> Result<Warehouse, MasterDataError> {
    actor.require(Permission::EditWarehouses)?;
    let txn = desk.write_txn().await?;
    let before = load(&txn, id).await?;
    let current =
        warehouses::Entity::find_by_id(id)
            .one(&txn)
            .await?
            .ok_or(MasterDataError::NotFound {
                entity: "warehouse",
                id,
            })?;
    let mut am: warehouses::ActiveModel = current.into();
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
        "warehouse",
        Some(id),
        &after.code,
        Some(&before),
        Some(&after),
    )
    .await?;
    txn.commit().await?;
    Ok(after)
}

// ---- locations ----

fn to_location(m: locations::Model, warehouse_code: &str) -> Location {
    Location {
        id: m.id,
        warehouse_id: m.warehouse_id,
        warehouse_code: warehouse_code.to_string(),
        code: m.code,
        zone: m.zone,
        kind: m.kind,
        status: RecordStatus::parse(&m.status),
    }
}

fn filtered_locations(q: &ListQuery) -> sea_orm::Select<locations::Entity> {
    let mut sel = locations::Entity::find();
    if let Some(w) = q.warehouse_id {
        sel = sel.filter(locations::Column::WarehouseId.eq(w));
    }
    if let Some(s) = q.search_text() {
        sel = sel.filter(search_any(
            &[locations::Column::Code, locations::Column::Zone],
            s,
        ));
    }
    match q.status.as_deref() {
        Some("all") | Some("") => {}
        Some(s) => sel = sel.filter(locations::Column::Status.eq(s)),
        None => sel = sel.filter(locations::Column::Status.eq("active")),
    }
    sel
}

const LOCATION_SORTABLE: &[(&str, locations::Column)] = &[
    ("code", locations::Column::Code),
    ("zone", locations::Column::Zone),
    ("kind", locations::Column::Kind),
];

async fn warehouse_codes(
    conn: &impl ConnectionTrait,
) -> Result<HashMap<i64, String>, sea_orm::DbErr> {
    Ok(warehouses::Entity::find()
        .all(conn)
        .await?
        .into_iter()
        .map(|w| (w.id, w.code))
        .collect())
}

pub async fn list_locations(
    desk: &Shopdesk,
    actor: &Actor,
    q: &ListQuery,
) -> Result<Page<Location>, MasterDataError> {
    actor.require(Permission::ViewMasterData)?;
    let (rows, total) = fetch_page(
        desk.db(),
        filtered_locations(q),
        q,
        LOCATION_SORTABLE,
        locations::Column::Code,
    )
    .await?;
    let codes = warehouse_codes(desk.db()).await?;
    let items = rows
        .into_iter()
        .map(|r| {
            let code = codes.get(&r.warehouse_id).cloned().unwrap_or_default();
            to_location(r, &code)
        })
        .collect();
    Ok(Page {
        items,
        total,
        page: q.page(),
        page_size: q.page_size(),
    })
}

async fn load_location(conn: &impl ConnectionTrait, id: i64) -> Result<Location, MasterDataError> {
    let m =
        locations::Entity::find_by_id(id)
            .one(conn)
            .await?
            .ok_or(MasterDataError::NotFound {
                entity: "location",
                id,
            })?;
    let w = warehouses::Entity::find_by_id(m.warehouse_id)
        .one(conn)
        .await?
        .map(|w| w.code)
        .unwrap_or_default();
    Ok(to_location(m, &w))
}

async fn validate_location(
    conn: &impl ConnectionTrait,
    i: &LocationInput,
    except: Option<i64>,
) -> Result<LocationInput, MasterDataError> {
    let mut c = Check::default();
    let kind = if i.kind.trim().is_empty() {
        "storage".to_string()
    } else {
        i.kind.clone()
    };
    let v = LocationInput {
        warehouse_id: i.warehouse_id,
        code: c.code("code", &i.code, 32),
        zone: c.optional("zone", &i.zone, 32),
        kind: c.one_of("kind", &kind, LOCATION_KINDS),
    };
    if warehouses::Entity::find_by_id(i.warehouse_id)
        .one(conn)
        .await?
        .is_none()
    {
        c.push(crate::error::FieldError::new("warehouse_id", "invalid"));
    }
    c.finish()?;
    let mut q = locations::Entity::find()
        .filter(locations::Column::WarehouseId.eq(v.warehouse_id))
        .filter(locations::Column::Code.eq(&v.code));
    if let Some(id) = except {
        q = q.filter(locations::Column::Id.ne(id));
    }
    if q.count(conn).await? > 0 {
        return Err(MasterDataError::Duplicate {
            entity: "location",
            field: "code",
            value: v.code,
        });
    }
    Ok(v)
}

pub async fn create_location(
    desk: &Shopdesk,
    actor: &Actor,
    input: &LocationInput,
) -> Result<Location, MasterDataError> {
    actor.require(Permission::EditWarehouses)?;
    let txn = desk.write_txn().await?;
    let v = validate_location(&txn, input, None).await?;
    let m = locations::ActiveModel {
        warehouse_id: Set(v.warehouse_id),
        code: Set(v.code),
        zone: Set(v.zone),
        kind: Set(v.kind),
        status: Set("active".into()),
        ..Default::default()
    }
    .insert(&txn)
    .await?;
    let l = load_location(&txn, m.id).await?;
    let key = format!("{}/{}", l.warehouse_code, l.code);
    audit::record(
        desk,
        &txn,
        actor,
        Action::Create,
        "location",
        Some(l.id),
        &key,
        None::<&()>,
        Some(&l),
    )
    .await?;
    txn.commit().await?;
    Ok(l)
}

pub async fn update_location(
    desk: &Shopdesk,
    actor: &Actor,
    id: i64,
    input: &LocationInput,
) -> Result<Location, MasterDataError> {
    actor.require(Permission::EditWarehouses)?;
    let txn = desk.write_txn().await?;
    let before = load_location(&txn, id).await?;
    let v = validate_location(&txn, input, Some(id)).await?;
    let current =
        locations::Entity::find_by_id(id)
            .one(&txn)
            .await?
            .ok_or(MasterDataError::NotFound {
                entity: "location",
                id,
            })?;
    let mut am: locations::ActiveModel = current.into();
    am.warehouse_id = Set(v.warehouse_id);
    am.code = Set(v.code);
    am.zone = Set(v.zone);
    am.kind = Set(v.kind);
    am.update(&txn).await?;
    let after = load_location(&txn, id).await?;
    let key = format!("{}/{}", after.warehouse_code, after.code);
    audit::record(
        desk,
        &txn,
        actor,
        Action::Update,
        "location",
        Some(id),
        &key,
        Some(&before),
        Some(&after),
    )
    .await?;
    txn.commit().await?;
    Ok(after)
}

pub async fn set_location_archived(
    desk: &Shopdesk,
    actor: &Actor,
    id: i64,
    archive: bool,
) -> Result<Location, MasterDataError> {
    actor.require(Permission::EditWarehouses)?;
    let txn = desk.write_txn().await?;
    let before = load_location(&txn, id).await?;
    let current =
        locations::Entity::find_by_id(id)
            .one(&txn)
            .await?
            .ok_or(MasterDataError::NotFound {
                entity: "location",
                id,
            })?;
    let mut am: locations::ActiveModel = current.into();
    am.status = Set(if archive { "archived" } else { "active" }.into());
    am.update(&txn).await?;
    let after = load_location(&txn, id).await?;
    let key = format!("{}/{}", after.warehouse_code, after.code);
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
        "location",
        Some(id),
        &key,
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
    let rows = apply_sort(filtered(q), q, SORTABLE, warehouses::Column::Code)
        .all(desk.db())
        .await?;
    let counts = location_counts(desk.db(), &rows.iter().map(|r| r.id).collect::<Vec<_>>()).await?;
    let h = |zh, en| header(lang, zh, en);
    Ok(ExportTable {
        sheet: h("仓库", "Warehouses"),
        headers: vec![
            h("编码", "Code"),
            h("名称", "Name"),
            h("地址", "Address"),
            h("负责人", "Manager"),
            h("库位数", "Locations"),
            h("状态", "Status"),
        ],
        rows: rows
            .into_iter()
            .map(|w| {
                let n = counts.get(&w.id).copied().unwrap_or(0);
                vec![
                    Cell::Text(w.code),
                    Cell::Text(w.name),
                    Cell::Text(w.address),
                    Cell::Text(w.manager),
                    Cell::Int(n),
                    Cell::Text(w.status),
                ]
            })
            .collect(),
    })
}

pub async fn export_locations_table(
    desk: &Shopdesk,
    actor: &Actor,
    q: &ListQuery,
    lang: &str,
) -> Result<ExportTable, MasterDataError> {
    actor.require(Permission::ExportData)?;
    let rows = apply_sort(
        filtered_locations(q),
        q,
        LOCATION_SORTABLE,
        locations::Column::Code,
    )
    .all(desk.db())
    .await?;
    let codes = warehouse_codes(desk.db()).await?;
    let h = |zh, en| header(lang, zh, en);
    Ok(ExportTable {
        sheet: h("库位", "Locations"),
        headers: vec![
            h("仓库", "Warehouse"),
            h("库位编码", "Code"),
            h("库区", "Zone"),
            h("类型", "Kind"),
            h("状态", "Status"),
        ],
        rows: rows
            .into_iter()
            .map(|l| {
                vec![
                    Cell::Text(codes.get(&l.warehouse_id).cloned().unwrap_or_default()),
                    Cell::Text(l.code),
                    Cell::Text(l.zone),
                    Cell::Text(l.kind),
                    Cell::Text(l.status),
                ]
            })
            .collect(),
    })
}
