//! Column mappings saved per owner and reused on the next file: `supplier_sheet` per supplier, `order_export` per
//! channel. Saved inside the import's own transaction, so a failed import saves nothing.

use super::header::Mapping;
use crate::entities::import_mappings;
use sea_orm::{ActiveModelTrait, ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, Set};

/// The mapping saved for `kind` and `owner_id`, if any (one that no longer parses counts as none).
pub async fn load(
    conn: &impl ConnectionTrait,
    kind: &str,
    owner_id: i64,
) -> Result<Option<Mapping>, sea_orm::DbErr> {
    Ok(import_mappings::Entity::find()
        .filter(import_mappings::Column::Kind.eq(kind))
        .filter(import_mappings::Column::OwnerId.eq(owner_id))
        .one(conn)
        .await?
        .and_then(|m| serde_json::from_str(&m.mapping).ok()))
}

/// Saves (or replaces) the mapping of `kind` and `owner_id`.
pub async fn save(
    conn: &impl ConnectionTrait,
    kind: &str,
    owner_id: i64,
    mapping: &Mapping,
    by: &str,
    now: chrono::DateTime<chrono::Utc>,
) -> Result<(), sea_orm::DbErr> {
    let json = serde_json::to_string(mapping).unwrap_or_else(|_| "{}".into());
    match import_mappings::Entity::find()
        .filter(import_mappings::Column::Kind.eq(kind))
        .filter(import_mappings::Column::OwnerId.eq(owner_id))
        .one(conn)
        .await?
    {
        Some(m) => {
            let mut a: import_mappings::ActiveModel = m.into();
            a.mapping = Set(json);
            a.updated_by = Set(by.to_string());
            a.updated_at = Set(now);
            a.update(conn).await?;
        }
        None => {
            import_mappings::ActiveModel {
                kind: Set(kind.into()),
                owner_id: Set(owner_id),
                mapping: Set(json),
                updated_by: Set(by.to_string()),
                updated_at: Set(now),
                ..Default::default()
            }
            .insert(conn)
            .await?;
        }
    }
    Ok(())
}
