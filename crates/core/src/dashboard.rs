//! The home page's figures, computed from the records.

use crate::Shopdesk;
use crate::audit::{self, AuditEntry, AuditQuery};
use crate::auth::{Actor, Permission};
use crate::entities::{customers, locations, products, suppliers, warehouses};
use crate::error::ApiError;
use crate::masterdata::MasterDataError;
use crate::masterdata::suppliers::{ExpiringCertificate, expiring_certificates};
use sea_orm::sea_query::{Expr, ExprTrait};
use sea_orm::{ColumnTrait, EntityTrait, PaginatorTrait, QueryFilter, QueryOrder, QuerySelect};
use serde::{Deserialize, Serialize};
use ts_rs::TS;

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct CategoryCount {
    pub category: String,
    #[ts(type = "number")]
    pub count: i64,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct Dashboard {
    #[ts(type = "number")]
    pub products: u64,
    #[ts(type = "number")]
    pub active_products: u64,
    #[ts(type = "number")]
    pub archived_products: u64,
    #[ts(type = "number")]
    pub suppliers: u64,
    #[ts(type = "number")]
    pub approved_suppliers: u64,
    #[ts(type = "number")]
    pub warehouses: u64,
    #[ts(type = "number")]
    pub locations: u64,
    #[ts(type = "number")]
    pub customers: u64,
    #[ts(type = "number")]
    pub vip_customers: u64,
    /// Certificates expired or expiring within 60 days.
    pub expiring_certificates: Vec<ExpiringCertificate>,
    pub products_by_category: Vec<CategoryCount>,
    /// The latest changes, when the user may read the audit log.
    pub recent_changes: Vec<AuditEntry>,
}

pub async fn load(desk: &Shopdesk, actor: &Actor) -> Result<Dashboard, ApiError> {
    actor
        .require(Permission::ViewMasterData)
        .map_err(MasterDataError::from)?;
    let db = desk.db();
    let active_products = products::Entity::find()
        .filter(products::Column::Status.eq("active"))
        .count(db)
        .await?;
    let products = products::Entity::find().count(db).await?;
    let by_cat: Vec<(String, i64)> = products::Entity::find()
        .select_only()
        .column(products::Column::Category)
        .column_as(
            Expr::col(products::Column::Id).count().cast_as("bigint"),
            "n",
        )
        .filter(products::Column::Status.eq("active"))
        .group_by(products::Column::Category)
        .order_by_asc(products::Column::Category)
        .into_tuple()
        .all(db)
        .await?;
    let recent_changes = if actor.role.allows(Permission::ViewAudit) {
        audit::list(
            desk,
            actor,
            AuditQuery {
                page_size: 8,
                ..Default::default()
            },
        )
        .await?
        .items
    } else {
        Vec::new()
    };
    Ok(Dashboard {
        products,
        active_products,
        archived_products: products - active_products,
        suppliers: suppliers::Entity::find()
            .filter(suppliers::Column::Status.eq("active"))
            .count(db)
            .await?,
        approved_suppliers: suppliers::Entity::find()
            .filter(suppliers::Column::Status.eq("active"))
            .filter(suppliers::Column::Qualification.eq("approved"))
            .count(db)
            .await?,
        warehouses: warehouses::Entity::find()
            .filter(warehouses::Column::Status.eq("active"))
            .count(db)
            .await?,
        locations: locations::Entity::find()
            .filter(locations::Column::Status.eq("active"))
            .count(db)
            .await?,
        customers: customers::Entity::find()
            .filter(customers::Column::Status.eq("active"))
            .count(db)
            .await?,
        vip_customers: customers::Entity::find()
            .filter(customers::Column::Status.eq("active"))
            .filter(customers::Column::Tags.contains(",VIP,"))
            .count(db)
            .await?,
        expiring_certificates: expiring_certificates(desk, actor, 60).await?,
        products_by_category: by_cat
            .into_iter()
            .map(|(category, count)| CategoryCount { category, count })
            .collect(),
        recent_changes,
    })
}
