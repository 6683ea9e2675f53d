//! The invariants checked on every generated run: energy balance, no negative or non-finite number, ratios in
//! [0, 1], ordered latency summaries, and the documented identities between counts.

use std::collections::BTreeMap;

use serde_json::Value;

use cloudletsim::energy::output::EnergyRow;
use cloudletsim::run::RunResult;
use cloudletsim::scenario::ModelConfig;

/// The largest amount by which `spent + remaining` may miss `capacity` on a battery-powered node, in joules.
///
/// `remaining = max(0, capacity − spent)` is computed from the same `spent` the row shows, so while the node has
/// energy left the only error is the rounding of that subtraction and of the check's addition: one half-ulp each of
/// a value at most `capacity`, so 2 ulp(capacity) in all (bounded by `capacity · ε`). A dead node's `spent` can
/// overshoot its capacity (then `remaining` is clamped to 0): the death check `event + charge + idle_w · now >=
/// capacity` sums its terms in another order than `spent` does (a few ulp), and an idle-only death instant is
/// rounded to a whole nanosecond, which misplaces the idle energy by at most `idle_w · 1 ns`. Hence
/// `8 · ε · capacity + idle_w · 1e-9`.
pub(super) fn energy_tolerance(capacity: f64, idle_w: f64) -> f64 {
    8.0 * f64::EPSILON * capacity + idle_w * 1e-9
}

pub(super) fn check_energy(cfg: &ModelConfig, rows: &[EnergyRow], summary: &Value, sim_time_s: f64, label: &str) {
    let e = &cfg.energy;
    let mut dead = (0u64, 0u64);
    for row in rows {
        for part in [row.radio_tx_j, row.radio_rx_j, row.crypto_j, row.idle_j, row.spent_j] {
            assert!(part.is_finite() && part >= 0.0, "{label}: negative or non-finite energy in {row:?}");
        }
        let parts = row.radio_tx_j + row.radio_rx_j + row.crypto_j + row.idle_j;
        assert!(
            (row.spent_j - parts).abs() <= 4.0 * f64::EPSILON * row.spent_j,
            "{label}: spent != the sum of its accounts: {row:?}"
        );
        let idle_w = match row.kind {
            "wearable" => e.wearable_idle_w,
            "ban_gateway" => e.gateway_idle_w,
            "cloudlet" => e.cloudlet_idle_w,
            _ => 0.0,
        };
        match (row.capacity_j, row.remaining_j) {
            (Some(cap), Some(rem)) => {
                assert!(matches!(row.kind, "wearable" | "ban_gateway"), "{label}: a battery on {row:?}");
                assert!(rem >= 0.0, "{label}: negative remaining energy: {row:?}");
                let tol = energy_tolerance(cap, idle_w);
                assert!(
                    (row.spent_j + rem - cap).abs() <= tol,
                    "{label}: spent + remaining != capacity (off by {:e} J, tolerance {tol:e} J): {row:?}",
                    row.spent_j + rem - cap
                );
            }
            (None, None) => assert!(matches!(row.kind, "cloudlet" | "remote_cloud"), "{label}: no battery on {row:?}"),
            _ => panic!("{label}: capacity and remaining disagree: {row:?}"),
        }
        match row.death_time_s {
            Some(t) => {
                assert!(row.dead && row.capacity_j.is_some(), "{label}: {row:?}");
                assert!((0.0..=sim_time_s).contains(&t), "{label}: death after the end: {row:?}");
                if row.kind == "wearable" {
                    dead.0 += 1;
                } else {
                    dead.1 += 1;
                }
            }
            None => assert!(!row.dead, "{label}: dead without a death time: {row:?}"),
        }
    }
    let s = &summary["energy"];
    assert_eq!(s["dead_wearables"].as_u64(), Some(dead.0), "{label}: energy.dead_wearables");
    assert_eq!(s["dead_gateways"].as_u64(), Some(dead.1), "{label}: energy.dead_gateways");
    assert_eq!(s["dead_nodes"].as_u64(), Some(dead.0 + dead.1), "{label}: energy.dead_nodes");
    let total: f64 = rows.iter().map(|r| r.spent_j).sum();
    assert!(same(num(&s["total_j"]), total), "{label}: energy.total_j {} != the rows' sum {total}", s["total_j"]);
    let close = |a: f64, b: f64| (a - b).abs() <= 1e-12 * a.abs().max(b.abs());
    for key in ["per_sample_j", "wearable_per_sample_j", "gateway_per_sample_j"] {
        let p = &s[key];
        let (t, r, c) = (num(&p["total"]), num(&p["radio"]), num(&p["crypto"]));
        assert!(close(t, r + c), "{label}: energy.{key}.total != radio + crypto: {p}");
    }
    for part in ["total", "radio", "crypto"] {
        let (all, w, g) = (
            num(&s["per_sample_j"][part]),
            num(&s["wearable_per_sample_j"][part]),
            num(&s["gateway_per_sample_j"][part]),
        );
        assert!(close(all, w + g), "{label}: energy per sample {part}: {all} != wearable {w} + gateway {g}");
    }
    let deaths = &s["lifetime"];
    if let (Some(a), Some(b)) = (deaths["first_death_s"].as_f64(), deaths["half_dead_s"].as_f64()) {
        assert!(a <= b, "{label}: first death after half dead: {deaths}");
    }
}

