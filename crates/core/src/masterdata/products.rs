//! Products / SKUs.

use super::{Cell, Check, ExportTable, MasterDataError, RecordStatus, header, price_text};
use crate::Shopdesk;
use crate::audit::{self, Action};
use crate::auth::{Actor, Permission};
use crate::barcode::Barcode;
use crate::entities::products;
use crate::error::FieldError;
use crate::listing::{ListQuery, Page, apply_sort, fetch_page, search_any};
use crate::money::{Currency, UnitPrice};
use chrono::{DateTime, Utc};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QueryOrder,
    QuerySelect, Set,
};
use serde::{Deserialize, Serialize};
use ts_rs::TS;

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct Product {
    #[ts(type = "number")]
    pub id: i64,
    pub sku: String,
    pub barcode: Option<String>,
    pub name: String,
    pub spec: String,
    pub unit: String,
    pub category: String,
    pub brand: String,
    /// Unit cost as decimal text (up to 4 decimals).
    pub cost: String,
    /// Unit sale price as decimal text (up to 4 decimals).
    pub price: String,
    pub currency: String,
    #[ts(type = "number")]
    pub safety_stock: i64,
    pub status: RecordStatus,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

impl From<products::Model> for Product {
    fn from(m: products::Model) -> Self {
        Self {
            id: m.id,
            sku: m.sku,
            barcode: m.barcode,
            name: m.name,
            spec: m.spec,
            unit: m.unit,
            category: m.category,
            brand: m.brand,
            cost: price_text(m.cost),
            price: price_text(m.price),
            currency: m.currency,
            safety_stock: m.safety_stock,
            status: RecordStatus::parse(&m.status),
            created_at: m.created_at,
            updated_at: m.updated_at,
        }
    }
}

/// What the product form sends.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(default)]
pub struct ProductInput {
    pub sku: String,
    pub barcode: Option<String>,
    pub name: String,
    pub spec: String,
    pub unit: String,
    pub category: String,
    pub brand: String,
    pub cost: String,
    pub price: String,
    /// Null means the company currency.
    pub currency: Option<String>,
    #[ts(type = "number")]
    pub safety_stock: i64,
}

/// The validated input, ready to store.
struct Valid {
    sku: String,
    barcode: Option<String>,
    name: String,
    spec: String,
    unit: String,
    category: String,
    brand: String,
    cost: i64,
    price: i64,
    currency: String,
    safety_stock: i64,
}

fn validate(desk: &Shopdesk, i: &ProductInput) -> Result<Valid, MasterDataError> {
    let mut c = Check::default();
    let sku = c.code("sku", &i.sku, 64);
    let barcode = i
        .barcode
        .as_deref()
        .map(str::trim)
        .filter(|b| !b.is_empty())
        .map(|b| match Barcode::parse(b) {
            Ok(code) => code.as_str().to_string(),
            Err(e) => {
                let mut fe = FieldError::new("barcode", e.code());
                if let crate::barcode::BarcodeError::CheckDigit { expected, .. } = e {
                    fe = fe.with("expected", expected);
                }
                c.push(fe);
                b.to_string()
            }
        });
    let name = c.required("name", &i.name, 200);
    let spec = c.optional("spec", &i.spec, 200);
    let unit = c.required("unit", &i.unit, 16);
    let category = c.optional("category", &i.category, 64);
    let brand = c.optional("brand", &i.brand, 64);
    let cost = c.unit_price("cost", &i.cost);
    let price = c.unit_price("price", &i.price);
    let currency = match i
        .currency
        .as_deref()
        .map(str::trim)
        .filter(|s| !s.is_empty())
    {
        None => desk.company().currency,
        Some(code) => match Currency::parse(code) {
            Ok(cur) => cur.as_str().to_string(),
            Err(_) => {
                c.push(FieldError::new("currency", "invalid"));
                code.to_string()
            }
        },
    };
    let safety_stock = c.non_negative("safety_stock", i.safety_stock);
    c.finish()?;
    Ok(Valid {
        sku,
        barcode,
        name,
        spec,
        unit,
        category,
        brand,
        cost,
        price,
        currency,
        safety_stock,
    })
}

async fn ensure_unique(
    conn: &impl ConnectionTrait,
    v: &Valid,
    except: Option<i64>,
) -> Result<(), MasterDataError> {
    use products::Column as C;
    super::ensure_unique::<products::Entity>(conn, C::Sku, C::Id, &v.sku, except, "product", "sku")
        .await?;
    if let Some(b) = &v.barcode {
        super::ensure_unique::<products::Entity>(
            conn,
            C::Barcode,
            C::Id,
            b,
            except,
            "product",
            "barcode",
        )
        .await?;
    }
    Ok(())
}

fn filtered(q: &ListQuery) -> sea_orm::Select<products::Entity> {
    let mut sel = products::Entity::find();
    if let Some(s) = q.search_text() {
        sel = sel.filter(search_any(
            &[
                products::Column::Sku,
                products::Column::Name,
                products::Column::Barcode,
                products::Column::Spec,
            ],
            s,
        ));
    }
    match q.status.as_deref() {
        Some("all") | Some("") => {}
        Some(s) => sel = sel.filter(products::Column::Status.eq(s)),
        None => sel = sel.filter(products::Column::Status.eq("active")),
    }
    if let Some(c) = q.category.as_deref().filter(|s| !s.is_empty()) {
        sel = sel.filter(products::Column::Category.eq(c));
    }
    if let Some(b) = q.brand.as_deref().filter(|s| !s.is_empty()) {
        sel = sel.filter(products::Column::Brand.eq(b));
    }
    sel
}

const SORTABLE: &[(&str, products::Column)] = &[
    ("sku", products::Column::Sku),
    ("name", products::Column::Name),
    ("category", products::Column::Category),
    ("brand", products::Column::Brand),
    ("cost", products::Column::Cost),
    ("price", products::Column::Price),
    ("safety_stock", products::Column::SafetyStock),
    ("updated_at", products::Column::UpdatedAt),
    ("created_at", products::Column::CreatedAt),
];

pub async fn list(
    desk: &Shopdesk,
    actor: &Actor,
    q: &ListQuery,
) -> Result<Page<Product>, MasterDataError> {
    actor.require(Permission::ViewMasterData)?;
    let (rows, total) =
        fetch_page(desk.db(), filtered(q), q, SORTABLE, products::Column::Sku).await?;
    Ok(Page {
        items: rows.into_iter().map(Product::from).collect(),
        total,
        page: q.page(),
        page_size: q.page_size(),
    })
}

pub async fn get(desk: &Shopdesk, actor: &Actor, id: i64) -> Result<Product, MasterDataError> {
    actor.require(Permission::ViewMasterData)?;
    products::Entity::find_by_id(id)
        .one(desk.db())
        .await?
        .map(Product::from)
        .ok_or(MasterDataError::NotFound {
            entity: "product",
            id,
        })
}

pub async fn find_by_sku(
    desk: &Shopdesk,
    actor: &Actor,
    sku: &str,
) -> Result<Option<Product>, MasterDataError> {
    actor.require(Permission::ViewMasterData)?;
    Ok(products::Entity::find()
        .filter(products::Column::Sku.eq(sku.trim()))
        .one(desk.db())
        .await?
        .map(Product::from))
}

/// The SKU code of each product id given (ids with no product are left out), for naming products in messages,
/// timelines and reports without loading whole rows.
pub(crate) async fn sku_codes(
    conn: &impl ConnectionTrait,
    ids: std::collections::BTreeSet<i64>,
) -> Result<std::collections::HashMap<i64, String>, sea_orm::DbErr> {
    if ids.is_empty() {
        return Ok(Default::default());
    }
    Ok(products::Entity::find()
        .select_only()
        .column(products::Column::Id)
        .column(products::Column::Sku)
        .filter(products::Column::Id.is_in(ids))
        .into_tuple::<(i64, String)>()
        .all(conn)
        .await?
        .into_iter()
        .collect())
}

pub async fn create(
    desk: &Shopdesk,
    actor: &Actor,
    input: &ProductInput,
) -> Result<Product, MasterDataError> {
    actor.require(Permission::EditProducts)?;
    let v = validate(desk, input)?;
    let now = desk.now();
    let txn = desk.write_txn().await?;
    ensure_unique(&txn, &v, None).await?;
    let model = products::ActiveModel {
        sku: Set(v.sku),
        barcode: Set(v.barcode),
        name: Set(v.name),
        spec: Set(v.spec),
        unit: Set(v.unit),
        category: Set(v.category),
        brand: Set(v.brand),
        cost: Set(v.cost),
        price: Set(v.price),
        currency: Set(v.currency),
        safety_stock: Set(v.safety_stock),
        status: Set(RecordStatus::Active.as_str().into()),
        created_at: Set(now),
        updated_at: Set(now),
        ..Default::default()
    }
    .insert(&txn)
    .await?;
    let p = Product::from(model);
    audit::record(
        desk,
        &txn,
        actor,
        Action::Create,
        "product",
        Some(p.id),
        &p.sku,
        None::<&()>,
        Some(&p),
    )
    .await?;
    txn.commit().await?;
    Ok(p)
}

pub async fn update(
    desk: &Shopdesk,
    actor: &Actor,
    id: i64,
    input: &ProductInput,
) -> Result<Product, MasterDataError> {
    actor.require(Permission::EditProducts)?;
    let v = validate(desk, input)?;
    let txn = desk.write_txn().await?;
    let current =
        products::Entity::find_by_id(id)
            .one(&txn)
            .await?
            .ok_or(MasterDataError::NotFound {
                entity: "product",
                id,
            })?;
    ensure_unique(&txn, &v, Some(id)).await?;
    let before = Product::from(current.clone());
    let mut am: products::ActiveModel = current.into();
    am.sku = Set(v.sku);
    am.barcode = Set(v.barcode);
    am.name = Set(v.name);
    am.spec = Set(v.spec);
    am.unit = Set(v.unit);
    am.category = Set(v.category);
    am.brand = Set(v.brand);
    am.cost = Set(v.cost);
    am.price = Set(v.price);
    am.currency = Set(v.currency);
    am.safety_stock = Set(v.safety_stock);
    am.updated_at = Set(desk.now());
    let after = Product::from(am.update(&txn).await?);
    audit::record(
        desk,
        &txn,
        actor,
        Action::Update,
        "product",
        Some(id),
        &after.sku,
        Some(&before),
        Some(&after),
    )
    .await?;
    txn.commit().await?;
    Ok(after)
}

/// Archives (`archive = true`) or restores a product. Products are never deleted: documents refer to them.
pub async fn set_archived(
    desk: &Shopdesk,
    actor: &Actor,
    id: i64,
    archive: bool,
) -> Result<Product, MasterDataError> {
    actor.require(Permission::EditProducts)?;
    let txn = desk.write_txn().await?;
    let current =
        products::Entity::find_by_id(id)
            .one(&txn)
            .await?
            .ok_or(MasterDataError::NotFound {
                entity: "product",
                id,
            })?;
    let before = Product::from(current.clone());
    let mut am: products::ActiveModel = current.into();
    let status = if archive {
        RecordStatus::Archived
    } else {
        RecordStatus::Active
    };
    am.status = Set(status.as_str().into());
    am.updated_at = Set(desk.now());
    let after = Product::from(am.update(&txn).await?);
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
        "product",
        Some(id),
        &after.sku,
        Some(&before),
        Some(&after),
    )
    .await?;
    txn.commit().await?;
    Ok(after)
}

