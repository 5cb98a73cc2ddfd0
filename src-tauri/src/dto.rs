//! Boundary types: the inputs and outputs of commands that are not core domain types themselves.
//! **API Boundary:** their TypeScript twins are generated into `ui/src/bindings` (see [`crate::bindings`]).

use serde::{Deserialize, Serialize};
use shopdesk_core::ApiError;
use shopdesk_core::auth::Actor;
use shopdesk_core::export::ListKind;
use shopdesk_core::listing::ListQuery;
use shopdesk_core::settings::CompanySettings;
use ts_rs::TS;

#[derive(Debug, Clone, Serialize, Deserialize, TS)]
pub struct AppStatus {
    pub needs_setup: bool,
    pub user: Option<Actor>,
    pub db_url: String,
    /// `sqlite` or `postgres`.
    pub db_kind: String,
    pub data_dir: String,
    pub version: String,
    /// The language to show before anyone logs in (`zh-CN` unless the system speaks English).
    pub default_language: String,
    pub company: Option<CompanySettings>,
    /// Set when the database could not be opened: the UI shows it with the URL and a retry button.
    pub startup_error: Option<ApiError>,
}

#[derive(Debug, Clone, Serialize, Deserialize, TS)]
pub struct LoginInput {
    pub username: String,
    pub password: String,
}

#[derive(Debug, Clone, Serialize, Deserialize, TS)]
pub struct LanguageInput {
    pub language: String,
}

#[derive(Debug, Clone, Serialize, Deserialize, TS)]
pub struct DemoInput {
    #[ts(type = "number | null")]
    pub seed: Option<u64>,
}

#[derive(Debug, Clone, Serialize, Deserialize, TS)]
pub struct IdInput {
    #[ts(type = "number")]
    pub id: i64,
}

#[derive(Debug, Clone, Serialize, Deserialize, TS)]
pub struct ArchiveInput {
    #[ts(type = "number")]
    pub id: i64,
    pub archived: bool,
}

macro_rules! update_input {
    ($name:ident, $data:ty) => {
        #[derive(Debug, Clone, Serialize, Deserialize, TS)]
        pub struct $name {
            #[ts(type = "number")]
            pub id: i64,
            pub data: $data,
        }
    };
}

update_input!(
    ProductUpdate,
    shopdesk_core::masterdata::products::ProductInput
);
update_input!(
    SupplierUpdate,
    shopdesk_core::masterdata::suppliers::SupplierInput
);
update_input!(
    WarehouseUpdate,
    shopdesk_core::masterdata::warehouses::WarehouseInput
);
update_input!(
    LocationUpdate,
    shopdesk_core::masterdata::warehouses::LocationInput
);
update_input!(
    CustomerUpdate,
    shopdesk_core::masterdata::customers::CustomerInput
);
update_input!(UserUpdateInput, shopdesk_core::auth::UserUpdate);

#[derive(Debug, Clone, Serialize, Deserialize, TS)]
pub struct ExportInput {
    pub list: ListKind,
    pub query: ListQuery,
    /// Header language: `zh-CN` or `en`.
    pub language: String,
}

#[derive(Debug, Clone, Serialize, Deserialize, TS)]
pub struct DatabaseInfo {
    /// The database in use now (password masked).
    pub url: String,
    pub kind: String,
    /// The URL saved in the settings, used from the next start (null: the embedded SQLite file).
    pub configured_url: Option<String>,
    pub data_dir: String,
}

#[derive(Debug, Clone, Serialize, Deserialize, TS)]
pub struct DatabaseInput {
    pub url: Option<String>,
}

#[derive(Debug, Clone, Serialize, Deserialize, TS)]
pub struct RestoreInput {
    pub path: String,
}

/// A file picked in the import wizard, sent as base64 (the webview reads it; no file-system access is granted).
#[derive(Debug, Clone, Serialize, Deserialize, TS)]
pub struct StageFileInput {
    pub file_name: String,
    pub content_base64: String,
}

/// A price-sheet preview or import of a staged file.
#[derive(Debug, Clone, Serialize, Deserialize, TS)]
pub struct PriceSheetRequest {
    /// From `import_stage_file`.
    pub token: String,
    pub supplier_code: String,
    pub options: shopdesk_core::procurement::price_sheets::PriceSheetOptions,
}

#[derive(Debug, Clone, Serialize, Deserialize, TS)]
pub struct ImportProgress {
    pub running: bool,
    #[ts(type = "number")]
    pub done: u64,
    #[ts(type = "number")]
    pub total: u64,
}

#[derive(Debug, Clone, Serialize, Deserialize, TS)]
pub struct SupplierItemsQuery {
    pub supplier_code: String,
    pub query: ListQuery,
}

