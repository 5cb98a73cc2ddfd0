//! Turning cells into exact values: text cleaned of the decorations exports add (`="..."`, tabs, full-width
//! spaces), numbers from floats without float maths, prices written as text with units and currencies
//! (`9.3美金`, `60/pc`, `￥12.50`, `12.5元/箱`, `3.00 per pc`), whole numbers with units (`100pcs`, `7天`) and dates.
//! A value that cannot be read exactly is an error with a stable code, never a guess.

use super::Cell;
use crate::money::Currency;
use rust_decimal::Decimal;
use std::str::FromStr;

/// Removes what exports wrap around values: surrounding white space (tabs, NBSP, full-width space), the
/// `="..."` that keeps Excel from turning long numbers into floats, and a leading `'` text marker.
pub fn clean_text(s: &str) -> String {
    let is_ws = |c: char| c.is_whitespace() || c == '\u{3000}' || c == '\u{a0}' || c == '\u{feff}';
    let mut t = s.trim_matches(is_ws);
    if let Some(inner) = t.strip_prefix("=\"").and_then(|x| x.strip_suffix('"')) {
        t = inner.trim_matches(is_ws);
    }
    if let Some(inner) = t.strip_prefix('\'') {
        t = inner;
    }
    t.to_string()
}

/// A float as the spreadsheet stored it, as an exact decimal: its shortest round-trip text, rounded to 15
/// significant digits (Excel's own precision), so `0.30000000000000004` reads `0.3` and `14420.000000000002`
/// reads `14420`. `None` for NaN, infinities and numbers beyond 28 digits.
pub fn number_to_decimal(f: f64) -> Option<Decimal> {
    if !f.is_finite() {
        return None;
    }
    let d = Decimal::from_str(&format!("{f}")).ok()?;
    Some(d.round_sf(15)?.normalize())
}

/// The text of a cell as a user would read it: whole floats without `.0`, dates as `YYYY-MM-DD`.
/// Codes stay text; a float that held a code of more than 15 digits cannot be trusted and is written as read.
pub fn cell_text(c: &Cell) -> String {
    match c {
        Cell::Empty => String::new(),
        Cell::Text(s) => clean_text(s),
        Cell::Int(i) => i.to_string(),
        Cell::Number(f) => number_to_decimal(*f)
            .map(|d| d.to_string())
            .unwrap_or_else(|| format!("{f}")),
        Cell::Bool(b) => if *b { "TRUE" } else { "FALSE" }.to_string(),
        Cell::Date(d) => {
            if d.time() == chrono::NaiveTime::MIN {
                d.date().format("%Y-%m-%d").to_string()
            } else {
                d.format("%Y-%m-%d %H:%M:%S").to_string()
            }
        }
        Cell::Error(e) => format!("#{e}"),
    }
}

/// A price or amount read from a cell, with what the text said about its currency and unit.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Amount {
    pub value: Decimal,
    pub currency: Option<Currency>,
    pub unit: Option<String>,
}

/// Why a cell is not an amount. `code()` is the stable issue code.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum AmountError {
    #[error("`{0}` is a range, not one price")]
    Range(String),
    #[error("`{0}` is negative")]
    Negative(String),
    #[error("`{0}` is not a number")]
    NotANumber(String),
    #[error("the cell holds an error ({0})")]
    CellError(String),
}

impl AmountError {
    pub fn code(&self) -> &'static str {
        match self {
            Self::Range(_) => "price_range",
            Self::Negative(_) => "price_negative",
            Self::NotANumber(_) => "price_not_a_number",
            Self::CellError(_) => "cell_error",
        }
    }
}

/// Currency words and signs as suppliers write them, longest first so `US$` wins over `$`.
const CURRENCY_WORDS: &[(&str, &str)] = &[
    ("人民币", "CNY"),
    ("RMB", "CNY"),
    ("CNY", "CNY"),
    ("￥", "CNY"),
    ("¥", "CNY"),
    ("元", "CNY"),
    ("块", "CNY"),
    ("US$", "USD"),
    ("USD", "USD"),
    ("美金", "USD"),
    ("美元", "USD"),
    ("HK$", "HKD"),
    ("HKD", "HKD"),
    ("港币", "HKD"),
    ("港元", "HKD"),
    ("$", "USD"),
    ("EUR", "EUR"),
    ("€", "EUR"),
    ("欧元", "EUR"),
    ("GBP", "GBP"),
    ("£", "GBP"),
    ("英镑", "GBP"),
    ("JPY", "JPY"),
    ("日元", "JPY"),
    ("円", "JPY"),
    ("PHP", "PHP"),
    ("₱", "PHP"),
    ("INR", "INR"),
    ("₹", "INR"),
    ("Rs.", "INR"),
    ("Rs", "INR"),
];

