//! Trust, records and care (issue 5): reputation and the trust decision against hand-computed runs, leaks and the
//! threshold, k-anonymity of the generated population, no EI plaintext in any exposed record, audits, appointment
//! workflows with exact and exponential step latencies, bad input, and the parts being off by default.

use std::collections::HashMap;
use std::path::Path;

use cloudletsim::output::Summary;
use cloudletsim::records::anonymity::SUPPRESSED_QI;
use cloudletsim::run::RunResult;
use cloudletsim::scenario;

use crate::common::{cli, config, run, scratch, stderr};

/// A small mesh whose delivery chain stays light: 60 patients on 3 cloudlets, a temperature reading a minute.
const SMALL: &str = r#"
name = "trust-small"
seed = 3
[simulation]
duration_s = 600.0
[wearables]
count = 60
sensors = ["temperature"]
[cloudlets]
count = 3
mesh = "ring"
[crypto]
scheme = "none"
"#;

fn with(base: &str, extra: &str) -> RunResult {
    run(&config(&format!("{base}\n{extra}")), false)
}

fn summary(r: &RunResult) -> serde_json::Value {
    serde_json::to_value(Summary::from_run(r)).expect("summaries serialise")
}

/// Two patients on one cloudlet with the same single condition (similarity 1), both malicious and always misusing:
/// reputation after s grants is 1 / (s + 2), so with w = 0.2 and θ = 0.31 trust is 0.2 + 0.8 / (s + 2): 0.6, 0.467,
/// 0.4, 0.36, 0.333, 0.314 (granted), then 0.3 (refused) — exactly six grants each.
const PAIR: &str = r#"
name = "pair"
seed = 8
[simulation]
duration_s = 100.0
[wearables]
count = 2
sensors = ["temperature"]
[cloudlets]
count = 1
mesh = "ring"
[crypto]
scheme = "none"
[trust]
enabled = true
similarity_weight = 0.2
threshold = 0.31
request_rate_per_s = 1.0
malicious_fraction = 1.0
malicious_misuse_prob = 1.0
interval_s = 10.0
[trust.conditions.asthma]
prevalence = 1.0
symptoms = []
[trust.conditions.copd]
prevalence = 0.0
[trust.conditions.depression]
prevalence = 0.0
[trust.conditions.diabetes]
prevalence = 0.0
[trust.conditions.heart_failure]
prevalence = 0.0
[trust.conditions.hypertension]
prevalence = 0.0
"#;

#[test]
fn reputation_and_trust_decisions_match_the_hand_computed_run() {
    let r = run(&config(PAIR), false);
    let t = r.model.trust();
    assert_eq!(t.profiles(), &[1, 1], "both patients have asthma only");
    let m = &t.metrics;
    assert!(m.requests > 40, "about 100 requests each expected, got {}", m.requests);
    assert_eq!((m.granted, m.leaks, m.misuses_malicious), (12, 12, 12));
    assert_eq!(m.refused, m.requests - 12);
    for rep in t.reputations() {
        assert_eq!((rep.good, rep.bad), (0.0, 6.0));
        assert!((rep.score() - 1.0 / 8.0).abs() < 1e-15);
    }
    // Aging 0.5: s goes 1, 1.5, 1.75, ... towards 2 (reached in floating point after some 50 steps), so reputation
    // stays at or above 1/4 and trust at or above 0.4 ≥ 0.31: every request is granted.
    let r = run(&config(&PAIR.replace("interval_s = 10.0", "interval_s = 10.0\naging = 0.5")), false);
    let m = &r.model.trust().metrics;
    assert_eq!((m.granted, m.refused), (m.requests, 0));
    assert!(r.model.trust().reputations().iter().all(|rep| rep.bad <= 2.0 && rep.score() >= 0.25));
}

