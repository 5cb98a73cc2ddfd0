//! `shopdesk`: the command line over the Shopdesk core, for set-up, demo data, imports, reports and benchmarks.
//!
//! The CLI acts as a user (`--user NAME`, default the first active administrator) and is refused whatever that
//! user's role is refused in the app: permissions live in the core. `--json` prints one JSON object on stdout;
//! errors go to stderr with a non-zero exit code.

use clap::{Args, Parser, Subcommand, ValueEnum};
use serde::Serialize;
use shopdesk_core::auth::{self, Actor, NewUser, Role};
use shopdesk_core::export::{self, ListKind};
use shopdesk_core::listing::ListQuery;
use shopdesk_core::masterdata::{customers, products, suppliers, warehouses};
use shopdesk_core::{ApiError, DbConfig, Shopdesk, SystemClock, audit, backup, demo};
use std::path::PathBuf;
use std::process::ExitCode;
use std::sync::Arc;

/// mimalloc instead of the system allocator: the imports and the order pipeline allocate millions of small strings,
/// and glibc's malloc spent a third of the order benchmark consolidating and returning memory.
#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

#[derive(Parser)]
#[command(
    name = "shopdesk",
    version,
    about = "Shopdesk (店务台) — e-commerce back office, command line"
)]
struct Cli {
    /// Database URL: sqlite://PATH (created when missing) or postgres://USER:PASS@HOST/DB.
    /// Default: $SHOPDESK_DATABASE_URL, else shopdesk.db in the app-data folder.
    #[arg(long, global = true, env = "SHOPDESK_DATABASE_URL")]
    db: Option<String>,
    /// Act as this user (default: the first active administrator).
    #[arg(long, global = true)]
    user: Option<String>,
    /// Print one JSON object on stdout.
    #[arg(long, global = true)]
    json: bool,
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Create or migrate the database; optionally create the first administrator.
    Init(InitArgs),
    /// Load the deterministic demo company into an empty database.
    Demo {
        #[arg(long, default_value_t = demo::DEFAULT_SEED)]
        seed: u64,
    },
    /// Show the database, its schema state and record counts.
    Status,
    /// Users and roles.
    #[command(subcommand)]
    Users(UsersCmd),
    /// Products / SKUs.
    #[command(subcommand)]
    Products(ListCmd),
    /// Suppliers.
    #[command(subcommand)]
    Suppliers(ListCmd),
    /// Warehouses.
    #[command(subcommand)]
    Warehouses(ListCmd),
    /// Customers.
    #[command(subcommand)]
    Customers(ListCmd),
    /// Export a list to .xlsx with the same filters as the list screens.
    Export(ExportArgs),
    /// Browse the audit log, newest first.
    Audit(AuditArgs),
    /// Back up the SQLite database (VACUUM INTO), or make the daily automatic backup with --auto.
    Backup {
        /// Target file (default: the backups folder beside the database).
        #[arg(long)]
        out: Option<PathBuf>,
        /// Only back up when the last automatic backup is older than a day; keep 14.
        #[arg(long)]
        auto: bool,
    },
    /// Stock: adjustments, balances, reports (the inventory module's foundation).
    #[command(subcommand)]
    Stock(StockCmd),
    /// Transfers between warehouses (调拨).
    #[command(subcommand)]
    Transfer(TransferCmd),
    /// Stocktaking (盘点).
    #[command(subcommand)]
    Count(CountCmd),
    /// Consistency checks.
    #[command(subcommand)]
    Check(CheckCmd),
    /// Benchmarks that print figures (use a scratch database: they add data).
    #[command(subcommand)]
    Bench(BenchCmd),
    /// Restore the database from a backup file (checked first; the current database is saved beforehand).
    Restore { file: PathBuf },
    /// Import files: supplier price sheets and channel order exports (.xlsx, .xls, .ods, .csv).
    #[command(subcommand)]
    Import(ImportCmd),
    /// Supplier items and prices: list, history, SKU matching, comparison across suppliers.
    #[command(subcommand)]
    Prices(PricesCmd),
    /// Purchase orders: create, submit, approve, send, receive, close, cancel, chase.
    #[command(subcommand)]
    Po(PoCmd),
    /// Payables (应付): supplier invoices (three-way match), the mismatch queue, payments, ageing, statements.
    #[command(subcommand)]
    Payables(PayablesCmd),
    /// Purchase suggestions (采购计划) from stock, sales velocity, safety stock and lead time, by supplier;
    /// with --create SUPPLIER the supplier's suggestions become a draft PO.
    Plan {
        #[arg(long, default_value_t = 30)]
        window_days: i64,
        #[arg(long, default_value_t = 14)]
        cover_days: i64,
        /// Turn this supplier's suggestions into a draft purchase order.
        #[arg(long, requires = "warehouse")]
        create: Option<String>,
        #[arg(long)]
        warehouse: Option<String>,
    },
    /// Sales orders: list, show with timeline, unmapped platform codes, SKU mapping.
    #[command(subcommand)]
    Orders(OrdersCmd),
    /// Reports to the screen, .xlsx and PDF.
    #[command(subcommand)]
    Report(ReportCmd),
    /// Stock periods (月结): close a period so nothing can be posted on or before its last day.
    #[command(subcommand)]
    Period(PeriodCmd),
    /// Supplier scorecards (绩效考核) computed from orders, receipts and prices.
    Scorecard {
        /// First business date (default: a year ago).
        #[arg(long)]
        from: Option<String>,
        /// Last business date (default: today).
        #[arg(long)]
        to: Option<String>,
    },
}

#[derive(Subcommand)]
enum PoCmd {
    /// Create a draft purchase order.
    Create {
        #[arg(long)]
        supplier: String,
        #[arg(long)]
        warehouse: String,
        /// SKU:QTY:UNIT_PRICE[:TAX_PERCENT], repeated; the price is before tax.
        #[arg(long = "line", required = true)]
        lines: Vec<String>,
        /// Expected delivery date (YYYY-MM-DD).
        #[arg(long)]
        expected: Option<String>,
        #[arg(long)]
        currency: Option<String>,
        #[arg(long, default_value = "")]
        notes: String,
    },
    /// One purchase order with its lines.
    Show {
        po_no: String,
    },
    /// Purchase orders, newest first.
    List {
        #[arg(long)]
        status: Option<String>,
        #[arg(long)]
        search: Option<String>,
        #[arg(long, default_value_t = 1)]
        page: u64,
        #[arg(long, default_value_t = 50)]
        page_size: u64,
    },
    /// Move an order one step: submit, approve, send, close or cancel.
    Submit {
        po_no: String,
    },
    Approve {
        po_no: String,
    },
    Send {
        po_no: String,
    },
    Close {
        po_no: String,
    },
    Cancel {
        po_no: String,
    },
    /// Record a goods receipt: LINE_NO:LOCATION:ACCEPTED[:REJECTED:REASON], repeated.
    Receive {
        po_no: String,
        #[arg(long = "line", required = true)]
        lines: Vec<String>,
        #[arg(long, default_value = "")]
        notes: String,
    },
    /// Lines to chase: outstanding and due within N days (late ones first).
    Chase {
        #[arg(long, default_value_t = 3)]
        days: i64,
    },
    /// The order as a PDF for the supplier (Chinese text embedded, totals in 大写金额).
    Pdf {
        po_no: String,
        #[arg(long)]
        out: PathBuf,
    },
    /// A goods receipt (入库验收单) as a PDF.
    ReceiptPdf {
        receipt_no: String,
        #[arg(long)]
        out: PathBuf,
    },
    /// The order as an .xlsx.
    Xlsx {
        po_no: String,
        #[arg(long)]
        out: PathBuf,
    },
    /// Rejected goods still waiting to go back to their supplier (退供清单).
    Returns {
        #[arg(long)]
        supplier: Option<String>,
    },
    /// Send rejected goods back to their supplier (退供单): RECEIPT_LINE_ID:QTY, repeated (ids from `po returns`).
    ReturnGoods {
        #[arg(long = "line", required = true)]
        lines: Vec<String>,
        #[arg(long, default_value = "")]
        carrier: String,
        #[arg(long, default_value = "")]
        tracking: String,
        #[arg(long, default_value = "")]
        note: String,
        /// Also write the return document as a PDF here.
        #[arg(long)]
        pdf: Option<PathBuf>,
        /// Also write it as an .xlsx here.
        #[arg(long)]
        xlsx: Option<PathBuf>,
    },
    /// One return to supplier, optionally written as PDF and/or .xlsx.
    ReturnDoc {
        return_no: String,
        #[arg(long)]
        pdf: Option<PathBuf>,
        #[arg(long)]
        xlsx: Option<PathBuf>,
    },
    /// Mark a line as chased, with a note and the supplier's new promised date.
    Chased {
        line_id: i64,
        #[arg(long, default_value = "")]
        note: String,
        #[arg(long)]
        promised: Option<String>,
    },
}

#[derive(Subcommand)]
enum ImportCmd {
    /// A supplier's price sheet (报价单). Without --column the supplier's saved mapping or the detected header is
    /// used; without --supplier the file is only analysed (nothing is stored).
    SupplierSheet(SupplierSheetArgs),
    /// A channel's order export (.csv in UTF-8 or GBK, .xlsx, .xls, .txt tab-separated). Re-importing updates
    /// status, payment and refund fields of known orders and never duplicates one.
    Orders(OrderImportArgs),
}

#[derive(Args)]
struct OrderImportArgs {
    file: PathBuf,
    /// tmall | taobao | jd | pdd | shopify | amazon | generic
    #[arg(long)]
    channel: String,
    /// The shop the orders belong to when the file does not name it.
    #[arg(long, default_value = "")]
    shop: String,
    /// One sheet (default: every sheet that has a header).
    #[arg(long)]
    sheet: Option<String>,
    /// The 1-based header row (default: found by its names).
    #[arg(long)]
    header_row: Option<u32>,
    /// FIELD=COLUMN[,COLUMN...]: FIELD is one of order_no, shop, status, ordered_at, paid_at, buyer, receiver,
    /// phone, province, city, district, address, currency, goods_amount, shipping_fee, discount, tax, total, paid,
    /// refunded, platform_sku, title, spec, qty, unit_price, line_amount, ...; COLUMN a header text or a letter.
    #[arg(long = "column")]
    columns: Vec<String>,
    /// Read and count, store nothing.
    #[arg(long)]
    dry_run: bool,
    /// CSV text encoding: auto (default), utf8 or gbk.
    #[arg(long, default_value = "auto")]
    encoding: String,
    /// Currency of orders the file does not give one for (default: the channel's, else the company's).
    #[arg(long)]
    currency: Option<String>,
    /// Write the rows that failed, with their problems, to this .xlsx.
    #[arg(long)]
    rejects: Option<PathBuf>,
}

#[derive(Args)]
struct SupplierSheetArgs {
    file: PathBuf,
    /// The supplier's code.
    #[arg(long)]
    supplier: Option<String>,
    /// One sheet (default: every sheet that has a header).
    #[arg(long)]
    sheet: Option<String>,
    /// The 1-based header row (default: found by its names).
    #[arg(long)]
    header_row: Option<u32>,
    /// FIELD=COLUMN[,COLUMN...]: FIELD is one of sku, supplier_sku, name, spec, unit, price, currency, moq,
    /// lead_time_days, barcode, category, valid_from, note; COLUMN a header text or a column letter; several
    /// columns are several side-by-side blocks. A given mapping is saved for the supplier.
    #[arg(long = "column")]
    columns: Vec<String>,
    /// Analyse and count, store nothing.
    #[arg(long)]
    dry_run: bool,
    /// CSV text encoding: auto (default), utf8 or gbk.
    #[arg(long, default_value = "auto")]
    encoding: String,
    /// Currency of prices that do not name one (default: the company's).
    #[arg(long)]
    currency: Option<String>,
    /// Prices are valid from this date (YYYY-MM-DD; default today) unless the sheet has a date column.
    #[arg(long)]
    valid_from: Option<String>,
    /// Write the rows that failed, with their problems, to this .xlsx (fix them and import it again).
    #[arg(long)]
    rejects: Option<PathBuf>,
    /// Include every row as it will be stored in the JSON output (`rows`).
    #[arg(long)]
    rows: bool,
}

#[derive(Subcommand)]
enum PricesCmd {
    /// A supplier's items with their current price.
    Items {
        #[arg(long)]
        supplier: String,
        #[arg(long)]
        search: Option<String>,
        /// unmatched, suggested or confirmed.
        #[arg(long)]
        status: Option<String>,
        #[arg(long, default_value_t = 1)]
        page: u64,
        #[arg(long, default_value_t = 50)]
        page_size: u64,
    },
    /// The price history of one supplier item.
    History { item: i64 },
    /// Link a supplier item to our SKU (or unlink with --none).
    Match {
        item: i64,
        #[arg(long, conflicts_with = "none")]
        sku: Option<String>,
        #[arg(long)]
        none: bool,
    },
    /// Every supplier's current price for one of our SKUs; the cheapest and the fastest marked.
    Compare {
        #[arg(long)]
        sku: String,
        /// Prices in effect on this date (default today).
        #[arg(long)]
        date: Option<String>,
    },
}

#[derive(Subcommand)]
enum StockCmd {
    /// Post a stock adjustment (opening stock, 盘盈/盘亏) at a location: WAREHOUSE/LOCATION codes.
    Adjust {
        #[arg(long)]
        sku: String,
        /// Warehouse code and location code, e.g. WH-SH/A-01-1.
        #[arg(long)]
        location: String,
        /// Signed quantity in the SKU's smallest unit.
        #[arg(long, allow_hyphen_values = true)]
        qty: i64,
        /// Unit cost of incoming units (decimal, up to 4 places); outgoing units leave at the moving average.
        #[arg(long)]
        unit_cost: Option<String>,
        #[arg(long, default_value = "")]
        note: String,
        /// Business date (YYYY-MM-DD) of a backdated adjustment in an open period; default today.
        #[arg(long)]
        date: Option<String>,
    },
    /// Balances of one SKU per location (on hand, reserved, available, in transit).
    Balances {
        #[arg(long)]
        sku: String,
    },
    /// Stock on hand and value by warehouse and category.
    OnHand,
    /// Quantity and value of every SKU per warehouse at the end of a business date (YYYY-MM-DD).
    AsOf { date: String },
    /// Move stock between two locations of a warehouse; without --to it is put away to the suggested location.
    Move {
        #[arg(long)]
        warehouse: String,
        /// SKU or barcode.
        #[arg(long)]
        sku: String,
        #[arg(long)]
        from: String,
        #[arg(long)]
        to: Option<String>,
        #[arg(long)]
        qty: i64,
        #[arg(long, default_value = "")]
        note: String,
    },
    /// Where to put a SKU away (上架建议).
    Suggest {
        #[arg(long)]
        warehouse: String,
        #[arg(long)]
        sku: String,
    },
}

