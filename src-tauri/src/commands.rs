//! The Tauri commands. Each one: parse input → call the core → map the result. The table at the bottom is the
//! single list of commands: it feeds `generate_handler!` and the generated TypeScript command map.

use crate::dto::*;
use crate::state::{AppConfig, AppState, system_language};
use shopdesk_core::audit::{AuditEntry, AuditQuery};
use shopdesk_core::auth::{self, Actor, NewUser, User};
use shopdesk_core::backup::{self, BackupInfo};
use shopdesk_core::dashboard::{self, Dashboard};
use shopdesk_core::demo::{self, DemoSummary};
use shopdesk_core::export::{self, ExportResult};
use shopdesk_core::imports::{self, Control, StagedFile};
use shopdesk_core::inventory::CheckReport;
use shopdesk_core::inventory::analysis::{self, ReportQuery};
use shopdesk_core::inventory::counts::{self, CountInput, StockCount};
use shopdesk_core::inventory::periods::{self, PeriodStatus};
use shopdesk_core::inventory::reports::{
    self as stock_reports, MovementRow, StockAlert, StockPage,
};
use shopdesk_core::inventory::warehouse::{
    self as wh_work, LocationSuggestion, MoveInput, MoveResult, Transfer, TransferInput,
};
use shopdesk_core::listing::{ListQuery, Page};
use shopdesk_core::masterdata::customers::{self, Customer, CustomerInput};
use shopdesk_core::masterdata::products::{self, Product, ProductFacets, ProductInput};
use shopdesk_core::masterdata::suppliers::{self, Supplier, SupplierInput};
use shopdesk_core::masterdata::warehouses::{
    self, Location, LocationInput, Warehouse, WarehouseInput,
};
use shopdesk_core::procurement::orders::RejectedGoods;
use shopdesk_core::procurement::orders::{
    self, ChaseLine, PoInput, PurchaseOrder, Receipt, ReceiptInput,
};
use shopdesk_core::procurement::payables::{
    self, AgeingReport, BillableLine, Invoice, InvoiceInput, PayablesCheck, Payment, PaymentInput,
    Statement,
};
use shopdesk_core::procurement::planning::{self, PlanOptions, SupplierPlan};
use shopdesk_core::procurement::price_sheets::{self, PriceImportSummary};
use shopdesk_core::procurement::prices::{self, PriceComparison, PricePoint, SupplierItem};
use shopdesk_core::procurement::returns::{self, SupplierReturn, SupplierReturnInput};
use shopdesk_core::procurement::scorecard::{self, Scorecard};
use shopdesk_core::report::{self, Report};
use shopdesk_core::sales::allocate::{self, AllocateOptions, AllocationSummary};
use shopdesk_core::sales::import::{self as sales_import, OrderImportSummary};
use shopdesk_core::sales::manual::{self, ManualOrderInput, SkuAvailability};
use shopdesk_core::sales::outbound::{
    self, CheckState, ExceptionScan, Parcel, ParcelFilter, ShipNotice, TrackingImportSummary, Wave,
};
use shopdesk_core::sales::promotions::{self, PricedOrder, Promotion, PromotionInput, QuoteInput};
use shopdesk_core::sales::review::{self, ReviewScope, ReviewSettings, ReviewSummary, Rule};
use shopdesk_core::sales::skus::{self, SkuMapping, UnmappedSku};
use shopdesk_core::sales::summary::{self as sales_summary, SalesQuery};
use shopdesk_core::sales::{self, OrderEvent, SalesOrder};
use shopdesk_core::settings::{self, CompanySettings, ProcurementSettings};
use shopdesk_core::{ApiError, DbConfig, audit};
use std::path::PathBuf;
use tauri::State;

type R<T> = Result<T, ApiError>;
type St<'a> = State<'a, AppState>;

// ---- session ----

#[tauri::command]
async fn app_status(state: St<'_>) -> R<AppStatus> {
    let startup_error = state.startup_error.lock().await.clone();
    let user = state.session.lock().await.clone();
    let desk = state.desk.read().await;
    let (needs_setup, db_url, db_kind, company) = match desk.as_ref() {
        Some(d) => (
            auth::needs_setup(d).await?,
            d.config().display_url(),
            match d.config() {
                DbConfig::Sqlite { .. } => "sqlite",
                DbConfig::Postgres { .. } => "postgres",
            },
            Some(d.company()),
        ),
        None => {
            // Show the user which database could not be opened.
            let configured = state.config.lock().await.database_url.clone();
            let url = std::env::var("SHOPDESK_DATABASE_URL")
                .ok()
                .filter(|u| !u.trim().is_empty())
                .or(configured);
            let shown = match url {
                Some(u) => DbConfig::parse(&u).map(|c| c.display_url()).unwrap_or(u),
                None => DbConfig::default_sqlite().display_url(),
            };
            let kind = if shown.starts_with("postgres") {
                "postgres"
            } else {
                "sqlite"
            };
            (false, shown, kind, None)
        }
    };
    Ok(AppStatus {
        needs_setup,
        user,
        db_url,
        db_kind: db_kind.into(),
        data_dir: state.data_dir.display().to_string(),
        version: env!("CARGO_PKG_VERSION").into(),
        default_language: system_language(),
        company,
        startup_error,
    })
}

#[tauri::command]
async fn setup_admin(state: St<'_>, input: NewUser) -> R<Actor> {
    let desk = state.desk().await?;
    let actor = auth::setup_admin(&desk, input).await?;
    *state.session.lock().await = Some(actor.clone());
    Ok(actor)
}

#[tauri::command]
async fn login(state: St<'_>, input: LoginInput) -> R<Actor> {
    let desk = state.desk().await?;
    let actor = auth::login(&desk, &input.username, &input.password).await?;
    *state.session.lock().await = Some(actor.clone());
    Ok(actor)
}

#[tauri::command]
async fn logout(state: St<'_>) -> R<()> {
    *state.session.lock().await = None;
    Ok(())
}

#[tauri::command]
async fn set_language(state: St<'_>, input: LanguageInput) -> R<()> {
    let mut session = state.session.lock().await;
    if let Some(actor) = session.as_mut() {
        let desk = state.desk().await?;
        auth::set_own_language(&desk, actor, &input.language).await?;
        actor.language = input.language;
    }
    Ok(())
}

#[tauri::command]
async fn load_demo(state: St<'_>, input: DemoInput) -> R<DemoSummary> {
    let (desk, actor) = state.ctx().await?;
    Ok(demo::load(&desk, &actor, input.seed.unwrap_or(demo::DEFAULT_SEED)).await?)
}

#[tauri::command]
async fn dashboard(state: St<'_>) -> R<Dashboard> {
    let (desk, actor) = state.ctx().await?;
    dashboard::load(&desk, &actor).await
}

// ---- products ----

#[tauri::command]
async fn products_list(state: St<'_>, input: ListQuery) -> R<Page<Product>> {
    let (desk, actor) = state.ctx().await?;
    Ok(products::list(&desk, &actor, &input).await?)
}

#[tauri::command]
async fn product_get(state: St<'_>, input: IdInput) -> R<Product> {
    let (desk, actor) = state.ctx().await?;
    Ok(products::get(&desk, &actor, input.id).await?)
}

#[tauri::command]
async fn product_create(state: St<'_>, input: ProductInput) -> R<Product> {
    let (desk, actor) = state.ctx().await?;
    Ok(products::create(&desk, &actor, &input).await?)
}

#[tauri::command]
async fn product_update(state: St<'_>, input: ProductUpdate) -> R<Product> {
    let (desk, actor) = state.ctx().await?;
    Ok(products::update(&desk, &actor, input.id, &input.data).await?)
}

#[tauri::command]
async fn product_set_archived(state: St<'_>, input: ArchiveInput) -> R<Product> {
    let (desk, actor) = state.ctx().await?;
    Ok(products::set_archived(&desk, &actor, input.id, input.archived).await?)
}