#[test]
fn the_time_series_adds_up_to_the_totals() {
    let r = with(SMALL, "[trust]\nenabled = true\nrequest_rate_per_s = 0.05\ninterval_s = 70.0\n");
    let t = r.model.trust();
    let bins = t.bins();
    assert_eq!(bins.len(), 9, "600 s in 70 s intervals: 8 full and one partial");
    let sum = |f: fn(&cloudletsim::trust::state::TrustCounts) -> u64| bins.iter().map(|b| f(&b.counts)).sum::<u64>();
    let m = &t.metrics;
    assert_eq!(sum(|c| c.requests), m.requests);
    assert_eq!(sum(|c| c.granted), m.granted);
    assert_eq!(sum(|c| c.leaks), m.leaks);
    assert_eq!(sum(|c| c.useful_shares), m.useful_shares);
    assert_eq!(m.granted + m.refused, m.requests);
    // Poisson requests: 60 patients × 0.05/s × 600 s = 1800 expected, sd sqrt(1800) ≈ 42.
    assert!((m.requests as f64 - 1800.0).abs() < 4.0 * 1800f64.sqrt(), "{} requests", m.requests);
    let rows = cloudletsim::trust::output::trust_rows(t);
    assert_eq!(rows.last().map(|r| r.interval_end_s), Some(600.0));
}

#[test]
fn with_no_malicious_patient_no_leak_is_counted() {
    let r =
        with(SMALL, "[trust]\nenabled = true\nrequest_rate_per_s = 0.05\nmalicious_fraction = 0.0\nthreshold = 0.0\n");
    let m = &r.model.trust().metrics;
    assert!(m.granted > 1_000, "threshold 0 grants everything: {}", m.granted);
    assert_eq!((m.leaks, m.malicious_requests, m.misuses_malicious), (0, 0, 0));
    assert!(r.model.trust().malicious().iter().all(|&b| !b));
    let s = summary(&r);
    assert_eq!(s["trust"]["leaks"], 0);
    assert_eq!(s["trust"]["leak_ratio"], 0.0);
}

/// With malicious patients who always misuse, a malicious patient's reputation after g grants is 1 / (g + 2) (or
/// decreasing in g with aging), independent of anyone else; its requests (times, peers) do not depend on decisions.
/// So if a higher threshold ever granted a request the lower one refused, the higher run would have fewer grants so
/// far, and so after it no more than the lower: leaks never increase with the threshold, request by request.
#[test]
fn a_higher_threshold_never_increases_leaks_on_the_same_seed() {
    let thresholds: Vec<f64> = (0..=20).map(|i| i as f64 * 0.05).collect();
    for (seed, aging) in [(1, 1.0), (2, 1.0), (3, 0.7), (4, 0.9)] {
        let leaks: Vec<u64> = thresholds
            .iter()
            .map(|th| {
                let extra = format!(
                    "[trust]\nenabled = true\nrequest_rate_per_s = 0.05\nmalicious_fraction = 0.3\n\
                     malicious_misuse_prob = 1.0\nthreshold = {th}\naging = {aging}\n"
                );
                let text = format!("{SMALL}\n{extra}").replace("seed = 3", &format!("seed = {seed}"));
                run(&config(&text), false).model.trust().metrics.leaks
            })
            .collect();
        assert!(leaks[0] > 100 && leaks[20] == 0, "seed {seed}: {leaks:?}");
        assert!(leaks.windows(2).all(|w| w[1] <= w[0]), "seed {seed}, aging {aging}: leaks {leaks:?}");
    }
}

#[test]
fn leaks_fall_as_reputations_form_in_the_example_scenario() {
    let text = std::fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join("scenarios/trust-records.toml"))
        .expect("the example scenario");
    let r = run(&config(&text), false);
    let bins = r.model.trust().bins();
    let third = bins.len() / 3;
    let ratio = |bs: &[cloudletsim::trust::state::TrustBin]| {
        let leaks: u64 = bs.iter().map(|b| b.counts.leaks).sum();
        let asked: u64 = bs.iter().map(|b| b.counts.malicious_requests).sum();
        leaks as f64 / asked as f64
    };
    let (early, late) = (ratio(&bins[..third]), ratio(&bins[bins.len() - third..]));
    assert!(late < 0.75 * early, "leak ratio early {early}, late {late}");
    let (honest0, bad0) = bins[0].mean_reputation.expect("closed bin");
    let (honest, bad) = r.model.trust().mean_reputations();
    assert!(honest > honest0 && bad < bad0, "reputations {honest0} → {honest}, {bad0} → {bad}");
    let s = summary(&r);
    for part in ["trust", "records", "care"] {
        assert!(s.get(part).is_some(), "summary.json has a {part} section");
    }
    assert_eq!(s["records"]["breach"]["ei_plaintext_exposures"], 0);
    assert_eq!(s["records"]["decrypt_failures"], 0);
}

const RECORDS: &str = r#"
[records]
enabled = true
audit_interval_s = 0.0
"#;

