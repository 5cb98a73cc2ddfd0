//! PDF documents with Chinese text: a small page builder over printpdf (A4, text left/right aligned, rules, page
//! breaks, a footer with page numbers). The CJK font is found on the machine (Noto Sans CJK on Linux, Microsoft
//! YaHei/SimSun on Windows, PingFang on macOS; `SHOPDESK_CJK_FONT=PATH[:INDEX]` overrides) and embedded
//! subsetted, so a one-page order is tens of kilobytes, not megabytes.
//!
//! Coordinates are millimetres from the top-left corner of the page. Only layout happens here: amounts arrive
//! as finished text (the money was computed exactly elsewhere), which is why float arithmetic is allowed here.
#![allow(clippy::float_arithmetic)]

use printpdf::{
    Color, FontId, Line, LinePoint, Mm, Op, PaintMode, ParsedFont, PdfDocument, PdfFontHandle,
    PdfPage, PdfSaveOptions, Point, Polygon, PolygonRing, Pt, Rgb, TextItem, WindingOrder,
};

pub const PAGE_W: f32 = 210.0;
pub const PAGE_H: f32 = 297.0;
pub const MARGIN: f32 = 15.0;

#[derive(Debug, thiserror::Error)]
pub enum PdfError {
    #[error(
        "no Chinese font found: install fonts-noto-cjk (Debian/Ubuntu) or set SHOPDESK_CJK_FONT=/path/to/font.ttc"
    )]
    NoFont,
    #[error("the font {0} cannot be read")]
    BadFont(String),
}

impl From<PdfError> for crate::ApiError {
    fn from(e: PdfError) -> Self {
        let code = match e {
            PdfError::NoFont => "pdf.no_font",
            PdfError::BadFont(_) => "pdf.bad_font",
        };
        crate::ApiError::new(code, e.to_string())
    }
}

/// Font files to try, with the face index of Simplified Chinese in collections.
const CANDIDATES: &[(&str, usize)] = &[
    ("/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc", 2),
    ("/usr/share/fonts/noto-cjk/NotoSansCJK-Regular.ttc", 2),
    (
        "/usr/share/fonts/google-noto-cjk/NotoSansCJK-Regular.ttc",
        2,
    ),
    ("/usr/share/fonts/truetype/wqy/wqy-microhei.ttc", 0),
    (
        "/usr/share/fonts/wenquanyi/wqy-microhei/wqy-microhei.ttc",
        0,
    ),
    ("C:\\Windows\\Fonts\\msyh.ttc", 0),
    ("C:\\Windows\\Fonts\\simsun.ttc", 0),
    ("/System/Library/Fonts/PingFang.ttc", 0),
    ("/System/Library/Fonts/STHeiti Light.ttc", 0),
    ("/Library/Fonts/Arial Unicode.ttf", 0),
];

/// Reads the Chinese font: the override, else the first candidate present.
pub fn load_cjk_font() -> Result<ParsedFont, PdfError> {
    let (path, index) = match std::env::var("SHOPDESK_CJK_FONT")
        .ok()
        .filter(|s| !s.trim().is_empty())
    {
        Some(v) => match v
            .rsplit_once(':')
            .and_then(|(p, i)| i.parse::<usize>().ok().map(|i| (p.to_string(), i)))
        {
            Some((p, i)) if !p.is_empty() && std::path::Path::new(&p).is_file() => (p, i),
            _ => (v, 0),
        },
        None => CANDIDATES
            .iter()
            .find(|(p, _)| std::path::Path::new(p).is_file())
            .map(|(p, i)| (p.to_string(), *i))
            .ok_or(PdfError::NoFont)?,
    };
    let bytes = std::fs::read(&path).map_err(|_| PdfError::BadFont(path.clone()))?;
    ParsedFont::from_bytes(&bytes, index, &mut Vec::new()).ok_or(PdfError::BadFont(path))
}

/// Width of a text in millimetres at `size` points: Chinese characters are one em, Latin letters and digits a
/// little over half (Noto Sans CJK's proportions); enough to right-align figures.
pub fn text_width(s: &str, size: f32) -> f32 {
    let em = size * 0.3528;
    s.chars()
        .map(|c| if c.is_ascii() { 0.56 * em } else { em })
        .sum()
}

/// A document being drawn page by page.
pub struct Doc {
    doc: PdfDocument,
    font: FontId,
    pages: Vec<Vec<Op>>,
    footer: String,
}

fn pt(x: f32, y: f32) -> Point {
    Point {
        x: Mm(x).into(),
        y: Mm(PAGE_H - y).into(),
    }
}

impl Doc {
    pub fn new(title: &str, footer: &str, font: &ParsedFont) -> Self {
        let mut doc = PdfDocument::new(title);
        let font = doc.add_font(font);
        Self {
            doc,
            font,
            pages: vec![Vec::new()],
            footer: footer.to_string(),
        }
    }