#[derive(Subcommand)]
enum OrdersCmd {
    /// Orders, newest first.
    List {
        #[arg(long)]
        channel: Option<String>,
        #[arg(long)]
        status: Option<String>,
        #[arg(long)]
        search: Option<String>,
        #[arg(long, default_value_t = 1)]
        page: u64,
        #[arg(long, default_value_t = 50)]
        page_size: u64,
    },
    /// One order with its lines and timeline.
    Show {
        platform_order_no: String,
        #[arg(long)]
        channel: Option<String>,
    },
    /// Platform codes of imported lines that are not mapped to one of our SKUs.
    Unmapped {
        #[arg(long)]
        channel: Option<String>,
    },
    /// Map a platform code to our SKU, for the lines already imported and every later import.
    MapSku {
        #[arg(long)]
        channel: String,
        platform_sku: String,
        sku: String,
    },
    /// The SKU mappings of a channel (or all).
    Mappings {
        #[arg(long)]
        channel: Option<String>,
    },
    /// Review (审单) the orders waiting for it; with --dry-run, show what the rules would do to a period's orders.
    Review {
        #[arg(long)]
        dry_run: bool,
        /// First order date of a dry run (YYYY-MM-DD).
        #[arg(long)]
        from: Option<String>,
        /// Last order date of a dry run.
        #[arg(long)]
        to: Option<String>,
    },
    /// The exception queue: held orders with their reasons.
    Held,
    /// Approve or cancel a held order, with a note.
    Decide {
        platform_order_no: String,
        /// approve | cancel
        decision: String,
        #[arg(long)]
        note: String,
        #[arg(long)]
        channel: Option<String>,
    },
    /// The review rules in the order they run.
    Rules,
    /// Review orders as they are imported (自动审单): on or off; without a value, show the setting.
    ReviewOnImport {
        #[arg(value_parser = ["on", "off"])]
        state: Option<String>,
    },
    /// Allocate the orders the review on import approves, in the import (审核后自动分仓): on or off; without a
    /// value, show the setting. It works only while the review on import is on.
    AllocateOnImport {
        #[arg(value_parser = ["on", "off"])]
        state: Option<String>,
    },
    /// Allocate approved orders to warehouses (分仓) and reserve their stock; merges one buyer's orders (合单)
    /// unless --no-merge; with --split an order may ship from several warehouses or in part (拆单).
    Allocate {
        #[arg(long)]
        split: bool,
        #[arg(long)]
        no_merge: bool,
    },
    /// Orders an allocation would merge (合单): one line per group.
    Merges,
    /// Split an order by hand: each --parcel is WAREHOUSE:LINE=QTY[,LINE=QTY...].
    Split {
        platform_order_no: String,
        #[arg(long = "parcel", required = true)]
        parcels: Vec<String>,
        #[arg(long)]
        note: String,
        #[arg(long)]
        channel: Option<String>,
    },
    /// Parcels, most urgent first.
    Parcels {
        #[arg(long)]
        status: Option<String>,
        #[arg(long)]
        warehouse: Option<String>,
        #[arg(long)]
        wave: Option<String>,
        /// Only the logistics exception queue.
        #[arg(long)]
        exceptions: bool,
        /// Parcel, tracking or platform order number.
        #[arg(long)]
        search: Option<String>,
    },
    /// One parcel (by parcel or tracking number) with its lines.
    Parcel { key: String },
    /// Cancel a parcel that has not shipped: its reservations are released, its orders go back to allocation.
    CancelParcel {
        parcel_no: String,
        #[arg(long)]
        note: String,
    },
    /// Start a picking wave (波次) in a warehouse: single | multi | hot | mixed.
    Wave {
        warehouse: String,
        #[arg(long, default_value = "mixed")]
        kind: String,
        #[arg(long, default_value_t = 200)]
        max: u32,
    },
    /// Waves, newest first.
    Waves {
        #[arg(long)]
        open: bool,
    },
    /// The pick list of a wave (拣货单), in location order.
    PickList {
        wave_no: String,
        #[arg(long)]
        lang: Option<String>,
        #[arg(long)]
        xlsx: Option<PathBuf>,
        #[arg(long)]
        pdf: Option<PathBuf>,
    },
    /// Packing slips (装箱单) of a wave or one parcel, as PDF.
    Slips {
        key: String,
        #[arg(long)]
        pdf: PathBuf,
        #[arg(long)]
        lang: Option<String>,
    },
    /// Outbound check (出库复核): scan codes (barcode or SKU) against a parcel, in order.
    Check {
        parcel_no: String,
        #[arg(required = true)]
        codes: Vec<String>,
    },
    /// Pack a checked parcel with its weight in kilograms.
    Pack {
        parcel_no: String,
        #[arg(long)]
        weight: String,
    },
    /// Set a parcel's carrier and tracking number (e-waybill).
    Tracking {
        parcel_no: String,
        #[arg(long)]
        carrier: String,
        #[arg(long)]
        tracking: String,
        #[arg(long, default_value = "")]
        service: String,
    },
    /// Ship a packed parcel: stock leaves the ledger, the platform orders get shipping notices.
    Ship {
        parcel_no: String,
        #[arg(long)]
        carrier: Option<String>,
        #[arg(long)]
        tracking: Option<String>,
        #[arg(long, default_value = "")]
        service: String,
    },
    /// Tracking numbers and delivery status from a carrier's file (CSV or Excel).
    ImportTracking {
        file: PathBuf,
        /// Carrier of rows that do not name one.
        #[arg(long, default_value = "")]
        carrier: String,
        #[arg(long)]
        lang: Option<String>,
    },
    /// The e-waybill export of one carrier (parcels picking or packed).
    CarrierExport {
        carrier: String,
        #[arg(long)]
        warehouse: Option<String>,
        #[arg(long)]
        lang: Option<String>,
        #[arg(long)]
        xlsx: Option<PathBuf>,
    },
    /// Shipping notices owed to the platforms (pending unless --all).
    Notices {
        #[arg(long)]
        all: bool,
    },
    /// Mark shipping notices as sent.
    NoticesSent {
        #[arg(required = true)]
        ids: Vec<i64>,
    },
    /// Flag logistics exceptions (no tracking update, late) and list the queue.
    Exceptions {
        /// Only list; do not flag.
        #[arg(long)]
        no_scan: bool,
    },
    /// Report a shipped parcel lost or damaged.
    ReportException {
        parcel_no: String,
        /// lost | damaged | no_update | late
        kind: String,
        #[arg(long)]
        note: String,
    },
    /// Promotions (促销), newest first.
    Promotions,
    /// Create or update a promotion from a JSON file (code, name, kind, params, channels, skus, starts_at,
    /// ends_at, cap, per_buyer, enabled).
    Promotion { file: PathBuf },
    /// Price lines with the promotions in force: --line SKU=QTY (repeatable).
    Quote {
        #[arg(long = "line", required = true)]
        lines: Vec<String>,
        #[arg(long, default_value = "")]
        coupon: String,
        #[arg(long, default_value_t = 0)]
        group_size: u32,
        #[arg(long, default_value = "")]
        buyer: String,
        #[arg(long, default_value = "manual")]
        channel: String,
    },
    /// Resolve a logistics exception: reship | refund | claim | close.
    Resolve {
        parcel_no: String,
        action: String,
        #[arg(long)]
        amount: Option<String>,
        #[arg(long)]
        note: String,
    },
}

#[derive(Subcommand)]
enum ReportCmd {
    /// Sales: orders, GMV, paid and refunded, by status, channel, currency and day.
    Sales {
        /// First order date, YYYY-MM-DD (default: the first).
        #[arg(long)]
        from: Option<String>,
        /// Last order date, inclusive.
        #[arg(long)]
        to: Option<String>,
        /// One channel.
        #[arg(long)]
        channel: Option<String>,
        /// Report language: zh-CN | en (default: the user's).
        #[arg(long)]
        lang: Option<String>,
        /// Also write the report as .xlsx to this file.
        #[arg(long)]
        xlsx: Option<PathBuf>,
        /// Also write the report as PDF to this file.
        #[arg(long)]
        pdf: Option<PathBuf>,
    },
    /// Inventory reports: on-hand, as-of, movements, abc, turnover, ageing, slow-moving.
    Stock {
        /// on-hand | as-of | movements | abc | turnover | ageing | slow-moving
        kind: String,
        /// As-of date (as-of), YYYY-MM-DD.
        #[arg(long)]
        date: Option<String>,
        /// Period start (abc, turnover, movements); default 89 days before --to.
        #[arg(long)]
        from: Option<String>,
        /// Period end, inclusive; default today.
        #[arg(long)]
        to: Option<String>,
        /// Warehouse code (default: all).
        #[arg(long)]
        warehouse: Option<String>,
        /// SKU or barcode (movements).
        #[arg(long)]
        sku: Option<String>,
        /// ABC basis: value | volume.
        #[arg(long, default_value = "value")]
        basis: String,
        /// Slow-moving threshold in days.
        #[arg(long)]
        days: Option<i64>,
        /// Report language: zh-CN | en (default: the user's).
        #[arg(long)]
        lang: Option<String>,
        /// Also write the report as .xlsx to this file.
        #[arg(long)]
        xlsx: Option<PathBuf>,
        /// Also write the report as PDF to this file.
        #[arg(long)]
        pdf: Option<PathBuf>,
    },
}

#[derive(Subcommand)]
enum PeriodCmd {
    /// Where the stock periods stand.
    Status,
    /// Close the stock periods through a date (before today).
    Close {
        #[arg(long)]
        through: String,
        #[arg(long, default_value = "")]
        note: String,
    },
    /// Reopen (administrators): closed through an earlier date afterwards, or nothing closed without --through.
    Reopen {
        #[arg(long)]
        through: Option<String>,
        #[arg(long)]
        reason: String,
    },
}

#[derive(Subcommand)]
enum TransferCmd {
    /// Ship a transfer: SKU:FROM_LOCATION:QTY, repeated; the goods are in transit until received.
    Ship {
        #[arg(long)]
        from: String,
        #[arg(long)]
        to: String,
        #[arg(long = "line", required = true)]
        lines: Vec<String>,
        #[arg(long, default_value = "")]
        notes: String,
    },
    /// Receive a transfer: everything (no --line) or LINE_NO:QTY[:LOCATION], repeated.
    Receive {
        transfer_no: String,
        #[arg(long = "line")]
        lines: Vec<String>,
    },
    /// Transfers, newest first.
    List {
        /// Only those with goods still in transit.
        #[arg(long)]
        open: bool,
    },
    Show {
        transfer_no: String,
    },
}

#[derive(Subcommand)]
enum CountCmd {
    /// Start a stock count (freezes the locations): all of a warehouse, or --location CODE repeated.
    Start {
        #[arg(long)]
        warehouse: String,
        #[arg(long = "location")]
        locations: Vec<String>,
        #[arg(long, default_value = "")]
        notes: String,
    },
    /// Record counts: LOCATION:CODE=QTY sets, LOCATION:CODE+QTY adds (a scan); CODE is a SKU or barcode.
    Record {
        count_no: String,
        #[arg(long = "entry", required = true)]
        entries: Vec<String>,
    },
    /// One count with its lines and variances.
    Show { count_no: String },
    /// Counts, newest first.
    List,
    /// Post the variances as adjustments and unfreeze (manager).
    Approve { count_no: String },
    /// Unfreeze without posting anything.
    Cancel { count_no: String },
    /// The blind count sheet as a PDF.
    Sheet {
        count_no: String,
        #[arg(long)]
        out: PathBuf,
    },
}

#[derive(Subcommand)]
enum CheckCmd {
    /// Recompute stock balances and values from the ledger; non-zero exit when they differ.
    Ledger,
    /// Recompute supplier balances from the payables ledger and invoices' paid amounts from the payments.
    Payables,
}

#[derive(Subcommand)]
enum PayablesCmd {
    /// Record a supplier invoice against a PO and match it three ways: LINE_NO:QTY[:UNIT_PRICE[:TAX_PERCENT]],
    /// repeated (price and tax default to the PO's).
    Invoice {
        po_no: String,
        /// The supplier's invoice number.
        #[arg(long)]
        number: String,
        /// Invoice date (default today).
        #[arg(long)]
        date: Option<String>,
        /// Due date (default invoice date + the supplier's payment days).
        #[arg(long)]
        due: Option<String>,
        #[arg(long = "line", required = true)]
        lines: Vec<String>,
        #[arg(long, default_value = "")]
        notes: String,
    },
    /// Invoices, newest first; --status held is the mismatch queue, open the unpaid ones.
    Invoices {
        #[arg(long)]
        status: Option<String>,
        #[arg(long)]
        supplier: Option<String>,
        #[arg(long, default_value_t = 1)]
        page: u64,
        #[arg(long, default_value_t = 50)]
        page_size: u64,
    },
    /// One invoice with its lines and match issues.
    Show { doc_no: String },
    /// Accept a held invoice's variance (it becomes payable).
    Approve {
        doc_no: String,
        #[arg(long)]
        note: String,
    },
    /// Refuse a held invoice.
    Reject {
        doc_no: String,
        #[arg(long)]
        note: String,
    },
    /// Record a payment to a supplier; applied oldest due first unless --apply DOC_NO:AMOUNT is given.
    Pay {
        supplier: String,
        amount: String,
        #[arg(long, default_value = "bank")]
        method: String,
        #[arg(long, default_value = "")]
        reference: String,
        #[arg(long)]
        date: Option<String>,
        #[arg(long)]
        currency: Option<String>,
        #[arg(long = "apply")]
        apply: Vec<String>,
        #[arg(long, default_value = "")]
        notes: String,
    },
    /// Payments, newest first.
    Payments {
        #[arg(long)]
        supplier: Option<String>,
        #[arg(long, default_value_t = 1)]
        page: u64,
        #[arg(long, default_value_t = 50)]
        page_size: u64,
    },
    /// Ageing of what we owe per supplier (账龄), as of a date (default today).
    Ageing {
        #[arg(long)]
        as_of: Option<String>,
    },
    /// A supplier's statement (对账单) with a running balance.
    Statement {
        supplier: String,
        #[arg(long)]
        currency: Option<String>,
        #[arg(long)]
        from: Option<String>,
        #[arg(long)]
        to: Option<String>,
    },
}

