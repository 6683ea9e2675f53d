//! `--format json` on `run`, `validate`, `check` and `sweep` (one document on standard output, compared with
//! `summary.json`, `summary.csv` and the text output; located problems on error) and `check --junit` (parsed back).

use std::fs;

use serde_json::Value;

use crate::common::{cli, stderr};

use super::tables::{ok, small_sweep};

fn doc(out: &str) -> Value {
    serde_json::from_str(out).unwrap_or_else(|e| panic!("not one JSON document ({e}):\n{out}"))
}

#[test]
fn run_and_validate_documents_carry_the_summary() {
    let dir = small_sweep("json-run");
    let d = doc(&ok(&dir, &["run", "base.toml", "--out", "r", "--format", "json"]));
    assert_eq!(d["command"], "run");
    assert_eq!(d["ok"], true);
    assert_eq!(d["results"], "r");
    let summary: Value = serde_json::from_slice(&fs::read(dir.join("r/summary.json")).unwrap()).unwrap();
    assert_eq!(d["summary"], summary);
    assert!(d["summary"]["latency_s"]["p95"].as_f64().unwrap() > 0.0);
    assert!(d["files"].as_array().unwrap().iter().any(|f| f == "summary.json"));
    assert!(d["timing"]["events_per_s"].as_f64().unwrap() > 0.0);

    let text = ok(&dir, &["validate", "base.toml"]);
    let v = doc(&ok(&dir, &["validate", "base.toml", "--format", "json"]));
    assert_eq!((v["command"].as_str(), v["ok"].as_bool()), (Some("validate"), Some(true)));
    let (n, l) = (v["network"]["nodes"].as_u64().unwrap(), v["network"]["links"].as_u64().unwrap());
    assert!(
        text.contains(&format!(
            "({} wearables, {} patients, {} cloudlets; {n} nodes, {l} links built)",
            v["wearables"], v["patients"], v["cloudlets"]
        )),
        "{text}"
    );
    assert_eq!(v["estimate"]["nodes"].as_u64(), Some(n));

    // An invalid scenario: a document with the located problems, exit status 2, nothing on standard error.
    fs::write(dir.join("bad.toml"), "name = \"bad\"\n[wearables]\ncount = 5\nper_patient = 0\n").unwrap();
    for command in ["validate", "run"] {
        let o = cli(&dir, &[command, "bad.toml", "--format", "json", "--set", "cloudlets.count=0"]);
        assert_eq!(o.status.code(), Some(2));
        assert!(o.stderr.is_empty(), "{}", stderr(&o));
        let e = doc(&String::from_utf8(o.stdout).unwrap());
        assert_eq!((e["command"].as_str(), e["ok"].as_bool()), (Some(command), Some(false)));
        let problems = e["problems"].as_array().unwrap();
        let p = problems.iter().find(|p| p["key"] == "wearables.per_patient").expect("wearables.per_patient located");
        assert_eq!(
            (p["file"].as_str(), p["line"].as_u64(), p["from_override"].as_bool()),
            (Some("bad.toml"), Some(4), Some(false))
        );
        assert!(p["message"].as_str().unwrap().contains("(got 0)"), "{e}");
        assert!(problems.iter().any(|p| p["key"] == "cloudlets.count" && p["from_override"] == true), "{e}");
    }
    assert!(!dir.join("results").exists());
}