/// Equal up to the rounding of a JSON round trip (serde_json's parser may miss the nearest double by an ulp).
pub(super) fn same(a: f64, b: f64) -> bool {
    (a - b).abs() <= 4.0 * f64::EPSILON * a.abs().max(b.abs())
}

pub(super) fn num(v: &Value) -> f64 {
    v.as_f64().unwrap_or_else(|| panic!("not a number: {v}"))
}

pub(super) fn count(v: &Value) -> u64 {
    v.as_u64().unwrap_or_else(|| panic!("not a count: {v}"))
}

/// Keys of `summary.json` that may be `null` (documented "null if none"); NaN and infinity are written as `null`
/// too, so a `null` anywhere else is a non-finite number.
pub(super) const NULLABLE: [&str; 9] = [
    "energy.lifetime.first_death_s",
    "energy.lifetime.ten_percent_dead_s",
    "energy.lifetime.half_dead_s",
    "trust.mean_reputation.honest",
    "trust.mean_reputation.malicious",
    "records.anonymity.age_band_years",
    "crypto.processor.wearable.busiest_node_utilisation",
    "crypto.processor.gateway.busiest_node_utilisation",
    "crypto.processor.cloudlet.busiest_node_utilisation",
];

/// Keys of ratios and probabilities, which lie in [0, 1]: by last component, and by whole path.
pub(super) const RATIOS: [&str; 15] = [
    "delivery_ratio",
    "detection_rate",
    "false_alarm_rate",
    "false_negative_rate",
    "grant_rate",
    "leak_ratio",
    "utility",
    "leak_ratio_first_interval",
    "leak_ratio_last_interval",
    "precision",
    "max_risk_per_record",
    "risk_bound",
    "recon_detection_rate",
    "any_source_detected_rate",
    "all_sources_detected_rate",
];
pub(super) const RATIO_PATHS: [&str; 4] =
    ["trust.similarity_weight", "trust.threshold", "trust.mean_reputation.honest", "trust.mean_reputation.malicious"];

/// Walks `summary.json`: no negative number, no non-finite number, ratios in [0, 1], latency objects ordered.
pub(super) fn walk(v: &Value, path: &str, label: &str) {
    match v {
        Value::Null => assert!(NULLABLE.contains(&path), "{label}: {path} is null (NaN or infinite?)"),
        Value::Number(n) => {
            let x = n.as_f64().expect("a JSON number");
            assert!(x.is_finite(), "{label}: {path} = {x}");
            assert!(x >= 0.0, "{label}: {path} = {x} is negative");
            let leaf = path.rsplit('.').next().unwrap_or(path);
            if RATIOS.contains(&leaf) || RATIO_PATHS.contains(&path) {
                assert!(x <= 1.0, "{label}: ratio {path} = {x} > 1");
            }
        }
        Value::Array(a) => a.iter().enumerate().for_each(|(i, x)| walk(x, &format!("{path}[{i}]"), label)),
        Value::Object(o) => {
            if ["count", "mean", "min", "p50", "p95", "p99", "max"].iter().all(|k| o.contains_key(*k)) {
                check_latency(v, path, label);
            }
            for (k, x) in o {
                let p = if path.is_empty() { k.clone() } else { format!("{path}.{k}") };
                walk(x, &p, label);
            }
        }
        Value::Bool(_) | Value::String(_) => {}
    }
}

