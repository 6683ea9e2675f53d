//! The values a swept key takes: one value, a list, or a range `{ from, to, step }`.
//!
//! As in dslab's `NumericValues`, the three forms are one untagged serde enum, so a sweep is plain TOML. A range is
//! inclusive at both ends and must land on `to` exactly: `{ from = 0, to = 1, step = 0.3 }` is refused rather than
//! silently stopping at 0.9. Integer bounds and step give integer values; any float among them gives floats, rounded
//! to 13 significant digits so that `0.1 + 2 × 0.1` is written `0.3`.

use serde::Deserialize;
use toml::Value;

/// Most values one key may take (a guard against a mistyped step).
pub const MAX_VALUES: u64 = 100_000;

/// A number in a range: integer or float, as written.
#[derive(Debug, Clone, Copy, PartialEq, Deserialize)]
#[serde(untagged)]
pub enum Number {
    /// An integer.
    Int(i64),
    /// A float.
    Float(f64),
}

impl Number {
    fn as_f64(self) -> f64 {
        match self {
            Number::Int(i) => i as f64,
            Number::Float(x) => x,
        }
    }
}

/// An inclusive range `{ from, to, step }`.
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Range {
    /// First value.
    pub from: Number,
    /// Last value: `from + k × step` for some whole k.
    pub to: Number,
    /// Increment (negative for a descending range; never 0).
    pub step: Number,
}

/// What one swept key takes, as written in the sweep file.
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(untagged)]
pub enum Values {
    /// `[0.0, 0.05, 0.1]`: each element is one value (write `[[0, 4]]` for one array value). Tried first: serde
    /// would also read a three-element array as a positional range.
    List(Vec<Value>),
    /// `{ from = 100, to = 500, step = 100 }`.
    Range(Range),
    /// `2000` or `"ring"`: the same value at every point.
    One(Value),
}

impl Values {
    /// Reads the values of a key from its TOML value. A table with `from`, `to` or `step` must be a whole range,
    /// so a typo there is reported rather than taken for a table-valued setting.
    pub fn from_toml(v: &Value) -> Result<Values, String> {
        if let Some(t) = v.as_table() {
            if is_range_like(t) {
                let bad = ["from", "to", "step"]
                    .into_iter()
                    .find_map(|k| t.get(k).filter(|x| !(x.is_integer() || x.is_float())).map(|x| (k, x)));
                if let Some((k, x)) = bad {
                    return Err(format!(
                        "`{k}` must be a number (got the {} {x}); a range is written {{ from = 1, to = 5, step = 1 }}",
                        x.type_str()
                    ));
                }
                return Range::deserialize(v.clone()).map(Values::Range).map_err(|e| {
                    format!("{}; a range is written {{ from = 1, to = 5, step = 1 }}", e.message().trim())
                });
            }
        }
        Values::deserialize(v.clone()).map_err(|e| e.message().trim().to_string())
    }

    /// Every value, in order.
    pub fn expand(&self) -> Result<Vec<Value>, String> {
        match self {
            Values::One(v) => Ok(vec![v.clone()]),
            Values::List(list) if list.is_empty() => {
                Err("empty list: give at least one value, e.g. [1, 2, 3]".to_string())
            }
            Values::List(list) => Ok(list.clone()),
            Values::Range(r) => r.expand(),
        }
    }
}

/// Whether a table is meant as a range (it has any of `from`, `to`, `step`).
pub fn is_range_like(t: &toml::Table) -> bool {
    ["from", "to", "step"].iter().any(|k| t.contains_key(*k))
}

impl Range {
    /// The values `from, from + step, …, to`.
    pub fn expand(&self) -> Result<Vec<Value>, String> {
        let (from, to, step) = (self.from.as_f64(), self.to.as_f64(), self.step.as_f64());
        if !(from.is_finite() && to.is_finite() && step.is_finite()) {
            return Err("from, to and step must be finite numbers".to_string());
        }
        if step == 0.0 {
            return Err(format!("step is 0, so the range from {from} never reaches to = {to}; use a non-zero step"));
        }
        let empty = || {
            let dir = if step > 0.0 { "above" } else { "below" };
            format!(
                "empty range: from = {from} is {dir} to = {to} with step {step}; swap from and to, or change the sign \
                 of step"
            )
        };
        if (to - from) * step < 0.0 {
            return Err(empty());
        }
        if let (Number::Int(f), Number::Int(t), Number::Int(s)) = (self.from, self.to, self.step) {
            // Exactly, in 128 bits: `to - from` of two i64 may not fit an i64, and is not exact as an f64.
            let (f, t, s) = (i128::from(f), i128::from(t), i128::from(s));
            if (t - f).signum() * s.signum() < 0 {
                return Err(empty());
            }
            if (t - f) % s != 0 {
                return Err(not_reached(from, to, step));
            }
            let steps = (t - f) / s;
            if steps >= i128::from(MAX_VALUES) {
                return Err(too_many(steps as f64));
            }
            // Every value lies between `from` and `to`, so it fits an i64.
            return Ok((0..=steps).map(|k| Value::Integer((f + k * s) as i64)).collect());
        }
        let steps = ((to - from) / step).round();
        if steps >= MAX_VALUES as f64 {
            return Err(too_many(steps));
        }
        let n = steps as u64;
        let last = from + n as f64 * step;
        let tolerance = 1e-9 * step.abs().max(from.abs()).max(to.abs());
        if (last - to).abs() > tolerance {
            return Err(not_reached(from, to, step));
        }
        Ok((0..=n).map(|k| Value::Float(tidy(if k == n { to } else { from + k as f64 * step }))).collect())
    }
}

