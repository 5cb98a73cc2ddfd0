//! A purchase order as the supplier receives it: a PDF (company header, supplier and delivery details, lines,
//! totals in figures and in Chinese capital numerals 大写金额, signature lines; Chinese text embedded and
//! subsetted) and an .xlsx with the same content.
//!
//! Float arithmetic here is page layout in millimetres only; every amount arrives as exact decimal text.
#![allow(clippy::float_arithmetic)]

use super::ProcurementError;
use super::orders::{self, PurchaseOrder};
use crate::Shopdesk;
use crate::auth::Actor;
use crate::money::{Currency, Money, chinese_capital};
use crate::pdf::{Doc, MARGIN, PAGE_H, PAGE_W};
use std::path::Path;

struct Labels {
    title: &'static str,
    po_no: &'static str,
    date: &'static str,
    supplier: &'static str,
    contact: &'static str,
    warehouse: &'static str,
    expected: &'static str,
    status: &'static str,
    cols: [&'static str; 8],
    net: &'static str,
    tax: &'static str,
    total: &'static str,
    capital: &'static str,
    notes: &'static str,
    signatures: [&'static str; 3],
    footer: &'static str,
}

fn labels(lang: &str) -> Labels {
    if lang.starts_with("zh") {
        Labels {
            title: "采购订单",
            po_no: "订单号",
            date: "下单日期",
            supplier: "供应商",
            contact: "联系人 / 电话",
            warehouse: "收货仓库",
            expected: "预计到货",
            status: "状态",
            cols: [
                "序号",
                "商品编码",
                "品名 / 规格",
                "单位",
                "数量",
                "单价(不含税)",
                "税率",
                "金额(含税)",
            ],
            net: "不含税金额",
            tax: "税额",
            total: "价税合计",
            capital: "大写金额",
            notes: "备注",
            signatures: ["采购员：", "审批人：", "供应商确认（盖章）："],
            footer: "请按订单约定的数量、规格和日期送货，送货单请注明订单号。",
        }
    } else {
        Labels {
            title: "PURCHASE ORDER",
            po_no: "PO number",
            date: "Order date",
            supplier: "Supplier",
            contact: "Contact / phone",
            warehouse: "Deliver to",
            expected: "Expected",
            status: "Status",
            cols: [
                "#",
                "SKU",
                "Item / spec",
                "Unit",
                "Qty",
                "Unit price",
                "Tax",
                "Amount",
            ],
            net: "Net",
            tax: "Tax",
            total: "Total",
            capital: "In words (CNY)",
            notes: "Notes",
            signatures: ["Buyer:", "Approved by:", "Supplier (stamp):"],
            footer: "Please deliver the quantities and specs ordered by the dates given, quoting the PO number.",
        }
    }
}

fn status_text(lang: &str, s: &str) -> String {
    if !lang.starts_with("zh") {
        return s.replace('_', " ");
    }
    match s {
        "draft" => "草稿",
        "submitted" => "待审批",
        "approved" => "已审批",
        "sent" => "已发送",
        "partially_received" => "部分收货",
        "received" => "已收货",
        "closed" => "已关闭",
        "cancelled" => "已取消",
        other => other,
    }
    .to_string()
}

// Column right edges (mm) of the line table.
const X_NO: f32 = MARGIN;
const X_SKU: f32 = 24.0;
const X_NAME: f32 = 54.0;
const X_UNIT: f32 = 112.0;
const R_QTY: f32 = 136.0;
const R_PRICE: f32 = 160.0;
const R_TAX: f32 = 173.0;
const R_AMOUNT: f32 = PAGE_W - MARGIN;

fn table_header(d: &mut Doc, l: &Labels, y: f32) {
    let c = l.cols;
    d.rule(MARGIN, y - 5.0, PAGE_W - MARGIN, y - 5.0, 0.8);
    d.text(X_NO, y, 9.0, c[0]);
    d.text(X_SKU, y, 9.0, c[1]);
    d.text(X_NAME, y, 9.0, c[2]);
    d.text(X_UNIT, y, 9.0, c[3]);
    d.text_right(R_QTY, y, 9.0, c[4]);
    d.text_right(R_PRICE, y, 9.0, c[5]);
    d.text_right(R_TAX, y, 9.0, c[6]);
    d.text_right(R_AMOUNT, y, 9.0, c[7]);
    d.rule(MARGIN, y + 2.0, PAGE_W - MARGIN, y + 2.0, 0.5);
}

/// The PO as a PDF in the acting user's language.
pub async fn pdf(desk: &Shopdesk, actor: &Actor, po_id: i64) -> Result<Vec<u8>, ProcurementError> {
    let po = orders::get(desk, actor, po_id).await?;
    let font = crate::pdf::load_cjk_font().map_err(|e| ProcurementError::Write {
        path: "PDF".into(),
        reason: e.to_string(),
    })?;
    Ok(render_pdf(
        &po,
        &desk.company().company_name,
        &actor.language,
        &font,
    ))
}

fn render_pdf(
    po: &PurchaseOrder,
    company: &str,
    lang: &str,
    font: &printpdf::ParsedFont,
) -> Vec<u8> {
    let l = labels(lang);
    let mut d = Doc::new(&format!("{} {}", l.title, po.po_no), l.footer, font);
    d.text_center(PAGE_W / 2.0, 22.0, 16.0, company);
    d.text_center(PAGE_W / 2.0, 31.0, 13.0, l.title);
    d.rule(MARGIN, 35.0, PAGE_W - MARGIN, 35.0, 1.0);
    let half = PAGE_W / 2.0 + 5.0;
    let info = [
        (MARGIN, 43.0, l.po_no, po.po_no.clone()),
        (half, 43.0, l.date, po.order_date.to_string()),
        (
            MARGIN,
            50.0,
            l.supplier,
            format!("{} ({})", po.supplier_name, po.supplier_code),
        ),
        (half, 50.0, l.status, status_text(lang, &po.status)),
        (
            MARGIN,
            57.0,
            l.contact,
            format!("{} {}", po.supplier_contact, po.supplier_phone)
                .trim()
                .to_string(),
        ),
        (
            half,
            57.0,
            l.expected,
            po.expected_date.map(|d| d.to_string()).unwrap_or_default(),
        ),
        (
            MARGIN,
            64.0,
            l.warehouse,
            format!("{} ({})", po.warehouse_name, po.warehouse_code),
        ),
    ];
    for (x, y, k, v) in info {
        d.text(x, y, 9.0, &format!("{k}："));
        d.text_fit(x + 26.0, y, 10.0, &v, 70.0);
    }
    let mut y = 76.0;
    table_header(&mut d, &l, y);
    y += 8.0;
    for line in &po.lines {
        if y > PAGE_H - 60.0 {
            d.new_page();
            y = 25.0;
            table_header(&mut d, &l, y);
            y += 8.0;
        }
        d.text(X_NO, y, 9.0, &line.line_no.to_string());
        d.text_fit(X_SKU, y, 9.0, &line.sku, X_NAME - X_SKU - 2.0);
        let name = if line.spec.is_empty() {
            line.name.clone()
        } else {
            format!("{} {}", line.name, line.spec)
        };
        d.text_fit(X_NAME, y, 9.0, &name, X_UNIT - X_NAME - 2.0);
        d.text(X_UNIT, y, 9.0, &line.unit);
        d.text_right(R_QTY, y, 9.0, &line.qty.to_string());
        d.text_right(R_PRICE, y, 9.0, &line.unit_price);
        d.text_right(R_TAX, y, 9.0, &format!("{}%", line.tax_rate));
        d.text_right(R_AMOUNT, y, 9.0, &line.total_amount);
        d.rule(MARGIN, y + 2.5, PAGE_W - MARGIN, y + 2.5, 0.2);
        y += 7.0;
    }
    y += 4.0;
    for (k, v) in [
        (l.net, &po.net_amount),
        (l.tax, &po.tax_amount),
        (l.total, &po.total_amount),
    ] {
        d.text_right(R_TAX, y, 10.0, &format!("{k}："));
        d.text_right(R_AMOUNT, y, 10.0, &format!("{} {v}", po.currency));
        y += 6.5;
    }
    let cur = Currency::parse(&po.currency).unwrap_or(Currency::CNY);
    if let Ok(total) = Money::parse(&po.total_amount, cur)
        && cur == Currency::CNY
    {
        d.text(
            MARGIN,
            y,
            10.0,
            &format!("{}：{}", l.capital, chinese_capital(total.minor())),
        );
        y += 8.0;
    }
    if !po.notes.is_empty() {
        d.text_fit(
            MARGIN,
            y,
            9.0,
            &format!("{}：{}", l.notes, po.notes),
            PAGE_W - 2.0 * MARGIN,
        );
        y += 8.0;
    }
    y = y.clamp(PAGE_H - 40.0, PAGE_H - 20.0);
    let approved = po.approved_by.clone().unwrap_or_default();
    let sig = [po.created_by.as_str(), approved.as_str(), ""];
    for (i, label) in l.signatures.iter().enumerate() {
        let x = MARGIN + i as f32 * 60.0;
        d.text(x, y, 9.0, label);
        d.text(
            x + crate::pdf::text_width(label, 9.0) + 2.0,
            y,
            10.0,
            sig[i],
        );
        d.rule(
            x + crate::pdf::text_width(label, 9.0),
            y + 1.5,
            x + 55.0,
            y + 1.5,
            0.3,
        );
    }
    d.finish()
}

/// The PO as an .xlsx: header block, lines with numbers as numbers (codes as text), totals.
pub async fn xlsx(
    desk: &Shopdesk,
    actor: &Actor,
    po_id: i64,
    path: &Path,
) -> Result<(), ProcurementError> {
    use rust_xlsxwriter::{Format, Workbook};
    let po = orders::get(desk, actor, po_id).await?;
    let l = labels(&actor.language);
    let werr = |e: rust_xlsxwriter::XlsxError| ProcurementError::Write {
        path: path.display().to_string(),
        reason: e.to_string(),
    };
    let num = |s: &str| s.parse::<f64>().unwrap_or(0.0);
    let mut wb = Workbook::new();
    let ws = wb.add_worksheet();
    let bold = Format::new().set_bold();
    let money = Format::new().set_num_format("#,##0.00");
    let price = Format::new().set_num_format("#,##0.00##");
    let text = Format::new().set_num_format("@");
    ws.write_string_with_format(0, 0, desk.company().company_name, &bold)
        .map_err(werr)?;
    ws.write_string_with_format(1, 0, l.title, &bold)
        .map_err(werr)?;
    let info = [
        (l.po_no, po.po_no.clone()),
        (l.date, po.order_date.to_string()),
        (
            l.supplier,
            format!("{} ({})", po.supplier_name, po.supplier_code),
        ),
        (
            l.warehouse,
            format!("{} ({})", po.warehouse_name, po.warehouse_code),
        ),
        (
            l.expected,
            po.expected_date.map(|d| d.to_string()).unwrap_or_default(),
        ),
        (l.status, status_text(&actor.language, &po.status)),
    ];
    for (i, (k, v)) in info.iter().enumerate() {
        ws.write_string(3 + i as u32, 0, *k).map_err(werr)?;
        ws.write_string_with_format(3 + i as u32, 1, v, &text)
            .map_err(werr)?;
    }
    let head = 10u32;
    for (c, h) in l.cols.iter().enumerate() {
        ws.write_string_with_format(head, c as u16, *h, &bold)
            .map_err(werr)?;
    }
    for (i, line) in po.lines.iter().enumerate() {
        let r = head + 1 + i as u32;
        ws.write_number(r, 0, line.line_no).map_err(werr)?;
        ws.write_string_with_format(r, 1, &line.sku, &text)
            .map_err(werr)?;
        ws.write_string(r, 2, format!("{} {}", line.name, line.spec).trim())
            .map_err(werr)?;
        ws.write_string(r, 3, &line.unit).map_err(werr)?;
        ws.write_number(r, 4, line.qty as f64).map_err(werr)?;
        ws.write_number_with_format(r, 5, num(&line.unit_price), &price)
            .map_err(werr)?;
        ws.write_string(r, 6, format!("{}%", line.tax_rate))
            .map_err(werr)?;
        ws.write_number_with_format(r, 7, num(&line.total_amount), &money)
            .map_err(werr)?;
    }
    let mut r = head + 2 + po.lines.len() as u32;
    for (k, v) in [
        (l.net, &po.net_amount),
        (l.tax, &po.tax_amount),
        (l.total, &po.total_amount),
    ] {
        ws.write_string_with_format(r, 6, k, &bold).map_err(werr)?;
        ws.write_number_with_format(r, 7, num(v), &money)
            .map_err(werr)?;
        r += 1;
    }
    if let Ok(total) = Money::parse(
        &po.total_amount,
        Currency::parse(&po.currency).unwrap_or(Currency::CNY),
    ) && po.currency == "CNY"
    {
        ws.write_string(r, 6, l.capital).map_err(werr)?;
        ws.write_string(r, 7, chinese_capital(total.minor()))
            .map_err(werr)?;
    }
    ws.set_column_width(2, 36).map_err(werr)?;
    ws.set_column_width(1, 16).map_err(werr)?;
    ws.set_column_width(7, 16).map_err(werr)?;
    wb.save(path).map_err(werr)
}

/// A goods receipt (入库验收单) as a PDF: the PO, the warehouse, and per line counted, accepted, rejected with reason.
pub async fn receipt_pdf(
    desk: &Shopdesk,
    actor: &Actor,
    receipt_no: &str,
) -> Result<Vec<u8>, ProcurementError> {
    use crate::entities::{
        locations, products, purchase_receipt_lines as rl, purchase_receipts as rc,
    };
    use sea_orm::{ColumnTrait, EntityTrait, QueryFilter};
    actor.require(crate::auth::Permission::ViewMasterData)?;
    let r = rc::Entity::find()
        .filter(rc::Column::ReceiptNo.eq(receipt_no.trim()))
        .one(desk.db())
        .await?
        .ok_or(ProcurementError::NotFound {
            entity: "purchase_receipt",
            id: 0,
        })?;
    let po = orders::get(desk, actor, r.po_id).await?;
    let lines = rl::Entity::find()
        .filter(rl::Column::ReceiptId.eq(r.id))
        .all(desk.db())
        .await?;
    let zh = actor.language.starts_with("zh");
    let font = crate::pdf::load_cjk_font().map_err(|e| ProcurementError::Write {
        path: "PDF".into(),
        reason: e.to_string(),
    })?;
    let title = if zh {
        "入库验收单"
    } else {
        "GOODS RECEIPT"
    };
    let mut d = Doc::new(&format!("{title} {}", r.receipt_no), "", &font);
    d.text_center(PAGE_W / 2.0, 22.0, 16.0, &desk.company().company_name);
    d.text_center(PAGE_W / 2.0, 31.0, 13.0, title);
    d.rule(MARGIN, 35.0, PAGE_W - MARGIN, 35.0, 1.0);
    let info = if zh {
        [
            ("验收单号", r.receipt_no.clone()),
            ("采购订单", po.po_no.clone()),
            (
                "供应商",
                format!("{} ({})", po.supplier_name, po.supplier_code),
            ),
            (
                "仓库",
                format!("{} ({})", po.warehouse_name, po.warehouse_code),
            ),
            ("日期", r.biz_date.to_string()),
            ("验收人", r.username.clone()),
        ]
    } else {
        [
            ("Receipt", r.receipt_no.clone()),
            ("PO", po.po_no.clone()),
            (
                "Supplier",
                format!("{} ({})", po.supplier_name, po.supplier_code),
            ),
            (
                "Warehouse",
                format!("{} ({})", po.warehouse_name, po.warehouse_code),
            ),
            ("Date", r.biz_date.to_string()),
            ("Checked by", r.username.clone()),
        ]
    };
    for (i, (k, v)) in info.iter().enumerate() {
        let (x, y) = (
            if i % 2 == 0 {
                MARGIN
            } else {
                PAGE_W / 2.0 + 5.0
            },
            43.0 + (i / 2) as f32 * 7.0,
        );
        d.text(x, y, 9.0, &format!("{k}："));
        d.text_fit(x + 22.0, y, 10.0, v, 70.0);
    }
    let heads: [&str; 7] = if zh {
        [
            "商品编码",
            "品名",
            "库位",
            "点数",
            "合格",
            "拒收",
            "拒收原因",
        ]
    } else {
        [
            "SKU", "Item", "Location", "Counted", "Accepted", "Rejected", "Reason",
        ]
    };
    let mut y = 70.0;
    let cols = [MARGIN, 45.0, 100.0];
    let rights = [138.0, 155.0, 172.0];
    d.rule(MARGIN, y - 5.0, PAGE_W - MARGIN, y - 5.0, 0.8);
    for (i, h) in heads.iter().enumerate() {
        match i {
            0..=2 => d.text(cols[i], y, 9.0, h),
            3..=5 => d.text_right(rights[i - 3], y, 9.0, h),
            _ => d.text(176.0, y, 9.0, h),
        }
    }
    d.rule(MARGIN, y + 2.0, PAGE_W - MARGIN, y + 2.0, 0.5);
    y += 8.0;
    for l in &lines {
        let p = products::Entity::find_by_id(l.product_id)
            .one(desk.db())
            .await?;
        let loc = locations::Entity::find_by_id(l.location_id)
            .one(desk.db())
            .await?;
        d.text_fit(
            cols[0],
            y,
            9.0,
            &p.as_ref().map(|p| p.sku.clone()).unwrap_or_default(),
            28.0,
        );
        d.text_fit(
            cols[1],
            y,
            9.0,
            &p.as_ref().map(|p| p.name.clone()).unwrap_or_default(),
            53.0,
        );
        d.text_fit(
            cols[2],
            y,
            9.0,
            &loc.map(|l| l.code).unwrap_or_default(),
            22.0,
        );
        for (i, v) in [l.counted, l.accepted, l.rejected].iter().enumerate() {
            d.text_right(rights[i], y, 9.0, &v.to_string());
        }
        let reason = reason_text(zh, &l.reject_reason);
        d.text_fit(176.0, y, 9.0, &reason, PAGE_W - MARGIN - 176.0);
        d.rule(MARGIN, y + 2.5, PAGE_W - MARGIN, y + 2.5, 0.2);
        y += 7.0;
        if y > PAGE_H - 30.0 {
            d.new_page();
            y = 25.0;
        }
    }
    Ok(d.finish())
}

/// A rejection reason code in words.
pub(super) fn reason_text(zh: bool, code: &str) -> String {
    if !zh {
        return code.replace('_', " ");
    }
    match code {
        "quality" => "质量问题",
        "packaging" => "包装破损",
        "wrong_item" => "货不对版",
        "damaged" => "运输损坏",
        "other" => "其他",
        other => other,
    }
    .to_string()
}