#[tauri::command]
async fn product_facets(state: St<'_>) -> R<ProductFacets> {
    let (desk, actor) = state.ctx().await?;
    Ok(products::facets(&desk, &actor).await?)
}

// ---- suppliers ----

#[tauri::command]
async fn suppliers_list(state: St<'_>, input: ListQuery) -> R<Page<Supplier>> {
    let (desk, actor) = state.ctx().await?;
    Ok(suppliers::list(&desk, &actor, &input).await?)
}

#[tauri::command]
async fn supplier_get(state: St<'_>, input: IdInput) -> R<Supplier> {
    let (desk, actor) = state.ctx().await?;
    Ok(suppliers::get(&desk, &actor, input.id).await?)
}

#[tauri::command]
async fn supplier_create(state: St<'_>, input: SupplierInput) -> R<Supplier> {
    let (desk, actor) = state.ctx().await?;
    Ok(suppliers::create(&desk, &actor, &input).await?)
}

#[tauri::command]
async fn supplier_update(state: St<'_>, input: SupplierUpdate) -> R<Supplier> {
    let (desk, actor) = state.ctx().await?;
    Ok(suppliers::update(&desk, &actor, input.id, &input.data).await?)
}

#[tauri::command]
async fn supplier_set_archived(state: St<'_>, input: ArchiveInput) -> R<Supplier> {
    let (desk, actor) = state.ctx().await?;
    Ok(suppliers::set_archived(&desk, &actor, input.id, input.archived).await?)
}

// ---- warehouses and locations ----

#[tauri::command]
async fn warehouses_list(state: St<'_>, input: ListQuery) -> R<Page<Warehouse>> {
    let (desk, actor) = state.ctx().await?;
    Ok(warehouses::list(&desk, &actor, &input).await?)
}

#[tauri::command]
async fn warehouse_create(state: St<'_>, input: WarehouseInput) -> R<Warehouse> {
    let (desk, actor) = state.ctx().await?;
    Ok(warehouses::create(&desk, &actor, &input).await?)
}

#[tauri::command]
async fn warehouse_update(state: St<'_>, input: WarehouseUpdate) -> R<Warehouse> {
    let (desk, actor) = state.ctx().await?;
    Ok(warehouses::update(&desk, &actor, input.id, &input.data).await?)
}

#[tauri::command]
async fn warehouse_set_archived(state: St<'_>, input: ArchiveInput) -> R<Warehouse> {
    let (desk, actor) = state.ctx().await?;
    Ok(warehouses::set_archived(&desk, &actor, input.id, input.archived).await?)
}

#[tauri::command]
async fn locations_list(state: St<'_>, input: ListQuery) -> R<Page<Location>> {
    let (desk, actor) = state.ctx().await?;
    Ok(warehouses::list_locations(&desk, &actor, &input).await?)
}

#[tauri::command]
async fn location_create(state: St<'_>, input: LocationInput) -> R<Location> {
    let (desk, actor) = state.ctx().await?;
    Ok(warehouses::create_location(&desk, &actor, &input).await?)
}

#[tauri::command]
async fn location_update(state: St<'_>, input: LocationUpdate) -> R<Location> {
    let (desk, actor) = state.ctx().await?;
    Ok(warehouses::update_location(&desk, &actor, input.id, &input.data).await?)
}

#[tauri::command]
async fn location_set_archived(state: St<'_>, input: ArchiveInput) -> R<Location> {
    let (desk, actor) = state.ctx().await?;
    Ok(warehouses::set_location_archived(&desk, &actor, input.id, input.archived).await?)
}

// ---- customers ----

#[tauri::command]
async fn customers_list(state: St<'_>, input: ListQuery) -> R<Page<Customer>> {
    let (desk, actor) = state.ctx().await?;
    Ok(customers::list(&desk, &actor, &input).await?)
}

#[tauri::command]
async fn customer_create(state: St<'_>, input: CustomerInput) -> R<Customer> {
    let (desk, actor) = state.ctx().await?;
    Ok(customers::create(&desk, &actor, &input).await?)
}

#[tauri::command]
async fn customer_update(state: St<'_>, input: CustomerUpdate) -> R<Customer> {
    let (desk, actor) = state.ctx().await?;
    Ok(customers::update(&desk, &actor, input.id, &input.data).await?)
}

#[tauri::command]
async fn customer_set_archived(state: St<'_>, input: ArchiveInput) -> R<Customer> {
    let (desk, actor) = state.ctx().await?;
    Ok(customers::set_archived(&desk, &actor, input.id, input.archived).await?)
}

// ---- export, audit, users, settings, database, backups ----

/// Exports go to the user's Downloads folder (`SHOPDESK_EXPORT_DIR` overrides it).
fn export_dir(state: &AppState) -> PathBuf {
    if let Ok(d) = std::env::var("SHOPDESK_EXPORT_DIR")
        && !d.trim().is_empty()
    {
        return PathBuf::from(d);
    }
    directories::UserDirs::new()
        .and_then(|u| u.download_dir().map(PathBuf::from))
        .unwrap_or_else(|| state.data_dir.join("exports"))
}

#[tauri::command]
async fn export_list(state: St<'_>, input: ExportInput) -> R<ExportResult> {
    let (desk, actor) = state.ctx().await?;
    let dir = export_dir(&state);
    Ok(export::export_list_to_dir(
        &desk,
        &actor,
        input.list,
        &input.query,
        &input.language,
        &dir,
    )
    .await?)
}

#[tauri::command]
async fn audit_list(state: St<'_>, input: AuditQuery) -> R<Page<AuditEntry>> {
    let (desk, actor) = state.ctx().await?;
    Ok(audit::list(&desk, &actor, input).await?)
}

#[tauri::command]
async fn users_list(state: St<'_>) -> R<Vec<User>> {
    let (desk, actor) = state.ctx().await?;
    Ok(auth::list_users(&desk, &actor).await?)
}

#[tauri::command]
async fn user_create(state: St<'_>, input: NewUser) -> R<User> {
    let (desk, actor) = state.ctx().await?;
    Ok(auth::create_user(&desk, &actor, input).await?)
}

#[tauri::command]
async fn user_update(state: St<'_>, input: UserUpdateInput) -> R<User> {
    let (desk, actor) = state.ctx().await?;
    Ok(auth::update_user(&desk, &actor, input.id, input.data).await?)
}

#[tauri::command]
async fn settings_get(state: St<'_>) -> R<CompanySettings> {
    let (desk, actor) = state.ctx().await?;
    Ok(settings::get(&desk, &actor).await?)
}

#[tauri::command]
async fn settings_update(state: St<'_>, input: CompanySettings) -> R<CompanySettings> {
    let (desk, actor) = state.ctx().await?;
    Ok(settings::update(&desk, &actor, input).await?)
}

#[tauri::command]
async fn procurement_settings_get(state: St<'_>) -> R<ProcurementSettings> {
    let (desk, actor) = state.ctx().await?;
    Ok(settings::get_procurement(&desk, &actor).await?)
}

#[tauri::command]
async fn procurement_settings_update(
    state: St<'_>,
    input: ProcurementSettings,
) -> R<ProcurementSettings> {
    let (desk, actor) = state.ctx().await?;
    Ok(settings::update_procurement(&desk, &actor, input).await?)
}

async fn database_info(state: &AppState) -> R<DatabaseInfo> {
    let configured = state.config.lock().await.database_url.clone();
    let desk = state.desk.read().await;
    let (url, kind) = match desk.as_ref().map(|d| d.config()) {
        Some(c @ DbConfig::Sqlite { .. }) => (c.display_url(), "sqlite"),
        Some(c @ DbConfig::Postgres { .. }) => (c.display_url(), "postgres"),
        None => (String::new(), "sqlite"),
    };
    Ok(DatabaseInfo {
        url,
        kind: kind.into(),
        configured_url: configured
            .map(|u| DbConfig::parse(&u).map(|c| c.display_url()).unwrap_or(u)),
        data_dir: state.data_dir.display().to_string(),
    })
}

