//! Server-side list queries: search, filters, sort and pagination, shared by every list screen and export.

use sea_orm::sea_query::{Expr, ExprTrait, Func, LikeExpr};
use sea_orm::{
    ColumnTrait, Condition, ConnectionTrait, EntityTrait, Iterable, PaginatorTrait,
    PrimaryKeyToColumn, QueryOrder, Select,
};
use serde::{Deserialize, Serialize};
use ts_rs::TS;

pub const DEFAULT_PAGE_SIZE: u64 = 50;
pub const MAX_PAGE_SIZE: u64 = 500;

/// One list request. Filters that do not apply to a list are ignored by it.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(default)]
pub struct ListQuery {
    /// Free text, matched case-insensitively anywhere in the list's searchable columns.
    pub search: Option<String>,
    /// `active` (default view), `archived`, or null for both.
    pub status: Option<String>,
    pub category: Option<String>,
    pub brand: Option<String>,
    /// Customers: a tag such as `VIP`.
    pub tag: Option<String>,
    /// Suppliers: `candidate`, `approved` or `suspended`.
    pub qualification: Option<String>,
    /// Locations: the warehouse.
    #[ts(type = "number | null")]
    pub warehouse_id: Option<i64>,
    /// A column name of the list; unknown names fall back to the default order.
    pub sort: Option<String>,
    pub desc: bool,
    /// 1-based.
    #[ts(type = "number")]
    pub page: u64,
    #[ts(type = "number")]
    pub page_size: u64,
}

impl ListQuery {
    pub fn page(&self) -> u64 {
        Ord::max(self.page, 1)
    }

    pub fn page_size(&self) -> u64 {
        if self.page_size == 0 {
            DEFAULT_PAGE_SIZE
        } else {
            Ord::min(self.page_size, MAX_PAGE_SIZE)
        }
    }

    pub fn search_text(&self) -> Option<&str> {
        self.search
            .as_deref()
            .map(str::trim)
            .filter(|s| !s.is_empty())
    }
}

/// One page of a list, with the total for the pager.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct Page<T> {
    pub items: Vec<T>,
    #[ts(type = "number")]
    pub total: u64,
    #[ts(type = "number")]
    pub page: u64,
    #[ts(type = "number")]
    pub page_size: u64,
}

/// `%text%` with LIKE's own wildcards escaped, lower-cased (matched against `LOWER(col)`).
pub fn contains_pattern(text: &str) -> LikeExpr {
    let escaped = text
        .to_lowercase()
        .replace('\\', "\\\\")
        .replace('%', "\\%")
        .replace('_', "\\_");
    LikeExpr::new(format!("%{escaped}%")).escape('\\')
}

/// Any of `cols` contains `text`, case-insensitively, on SQLite and PostgreSQL alike.
pub fn search_any<C: ColumnTrait>(cols: &[C], text: &str) -> Condition {
    let mut cond = Condition::any();
    for c in cols {
        cond = cond.add(Expr::expr(Func::lower(Expr::col(*c))).like(contains_pattern(text)));
    }
    cond
}

/// Applies the sort (whitelisted by the caller, ties broken by primary key) and fetches one page plus the total.
pub async fn fetch_page<E, C>(
    db: &C,
    select: Select<E>,
    q: &ListQuery,
    sortable: &[(&str, E::Column)],
    default_sort: E::Column,
) -> Result<(Vec<E::Model>, u64), sea_orm::DbErr>
where
    E: EntityTrait,
    E::Model: Sync,
    C: ConnectionTrait,
{
    let select = apply_sort(select, q, sortable, default_sort);
    let paginator = select.paginate(db, q.page_size());
    let total = paginator.num_items().await?;
    let items = paginator.fetch_page(q.page() - 1).await?;
    Ok((items, total))
}

pub fn apply_sort<E: EntityTrait>(
    select: Select<E>,
    q: &ListQuery,
    sortable: &[(&str, E::Column)],
    default_sort: E::Column,
) -> Select<E> {
    let col = q
        .sort
        .as_deref()
        .and_then(|s| {
            sortable
                .iter()
                .find(|(name, _)| *name == s)
                .map(|(_, c)| *c)
        })
        .unwrap_or(default_sort);
    let select = if q.desc {
        select.order_by_desc(col)
    } else {
        select.order_by_asc(col)
    };
    // Then by primary key: with a non-unique sort column (category, price) OFFSET paging would otherwise be free
    // to repeat or skip rows between pages.
    E::PrimaryKey::iter().fold(select, |s, key| s.order_by_asc(key.into_column()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn page_bounds() {
        let q = ListQuery {
            page: 0,
            page_size: 10_000,
            ..Default::default()
        };
        assert_eq!(q.page(), 1);
        assert_eq!(q.page_size(), MAX_PAGE_SIZE);
        assert_eq!(ListQuery::default().page_size(), DEFAULT_PAGE_SIZE);
        assert_eq!(
            ListQuery {
                search: Some("  ".into()),
                ..Default::default()
            }
            .search_text(),
            None
        );
    }
}
