//! The audit log: who changed what, when, with the record before and after.
//!
//! **Architecture Invariant:** every write in the core calls [`record`] inside the same transaction as the change,
//! so an audit row exists exactly when the change does.

use crate::Shopdesk;
use crate::auth::{Actor, AuthError, Permission};
use crate::entities::audit_log;
use crate::error::ApiError;
use crate::listing::{Page, contains_pattern};
use chrono::{DateTime, NaiveDate, Utc};
use sea_orm::sea_query::{Expr, ExprTrait, Func};
use sea_orm::{
    ColumnTrait, Condition, ConnectionTrait, EntityTrait, PaginatorTrait, QueryFilter, QueryOrder,
    Set,
};
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;
use ts_rs::TS;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
pub enum Action {
    Create,
    Update,
    Archive,
    Restore,
    Import,
    Backup,
    RestoreBackup,
    LoadDemo,
}

impl Action {
    pub fn as_str(&self) -> &'static str {
        match self {
            Action::Create => "create",
            Action::Update => "update",
            Action::Archive => "archive",
            Action::Restore => "restore",
            Action::Import => "import",
            Action::Backup => "backup",
            Action::RestoreBackup => "restore_backup",
            Action::LoadDemo => "load_demo",
        }
    }
}

/// Writes one audit row. `before`/`after` are serialised to JSON text.
#[allow(clippy::too_many_arguments)]
pub async fn record<B: Serialize, A: Serialize>(
    desk: &Shopdesk,
    conn: &impl ConnectionTrait,
    actor: &Actor,
    action: Action,
    entity: &str,
    entity_id: Option<i64>,
    entity_key: &str,
    before: Option<&B>,
    after: Option<&A>,
) -> Result<(), sea_orm::DbErr> {
    let at = desk.now();
    let row = audit_log::ActiveModel {
        at: Set(at),
        biz_date: Set(desk.biz_date(at)),
        user_id: Set(Some(actor.user_id)),
        username: Set(actor.username.clone()),
        action: Set(action.as_str().to_string()),
        entity: Set(entity.to_string()),
        entity_id: Set(entity_id),
        entity_key: Set(entity_key.chars().take(128).collect()),
        before: Set(before.map(to_json)),
        after: Set(after.map(to_json)),
        ..Default::default()
    };
    audit_log::Entity::insert(row).exec(conn).await?;
    Ok(())
}

fn to_json<T: Serialize>(v: &T) -> String {
    serde_json::to_string(v).unwrap_or_else(|e| format!("{{\"serialisation_error\":\"{e}\"}}"))
}

/// One field that changed between `before` and `after`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct FieldChange {
    pub field: String,
    pub before: Option<String>,
    pub after: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct AuditEntry {
    #[ts(type = "number")]
    pub id: i64,
    pub at: DateTime<Utc>,
    pub biz_date: NaiveDate,
    pub username: String,
    pub action: String,
    pub entity: String,
    #[ts(type = "number | null")]
    pub entity_id: Option<i64>,
    pub entity_key: String,
    /// JSON text of the record before the change (null for a creation).
    pub before: Option<String>,
    /// JSON text of the record after the change.
    pub after: Option<String>,
    /// The fields that differ, for the diff view.
    pub changes: Vec<FieldChange>,
}

fn flatten(v: &serde_json::Value) -> BTreeMap<String, String> {
    let mut out = BTreeMap::new();
    if let serde_json::Value::Object(map) = v {
        for (k, v) in map {
            let s = match v {
                serde_json::Value::String(s) => s.clone(),
                serde_json::Value::Null => String::new(),
                other => other.to_string(),
            };
            out.insert(k.clone(), s);
        }
    }
    out
}