#[tauri::command]
async fn database_get(state: St<'_>) -> R<DatabaseInfo> {
    let (_desk, actor) = state.ctx().await?;
    actor
        .require(auth::Permission::EditSettings)
        .map_err(ApiError::from)?;
    drop(_desk);
    database_info(&state).await
}

#[tauri::command]
async fn database_set(state: St<'_>, input: DatabaseInput) -> R<DatabaseInfo> {
    let (desk, actor) = state.ctx().await?;
    actor
        .require(auth::Permission::EditSettings)
        .map_err(ApiError::from)?;
    drop(desk);
    let url = input
        .url
        .map(|u| u.trim().to_string())
        .filter(|u| !u.is_empty());
    if let Some(u) = &url {
        // Only accept a URL that opens: a typo must not leave the office without a database at the next start.
        let c = DbConfig::parse(u)?;
        let conn = shopdesk_core::db::connect(&c).await?;
        conn.close().await.ok();
    }
    state.save_config(AppConfig { database_url: url }).await?;
    database_info(&state).await
}

#[tauri::command]
async fn backups_list(state: St<'_>) -> R<Vec<BackupInfo>> {
    let (desk, actor) = state.ctx().await?;
    Ok(backup::list(&desk, &actor).await?)
}

#[tauri::command]
async fn backup_now(state: St<'_>) -> R<BackupInfo> {
    let (desk, actor) = state.ctx().await?;
    Ok(backup::backup_now(&desk, &actor).await?)
}

#[tauri::command]
async fn backup_restore(state: St<'_>, input: RestoreInput) -> R<()> {
    let actor = state.ctx().await?.1;
    let mut slot = state.desk.write().await;
    let desk = slot
        .take()
        .ok_or_else(|| ApiError::new("db.connect", "the database is not open"))?;
    match backup::restore(desk, &actor, std::path::Path::new(&input.path)).await {
        Ok(restored) => {
            *slot = Some(restored);
            Ok(())
        }
        Err((back, e)) => {
            *slot = back;
            Err(e.into())
        }
    }
}

// ---- procurement: price-sheet import wizard, supplier items and prices ----

#[tauri::command]
async fn import_stage_file(state: St<'_>, input: StageFileInput) -> R<StagedFile> {
    let _ = state.ctx().await?;
    let bytes = decode_base64(&input.content_base64).ok_or_else(|| {
        ApiError::new("import.read", "the file could not be received")
            .with_param("reason", "base64")
    })?;
    Ok(imports::stage(
        &state.import_dir(),
        &input.file_name,
        bytes,
    )?)
}

fn staged(state: &AppState, token: &str) -> R<PathBuf> {
    imports::staged_path(&state.import_dir(), token).ok_or_else(|| {
        ApiError::new("import.read", "the picked file is gone: pick it again")
            .with_param("reason", "staged")
    })
}

#[tauri::command]
async fn price_sheet_preview(state: St<'_>, input: PriceSheetRequest) -> R<PriceImportSummary> {
    let (desk, actor) = state.ctx().await?;
    let path = staged(&state, &input.token)?;
    let mut options = input.options;
    options.dry_run = true;
    let a = price_sheets::import(
        &desk,
        &actor,
        &path,
        &input.supplier_code,
        &options,
        &Control::new(),
    )
    .await?;
    Ok(a.summary)
}

#[tauri::command]
async fn price_sheet_import(state: St<'_>, input: PriceSheetRequest) -> R<PriceImportSummary> {
    let (desk, actor) = state.ctx().await?;
    let path = staged(&state, &input.token)?;
    let control = begin_import(&state);
    let result = price_sheets::import(
        &desk,
        &actor,
        &path,
        &input.supplier_code,
        &input.options,
        &control,
    )
    .await;
    end_import(&state);
    Ok(result?.summary)
}

/// The control of the import that starts now, for `import_progress` and `import_cancel`.
fn begin_import(state: &AppState) -> Control {
    let control = Control::new();
    *state
        .import_control
        .lock()
        .unwrap_or_else(|e| e.into_inner()) = Some(control.clone());
    control
}

fn end_import(state: &AppState) {
    *state
        .import_control
        .lock()
        .unwrap_or_else(|e| e.into_inner()) = None;
}

/// A file name in the Downloads folder for the rejected rows of `file`.
fn rejects_path(
    state: &AppState,
    desk: &shopdesk_core::Shopdesk,
    lang: &str,
    file: &str,
) -> R<PathBuf> {
    let dir = export_dir(state);
    std::fs::create_dir_all(&dir).map_err(ApiError::internal)?;
    let stem = std::path::Path::new(file)
        .file_stem()
        .map(|s| s.to_string_lossy().to_string())
        .unwrap_or_else(|| "import".into());
    let suffix = if lang.starts_with("zh") {
        "错误行"
    } else {
        "rejected"
    };
    Ok(dir.join(format!(
        "{stem}-{suffix}-{}.xlsx",
        desk.now().format("%Y%m%d-%H%M%S")
    )))
}

// ---- orders ----

#[tauri::command]
async fn orders_list(state: St<'_>, input: ListQuery) -> R<Page<SalesOrder>> {
    let (desk, actor) = state.ctx().await?;
    Ok(sales::list(&desk, &actor, &input).await?)
}

#[tauri::command]
async fn order_timeline(state: St<'_>, input: IdInput) -> R<Vec<OrderEvent>> {
    let (desk, actor) = state.ctx().await?;
    Ok(sales::timeline(&desk, &actor, input.id).await?)
}

async fn order_import_run(
    state: &AppState,
    input: OrderImportRequest,
    dry_run: bool,
) -> R<OrderImportSummary> {
    let (desk, actor) = state.ctx().await?;
    let path = staged(state, &input.token)?;
    let mut options = input.options;
    options.dry_run = dry_run;
    let wb = imports::Workbook::open(&path, options.encoding)?;
    let control = if dry_run {
        Control::new()
    } else {
        begin_import(state)
    };
    let result = sales_import::import(&desk, &actor, &wb, &options, &control).await;
    if !dry_run {
        end_import(state);
    }
    Ok(result?)
}

#[tauri::command]
async fn order_import_preview(state: St<'_>, input: OrderImportRequest) -> R<OrderImportSummary> {
    order_import_run(&state, input, true).await
}

#[tauri::command]
async fn order_import(state: St<'_>, input: OrderImportRequest) -> R<OrderImportSummary> {
    order_import_run(&state, input, false).await
}

/// The rows of a staged order export that cannot be imported, as an .xlsx in the Downloads folder.
#[tauri::command]
async fn order_import_rejects(state: St<'_>, input: OrderImportRequest) -> R<ExportResult> {
    let (desk, actor) = state.ctx().await?;
    let path = staged(&state, &input.token)?;
    let wb = imports::Workbook::open(&path, input.options.encoding)?;
    let out = rejects_path(&state, &desk, &actor.language, &wb.file_name)?;
    let rows = sales_import::write_rejects(&desk, &actor, &wb, &input.options, &out).await?;
    Ok(ExportResult {
        path: out.display().to_string(),
        rows: rows as u64,
    })
}

#[tauri::command]
async fn unmapped_skus(state: St<'_>, input: ChannelQuery) -> R<Vec<UnmappedSku>> {
    let (desk, actor) = state.ctx().await?;
    Ok(skus::unmapped(&desk, &actor, input.channel.as_deref()).await?)
}

#[tauri::command]
async fn sku_map(state: St<'_>, input: SkuMapInput) -> R<SkuMapping> {
    let (desk, actor) = state.ctx().await?;
    Ok(skus::map_sku(
        &desk,
        &actor,
        &input.channel,
        &input.platform_sku,
        &input.sku,
    )
    .await?)
}

