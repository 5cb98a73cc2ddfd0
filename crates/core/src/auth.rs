//! Users, roles and permissions.
//!
//! **Architecture Invariant:** permissions are checked here, in the core, by every operation that takes an
//! [`Actor`]; the UI hiding a button is a convenience, not the protection. The role matrix is [`Role::allows`].

use crate::entities::users;
use crate::error::{ApiError, FieldError, FieldErrors};
use crate::{Shopdesk, audit};
use argon2::password_hash::{
    PasswordHash, PasswordHasher, PasswordVerifier, SaltString, rand_core::OsRng,
};
use chrono::{DateTime, Utc};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, EntityTrait, PaginatorTrait, QueryFilter, QueryOrder, Set,
};
use serde::{Deserialize, Serialize};
use ts_rs::TS;

/// The roles of PRODUCT.md.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
pub enum Role {
    Admin,
    Purchasing,
    Warehouse,
    Operations,
    CustomerService,
    Finance,
    Manager,
}

impl Role {
    pub const ALL: [Role; 7] = [
        Role::Admin,
        Role::Purchasing,
        Role::Warehouse,
        Role::Operations,
        Role::CustomerService,
        Role::Finance,
        Role::Manager,
    ];

    pub fn as_str(&self) -> &'static str {
        match self {
            Role::Admin => "admin",
            Role::Purchasing => "purchasing",
            Role::Warehouse => "warehouse",
            Role::Operations => "operations",
            Role::CustomerService => "customer_service",
            Role::Finance => "finance",
            Role::Manager => "manager",
        }
    }

    pub fn parse(s: &str) -> Option<Role> {
        Role::ALL.into_iter().find(|r| r.as_str() == s)
    }

    /// The role matrix. Every permission a role does not list is refused.
    pub fn allows(&self, p: Permission) -> bool {
        use Permission::*;
        match self {
            Role::Admin => true,
            Role::Manager => !matches!(p, ManageUsers | EditSettings | Backup | LoadDemo),
            Role::Purchasing => matches!(
                p,
                ViewMasterData
                    | ExportData
                    | EditProducts
                    | EditSuppliers
                    | EditPurchaseOrders
                    | ApprovePurchaseOrders
                    | ViewPayables
            ),
            Role::Warehouse => {
                matches!(
                    p,
                    ViewMasterData
                        | ExportData
                        | EditWarehouses
                        | PostStock
                        | ReserveStock
                        | ViewOrders
                )
            }
            Role::Operations => {
                matches!(
                    p,
                    ViewMasterData
                        | ExportData
                        | EditProducts
                        | EditCustomers
                        | ReserveStock
                        | ViewOrders
                        | EditOrders
                )
            }
            Role::CustomerService => matches!(
                p,
                ViewMasterData | ExportData | EditCustomers | ViewOrders | EditOrders
            ),
            Role::Finance => matches!(
                p,
                ViewMasterData
                    | ExportData
                    | ViewAudit
                    | ViewPayables
                    | EditPayables
                    | CloseStockPeriods
                    | ViewOrders
            ),
        }
    }
}

/// What an operation needs. Later modules add their own.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
pub enum Permission {
    ViewMasterData,
    ExportData,
    EditProducts,
    EditSuppliers,
    EditWarehouses,
    EditCustomers,
    ViewAudit,
    ManageUsers,
    EditSettings,
    Backup,
    LoadDemo,
    /// Post stock movements: receipts, adjustments, moves (warehouse staff).
    PostStock,
    /// Reserve and release stock for orders.
    ReserveStock,
    /// Draft, submit, send, cancel and chase purchase orders (采购).
    EditPurchaseOrders,
    /// Approve purchase orders up to the role's amount limit (purchasing: small orders; manager: any).
    ApprovePurchaseOrders,
    /// See supplier invoices, payments, balances and ageing (应付).
    ViewPayables,
    /// Record supplier invoices and payments (finance).
    EditPayables,
    /// Accept an invoice that failed the three-way match (a price or quantity variance).
    ApproveInvoiceVariances,
    /// Approve a stock count's variances, which posts them as adjustments (盘点审核).
    ApproveStockCounts,
    /// Close stock periods (月结): nothing can be posted on or before the closed date any more.
    CloseStockPeriods,
    /// See sales orders, their timelines and the sales report (订单).
    ViewOrders,
    /// Import channel order exports and map platform SKU codes to ours (运营, 客服).
    EditOrders,
}