    fn ops(&mut self) -> &mut Vec<Op> {
        if self.pages.is_empty() {
            self.pages.push(Vec::new());
        }
        let n = self.pages.len() - 1;
        &mut self.pages[n]
    }

    pub fn new_page(&mut self) {
        self.pages.push(Vec::new());
    }

    /// Text whose baseline starts at (x, y).
    pub fn text(&mut self, x: f32, y: f32, size: f32, s: &str) {
        if s.is_empty() {
            return;
        }
        let font = self.font.clone();
        self.ops().extend([
            Op::StartTextSection,
            Op::SetFont {
                font: PdfFontHandle::External(font),
                size: Pt(size),
            },
            Op::SetTextCursor { pos: pt(x, y) },
            Op::ShowText {
                items: vec![TextItem::Text(s.to_string())],
            },
            Op::EndTextSection,
        ]);
    }

    /// Text that ends at x.
    pub fn text_right(&mut self, x: f32, y: f32, size: f32, s: &str) {
        let w = text_width(s, size);
        self.text(x - w, y, size, s);
    }

    /// Text centred on x.
    pub fn text_center(&mut self, x: f32, y: f32, size: f32, s: &str) {
        let w = text_width(s, size);
        self.text(x - w / 2.0, y, size, s);
    }

    /// Text cut (with …) to fit `width` millimetres.
    pub fn text_fit(&mut self, x: f32, y: f32, size: f32, s: &str, width: f32) {
        if text_width(s, size) <= width {
            return self.text(x, y, size, s);
        }
        let mut out = String::new();
        for c in s.chars() {
            if text_width(&format!("{out}{c}…"), size) > width {
                break;
            }
            out.push(c);
        }
        out.push('…');
        self.text(x, y, size, &out);
    }

    pub fn rule(&mut self, x1: f32, y1: f32, x2: f32, y2: f32, thickness: f32) {
        self.ops().extend([
            Op::SetOutlineColor {
                col: Color::Rgb(Rgb::new(0.35, 0.35, 0.35, None)),
            },
            Op::SetOutlineThickness { pt: Pt(thickness) },
            Op::DrawLine {
                line: Line {
                    points: vec![
                        LinePoint {
                            p: pt(x1, y1),
                            bezier: false,
                        },
                        LinePoint {
                            p: pt(x2, y2),
                            bezier: false,
                        },
                    ],
                    is_closed: false,
                },
            },
        ]);
    }

    /// A filled rectangle with its top-left corner at (x, y), `w` wide and `h` high, in an RGB colour (0–1).
    pub fn rect_fill(&mut self, x: f32, y: f32, w: f32, h: f32, rgb: (f32, f32, f32)) {
        let corner = |x, y| LinePoint {
            p: pt(x, y),
            bezier: false,
        };
        self.ops().extend([
            Op::SetFillColor {
                col: Color::Rgb(Rgb::new(rgb.0, rgb.1, rgb.2, None)),
            },
            Op::DrawPolygon {
                polygon: Polygon {
                    rings: vec![PolygonRing {
                        points: vec![
                            corner(x, y),
                            corner(x + w, y),
                            corner(x + w, y + h),
                            corner(x, y + h),
                        ],
                    }],
                    mode: PaintMode::Fill,
                    winding_order: WindingOrder::NonZero,
                },
            },
            Op::SetFillColor {
                col: Color::Rgb(Rgb::new(0.0, 0.0, 0.0, None)),
            },
        ]);
    }

    /// The finished file: every page gets the footer with "page n / N".
    pub fn finish(mut self) -> Vec<u8> {
        let total = self.pages.len();
        let footer = self.footer.clone();
        let mut pages = Vec::with_capacity(total);
        for n in 0..total {
            let mut ops = std::mem::take(&mut self.pages[n]);
            let font = self.font.clone();
            let text = format!("{footer}    {} / {total}", n + 1);
            ops.extend([
                Op::StartTextSection,
                Op::SetFont {
                    font: PdfFontHandle::External(font),
                    size: Pt(8.0),
                },
                Op::SetTextCursor {
                    pos: pt(PAGE_W - MARGIN - text_width(&text, 8.0), PAGE_H - 8.0),
                },
                Op::ShowText {
                    items: vec![TextItem::Text(text)],
                },
                Op::EndTextSection,
            ]);
            pages.push(PdfPage::new(Mm(PAGE_W), Mm(PAGE_H), ops));
        }
        let opts = PdfSaveOptions {
            subset_fonts: true,
            ..Default::default()
        };
        let mut warnings = Vec::new();
        let bytes = self.doc.with_pages(pages).save(&opts, &mut warnings);
        for w in warnings {
            tracing::debug!("pdf: {w:?}");
        }
        bytes
    }
}