#[tauri::command]
async fn order_create_manual(state: St<'_>, input: ManualOrderInput) -> R<SalesOrder> {
    let (desk, actor) = state.ctx().await?;
    Ok(manual::create(&desk, &actor, &input).await?)
}

#[tauri::command]
async fn sku_availability(state: St<'_>, input: SkusInput) -> R<Vec<SkuAvailability>> {
    let (desk, actor) = state.ctx().await?;
    Ok(manual::availability(&desk, &actor, &input.skus).await?)
}

#[tauri::command]
async fn order_review(state: St<'_>, input: ReviewScope) -> R<ReviewSummary> {
    let (desk, actor) = state.ctx().await?;
    Ok(review::review(&desk, &actor, &input).await?)
}

#[tauri::command]
async fn orders_held(state: St<'_>) -> R<Vec<SalesOrder>> {
    let (desk, actor) = state.ctx().await?;
    Ok(review::held(&desk, &actor).await?)
}

#[tauri::command]
async fn order_decide(state: St<'_>, input: OrderDecideInput) -> R<String> {
    let (desk, actor) = state.ctx().await?;
    Ok(review::decide(&desk, &actor, input.id, input.decision, &input.note).await?)
}

#[tauri::command]
async fn order_rules(state: St<'_>) -> R<Vec<Rule>> {
    let (desk, actor) = state.ctx().await?;
    Ok(review::rules(&desk, &actor).await?)
}

#[tauri::command]
async fn order_rule_save(state: St<'_>, input: RuleSaveInput) -> R<Rule> {
    let (desk, actor) = state.ctx().await?;
    Ok(review::save_rule(&desk, &actor, input.id, &input.rule).await?)
}

#[tauri::command]
async fn review_settings_get(state: St<'_>) -> R<ReviewSettings> {
    let (desk, actor) = state.ctx().await?;
    Ok(review::settings(&desk, &actor).await?)
}

#[tauri::command]
async fn review_settings_update(state: St<'_>, input: ReviewSettings) -> R<ReviewSettings> {
    let (desk, actor) = state.ctx().await?;
    Ok(review::save_settings(&desk, &actor, &input).await?)
}

#[tauri::command]
async fn sales_report(state: St<'_>, input: SalesQuery) -> R<Report> {
    let (desk, actor) = state.ctx().await?;
    let r = sales_summary::sales(&desk, &actor, &input).await?;
    Ok(sales_summary::document(&desk, &actor.language, &r))
}

#[tauri::command]
async fn sales_report_export(state: St<'_>, input: SalesReportExportInput) -> R<ExportResult> {
    let (desk, actor) = state.ctx().await?;
    actor
        .require(auth::Permission::ExportData)
        .map_err(ApiError::from)?;
    let r = sales_summary::sales(&desk, &actor, &input.query).await?;
    let doc = sales_summary::document(&desk, &actor.language, &r);
    write_report(&state, &desk, &doc, &input.format)
}

// ---- promotions ----

#[tauri::command]
async fn promotions_list(state: St<'_>) -> R<Vec<Promotion>> {
    let (desk, actor) = state.ctx().await?;
    Ok(promotions::list(&desk, &actor).await?)
}

#[tauri::command]
async fn promotion_save(state: St<'_>, input: PromotionInput) -> R<Promotion> {
    let (desk, actor) = state.ctx().await?;
    Ok(promotions::save(&desk, &actor, &input).await?)
}

#[tauri::command]
async fn price_quote(state: St<'_>, input: QuoteInput) -> R<PricedOrder> {
    let (desk, actor) = state.ctx().await?;
    Ok(promotions::quote(&desk, &actor, &input).await?)
}

// ---- fulfilment ----

#[tauri::command]
async fn order_allocate(state: St<'_>, input: AllocateOptions) -> R<AllocationSummary> {
    let (desk, actor) = state.ctx().await?;
    Ok(allocate::allocate(&desk, &actor, &input).await?)
}

#[tauri::command]
async fn order_merge_candidates(state: St<'_>) -> R<Vec<Vec<String>>> {
    let (desk, actor) = state.ctx().await?;
    Ok(allocate::merge_candidates(&desk, &actor).await?)
}

#[tauri::command]
async fn order_split(state: St<'_>, input: HandSplitInput) -> R<Vec<String>> {
    let (desk, actor) = state.ctx().await?;
    Ok(
        allocate::allocate_by_hand(&desk, &actor, input.order_id, &input.parcels, &input.note)
            .await?,
    )
}

#[tauri::command]
async fn parcels_list(state: St<'_>, input: ParcelFilter) -> R<Vec<Parcel>> {
    let (desk, actor) = state.ctx().await?;
    Ok(outbound::parcels(&desk, &actor, &input).await?)
}

#[tauri::command]
async fn order_parcels(state: St<'_>, input: IdInput) -> R<Vec<Parcel>> {
    let (desk, actor) = state.ctx().await?;
    Ok(outbound::parcels_of_order(&desk, &actor, input.id).await?)
}

#[tauri::command]
async fn parcel_get(state: St<'_>, input: ParcelNoInput) -> R<Parcel> {
    let (desk, actor) = state.ctx().await?;
    Ok(outbound::parcel(&desk, &actor, &input.parcel_no).await?)
}

#[tauri::command]
async fn parcel_cancel(state: St<'_>, input: ParcelNoteInput) -> R<()> {
    let (desk, actor) = state.ctx().await?;
    Ok(allocate::cancel_parcel(&desk, &actor, &input.parcel_no, &input.note).await?)
}

#[tauri::command]
async fn wave_create(state: St<'_>, input: WaveInput) -> R<Option<Wave>> {
    let (desk, actor) = state.ctx().await?;
    Ok(outbound::create_wave(
        &desk,
        &actor,
        &input.warehouse,
        input.kind,
        input.max_parcels,
    )
    .await?)
}

#[tauri::command]
async fn waves_list(state: St<'_>, input: WavesQuery) -> R<Vec<Wave>> {
    let (desk, actor) = state.ctx().await?;
    Ok(outbound::waves(&desk, &actor, input.open_only).await?)
}

#[tauri::command]
async fn pick_list(state: St<'_>, input: WaveDocInput) -> R<Report> {
    let (desk, actor) = state.ctx().await?;
    Ok(outbound::pick_list(&desk, &actor, &input.key, &actor.language).await?)
}

#[tauri::command]
async fn pick_list_export(state: St<'_>, input: WaveDocInput) -> R<ExportResult> {
    let (desk, actor) = state.ctx().await?;
    let r = outbound::pick_list(&desk, &actor, &input.key, &actor.language).await?;
    write_report(&state, &desk, &r, &input.format)
}

/// The packing slips of a wave (or one parcel) as a PDF in the Downloads folder.
#[tauri::command]
async fn packing_slips_export(state: St<'_>, input: WaveDocInput) -> R<ExportResult> {
    let (desk, actor) = state.ctx().await?;
    let bytes = outbound::packing_slips(&desk, &actor, &input.key, &actor.language).await?;
    let dir = export_dir(&state);
    std::fs::create_dir_all(&dir).map_err(ApiError::internal)?;
    let stem = if actor.language.starts_with("zh") {
        "装箱单"
    } else {
        "packing-slips"
    };
    let path = dir.join(format!("{stem}_{}.pdf", input.key.trim()));
    std::fs::write(&path, bytes).map_err(ApiError::internal)?;
    Ok(ExportResult {
        path: path.display().to_string(),
        rows: 0,
    })
}

#[tauri::command]
async fn parcel_scan(state: St<'_>, input: ScanInput) -> R<CheckState> {
    let (desk, actor) = state.ctx().await?;
    Ok(outbound::check_scan(&desk, &actor, &input.parcel_no, &input.code).await?)
}