/// A currency named in a currency column: `CNY`, `usd`, `人民币`, `美元`, `￥`.
pub fn currency_word(s: &str) -> Option<Currency> {
    let t = clean_text(s);
    match strip_currency(&t) {
        (Some(c), rest) if rest.trim().is_empty() => Some(c),
        _ => Currency::parse(&t).ok(),
    }
}

/// Takes a currency sign or word off the front of `s`.
fn strip_currency(s: &str) -> (Option<Currency>, &str) {
    for (word, code) in CURRENCY_WORDS {
        if let Some(rest) = s.strip_prefix(word) {
            return (Currency::parse(code).ok(), rest.trim_start());
        }
    }
    (None, s)
}

fn halfwidth(s: &str) -> String {
    s.chars()
        .map(|c| match c {
            '０'..='９' => char::from_u32(c as u32 - '０' as u32 + '0' as u32).unwrap_or(c),
            '．' => '.',
            '，' => ',',
            '／' => '/',
            '－' => '-',
            '～' | '〜' => '~',
            _ => c,
        })
        .collect()
}

const NO_VALUE: &[&str] = &[
    "-", "--", "—", "/", "n/a", "na", "无", "暂无", "tbd", "待定",
];

/// Reads an amount. `Ok(None)` for an empty cell or a dash.
pub fn parse_amount(c: &Cell) -> Result<Option<Amount>, AmountError> {
    match c {
        Cell::Empty => Ok(None),
        Cell::Int(i) if *i < 0 => Err(AmountError::Negative(i.to_string())),
        Cell::Int(i) => Ok(Some(Amount {
            value: Decimal::from(*i),
            currency: None,
            unit: None,
        })),
        Cell::Number(f) => {
            let d = number_to_decimal(*f).ok_or_else(|| AmountError::NotANumber(format!("{f}")))?;
            if d.is_sign_negative() && !d.is_zero() {
                return Err(AmountError::Negative(d.to_string()));
            }
            Ok(Some(Amount {
                value: d,
                currency: None,
                unit: None,
            }))
        }
        Cell::Error(e) => Err(AmountError::CellError(e.clone())),
        Cell::Bool(_) | Cell::Date(_) => Err(AmountError::NotANumber(cell_text(c))),
        Cell::Text(t) => parse_amount_text(t),
    }
}