#[derive(Subcommand)]
enum BenchCmd {
    /// Fill the stock ledger to N entries and time stock-as-of-date, the on-hand report and the ledger check.
    Ledger {
        #[arg(long, default_value_t = 1_000_000)]
        entries: i64,
    },
    /// Many concurrent tasks reserve one unit each of one hot SKU; nothing may oversell or get lost.
    Reservations {
        #[arg(long, default_value_t = 64)]
        tasks: usize,
        #[arg(long, default_value_t = 1_000)]
        stock: i64,
        #[arg(long, default_value_t = 2_000)]
        attempts: usize,
    },
    /// Generate an N-row supplier price sheet (.xlsx) and time its import end to end (read, check, store).
    PriceImport {
        #[arg(long, default_value_t = 100_000)]
        rows: u64,
        /// Keep the generated file here (to time other readers on the same file).
        #[arg(long)]
        file: Option<PathBuf>,
    },
    /// Generate an order export of N orders (1–3 lines each) and time its import, the review of the orders and
    /// their allocation.
    Orders {
        #[arg(long, default_value_t = 100_000)]
        orders: u64,
        /// Turn the review on import on first (it stays on): the import reviews the orders it creates.
        #[arg(long)]
        review_on_import: bool,
        /// Turn the review and the allocation on import on first (they stay on): the import also allocates the
        /// orders the review approves.
        #[arg(long)]
        allocate_on_import: bool,
    },
    /// Grow the products table to N rows and time the list screen's queries and the Excel export.
    Lists {
        #[arg(long, default_value_t = 100_000)]
        products: u64,
        #[arg(long, default_value_t = 5)]
        repeat: usize,
    },
}

#[derive(Args)]
struct InitArgs {
    /// Create this administrator if no user exists yet.
    #[arg(long, requires = "admin_password")]
    admin_username: Option<String>,
    #[arg(long, env = "SHOPDESK_ADMIN_PASSWORD")]
    admin_password: Option<String>,
}

#[derive(Subcommand)]
enum UsersCmd {
    /// List users.
    List,
    /// Add a user.
    Add {
        #[arg(long)]
        username: String,
        #[arg(long, default_value = "")]
        display_name: String,
        #[arg(long, env = "SHOPDESK_NEW_PASSWORD")]
        password: String,
        #[arg(long, value_enum)]
        role: RoleArg,
        #[arg(long, default_value = "zh-CN")]
        language: String,
    },
}

#[derive(Clone, Copy, ValueEnum)]
enum RoleArg {
    Admin,
    Purchasing,
    Warehouse,
    Operations,
    CustomerService,
    Finance,
    Manager,
}

impl From<RoleArg> for Role {
    fn from(r: RoleArg) -> Role {
        match r {
            RoleArg::Admin => Role::Admin,
            RoleArg::Purchasing => Role::Purchasing,
            RoleArg::Warehouse => Role::Warehouse,
            RoleArg::Operations => Role::Operations,
            RoleArg::CustomerService => Role::CustomerService,
            RoleArg::Finance => Role::Finance,
            RoleArg::Manager => Role::Manager,
        }
    }
}

#[derive(Subcommand)]
enum ListCmd {
    /// List records (server-side search, filter, sort, pagination).
    List(ListArgs),
}

#[derive(Args, Clone)]
struct ListArgs {
    #[arg(long)]
    search: Option<String>,
    /// active (default), archived or all.
    #[arg(long)]
    status: Option<String>,
    #[arg(long)]
    category: Option<String>,
    #[arg(long)]
    tag: Option<String>,
    #[arg(long)]
    qualification: Option<String>,
    #[arg(long)]
    sort: Option<String>,
    #[arg(long)]
    desc: bool,
    #[arg(long, default_value_t = 1)]
    page: u64,
    #[arg(long, default_value_t = 50)]
    page_size: u64,
}

impl ListArgs {
    fn query(&self) -> ListQuery {
        ListQuery {
            search: self.search.clone(),
            status: self.status.clone(),
            category: self.category.clone(),
            tag: self.tag.clone(),
            qualification: self.qualification.clone(),
            sort: self.sort.clone(),
            desc: self.desc,
            page: self.page,
            page_size: self.page_size,
            ..Default::default()
        }
    }
}

#[derive(Clone, Copy, ValueEnum)]
enum ListArg {
    Products,
    Suppliers,
    Warehouses,
    Locations,
    Customers,
}

#[derive(Args)]
struct ExportArgs {
    #[arg(value_enum)]
    list: ListArg,
    /// The .xlsx file to write.
    #[arg(long)]
    out: PathBuf,
    /// Header language: zh-CN or en.
    #[arg(long, default_value = "zh-CN")]
    lang: String,
    #[command(flatten)]
    filters: ListArgs,
}

#[derive(Args)]
struct AuditArgs {
    #[arg(long)]
    entity: Option<String>,
    #[arg(long)]
    search: Option<String>,
    #[arg(long, default_value_t = 20)]
    limit: u64,
}

#[tokio::main]
async fn main() -> ExitCode {
    tracing_subscriber::fmt()
        .with_env_filter(
            tracing_subscriber::EnvFilter::try_from_env("SHOPDESK_LOG")
                .unwrap_or_else(|_| "warn".into()),
        )
        .with_writer(std::io::stderr)
        .init();
    let cli = Cli::parse();
    let json = cli.json;
    match run(cli).await {
        Ok(out) => {
            if json {
                println!(
                    "{}",
                    serde_json::to_string(&out.json).unwrap_or_else(|_| "{}".into())
                );
            } else {
                println!("{}", out.text);
            }
            ExitCode::SUCCESS
        }
        Err(e) => {
            if json {
                eprintln!(
                    "{}",
                    serde_json::to_string(&serde_json::json!({ "error": e })).unwrap_or_default()
                );
            } else {
                eprintln!("error: {}", e.message);
                for d in &e.details {
                    eprintln!("  - {d}");
                }
            }
            ExitCode::FAILURE
        }
    }
}

struct Output {
    text: String,
    json: serde_json::Value,
}

fn out<T: Serialize>(text: String, value: &T) -> Result<Output, ApiError> {
    Ok(Output {
        text,
        json: serde_json::to_value(value).map_err(ApiError::internal)?,
    })
}

async fn open(cli: &Cli) -> Result<Shopdesk, ApiError> {
    let config = match &cli.db {
        Some(url) => DbConfig::parse(url)?,
        None => DbConfig::from_env_or_default()?,
    };
    Ok(Shopdesk::open(config, Arc::new(SystemClock)).await?)
}

async fn actor(desk: &Shopdesk, cli: &Cli) -> Result<Actor, ApiError> {
    Ok(auth::actor_for_cli(desk, cli.user.as_deref()).await?)
}

async fn run(cli: Cli) -> Result<Output, ApiError> {
    let desk = open(&cli).await?;
    let checkpoints = desk.clone();
    let out = run_on(desk, &cli).await;
    // A bulk write's checkpoint runs after the write returned (SQLite): waited for before the process exits.
    checkpoints.wait_for_checkpoint().await;
    out
}