/// The stored QI classes of a run: every class (suppressed records left out) and the number suppressed.
fn stored_classes(r: &RunResult) -> (HashMap<Vec<u8>, u32>, u32) {
    let recs = r.model.records();
    let (mut classes, mut suppressed) = (HashMap::new(), 0);
    for p in 0..recs.len() as u32 {
        let qi = recs.stored_qi(p);
        if qi == SUPPRESSED_QI {
            suppressed += 1;
        } else {
            *classes.entry(qi.to_vec()).or_insert(0u32) += 1;
        }
    }
    (classes, suppressed)
}

#[test]
fn the_generalised_population_reaches_at_least_the_configured_k() {
    let big = SMALL.replace("count = 60", "count = 500");
    for (k, max_suppression) in [(1, 0.0), (2, 0.0), (5, 0.02), (10, 0.0), (25, 0.05), (500, 0.0)] {
        let r = with(&big, &format!("{RECORDS}k = {k}\nmax_suppression = {max_suppression}\n"));
        let (classes, suppressed) = stored_classes(&r);
        let smallest = classes.values().copied().min().unwrap_or(0);
        assert!(smallest >= k, "k = {k}: a stored class of {smallest} records");
        assert!(suppressed as f64 <= max_suppression * 500.0, "k = {k}: {suppressed} suppressed");
        let a = r.model.records().anonymity();
        assert_eq!((a.achieved_k, a.suppressed, a.classes as usize), (smallest, suppressed, classes.len()), "k = {k}");
        if k == 1 {
            assert_eq!(a.precision, 1.0, "k = 1 needs no generalisation");
        }
    }
    // Plain QI: nothing generalised, and with 500 people in 6561 postcode cells most are unique.
    let r = with(&big, &format!("{RECORDS}qi = \"plain\"\n"));
    assert_eq!(r.model.records().anonymity().achieved_k, 1);
}

/// Many undetected reads (no IDS) of records with encrypted EI.
const BREACHES: &str = r#"
[attacks.unauthorized_access]
rate_per_s = 0.5
[ids]
count = 0
[records]
enabled = true
k = 4
"#;

#[test]
fn no_ei_plaintext_ever_appears_in_an_exposed_record() {
    let r = with(SMALL, BREACHES);
    let recs = r.model.records();
    let exposed = recs.exposed();
    assert!(exposed.len() > 40, "most of the 60 records exposed: {}", exposed.len());
    assert_eq!(recs.metrics.exposures, r.model.ids().metrics.records_read);
    for e in exposed {
        for p in 0..recs.len() as u32 {
            assert!(!recs.leaks_ei(p, &e.bytes), "record of {} holds patient {p}'s identifiers", e.patient);
            let ei = recs.ei_plaintext(p);
            assert!(!e.bytes.windows(ei.len()).any(|w| w == ei));
        }
        assert!(e.bytes.windows(3).any(|w| w == b"dx="), "MI is plain text by default");
    }
    assert_eq!(recs.metrics.ei_plaintext_exposures, 0);
    // Risk: at most 1/k_achieved ≤ 1/k per exposed record.
    let k = recs.anonymity().achieved_k;
    assert!(k >= 4);
    assert!(recs.metrics.max_risk <= 1.0 / k as f64 + 1e-15);
    assert!(recs.metrics.expected_reidentified <= recs.metrics.records_exposed as f64 / 4.0);
    // Control: the same check finds plain EI in every exposure.
    let r = with(SMALL, &format!("{BREACHES}ei = \"plain\"\n"));
    let m = &r.model.records().metrics;
    assert!(m.exposures > 40);
    assert_eq!(m.ei_plaintext_exposures, m.exposures);
    assert_eq!(m.expected_reidentified, m.records_exposed as f64);
}

#[test]
fn audits_find_tampering_half_an_interval_later_on_average() {
    let text = format!(
        "{}\n[attacks.data_tampering]\nrate_per_s = 0.2\n[ids]\ncount = 0\n[records]\nenabled = true\n\
         audit_interval_s = 60.0\n",
        SMALL.replace("count = 60", "count = 2000").replace("duration_s = 600.0", "duration_s = 3000.0")
    );
    let r = run(&config(&text), false);
    let m = &r.model.records().metrics;
    let found = m.found_by_audit + m.found_on_access;
    assert_eq!(m.found_on_access, 0, "no doctor reads records here");
    assert!(m.audits >= 49, "audits every 60 s for 3000 s: {}", m.audits);
    assert!(m.tamperings > 450, "{} tamperings", m.tamperings);
    assert_eq!(m.detection_delay.count(), found);
    assert!(found + r.model.records().undetected_tampered() <= m.tamperings);
    let d = m.detection_delay.summary();
    assert!(d.max <= 60.0, "found at the next audit: max {}", d.max);
    // Tampering times are uniform over the audit interval, so delays are U(0, 60): mean 30, sd 60/sqrt(12).
    let se = 60.0 / 12f64.sqrt() / (found as f64).sqrt();
    assert!((d.mean - 30.0).abs() < 4.0 * se, "mean delay {} vs 30 ± {}", d.mean, 4.0 * se);
}

