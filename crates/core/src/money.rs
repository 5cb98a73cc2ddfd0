//! Exact money and prices.
//!
//! * [`Money`]: an amount in minor units (fen, cents) as `i64`, with its currency.
//! * [`UnitPrice`]: a unit price or cost in 1/10,000 of the currency unit as `i64` (4 decimals, as supplier sheets
//!   quote prices such as 0.0125 per piece).
//!
//! Arithmetic goes through `rust_decimal`; the one rounding rule is half away from zero (四舍五入) unless a caller
//! names another. Floats never touch money: parsing takes text, and amounts leave as decimal strings.

use rust_decimal::prelude::*;
use rust_decimal::{Decimal, RoundingStrategy};
use serde::{Deserialize, Serialize};

/// ISO 4217 currency code, upper case.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Currency([u8; 3]);

impl Currency {
    pub const CNY: Currency = Currency(*b"CNY");
    pub const USD: Currency = Currency(*b"USD");

    pub fn parse(s: &str) -> Result<Self, MoneyError> {
        let s = s.trim();
        let b = s.as_bytes();
        if b.len() == 3 && b.iter().all(u8::is_ascii_alphabetic) {
            let mut c = [0u8; 3];
            for (i, x) in b.iter().enumerate() {
                c[i] = x.to_ascii_uppercase();
            }
            return Ok(Currency(c));
        }
        Err(MoneyError::Currency(s.to_string()))
    }

    pub fn as_str(&self) -> &str {
        // Only ASCII letters are ever stored.
        std::str::from_utf8(&self.0).unwrap_or("XXX")
    }

    /// Digits after the decimal point of the minor unit (JPY/KRW have none).
    pub fn minor_digits(&self) -> u32 {
        match self.as_str() {
            "JPY" | "KRW" | "VND" => 0,
            _ => 2,
        }
    }
}

impl std::fmt::Display for Currency {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

impl Serialize for Currency {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(self.as_str())
    }
}

impl<'de> Deserialize<'de> for Currency {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let s = String::deserialize(d)?;
        Currency::parse(&s).map_err(serde::de::Error::custom)
    }
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum MoneyError {
    #[error("`{0}` is not a number")]
    NotANumber(String),
    #[error("`{value}` has more than {max} decimals")]
    TooManyDecimals { value: String, max: u32 },
    #[error("`{0}` is out of range")]
    OutOfRange(String),
    #[error("`{0}` is not a currency code")]
    Currency(String),
    #[error("cannot add {0} and {1}")]
    CurrencyMismatch(Currency, Currency),
}

/// An exact amount of money: minor units plus currency.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Money {
    minor: i64,
    currency: Currency,
}

impl Money {
    pub const fn from_minor(minor: i64, currency: Currency) -> Self {
        Self { minor, currency }
    }

    pub fn zero(currency: Currency) -> Self {
        Self { minor: 0, currency }
    }

    pub fn minor(&self) -> i64 {
        self.minor
    }

    pub fn currency(&self) -> Currency {
        self.currency
    }

    /// Parses a decimal text such as `1234.5` or `-0.01`; more decimals than the currency has are an error
    /// (rounding typed money silently would hide a mistake).
    pub fn parse(text: &str, currency: Currency) -> Result<Self, MoneyError> {
        let d = parse_decimal(text)?;
        let digits = currency.minor_digits();
        if d.normalize().scale() > digits {
            return Err(MoneyError::TooManyDecimals {
                value: text.trim().to_string(),
                max: digits,
            });
        }
        let minor = d
            .checked_mul(Decimal::from(10i64.pow(digits)))
            .and_then(|x| x.to_i64())
            .ok_or_else(|| MoneyError::OutOfRange(text.to_string()))?;
        Ok(Self { minor, currency })
    }