impl Permission {
    pub const ALL: [Permission; 22] = [
        Permission::ViewMasterData,
        Permission::ExportData,
        Permission::EditProducts,
        Permission::EditSuppliers,
        Permission::EditWarehouses,
        Permission::EditCustomers,
        Permission::ViewAudit,
        Permission::ManageUsers,
        Permission::EditSettings,
        Permission::Backup,
        Permission::LoadDemo,
        Permission::PostStock,
        Permission::ReserveStock,
        Permission::EditPurchaseOrders,
        Permission::ApprovePurchaseOrders,
        Permission::ViewPayables,
        Permission::EditPayables,
        Permission::ApproveInvoiceVariances,
        Permission::ApproveStockCounts,
        Permission::CloseStockPeriods,
        Permission::ViewOrders,
        Permission::EditOrders,
    ];

    pub fn as_str(&self) -> &'static str {
        match self {
            Permission::ViewMasterData => "view_master_data",
            Permission::ExportData => "export_data",
            Permission::EditProducts => "edit_products",
            Permission::EditSuppliers => "edit_suppliers",
            Permission::EditWarehouses => "edit_warehouses",
            Permission::EditCustomers => "edit_customers",
            Permission::ViewAudit => "view_audit",
            Permission::ManageUsers => "manage_users",
            Permission::EditSettings => "edit_settings",
            Permission::Backup => "backup",
            Permission::LoadDemo => "load_demo",
            Permission::PostStock => "post_stock",
            Permission::ReserveStock => "reserve_stock",
            Permission::EditPurchaseOrders => "edit_purchase_orders",
            Permission::ApprovePurchaseOrders => "approve_purchase_orders",
            Permission::ViewPayables => "view_payables",
            Permission::EditPayables => "edit_payables",
            Permission::ApproveInvoiceVariances => "approve_invoice_variances",
            Permission::ApproveStockCounts => "approve_stock_counts",
            Permission::CloseStockPeriods => "close_stock_periods",
            Permission::ViewOrders => "view_orders",
            Permission::EditOrders => "edit_orders",
        }
    }
}

/// Who is acting: every core operation that reads or changes business data takes one.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct Actor {
    #[ts(type = "number")]
    pub user_id: i64,
    pub username: String,
    pub display_name: String,
    pub role: Role,
    pub language: String,
    /// The permissions of the role, so the UI can hide what would be refused anyway.
    pub permissions: Vec<Permission>,
}

impl Actor {
    pub fn require(&self, p: Permission) -> Result<(), AuthError> {
        if self.role.allows(p) {
            Ok(())
        } else {
            Err(AuthError::Forbidden {
                permission: p,
                role: self.role,
            })
        }
    }

    fn from_model(m: &users::Model) -> Result<Self, AuthError> {
        let role = Role::parse(&m.role).ok_or_else(|| AuthError::UnknownRole(m.role.clone()))?;
        Ok(Self {
            user_id: m.id,
            username: m.username.clone(),
            display_name: m.display_name.clone(),
            role,
            language: m.language.clone(),
            permissions: Permission::ALL
                .into_iter()
                .filter(|p| role.allows(*p))
                .collect(),
        })
    }
}