async fn run_on(desk: Shopdesk, cli: &Cli) -> Result<Output, ApiError> {
    match &cli.command {
        Command::Init(args) => {
            let mut created = None;
            if let (Some(u), Some(p)) = (&args.admin_username, &args.admin_password)
                && auth::needs_setup(&desk).await?
            {
                let a = auth::setup_admin(
                    &desk,
                    NewUser {
                        username: u.clone(),
                        display_name: u.clone(),
                        password: p.clone(),
                        role: Role::Admin,
                        language: "zh-CN".into(),
                    },
                )
                .await?;
                created = Some(a.username);
            }
            let needs_setup = auth::needs_setup(&desk).await?;
            let v = serde_json::json!({
                "ok": true,
                "database": desk.config().display_url(),
                "admin_created": created,
                "needs_setup": needs_setup,
            });
            let text = format!(
                "database ready: {}{}",
                desk.config().display_url(),
                if needs_setup {
                    "\nno administrator yet: start the app, or run `shopdesk init --admin-username NAME --admin-password ...`"
                } else {
                    ""
                }
            );
            out(text, &v)
        }
        Command::Demo { seed } => {
            // A fresh database has nobody to act as: the demo then brings its own administrator.
            if auth::needs_setup(&desk).await? {
                auth::setup_admin(
                    &desk,
                    NewUser {
                        username: "admin".into(),
                        display_name: "系统管理员".into(),
                        password: demo::DEMO_PASSWORD.into(),
                        role: Role::Admin,
                        language: "zh-CN".into(),
                    },
                )
                .await?;
            }
            let a = actor(&desk, cli).await?;
            let s = demo::load(&desk, &a, *seed).await?;
            let text = format!(
                "demo company loaded: {} products, {} suppliers, {} warehouses ({} locations), {} customers, {} users (password {})",
                s.products,
                s.suppliers,
                s.warehouses,
                s.locations,
                s.customers,
                s.users,
                s.user_password
            );
            out(text, &s)
        }
        Command::Status => {
            let needs_setup = auth::needs_setup(&desk).await?;
            let v = serde_json::json!({
                "database": desk.config().display_url(),
                "needs_setup": needs_setup,
                "company": desk.company(),
            });
            out(serde_json::to_string_pretty(&v).unwrap_or_default(), &v)
        }
        Command::Users(cmd) => {
            let a = actor(&desk, cli).await?;
            match cmd {
                UsersCmd::List => {
                    let users = auth::list_users(&desk, &a).await?;
                    let text = users
                        .iter()
                        .map(|u| {
                            format!(
                                "{:<16} {:<18} {:<16} {}",
                                u.username,
                                u.role_str(),
                                u.display_name,
                                if u.active { "active" } else { "disabled" }
                            )
                        })
                        .collect::<Vec<_>>()
                        .join("\n");
                    out(text, &serde_json::json!({ "users": users }))
                }
                UsersCmd::Add {
                    username,
                    display_name,
                    password,
                    role,
                    language,
                } => {
                    let u = auth::create_user(
                        &desk,
                        &a,
                        NewUser {
                            username: username.clone(),
                            display_name: display_name.clone(),
                            password: password.clone(),
                            role: (*role).into(),
                            language: language.clone(),
                        },
                    )
                    .await?;
                    out(format!("user {} created", u.username), &u)
                }
            }
        }
        Command::Products(ListCmd::List(args)) => {
            let a = actor(&desk, cli).await?;
            let page = products::list(&desk, &a, &args.query()).await?;
            let text = page_text(&page.items, page.total, |p| {
                format!(
                    "{:<10} {:<14} {:>10} {}",
                    p.sku,
                    p.barcode.clone().unwrap_or_default(),
                    p.price,
                    p.name
                )
            });
            out(text, &page)
        }
        Command::Suppliers(ListCmd::List(args)) => {
            let a = actor(&desk, cli).await?;
            let page = suppliers::list(&desk, &a, &args.query()).await?;
            let text = page_text(&page.items, page.total, |s| {
                format!("{:<8} {:<10} {}", s.code, s.qualification, s.name)
            });
            out(text, &page)
        }
        Command::Warehouses(ListCmd::List(args)) => {
            let a = actor(&desk, cli).await?;
            let page = warehouses::list(&desk, &a, &args.query()).await?;
            let text = page_text(&page.items, page.total, |w| {
                format!("{:<8} {:>5} {}", w.code, w.location_count, w.name)
            });
            out(text, &page)
        }
        Command::Customers(ListCmd::List(args)) => {
            let a = actor(&desk, cli).await?;
            let page = customers::list(&desk, &a, &args.query()).await?;
            let text = page_text(&page.items, page.total, |c| {
                format!(
                    "{:<8} {:<12} {:<14} {}",
                    c.code,
                    c.name,
                    c.phone,
                    c.tags.join(",")
                )
            });
            out(text, &page)
        }
        Command::Export(args) => {
            let a = actor(&desk, cli).await?;
            let kind = match args.list {
                ListArg::Products => ListKind::Products,
                ListArg::Suppliers => ListKind::Suppliers,
                ListArg::Warehouses => ListKind::Warehouses,
                ListArg::Locations => ListKind::Locations,
                ListArg::Customers => ListKind::Customers,
            };
            let r = export::export_list(
                &desk,
                &a,
                kind,
                &args.filters.query(),
                &args.lang,
                &args.out,
            )
            .await?;
            out(format!("{} rows written to {}", r.rows, r.path), &r)
        }
        Command::Audit(args) => {
            let a = actor(&desk, cli).await?;
            let page = audit::list(
                &desk,
                &a,
                audit::AuditQuery {
                    entity: args.entity.clone(),
                    search: args.search.clone(),
                    page_size: args.limit,
                    ..Default::default()
                },
            )
            .await?;
            let text = page_text(&page.items, page.total, |e| {
                format!(
                    "{} {:<10} {:<14} {:<10} {}",
                    e.at.format("%Y-%m-%d %H:%M:%S"),
                    e.username,
                    e.action,
                    e.entity,
                    e.entity_key
                )
            });
            out(text, &page)
        }
        Command::Backup { out: target, auto } => {
            let a = actor(&desk, cli).await?;
            a.require(auth::Permission::Backup)
                .map_err(ApiError::from)?;
            if *auto {
                let made = backup::auto_backup_if_due(&desk, 14).await?;
                let text = match &made {
                    Some(b) => format!("automatic backup written to {}", b.path),
                    None => "the last automatic backup is less than a day old".to_string(),
                };
                return out(text, &serde_json::json!({ "backup": made }));
            }
            let info = match target {
                Some(path) => {
                    backup::write_copy(&desk, path).await?;
                    serde_json::json!({ "path": path.display().to_string() })
                }
                None => serde_json::to_value(backup::backup_now(&desk, &a).await?)
                    .map_err(ApiError::internal)?,
            };
            out(
                format!(
                    "backup written: {}",
                    info["path"].as_str().unwrap_or_default()
                ),
                &info,
            )
        }
        Command::Stock(cmd) => {
            use shopdesk_core::inventory::{self, reports};
            let a = actor(&desk, cli).await?;
            let product_id = |sku: String| {
                let (desk, a) = (&desk, &a);
                async move {
                    products::find_by_sku(desk, a, &sku)
                        .await?
                        .map(|p| p.id)
                        .ok_or_else(|| {
                            ApiError::new(
                                "inventory.not_found",
                                format!("no product with SKU {sku}"),
                            )
                            .with_field("sku")
                        })
                }
            };
            match cmd {
                StockCmd::Adjust {
                    sku,
                    location,
                    qty,
                    unit_cost,
                    note,
                    date,
                } => {
                    let date = date.as_deref().map(parse_day).transpose()?;
                    let pid = product_id(sku.clone()).await?;
                    let (wh_code, loc_code) = location.split_once('/').ok_or_else(|| {
                        ApiError::new(
                            "validation",
                            "--location is WAREHOUSE/LOCATION, e.g. WH-SH/A-01-1",
                        )
                        .with_field("location")
                    })?;
                    let loc = location_id(&desk, wh_code, loc_code).await?;
                    let cost = unit_cost
                        .as_deref()
                        .map(shopdesk_core::money::UnitPrice::parse)
                        .transpose()
                        .map_err(|e| {
                            ApiError::new("validation", e.to_string()).with_field("unit_cost")
                        })?;
                    let id = inventory::adjust_on(
                        &desk,
                        &a,
                        &inventory::Adjustment {
                            product_id: pid,
                            location_id: loc,
                            qty: *qty,
                            unit_cost: cost,
                            note: note.clone(),
                            date,
                        },
                    )
                    .await?;
                    let (wh_id, _) = location_ids(&desk, wh_code, loc_code).await?;
                    let (vq, vv) = inventory::valuation(&desk, pid, wh_id).await?;
                    let v = serde_json::json!({ "ledger_id": id, "warehouse_qty": vq, "warehouse_value": inventory::fen_text(&desk, vv) });
                    out(
                        format!(
                            "posted ledger entry #{id}; {sku} in {wh_code}: {vq} units worth {}",
                            inventory::fen_text(&desk, vv)
                        ),
                        &v,
                    )
                }
                StockCmd::Balances { sku } => {
                    let pid = product_id(sku.clone()).await?;
                    let rows = inventory::balances(&desk, &a, pid).await?;
                    let text = rows
                        .iter()
                        .map(|b| format!("location #{:<6} on hand {:>8} reserved {:>8} available {:>8} in transit {:>6}", b.location_id, b.on_hand, b.reserved, b.available, b.in_transit))
                        .collect::<Vec<_>>()
                        .join("\n");
                    out(text, &serde_json::json!({ "sku": sku, "balances": rows }))
                }
                StockCmd::OnHand => {
                    let rows = reports::on_hand(&desk, &a).await?;
                    let text = rows
                        .iter()
                        .map(|l| {
                            format!(
                                "{:<8} {:<10} {:>5} SKUs {:>10} on hand {:>10} available {:>14}",
                                l.warehouse_code,
                                l.category,
                                l.skus,
                                l.on_hand,
                                l.available,
                                inventory::fen_text(&desk, l.value_fen)
                            )
                        })
                        .collect::<Vec<_>>()
                        .join("\n");
                    out(text, &serde_json::json!({ "lines": rows }))
                }
                StockCmd::AsOf { date } => {
                    let d = chrono::NaiveDate::parse_from_str(date, "%Y-%m-%d").map_err(|_| {
                        ApiError::new("validation", format!("`{date}` is not a date (YYYY-MM-DD)"))
                            .with_field("date")
                    })?;
                    let rows = reports::stock_as_of(&desk, &a, d).await?;
                    let total: i64 = rows.iter().map(|r| r.value_fen).sum();
                    out(
                        format!(
                            "{} SKU × warehouse rows with stock at the end of {d}; total value {}",
                            rows.len(),
                            inventory::fen_text(&desk, total)
                        ),
                        &serde_json::json!({ "date": d, "rows": rows, "total_value": inventory::fen_text(&desk, total) }),
                    )
                }
                StockCmd::Move {
                    warehouse,
                    sku,
                    from,
                    to,
                    qty,
                    note,
                } => {
                    use shopdesk_core::inventory::warehouse::{self, MoveInput};
                    let m = warehouse::move_stock(
                        &desk,
                        &a,
                        &MoveInput {
                            warehouse_code: warehouse.clone(),
                            sku: sku.clone(),
                            from_location: from.clone(),
                            to_location: to.clone().unwrap_or_default(),
                            qty: *qty,
                            note: note.clone(),
                        },
                    )
                    .await?;
                    out(
                        format!(
                            "moved {} × {} from {} to {}",
                            m.qty, m.sku, m.from_location, m.to_location
                        ),
                        &m,
                    )
                }
                StockCmd::Suggest { warehouse, sku } => {
                    let s = inventory::warehouse::suggest_location(&desk, &a, warehouse, sku, None)
                        .await?;
                    out(format!("{} ({})", s.location_code, s.reason), &s)
                }
            }
        }
        Command::Transfer(cmd) => {
            let a = actor(&desk, cli).await?;
            transfer_cmd(&desk, &a, cmd).await
        }
        Command::Count(cmd) => {
            let a = actor(&desk, cli).await?;
            count_cmd(&desk, &a, cmd).await
        }
        Command::Check(CheckCmd::Ledger) => {
            let a = actor(&desk, cli).await?;
            let r = shopdesk_core::inventory::check(&desk, &a).await?;
            if !r.ok {
                let mut e = ApiError::new(
                    "inventory.ledger_mismatch",
                    format!(
                        "{} differences between balances and the ledger",
                        r.differences.len()
                    ),
                );
                e.params.insert(
                    "report".into(),
                    serde_json::to_string(&r).unwrap_or_default(),
                );
                if cli.json {
                    // The report itself goes to stdout so scripts can read it; the exit code says it failed.
                    println!("{}", serde_json::to_string(&r).unwrap_or_default());
                }
                return Err(e);
            }
            let text = format!(
                "ledger ok: {} entries, {} balances agree",
                r.ledger_entries, r.balances_checked
            );
            out(text, &r)
        }
        Command::Bench(BenchCmd::Reservations {
            tasks,
            stock,
            attempts,
        }) => {
            let a = actor(&desk, cli).await?;
            let b =
                shopdesk_core::bench::reservations(&desk, &a, *tasks, *stock, *attempts).await?;
            let text = format!(
                "{} attempts by {} tasks on {} (stock {}): reserved {}, rejected {}, oversold {}, lost {}, {:.3} s, {} per second, ledger {}",
                b.attempts,
                b.tasks,
                b.backend,
                b.stock,
                b.reserved,
                b.rejected,
                b.oversold,
                b.lost,
                b.seconds,
                b.per_second,
                if b.ledger_ok { "ok" } else { "MISMATCH" }
            );
            out(text, &b)
        }
        Command::Bench(BenchCmd::Ledger { entries }) => {
            let a = actor(&desk, cli).await?;
            let b = shopdesk_core::bench::ledger(&desk, &a, *entries).await?;
            let mut text = format!("{} ledger entries on {}\n", b.ledger_entries, b.backend);
            for t in &b.timings {
                text.push_str(&format!(
                    "{:>10.1} ms  {:>8} rows  {}\n",
                    t.millis, t.rows, t.what
                ));
            }
            out(text, &b)
        }
        Command::Bench(BenchCmd::Lists { products, repeat }) => {
            let a = actor(&desk, cli).await?;
            let dir = std::env::temp_dir().join("shopdesk-bench");
            let b = shopdesk_core::bench::lists(&desk, &a, *products, *repeat, &dir).await?;
            let mut text = format!("{} products on {}\n", b.products, b.backend);
            for t in &b.timings {
                text.push_str(&format!(
                    "{:>10.1} ms  {:>8} rows  {}\n",
                    t.millis, t.rows, t.what
                ));
            }
            out(text, &b)
        }
        Command::Import(ImportCmd::SupplierSheet(args)) => {
            let a = actor(&desk, cli).await?;
            import_supplier_sheet(&desk, &a, args).await
        }
        Command::Import(ImportCmd::Orders(args)) => {
            let a = actor(&desk, cli).await?;
            import_orders(&desk, &a, args).await
        }
        Command::Orders(cmd) => {
            let a = actor(&desk, cli).await?;
            orders_cmd(&desk, &a, cmd).await
        }
        Command::Report(ReportCmd::Sales {
            from,
            to,
            channel,
            lang,
            xlsx,
            pdf,
        }) => {
            use shopdesk_core::sales::summary::{self, SalesQuery};
            let a = actor(&desk, cli).await?;
            let q = SalesQuery {
                from: from.as_deref().map(parse_day).transpose()?,
                to: to.as_deref().map(parse_day).transpose()?,
                channel: channel.clone(),
            };
            let r = summary::sales(&desk, &a, &q).await?;
            let lang = lang.clone().unwrap_or_else(|| a.language.clone());
            let doc = summary::document(&desk, &lang, &r);
            save_report(&doc, xlsx.as_deref(), pdf.as_deref())?;
            let mut t = format!(
                "{} orders, GMV {} {}, paid {}, refunded {}\n",
                r.orders, r.gmv, r.currency, r.paid, r.refunded
            );
            for (s, n) in &r.by_status {
                t.push_str(&format!("  {s:<16} {n:>8}\n"));
            }
            out(t, &r)
        }
        Command::Prices(cmd) => {
            let a = actor(&desk, cli).await?;
            prices_cmd(&desk, &a, cmd).await
        }
        Command::Po(cmd) => {
            let a = actor(&desk, cli).await?;
            po_cmd(&desk, &a, cmd).await
        }
        Command::Payables(cmd) => {
            let a = actor(&desk, cli).await?;
            payables_cmd(&desk, &a, cmd).await
        }
        Command::Check(CheckCmd::Payables) => {
            let a = actor(&desk, cli).await?;
            let r = shopdesk_core::procurement::payables::check(&desk, &a).await?;
            if !r.ok {
                if cli.json {
                    println!("{}", serde_json::to_string(&r).unwrap_or_default());
                }
                return Err(ApiError::new(
                    "procurement.payables_mismatch",
                    format!("{} differences in the payables", r.differences.len()),
                ));
            }
            out(
                format!("payables ok: {} ledger entries agree", r.entries),
                &r,
            )
        }
        Command::Plan {
            window_days,
            cover_days,
            create,
            warehouse,
        } => {
            use shopdesk_core::procurement::planning::{self, PlanOptions, PlannedLine};
            let a = actor(&desk, cli).await?;
            let opts = PlanOptions {
                window_days: *window_days,
                cover_days: *cover_days,
            };
            let plan = planning::suggestions(&desk, &a, &opts).await?;
            if let (Some(code), Some(wh)) = (create, warehouse) {
                let lines: Vec<PlannedLine> = plan
                    .iter()
                    .filter(|g| &g.supplier_code == code)
                    .flat_map(|g| g.lines.iter())
                    .map(|l| PlannedLine {
                        sku: l.sku.clone(),
                        qty: l.suggested_qty,
                    })
                    .collect();
                let po = planning::to_draft_po(&desk, &a, code, wh, None, &lines).await?;
                return out(po_text(&po), &po);
            }
            let mut text = String::new();
            for g in &plan {
                text.push_str(&format!(
                    "{} {}\n",
                    if g.supplier_code.is_empty() {
                        "(no supplier)"
                    } else {
                        &g.supplier_code
                    },
                    g.supplier_name
                ));
                for l in &g.lines {
                    text.push_str(&format!(
                        "  {:<12} {:<20} on hand {:>6} reserved {:>5} on order {:>5} velocity {:>6}/d lead {:>3} d  → buy {:>6} @ {}\n",
                        l.sku, l.name, l.on_hand, l.reserved, l.on_order, l.velocity, l.lead_time_days, l.suggested_qty, l.unit_price.clone().unwrap_or_else(|| "-".into())
                    ));
                }
            }
            out(text, &plan)
        }
        Command::Report(ReportCmd::Stock {
            kind,
            date,
            from,
            to,
            warehouse,
            sku,
            basis,
            days,
            lang,
            xlsx,
            pdf,
        }) => {
            use shopdesk_core::inventory::analysis::{
                self, AbcBasis, InventoryReport, ReportQuery,
            };
            let a = actor(&desk, cli).await?;
            let kind = InventoryReport::parse(kind).ok_or_else(|| {
                ApiError::new(
                    "validation",
                    format!("unknown report `{kind}`: on-hand, as-of, movements, abc, turnover, ageing or slow-moving"),
                )
                .with_field("kind")
            })?;
            let basis = match basis.as_str() {
                "value" => AbcBasis::Value,
                "volume" => AbcBasis::Volume,
                other => {
                    return Err(ApiError::new(
                        "validation",
                        format!("--basis is value or volume, not `{other}`"),
                    )
                    .with_field("basis"));
                }
            };
            let q = ReportQuery {
                kind,
                date: date.as_deref().map(parse_day).transpose()?,
                from: from.as_deref().map(parse_day).transpose()?,
                to: to.as_deref().map(parse_day).transpose()?,
                warehouse: warehouse.clone(),
                sku: sku.clone(),
                basis: Some(basis),
                days: *days,
            };
            let lang = lang.clone().unwrap_or_else(|| a.language.clone());
            let report = analysis::run(&desk, &a, &q, &lang).await?;
            save_report(&report, xlsx.as_deref(), pdf.as_deref())?;
            out(report_text(&report), &report)
        }
        Command::Period(cmd) => {
            use shopdesk_core::inventory::periods;
            let a = actor(&desk, cli).await?;
            let st = match cmd {
                PeriodCmd::Status => periods::status(&desk, &a).await?,
                PeriodCmd::Close { through, note } => {
                    periods::close(&desk, &a, parse_day(through)?, note).await?
                }
                PeriodCmd::Reopen { through, reason } => {
                    let through = through.as_deref().map(parse_day).transpose()?;
                    periods::reopen(&desk, &a, through, reason).await?
                }
            };
            let text = match st.closed_through {
                Some(d) => format!("stock periods closed through {d} (by {})", st.updated_by),
                None => "no stock period is closed".to_string(),
            };
            out(text, &st)
        }
        Command::Scorecard { from, to } => {
            let a = actor(&desk, cli).await?;
            let today = desk.biz_date(desk.now());
            let to = match to {
                Some(d) => parse_day(d)?,
                None => today,
            };
            let from = match from {
                Some(d) => parse_day(d)?,
                None => to - chrono::Duration::days(365),
            };
            let cards =
                shopdesk_core::procurement::scorecard::scorecards(&desk, &a, from, to).await?;
            let text = cards
                .iter()
                .map(|c| {
                    format!(
                        "{:<10} {:<24} orders {:>4}  on time {:>6}%  pass {:>6}%  lead {:>5} d  price index {:>6}",
                        c.supplier_code,
                        c.supplier_name,
                        c.orders,
                        c.on_time_rate.clone().unwrap_or_else(|| "-".into()),
                        c.pass_rate.clone().unwrap_or_else(|| "-".into()),
                        c.avg_lead_days.clone().unwrap_or_else(|| "-".into()),
                        c.price_index.clone().unwrap_or_else(|| "-".into())
                    )
                })
                .collect::<Vec<_>>()
                .join("\n");
            out(text, &cards)
        }
        Command::Bench(BenchCmd::PriceImport { rows, file }) => {
            let a = actor(&desk, cli).await?;
            let b = shopdesk_core::bench::price_import(&desk, &a, *rows, file.as_deref()).await?;
            let mut text = format!("{} rows, {} on {}\n", b.rows, b.file, b.backend);
            for t in &b.timings {
                text.push_str(&format!(
                    "{:>10.1} ms  {:>8} rows  {}\n",
                    t.millis, t.rows, t.what
                ));
            }
            text.push_str(&format!("peak memory {} MiB\n", b.peak_rss_mib));
            out(text, &b)
        }
        Command::Bench(BenchCmd::Orders {
            orders,
            review_on_import,
            allocate_on_import,
        }) => {
            let a = actor(&desk, cli).await?;
            let settings = shopdesk_core::sales::review::ReviewSettings {
                review_on_import: *review_on_import || *allocate_on_import,
                allocate_on_import: *allocate_on_import,
            };
            let b = shopdesk_core::bench::orders(&desk, &a, *orders, &settings).await?;
            let mut text = format!(
                "{} orders ({} rows), {} on {}\n",
                b.orders, b.rows, b.file, b.backend
            );
            for t in &b.timings {
                text.push_str(&format!(
                    "{:>10.1} ms  {:>8} rows  {}\n",
                    t.millis, t.rows, t.what
                ));
            }
            text.push_str(&format!(
                "{} orders per second (import + review + allocate and reserve), {} counting the checkpoint after the import, peak memory {} MiB\n",
                b.orders_per_second, b.orders_per_second_with_checkpoint, b.peak_rss_mib
            ));
            out(text, &b)
        }
        Command::Restore { file } => {
            let a = actor(&desk, cli).await?;
            match backup::restore(desk, &a, file).await {
                Ok(_) => out(
                    format!("restored from {}", file.display()),
                    &serde_json::json!({ "ok": true, "restored_from": file.display().to_string() }),
                ),
                Err((_, e)) => Err(e.into()),
            }
        }
    }
}