fn too_many(steps: f64) -> String {
    format!("{} values is too many (at most {MAX_VALUES}); use a larger step", steps + 1.0)
}

fn not_reached(from: f64, to: f64, step: f64) -> String {
    let below = from + ((to - from) / step).floor().max(0.0) * step;
    format!(
        "the range never reaches its end: from = {from} by step {step} goes to {} then {}, passing to = {to}; \
         choose a step that divides to - from",
        tidy(below),
        tidy(below + step)
    )
}

/// `x` rounded to 13 significant digits (removes the binary noise of `from + k × step`).
pub fn tidy(x: f64) -> f64 {
    if x == 0.0 {
        return 0.0;
    }
    format!("{x:.12e}").parse().unwrap_or(x)
}

/// A value as text in CSV cells: strings bare, everything else as TOML writes it.
pub fn cell_text(v: &Value) -> String {
    match v {
        Value::String(s) => s.clone(),
        other => other.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(text: &str) -> Result<Vec<Value>, String> {
        let t: toml::Table = toml::from_str(&format!("k = {text}")).unwrap();
        Values::from_toml(&t["k"])?.expand()
    }

    fn floats(text: &str) -> Vec<f64> {
        parse(text).unwrap().iter().map(|v| v.as_float().unwrap()).collect()
    }

    #[test]
    fn one_value_list_and_ranges() {
        assert_eq!(parse("2000").unwrap(), vec![Value::Integer(2000)]);
        assert_eq!(parse("\"ring\"").unwrap(), vec![Value::String("ring".into())]);
        assert_eq!(parse("[1, 2]").unwrap(), vec![Value::Integer(1), Value::Integer(2)]);
        assert_eq!(floats("[0.0, 0.1, 0.2]"), [0.0, 0.1, 0.2], "three values, not a positional range");
        assert_eq!(parse("[[0, 4]]").unwrap().len(), 1, "a list of one array value");
        let ints: Vec<i64> =
            parse("{ from = 100, to = 500, step = 200 }").unwrap().iter().map(|v| v.as_integer().unwrap()).collect();
        assert_eq!(ints, [100, 300, 500]);
        assert_eq!(floats("{ from = 0.0, to = 0.3, step = 0.1 }"), [0.0, 0.1, 0.2, 0.3]);
        assert_eq!(floats("{ from = 1, to = 0, step = -0.25 }"), [1.0, 0.75, 0.5, 0.25, 0.0]);
        assert_eq!(floats("{ from = 0.5, to = 0.5, step = 1 }"), [0.5]);
    }

    #[test]
    fn bad_ranges_say_why() {
        let e = parse("{ from = 1, to = 5, step = 0 }").unwrap_err();
        assert!(e.contains("step is 0"), "{e}");
        let e = parse("{ from = 5, to = 1, step = 1 }").unwrap_err();
        assert!(e.contains("empty range: from = 5 is above to = 1"), "{e}");
        let e = parse("{ from = 0, to = 1, step = 0.3 }").unwrap_err();
        assert!(e.contains("never reaches its end") && e.contains("0.9 then 1.2"), "{e}");
        let e = parse("{ from = 0, to = 10, step = 3 }").unwrap_err();
        assert!(e.contains("never reaches its end") && e.contains("9 then 12"), "{e}");
        let e = parse("{ from = 0, to = 1e9, step = 1 }").unwrap_err();
        assert!(e.contains("too many"), "{e}");
        let e = parse("{ from = 0, to = 1 }").unwrap_err();
        assert!(e.contains("missing field `step`"), "{e}");
        let e = parse("{ from = 0, to = 1, stp = 1 }").unwrap_err();
        assert!(e.contains("unknown field `stp`"), "{e}");
        let extreme =
            parse("{ from = -9223372036854775807, to = 9223372036854775807, step = 9223372036854775807 }").unwrap();
        assert_eq!(extreme, [Value::Integer(-i64::MAX), Value::Integer(0), Value::Integer(i64::MAX)], "no overflow");
        let e = parse("{ from = -9223372036854775808, to = 9223372036854775807, step = 1 }").unwrap_err();
        assert!(e.contains("too many"), "{e}");
        let e = parse("{ from = 9000000000000000001, to = 9000000000000000000, step = 1 }").unwrap_err();
        assert!(e.contains("empty range"), "{e}");
        let ints: Vec<i64> = parse("{ from = 9000000000000000000, to = 9000000000000000002, step = 1 }")
            .unwrap()
            .iter()
            .map(|v| v.as_integer().unwrap())
            .collect();
        assert_eq!(ints, [9000000000000000000, 9000000000000000001, 9000000000000000002], "exact, not as f64");
        let e = parse("{ from = \"a\", to = 1, step = 1 }").unwrap_err();
        assert!(e.contains("`from` must be a number (got the string \"a\")"), "{e}");
        let e = parse("{ from = 0, to = 1, step = [1] }").unwrap_err();
        assert!(e.contains("`step` must be a number (got the array [1])"), "{e}");
        let e = parse("[]").unwrap_err();
        assert!(e.contains("empty list"), "{e}");
    }

    #[test]
    fn cells_are_bare_text() {
        assert_eq!(cell_text(&Value::String("ring".into())), "ring");
        assert_eq!(cell_text(&Value::Float(0.05)), "0.05");
        assert_eq!(cell_text(&Value::Integer(7)), "7");
    }
}