#[derive(Debug, thiserror::Error)]
pub enum AuthError {
    #[error("wrong user name or password")]
    InvalidCredentials,
    #[error("the account is disabled")]
    Inactive,
    #[error("the role `{}` may not `{}`", .role.as_str(), .permission.as_str())]
    Forbidden { permission: Permission, role: Role },
    #[error("please log in first")]
    NotLoggedIn,
    #[error("an administrator already exists")]
    AlreadySetUp,
    #[error("no user named `{0}`")]
    NoSuchUser(String),
    #[error("no administrator exists yet: run `shopdesk init` and create one")]
    NoAdmin,
    #[error("unknown role `{0}`")]
    UnknownRole(String),
    #[error("invalid input: {0}")]
    Validation(FieldErrors),
    #[error("the user name `{0}` is taken")]
    UsernameTaken(String),
    #[error("password hashing failed: {0}")]
    Hash(String),
    #[error(transparent)]
    Db(#[from] sea_orm::DbErr),
}

impl From<AuthError> for ApiError {
    fn from(e: AuthError) -> Self {
        match e {
            AuthError::Validation(errs) => errs.into(),
            AuthError::Forbidden { permission, role } => {
                ApiError::new("auth.forbidden", e.to_string())
                    .with_param("permission", permission.as_str())
                    .with_param("role", role.as_str())
            }
            AuthError::UsernameTaken(ref name) => {
                let n = name.clone();
                ApiError::new("auth.username_taken", e.to_string())
                    .with_field("username")
                    .with_param("username", n)
            }
            AuthError::NoSuchUser(ref name) => {
                let n = name.clone();
                ApiError::new("auth.no_such_user", e.to_string()).with_param("username", n)
            }
            AuthError::InvalidCredentials => {
                ApiError::new("auth.invalid_credentials", e.to_string())
            }
            AuthError::Inactive => ApiError::new("auth.inactive", e.to_string()),
            AuthError::NotLoggedIn => ApiError::new("auth.not_logged_in", e.to_string()),
            AuthError::AlreadySetUp => ApiError::new("auth.already_set_up", e.to_string()),
            AuthError::NoAdmin => ApiError::new("auth.no_admin", e.to_string()),
            AuthError::UnknownRole(_) => ApiError::new("auth.unknown_role", e.to_string()),
            AuthError::Hash(_) => ApiError::internal(e),
            AuthError::Db(d) => d.into(),
        }
    }
}

/// A user as listed on the users screen (never the hash).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct User {
    #[ts(type = "number")]
    pub id: i64,
    pub username: String,
    pub display_name: String,
    pub role: Role,
    pub active: bool,
    pub language: String,
    pub created_at: DateTime<Utc>,
    pub last_login_at: Option<DateTime<Utc>>,
}

impl User {
    pub fn role_str(&self) -> &'static str {
        self.role.as_str()
    }

    fn from_model(m: users::Model) -> Self {
        Self {
            id: m.id,
            role: Role::parse(&m.role).unwrap_or(Role::Operations),
            username: m.username,
            display_name: m.display_name,
            active: m.active,
            language: m.language,
            created_at: m.created_at,
            last_login_at: m.last_login_at,
        }
    }
}

#[derive(Debug, Clone, Serialize, Deserialize, TS)]
pub struct NewUser {
    pub username: String,
    pub display_name: String,
    pub password: String,
    pub role: Role,
    /// `zh-CN` or `en`.
    pub language: String,
}

#[derive(Debug, Clone, Serialize, Deserialize, TS)]
pub struct UserUpdate {
    pub display_name: String,
    pub role: Role,
    pub active: bool,
    pub language: String,
    /// A new password, or null to keep the current one.
    pub password: Option<String>,
}

pub const MIN_PASSWORD_LEN: usize = 8;

fn validate_new_user(u: &NewUser) -> Result<(), AuthError> {
    let mut errs = FieldErrors::default();
    let name = u.username.trim();
    if name.is_empty() {
        errs.push(FieldError::new("username", "required"));
    } else if name.chars().count() > 64 {
        errs.push(FieldError::new("username", "too_long").with("max", 64));
    } else if name.chars().any(char::is_whitespace) {
        errs.push(FieldError::new("username", "no_spaces"));
    }
    if u.display_name.trim().chars().count() > 128 {
        errs.push(FieldError::new("display_name", "too_long").with("max", 128));
    }
    validate_password(&u.password, &mut errs);
    validate_language(&u.language, &mut errs);
    errs.into_result().map_err(AuthError::Validation)
}

fn validate_password(p: &str, errs: &mut FieldErrors) {
    if p.chars().count() < MIN_PASSWORD_LEN {
        errs.push(FieldError::new("password", "too_short").with("min", MIN_PASSWORD_LEN));
    }
}

fn validate_language(l: &str, errs: &mut FieldErrors) {
    if !matches!(l, "zh-CN" | "en") {
        errs.push(FieldError::new("language", "invalid"));
    }
}

pub fn hash_password(password: &str) -> Result<String, AuthError> {
    let salt = SaltString::generate(&mut OsRng);
    argon2::Argon2::default()
        .hash_password(password.as_bytes(), &salt)
        .map(|h| h.to_string())
        .map_err(|e| AuthError::Hash(e.to_string()))
}