/// The column mapping (`--header-row`, `--column FIELD=COL`...) and text encoding every file import takes.
fn sheet_options(
    file: &str,
    header_row: Option<u32>,
    columns: &[String],
    known: &[shopdesk_core::imports::header::FieldSpec],
    encoding: &str,
) -> Result<
    (
        shopdesk_core::imports::header::Mapping,
        shopdesk_core::imports::TextEncoding,
    ),
    ApiError,
> {
    use shopdesk_core::imports::{TextEncoding, header::Mapping};
    let mut mapping = Mapping {
        header_row,
        ..Default::default()
    };
    for c in columns {
        mapping.add_arg(file, c, known)?;
    }
    let encoding = TextEncoding::parse(encoding).ok_or_else(|| {
        ApiError::new(
            "import.encoding",
            format!("unknown encoding `{encoding}`: auto, utf8 or gbk"),
        )
        .with_field("encoding")
    })?;
    Ok((mapping, encoding))
}

async fn import_orders(
    desk: &Shopdesk,
    a: &Actor,
    args: &OrderImportArgs,
) -> Result<Output, ApiError> {
    use shopdesk_core::imports::Control;
    use shopdesk_core::sales::channels::{Channel, field_specs};
    use shopdesk_core::sales::import::{self, OrderImportOptions};
    let file = args.file.display().to_string();
    let channel = Channel::parse(&args.channel)
        .filter(|c| *c != Channel::Manual)
        .ok_or_else(|| {
            ApiError::from(shopdesk_core::sales::SalesError::UnknownChannel(
                args.channel.clone(),
            ))
        })?;
    let (mapping, encoding) = sheet_options(
        &file,
        args.header_row,
        &args.columns,
        field_specs(),
        &args.encoding,
    )?;
    let opts = OrderImportOptions {
        channel,
        shop: args.shop.clone(),
        sheet: args.sheet.clone(),
        mapping,
        encoding,
        dry_run: args.dry_run,
        currency: args.currency.clone(),
        save_mapping: !args.columns.is_empty(),
    };
    let s = import::import_file(
        desk,
        a,
        &args.file,
        &opts,
        args.rejects.as_deref(),
        &Control::new(),
    )
    .await?;
    let mut t = format!(
        "{}{}: {} rows read, {} orders created, {} updated, {} unchanged, {} lines, {} rows failed\n",
        if s.dry_run { "(dry run) " } else { "" },
        s.file,
        s.rows_read,
        s.orders_created,
        s.orders_updated,
        s.orders_unchanged,
        s.lines,
        s.rows_failed
    );
    if let Some(r) = &s.review {
        t.push_str(&format!(
            "reviewed on import: {} approved, {} held (shopdesk orders held)\n",
            r.approved, r.held
        ));
    }
    if s.unmapped_sku_count > 0 {
        t.push_str(&format!(
            "{} platform codes are not mapped to our SKUs (shopdesk orders unmapped)\n",
            s.unmapped_sku_count
        ));
    }
    for e in s.errors.iter().take(20) {
        t.push_str(&format!(
            "  {} row {} {}: {}\n",
            e.sheet, e.row, e.column, e.message
        ));
    }
    out(t, &s)
}

async fn orders_cmd(desk: &Shopdesk, a: &Actor, cmd: &OrdersCmd) -> Result<Output, ApiError> {
    use shopdesk_core::sales::{self, skus};
    match cmd {
        OrdersCmd::List {
            channel,
            status,
            search,
            page,
            page_size,
        } => {
            let q = shopdesk_core::listing::ListQuery {
                search: search.clone(),
                status: status.clone(),
                category: channel.clone(),
                page: *page,
                page_size: *page_size,
                ..Default::default()
            };
            let p = sales::list(desk, a, &q).await?;
            let mut t = format!("{} orders (page {})\n", p.total, p.page);
            for o in &p.items {
                t.push_str(&format!(
                    "{:<8} {:<24} {:<15} {} {:>12} {} {}\n",
                    o.channel,
                    o.platform_order_no,
                    o.status,
                    o.biz_date,
                    o.total,
                    o.currency,
                    o.receiver
                ));
            }
            out(t, &p)
        }
        OrdersCmd::Show {
            platform_order_no,
            channel,
        } => {
            let o = sales::get(desk, a, platform_order_no, channel.as_deref()).await?;
            let events = sales::timeline(desk, a, o.id).await?;
            let mut t = format!(
                "{} {} {} ({})  {}  total {} {}, paid {}, refunded {}\n{} {} {}\n",
                o.channel,
                o.platform_order_no,
                o.status,
                o.platform_status,
                o.ordered_at,
                o.total,
                o.currency,
                o.paid,
                o.refunded,
                o.receiver,
                o.phone,
                o.address
            );
            for l in &o.lines {
                t.push_str(&format!(
                    "  #{} {} → {} {} × {} = {}\n",
                    l.line_no,
                    l.platform_sku,
                    if l.sku.is_empty() {
                        "(unmapped)"
                    } else {
                        &l.sku
                    },
                    l.title,
                    l.qty,
                    l.amount
                ));
            }
            for e in &events {
                t.push_str(&format!(
                    "  {} {} {} {}\n",
                    e.at, e.username, e.kind, e.detail
                ));
            }
            let v = serde_json::json!({ "order": o, "timeline": events });
            out(t, &v)
        }
        OrdersCmd::Unmapped { channel } => {
            let list = skus::unmapped(desk, a, channel.as_deref()).await?;
            let mut t = String::new();
            for u in &list {
                t.push_str(&format!(
                    "{:<8} {:<24} {} lines, {} units  {} {}\n",
                    u.channel, u.platform_sku, u.lines, u.qty, u.title, u.spec
                ));
            }
            if list.is_empty() {
                t.push_str("every imported code is mapped\n");
            }
            out(t, &list)
        }
        OrdersCmd::MapSku {
            channel,
            platform_sku,
            sku,
        } => {
            let m = skus::map_sku(desk, a, channel, platform_sku, sku).await?;
            out(
                format!(
                    "{} {} → {} {} ({} lines updated)",
                    m.channel, m.platform_sku, m.sku, m.name, m.lines_updated
                ),
                &m,
            )
        }
        OrdersCmd::Review { dry_run, from, to } => {
            use sales::review::{self, ReviewScope};
            let scope = ReviewScope {
                dry_run: *dry_run,
                from: from.as_deref().map(parse_day).transpose()?,
                to: to.as_deref().map(parse_day).transpose()?,
                order_ids: None,
            };
            let r = review::review(desk, a, &scope).await?;
            let mut t = format!(
                "{}{} orders: {} approved, {} held\n",
                if r.dry_run { "(dry run) " } else { "" },
                r.orders,
                r.approved,
                r.held
            );
            for (reason, n) in &r.by_reason {
                t.push_str(&format!("  {reason:<24} {n:>8}\n"));
            }
            out(t, &r)
        }
        OrdersCmd::Held => {
            let q = sales::review::held(desk, a).await?;
            let mut t = format!("{} held orders\n", q.len());
            for o in &q {
                let reasons: Vec<&str> = o.hold_reasons.iter().map(|r| r.rule.as_str()).collect();
                t.push_str(&format!(
                    "{:<8} {:<24} {:>12} {}  {}\n",
                    o.channel,
                    o.platform_order_no,
                    o.total,
                    o.currency,
                    reasons.join(", ")
                ));
            }
            out(t, &q)
        }
        OrdersCmd::Decide {
            platform_order_no,
            decision,
            note,
            channel,
        } => {
            use sales::review::{self, OrderDecision};
            let d = match decision.as_str() {
                "approve" => OrderDecision::Approve,
                "cancel" => OrderDecision::Cancel,
                other => {
                    return Err(ApiError::new(
                        "validation",
                        format!("the decision is approve or cancel, not `{other}`"),
                    )
                    .with_field("decision"));
                }
            };
            let o = sales::get(desk, a, platform_order_no, channel.as_deref()).await?;
            let status = review::decide(desk, a, o.id, d, note).await?;
            out(
                format!("{} {}", o.platform_order_no, status),
                &serde_json::json!({ "platform_order_no": o.platform_order_no, "status": status }),
            )
        }
        OrdersCmd::ReviewOnImport { state } | OrdersCmd::AllocateOnImport { state } => {
            let allocate = matches!(cmd, OrdersCmd::AllocateOnImport { .. });
            let mut s = sales::review::settings(desk, a).await?;
            if let Some(v) = state.as_deref() {
                if allocate {
                    s.allocate_on_import = v == "on";
                } else {
                    s.review_on_import = v == "on";
                }
                s = sales::review::save_settings(desk, a, &s).await?;
            }
            let on_off = |b: bool| if b { "on" } else { "off" };
            out(
                format!(
                    "review on import: {}\nallocate on import: {}{}",
                    on_off(s.review_on_import),
                    on_off(s.allocate_on_import),
                    if s.allocate_on_import && !s.review_on_import {
                        " (only while the review on import is on)"
                    } else {
                        ""
                    }
                ),
                &s,
            )
        }
        OrdersCmd::Rules => {
            let rules = sales::review::rules(desk, a).await?;
            let mut t = String::new();
            for r in &rules {
                t.push_str(&format!(
                    "{:>4} {} {:<16} {} → {}\n",
                    r.position,
                    if r.enabled { "on " } else { "off" },
                    r.name,
                    serde_json::to_string(&r.condition).unwrap_or_default(),
                    serde_json::to_string(&r.outcome).unwrap_or_default()
                ));
            }
            out(t, &rules)
        }
        OrdersCmd::Allocate { split, no_merge } => {
            use sales::allocate::{self, AllocateOptions};
            let r = allocate::allocate(
                desk,
                a,
                &AllocateOptions {
                    order_ids: None,
                    split: *split,
                    merge: !*no_merge,
                },
            )
            .await?;
            let mut t = format!(
                "{} orders: {} allocated, {} partly, {} waiting; {} parcels, {} units; {} merged, {} split\n",
                r.orders,
                r.allocated,
                r.partial,
                r.waiting,
                r.parcels,
                r.units,
                r.merged_orders,
                r.split_orders
            );
            for w in r.waiting_orders.iter().take(20) {
                let short: Vec<String> = w
                    .shortages
                    .iter()
                    .map(|s| format!("{}×{}", s.sku, s.qty))
                    .collect();
                t.push_str(&format!(
                    "  waiting {} short {}\n",
                    w.platform_order_no,
                    short.join(" ")
                ));
            }
            out(t, &r)
        }
        OrdersCmd::Merges => {
            let groups = sales::allocate::merge_candidates(desk, a).await?;
            let mut t = format!("{} groups\n", groups.len());
            for g in &groups {
                t.push_str(&format!("  {}\n", g.join(" + ")));
            }
            out(t, &groups)
        }
        OrdersCmd::Split {
            platform_order_no,
            parcels,
            note,
            channel,
        } => {
            use sales::allocate::{self, HandLine, HandParcel};
            let mut parts = Vec::new();
            for p in parcels {
                let bad = || {
                    ApiError::new(
                        "validation",
                        format!("`{p}` is not WAREHOUSE:LINE=QTY[,LINE=QTY...]"),
                    )
                    .with_field("parcel")
                };
                let (wh, rest) = p.split_once(':').ok_or_else(bad)?;
                let mut lines = Vec::new();
                for item in rest.split(',') {
                    let (l, q) = item.split_once('=').ok_or_else(bad)?;
                    lines.push(HandLine {
                        line_no: l.trim().parse().map_err(|_| bad())?,
                        qty: q.trim().parse().map_err(|_| bad())?,
                    });
                }
                parts.push(HandParcel {
                    warehouse: wh.trim().to_string(),
                    lines,
                });
            }
            let o = sales::get(desk, a, platform_order_no, channel.as_deref()).await?;
            let nos = allocate::allocate_by_hand(desk, a, o.id, &parts, note).await?;
            out(
                format!("{} → {}", o.platform_order_no, nos.join(", ")),
                &nos,
            )
        }
        OrdersCmd::Parcels {
            status,
            warehouse,
            wave,
            exceptions,
            search,
        } => {
            use sales::outbound::{self, ParcelFilter};
            let list = outbound::parcels(
                desk,
                a,
                &ParcelFilter {
                    status: status.clone(),
                    warehouse: warehouse.clone(),
                    wave_no: wave.clone(),
                    carrier: None,
                    exceptions: *exceptions,
                    search: search.clone(),
                },
            )
            .await?;
            let mut t = format!("{} parcels\n", list.len());
            for p in &list {
                t.push_str(&parcel_line(p));
            }
            out(t, &list)
        }
        OrdersCmd::Parcel { key } => {
            let p = sales::outbound::parcel(desk, a, key).await?;
            let mut t = parcel_line(&p);
            t.push_str(&format!("  to {} {} {}\n", p.receiver, p.phone, p.address));
            for l in &p.lines {
                t.push_str(&format!(
                    "  {:<10} {:<12} {} × {} (checked {})  order {}\n",
                    l.location, l.sku, l.name, l.qty, l.checked, l.order_no
                ));
            }
            out(t, &p)
        }
        OrdersCmd::CancelParcel { parcel_no, note } => {
            sales::allocate::cancel_parcel(desk, a, parcel_no, note).await?;
            out(
                format!("{parcel_no} cancelled"),
                &serde_json::json!({ "parcel_no": parcel_no, "status": "cancelled" }),
            )
        }
        OrdersCmd::Wave {
            warehouse,
            kind,
            max,
        } => {
            use sales::outbound::{self, WaveKind};
            let k = match kind.as_str() {
                "single" => WaveKind::Single,
                "multi" => WaveKind::Multi,
                "hot" => WaveKind::Hot,
                "mixed" => WaveKind::Mixed,
                other => {
                    return Err(ApiError::new(
                        "validation",
                        format!("the kind is single, multi, hot or mixed, not `{other}`"),
                    )
                    .with_field("kind"));
                }
            };
            match outbound::create_wave(desk, a, warehouse, k, *max).await? {
                Some(w) => out(
                    format!(
                        "{} {} {}: {} parcels, {} units",
                        w.wave_no, w.warehouse, w.kind, w.parcels, w.units
                    ),
                    &w,
                ),
                None => out("nothing to pick".into(), &serde_json::Value::Null),
            }
        }
        OrdersCmd::Waves { open } => {
            let list = sales::outbound::waves(desk, a, *open).await?;
            let mut t = String::new();
            for w in &list {
                t.push_str(&format!(
                    "{} {:<6} {:<6} {:<5} {}/{} parcels done, {} units\n",
                    w.wave_no, w.warehouse, w.kind, w.status, w.done, w.parcels, w.units
                ));
            }
            out(t, &list)
        }
        OrdersCmd::PickList {
            wave_no,
            lang,
            xlsx,
            pdf,
        } => {
            let lang = lang.clone().unwrap_or_else(|| a.language.clone());
            let r = sales::outbound::pick_list(desk, a, wave_no, &lang).await?;
            save_report(&r, xlsx.as_deref(), pdf.as_deref())?;
            let mut t = format!("{}\n", r.title);
            for row in &r.rows {
                t.push_str(&format!("  {}\n", row.join("  ")));
            }
            out(t, &r)
        }
        OrdersCmd::Slips { key, pdf, lang } => {
            let lang = lang.clone().unwrap_or_else(|| a.language.clone());
            let bytes = sales::outbound::packing_slips(desk, a, key, &lang).await?;
            write_file(pdf, &bytes)
        }
        OrdersCmd::Check { parcel_no, codes } => {
            let mut last = None;
            for c in codes {
                last = Some(sales::outbound::check_scan(desk, a, parcel_no, c).await?);
            }
            let st = last.expect("clap requires a code");
            let mut t = format!(
                "{} {}\n",
                st.parcel_no,
                if st.complete {
                    "complete"
                } else {
                    "in progress"
                }
            );
            for l in &st.lines {
                t.push_str(&format!("  {:<12} {}/{}\n", l.sku, l.checked, l.qty));
            }
            out(t, &st)
        }
        OrdersCmd::Pack { parcel_no, weight } => {
            let p = sales::outbound::pack(desk, a, parcel_no, weight).await?;
            out(parcel_line(&p), &p)
        }
        OrdersCmd::Tracking {
            parcel_no,
            carrier,
            tracking,
            service,
        } => {
            use sales::outbound::{self, TrackingInput};
            outbound::set_tracking(
                desk,
                a,
                parcel_no,
                &TrackingInput {
                    carrier: carrier.clone(),
                    service: service.clone(),
                    tracking_no: tracking.clone(),
                },
            )
            .await?;
            let p = outbound::parcel(desk, a, parcel_no).await?;
            out(parcel_line(&p), &p)
        }
        OrdersCmd::Ship {
            parcel_no,
            carrier,
            tracking,
            service,
        } => {
            use sales::outbound::{self, TrackingInput};
            let t = tracking.as_ref().map(|tr| TrackingInput {
                carrier: carrier.clone().unwrap_or_default(),
                service: service.clone(),
                tracking_no: tr.clone(),
            });
            let p = outbound::ship(desk, a, parcel_no, t.as_ref()).await?;
            out(parcel_line(&p), &p)
        }
        OrdersCmd::ImportTracking {
            file,
            carrier,
            lang,
        } => {
            let lang = lang.clone().unwrap_or_else(|| a.language.clone());
            let s = sales::outbound::import_tracking(desk, a, file, carrier, &lang).await?;
            let mut t = format!(
                "{} rows: {} tracking numbers set, {} delivered, {} updated, {} failed\n",
                s.rows_read, s.assigned, s.delivered, s.updated, s.rows_failed
            );
            for e in &s.errors {
                t.push_str(&format!(
                    "  {} row {} column {}: {}\n",
                    e.sheet, e.row, e.column, e.message
                ));
            }
            out(t, &s)
        }
        OrdersCmd::CarrierExport {
            carrier,
            warehouse,
            lang,
            xlsx,
        } => {
            let lang = lang.clone().unwrap_or_else(|| a.language.clone());
            let r = sales::outbound::carrier_export(desk, a, carrier, warehouse.as_deref(), &lang)
                .await?;
            save_report(&r, xlsx.as_deref(), None)?;
            out(format!("{}: {} parcels", r.title, r.rows.len()), &r)
        }
        OrdersCmd::Notices { all } => {
            let list = sales::outbound::notices(desk, a, !*all).await?;
            let mut t = format!("{} notices\n", list.len());
            for n in &list {
                t.push_str(&format!(
                    "{:>6} {:<8} {:<24} {} {} {}\n",
                    n.id, n.channel, n.platform_order_no, n.carrier, n.tracking_no, n.status
                ));
            }
            out(t, &list)
        }
        OrdersCmd::NoticesSent { ids } => {
            let n = sales::outbound::mark_notices_sent(desk, a, ids).await?;
            out(
                format!("{n} marked sent"),
                &serde_json::json!({ "marked": n }),
            )
        }
        OrdersCmd::Exceptions { no_scan } => {
            use sales::outbound::{self, ParcelFilter};
            let scan = if *no_scan {
                None
            } else {
                Some(outbound::scan_exceptions(desk, a).await?)
            };
            let list = outbound::parcels(
                desk,
                a,
                &ParcelFilter {
                    exceptions: true,
                    ..Default::default()
                },
            )
            .await?;
            let mut t = String::new();
            if let Some(s) = &scan {
                t.push_str(&format!(
                    "flagged: {} without news, {} late\n",
                    s.no_update, s.late
                ));
            }
            for p in &list {
                t.push_str(&parcel_line(p));
            }
            out(t, &serde_json::json!({ "scan": scan, "queue": list }))
        }
        OrdersCmd::ReportException {
            parcel_no,
            kind,
            note,
        } => {
            sales::outbound::report_exception(desk, a, parcel_no, kind, note).await?;
            out(
                format!("{parcel_no}: {kind}"),
                &serde_json::json!({ "parcel_no": parcel_no, "exception": kind }),
            )
        }
        OrdersCmd::Resolve {
            parcel_no,
            action,
            amount,
            note,
        } => {
            use sales::outbound::{self, Resolution};
            let amount = || {
                amount.clone().ok_or_else(|| {
                    ApiError::new("validation", "--amount is required for a refund or claim")
                        .with_field("amount")
                })
            };
            let r = match action.as_str() {
                "reship" => Resolution::Reship,
                "refund" => Resolution::Refund { amount: amount()? },
                "claim" => Resolution::Claim { amount: amount()? },
                "close" => Resolution::Close,
                other => {
                    return Err(ApiError::new(
                        "validation",
                        format!("the action is reship, refund, claim or close, not `{other}`"),
                    )
                    .with_field("action"));
                }
            };
            let new = outbound::resolve_exception(desk, a, parcel_no, &r, note).await?;
            out(
                match &new {
                    Some(n) => format!("{parcel_no}: {action}, new parcel {n}"),
                    None => format!("{parcel_no}: {action}"),
                },
                &serde_json::json!({ "parcel_no": parcel_no, "resolution": action, "new_parcel": new }),
            )
        }
        OrdersCmd::Promotions => {
            let list = sales::promotions::list(desk, a).await?;
            let mut t = String::new();
            for p in &list {
                t.push_str(&format!(
                    "{:<12} {:<10} {} {} → {}  used {}{}  {}\n",
                    p.code,
                    p.kind,
                    if p.enabled { "on " } else { "off" },
                    p.starts_at,
                    p.ends_at,
                    p.used,
                    p.cap.map(|c| format!("/{c}")).unwrap_or_default(),
                    p.name
                ));
            }
            out(t, &list)
        }
        OrdersCmd::Promotion { file } => {
            let text = std::fs::read_to_string(file).map_err(|e| {
                ApiError::new("import.read", e.to_string()).with_param("path", file.display())
            })?;
            let input: sales::promotions::PromotionInput = serde_json::from_str(&text)
                .map_err(|e| ApiError::new("validation", e.to_string()).with_field("file"))?;
            let p = sales::promotions::save(desk, a, &input).await?;
            out(format!("{} {} saved", p.code, p.kind), &p)
        }
        OrdersCmd::Quote {
            lines,
            coupon,
            group_size,
            buyer,
            channel,
        } => {
            use sales::promotions::{self, QuoteInput, QuoteLine};
            let mut ls = Vec::new();
            for l in lines {
                let (sku, qty) = l.split_once('=').ok_or_else(|| {
                    ApiError::new("validation", format!("`{l}` is not SKU=QTY")).with_field("line")
                })?;
                ls.push(QuoteLine {
                    sku: sku.trim().to_string(),
                    qty: qty.trim().parse().map_err(|_| {
                        ApiError::new("validation", format!("`{qty}` is not a quantity"))
                            .with_field("line")
                    })?,
                    unit_price: String::new(),
                });
            }
            let q = promotions::quote(
                desk,
                a,
                &QuoteInput {
                    channel: channel.clone(),
                    buyer: buyer.clone(),
                    lines: ls,
                    coupon: coupon.clone(),
                    group_size: *group_size,
                },
            )
            .await?;
            let mut t = String::new();
            for l in &q.lines {
                t.push_str(&format!("{} × {}\n", l.sku, l.qty));
                for s in &l.steps {
                    t.push_str(&format!("    {s}\n"));
                }
            }
            t.push_str(&format!(
                "goods {} − discount {} = {} {}\n",
                q.goods, q.discount, q.total, q.currency
            ));
            if !q.coupon_problem.is_empty() {
                t.push_str(&format!("coupon not applied: {}\n", q.coupon_problem));
            }
            out(t, &q)
        }
        OrdersCmd::Mappings { channel } => {
            let list = skus::mappings(desk, a, channel.as_deref()).await?;
            let mut t = String::new();
            for m in &list {
                t.push_str(&format!(
                    "{:<8} {:<24} → {} {}\n",
                    m.channel, m.platform_sku, m.sku, m.name
                ));
            }
            out(t, &list)
        }
    }
}