/// Reads an amount written as text: `9.3美金`, `￥12.50`, `12.5元/箱`, `60/pc`, `20.00/sq ft`, `3.00 per pc`,
/// `30.00 each`, `1,234.50`, `USD 5`, `1,5` (decimal comma). Ranges (`120-150`) and trailing words are errors.
pub fn parse_amount_text(raw: &str) -> Result<Option<Amount>, AmountError> {
    let original = clean_text(raw);
    if original.is_empty() || NO_VALUE.contains(&original.to_lowercase().as_str()) {
        return Ok(None);
    }
    let s = halfwidth(&original);
    let s = s.trim();
    let bad = || AmountError::NotANumber(original.clone());
    // Prefix: a currency sign or word, or a minus.
    let (mut currency, rest) = strip_currency(s);
    let rest = rest.trim_start();
    if rest.starts_with('-') && rest[1..].starts_with(|c: char| c.is_ascii_digit()) {
        return Err(AmountError::Negative(original.clone()));
    }
    let start = rest.find(|c: char| c.is_ascii_digit()).ok_or_else(bad)?;
    if !rest[..start].trim().is_empty() {
        // Words before the number (`Retail Price`, `约`) are not a price we can trust.
        return Err(bad());
    }
    let body = &rest[start..];
    let end = body
        .find(|c: char| !(c.is_ascii_digit() || c == '.' || c == ','))
        .unwrap_or(body.len());
    let (num, tail) = (&body[..end], body[end..].trim());
    let value = parse_number_text(num).ok_or_else(bad)?;
    // A second number after a dash or tilde is a range.
    let range_tail = tail.trim_start_matches(' ');
    if let Some(after) = range_tail
        .strip_prefix('-')
        .or_else(|| range_tail.strip_prefix('~'))
        .or_else(|| range_tail.strip_prefix("至"))
        .or_else(|| range_tail.strip_prefix("to "))
    {
        let after = after.trim_start();
        let (_, after) = strip_currency(after);
        if after.starts_with(|c: char| c.is_ascii_digit()) {
            return Err(AmountError::Range(original.clone()));
        }
    }
    // Suffix: a currency word, then a unit after `/`, `per` or `each`.
    let (cur2, tail) = strip_currency(tail);
    if currency.is_none() {
        currency = cur2;
    }
    let tail = tail.trim();
    let unit = if tail.is_empty() {
        None
    } else if let Some(u) = tail.strip_prefix('/').or_else(|| tail.strip_prefix("每")) {
        Some(u.trim().to_string())
            .filter(|u| !u.is_empty() && is_unit_word(u))
            .ok_or_else(bad)
            .map(Some)?
    } else if let Some(u) = tail
        .strip_prefix("per ")
        .or_else(|| tail.strip_prefix("Per "))
    {
        Some(u.trim().to_string())
            .filter(|u| !u.is_empty() && is_unit_word(u))
            .ok_or_else(bad)
            .map(Some)?
    } else if tail.eq_ignore_ascii_case("each") || tail.eq_ignore_ascii_case("ea") {
        Some("each".to_string())
    } else {
        return Err(bad());
    };
    Ok(Some(Amount {
        value,
        currency,
        unit,
    }))
}

/// A unit is a short word without digits that would change the price (`pc`, `sq ft`, `箱`, `kg`);
/// `60/pc` yes, `15.00 each *minimum price` no.
fn is_unit_word(u: &str) -> bool {
    u.chars().count() <= 12
        && !u
            .chars()
            .any(|c| c.is_ascii_digit() || matches!(c, '*' | '(' | ')' | '+' | ',' | ';'))
}

/// `1234.5`, `1,234.50` (thousands), `1,5` (decimal comma when not a thousands group).
fn parse_number_text(num: &str) -> Option<Decimal> {
    if num.is_empty() || num.starts_with([',', '.']) || num.ends_with(',') {
        return None;
    }
    let normalized = if num.contains(',') && num.contains('.') {
        // `1,234.50`: commas group thousands before the point.
        let (int, _) = num.split_once('.')?;
        if !thousands_ok(int) {
            return None;
        }
        num.replace(',', "")
    } else if num.contains(',') {
        if thousands_ok(num) {
            num.replace(',', "")
        } else if num.matches(',').count() == 1 {
            num.replace(',', ".")
        } else {
            return None;
        }
    } else {
        num.to_string()
    };
    if normalized.matches('.').count() > 1 {
        return None;
    }
    Decimal::from_str(&normalized).ok().map(|d| d.normalize())
}

fn thousands_ok(int: &str) -> bool {
    let groups: Vec<&str> = int.split(',').collect();
    groups.len() > 1
        && !groups[0].is_empty()
        && groups[0].len() <= 3
        && groups[1..].iter().all(|g| g.len() == 3)
}

/// A whole number, possibly followed by a unit word (`100`, `100pcs`, `7天`, `7 days`, `1,000`).
pub fn parse_whole(c: &Cell) -> Result<Option<i64>, String> {
    match c {
        Cell::Empty => Ok(None),
        Cell::Int(i) => Ok(Some(*i)),
        Cell::Number(f) => {
            let d = number_to_decimal(*f).ok_or_else(|| format!("{f}"))?;
            use rust_decimal::prelude::ToPrimitive;
            if d.fract().is_zero() {
                d.to_i64().map(Some).ok_or_else(|| d.to_string())
            } else {
                Err(d.to_string())
            }
        }
        Cell::Text(t) => {
            let t = halfwidth(&clean_text(t));
            if t.is_empty() || NO_VALUE.contains(&t.to_lowercase().as_str()) {
                return Ok(None);
            }
            let end = t
                .find(|ch: char| !(ch.is_ascii_digit() || ch == ','))
                .unwrap_or(t.len());
            let digits = t[..end].replace(',', "");
            let tail = t[end..].trim();
            if digits.is_empty() || tail.starts_with(['.', '-', '~']) {
                return Err(t.clone());
            }
            if !tail.is_empty() && !is_unit_word(tail) {
                return Err(t.clone());
            }
            digits.parse::<i64>().map(Some).map_err(|_| t.clone())
        }
        other => Err(cell_text(other)),
    }
}

