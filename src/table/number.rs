//! Numbers as a paper prints them: a mean with its 95% interval as `mean ± half-width`, the half-width rounded to
//! two significant digits and the mean to the same decimal place (so `0.41037 ± 0.01234` is `0.410 ± 0.012`, and
//! `1234.6 ± 56.7` is `1235 ± 57`); a half-width of 1 000 or more rounds the mean to tens, hundreds and so on.

/// Significant digits kept in a half-width.
pub const HALF_WIDTH_DIGITS: i32 = 2;

/// Significant digits of a mean printed without an interval (one replication, no half-width).
pub const BARE_DIGITS: i32 = 4;

/// `mean ± half_width` rounded as the module says; a zero half-width (every replication gave the same value) prints
/// `mean ± 0` with the mean to [`BARE_DIGITS`] significant digits; no half-width prints the mean alone that way.
pub fn mean_pm(mean: f64, half_width: Option<f64>) -> String {
    match half_width {
        Some(h) if h.is_finite() && h > 0.0 => {
            // Decimal places that leave HALF_WIDTH_DIGITS significant digits in h (negative: round to tens...).
            let places = HALF_WIDTH_DIGITS - 1 - h.log10().floor() as i32;
            format!("{} ± {}", fixed(mean, places), fixed(h, places))
        }
        Some(0.0) => format!("{} ± 0", significant(mean, BARE_DIGITS)),
        _ => significant(mean, BARE_DIGITS),
    }
}

/// `x` rounded to `digits` significant digits, without an exponent.
pub fn significant(x: f64, digits: i32) -> String {
    if x == 0.0 || !x.is_finite() {
        return fixed(x, 0);
    }
    fixed(x, digits - 1 - x.abs().log10().floor() as i32)
}

/// `x` rounded to `places` decimal places; negative `places` round to tens (-1), hundreds (-2) and so on.
pub fn fixed(x: f64, places: i32) -> String {
    if places >= 0 {
        let s = format!("{x:.*}", places as usize);
        // "-0.00" is zero: print it without the sign.
        if s.starts_with('-') && s[1..].chars().all(|c| c == '0' || c == '.') {
            return s[1..].to_string();
        }
        s
    } else {
        let unit = 10f64.powi(-places);
        fixed((x / unit).round() * unit, 0)
    }
}

/// A signed number with a typographic minus (U+2212) or plus: `−0.00048`, `+0.00052`.
pub fn signed(x: f64, places: usize) -> String {
    let s = format!("{:+.*}", places, x);
    s.replacen('-', "\u{2212}", 1)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn half_width_sets_the_digits() {
        assert_eq!(mean_pm(0.41037, Some(0.01234)), "0.410 ± 0.012");
        assert_eq!(mean_pm(0.98125, Some(0.0996)), "0.981 ± 0.100");
        assert_eq!(mean_pm(1234.6, Some(56.7)), "1235 ± 57");
        assert_eq!(mean_pm(123_456.0, Some(1234.0)), "123500 ± 1200");
        assert_eq!(mean_pm(2.5e-6, Some(3.21e-8)), "0.000002500 ± 0.000000032");
        assert_eq!(mean_pm(-0.0004, Some(0.3)), "0.00 ± 0.30");
        assert_eq!(mean_pm(10.0, Some(0.0)), "10.00 ± 0");
        assert_eq!(mean_pm(0.123456, None), "0.1235");
        assert_eq!(mean_pm(0.123456, Some(f64::NAN)), "0.1235");
    }

    #[test]
    fn signed_numbers_use_a_true_minus() {
        assert_eq!(signed(-0.000_424, 5), "\u{2212}0.00042");
        assert_eq!(signed(0.000_546, 5), "+0.00055");
        assert_eq!(significant(0.0, 4), "0");
    }
}