/// Field-by-field differences of two JSON objects (`updated_at` is noise and left out).
pub fn diff(before: Option<&str>, after: Option<&str>) -> Vec<FieldChange> {
    let parse = |s: Option<&str>| {
        s.and_then(|s| serde_json::from_str::<serde_json::Value>(s).ok())
            .map(|v| flatten(&v))
    };
    let (b, a) = (
        parse(before).unwrap_or_default(),
        parse(after).unwrap_or_default(),
    );
    let mut keys: Vec<&String> = b.keys().chain(a.keys()).collect();
    keys.sort();
    keys.dedup();
    keys.into_iter()
        .filter(|k| k.as_str() != "updated_at")
        .filter(|k| b.get(*k) != a.get(*k))
        .map(|k| FieldChange {
            field: k.clone(),
            before: b.get(k).cloned(),
            after: a.get(k).cloned(),
        })
        .collect()
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(default)]
pub struct AuditQuery {
    /// Matches the record key (SKU, code, user name) or the user who acted.
    pub search: Option<String>,
    pub entity: Option<String>,
    pub action: Option<String>,
    pub username: Option<String>,
    #[ts(type = "number | null")]
    pub entity_id: Option<i64>,
    /// Business dates, inclusive.
    pub from: Option<NaiveDate>,
    pub to: Option<NaiveDate>,
    #[ts(type = "number")]
    pub page: u64,
    #[ts(type = "number")]
    pub page_size: u64,
}

#[derive(Debug, thiserror::Error)]
pub enum AuditError {
    #[error(transparent)]
    Auth(#[from] AuthError),
    #[error(transparent)]
    Db(#[from] sea_orm::DbErr),
}

impl From<AuditError> for ApiError {
    fn from(e: AuditError) -> Self {
        match e {
            AuditError::Auth(a) => a.into(),
            AuditError::Db(d) => d.into(),
        }
    }
}

/// Browses the audit log, newest first.
pub async fn list(
    desk: &Shopdesk,
    actor: &Actor,
    q: AuditQuery,
) -> Result<Page<AuditEntry>, AuditError> {
    actor.require(Permission::ViewAudit)?;
    let mut sel = audit_log::Entity::find();
    if let Some(s) = q.search.as_deref().map(str::trim).filter(|s| !s.is_empty()) {
        sel = sel.filter(
            Condition::any()
                .add(
                    Expr::expr(Func::lower(Expr::col(audit_log::Column::EntityKey)))
                        .like(contains_pattern(s)),
                )
                .add(
                    Expr::expr(Func::lower(Expr::col(audit_log::Column::Username)))
                        .like(contains_pattern(s)),
                ),
        );
    }
    if let Some(e) = q.entity.as_deref().filter(|s| !s.is_empty()) {
        sel = sel.filter(audit_log::Column::Entity.eq(e));
    }
    if let Some(a) = q.action.as_deref().filter(|s| !s.is_empty()) {
        sel = sel.filter(audit_log::Column::Action.eq(a));
    }
    if let Some(u) = q.username.as_deref().filter(|s| !s.is_empty()) {
        sel = sel.filter(audit_log::Column::Username.eq(u));
    }
    if let Some(id) = q.entity_id {
        sel = sel.filter(audit_log::Column::EntityId.eq(id));
    }
    if let Some(from) = q.from {
        sel = sel.filter(audit_log::Column::BizDate.gte(from));
    }
    if let Some(to) = q.to {
        sel = sel.filter(audit_log::Column::BizDate.lte(to));
    }
    let page_size = if q.page_size == 0 {
        50
    } else {
        Ord::min(q.page_size, 500)
    };
    let page = Ord::max(q.page, 1);
    let paginator = sel
        .order_by_desc(audit_log::Column::Id)
        .paginate(desk.db(), page_size);
    let total = paginator.num_items().await?;
    let rows = paginator.fetch_page(page - 1).await?;
    let items = rows
        .into_iter()
        .map(|r| AuditEntry {
            changes: diff(r.before.as_deref(), r.after.as_deref()),
            id: r.id,
            at: r.at,
            biz_date: r.biz_date,
            username: r.username,
            action: r.action,
            entity: r.entity,
            entity_id: r.entity_id,
            entity_key: r.entity_key,
            before: r.before,
            after: r.after,
        })
        .collect();
    Ok(Page {
        items,
        total,
        page,
        page_size,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn diff_lists_changed_fields_only() {
        let d = diff(
            Some(r#"{"name":"茶","price":"1.00","updated_at":"x"}"#),
            Some(r#"{"name":"绿茶","price":"1.00","updated_at":"y"}"#),
        );
        assert_eq!(
            d,
            vec![FieldChange {
                field: "name".into(),
                before: Some("茶".into()),
                after: Some("绿茶".into())
            }]
        );
        let created = diff(None, Some(r#"{"sku":"A1"}"#));
        assert_eq!(created[0].before, None);
    }
}