    /// Converts an exact decimal amount with an explicit rounding rule.
    pub fn from_decimal(
        d: Decimal,
        currency: Currency,
        rounding: RoundingStrategy,
    ) -> Result<Self, MoneyError> {
        let digits = currency.minor_digits();
        let minor = d
            .checked_mul(Decimal::from(10i64.pow(digits)))
            .and_then(|x| x.round_dp_with_strategy(0, rounding).to_i64())
            .ok_or_else(|| MoneyError::OutOfRange(d.to_string()))?;
        Ok(Self { minor, currency })
    }

    pub fn to_decimal(&self) -> Decimal {
        Decimal::from_i128_with_scale(i128::from(self.minor), self.currency.minor_digits())
    }

    pub fn checked_add(self, other: Money) -> Result<Money, MoneyError> {
        if self.currency != other.currency {
            return Err(MoneyError::CurrencyMismatch(self.currency, other.currency));
        }
        let minor = self
            .minor
            .checked_add(other.minor)
            .ok_or_else(|| MoneyError::OutOfRange("sum".into()))?;
        Ok(Money {
            minor,
            currency: self.currency,
        })
    }

    pub fn checked_sub(self, other: Money) -> Result<Money, MoneyError> {
        self.checked_add(Money {
            minor: -other.minor,
            currency: other.currency,
        })
    }

    /// Splits an amount into `parts` shares that add up exactly (the first shares take the extra fen).
    pub fn allocate_evenly(&self, parts: usize) -> Vec<Money> {
        if parts == 0 {
            return Vec::new();
        }
        let n = parts as i64;
        let base = self.minor.div_euclid(n);
        let rest = self.minor.rem_euclid(n);
        (0..n)
            .map(|i| Money {
                minor: base + i64::from(i < rest),
                currency: self.currency,
            })
            .collect()
    }
}

impl std::fmt::Display for Money {
    /// `1234.50` — the plain decimal, no grouping and no symbol (those belong to the UI's locale).
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}", self.to_decimal())
    }
}

/// A unit price or unit cost, in 1/10,000 of the currency unit.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Default)]
pub struct UnitPrice(i64);

impl UnitPrice {
    pub const SCALE: u32 = 4;

    pub const fn from_ten_thousandths(v: i64) -> Self {
        Self(v)
    }

    pub fn ten_thousandths(&self) -> i64 {
        self.0
    }

    /// Parses `12.5`, `0.0125`; more than 4 decimals is an error.
    pub fn parse(text: &str) -> Result<Self, MoneyError> {
        let d = parse_decimal(text)?;
        if d.normalize().scale() > Self::SCALE {
            return Err(MoneyError::TooManyDecimals {
                value: text.trim().to_string(),
                max: Self::SCALE,
            });
        }
        Self::from_decimal_exact(d).ok_or_else(|| MoneyError::OutOfRange(text.to_string()))
    }

    /// Converts a decimal, rounding half away from zero to 4 decimals.
    pub fn from_decimal_rounded(d: Decimal) -> Option<Self> {
        Self::from_decimal_exact(
            d.round_dp_with_strategy(Self::SCALE, RoundingStrategy::MidpointAwayFromZero),
        )
    }

    fn from_decimal_exact(d: Decimal) -> Option<Self> {
        d.checked_mul(Decimal::from(10_000))
            .and_then(|x| x.to_i64())
            .map(Self)
    }

    pub fn to_decimal(&self) -> Decimal {
        Decimal::new(self.0, Self::SCALE)
    }

    /// Price × quantity, rounded half away from zero to the currency's minor unit.
    pub fn times(&self, quantity: i64, currency: Currency) -> Result<Money, MoneyError> {
        let exact = self
            .to_decimal()
            .checked_mul(Decimal::from(quantity))
            .ok_or_else(|| MoneyError::OutOfRange(format!("{self} × {quantity}")))?;
        Money::from_decimal(exact, currency, RoundingStrategy::MidpointAwayFromZero)
    }
}