/// Appointments with fixed latencies and more doctors than ever needed: every appointment takes the sum of the
/// steps.
const CARE_FIXED: &str = r#"
[care]
enabled = true
doctors_per_cloudlet = 50
appointment_rate_per_s = 0.002
latency = "fixed"
unverified_doctor_prob = 0.0
request_s = 0.05
assign_s = 0.01
key_request_s = 0.05
kdc_check_s = 0.02
owner_approval_s = 30.0
record_fetch_s = 0.1
consult_s = 120.0
prescription_s = 0.05
ack_s = 10.0
"#;

#[test]
fn appointments_with_fixed_steps_take_exactly_their_sum() {
    let r = with(SMALL, &format!("{CARE_FIXED}\n[records]\nenabled = true\n"));
    let m = &r.model.care().metrics;
    assert!(m.completed > 40, "{} completed", m.completed);
    let t = m.turnaround.summary();
    let expected = 0.05 + 0.01 + 0.05 + 0.02 + 0.1 + 120.0 + 0.05 + 10.0;
    assert!((t.min - expected).abs() < 1e-8 && (t.max - expected).abs() < 1e-8, "{t:?} vs {expected}");
    let k = m.key_latency.summary();
    assert!((k.min - 0.07).abs() < 1e-9 && (k.max - 0.07).abs() < 1e-9, "{k:?}");
    assert_eq!(m.doctor_wait.summary().max, 0.0);
    assert_eq!(m.denied, 0);
    assert!(r.model.records().metrics.doctor_reads >= m.prescriptions);
    assert_eq!(r.model.records().metrics.decrypt_failures, 0);
    // The owner's decision comes between the request's arrival at the KDC and the KDC's reply: 0.05 + 30 + 0.02.
    let r = with(SMALL, &format!("{CARE_FIXED}access = \"owner\"\nowner_deny_prob = 0.0\n"));
    let k = r.model.care().metrics.key_latency.summary();
    assert!((k.min - 30.07).abs() < 1e-9 && (k.max - 30.07).abs() < 1e-9, "{k:?}");
    // A KDC that verifies nobody denies every appointment and alerts every owner.
    let r = with(SMALL, &CARE_FIXED.replace("unverified_doctor_prob = 0.0", "unverified_doctor_prob = 1.0"));
    let s = summary(&r);
    let m = &r.model.care().metrics;
    assert!(m.denied > 40);
    assert_eq!((m.completed, m.prescriptions, m.key_latency.count()), (0, 0, 0));
    assert_eq!(s["care"]["alerts"]["denied_access"], m.denied);
}

#[test]
fn exponential_steps_average_to_the_sum_of_their_means() {
    let text = CARE_FIXED.replace("latency = \"fixed\"", "latency = \"exponential\"");
    // Requests stop at 6000 s; the drain lets every appointment finish, so that long ones are not left out.
    let r = with(&SMALL.replace("duration_s = 600.0", "duration_s = 6000.0\ndrain_s = 3000.0"), &text);
    let t = r.model.care().metrics.turnaround.summary();
    let means = [0.05, 0.01, 0.05, 0.02, 0.1, 120.0, 0.05, 10.0];
    let mean: f64 = means.iter().sum();
    // A sum of independent exponentials has variance Σ mean²; no queueing with 50 doctors per cloudlet.
    let sd = means.iter().map(|m| m * m).sum::<f64>().sqrt();
    let n = t.count as f64;
    assert!(n > 500.0, "{n} appointments");
    assert!((t.mean - mean).abs() < 4.0 * sd / n.sqrt(), "mean turnaround {} vs {mean}", t.mean);
}