async fn import_supplier_sheet(
    desk: &Shopdesk,
    a: &Actor,
    args: &SupplierSheetArgs,
) -> Result<Output, ApiError> {
    use shopdesk_core::imports::Control;
    use shopdesk_core::procurement::price_sheets::{self, FIELDS, PriceSheetOptions};
    let file = args.file.display().to_string();
    let (mapping, encoding) = sheet_options(
        &file,
        args.header_row,
        &args.columns,
        FIELDS,
        &args.encoding,
    )?;
    let valid_from = match &args.valid_from {
        Some(d) => Some(parse_day(d)?),
        None => None,
    };
    let opts = PriceSheetOptions {
        sheet: args.sheet.clone(),
        mapping,
        encoding,
        dry_run: args.dry_run || args.supplier.is_none(),
        valid_from,
        currency: args.currency.clone(),
        save_mapping: !args.columns.is_empty(),
    };
    let analysis = match &args.supplier {
        Some(code) => {
            price_sheets::import(desk, a, &args.file, code, &opts, &Control::new()).await?
        }
        None => price_sheets::analyze_only(desk, a, &args.file, &opts).await?,
    };
    if let Some(path) = &args.rejects {
        analysis.write_rejects(path, &a.language)?;
    }
    let s = &analysis.summary;
    let mut json = serde_json::to_value(s).map_err(ApiError::internal)?;
    if let Some(obj) = json.as_object_mut() {
        obj.remove("preview");
        if args.rows {
            obj.insert(
                "rows".into(),
                serde_json::to_value(analysis.all_rows()).map_err(ApiError::internal)?,
            );
        }
    }
    let mut text = format!(
        "{}{}: {} rows read, {} items imported, {} skipped, {} failed ({} new prices, {} changed, {} unchanged)",
        s.file,
        if s.dry_run {
            " (dry run, nothing stored)"
        } else {
            ""
        },
        s.rows_read,
        s.items_imported,
        s.rows_skipped,
        s.rows_failed,
        s.prices_new,
        s.prices_changed,
        s.prices_unchanged
    );
    for e in &s.errors {
        text.push_str(&format!(
            "\n  error   {} row {} {}: {}",
            e.sheet, e.row, e.column, e.message
        ));
    }
    for w in &s.warnings {
        text.push_str(&format!(
            "\n  warning {} row {} {}: {}",
            w.sheet, w.row, w.column, w.message
        ));
    }
    Ok(Output { text, json })
}

fn parse_day(s: &str) -> Result<chrono::NaiveDate, ApiError> {
    chrono::NaiveDate::parse_from_str(s.trim(), "%Y-%m-%d").map_err(|_| {
        ApiError::new("validation", format!("`{s}` is not a date (YYYY-MM-DD)")).with_field("date")
    })
}

async fn prices_cmd(desk: &Shopdesk, a: &Actor, cmd: &PricesCmd) -> Result<Output, ApiError> {
    use shopdesk_core::procurement::prices;
    match cmd {
        PricesCmd::Items {
            supplier,
            search,
            status,
            page,
            page_size,
        } => {
            let q = ListQuery {
                search: search.clone(),
                status: status.clone(),
                page: *page,
                page_size: *page_size,
                ..Default::default()
            };
            let p = prices::list_items(desk, a, supplier, &q).await?;
            let text = page_text(&p.items, p.total, |i| {
                format!(
                    "{:>6}  {:<16} {:<30} {:<12} {:>12} {:<4} {}",
                    i.id,
                    i.supplier_sku,
                    i.name,
                    i.spec,
                    i.current
                        .as_ref()
                        .map(|c| c.price.clone())
                        .unwrap_or_default(),
                    i.current
                        .as_ref()
                        .map(|c| c.currency.clone())
                        .unwrap_or_default(),
                    i.sku.clone().unwrap_or_else(|| i.match_status.clone())
                )
            });
            out(text, &p)
        }
        PricesCmd::History { item } => {
            let h = prices::history(desk, a, *item).await?;
            let text = h
                .iter()
                .map(|p| {
                    format!(
                        "{} → {}  {} {}",
                        p.valid_from,
                        p.valid_to
                            .map(|d| d.to_string())
                            .unwrap_or_else(|| "…".into()),
                        p.price,
                        p.currency
                    )
                })
                .collect::<Vec<_>>()
                .join("\n");
            out(text, &h)
        }
        PricesCmd::Match { item, sku, none } => {
            let sku = if *none { None } else { sku.as_deref() };
            let i = prices::set_match(desk, a, *item, sku).await?;
            out(
                format!(
                    "{} → {}",
                    i.name,
                    i.sku.clone().unwrap_or_else(|| "-".into())
                ),
                &i,
            )
        }
        PricesCmd::Compare { sku, date } => {
            let day = match date {
                Some(d) => Some(parse_day(d)?),
                None => None,
            };
            let c = prices::compare(desk, a, sku, day).await?;
            let mut text = format!("{} {}\n", c.sku, c.product_name);
            for o in &c.offers {
                text.push_str(&format!(
                    "{:<12} {:>12} {:<4} lead {:>4} {}{}\n",
                    o.supplier_code,
                    o.price.price,
                    o.price.currency,
                    o.price
                        .lead_time_days
                        .map(|d| d.to_string())
                        .unwrap_or_else(|| "-".into()),
                    if o.cheapest { " cheapest" } else { "" },
                    if o.fastest { " fastest" } else { "" },
                ));
            }
            out(text, &c)
        }
    }
}