impl std::fmt::Display for UnitPrice {
    /// At least two decimals, more only when they carry information: `12.50`, `0.0125`.
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let mut d = self.to_decimal().normalize();
        if d.scale() < 2 {
            d.rescale(2);
        }
        write!(f, "{d}")
    }
}

fn parse_decimal(text: &str) -> Result<Decimal, MoneyError> {
    let t = text.trim().replace([',', '，', ' '], "");
    if t.is_empty() {
        return Err(MoneyError::NotANumber(text.to_string()));
    }
    // Scientific notation and floats' artefacts are refused: only plain decimals are money.
    Decimal::from_str_exact(&t).map_err(|_| MoneyError::NotANumber(text.to_string()))
}

/// An amount in Chinese capital numerals (大写金额) as written on purchase orders, invoices and cheques:
/// `1396.19` → `壹仟叁佰玖拾陆元壹角玖分`, `100` → `壹佰元整`, `1.05` → `壹元零伍分`. Takes fen (two decimals).
pub fn chinese_capital(fen: i64) -> String {
    const D: [&str; 10] = ["零", "壹", "贰", "叁", "肆", "伍", "陆", "柒", "捌", "玖"];
    const U: [&str; 4] = ["", "拾", "佰", "仟"];
    const G: [&str; 5] = ["", "万", "亿", "万亿", "亿亿"];
    let neg = fen < 0;
    let fen = fen.unsigned_abs();
    let (yuan, jiao, cent) = (fen / 100, ((fen / 10) % 10) as usize, (fen % 10) as usize);
    let mut s = String::new();
    if yuan > 0 {
        let mut groups = Vec::new();
        let mut y = yuan;
        while y > 0 {
            groups.push(y % 10_000);
            y /= 10_000;
        }
        let mut gap = false;
        for (gi, g) in groups.iter().enumerate().rev() {
            if *g == 0 {
                gap = !s.is_empty();
                continue;
            }
            if !s.is_empty() && (gap || *g < 1000) {
                s.push_str(D[0]);
            }
            gap = false;
            let digits = [g / 1000, g / 100 % 10, g / 10 % 10, g % 10];
            let (mut started, mut zero) = (false, false);
            for (i, d) in digits.iter().enumerate() {
                if *d == 0 {
                    zero = started;
                    continue;
                }
                if zero {
                    s.push_str(D[0]);
                    zero = false;
                }
                s.push_str(D[*d as usize]);
                s.push_str(U[3 - i]);
                started = true;
            }
            s.push_str(G[gi.min(G.len() - 1)]);
        }
        s.push('元');
    }
    if jiao == 0 && cent == 0 {
        if s.is_empty() {
            s.push_str("零元");
        }
        s.push('整');
    } else {
        if jiao > 0 {
            s.push_str(D[jiao]);
            s.push('角');
        } else if yuan > 0 {
            s.push_str(D[0]);
        }
        if cent > 0 {
            s.push_str(D[cent]);
            s.push('分');
        } else {
            s.push('整');
        }
    }
    if neg { format!("负{s}") } else { s }
}

#[cfg(test)]
mod tests {
    use super::chinese_capital;

    #[test]
    fn chinese_capital_numerals() {
        for (fen, text) in [
            (139_619, "壹仟叁佰玖拾陆元壹角玖分"),
            (10_000, "壹佰元整"),
            (105, "壹元零伍分"),
            (50, "伍角整"),
            (5, "伍分"),
            (0, "零元整"),
            (1_050, "壹拾元伍角整"),
            (10_001_000, "壹拾万零壹拾元整"),
            (100_000_000_100, "壹拾亿零壹元整"),
            (1_000_100, "壹万零壹元整"),
            (100_000_000, "壹佰万元整"),
            (-2_000, "负贰拾元整"),
            (2_825, "贰拾捌元贰角伍分"),
        ] {
            assert_eq!(chinese_capital(fen), text, "{fen}");
        }
    }