fn verify_password(password: &str, hash: &str) -> bool {
    PasswordHash::new(hash)
        .map(|h| {
            argon2::Argon2::default()
                .verify_password(password.as_bytes(), &h)
                .is_ok()
        })
        .unwrap_or(false)
}

/// True on first start, before an administrator exists.
pub async fn needs_setup(desk: &Shopdesk) -> Result<bool, AuthError> {
    Ok(users::Entity::find().count(desk.db()).await? == 0)
}

/// Creates the first administrator; refused once any user exists.
pub async fn setup_admin(desk: &Shopdesk, input: NewUser) -> Result<Actor, AuthError> {
    let input = NewUser {
        role: Role::Admin,
        ..input
    };
    validate_new_user(&input)?;
    let hash = hash_password(&input.password)?;
    let txn = desk.write_txn().await?;
    if users::Entity::find().count(&txn).await? > 0 {
        return Err(AuthError::AlreadySetUp);
    }
    let model = insert_user(&txn, &input, hash, desk.now()).await?;
    let actor = Actor::from_model(&model)?;
    audit::record(
        desk,
        &txn,
        &actor,
        audit::Action::Create,
        "user",
        Some(model.id),
        &model.username,
        None::<&()>,
        Some(&User::from_model(model.clone())),
    )
    .await?;
    txn.commit().await?;
    Ok(actor)
}

async fn insert_user(
    conn: &impl sea_orm::ConnectionTrait,
    input: &NewUser,
    hash: String,
    now: DateTime<Utc>,
) -> Result<users::Model, AuthError> {
    let username = input.username.trim().to_string();
    if users::Entity::find()
        .filter(users::Column::Username.eq(&username))
        .count(conn)
        .await?
        > 0
    {
        return Err(AuthError::UsernameTaken(username));
    }
    let display = if input.display_name.trim().is_empty() {
        username.clone()
    } else {
        input.display_name.trim().into()
    };
    let am = users::ActiveModel {
        username: Set(username),
        display_name: Set(display),
        password_hash: Set(hash),
        role: Set(input.role.as_str().to_string()),
        active: Set(true),
        language: Set(input.language.clone()),
        created_at: Set(now),
        last_login_at: Set(None),
        ..Default::default()
    };
    Ok(am.insert(conn).await?)
}

/// Checks a password and returns who logged in.
pub async fn login(desk: &Shopdesk, username: &str, password: &str) -> Result<Actor, AuthError> {
    let user = users::Entity::find()
        .filter(users::Column::Username.eq(username.trim()))
        .one(desk.db())
        .await?
        .ok_or(AuthError::InvalidCredentials)?;
    if !verify_password(password, &user.password_hash) {
        return Err(AuthError::InvalidCredentials);
    }
    if !user.active {
        return Err(AuthError::Inactive);
    }
    let actor = Actor::from_model(&user)?;
    let mut am: users::ActiveModel = user.into();
    am.last_login_at = Set(Some(desk.now()));
    am.update(desk.db()).await?;
    Ok(actor)
}

/// The actor for the CLI's `--user NAME`; without a name, the first administrator.
pub async fn actor_for_cli(desk: &Shopdesk, username: Option<&str>) -> Result<Actor, AuthError> {
    let user = match username {
        Some(name) => users::Entity::find()
            .filter(users::Column::Username.eq(name))
            .one(desk.db())
            .await?
            .ok_or_else(|| AuthError::NoSuchUser(name.to_string()))?,
        None => users::Entity::find()
            .filter(users::Column::Role.eq(Role::Admin.as_str()))
            .filter(users::Column::Active.eq(true))
            .order_by_asc(users::Column::Id)
            .one(desk.db())
            .await?
            .ok_or(AuthError::NoAdmin)?,
    };
    if !user.active {
        return Err(AuthError::Inactive);
    }
    Actor::from_model(&user)
}

pub async fn list_users(desk: &Shopdesk, actor: &Actor) -> Result<Vec<User>, AuthError> {
    actor.require(Permission::ManageUsers)?;
    let rows = users::Entity::find()
        .order_by_asc(users::Column::Id)
        .all(desk.db())
        .await?;
    Ok(rows.into_iter().map(User::from_model).collect())
}