#[derive(Debug, Clone, Serialize, Deserialize, TS)]
pub struct ItemMatchInput {
    #[ts(type = "number")]
    pub id: i64,
    /// Our SKU; null unlinks.
    pub sku: Option<String>,
}

#[derive(Debug, Clone, Serialize, Deserialize, TS)]
pub struct CompareInput {
    pub sku: String,
}

#[derive(Debug, Clone, Serialize, Deserialize, TS)]
pub struct PoActionInput {
    #[ts(type = "number")]
    pub id: i64,
    pub action: shopdesk_core::procurement::orders::PoAction,
}

#[derive(Debug, Clone, Serialize, Deserialize, TS)]
pub struct ChaseQuery {
    /// Lines due within this many days (late ones included).
    #[ts(type = "number")]
    pub days: i64,
}

#[derive(Debug, Clone, Serialize, Deserialize, TS)]
pub struct ChasedInput {
    #[ts(type = "number")]
    pub line_id: i64,
    pub note: String,
    #[ts(type = "string | null")]
    pub promised_date: Option<chrono::NaiveDate>,
}

#[derive(Debug, Clone, Serialize, Deserialize, TS)]
pub struct PoExportInput {
    #[ts(type = "number")]
    pub id: i64,
    /// `pdf` or `xlsx`.
    pub format: String,
}

#[derive(Debug, Clone, Serialize, Deserialize, TS)]
pub struct ScorecardQuery {
    #[ts(type = "string")]
    pub from: chrono::NaiveDate,
    #[ts(type = "string")]
    pub to: chrono::NaiveDate,
}

#[derive(Debug, Clone, Serialize, Deserialize, TS)]
pub struct PlanToPoInput {
    pub supplier_code: String,
    pub warehouse_code: String,
    pub lines: Vec<shopdesk_core::procurement::planning::PlannedLine>,
}

#[derive(Debug, Clone, Serialize, Deserialize, TS)]
pub struct PayablesListQuery {
    pub query: ListQuery,
    pub supplier_code: Option<String>,
}

#[derive(Debug, Clone, Serialize, Deserialize, TS)]
pub struct InvoiceDecisionInput {
    #[ts(type = "number")]
    pub id: i64,
    pub decision: shopdesk_core::procurement::payables::InvoiceDecision,
    pub note: String,
}

#[derive(Debug, Clone, Serialize, Deserialize, TS)]
pub struct AgeingQuery {
    #[ts(type = "string | null")]
    pub as_of: Option<chrono::NaiveDate>,
}

#[derive(Debug, Clone, Serialize, Deserialize, TS)]
pub struct StatementQuery {
    pub supplier_code: String,
    pub currency: Option<String>,
    #[ts(type = "string | null")]
    pub from: Option<chrono::NaiveDate>,
    #[ts(type = "string | null")]
    pub to: Option<chrono::NaiveDate>,
}

#[derive(Debug, Clone, Serialize, Deserialize, TS)]
pub struct StockQuery {
    pub search: Option<String>,
    pub warehouse_code: Option<String>,
    #[ts(type = "number")]
    pub page: u64,
    #[ts(type = "number")]
    pub page_size: u64,
}

#[derive(Debug, Clone, Serialize, Deserialize, TS)]
pub struct MovementsQuery {
    /// SKU or barcode.
    pub code: String,
    #[ts(type = "number")]
    pub limit: u64,
}

#[derive(Debug, Clone, Serialize, Deserialize, TS)]
pub struct SuggestQuery {
    pub warehouse_code: String,
    pub sku: String,
    /// Where the goods are now (never suggested).
    pub except_location: Option<String>,
}

#[derive(Debug, Clone, Serialize, Deserialize, TS)]
pub struct TransferListQuery {
    pub open_only: bool,
}

#[derive(Debug, Clone, Serialize, Deserialize, TS)]
pub struct TransferReceiveInput {
    pub transfer_no: String,
    pub lines: Vec<shopdesk_core::inventory::warehouse::TransferReceiptLine>,
}

#[derive(Debug, Clone, Serialize, Deserialize, TS)]
pub struct CountNoInput {
    pub count_no: String,
}

#[derive(Debug, Clone, Serialize, Deserialize, TS)]
pub struct CountRecordInput {
    pub count_no: String,
    pub entries: Vec<shopdesk_core::inventory::counts::CountEntry>,
}

#[derive(Debug, Clone, Serialize, Deserialize, TS)]
pub struct CountDecideInput {
    pub count_no: String,
    pub decision: shopdesk_core::inventory::counts::CountDecision,
}

#[derive(Debug, Clone, Serialize, Deserialize, TS)]
pub struct ReportExportInput {
    pub query: shopdesk_core::inventory::analysis::ReportQuery,
    /// `xlsx` or `pdf`.
    pub format: String,
}

