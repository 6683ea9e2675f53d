//! Tests of the expectation language and of checking expectations on run and sweep results.

use super::*;

fn exp(s: &str) -> Expectation {
    s.parse().unwrap_or_else(|e| panic!("{s}: {e}"))
}

fn sweep() -> Results {
    let header = ["point", "ids.count", "ids.cost.mean", "ids.cost.n", "ids.detection_rate.mean", "mesh"];
    let rows = [
        ["0", "2", "0.05", "5", "0.5", "ring"],
        ["1", "4", "0.02", "5", "0.75", "ring"],
        ["2", "6", "0.03", "5", "0.9", "ring"],
        ["3", "8", "0.02", "5", "0.95", "full"],
    ];
    Results::Sweep {
        keys: vec!["ids.count".into(), "mesh".into()],
        header: header.iter().map(|s| s.to_string()).collect(),
        rows: rows.iter().map(|r| r.iter().map(|s| s.to_string()).collect()).collect(),
    }
}

fn passes(r: &Results, s: &str) -> bool {
    evaluate(r, &exp(s)).unwrap().passed
}

#[test]
fn parses_the_documented_forms() {
    let e = exp("argmin(ids.cost) ids.count == 4");
    assert_eq!(e.selector, Selector::ArgMin("ids.cost".into()));
    assert_eq!((e.column.as_str(), e.op), ("ids.count", Op::Eq));
    assert_eq!(exp("x = 0.75 ± 0.01").target, Target::Number { value: 0.75, tolerance: 0.01 });
    assert_eq!(exp("x==0.75+-0.01").target, Target::Number { value: 0.75, tolerance: 0.01 });
    assert_eq!(exp("any x>=1").selector, Selector::Any);
    assert_eq!(exp("mesh != ring").target, Target::Text("ring".into()));
    for bad in ["x", "x >=", ">= 3", "x >= 1 ± 0.1", "x < ring", "argmin(c x == 1", "x ! 3", "a b >= 1", "x == 1 ± -1"]
    {
        assert!(bad.parse::<Expectation>().is_err(), "{bad}");
    }
    // Non-finite numbers: NaN compares with nothing (`x != nan` would fail for every x), an infinity or an
    // overflowing literal is not a useful bound either.
    for bad in ["x == nan", "x != NaN", "x < inf", "x >= -infinity", "x <= 1e999", "x == 1 ± inf", "x == 1 ± nan"] {
        let e = bad.parse::<Expectation>().unwrap_err().to_string();
        assert!(e.contains("finite"), "{bad}: {e}");
    }
    assert_eq!(exp("x == \"nan\"").target, Target::Text("nan".into()), "quoted, a word");
}

#[test]
fn sweep_selectors() {
    let r = sweep();
    assert!(passes(&r, "ids.detection_rate >= 0.5"));
    assert!(!passes(&r, "ids.detection_rate >= 0.74"));
    assert!(passes(&r, "any ids.detection_rate >= 0.9"));
    assert!(!passes(&r, "any ids.detection_rate > 0.95"));
    assert!(passes(&r, "argmin(ids.cost) ids.count == 4"), "the first of two minima");
    assert!(passes(&r, "argmin(ids.cost) ids.detection_rate == 0.75 ± 0.01"));
    assert!(passes(&r, "argmax(ids.detection_rate) mesh == full"));
    assert!(passes(&r, "ids.cost.n == 5"));
    let o = evaluate(&r, &exp("ids.detection_rate >= 0.74")).unwrap();
    assert!(
        o.detail.contains("fails at 1 of 4 points: point 0 (ids.count=2, mesh=ring): ids.detection_rate.mean = 0.5"),
        "{}",
        o.detail
    );
    let o = evaluate(&r, &exp("argmin(ids.cost) ids.count == 6")).unwrap();
    assert!(
        o.detail.contains(
            "argmin(ids.cost) is point 1 (ids.count=4, mesh=ring) with ids.cost.mean = 0.02; there ids.count = 4"
        ),
        "{}",
        o.detail
    );
    let e = evaluate(&r, &exp("ids.detecton_rate >= 0")).unwrap_err().to_string();
    assert!(e.contains("no column `ids.detecton_rate`"), "{e}");
}

#[test]
fn run_values() {
    let r = Results::Run {
        values: vec![("a.b".into(), "0.5".into()), ("c".into(), "".into()), ("d".into(), "true".into())],
    };
    assert!(passes(&r, "a.b < 0.6"));
    assert!(!passes(&r, "a.b > 0.6"));
    assert!(!passes(&r, "c >= 0"), "an empty value is not a number");
    assert!(passes(&r, "d == true"));
    assert!(evaluate(&r, &exp("argmin(a.b) c == 1")).is_err());
}