    #[test]
    fn huge_numbers_are_out_of_range_not_a_panic() {
        use super::{Currency, Money, UnitPrice};
        let big: rust_decimal::Decimal = "12345678901234567890123456".parse().expect("decimal");
        assert_eq!(UnitPrice::from_decimal_rounded(big), None);
        let p = UnitPrice::parse("10000000000").expect("price");
        assert!(p.times(1_000_000_000_000_000_000, Currency::CNY).is_err());
        assert!(Money::parse("99999999999999999999999999", Currency::CNY).is_err());
    }

    use super::*;

    #[test]
    fn money_parses_and_formats_exactly() {
        let m = Money::parse("12345678901234.56", Currency::CNY).unwrap();
        assert_eq!(m.minor(), 1_234_567_890_123_456);
        assert_eq!(m.to_string(), "12345678901234.56");
        assert_eq!(Money::parse("-0.01", Currency::CNY).unwrap().minor(), -1);
        assert_eq!(
            Money::parse("1,234.5", Currency::CNY).unwrap().to_string(),
            "1234.50"
        );
        assert!(matches!(
            Money::parse("0.001", Currency::CNY),
            Err(MoneyError::TooManyDecimals { .. })
        ));
        assert!(matches!(
            Money::parse("abc", Currency::CNY),
            Err(MoneyError::NotANumber(_))
        ));
        assert_eq!(
            Money::parse("1500", Currency::parse("jpy").unwrap())
                .unwrap()
                .minor(),
            1500
        );
    }

    #[test]
    fn sums_of_thirds_are_exact() {
        // The float trap from STACK.md: 3 × 333333333333.33 must be 999999999999.99, not 1e12.
        let third = Money::parse("333333333333.33", Currency::CNY).unwrap();
        let sum = third
            .checked_add(third)
            .unwrap()
            .checked_add(third)
            .unwrap();
        assert_eq!(sum.to_string(), "999999999999.99");
    }

    #[test]
    fn currencies_never_mix() {
        let a = Money::parse("1", Currency::CNY).unwrap();
        let b = Money::parse("1", Currency::USD).unwrap();
        assert!(matches!(
            a.checked_add(b),
            Err(MoneyError::CurrencyMismatch(..))
        ));
    }

    #[test]
    fn rounding_is_half_away_from_zero() {
        let p = UnitPrice::parse("0.0125").unwrap();
        // 0.0125 × 2 = 0.025 → 0.03 (half away from zero), not 0.02 (banker's).
        assert_eq!(p.times(2, Currency::CNY).unwrap().minor(), 3);
        // negative: −0.025 → −0.03
        assert_eq!(p.times(-2, Currency::CNY).unwrap().minor(), -3);
        assert_eq!(p.times(1, Currency::CNY).unwrap().minor(), 1);
        assert_eq!(
            UnitPrice::from_decimal_rounded(Decimal::new(123455, 5))
                .unwrap()
                .ten_thousandths(),
            12346
        );
    }

    #[test]
    fn unit_price_display() {
        assert_eq!(UnitPrice::parse("12.5").unwrap().to_string(), "12.50");
        assert_eq!(UnitPrice::parse("12").unwrap().to_string(), "12.00");
        assert_eq!(UnitPrice::parse("0.0125").unwrap().to_string(), "0.0125");
        assert_eq!(UnitPrice::parse("9.300").unwrap().to_string(), "9.30");
        assert!(UnitPrice::parse("0.00001").is_err());
        assert!(UnitPrice::parse("1e3").is_err());
    }

    #[test]
    fn allocation_adds_up() {
        let m = Money::parse("100.00", Currency::CNY).unwrap();
        let parts = m.allocate_evenly(3);
        assert_eq!(parts.iter().map(Money::minor).sum::<i64>(), 10_000);
        assert_eq!(parts[0].minor(), 3334);
        assert_eq!(parts[2].minor(), 3333);
    }
}