/// Writes a generated document and reports where.
/// A report as aligned text: title, parameters, the table (figures right-aligned), totals and notes.
fn report_text(r: &shopdesk_core::report::Report) -> String {
    use shopdesk_core::report::ColumnKind;
    let width = |s: &str| {
        s.chars()
            .map(|c| if c.is_ascii() { 1 } else { 2 })
            .sum::<usize>()
    };
    let all: Vec<&Vec<String>> = r.rows.iter().chain(r.totals.iter()).collect();
    let widths: Vec<usize> = r
        .columns
        .iter()
        .enumerate()
        .map(|(c, col)| {
            all.iter()
                .map(|row| row.get(c).map(|s| width(s)).unwrap_or(0))
                .fold(width(&col.label), usize::max)
                .min(28)
        })
        .collect();
    let line = |cells: Vec<&str>| {
        cells
            .iter()
            .zip(&r.columns)
            .zip(&widths)
            .map(|((s, col), w)| {
                let s: String = s.chars().take(28).collect();
                let pad = " ".repeat(w.saturating_sub(width(&s)));
                match col.kind {
                    ColumnKind::Text | ColumnKind::Date => format!("{s}{pad}"),
                    _ => format!("{pad}{s}"),
                }
            })
            .collect::<Vec<_>>()
            .join("  ")
    };
    let mut text = format!("{}\n", r.title);
    for p in &r.params {
        text.push_str(&format!("{}: {}\n", p.label, p.value));
    }
    text.push('\n');
    text.push_str(&line(r.columns.iter().map(|c| c.label.as_str()).collect()));
    text.push('\n');
    for row in &all {
        text.push_str(&line(row.iter().map(String::as_str).collect()));
        text.push('\n');
    }
    for n in &r.notes {
        text.push_str(&format!("\n{n}"));
    }
    text
}

/// Writes a report to .xlsx and/or PDF where asked.
fn parcel_line(p: &shopdesk_core::sales::outbound::Parcel) -> String {
    format!(
        "{} {:<5} {:<10} {} units  {}  {} {} {}{}\n",
        p.parcel_no,
        p.warehouse,
        p.status,
        p.units,
        p.orders.join(","),
        p.carrier,
        p.tracking_no,
        p.weight_kg,
        if p.exception.is_empty() {
            String::new()
        } else {
            format!("  [{} {}]", p.exception, p.resolution)
        }
    )
}

fn save_report(
    report: &shopdesk_core::report::Report,
    xlsx: Option<&std::path::Path>,
    pdf: Option<&std::path::Path>,
) -> Result<(), ApiError> {
    if let Some(path) = xlsx {
        shopdesk_core::report::write_xlsx(report, path)?;
    }
    if let Some(path) = pdf {
        let bytes = shopdesk_core::report::pdf(report)?;
        write_file(path, &bytes)?;
    }
    Ok(())
}

fn write_file(path: &std::path::Path, bytes: &[u8]) -> Result<Output, ApiError> {
    std::fs::write(path, bytes).map_err(|e| {
        ApiError::new("export.write", e.to_string()).with_param("path", path.display())
    })?;
    let v = serde_json::json!({ "path": path.display().to_string(), "bytes": bytes.len() });
    out(
        format!("{} written ({} bytes)", path.display(), bytes.len()),
        &v,
    )
}

fn po_text(p: &shopdesk_core::procurement::orders::PurchaseOrder) -> String {
    let mut t = format!(
        "{}  {}  {} {}  {} → {}  total {} {} (net {}, tax {})\n",
        p.po_no,
        p.status,
        p.supplier_code,
        p.supplier_name,
        p.order_date,
        p.expected_date.map(|d| d.to_string()).unwrap_or_default(),
        p.total_amount,
        p.currency,
        p.net_amount,
        p.tax_amount
    );
    for l in &p.lines {
        t.push_str(&format!(
            "  #{} {:<12} {:<20} {:>6} × {:>10} tax {:>5}%  {:>12}  received {} rejected {} outstanding {}\n",
            l.line_no, l.sku, l.name, l.qty, l.unit_price, l.tax_rate, l.total_amount, l.received_qty, l.rejected_qty, l.outstanding_qty
        ));
    }
    t
}

fn transfer_text(t: &shopdesk_core::inventory::warehouse::Transfer) -> String {
    let mut text = format!(
        "{} {} → {} ({})  {}  in transit {}",
        t.transfer_no,
        t.from_warehouse,
        t.to_warehouse,
        t.transit_location,
        t.status,
        t.in_transit_value
    );
    for l in &t.lines {
        text.push_str(&format!(
            "\n  #{} {} {:<16} from {:<8} qty {:>6} value {:>10}  received {} ({})",
            l.line_no,
            l.sku,
            l.name,
            l.from_location,
            l.qty,
            l.value,
            l.received_qty,
            l.received_value
        ));
    }
    text
}

async fn transfer_cmd(desk: &Shopdesk, a: &Actor, cmd: &TransferCmd) -> Result<Output, ApiError> {
    use shopdesk_core::inventory::warehouse::{
        self, TransferInput, TransferLineInput, TransferReceiptLine,
    };
    match cmd {
        TransferCmd::Ship {
            from,
            to,
            lines,
            notes,
        } => {
            let mut parsed = Vec::new();
            for l in lines {
                let parts: Vec<&str> = l.split(':').collect();
                let bad = || {
                    ApiError::new(
                        "validation",
                        format!("`{l}`: expected SKU:FROM_LOCATION:QTY"),
                    )
                    .with_field("line")
                };
                if parts.len() != 3 {
                    return Err(bad());
                }
                parsed.push(TransferLineInput {
                    sku: parts[0].into(),
                    from_location: parts[1].into(),
                    qty: parts[2].parse().map_err(|_| bad())?,
                });
            }
            let t = warehouse::ship_transfer(
                desk,
                a,
                &TransferInput {
                    from_warehouse: from.clone(),
                    to_warehouse: to.clone(),
                    notes: notes.clone(),
                    lines: parsed,
                },
            )
            .await?;
            out(transfer_text(&t), &t)
        }
        TransferCmd::Receive { transfer_no, lines } => {
            let mut parsed = Vec::new();
            for l in lines {
                let parts: Vec<&str> = l.split(':').collect();
                let bad = || {
                    ApiError::new(
                        "validation",
                        format!("`{l}`: expected LINE_NO:QTY[:LOCATION]"),
                    )
                    .with_field("line")
                };
                if !(2..=3).contains(&parts.len()) {
                    return Err(bad());
                }
                parsed.push(TransferReceiptLine {
                    line_no: parts[0].parse().map_err(|_| bad())?,
                    qty: parts[1].parse().map_err(|_| bad())?,
                    to_location: parts.get(2).map(|s| s.to_string()).unwrap_or_default(),
                });
            }
            let t = warehouse::receive_transfer(desk, a, transfer_no, &parsed).await?;
            out(transfer_text(&t), &t)
        }
        TransferCmd::List { open } => {
            let list = warehouse::list_transfers(desk, a, *open).await?;
            let text = list
                .iter()
                .map(transfer_text)
                .collect::<Vec<_>>()
                .join("\n");
            out(text, &list)
        }
        TransferCmd::Show { transfer_no } => {
            let t = warehouse::get_transfer(desk, a, transfer_no).await?;
            out(transfer_text(&t), &t)
        }
    }
}

fn count_text(c: &shopdesk_core::inventory::counts::StockCount) -> String {
    let mut text = format!(
        "{} {} [{}] {}: {} lines, {} counted, {} with variance, variance value {}",
        c.count_no,
        c.warehouse_code,
        c.scope,
        c.status,
        c.lines_total,
        c.lines_counted,
        c.lines_with_variance,
        c.variance_value
    );
    for l in &c.lines {
        text.push_str(&format!(
            "\n  {:<8} {:<12} {:<16} expected {:>6} counted {:>6} variance {:>+6} {:>10}",
            l.location,
            l.sku,
            l.name,
            l.expected,
            l.counted
                .map(|n| n.to_string())
                .unwrap_or_else(|| "-".into()),
            l.variance,
            l.variance_value
        ));
    }
    text
}

async fn count_cmd(desk: &Shopdesk, a: &Actor, cmd: &CountCmd) -> Result<Output, ApiError> {
    use shopdesk_core::inventory::counts::{self, CountDecision, CountEntry, CountInput};
    match cmd {
        CountCmd::Start {
            warehouse,
            locations,
            notes,
        } => {
            let c = counts::start_count(
                desk,
                a,
                &CountInput {
                    warehouse_code: warehouse.clone(),
                    locations: locations.clone(),
                    notes: notes.clone(),
                },
            )
            .await?;
            out(count_text(&c), &c)
        }
        CountCmd::Record { count_no, entries } => {
            let mut parsed = Vec::new();
            for e in entries {
                let bad = || {
                    ApiError::new(
                        "validation",
                        format!("`{e}`: expected LOCATION:CODE=QTY or LOCATION:CODE+QTY"),
                    )
                    .with_field("entry")
                };
                let (loc, rest) = e.split_once(':').ok_or_else(bad)?;
                let (code, qty, add) = match rest.rsplit_once('=') {
                    Some((c, q)) => (c, q, false),
                    None => {
                        let (c, q) = rest.rsplit_once('+').ok_or_else(bad)?;
                        (c, q, true)
                    }
                };
                parsed.push(CountEntry {
                    location: loc.into(),
                    code: code.into(),
                    qty: qty.trim().parse().map_err(|_| bad())?,
                    add,
                });
            }
            let c = counts::record_counts(desk, a, count_no, &parsed).await?;
            out(count_text(&c), &c)
        }
        CountCmd::Show { count_no } => {
            let c = counts::get_count(desk, a, count_no).await?;
            out(count_text(&c), &c)
        }
        CountCmd::List => {
            let list = counts::list_counts(desk, a).await?;
            let text = list
                .iter()
                .map(|c| {
                    format!(
                        "{} {} [{}] {}: {} lines, variance value {}",
                        c.count_no,
                        c.warehouse_code,
                        c.scope,
                        c.status,
                        c.lines_total,
                        c.variance_value
                    )
                })
                .collect::<Vec<_>>()
                .join("\n");
            out(text, &list)
        }
        CountCmd::Approve { count_no } | CountCmd::Cancel { count_no } => {
            let d = if matches!(cmd, CountCmd::Approve { .. }) {
                CountDecision::Approve
            } else {
                CountDecision::Cancel
            };
            let c = counts::decide_count(desk, a, count_no, d).await?;
            out(count_text(&c), &c)
        }
        CountCmd::Sheet {
            count_no,
            out: path,
        } => {
            let bytes = counts::count_sheet_pdf(desk, a, count_no).await?;
            write_file(path, &bytes)
        }
    }
}

fn invoice_text(i: &shopdesk_core::procurement::payables::Invoice) -> String {
    format!(
        "{} {} {:<10} invoice {:<16} {} due {}  {} {:>12} (expected {}, variance {})  paid {}  {}{}",
        i.doc_no,
        i.po_no,
        i.supplier_code,
        i.invoice_no,
        i.invoice_date,
        i.due_date,
        i.currency,
        i.total_amount,
        i.expected_amount,
        i.variance,
        i.paid_amount,
        i.status,
        if i.issues.is_empty() {
            String::new()
        } else {
            format!(" [{}]", i.issues.join("; "))
        }
    )
}