/// A latency summary: all zero when empty, else min <= p50 <= p95 <= p99 <= max and min <= mean <= max.
pub(super) fn check_latency(v: &Value, path: &str, label: &str) {
    let [min, mean, p50, p95, p99, max] = ["min", "mean", "p50", "p95", "p99", "max"].map(|k| num(&v[k]));
    if count(&v["count"]) == 0 {
        assert!([min, mean, p50, p95, p99, max].iter().all(|&x| x == 0.0), "{label}: empty {path} not zero: {v}");
        return;
    }
    let slack = 1e-12 * max;
    assert!(min <= p50 && p50 <= p95 && p95 <= p99 && p99 <= max, "{label}: {path} quantiles out of order: {v}");
    assert!(min - slack <= mean && mean <= max + slack, "{label}: {path} mean outside [min, max]: {v}");
}

/// No CSV field is NaN or infinite (the writer prints them as `NaN` and `inf`), and every number but a position is
/// >= 0 (counts, energies, times and ratios).
pub(super) fn check_csv(name: &str, bytes: &[u8], label: &str) {
    for (i, row) in csv_rows(bytes).iter().enumerate() {
        for (col, field) in row {
            if let Ok(x) = field.parse::<f64>() {
                let signed = col == "x_m" || col == "y_m";
                assert!(x.is_finite() && (signed || x >= 0.0), "{label}: {name} row {}: {col} = {field:?}", i + 1);
            } else {
                assert!(!field.contains("NaN") && !field.contains("inf"), "{label}: {name} row {}: {col}", i + 1);
            }
        }
    }
}

pub(super) fn csv_rows(bytes: &[u8]) -> Vec<BTreeMap<String, String>> {
    let mut r = csv::Reader::from_reader(bytes);
    let header: Vec<String> = r.headers().expect("a header").iter().map(String::from).collect();
    r.records()
        .map(|rec| header.iter().cloned().zip(rec.expect("a record").iter().map(String::from)).collect())
        .collect()
}

pub(super) fn column(rows: &[BTreeMap<String, String>], kind: Option<&str>, col: &str) -> u64 {
    rows.iter()
        .filter(|r| kind.is_none_or(|k| r["kind"] == k))
        .map(|r| r[col].parse::<u64>().unwrap_or_else(|_| panic!("{col} not a count: {:?}", r[col])))
        .sum()
}