#[tauri::command]
async fn parcel_check_reset(state: St<'_>, input: ParcelNoInput) -> R<CheckState> {
    let (desk, actor) = state.ctx().await?;
    Ok(outbound::reset_check(&desk, &actor, &input.parcel_no).await?)
}

#[tauri::command]
async fn parcel_pack(state: St<'_>, input: PackInput) -> R<Parcel> {
    let (desk, actor) = state.ctx().await?;
    Ok(outbound::pack(&desk, &actor, &input.parcel_no, &input.weight_kg).await?)
}

#[tauri::command]
async fn parcel_set_tracking(state: St<'_>, input: ShipInput) -> R<Parcel> {
    let (desk, actor) = state.ctx().await?;
    outbound::set_tracking(&desk, &actor, &input.parcel_no, &input.tracking).await?;
    Ok(outbound::parcel(&desk, &actor, &input.parcel_no).await?)
}

#[tauri::command]
async fn parcel_ship(state: St<'_>, input: ShipInput) -> R<Parcel> {
    let (desk, actor) = state.ctx().await?;
    Ok(outbound::ship(&desk, &actor, &input.parcel_no, Some(&input.tracking)).await?)
}

#[tauri::command]
async fn carrier_export(state: St<'_>, input: CarrierExportInput) -> R<ExportResult> {
    let (desk, actor) = state.ctx().await?;
    let r = outbound::carrier_export(
        &desk,
        &actor,
        &input.carrier,
        input.warehouse.as_deref(),
        &actor.language,
    )
    .await?;
    write_report(&state, &desk, &r, "xlsx")
}

#[tauri::command]
async fn tracking_import(state: St<'_>, input: TrackingImportInput) -> R<TrackingImportSummary> {
    let (desk, actor) = state.ctx().await?;
    let path = staged(&state, &input.token)?;
    Ok(outbound::import_tracking(&desk, &actor, &path, &input.carrier, &actor.language).await?)
}

#[tauri::command]
async fn ship_notices(state: St<'_>, input: NoticesQuery) -> R<Vec<ShipNotice>> {
    let (desk, actor) = state.ctx().await?;
    Ok(outbound::notices(&desk, &actor, input.pending_only).await?)
}

#[tauri::command]
async fn ship_notices_sent(state: St<'_>, input: IdsInput) -> R<u64> {
    let (desk, actor) = state.ctx().await?;
    Ok(outbound::mark_notices_sent(&desk, &actor, &input.ids).await?)
}

#[tauri::command]
async fn logistics_scan(state: St<'_>) -> R<ExceptionScan> {
    let (desk, actor) = state.ctx().await?;
    Ok(outbound::scan_exceptions(&desk, &actor).await?)
}

#[tauri::command]
async fn logistics_report(state: St<'_>, input: ExceptionInput) -> R<()> {
    let (desk, actor) = state.ctx().await?;
    Ok(
        outbound::report_exception(&desk, &actor, &input.parcel_no, &input.kind, &input.note)
            .await?,
    )
}

#[tauri::command]
async fn logistics_resolve(state: St<'_>, input: ResolveInput) -> R<Option<String>> {
    let (desk, actor) = state.ctx().await?;
    Ok(outbound::resolve_exception(
        &desk,
        &actor,
        &input.parcel_no,
        &input.resolution,
        &input.note,
    )
    .await?)
}

#[tauri::command]
async fn import_progress(state: St<'_>) -> R<ImportProgress> {
    let c = state
        .import_control
        .lock()
        .unwrap_or_else(|e| e.into_inner())
        .clone();
    let (done, total) = c.as_ref().map(Control::progress).unwrap_or((0, 0));
    Ok(ImportProgress {
        running: c.is_some(),
        done,
        total,
    })
}

#[tauri::command]
async fn import_cancel(state: St<'_>) -> R<()> {
    if let Some(c) = state
        .import_control
        .lock()
        .unwrap_or_else(|e| e.into_inner())
        .as_ref()
    {
        c.cancel();
    }
    Ok(())
}

/// The rejected rows of a staged file as an .xlsx in the Downloads folder.
#[tauri::command]
async fn price_sheet_rejects(state: St<'_>, input: PriceSheetRequest) -> R<ExportResult> {
    let (desk, actor) = state.ctx().await?;
    let path = staged(&state, &input.token)?;
    let a =
        price_sheets::analyze(&desk, &actor, &path, &input.supplier_code, &input.options).await?;
    let out = rejects_path(&state, &desk, &actor.language, &a.summary.file)?;
    let rows = a.write_rejects(&out, &actor.language)?;
    Ok(ExportResult {
        path: out.display().to_string(),
        rows: rows as u64,
    })
}

#[tauri::command]
async fn supplier_items_list(state: St<'_>, input: SupplierItemsQuery) -> R<Page<SupplierItem>> {
    let (desk, actor) = state.ctx().await?;
    Ok(prices::list_items(&desk, &actor, &input.supplier_code, &input.query).await?)
}

#[tauri::command]
async fn supplier_item_history(state: St<'_>, input: IdInput) -> R<Vec<PricePoint>> {
    let (desk, actor) = state.ctx().await?;
    Ok(prices::history(&desk, &actor, input.id).await?)
}

#[tauri::command]
async fn supplier_item_match(state: St<'_>, input: ItemMatchInput) -> R<SupplierItem> {
    let (desk, actor) = state.ctx().await?;
    Ok(prices::set_match(&desk, &actor, input.id, input.sku.as_deref()).await?)
}

#[tauri::command]
async fn price_compare(state: St<'_>, input: CompareInput) -> R<PriceComparison> {
    let (desk, actor) = state.ctx().await?;
    Ok(prices::compare(&desk, &actor, &input.sku, None).await?)
}

#[tauri::command]
async fn po_list(state: St<'_>, input: ListQuery) -> R<Page<PurchaseOrder>> {
    let (desk, actor) = state.ctx().await?;
    Ok(orders::list(&desk, &actor, &input).await?)
}

#[tauri::command]
async fn po_get(state: St<'_>, input: IdInput) -> R<PurchaseOrder> {
    let (desk, actor) = state.ctx().await?;
    Ok(orders::get(&desk, &actor, input.id).await?)
}

#[tauri::command]
async fn po_create(state: St<'_>, input: PoInput) -> R<PurchaseOrder> {
    let (desk, actor) = state.ctx().await?;
    Ok(orders::create(&desk, &actor, &input).await?)
}

#[tauri::command]
async fn po_action(state: St<'_>, input: PoActionInput) -> R<PurchaseOrder> {
    let (desk, actor) = state.ctx().await?;
    Ok(orders::transition(&desk, &actor, input.id, input.action).await?)
}

#[tauri::command]
async fn po_receive(state: St<'_>, input: ReceiptInput) -> R<Receipt> {
    let (desk, actor) = state.ctx().await?;
    Ok(orders::receive(&desk, &actor, &input).await?)
}

#[tauri::command]
async fn po_chase_list(state: St<'_>, input: ChaseQuery) -> R<Vec<ChaseLine>> {
    let (desk, actor) = state.ctx().await?;
    Ok(orders::chase_list(&desk, &actor, input.days).await?)
}

#[tauri::command]
async fn po_mark_chased(state: St<'_>, input: ChasedInput) -> R<ChaseLine> {
    let (desk, actor) = state.ctx().await?;
    Ok(orders::mark_chased(
        &desk,
        &actor,
        input.line_id,
        &input.note,
        input.promised_date,
    )
    .await?)
}

