//! Document numbers such as `PO-20261121-0001`: a prefix, the business date, and a daily sequence.
//! The counter row is updated in the caller's transaction, so a rolled-back document does not consume a number
//! on PostgreSQL, and two desktops never get the same number (the unique index on the document column is the
//! final guard).

use crate::entities::doc_sequences::{self, Column as C};
use sea_orm::sea_query::{Expr, ExprTrait};
use sea_orm::{ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, Set};

/// The next number for `prefix` on `biz_date`. The counter moves by one relative update, which on PostgreSQL
/// locks the row until the caller's transaction ends: two transactions at once get consecutive numbers instead of
/// the same one (a read-then-write would hand both the same number).
pub async fn next(
    conn: &impl ConnectionTrait,
    prefix: &str,
    biz_date: chrono::NaiveDate,
) -> Result<String, sea_orm::DbErr> {
    next_block(conn, prefix, biz_date, 1)
        .await?
        .pop()
        .ok_or_else(|| sea_orm::DbErr::RecordNotFound("document sequence".into()))
}

/// `n` consecutive numbers for `prefix` on `biz_date` in one counter update (a day's parcels allocated at once),
/// with the same guarantees as [`next`]. The step is bound as a 64-bit integer always: the driver caches the
/// statement by its text, and PostgreSQL refuses a 4-byte value for the 8-byte parameter it was first prepared with.
pub async fn next_block(
    conn: &impl ConnectionTrait,
    prefix: &str,
    biz_date: chrono::NaiveDate,
    n: usize,
) -> Result<Vec<String>, sea_orm::DbErr> {
    if n == 0 {
        return Ok(Vec::new());
    }
    let day = biz_date.format("%Y%m%d").to_string();
    doc_sequences::Entity::insert(doc_sequences::ActiveModel {
        prefix: Set(prefix.to_string()),
        day: Set(day.clone()),
        last_value: Set(0),
        ..Default::default()
    })
    .on_conflict_do_nothing_on([C::Prefix, C::Day])
    .exec(conn)
    .await?;
    doc_sequences::Entity::update_many()
        .col_expr(C::LastValue, Expr::col(C::LastValue).add(n as i64))
        .filter(C::Prefix.eq(prefix))
        .filter(C::Day.eq(&day))
        .exec(conn)
        .await?;
    let last = doc_sequences::Entity::find()
        .filter(C::Prefix.eq(prefix))
        .filter(C::Day.eq(&day))
        .one(conn)
        .await?
        .map(|r| r.last_value)
        .ok_or_else(|| sea_orm::DbErr::RecordNotFound("document sequence".into()))?;
    let first = last - n as i64 + 1;
    Ok((first..=last)
        .map(|v| format!("{prefix}-{day}-{v:04}"))
        .collect())
}