#[test]
fn trust_records_and_care_are_off_by_default_and_leave_the_delivery_chain_alone() {
    let off = run(&config(SMALL), false);
    let s = summary(&off);
    for part in ["trust", "records", "care"] {
        assert!(s.get(part).is_none(), "no {part} section when off");
    }
    assert!(!off.model.trust().enabled() && off.model.records().is_empty() && !off.model.care().enabled());
    let on = with(
        SMALL,
        "[trust]\nenabled = true\n[records]\nenabled = true\n[care]\nenabled = true\nappointment_rate_per_s = 0.01\n",
    );
    let son = summary(&on);
    for key in ["packets", "latency_s", "hop_latency_s", "energy", "ids"] {
        assert_eq!(s[key], son[key], "{key} changed when trust, records and care were switched on");
    }
    assert!(on.events_processed > off.events_processed);
}

#[test]
fn bad_trust_records_and_care_input_gets_clear_errors() {
    let cases: [(&str, &str, usize, &str); 9] = [
        ("[trust]\nsimilarity_weight = 1.5\n", "trust.similarity_weight", 2, "must be in [0, 1] (got 1.5)"),
        ("[trust]\nthreshold = -0.1\n", "trust.threshold", 2, "must be in [0, 1] (got -0.1)"),
        ("[trust]\naging = 0.0\n", "trust.aging", 2, "must be in (0, 1]"),
        ("[records]\nk = 0\n", "records.k", 2, "must be an integer from 1 to"),
        ("[records]\nenabled = true\nk = 100\n", "records.k", 3, "at most the number of patients (60)"),
        ("[trust.conditions.asthma]\nprevalence = 1.2\n", "trust.conditions.asthma.prevalence", 2, "probability"),
        ("[trust.conditions.flu]\nprevalence = -0.5\n", "trust.conditions.flu.prevalence", 2, "[0, 1] (got -0.5)"),
        ("[trust.conditions.gout]\nsymptoms = [\"pain\"]\n", "trust.conditions.gout.prevalence", 1, "is required"),
        ("[care]\nconsult_s = -3\n", "care.consult_s", 2, "negative"),
    ];
    for (extra, key, line, says) in cases {
        let text = format!("{}\n{extra}", SMALL.trim_end());
        let base_lines = SMALL.trim_end().lines().count();
        let e = scenario::load_str(&text, Path::new("s.toml"), &[]).expect_err(extra).to_string();
        assert!(e.contains(&format!("key `{key}`")) && e.contains(says), "{extra:?}: {e}");
        if key != "trust.conditions.gout.prevalence" {
            assert!(e.contains(&format!("s.toml:{}:", base_lines + line)), "{extra:?}: line: {e}");
        }
    }
    // Through the binary: exit code 2 and no results folder.
    let dir = scratch("trust-bad-input");
    std::fs::write(dir.join("bad.toml"), format!("{SMALL}\n[trust]\nsimilarity_weight = 2\n")).expect("write");
    let out = cli(&dir, &["run", "bad.toml", "--out", "res"]);
    assert_eq!(out.status.code(), Some(2), "{}", stderr(&out));
    assert!(stderr(&out).contains("key `trust.similarity_weight`: must be in [0, 1] (got 2)"), "{}", stderr(&out));
    assert!(!dir.join("res").exists());
}

#[test]
fn trust_tradeoff_writes_the_table_and_figures() {
    let dir = scratch("trust-tradeoff");
    std::fs::write(dir.join("s.toml"), format!("{SMALL}\n[trust]\nrequest_rate_per_s = 0.05\n")).expect("write");
    let out = cli(&dir, &["trust-tradeoff", "s.toml", "--thresholds", "0.2,0.5,0.8", "--replications", "2"]);
    assert!(out.status.success(), "{}", stderr(&out));
    let res = dir.join("results/trust-small-trust-tradeoff");
    for f in ["trust_tradeoff.csv", "trust_tradeoff.png", "trust_tradeoff.svg", "trust_threshold.png"] {
        assert!(res.join(f).is_file(), "{f} missing");
    }
    let csv = std::fs::read_to_string(res.join("trust_tradeoff.csv")).expect("csv");
    let leak: Vec<f64> = csv
        .lines()
        .skip(1)
        .map(|l| l.split(',').nth(2).and_then(|x| x.parse().ok()).expect("leak_ratio column"))
        .collect();
    assert_eq!(leak.len(), 3);
    assert!(leak[0] >= leak[1] && leak[1] >= leak[2], "{leak:?}");
}
