//! Join codes: 128 random bits from the operating system, written in Crockford base32 in groups of four
//! (`K7QF-2M9X-...`) so they can be read aloud and typed, and compared in constant time.

use std::fmt;

use subtle::ConstantTimeEq;

/// Crockford's base32 alphabet: no I, L, O or U, so nothing is mistaken for 1, 0 or a rude word.
const ALPHABET: &[u8; 32] = b"0123456789ABCDEFGHJKMNPQRSTVWXYZ";
/// 128 bits need 26 base32 digits (130 bits): the first digit carries the top three bits only.
const DIGITS: usize = 26;

/// A seat's secret: whoever holds it plays the seat.
#[derive(Clone)]
pub struct JoinCode([u8; 16]);

/// Equality is the constant-time comparison too, so no caller can compare codes the leaky way.
impl PartialEq for JoinCode {
    fn eq(&self, other: &JoinCode) -> bool {
        self.matches(other)
    }
}

impl Eq for JoinCode {}

impl JoinCode {
    /// A fresh code from the operating system's random source.
    pub fn generate() -> std::io::Result<JoinCode> {
        let mut bytes = [0u8; 16];
        getrandom::fill(&mut bytes).map_err(|e| std::io::Error::other(e.to_string()))?;
        Ok(JoinCode(bytes))
    }

    /// Whether the code could be guessed: every byte the same (all zeros, all ones, …), a pattern no
    /// random source gives in practice but a hand-written codes file might.
    #[must_use]
    pub fn is_weak(&self) -> bool {
        self.0.iter().all(|b| *b == self.0[0])
    }

    /// Reads a code as a person typed it: any case, dashes and spaces anywhere, and the look-alikes
    /// Crockford allows (`I`/`L` for 1, `O` for 0). `None` when it is not a code at all.
    #[must_use]
    pub fn parse(text: &str) -> Option<JoinCode> {
        let mut value: u128 = 0;
        let mut digits = 0usize;
        for c in text.chars() {
            if c == '-' || c.is_whitespace() {
                continue;
            }
            let digit = match c.to_ascii_uppercase() {
                'I' | 'L' => 1,
                'O' => 0,
                upper => ALPHABET.iter().position(|&a| char::from(a) == upper)?,
            };
            digits += 1;
            if digits > DIGITS {
                return None;
            }
            // The first digit carries only three bits; a larger one would overflow 128 bits.
            if digits == 1 && digit > 7 {
                return None;
            }
            value = (value << 5) | u128::try_from(digit).ok()?;
        }
        (digits == DIGITS).then(|| JoinCode(value.to_be_bytes()))
    }

    /// Whether `other` is this code, in time that does not depend on where they differ.
    #[must_use]
    pub fn matches(&self, other: &JoinCode) -> bool {
        self.0.ct_eq(&other.0).into()
    }
}

impl fmt::Display for JoinCode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let value = u128::from_be_bytes(self.0);
        for i in 0..DIGITS {
            if i > 0 && i % 4 == 0 {
                f.write_str("-")?;
            }
            let shift = 5 * (DIGITS - 1 - i);
            let digit = usize::try_from((value >> shift) & 0x1f).unwrap_or_default();
            write!(f, "{}", char::from(ALPHABET[digit]))?;
        }
        Ok(())
    }
}

impl fmt::Debug for JoinCode {
    /// Never prints the secret: debug output ends up in logs.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("JoinCode(..)")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_code_reads_back_as_written_in_any_case_and_spacing() {
        // Many codes, so every value of the short first digit is met.
        for _ in 0..500 {
            let code = JoinCode::generate().expect("os random");
            let shown = code.to_string();
            assert_eq!(shown.len(), DIGITS + 6, "{shown}");
            assert_eq!(JoinCode::parse(&shown), Some(code.clone()), "{shown}");
            let typed = shown.to_lowercase().replace('-', " ");
            assert_eq!(JoinCode::parse(&typed), Some(code), "{typed}");
        }
    }

    #[test]
    fn look_alikes_read_as_crockford_says() {
        let zeros = "0".repeat(DIGITS);
        let ones = format!("0{}", "1".repeat(DIGITS - 1));
        assert_eq!(
            JoinCode::parse(&"o".repeat(DIGITS)),
            JoinCode::parse(&zeros)
        );
        assert_eq!(
            JoinCode::parse(&format!("0{}", "l".repeat(DIGITS - 1))),
            JoinCode::parse(&ones)
        );
    }

    #[test]
    fn wrong_lengths_letters_and_overflow_are_not_codes() {
        assert_eq!(JoinCode::parse(""), None);
        assert_eq!(JoinCode::parse(&"0".repeat(DIGITS - 1)), None);
        assert_eq!(JoinCode::parse(&"0".repeat(DIGITS + 1)), None);
        assert_eq!(JoinCode::parse(&"U".repeat(DIGITS)), None);
        assert_eq!(
            JoinCode::parse(&format!("8{}", "0".repeat(DIGITS - 1))),
            None
        );
        let largest = format!("7{}", "Z".repeat(DIGITS - 1));
        assert_eq!(
            JoinCode::parse(&largest).map(|c| c.to_string().replace('-', "")),
            Some(largest)
        );
        assert_eq!(JoinCode::parse("K7QF-2M9X-!"), None);
    }

    #[test]
    fn fresh_codes_differ_and_debug_hides_them() {
        let a = JoinCode::generate().expect("os random");
        let b = JoinCode::generate().expect("os random");
        assert!(!a.matches(&b));
        assert!(a.matches(&a.clone()));
        assert_eq!(format!("{a:?}"), "JoinCode(..)");
    }
}