/// The PO as PDF or .xlsx in the Downloads folder.
#[tauri::command]
async fn po_export(state: St<'_>, input: PoExportInput) -> R<ExportResult> {
    let (desk, actor) = state.ctx().await?;
    let po = orders::get(&desk, &actor, input.id).await?;
    let dir = export_dir(&state);
    std::fs::create_dir_all(&dir).map_err(ApiError::internal)?;
    let path = match input.format.as_str() {
        "pdf" => {
            let path = dir.join(format!("{}.pdf", po.po_no));
            let bytes = shopdesk_core::procurement::po_doc::pdf(&desk, &actor, po.id).await?;
            std::fs::write(&path, bytes).map_err(ApiError::internal)?;
            path
        }
        _ => {
            let path = dir.join(format!("{}.xlsx", po.po_no));
            shopdesk_core::procurement::po_doc::xlsx(&desk, &actor, po.id, &path).await?;
            path
        }
    };
    Ok(ExportResult {
        path: path.display().to_string(),
        rows: po.lines.len() as u64,
    })
}

#[tauri::command]
async fn invoice_billable_lines(state: St<'_>, input: IdInput) -> R<Vec<BillableLine>> {
    let (desk, actor) = state.ctx().await?;
    Ok(payables::billable_lines(&desk, &actor, input.id).await?)
}

#[tauri::command]
async fn invoice_record(state: St<'_>, input: InvoiceInput) -> R<Invoice> {
    let (desk, actor) = state.ctx().await?;
    Ok(payables::record_invoice(&desk, &actor, &input).await?)
}

#[tauri::command]
async fn invoice_list(state: St<'_>, input: PayablesListQuery) -> R<Page<Invoice>> {
    let (desk, actor) = state.ctx().await?;
    Ok(
        payables::list_invoices(&desk, &actor, &input.query, input.supplier_code.as_deref())
            .await?,
    )
}

#[tauri::command]
async fn invoice_get(state: St<'_>, input: IdInput) -> R<Invoice> {
    let (desk, actor) = state.ctx().await?;
    Ok(payables::get_invoice(&desk, &actor, input.id).await?)
}

#[tauri::command]
async fn invoice_decide(state: St<'_>, input: InvoiceDecisionInput) -> R<Invoice> {
    let (desk, actor) = state.ctx().await?;
    Ok(payables::decide_invoice(&desk, &actor, input.id, input.decision, &input.note).await?)
}

#[tauri::command]
async fn payment_record(state: St<'_>, input: PaymentInput) -> R<Payment> {
    let (desk, actor) = state.ctx().await?;
    Ok(payables::record_payment(&desk, &actor, &input).await?)
}

#[tauri::command]
async fn payment_list(state: St<'_>, input: PayablesListQuery) -> R<Page<Payment>> {
    let (desk, actor) = state.ctx().await?;
    Ok(
        payables::list_payments(&desk, &actor, &input.query, input.supplier_code.as_deref())
            .await?,
    )
}

#[tauri::command]
async fn payables_ageing(state: St<'_>, input: AgeingQuery) -> R<AgeingReport> {
    let (desk, actor) = state.ctx().await?;
    Ok(payables::ageing(&desk, &actor, input.as_of).await?)
}

#[tauri::command]
async fn supplier_statement(state: St<'_>, input: StatementQuery) -> R<Statement> {
    let (desk, actor) = state.ctx().await?;
    Ok(payables::statement(
        &desk,
        &actor,
        &input.supplier_code,
        input.currency.as_deref(),
        input.from,
        input.to,
    )
    .await?)
}

#[tauri::command]
async fn payables_check(state: St<'_>) -> R<PayablesCheck> {
    let (desk, actor) = state.ctx().await?;
    Ok(payables::check(&desk, &actor).await?)
}

#[tauri::command]
async fn stock_rows(state: St<'_>, input: StockQuery) -> R<StockPage> {
    let (desk, actor) = state.ctx().await?;
    Ok(stock_reports::stock_rows(
        &desk,
        &actor,
        input.search.as_deref(),
        input.warehouse_code.as_deref(),
        input.page,
        input.page_size,
    )
    .await?)
}

#[tauri::command]
async fn stock_movements(state: St<'_>, input: MovementsQuery) -> R<Vec<MovementRow>> {
    let (desk, actor) = state.ctx().await?;
    Ok(stock_reports::movements(&desk, &actor, &input.code, input.limit).await?)
}

#[tauri::command]
async fn stock_alerts(state: St<'_>) -> R<Vec<StockAlert>> {
    let (desk, actor) = state.ctx().await?;
    Ok(stock_reports::alerts(&desk, &actor).await?)
}

#[tauri::command]
async fn stock_suggest(state: St<'_>, input: SuggestQuery) -> R<LocationSuggestion> {
    let (desk, actor) = state.ctx().await?;
    Ok(wh_work::suggest_location(
        &desk,
        &actor,
        &input.warehouse_code,
        &input.sku,
        input.except_location.as_deref(),
    )
    .await?)
}

#[tauri::command]
async fn stock_move(state: St<'_>, input: MoveInput) -> R<MoveResult> {
    let (desk, actor) = state.ctx().await?;
    Ok(wh_work::move_stock(&desk, &actor, &input).await?)
}

#[tauri::command]
async fn transfer_list(state: St<'_>, input: TransferListQuery) -> R<Vec<Transfer>> {
    let (desk, actor) = state.ctx().await?;
    Ok(wh_work::list_transfers(&desk, &actor, input.open_only).await?)
}

#[tauri::command]
async fn transfer_ship(state: St<'_>, input: TransferInput) -> R<Transfer> {
    let (desk, actor) = state.ctx().await?;
    Ok(wh_work::ship_transfer(&desk, &actor, &input).await?)
}

#[tauri::command]
async fn transfer_receive(state: St<'_>, input: TransferReceiveInput) -> R<Transfer> {
    let (desk, actor) = state.ctx().await?;
    Ok(wh_work::receive_transfer(&desk, &actor, &input.transfer_no, &input.lines).await?)
}

#[tauri::command]
async fn count_list(state: St<'_>) -> R<Vec<StockCount>> {
    let (desk, actor) = state.ctx().await?;
    Ok(counts::list_counts(&desk, &actor).await?)
}

#[tauri::command]
async fn count_get(state: St<'_>, input: CountNoInput) -> R<StockCount> {
    let (desk, actor) = state.ctx().await?;
    Ok(counts::get_count(&desk, &actor, &input.count_no).await?)
}

#[tauri::command]
async fn count_start(state: St<'_>, input: CountInput) -> R<StockCount> {
    let (desk, actor) = state.ctx().await?;
    Ok(counts::start_count(&desk, &actor, &input).await?)
}

#[tauri::command]
async fn count_record(state: St<'_>, input: CountRecordInput) -> R<StockCount> {
    let (desk, actor) = state.ctx().await?;
    Ok(counts::record_counts(&desk, &actor, &input.count_no, &input.entries).await?)
}

#[tauri::command]
async fn count_decide(state: St<'_>, input: CountDecideInput) -> R<StockCount> {
    let (desk, actor) = state.ctx().await?;
    Ok(counts::decide_count(&desk, &actor, &input.count_no, input.decision).await?)
}

/// The blind count sheet as a PDF in the Downloads folder.
#[tauri::command]
async fn count_sheet_export(state: St<'_>, input: CountNoInput) -> R<ExportResult> {
    let (desk, actor) = state.ctx().await?;
    let c = counts::get_count(&desk, &actor, &input.count_no).await?;
    let bytes = counts::count_sheet_pdf(&desk, &actor, &input.count_no).await?;
    let dir = export_dir(&state);
    std::fs::create_dir_all(&dir).map_err(ApiError::internal)?;
    let path = dir.join(format!("{}.pdf", c.count_no));
    std::fs::write(&path, bytes).map_err(ApiError::internal)?;
    Ok(ExportResult {
        path: path.display().to_string(),
        rows: c.lines.len() as u64,
    })
}

/// An inventory report in the user's language.
#[tauri::command]
async fn inventory_report(state: St<'_>, input: ReportQuery) -> R<Report> {
    let (desk, actor) = state.ctx().await?;
    Ok(analysis::run(&desk, &actor, &input, &actor.language).await?)
}

