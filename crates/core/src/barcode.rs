//! Barcodes (GTIN-8, GTIN-12/UPC-A, GTIN-13/EAN-13, GTIN-14) with their check digit.
//! Barcodes are text: leading zeros matter and 13 digits must never pass through a float.

use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct Barcode(String);

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum BarcodeError {
    #[error("a barcode has only digits")]
    NotDigits,
    #[error("a barcode has 8, 12, 13 or 14 digits, not {0}")]
    Length(usize),
    #[error("wrong check digit: expected {expected}, found {found}")]
    CheckDigit { expected: u8, found: u8 },
}

impl BarcodeError {
    pub fn code(&self) -> &'static str {
        match self {
            Self::NotDigits => "barcode_digits",
            Self::Length(_) => "barcode_length",
            Self::CheckDigit { .. } => "barcode_check_digit",
        }
    }
}

/// The GS1 check digit of the digits before it.
pub fn gtin_check_digit(body: &[u8]) -> u8 {
    // From the right: weights 3, 1, 3, 1, ...
    let sum: u32 = body
        .iter()
        .rev()
        .enumerate()
        .map(|(i, d)| u32::from(*d) * if i % 2 == 0 { 3 } else { 1 })
        .sum();
    ((10 - (sum % 10)) % 10) as u8
}

impl Barcode {
    pub fn parse(text: &str) -> Result<Self, BarcodeError> {
        let t = text.trim();
        if t.is_empty() || !t.bytes().all(|b| b.is_ascii_digit()) {
            return Err(BarcodeError::NotDigits);
        }
        if ![8, 12, 13, 14].contains(&t.len()) {
            return Err(BarcodeError::Length(t.len()));
        }
        let digits: Vec<u8> = t.bytes().map(|b| b - b'0').collect();
        let (body, check) = digits.split_at(digits.len() - 1);
        let expected = gtin_check_digit(body);
        if expected != check[0] {
            return Err(BarcodeError::CheckDigit {
                expected,
                found: check[0],
            });
        }
        Ok(Self(t.to_string()))
    }

    /// Builds an EAN-13 from its first 12 digits (used by the demo data).
    pub fn ean13_from_body(body12: &str) -> Option<Self> {
        if body12.len() != 12 || !body12.bytes().all(|b| b.is_ascii_digit()) {
            return None;
        }
        let digits: Vec<u8> = body12.bytes().map(|b| b - b'0').collect();
        Some(Self(format!("{body12}{}", gtin_check_digit(&digits))))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl TryFrom<String> for Barcode {
    type Error = BarcodeError;
    fn try_from(s: String) -> Result<Self, Self::Error> {
        Self::parse(&s)
    }
}

impl From<Barcode> for String {
    fn from(b: Barcode) -> String {
        b.0
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn real_barcodes_pass() {
        for code in [
            "6901234567892",
            "4006381333931",
            "036000291452",
            "96385074",
            "10012345678902",
        ] {
            assert!(Barcode::parse(code).is_ok(), "{code}");
        }
    }

    #[test]
    fn wrong_ones_fail_with_the_reason() {
        assert_eq!(
            Barcode::parse("6901234567891"),
            Err(BarcodeError::CheckDigit {
                expected: 2,
                found: 1
            })
        );
        assert_eq!(
            Barcode::parse("69012345"),
            Err(BarcodeError::CheckDigit {
                expected: 1,
                found: 5
            })
        );
        assert_eq!(
            Barcode::parse("690123456789"),
            Err(BarcodeError::CheckDigit {
                expected: 7,
                found: 9
            })
        );
        assert_eq!(Barcode::parse("12345"), Err(BarcodeError::Length(5)));
        assert_eq!(Barcode::parse("6.90123E+12"), Err(BarcodeError::NotDigits));
    }

    #[test]
    fn builds_ean13() {
        assert_eq!(
            Barcode::ean13_from_body("690123456789").unwrap().as_str(),
            "6901234567892"
        );
    }
}