/// A date: a real date cell, or text `2017-3-22`, `2017/3/22`, `2017.3.22`, `2017年3月22日`, `20170322`.
pub fn parse_date(c: &Cell) -> Result<Option<chrono::NaiveDate>, String> {
    match c {
        Cell::Empty => Ok(None),
        Cell::Date(d) => Ok(Some(d.date())),
        Cell::Text(t) => {
            let t = halfwidth(&clean_text(t));
            if t.is_empty() {
                return Ok(None);
            }
            let t2 = t.replace(['年', '月', '/', '.'], "-").replace('日', "");
            let head = t2.split([' ', 'T']).next().unwrap_or("");
            // Four-digit years only: `17-3-22` is not the year 17.
            if head.contains('-') && head.split('-').next().is_none_or(|y| y.len() != 4) {
                return Err(t.clone());
            }
            chrono::NaiveDate::parse_from_str(head, "%Y-%m-%d")
                .or_else(|_| chrono::NaiveDate::parse_from_str(head, "%Y%m%d"))
                .map(Some)
                .map_err(|_| t.clone())
        }
        other => Err(cell_text(other)),
    }
}

/// The common shape of a date and time in exports, `2026-01-31 08:05:09` (or with `/`, or `T`, or without
/// seconds), read without the general parser: most order files have two of these on every row. `None` for anything
/// else, which then takes the general path.
fn plain_datetime(b: &[u8]) -> Option<chrono::NaiveDateTime> {
    fn num(b: &[u8]) -> Option<u32> {
        b.iter().try_fold(0u32, |n, c| {
            c.is_ascii_digit().then(|| n * 10 + u32::from(c - b'0'))
        })
    }
    if !(b.len() == 19 || b.len() == 16) {
        return None;
    }
    let sep = b[4];
    if !(sep == b'-' || sep == b'/')
        || b[7] != sep
        || !(b[10] == b' ' || b[10] == b'T')
        || b[13] != b':'
    {
        return None;
    }
    let sec = if b.len() == 19 {
        if b[16] != b':' {
            return None;
        }
        num(&b[17..19])?
    } else {
        0
    };
    chrono::NaiveDate::from_ymd_opt(num(&b[0..4])? as i32, num(&b[5..7])?, num(&b[8..10])?)?
        .and_hms_opt(num(&b[11..13])?, num(&b[14..16])?, sec)
}