/// An inventory report as .xlsx (with a native chart) or PDF in the Downloads folder.
#[tauri::command]
async fn inventory_report_export(state: St<'_>, input: ReportExportInput) -> R<ExportResult> {
    let (desk, actor) = state.ctx().await?;
    actor
        .require(auth::Permission::ExportData)
        .map_err(ApiError::from)?;
    let r = analysis::run(&desk, &actor, &input.query, &actor.language).await?;
    write_report(&state, &desk, &r, &input.format)
}

/// Writes a report as .xlsx or PDF (`format`) into the Downloads folder.
fn write_report(
    state: &AppState,
    desk: &shopdesk_core::Shopdesk,
    r: &Report,
    format: &str,
) -> R<ExportResult> {
    let dir = export_dir(state);
    std::fs::create_dir_all(&dir).map_err(ApiError::internal)?;
    let pdf = format == "pdf";
    let path = dir.join(report::file_name(
        r,
        if pdf { "pdf" } else { "xlsx" },
        desk.now(),
        desk.company().tz(),
    ));
    if pdf {
        std::fs::write(&path, report::pdf(r)?).map_err(ApiError::internal)?;
    } else {
        report::write_xlsx(r, &path)?;
    }
    Ok(ExportResult {
        path: path.display().to_string(),
        rows: r.rows.len() as u64,
    })
}

#[tauri::command]
async fn stock_ledger_check(state: St<'_>) -> R<CheckReport> {
    let (desk, actor) = state.ctx().await?;
    Ok(shopdesk_core::inventory::check(&desk, &actor).await?)
}

#[tauri::command]
async fn supplier_return_create(state: St<'_>, input: SupplierReturnInput) -> R<SupplierReturn> {
    let (desk, actor) = state.ctx().await?;
    Ok(returns::create(&desk, &actor, &input).await?)
}

#[tauri::command]
async fn supplier_returns_list(state: St<'_>) -> R<Vec<SupplierReturn>> {
    let (desk, actor) = state.ctx().await?;
    Ok(returns::list(&desk, &actor, None).await?)
}

/// A return to supplier (退供单) as PDF or .xlsx in the Downloads folder.
#[tauri::command]
async fn supplier_return_export(state: St<'_>, input: ReturnExportInput) -> R<ExportResult> {
    let (desk, actor) = state.ctx().await?;
    actor
        .require(auth::Permission::ExportData)
        .map_err(ApiError::from)?;
    let r = returns::get(&desk, &actor, &input.return_no).await?;
    let doc = returns::document(&desk, &actor.language, &r);
    write_report(&state, &desk, &doc, &input.format)
}

#[tauri::command]
async fn stock_period_get(state: St<'_>) -> R<PeriodStatus> {
    let (desk, actor) = state.ctx().await?;
    Ok(periods::status(&desk, &actor).await?)
}

#[tauri::command]
async fn stock_period_close(state: St<'_>, input: PeriodCloseInput) -> R<PeriodStatus> {
    let (desk, actor) = state.ctx().await?;
    Ok(periods::close(&desk, &actor, input.through, &input.note).await?)
}

#[tauri::command]
async fn rejected_goods(state: St<'_>) -> R<Vec<RejectedGoods>> {
    let (desk, actor) = state.ctx().await?;
    Ok(orders::rejected_goods(&desk, &actor, None).await?)
}

#[tauri::command]
async fn supplier_scorecards(state: St<'_>, input: ScorecardQuery) -> R<Vec<Scorecard>> {
    let (desk, actor) = state.ctx().await?;
    Ok(scorecard::scorecards(&desk, &actor, input.from, input.to).await?)
}

/// The scorecards as an .xlsx in the Downloads folder.
#[tauri::command]
async fn supplier_scorecards_export(state: St<'_>, input: ScorecardQuery) -> R<ExportResult> {
    let (desk, actor) = state.ctx().await?;
    actor
        .require(auth::Permission::ExportData)
        .map_err(ApiError::from)?;
    let cards = scorecard::scorecards(&desk, &actor, input.from, input.to).await?;
    let dir = export_dir(&state);
    std::fs::create_dir_all(&dir).map_err(ApiError::internal)?;
    let path = dir.join(format!("scorecards-{}-{}.xlsx", input.from, input.to));
    scorecard::write_xlsx(&cards, &path, &actor.language)?;
    Ok(ExportResult {
        path: path.display().to_string(),
        rows: cards.len() as u64,
    })
}

#[tauri::command]
async fn purchase_plan(state: St<'_>, input: PlanOptions) -> R<Vec<SupplierPlan>> {
    let (desk, actor) = state.ctx().await?;
    Ok(planning::suggestions(&desk, &actor, &input).await?)
}

#[tauri::command]
async fn purchase_plan_to_po(state: St<'_>, input: PlanToPoInput) -> R<PurchaseOrder> {
    let (desk, actor) = state.ctx().await?;
    Ok(planning::to_draft_po(
        &desk,
        &actor,
        &input.supplier_code,
        &input.warehouse_code,
        None,
        &input.lines,
    )
    .await?)
}

/// Standard base64 (with or without padding, a `data:...;base64,` prefix allowed).
fn decode_base64(s: &str) -> Option<Vec<u8>> {
    let s = s.split_once("base64,").map(|(_, b)| b).unwrap_or(s);
    let val = |c: u8| -> Option<u32> {
        Some(match c {
            b'A'..=b'Z' => c - b'A',
            b'a'..=b'z' => c - b'a' + 26,
            b'0'..=b'9' => c - b'0' + 52,
            b'+' => 62,
            b'/' => 63,
            _ => return None,
        } as u32)
    };
    let bytes: Vec<u8> = s
        .bytes()
        .filter(|c| !c.is_ascii_whitespace() && *c != b'=')
        .collect();
    let mut out = Vec::with_capacity(bytes.len() * 3 / 4);
    for chunk in bytes.chunks(4) {
        let mut n = 0u32;
        for (i, c) in chunk.iter().enumerate() {
            n |= val(*c)? << (18 - 6 * i);
        }
        let take = match chunk.len() {
            4 => 3,
            3 => 2,
            2 => 1,
            _ => return None,
        };
        out.extend_from_slice(&n.to_be_bytes()[1..1 + take]);
    }
    Some(out)
}

#[cfg(test)]
mod tests {
    #[test]
    fn base64_decodes_what_the_webview_sends() {
        assert_eq!(
            super::decode_base64("data:text/csv;base64,5ZOB5ZCNLDEK").as_deref(),
            Some("品名,1\n".as_bytes())
        );
        assert_eq!(super::decode_base64("YQ==").as_deref(), Some(&b"a"[..]));
        assert_eq!(super::decode_base64("YWI").as_deref(), Some(&b"ab"[..]));
        assert_eq!(super::decode_base64("!!!!"), None);
    }
}

macro_rules! command_table {
    ($( $name:ident : $input:ty => $output:ty ),* $(,)?) => {
        /// The invoke handler with every command.
        pub fn handler() -> impl Fn(tauri::ipc::Invoke<tauri::Wry>) -> bool + Send + Sync + 'static {
            tauri::generate_handler![$($name),*]
        }

        /// (name, input type, output type) of every command, for the generated TypeScript map.
        pub fn table_with(cfg: &ts_rs::Config) -> Vec<(&'static str, String, String)> {
            use ts_rs::TS;
            vec![$((stringify!($name), <$input as TS>::name(cfg), <$output as TS>::name(cfg))),*]
        }

        /// Exports every input and output type (and their dependencies) as TypeScript into `dir`.
        pub fn export_types(dir: &std::path::Path) -> Result<(), ts_rs::ExportError> {
            $(
                crate::bindings::export_with_deps::<$input>(dir)?;
                crate::bindings::export_with_deps::<$output>(dir)?;
            )*
            crate::bindings::export_with_deps::<ApiError>(dir)?;
            Ok(())
        }
    };
}

