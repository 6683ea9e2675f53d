//! The expectation language: comparisons, targets, selectors, the parsed [`Expectation`] and its parser, and
//! whether a cell's value satisfies it.

use std::fmt;
use std::str::FromStr;

use super::CheckError;

/// A comparison.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Op {
    /// `<`
    Lt,
    /// `<=`
    Le,
    /// `>`
    Gt,
    /// `>=`
    Ge,
    /// `==`
    Eq,
    /// `!=`
    Ne,
}

/// What the column is compared with.
#[derive(Debug, Clone, PartialEq)]
pub enum Target {
    /// A number, with a tolerance for `==` and `!=` (0 when none is given).
    Number {
        /// The value.
        value: f64,
        /// Allowed distance for `==` (and its complement for `!=`).
        tolerance: f64,
    },
    /// A word, compared as text.
    Text(String),
}

/// Which points of a sweep an expectation is checked at.
#[derive(Debug, Clone, PartialEq)]
pub enum Selector {
    /// Every point.
    All,
    /// At least one point.
    Any,
    /// The point where this column is smallest.
    ArgMin(String),
    /// The point where this column is largest.
    ArgMax(String),
}

/// One parsed expectation.
#[derive(Debug, Clone, PartialEq)]
pub struct Expectation {
    /// As written.
    pub text: String,
    /// Where in a sweep.
    pub selector: Selector,
    /// The column compared.
    pub column: String,
    /// The comparison.
    pub op: Op,
    /// What it is compared with.
    pub target: Target,
}

impl FromStr for Expectation {
    type Err = CheckError;

    fn from_str(s: &str) -> Result<Expectation, CheckError> {
        let syntax = |message: &str| CheckError::Syntax { expr: s.to_string(), message: message.to_string() };
        let example = "write e.g. 'packets.delivery_ratio >= 0.99' or 'argmin(ids.cost) ids.count == 4'";
        let text = s.trim();
        let (selector, rest) = if let Some(r) = text.strip_prefix("argmin(").or_else(|| text.strip_prefix("argmax(")) {
            let close = r.find(')').ok_or_else(|| syntax("argmin( / argmax( has no closing parenthesis"))?;
            let col = r[..close].trim().to_string();
            if col.is_empty() || col.contains(char::is_whitespace) {
                return Err(syntax("argmin(...) / argmax(...) takes one column name"));
            }
            let sel = if text.starts_with("argmin") { Selector::ArgMin(col) } else { Selector::ArgMax(col) };
            (sel, &r[close + 1..])
        } else if let Some(r) = text.strip_prefix("all ") {
            (Selector::All, r)
        } else if let Some(r) = text.strip_prefix("any ") {
            (Selector::Any, r)
        } else {
            (Selector::All, text)
        };
        let at = rest
            .find(['<', '>', '=', '!'])
            .ok_or_else(|| syntax(&format!("no comparison (<, <=, >, >=, ==, !=); {example}")))?;
        let column = rest[..at].trim();
        let after = &rest[at..];
        let (op, len) = [
            ("<=", Op::Le),
            (">=", Op::Ge),
            ("==", Op::Eq),
            ("!=", Op::Ne),
            ("<", Op::Lt),
            (">", Op::Gt),
            ("=", Op::Eq),
        ]
        .into_iter()
        .find(|(t, _)| after.starts_with(t))
        .map(|(t, op)| (op, t.len()))
        .ok_or_else(|| syntax(&format!("`!` must be followed by `=`; {example}")))?;
        if column.is_empty() || column.contains(char::is_whitespace) {
            return Err(syntax(&format!("expected one column name before the comparison; {example}")));
        }
        let value = after[len..].trim();
        if value.is_empty() {
            return Err(syntax(&format!("nothing to compare with; {example}")));
        }
        let target = parse_target(value, op).map_err(|m| syntax(&m))?;
        Ok(Expectation { text: text.to_string(), selector, column: column.to_string(), op, target })
    }
}

/// The right-hand side of a comparison: a number with an optional tolerance, or a word.
fn parse_target(value: &str, op: Op) -> Result<Target, String> {
    let equality = matches!(op, Op::Eq | Op::Ne);
    let (v, tol) = match value.split_once('±').or_else(|| value.split_once("+-")) {
        Some((v, t)) => (v.trim(), Some(t.trim())),
        None => (value, None),
    };
    match (v.parse::<f64>(), tol) {
        (Ok(value), _) if !value.is_finite() => Err(format!(
            "{v:?} is not a finite number, so no value compares with it; compare with a finite number, or quote it \
             (\"{v}\") to compare text"
        )),
        (Ok(value), None) => Ok(Target::Number { value, tolerance: 0.0 }),
        (Ok(value), Some(t)) => {
            let tolerance = t.parse::<f64>().ok().filter(|t| t.is_finite() && *t >= 0.0);
            let tolerance = tolerance.ok_or("the tolerance after ± must be a finite number >= 0")?;
            if !equality {
                return Err("a tolerance (±) only goes with == or !=".to_string());
            }
            Ok(Target::Number { value, tolerance })
        }
        (Err(_), None) if !v.contains(char::is_whitespace) => {
            if !equality {
                return Err("words compare only with == or !=".to_string());
            }
            Ok(Target::Text(v.trim_matches('"').to_string()))
        }
        _ => Err(format!("{value:?} is not a number (with an optional ± tolerance) or a word")),
    }
}

impl fmt::Display for Expectation {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.text)
    }
}

impl Expectation {
    /// Whether `actual` (a cell's text) satisfies the comparison.
    pub fn holds(&self, actual: &str) -> bool {
        match &self.target {
            Target::Text(t) => (actual == t) == (self.op == Op::Eq),
            Target::Number { value, tolerance } => {
                let Ok(a) = actual.parse::<f64>() else { return false };
                match self.op {
                    Op::Lt => a < *value,
                    Op::Le => a <= *value,
                    Op::Gt => a > *value,
                    Op::Ge => a >= *value,
                    Op::Eq => (a - value).abs() <= *tolerance,
                    Op::Ne => (a - value).abs() > *tolerance,
                }
            }
        }
    }
}
