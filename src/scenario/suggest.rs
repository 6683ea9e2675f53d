//! "Did you mean" for misspelt keys and names: serde's messages for an unknown field or variant list the allowed
//! names in backticks (`unknown field `cont`, expected one of `count`, ...``); the closest allowed name, if close
//! enough, is appended to the message.

/// Least Jaro–Winkler similarity (in [0, 1], from `strsim`) for a suggestion, ours: it keeps one- and two-letter
/// slips (`cont` → `count`, `corelation` → `correlation`, `k_of_m` → `k_of_n`) and drops unrelated names (`nope` →
/// `count`); the unit test holds these cases.
const MIN_SIMILARITY: f64 = 0.8;

/// `message` with "; did you mean `x`?" appended when it is serde's unknown field or variant message and an allowed
/// name is close to the unknown one; `message` unchanged otherwise.
pub fn with_suggestion(message: &str) -> String {
    if !(message.starts_with("unknown field") || message.starts_with("unknown variant")) {
        return message.to_string();
    }
    let names: Vec<&str> = message.split('`').skip(1).step_by(2).collect();
    let Some((unknown, allowed)) = names.split_first() else { return message.to_string() };
    match closest(unknown, allowed) {
        Some(name) => format!("{message}; did you mean `{name}`?"),
        None => message.to_string(),
    }
}

/// The name of `allowed` closest to `unknown`, if it is close enough to suggest.
pub fn closest<'a>(unknown: &str, allowed: &[&'a str]) -> Option<&'a str> {
    allowed
        .iter()
        .map(|a| (strsim::jaro_winkler(unknown, a), *a))
        .filter(|(s, _)| *s >= MIN_SIMILARITY)
        .max_by(|a, b| a.0.total_cmp(&b.0).then(b.1.cmp(a.1)))
        .map(|(_, name)| name)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn close_names_are_suggested_and_far_ones_not() {
        let m = "unknown field `cont`, expected one of `count`, `placement`, `battery_mah`";
        assert_eq!(with_suggestion(m), format!("{m}; did you mean `count`?"));
        let m = "unknown field `corelation`, expected one of `correlation`, `operating_point`, `false_alarm_prob`";
        assert!(with_suggestion(m).ends_with("did you mean `correlation`?"));
        let m = "unknown variant `k_of_m`, expected one of `any`, `k_of_n`, `majority`";
        assert!(with_suggestion(m).ends_with("did you mean `k_of_n`?"));
        let m = "unknown field `nope`, expected one of `count`, `sensors`";
        assert_eq!(with_suggestion(m), m);
        let m = "invalid type: string \"many\", expected u64";
        assert_eq!(with_suggestion(m), m);
        assert_eq!(with_suggestion("unknown field `x`"), "unknown field `x`");
    }
}