/// Distinct categories and brands, for the list filters.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct ProductFacets {
    pub categories: Vec<String>,
    pub brands: Vec<String>,
}

pub async fn facets(desk: &Shopdesk, actor: &Actor) -> Result<ProductFacets, MasterDataError> {
    actor.require(Permission::ViewMasterData)?;
    let distinct = |col: products::Column| {
        products::Entity::find()
            .select_only()
            .column(col)
            .distinct()
            .filter(col.ne(""))
            .order_by_asc(col)
            .into_tuple::<String>()
            .all(desk.db())
    };
    Ok(ProductFacets {
        categories: distinct(products::Column::Category).await?,
        brands: distinct(products::Column::Brand).await?,
    })
}

/// Every product matching the list's filters (no paging), for the Excel export.
pub async fn export_table(
    desk: &Shopdesk,
    actor: &Actor,
    q: &ListQuery,
    lang: &str,
) -> Result<ExportTable, MasterDataError> {
    actor.require(Permission::ExportData)?;
    let rows = apply_sort(filtered(q), q, SORTABLE, products::Column::Sku)
        .all(desk.db())
        .await?;
    let h = |zh, en| header(lang, zh, en);
    Ok(ExportTable {
        sheet: h("商品", "Products"),
        headers: vec![
            h("SKU编码", "SKU"),
            h("条码", "Barcode"),
            h("名称", "Name"),
            h("规格", "Spec"),
            h("单位", "Unit"),
            h("分类", "Category"),
            h("品牌", "Brand"),
            h("成本价", "Cost"),
            h("售价", "Price"),
            h("币种", "Currency"),
            h("安全库存", "Safety stock"),
            h("状态", "Status"),
            h("更新时间", "Updated"),
        ],
        rows: rows
            .into_iter()
            .map(|m| {
                vec![
                    Cell::Text(m.sku),
                    m.barcode.map(Cell::Text).unwrap_or(Cell::Empty),
                    Cell::Text(m.name),
                    Cell::Text(m.spec),
                    Cell::Text(m.unit),
                    Cell::Text(m.category),
                    Cell::Text(m.brand),
                    Cell::Decimal(UnitPrice::from_ten_thousandths(m.cost).to_decimal()),
                    Cell::Decimal(UnitPrice::from_ten_thousandths(m.price).to_decimal()),
                    Cell::Text(m.currency),
                    Cell::Int(m.safety_stock),
                    Cell::Text(m.status),
                    Cell::DateTime(m.updated_at),
                ]
            })
            .collect(),
    })
}