pub async fn create_user(
    desk: &Shopdesk,
    actor: &Actor,
    input: NewUser,
) -> Result<User, AuthError> {
    actor.require(Permission::ManageUsers)?;
    validate_new_user(&input)?;
    let hash = hash_password(&input.password)?;
    let txn = desk.write_txn().await?;
    let model = insert_user(&txn, &input, hash, desk.now()).await?;
    let user = User::from_model(model);
    audit::record(
        desk,
        &txn,
        actor,
        audit::Action::Create,
        "user",
        Some(user.id),
        &user.username,
        None::<&()>,
        Some(&user),
    )
    .await?;
    txn.commit().await?;
    Ok(user)
}

pub async fn update_user(
    desk: &Shopdesk,
    actor: &Actor,
    id: i64,
    input: UserUpdate,
) -> Result<User, AuthError> {
    actor.require(Permission::ManageUsers)?;
    let mut errs = FieldErrors::default();
    if let Some(p) = &input.password {
        validate_password(p, &mut errs);
    }
    validate_language(&input.language, &mut errs);
    errs.into_result().map_err(AuthError::Validation)?;
    let hash = input.password.as_deref().map(hash_password).transpose()?;
    let txn = desk.write_txn().await?;
    let before = users::Entity::find_by_id(id)
        .one(&txn)
        .await?
        .ok_or_else(|| AuthError::NoSuchUser(id.to_string()))?;
    // An office must never lock itself out: the last active administrator stays an active administrator.
    if before.role == Role::Admin.as_str() && (input.role != Role::Admin || !input.active) {
        let admins = users::Entity::find()
            .filter(users::Column::Role.eq(Role::Admin.as_str()))
            .filter(users::Column::Active.eq(true))
            .count(&txn)
            .await?;
        if admins <= 1 {
            let mut errs = FieldErrors::default();
            errs.push(FieldError::new("role", "last_admin"));
            return Err(AuthError::Validation(errs));
        }
    }
    let before_user = User::from_model(before.clone());
    let mut am: users::ActiveModel = before.into();
    am.display_name = Set(input.display_name.trim().to_string());
    am.role = Set(input.role.as_str().to_string());
    am.active = Set(input.active);
    am.language = Set(input.language.clone());
    if let Some(h) = hash {
        am.password_hash = Set(h);
    }
    let after = User::from_model(am.update(&txn).await?);
    audit::record(
        desk,
        &txn,
        actor,
        audit::Action::Update,
        "user",
        Some(id),
        &after.username,
        Some(&before_user),
        Some(&after),
    )
    .await?;
    txn.commit().await?;
    Ok(after)
}

/// Each user may change their own interface language.
pub async fn set_own_language(
    desk: &Shopdesk,
    actor: &Actor,
    language: &str,
) -> Result<(), AuthError> {
    let mut errs = FieldErrors::default();
    validate_language(language, &mut errs);
    errs.into_result().map_err(AuthError::Validation)?;
    let user = users::Entity::find_by_id(actor.user_id)
        .one(desk.db())
        .await?
        .ok_or_else(|| AuthError::NoSuchUser(actor.username.clone()))?;
    let mut am: users::ActiveModel = user.into();
    am.language = Set(language.to_string());
    am.update(desk.db()).await?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn role_matrix_is_least_privilege() {
        assert!(Role::Admin.allows(Permission::ManageUsers));
        assert!(!Role::Manager.allows(Permission::ManageUsers));
        assert!(Role::Manager.allows(Permission::ViewAudit));
        assert!(!Role::Warehouse.allows(Permission::EditProducts));
        assert!(Role::Warehouse.allows(Permission::EditWarehouses));
        assert!(!Role::CustomerService.allows(Permission::EditSuppliers));
        for r in Role::ALL {
            assert!(
                r.allows(Permission::ViewMasterData),
                "{r:?} must see master data"
            );
            assert_eq!(Role::parse(r.as_str()), Some(r));
        }
    }

    #[test]
    fn password_hash_round_trip() {
        let h = hash_password("correct horse").unwrap();
        assert!(h.starts_with("$argon2id$"));
        assert!(verify_password("correct horse", &h));
        assert!(!verify_password("wrong horse", &h));
    }
}