/// A moment as an export writes it: a real date cell, or text such as `2020-02-20 23:17:04`, `2020/2/20 23:17`,
/// `2025-12-07 19:08:25 +0000` (Shopify), `2017-09-23T14:18:23-07:00` or `…Z` (Amazon), or a date alone
/// (midnight). Returns the local date-time and its UTC offset when the text states one; without an offset the
/// caller applies the company's time zone.
pub fn parse_datetime(
    c: &Cell,
) -> Result<Option<(chrono::NaiveDateTime, Option<chrono::FixedOffset>)>, String> {
    use chrono::{DateTime, NaiveDate, NaiveDateTime};
    match c {
        Cell::Empty => Ok(None),
        Cell::Date(d) => Ok(Some((*d, None))),
        Cell::Text(t) => {
            if let Some(d) = plain_datetime(t.as_bytes()) {
                return Ok(Some((d, None)));
            }
            let t = halfwidth(&clean_text(t));
            if t.is_empty() || NO_VALUE.contains(&t.to_lowercase().as_str()) {
                return Ok(None);
            }
            let bad = || t.clone();
            for f in [
                "%Y-%m-%dT%H:%M:%S%.f%:z",
                "%Y-%m-%dT%H:%M:%S%.f%z",
                "%Y-%m-%d %H:%M:%S %z",
                "%Y-%m-%d %H:%M:%S%:z",
            ] {
                if let Ok(d) = DateTime::parse_from_str(&t, f) {
                    return Ok(Some((d.naive_local(), Some(*d.offset()))));
                }
            }
            if let Some(z) = t.strip_suffix('Z').or_else(|| t.strip_suffix(" UTC")) {
                let utc = chrono::FixedOffset::east_opt(0);
                for f in ["%Y-%m-%dT%H:%M:%S%.f", "%Y-%m-%d %H:%M:%S%.f"] {
                    if let Ok(d) = NaiveDateTime::parse_from_str(z, f) {
                        return Ok(Some((d, utc)));
                    }
                }
                return Err(bad());
            }
            let norm = t
                .replace(['年', '月', '/', '.'], "-")
                .replace(['日', 'T'], " ");
            let norm = norm.split_whitespace().collect::<Vec<_>>().join(" ");
            if norm.split('-').next().is_none_or(|y| y.len() != 4) {
                return Err(bad());
            }
            for f in ["%Y-%m-%d %H:%M:%S%.f", "%Y-%m-%d %H:%M"] {
                if let Ok(d) = NaiveDateTime::parse_from_str(&norm, f) {
                    return Ok(Some((d, None)));
                }
            }
            NaiveDate::parse_from_str(&norm, "%Y-%m-%d")
                .map(|d| Some((d.and_time(chrono::NaiveTime::MIN), None)))
                .map_err(|_| bad())
        }
        other => Err(cell_text(other)),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use rust_decimal_macros_free::d;

    mod rust_decimal_macros_free {
        pub fn d(s: &str) -> rust_decimal::Decimal {
            s.parse().expect("decimal literal")
        }
    }

    fn amt(s: &str) -> Amount {
        parse_amount_text(s)
            .unwrap_or_else(|e| panic!("{s}: {e}"))
            .unwrap_or_else(|| panic!("{s}: empty"))
    }

    #[test]
    fn date_times_as_exports_write_them() {
        use chrono::{FixedOffset, NaiveDate};
        let at = |y, m, d, h, mi, s| {
            NaiveDate::from_ymd_opt(y, m, d)
                .and_then(|x| x.and_hms_opt(h, mi, s))
                .expect("valid")
        };
        let t = |s: &str| parse_datetime(&Cell::Text(s.into()));
        assert_eq!(
            t("2020-02-20 23:17:04"),
            Ok(Some((at(2020, 2, 20, 23, 17, 4), None)))
        );
        assert_eq!(
            t("\t2020/2/3 9:05"),
            Ok(Some((at(2020, 2, 3, 9, 5, 0), None)))
        );
        assert_eq!(
            t("2025-12-07 19:08:25 +0000"),
            Ok(Some((at(2025, 12, 7, 19, 8, 25), FixedOffset::east_opt(0))))
        );
        assert_eq!(
            t("2017-09-23T14:18:23-07:00"),
            Ok(Some((
                at(2017, 9, 23, 14, 18, 23),
                FixedOffset::west_opt(7 * 3600)
            )))
        );
        assert_eq!(
            t("2017-09-23T14:18:23Z"),
            Ok(Some((
                at(2017, 9, 23, 14, 18, 23),
                FixedOffset::east_opt(0)
            )))
        );
        assert_eq!(t("2020年2月3日"), Ok(Some((at(2020, 2, 3, 0, 0, 0), None))));
        // The plain shapes read without the general parser, and what they refuse still gets its error.
        assert_eq!(
            t("2020/02/03 09:05"),
            Ok(Some((at(2020, 2, 3, 9, 5, 0), None)))
        );
        assert_eq!(
            t("2020-02-20T23:17:04"),
            Ok(Some((at(2020, 2, 20, 23, 17, 4), None)))
        );
        assert_eq!(t("2020-02-30 10:00:00"), Err("2020-02-30 10:00:00".into()));
        assert!(t("2020-02-03 24:00:00").is_err());
        assert!(t("2020-02-03 1a:00:00").is_err());
        assert_eq!(t(""), Ok(None));
        assert!(t("20-2-3 10:00").is_err());
        assert!(t("yesterday").is_err());
    }

    #[test]
    fn floats_read_as_excel_shows_them() {
        assert_eq!(number_to_decimal(0.1 + 0.2), Some(d("0.3")));
        assert_eq!(number_to_decimal(14420.000000000002), Some(d("14420")));
        assert_eq!(number_to_decimal(0.995), Some(d("0.995")));
        assert_eq!(number_to_decimal(6901234567892.0), Some(d("6901234567892")));
        assert_eq!(cell_text(&Cell::Number(91060183.0)), "91060183");
        assert_eq!(cell_text(&Cell::Number(703.0)), "703");
        assert_eq!(number_to_decimal(f64::NAN), None);
    }

    #[test]
    fn prices_written_as_text() {
        let a = amt("9.3美金");
        assert_eq!((a.value, a.currency), (d("9.3"), Some(Currency::USD)));
        let a = amt("60/pc");
        assert_eq!((a.value, a.unit.as_deref()), (d("60"), Some("pc")));
        let a = amt("￥12.50");
        assert_eq!((a.value, a.currency), (d("12.5"), Some(Currency::CNY)));
        let a = amt("12.5元/箱");
        assert_eq!(
            (a.value, a.currency, a.unit.as_deref()),
            (d("12.5"), Some(Currency::CNY), Some("箱"))
        );
        assert_eq!(amt("20.00/sq ft").unit.as_deref(), Some("sq ft"));
        assert_eq!(amt("3.00 per pc").unit.as_deref(), Some("pc"));
        assert_eq!(amt("30.00 each").unit.as_deref(), Some("each"));
        assert_eq!(amt("1,234.50").value, d("1234.5"));
        assert_eq!(amt("1,5").value, d("1.5"));
        assert_eq!(amt("USD 5").currency, Some(Currency::USD));
        assert_eq!(amt("US$5.5").value, d("5.5"));
        assert_eq!(amt("１２．５元").value, d("12.5"));
        assert_eq!(amt("=\"12.5\"").value, d("12.5"));
        assert_eq!(amt("\t12.5\t").value, d("12.5"));
    }

    #[test]
    fn what_is_not_one_price_is_an_error_not_a_guess() {
        for (s, code) in [
            ("120-150", "price_range"),
            ("13-15/pc", "price_range"),
            ("40-65/pc", "price_range"),
            ("5 ~ 6 元", "price_range"),
            ("-5", "price_negative"),
            ("Retail Price Estimate (10-20 pcs)", "price_not_a_number"),
            ("15.00 each *minimum price", "price_not_a_number"),
            ("+0.25/sq inch", "price_not_a_number"),
            ("abc", "price_not_a_number"),
            ("1.2.3", "price_not_a_number"),
        ] {
            let e = parse_amount_text(s).expect_err(s);
            assert_eq!(e.code(), code, "{s}");
        }
        assert_eq!(parse_amount_text("-").expect("dash"), None);
        assert_eq!(parse_amount_text("  ").expect("blank"), None);
        assert_eq!(
            parse_amount(&Cell::Number(-1.0)).map_err(|e| e.code()),
            Err("price_negative")
        );
    }

    #[test]
    fn whole_numbers_and_dates() {
        assert_eq!(parse_whole(&Cell::Text("100pcs".into())), Ok(Some(100)));
        assert_eq!(parse_whole(&Cell::Text("7天".into())), Ok(Some(7)));
        assert_eq!(parse_whole(&Cell::Text("1,000".into())), Ok(Some(1000)));
        assert_eq!(parse_whole(&Cell::Number(30.0)), Ok(Some(30)));
        assert!(parse_whole(&Cell::Number(2.5)).is_err());
        assert!(parse_whole(&Cell::Text("1-10pcs".into())).is_err());
        let want = chrono::NaiveDate::from_ymd_opt(2017, 3, 22);
        for s in [
            "2017-3-22",
            "2017/3/22",
            "2017.3.22",
            "2017年3月22日",
            "20170322",
        ] {
            assert_eq!(parse_date(&Cell::Text(s.into())), Ok(want), "{s}");
        }
    }
}