command_table! {
    app_status: () => AppStatus,
    setup_admin: NewUser => Actor,
    login: LoginInput => Actor,
    logout: () => (),
    set_language: LanguageInput => (),
    load_demo: DemoInput => DemoSummary,
    dashboard: () => Dashboard,
    products_list: ListQuery => Page<Product>,
    product_get: IdInput => Product,
    product_create: ProductInput => Product,
    product_update: ProductUpdate => Product,
    product_set_archived: ArchiveInput => Product,
    product_facets: () => ProductFacets,
    suppliers_list: ListQuery => Page<Supplier>,
    supplier_get: IdInput => Supplier,
    supplier_create: SupplierInput => Supplier,
    supplier_update: SupplierUpdate => Supplier,
    supplier_set_archived: ArchiveInput => Supplier,
    warehouses_list: ListQuery => Page<Warehouse>,
    warehouse_create: WarehouseInput => Warehouse,
    warehouse_update: WarehouseUpdate => Warehouse,
    warehouse_set_archived: ArchiveInput => Warehouse,
    locations_list: ListQuery => Page<Location>,
    location_create: LocationInput => Location,
    location_update: LocationUpdate => Location,
    location_set_archived: ArchiveInput => Location,
    customers_list: ListQuery => Page<Customer>,
    customer_create: CustomerInput => Customer,
    customer_update: CustomerUpdate => Customer,
    customer_set_archived: ArchiveInput => Customer,
    export_list: ExportInput => ExportResult,
    audit_list: AuditQuery => Page<AuditEntry>,
    users_list: () => Vec<User>,
    user_create: NewUser => User,
    user_update: UserUpdateInput => User,
    settings_get: () => CompanySettings,
    settings_update: CompanySettings => CompanySettings,
    procurement_settings_get: () => ProcurementSettings,
    procurement_settings_update: ProcurementSettings => ProcurementSettings,
    database_get: () => DatabaseInfo,
    database_set: DatabaseInput => DatabaseInfo,
    backups_list: () => Vec<BackupInfo>,
    backup_now: () => BackupInfo,
    backup_restore: RestoreInput => (),
    import_stage_file: StageFileInput => StagedFile,
    price_sheet_preview: PriceSheetRequest => PriceImportSummary,
    price_sheet_import: PriceSheetRequest => PriceImportSummary,
    import_progress: () => ImportProgress,
    import_cancel: () => (),
    price_sheet_rejects: PriceSheetRequest => ExportResult,
    supplier_items_list: SupplierItemsQuery => Page<SupplierItem>,
    supplier_item_history: IdInput => Vec<PricePoint>,
    supplier_item_match: ItemMatchInput => SupplierItem,
    price_compare: CompareInput => PriceComparison,
    po_list: ListQuery => Page<PurchaseOrder>,
    po_get: IdInput => PurchaseOrder,
    po_create: PoInput => PurchaseOrder,
    po_action: PoActionInput => PurchaseOrder,
    po_receive: ReceiptInput => Receipt,
    po_chase_list: ChaseQuery => Vec<ChaseLine>,
    po_mark_chased: ChasedInput => ChaseLine,
    po_export: PoExportInput => ExportResult,
    supplier_scorecards: ScorecardQuery => Vec<Scorecard>,
    supplier_scorecards_export: ScorecardQuery => ExportResult,
    purchase_plan: PlanOptions => Vec<SupplierPlan>,
    purchase_plan_to_po: PlanToPoInput => PurchaseOrder,
    invoice_billable_lines: IdInput => Vec<BillableLine>,
    invoice_record: InvoiceInput => Invoice,
    invoice_list: PayablesListQuery => Page<Invoice>,
    invoice_get: IdInput => Invoice,
    invoice_decide: InvoiceDecisionInput => Invoice,
    payment_record: PaymentInput => Payment,
    payment_list: PayablesListQuery => Page<Payment>,
    payables_ageing: AgeingQuery => AgeingReport,
    supplier_statement: StatementQuery => Statement,
    payables_check: () => PayablesCheck,
    stock_rows: StockQuery => StockPage,
    stock_movements: MovementsQuery => Vec<MovementRow>,
    stock_alerts: () => Vec<StockAlert>,
    stock_suggest: SuggestQuery => LocationSuggestion,
    stock_move: MoveInput => MoveResult,
    transfer_list: TransferListQuery => Vec<Transfer>,
    transfer_ship: TransferInput => Transfer,
    transfer_receive: TransferReceiveInput => Transfer,
    count_list: () => Vec<StockCount>,
    count_get: CountNoInput => StockCount,
    count_start: CountInput => StockCount,
    count_record: CountRecordInput => StockCount,
    count_decide: CountDecideInput => StockCount,
    count_sheet_export: CountNoInput => ExportResult,
    rejected_goods: () => Vec<RejectedGoods>,
    inventory_report: ReportQuery => Report,
    inventory_report_export: ReportExportInput => ExportResult,
    stock_period_get: () => PeriodStatus,
    stock_period_close: PeriodCloseInput => PeriodStatus,
    stock_ledger_check: () => CheckReport,
    supplier_return_create: SupplierReturnInput => SupplierReturn,
    supplier_returns_list: () => Vec<SupplierReturn>,
    supplier_return_export: ReturnExportInput => ExportResult,
    orders_list: ListQuery => Page<SalesOrder>,
    order_timeline: IdInput => Vec<OrderEvent>,
    order_import_preview: OrderImportRequest => OrderImportSummary,
    order_import: OrderImportRequest => OrderImportSummary,
    order_import_rejects: OrderImportRequest => ExportResult,
    unmapped_skus: ChannelQuery => Vec<UnmappedSku>,
    sku_map: SkuMapInput => SkuMapping,
    order_create_manual: ManualOrderInput => SalesOrder,
    sku_availability: SkusInput => Vec<SkuAvailability>,
    order_review: ReviewScope => ReviewSummary,
    orders_held: () => Vec<SalesOrder>,
    order_decide: OrderDecideInput => String,
    order_rules: () => Vec<Rule>,
    order_rule_save: RuleSaveInput => Rule,
    review_settings_get: () => ReviewSettings,
    review_settings_update: ReviewSettings => ReviewSettings,
    sales_report: SalesQuery => Report,
    sales_report_export: SalesReportExportInput => ExportResult,
    order_allocate: AllocateOptions => AllocationSummary,
    order_merge_candidates: () => Vec<Vec<String>>,
    order_split: HandSplitInput => Vec<String>,
    parcels_list: ParcelFilter => Vec<Parcel>,
    order_parcels: IdInput => Vec<Parcel>,
    parcel_get: ParcelNoInput => Parcel,
    parcel_cancel: ParcelNoteInput => (),
    wave_create: WaveInput => Option<Wave>,
    waves_list: WavesQuery => Vec<Wave>,
    pick_list: WaveDocInput => Report,
    pick_list_export: WaveDocInput => ExportResult,
    packing_slips_export: WaveDocInput => ExportResult,
    parcel_scan: ScanInput => CheckState,
    parcel_check_reset: ParcelNoInput => CheckState,
    parcel_pack: PackInput => Parcel,
    parcel_set_tracking: ShipInput => Parcel,
    parcel_ship: ShipInput => Parcel,
    carrier_export: CarrierExportInput => ExportResult,
    tracking_import: TrackingImportInput => TrackingImportSummary,
    ship_notices: NoticesQuery => Vec<ShipNotice>,
    ship_notices_sent: IdsInput => u64,
    logistics_scan: () => ExceptionScan,
    logistics_report: ExceptionInput => (),
    logistics_resolve: ResolveInput => Option<String>,
    promotions_list: () => Vec<Promotion>,
    promotion_save: PromotionInput => Promotion,
    price_quote: QuoteInput => PricedOrder,
}