#[derive(Debug, Clone, Serialize, Deserialize, TS)]
pub struct OrderImportRequest {
    /// From `import_stage_file`.
    pub token: String,
    pub options: shopdesk_core::sales::import::OrderImportOptions,
}

#[derive(Debug, Clone, Default, Serialize, Deserialize, TS)]
#[serde(default)]
pub struct ChannelQuery {
    pub channel: Option<String>,
}

#[derive(Debug, Clone, Serialize, Deserialize, TS)]
pub struct SkusInput {
    pub skus: Vec<String>,
}

#[derive(Debug, Clone, Serialize, Deserialize, TS)]
pub struct OrderDecideInput {
    #[ts(type = "number")]
    pub id: i64,
    pub decision: shopdesk_core::sales::review::OrderDecision,
    pub note: String,
}

#[derive(Debug, Clone, Serialize, Deserialize, TS)]
pub struct RuleSaveInput {
    /// `None` adds a rule.
    #[ts(type = "number | null")]
    pub id: Option<i64>,
    pub rule: shopdesk_core::sales::review::RuleInput,
}

#[derive(Debug, Clone, Serialize, Deserialize, TS)]
pub struct SkuMapInput {
    pub channel: String,
    pub platform_sku: String,
    pub sku: String,
}

#[derive(Debug, Clone, Serialize, Deserialize, TS)]
pub struct SalesReportExportInput {
    pub query: shopdesk_core::sales::summary::SalesQuery,
    /// `xlsx` or `pdf`.
    pub format: String,
}

#[derive(Debug, Clone, Serialize, Deserialize, TS)]
pub struct ReturnExportInput {
    pub return_no: String,
    /// `xlsx` or `pdf`.
    pub format: String,
}

#[derive(Debug, Clone, Serialize, Deserialize, TS)]
pub struct PeriodCloseInput {
    #[ts(type = "string")]
    pub through: chrono::NaiveDate,
    pub note: String,
}

#[derive(Debug, Clone, Serialize, Deserialize, TS)]
pub struct HandSplitInput {
    #[ts(type = "number")]
    pub order_id: i64,
    pub parcels: Vec<shopdesk_core::sales::allocate::HandParcel>,
    pub note: String,
}

#[derive(Debug, Clone, Serialize, Deserialize, TS)]
pub struct ParcelNoInput {
    pub parcel_no: String,
}

#[derive(Debug, Clone, Serialize, Deserialize, TS)]
pub struct ParcelNoteInput {
    pub parcel_no: String,
    pub note: String,
}

#[derive(Debug, Clone, Serialize, Deserialize, TS)]
pub struct WaveInput {
    pub warehouse: String,
    pub kind: shopdesk_core::sales::outbound::WaveKind,
    pub max_parcels: u32,
}

#[derive(Debug, Clone, Serialize, Deserialize, TS)]
pub struct WavesQuery {
    pub open_only: bool,
}

#[derive(Debug, Clone, Serialize, Deserialize, TS)]
pub struct WaveDocInput {
    /// A wave number (or, for packing slips, a parcel number).
    pub key: String,
    /// `pdf` or `xlsx` (the pick list); packing slips are always PDF.
    pub format: String,
}

#[derive(Debug, Clone, Serialize, Deserialize, TS)]
pub struct ScanInput {
    pub parcel_no: String,
    pub code: String,
}

#[derive(Debug, Clone, Serialize, Deserialize, TS)]
pub struct PackInput {
    pub parcel_no: String,
    pub weight_kg: String,
}

#[derive(Debug, Clone, Serialize, Deserialize, TS)]
pub struct ShipInput {
    pub parcel_no: String,
    pub tracking: shopdesk_core::sales::outbound::TrackingInput,
}

#[derive(Debug, Clone, Serialize, Deserialize, TS)]
pub struct CarrierExportInput {
    pub carrier: String,
    pub warehouse: Option<String>,
}

#[derive(Debug, Clone, Serialize, Deserialize, TS)]
pub struct TrackingImportInput {
    /// The staged carrier file.
    pub token: String,
    pub carrier: String,
}

#[derive(Debug, Clone, Serialize, Deserialize, TS)]
pub struct NoticesQuery {
    pub pending_only: bool,
}

#[derive(Debug, Clone, Serialize, Deserialize, TS)]
pub struct IdsInput {
    #[ts(type = "number[]")]
    pub ids: Vec<i64>,
}

#[derive(Debug, Clone, Serialize, Deserialize, TS)]
pub struct ExceptionInput {
    pub parcel_no: String,
    pub kind: String,
    pub note: String,
}

#[derive(Debug, Clone, Serialize, Deserialize, TS)]
pub struct ResolveInput {
    pub parcel_no: String,
    pub resolution: shopdesk_core::sales::outbound::Resolution,
    pub note: String,
}