#[test]
fn sweep_and_check_documents_and_junit() {
    let dir = small_sweep("json-sweep");
    let s = doc(&ok(&dir, &["sweep", "sweep.toml", "--out", "s", "--format", "json"]));
    assert_eq!((s["ok"].as_bool(), s["complete"].as_bool()), (Some(true), Some(true)));
    assert_eq!((s["points"].as_u64(), s["replications"].as_u64(), s["made"].as_u64()), (Some(6), Some(3), Some(18)));
    let points = s["point_status"].as_array().unwrap();
    assert_eq!(points.len(), 6);
    assert_eq!(points[5]["settings"]["wearables.count"], 30);
    assert_eq!(points[5]["settings"]["links.ban.loss_prob"], 0.2);
    assert!(points.iter().all(|p| p["made"] == 3 && p["already_stored"] == 0 && p["status"] == "stored"));
    // Resumed: nothing to do, everything already stored.
    let again = doc(&ok(&dir, &["sweep", "sweep.toml", "--out", "s", "--format", "json"]));
    assert_eq!((again["made"].as_u64(), again["already_stored"].as_u64()), (Some(0), Some(18)));
    assert!(again["point_status"].as_array().unwrap().iter().all(|p| p["already_stored"] == 3));
    let shard = doc(&ok(&dir, &["sweep", "sweep.toml", "--out", "sh", "--shard", "1/4", "--format", "json"]));
    let in_shard: u64 = shard["point_status"].as_array().unwrap().iter().map(|p| p["runs"].as_u64().unwrap()).sum();
    assert_eq!((shard["complete"].as_bool(), Some(in_shard)), (Some(false), shard["made"].as_u64()));

    let expect =
        ["--expect", "packets.delivery_ratio > 0.5", "--expect", "argmin(packets.generated) wearables.count == 30"];
    let o = cli(&dir, &[&["check", "s", "--format", "json", "--junit", "report.xml"][..], &expect[..]].concat());
    assert_eq!(o.status.code(), Some(1));
    assert!(o.stderr.is_empty(), "json mode prints nothing else: {}", stderr(&o));
    let c = doc(&String::from_utf8(o.stdout).unwrap());
    assert_eq!(
        (c["ok"].as_bool(), c["total"].as_u64(), c["passed"].as_u64(), c["failed"].as_u64()),
        (Some(false), Some(2), Some(1), Some(1))
    );
    let e = c["expectations"].as_array().unwrap();
    assert_eq!((e[0]["passed"].as_bool(), e[1]["passed"].as_bool()), (Some(true), Some(false)));
    // The text output says the same.
    let text = String::from_utf8(cli(&dir, &[&["check", "s"][..], &expect[..]].concat()).stdout).unwrap();
    for x in e {
        let verdict = if x["passed"] == true { "ok  " } else { "FAIL" };
        assert!(
            text.contains(&format!(
                "{verdict} `{}`: {}",
                x["expectation"].as_str().unwrap(),
                x["detail"].as_str().unwrap()
            )),
            "{text}"
        );
    }

    // The JUnit report: one test case per expectation, a failure element with the values on the failed one.
    let xml = fs::read_to_string(dir.join("report.xml")).unwrap();
    let tree = roxmltree::Document::parse(&xml).expect("well-formed XML");
    let root = tree.root_element();
    assert_eq!(
        (root.tag_name().name(), root.attribute("tests"), root.attribute("failures")),
        ("testsuites", Some("2"), Some("1"))
    );
    let cases: Vec<_> = root.descendants().filter(|n| n.has_tag_name("testcase")).collect();
    assert_eq!(cases.len(), 2);
    assert_eq!(cases[1].attribute("name"), e[1]["expectation"].as_str());
    let failure = cases[1].children().find(|n| n.has_tag_name("failure")).expect("a failure element");
    assert_eq!(failure.attribute("message"), e[1]["detail"].as_str());
    assert!(cases[0].children().all(|n| !n.has_tag_name("failure")));

    // Its own report is replaced; any other file is not.
    ok(&dir, &["check", "s", "--quiet", "--junit", "report.xml", "--expect", "packets.delivery_ratio > 0.5"]);
    let again = fs::read_to_string(dir.join("report.xml")).unwrap();
    assert_eq!(roxmltree::Document::parse(&again).unwrap().root_element().attribute("tests"), Some("1"));
    fs::write(dir.join("mine.xml"), "<testsuites name=\"other\"/>\n").unwrap();
    let o = cli(&dir, &["check", "s", "--junit", "mine.xml", "--expect", "packets.delivery_ratio > 0.5"]);
    assert_eq!(o.status.code(), Some(2));
    assert!(
        stderr(&o).contains("--junit mine.xml: the file exists and cloudletsim did not write it"),
        "{}",
        stderr(&o)
    );
    assert_eq!(fs::read_to_string(dir.join("mine.xml")).unwrap(), "<testsuites name=\"other\"/>\n");

    // A check that cannot run: a document naming the problem.
    let o = cli(&dir, &["check", "s", "--format", "json", "--expect", "packets.delivery_rato > 0"]);
    assert_eq!(o.status.code(), Some(2));
    let d = doc(&String::from_utf8(o.stdout).unwrap());
    assert!(
        d["problems"][0]["message"].as_str().unwrap().contains("summary.csv has no column `packets.delivery_rato`"),
        "{d}"
    );
}
