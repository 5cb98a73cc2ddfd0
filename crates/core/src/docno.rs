//! Document numbers such as `PO-20261121-0001`: a prefix, the business date, and a daily sequence.
//! The counter row is updated in the caller's transaction, so a rolled-back document does not consume a number
//! on PostgreSQL, and two desktops never get the same number (the unique index on the document column is the
//! final guard).

use crate::entities::doc_sequences;
use sea_orm::{ActiveModelTrait, ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, Set};

pub async fn next(
    conn: &impl ConnectionTrait,
    prefix: &str,
    biz_date: chrono::NaiveDate,
) -> Result<String, sea_orm::DbErr> {
    let day = biz_date.format("%Y%m%d").to_string();
    let row = doc_sequences::Entity::find()
        .filter(doc_sequences::Column::Prefix.eq(prefix))
        .filter(doc_sequences::Column::Day.eq(&day))
        .one(conn)
        .await?;
    let value = match row {
        Some(r) => {
            let v = r.last_value + 1;
            let mut am: doc_sequences::ActiveModel = r.into();
            am.last_value = Set(v);
            am.update(conn).await?;
            v
        }
        None => {
            doc_sequences::ActiveModel {
                prefix: Set(prefix.to_string()),
                day: Set(day.clone()),
                last_value: Set(1),
                ..Default::default()
            }
            .insert(conn)
            .await?;
            1
        }
    };
    Ok(format!("{prefix}-{day}-{value:04}"))
}