async fn payables_cmd(desk: &Shopdesk, a: &Actor, cmd: &PayablesCmd) -> Result<Output, ApiError> {
    use shopdesk_core::procurement::orders;
    use shopdesk_core::procurement::payables::{
        self, AllocationInput, InvoiceDecision, InvoiceInput, InvoiceLineInput, PaymentInput,
    };
    let opt_day = |d: &Option<String>| d.as_deref().map(parse_day).transpose();
    match cmd {
        PayablesCmd::Invoice {
            po_no,
            number,
            date,
            due,
            lines,
            notes,
        } => {
            let p = orders::find_by_no(desk, a, po_no).await?;
            let mut parsed = Vec::new();
            for l in lines {
                let parts: Vec<&str> = l.split(':').collect();
                let bad = || {
                    ApiError::new(
                        "validation",
                        format!("`{l}`: expected LINE_NO:QTY[:UNIT_PRICE[:TAX_PERCENT]]"),
                    )
                    .with_field("line")
                };
                if !(2..=4).contains(&parts.len()) {
                    return Err(bad());
                }
                let line_no: i32 = parts[0].parse().map_err(|_| bad())?;
                let line = p
                    .lines
                    .iter()
                    .find(|x| x.line_no == line_no)
                    .ok_or_else(bad)?;
                parsed.push(InvoiceLineInput {
                    po_line_id: line.id,
                    qty: parts[1].parse().map_err(|_| bad())?,
                    unit_price: parts.get(2).map(|s| s.to_string()).unwrap_or_default(),
                    tax_rate: parts.get(3).map(|s| s.to_string()).unwrap_or_default(),
                });
            }
            let i = payables::record_invoice(
                desk,
                a,
                &InvoiceInput {
                    po_id: p.id,
                    invoice_no: number.clone(),
                    invoice_date: Some(match opt_day(date)? {
                        Some(d) => d,
                        None => desk.biz_date(desk.now()),
                    }),
                    due_date: opt_day(due)?,
                    notes: notes.clone(),
                    lines: parsed,
                },
            )
            .await?;
            out(invoice_text(&i), &i)
        }
        PayablesCmd::Invoices {
            status,
            supplier,
            page,
            page_size,
        } => {
            let q = ListQuery {
                status: status.clone(),
                page: *page,
                page_size: *page_size,
                ..Default::default()
            };
            let p = payables::list_invoices(desk, a, &q, supplier.as_deref()).await?;
            let text = p
                .items
                .iter()
                .map(invoice_text)
                .collect::<Vec<_>>()
                .join("\n");
            out(text, &p)
        }
        PayablesCmd::Show { doc_no } => {
            let i = payables::find_invoice_by_no(desk, a, doc_no).await?;
            let mut text = invoice_text(&i);
            for l in &i.lines {
                text.push_str(&format!(
                    "\n  line {} {} {:<16} qty {:>6} × {} ({}%)  PO {} ({}%)  received {} billed before {}  {}",
                    l.line_no,
                    l.sku,
                    l.name,
                    l.qty,
                    l.unit_price,
                    l.tax_rate,
                    l.po_unit_price,
                    l.po_tax_rate,
                    l.received_qty,
                    l.invoiced_before,
                    l.issues.join(", ")
                ));
            }
            out(text, &i)
        }
        PayablesCmd::Approve { doc_no, note } | PayablesCmd::Reject { doc_no, note } => {
            let decision = if matches!(cmd, PayablesCmd::Approve { .. }) {
                InvoiceDecision::Approve
            } else {
                InvoiceDecision::Reject
            };
            let i = payables::find_invoice_by_no(desk, a, doc_no).await?;
            let i = payables::decide_invoice(desk, a, i.id, decision, note).await?;
            out(invoice_text(&i), &i)
        }
        PayablesCmd::Pay {
            supplier,
            amount,
            method,
            reference,
            date,
            currency,
            apply,
            notes,
        } => {
            let mut allocations = Vec::new();
            for x in apply {
                let (doc, amt) = x.split_once(':').ok_or_else(|| {
                    ApiError::new("validation", format!("`{x}`: expected DOC_NO:AMOUNT"))
                        .with_field("apply")
                })?;
                allocations.push(AllocationInput {
                    invoice_doc_no: doc.into(),
                    amount: amt.into(),
                });
            }
            let p = payables::record_payment(
                desk,
                a,
                &PaymentInput {
                    supplier_code: supplier.clone(),
                    currency: currency.clone(),
                    amount: amount.clone(),
                    pay_date: opt_day(date)?,
                    method: method.clone(),
                    reference: reference.clone(),
                    notes: notes.clone(),
                    allocations,
                },
            )
            .await?;
            let applied = p
                .allocations
                .iter()
                .map(|x| format!("{} {}", x.invoice_doc_no, x.amount))
                .collect::<Vec<_>>()
                .join(", ");
            out(
                format!(
                    "{} to {}: {} {} on {}; applied: {}; advance {}",
                    p.payment_no,
                    p.supplier_code,
                    p.currency,
                    p.amount,
                    p.pay_date,
                    if applied.is_empty() { "-" } else { &applied },
                    p.unallocated
                ),
                &p,
            )
        }
        PayablesCmd::Payments {
            supplier,
            page,
            page_size,
        } => {
            let q = ListQuery {
                page: *page,
                page_size: *page_size,
                ..Default::default()
            };
            let p = payables::list_payments(desk, a, &q, supplier.as_deref()).await?;
            let text = p
                .items
                .iter()
                .map(|p| {
                    format!(
                        "{} {} {:<10} {} {:>12} {:<7} {}  advance {}",
                        p.payment_no,
                        p.pay_date,
                        p.supplier_code,
                        p.currency,
                        p.amount,
                        p.method,
                        p.reference,
                        p.unallocated
                    )
                })
                .collect::<Vec<_>>()
                .join("\n");
            out(text, &p)
        }
        PayablesCmd::Ageing { as_of } => {
            let r = payables::ageing(desk, a, opt_day(as_of)?).await?;
            let mut text = format!(
                "as of {}\n{:<10} {:<3} {:>12} {:>12} {:>12} {:>12} {:>12} {:>12} {:>12}",
                r.as_of,
                "supplier",
                "cur",
                "current",
                "1-30",
                "31-60",
                "61-90",
                ">90",
                "advance",
                "balance"
            );
            for x in &r.rows {
                text.push_str(&format!(
                    "\n{:<10} {:<3} {:>12} {:>12} {:>12} {:>12} {:>12} {:>12} {:>12}",
                    x.supplier_code,
                    x.currency,
                    x.current,
                    x.days_1_30,
                    x.days_31_60,
                    x.days_61_90,
                    x.days_over_90,
                    x.unapplied,
                    x.balance
                ));
            }
            out(text, &r)
        }
        PayablesCmd::Statement {
            supplier,
            currency,
            from,
            to,
        } => {
            let s = payables::statement(
                desk,
                a,
                supplier,
                currency.as_deref(),
                opt_day(from)?,
                opt_day(to)?,
            )
            .await?;
            let mut text = format!(
                "{} {} ({})\nopening {:>12}",
                s.supplier_code, s.supplier_name, s.currency, s.opening
            );
            for l in &s.lines {
                text.push_str(&format!(
                    "\n{} {:<8} {:<20} {:>12} {:>12}",
                    l.biz_date, l.kind, l.doc_no, l.amount, l.balance
                ));
            }
            text.push_str(&format!("\nclosing {:>12}", s.closing));
            out(text, &s)
        }
    }
}

async fn po_cmd(desk: &Shopdesk, a: &Actor, cmd: &PoCmd) -> Result<Output, ApiError> {
    use shopdesk_core::procurement::orders::{
        self, PoAction, PoInput, PoLineInput, ReceiptInput, ReceiptLineInput,
    };
    let step = |po_no: &String, action: PoAction| {
        let po_no = po_no.clone();
        async move {
            let p = orders::find_by_no(desk, a, &po_no).await?;
            let p = orders::transition(desk, a, p.id, action).await?;
            out(po_text(&p), &p)
        }
    };
    match cmd {
        PoCmd::Create {
            supplier,
            warehouse,
            lines,
            expected,
            currency,
            notes,
        } => {
            let mut parsed = Vec::new();
            for l in lines {
                let parts: Vec<&str> = l.split(':').collect();
                if parts.len() < 3 || parts.len() > 4 {
                    return Err(ApiError::new(
                        "validation",
                        format!("`{l}`: expected SKU:QTY:UNIT_PRICE[:TAX_PERCENT]"),
                    )
                    .with_field("line"));
                }
                parsed.push(PoLineInput {
                    sku: parts[0].to_string(),
                    qty: parts[1].trim().parse().map_err(|_| {
                        ApiError::new("validation", format!("`{}` is not a quantity", parts[1]))
                            .with_field("line")
                    })?,
                    unit_price: parts[2].to_string(),
                    tax_rate: parts.get(3).map(|s| s.to_string()).unwrap_or_default(),
                    expected_date: None,
                });
            }
            let input = PoInput {
                supplier_code: supplier.clone(),
                warehouse_code: warehouse.clone(),
                currency: currency.clone(),
                expected_date: match expected {
                    Some(d) => Some(parse_day(d)?),
                    None => None,
                },
                notes: notes.clone(),
                lines: parsed,
            };
            let p = orders::create(desk, a, &input).await?;
            out(po_text(&p), &p)
        }
        PoCmd::Show { po_no } => {
            let p = orders::find_by_no(desk, a, po_no).await?;
            out(po_text(&p), &p)
        }
        PoCmd::List {
            status,
            search,
            page,
            page_size,
        } => {
            let q = ListQuery {
                status: status.clone(),
                search: search.clone(),
                page: *page,
                page_size: *page_size,
                ..Default::default()
            };
            let p = orders::list(desk, a, &q).await?;
            let text = page_text(&p.items, p.total, |o| {
                format!(
                    "{}  {:<18} {:<10} {:>12} {}",
                    o.po_no, o.status, o.supplier_code, o.total_amount, o.currency
                )
            });
            out(text, &p)
        }
        PoCmd::Submit { po_no } => step(po_no, PoAction::Submit).await,
        PoCmd::Approve { po_no } => step(po_no, PoAction::Approve).await,
        PoCmd::Send { po_no } => step(po_no, PoAction::Send).await,
        PoCmd::Close { po_no } => step(po_no, PoAction::Close).await,
        PoCmd::Cancel { po_no } => step(po_no, PoAction::Cancel).await,
        PoCmd::Receive {
            po_no,
            lines,
            notes,
        } => {
            let p = orders::find_by_no(desk, a, po_no).await?;
            let mut parsed = Vec::new();
            for l in lines {
                let parts: Vec<&str> = l.split(':').collect();
                let bad = || {
                    ApiError::new(
                        "validation",
                        format!("`{l}`: expected LINE_NO:LOCATION:ACCEPTED[:REJECTED:REASON]"),
                    )
                    .with_field("line")
                };
                if parts.len() != 3 && parts.len() != 5 {
                    return Err(bad());
                }
                let line_no: i32 = parts[0].parse().map_err(|_| bad())?;
                let line = p
                    .lines
                    .iter()
                    .find(|x| x.line_no == line_no)
                    .ok_or_else(bad)?;
                let accepted: i64 = parts[2].parse().map_err(|_| bad())?;
                let rejected: i64 = parts
                    .get(3)
                    .map(|r| r.parse())
                    .transpose()
                    .map_err(|_| bad())?
                    .unwrap_or(0);
                parsed.push(ReceiptLineInput {
                    line_id: line.id,
                    location_code: parts[1].to_string(),
                    counted: accepted + rejected,
                    accepted,
                    rejected,
                    reject_reason: parts.get(4).map(|s| s.to_string()).unwrap_or_default(),
                });
            }
            let r = orders::receive(
                desk,
                a,
                &ReceiptInput {
                    po_id: p.id,
                    notes: notes.clone(),
                    lines: parsed,
                },
            )
            .await?;
            out(
                format!(
                    "{} for {}: {} accepted, {} rejected; order {}",
                    r.receipt_no, r.po_no, r.accepted, r.rejected, r.po_status
                ),
                &r,
            )
        }
        PoCmd::Chase { days } => {
            let list = orders::chase_list(desk, a, *days).await?;
            let text = list
                .iter()
                .map(|c| {
                    format!(
                        "{:>6} {} {:<10} {} {:<16} outstanding {:>6}  due {} ({} days)  {} {}",
                        c.line_id,
                        c.po_no,
                        c.supplier_code,
                        c.sku,
                        c.name,
                        c.outstanding_qty,
                        c.due.map(|d| d.to_string()).unwrap_or_default(),
                        c.days_left.unwrap_or_default(),
                        c.contact_name,
                        c.phone
                    )
                })
                .collect::<Vec<_>>()
                .join("\n");
            out(text, &list)
        }
        PoCmd::Pdf { po_no, out: path } => {
            let p = orders::find_by_no(desk, a, po_no).await?;
            let bytes = shopdesk_core::procurement::po_doc::pdf(desk, a, p.id).await?;
            write_file(path, &bytes)
        }
        PoCmd::ReceiptPdf {
            receipt_no,
            out: path,
        } => {
            let bytes =
                shopdesk_core::procurement::po_doc::receipt_pdf(desk, a, receipt_no).await?;
            write_file(path, &bytes)
        }
        PoCmd::Xlsx { po_no, out: path } => {
            let p = orders::find_by_no(desk, a, po_no).await?;
            shopdesk_core::procurement::po_doc::xlsx(desk, a, p.id, path).await?;
            let v = serde_json::json!({ "path": path.display().to_string() });
            out(format!("{} written", path.display()), &v)
        }
        PoCmd::Returns { supplier } => {
            let list = orders::rejected_goods(desk, a, supplier.as_deref()).await?;
            let mut t = String::new();
            for r in &list {
                t.push_str(&format!(
                    "#{:<6} {} {} {} {} {:<12} {} waiting {} of {} ({})\n",
                    r.receipt_line_id,
                    r.receipt_no,
                    r.received_on,
                    r.po_no,
                    r.supplier_code,
                    r.sku,
                    r.name,
                    r.pending,
                    r.rejected,
                    r.reason
                ));
            }
            if list.is_empty() {
                t.push_str("nothing waiting to go back\n");
            }
            out(t, &list)
        }
        PoCmd::ReturnGoods {
            lines,
            carrier,
            tracking,
            note,
            pdf,
            xlsx,
        } => {
            use shopdesk_core::procurement::returns::{self, ReturnLineInput, SupplierReturnInput};
            let mut input = SupplierReturnInput {
                carrier: carrier.clone(),
                tracking_no: tracking.clone(),
                notes: note.clone(),
                ..Default::default()
            };
            for l in lines {
                let bad = || {
                    ApiError::new("validation", format!("`{l}` is not RECEIPT_LINE_ID:QTY"))
                        .with_field("line")
                };
                let (id, qty) = l.split_once(':').ok_or_else(bad)?;
                input.lines.push(ReturnLineInput {
                    receipt_line_id: id.trim().parse().map_err(|_| bad())?,
                    qty: qty.trim().parse().map_err(|_| bad())?,
                });
            }
            let r = returns::create(desk, a, &input).await?;
            let doc = returns::document(desk, &a.language, &r);
            save_report(&doc, xlsx.as_deref(), pdf.as_deref())?;
            out(
                format!(
                    "{} to {} ({}): {} line(s), {} {}",
                    r.return_no,
                    r.supplier_code,
                    r.supplier_name,
                    r.lines.len(),
                    r.amount,
                    r.currency
                ),
                &r,
            )
        }
        PoCmd::ReturnDoc {
            return_no,
            pdf,
            xlsx,
        } => {
            use shopdesk_core::procurement::returns;
            let r = returns::get(desk, a, return_no).await?;
            let doc = returns::document(desk, &a.language, &r);
            save_report(&doc, xlsx.as_deref(), pdf.as_deref())?;
            out(report_text(&doc), &r)
        }
        PoCmd::Chased {
            line_id,
            note,
            promised,
        } => {
            let promised = match promised {
                Some(d) => Some(parse_day(d)?),
                None => None,
            };
            let c = orders::mark_chased(desk, a, *line_id, note, promised).await?;
            out(
                format!(
                    "{} line {} chased; due {}",
                    c.po_no,
                    c.line_id,
                    c.due.map(|d| d.to_string()).unwrap_or_default()
                ),
                &c,
            )
        }
    }
}

async fn location_ids(
    desk: &Shopdesk,
    warehouse: &str,
    location: &str,
) -> Result<(i64, i64), ApiError> {
    use shopdesk_core::entities::{locations, warehouses as w};
    use shopdesk_core::sea_orm::{ColumnTrait, EntityTrait, QueryFilter};
    let wh = w::Entity::find()
        .filter(w::Column::Code.eq(warehouse))
        .one(desk.db())
        .await?
        .ok_or_else(|| {
            ApiError::new("inventory.not_found", format!("no warehouse {warehouse}"))
                .with_field("location")
        })?;
    let loc = locations::Entity::find()
        .filter(locations::Column::WarehouseId.eq(wh.id))
        .filter(locations::Column::Code.eq(location))
        .one(desk.db())
        .await?
        .ok_or_else(|| {
            ApiError::new(
                "inventory.not_found",
                format!("no location {location} in {warehouse}"),
            )
            .with_field("location")
        })?;
    Ok((wh.id, loc.id))
}

async fn location_id(desk: &Shopdesk, warehouse: &str, location: &str) -> Result<i64, ApiError> {
    Ok(location_ids(desk, warehouse, location).await?.1)
}

fn page_text<T>(items: &[T], total: u64, line: impl Fn(&T) -> String) -> String {
    let mut lines: Vec<String> = items.iter().map(line).collect();
    lines.push(format!("({} of {total})", items.len()));
    lines.join("\n")
}