pub(super) fn check_summary(r: &RunResult, s: &Value, files: &BTreeMap<String, Vec<u8>>, label: &str) {
    let cfg = &r.config;
    walk(s, "", label);

    // Samples conserved.
    let p = &s["packets"];
    let (generated, delivered, dropped, in_flight) =
        (count(&p["generated"]), count(&p["delivered"]), count(&p["dropped"]), count(&p["in_flight"]));
    let by_cause: u64 = p["dropped_by_cause"].as_object().expect("causes").values().map(count).sum();
    assert_eq!(dropped, by_cause, "{label}: dropped != the sum of its causes: {p}");
    assert_eq!(
        generated,
        delivered + dropped + in_flight,
        "{label}: generated != delivered + dropped + in flight: {p}"
    );
    assert_eq!(in_flight, r.model.samples_in_flight(), "{label}: in_flight != the packet store's count");
    let ratio = if generated == 0 { 0.0 } else { delivered as f64 / generated as f64 };
    assert!(same(num(&p["delivery_ratio"]), ratio), "{label}: delivery_ratio");
    let latency = &s["latency_s"];
    assert!(count(&latency["count"]) <= delivered, "{label}: more latencies than deliveries");
    if cfg.warmup.as_nanos() == 0 {
        assert_eq!(count(&latency["count"]), delivered, "{label}: one latency per delivered sample");
    }

    // Per-node counters add up.
    let nodes = csv_rows(&files["nodes.csv"]);
    assert_eq!(nodes.len(), r.topology.node_count(), "{label}: one row per node");
    assert_eq!(column(&nodes, None, "samples_generated"), generated, "{label}: nodes' samples_generated");
    assert_eq!(column(&nodes, Some("wearable"), "samples_generated"), generated, "{label}: only wearables sample");
    assert_eq!(column(&nodes, None, "samples_dropped"), dropped, "{label}: nodes' samples_dropped");
    assert_eq!(column(&nodes, None, "retransmissions"), count(&s["links"]["retransmissions"]), "{label}: retx");
    assert_eq!(column(&nodes, None, "bytes_sent"), count(&s["links"]["wire_bytes"]), "{label}: wire bytes");
    for n in nodes.iter().filter(|n| n["kind"] == "wearable") {
        let (g, sent, d): (u64, u64, u64) = (
            n["samples_generated"].parse().unwrap(),
            n["packets_sent"].parse().unwrap(),
            n["samples_dropped"].parse().unwrap(),
        );
        assert!(sent + d <= g, "{label}: a wearable sent + dropped more than it generated: {n:?}");
    }
    let cloud = nodes.iter().find(|n| n["kind"] == "remote_cloud").expect("the cloud's row");
    // Not checked: `packets_sent` of the cloud is 0 (as docs/outputs.md says): flood packets between two cloudlets
    // can be routed through the remote cloud, which then forwards them.
    assert_eq!(cloud["samples_dropped"], "0", "{label}: the cloud drops nothing");

    // Run figures.
    let end = cfg.end_time().as_secs_f64();
    assert!(same(num(&s["sim_time_s"]), end), "{label}: sim_time_s = duration + drain");
    let offered = generated as f64 / cfg.duration.as_secs_f64();
    assert!(same(num(&s["throughput"]["offered_samples_per_s"]), offered), "{label}: offered rate");
    let sc = &s["scenario"];
    assert_eq!(count(&sc["wearables"]), u64::from(cfg.wearables), "{label}: scenario.wearables");
    assert_eq!(count(&sc["patients"]), u64::from(cfg.patients()), "{label}: scenario.patients");
    assert_eq!(count(&sc["cloudlets"]), u64::from(cfg.cloudlets.count), "{label}: scenario.cloudlets");

    // IDS.
    let ids = &s["ids"];
    let (attacks, detected) = (count(&ids["attacks"]), count(&ids["detected"]));
    assert!(detected <= attacks, "{label}: detected > attacks: {ids}");
    assert!(count(&ids["false_alarms"]) <= count(&ids["benign"]), "{label}: false alarms > benign: {ids}");
    let kinds = ids["by_kind"].as_object().expect("by_kind");
    let mut names: Vec<&str> = cloudletsim::ids::AttackKind::all().map(cloudletsim::ids::AttackKind::name).collect();
    let mut keys: Vec<&str> = kinds.keys().map(String::as_str).collect();
    names.sort();
    keys.sort();
    assert_eq!(keys, names, "{label}: every attack kind, once");
    assert_eq!(kinds.values().map(|k| count(&k["attacks"])).sum::<u64>(), attacks, "{label}: attacks by kind");
    assert_eq!(kinds.values().map(|k| count(&k["detected"])).sum::<u64>(), detected, "{label}: detected by kind");
    for (kind, k) in kinds {
        assert!(count(&k["detected"]) <= count(&k["attacks"]), "{label}: {kind}: detected > attacks");
    }
    let rate = if attacks == 0 { 0.0 } else { detected as f64 / attacks as f64 };
    assert!(same(num(&ids["detection_rate"]), rate), "{label}: detection_rate");
    let fnr = if attacks == 0 { 0.0 } else { 1.0 - rate };
    assert!(same(num(&ids["false_negative_rate"]), fnr), "{label}: detected + missed != attacks");
    assert!(count(&ids["detection_latency_s"]["count"]) <= detected, "{label}: detection latencies > detections");
    let flood = &ids["flood_packets"];
    // All three count packets by when they were sent, so the balance holds with a warm-up too (the rest is in flight).
    assert!(
        count(&flood["delivered"]) + count(&flood["dropped"]) <= count(&flood["sent"]),
        "{label}: flood packets delivered + dropped > sent: {flood}"
    );
    assert!(
        count(&ids["blocked"]["uploads"]) <= count(&p["dropped_by_cause"]["blocked"]),
        "{label}: blocked uploads exceed samples dropped as blocked"
    );
    if cfg.ids.count == 0 {
        assert_eq!(detected, 0, "{label}: no IDS, yet detections");
        assert_eq!(count(&ids["benign"]), 0, "{label}: no IDS, yet benign items counted");
        assert_eq!(count(&ids["false_alarms"]), 0, "{label}: no IDS, yet false alarms");
    }

    // Trust.
    if let Some(t) = s.get("trust") {
        assert!(cfg.trust.enabled, "{label}: a trust section without the trust model");
        let (requests, granted) = (count(&t["requests"]), count(&t["granted"]));
        assert_eq!(granted + count(&t["refused"]), requests, "{label}: granted + refused != requests: {t}");
        assert!(count(&t["leaks"]) <= granted, "{label}: leaks > granted: {t}");
        assert!(count(&t["leaks"]) <= count(&t["malicious_requests"]), "{label}: leaks > malicious requests: {t}");
        assert!(count(&t["malicious_requests"]) <= requests, "{label}: malicious requests > requests: {t}");
        assert!(count(&t["misuses"]["malicious"]) <= count(&t["leaks"]), "{label}: malicious misuses > leaks: {t}");
        assert!(
            count(&t["misuses"]["honest"]) <= granted - count(&t["leaks"]),
            "{label}: honest misuses > shares to honest patients: {t}"
        );
        assert!(count(&t["useful_shares"]) <= count(&t["useful_requests"]), "{label}: useful shares: {t}");
        assert!(count(&t["malicious_patients"]) <= count(&t["patients"]), "{label}: malicious patients: {t}");
        assert_eq!(count(&t["patients"]), u64::from(cfg.patients()), "{label}: trust.patients");
    } else {
        assert!(!cfg.trust.enabled, "{label}: trust on but no trust section");
    }

    // Records.
    if let Some(rec) = s.get("records") {
        assert!(cfg.records.enabled, "{label}: a records section without records");
        let records = count(&rec["records"]);
        assert_eq!(records, u64::from(cfg.patients()), "{label}: one record per patient");
        let b = &rec["breach"];
        assert!(count(&b["records_exposed"]) <= count(&b["exposures"]), "{label}: records exposed > exposures: {b}");
        assert!(count(&b["records_exposed"]) <= records, "{label}: records exposed > records: {b}");
        assert!(num(&b["max_risk_per_record"]) <= num(&b["risk_bound"]), "{label}: risk above its bound: {b}");
        assert!(num(&b["expected_reidentified"]) <= count(&b["exposures"]) as f64 + 1e-9, "{label}: {b}");
        if cfg.records.ei == cloudletsim::records::EiProtection::Encrypted {
            assert_eq!(count(&b["ei_plaintext_exposures"]), 0, "{label}: EI plaintext exposed while encrypted");
        }
        if cfg.records.mi == cloudletsim::records::MiProtection::Encrypted {
            assert_eq!(count(&b["mi_plaintext_exposures"]), 0, "{label}: MI plaintext exposed while encrypted");
        }
        let a = &rec["anonymity"];
        if cfg.records.qi == cloudletsim::records::QiProtection::Generalised && count(&a["classes"]) > 0 {
            assert!(count(&a["k_achieved"]) >= count(&a["k"]), "{label}: k not achieved: {a}");
        }
        assert!(count(&a["suppressed"]) <= records, "{label}: more suppressed than records: {a}");
        let st = &rec["storage_bytes"];
        assert_eq!(
            count(&st["total"]),
            count(&st["ei"]) + count(&st["qi"]) + count(&st["mi"]) + 32 * records,
            "{label}: storage total != parts + 32-byte digests: {st}"
        );
        let i = &rec["integrity"];
        assert!(count(&i["undetected_at_end"]) <= records, "{label}: more tampered records than records: {i}");
        assert_eq!(count(&rec["decrypt_failures"]), 0, "{label}: decrypt failures");
    } else {
        assert!(!cfg.records.enabled, "{label}: records on but no records section");
    }

    // Care.
    if let Some(c) = s.get("care") {
        assert!(cfg.care.enabled, "{label}: a care section without care");
        assert_eq!(
            count(&c["doctors"]),
            u64::from(cfg.care.doctors_per_cloudlet) * u64::from(cfg.cloudlets.count),
            "{label}: care.doctors"
        );
        let d = &c["denied"];
        assert_eq!(count(&d["total"]), count(&d["by_kdc"]) + count(&d["by_owner"]), "{label}: denials: {d}");
        if cfg.care.access == cloudletsim::care::AccessRule::Kdc {
            assert_eq!(count(&d["by_owner"]), 0, "{label}: owner denials with KDC access");
            assert_eq!(count(&c["owner_approvals"]), 0, "{label}: owner approvals with KDC access");
        }
        let a = &c["appointments"];
        assert!(
            count(&a["completed"]) + count(&a["denied"]) <= count(&a["requested"]),
            "{label}: more appointments ended than requested: {a}"
        );
        if cfg.warmup.as_nanos() == 0 {
            assert_eq!(
                count(&a["completed"]) + count(&a["denied"]) + count(&a["in_progress"]),
                count(&a["requested"]),
                "{label}: requested != completed + denied + in progress: {a}"
            );
        }
        assert_eq!(
            count(&c["turnaround_s"]["count"]),
            count(&a["completed"]),
            "{label}: one turnaround per completion"
        );
        let al = &c["alerts"];
        assert_eq!(
            count(&al["to_patient"]),
            count(&al["denied_access"]) + count(&al["tampering_found"]),
            "{label}: alerts to patients != denials + tampering: {al}"
        );
        assert_eq!(count(&al["to_cloudlet"]), count(&al["tampering_found"]), "{label}: alerts to cloudlets: {al}");
    } else {
        assert!(!cfg.care.enabled, "{label}: care on but no care section");
    }
}
