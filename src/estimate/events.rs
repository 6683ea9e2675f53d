//! Expected kernel events: sample wake-ups and each hop of the delivery chain, batch timers, the IDS's verdicts,
//! attacks, floods, doctor accesses, share requests, audits and the steps of appointments.

use super::render::{count_text, num};
use super::{add, div, mul, Basis, Builder};
use crate::care::AccessRule;
use crate::chain::LinkClass;
use crate::ids::{Detector, Entry, Fusion, Payload, Target};
use crate::kernel::SimTime;
use crate::scenario::ModelConfig;

/// Expected attempts and successes of one hop with loss probability `p` and `r` retries: attempts
/// `(1 − p^(r+1)) / (1 − p)`, success `1 − p^(r+1)`.
fn hop(p: f64, retries: u32) -> (f64, f64) {
    let fail = p.powi(retries.saturating_add(1).min(i32::MAX as u32) as i32);
    let attempts = if p > 0.0 { (1.0 - fail) / (1.0 - p) } else { 1.0 };
    (attempts, 1.0 - fail)
}

/// Wake-ups per second of one wearable: every sensor's rate, except that a sensor without jitter whose period is a
/// multiple of another jitter-free sensor's shares that sensor's instants (`model/wearable.rs`).
fn wakeups_per_s(cfg: &ModelConfig) -> f64 {
    let s = &cfg.sensors;
    let rate = |t: SimTime| div(1.0, t.as_secs_f64());
    s.iter()
        .enumerate()
        .filter(|&(i, a)| {
            let zero = a.jitter == SimTime::ZERO;
            let shared = zero
                && s.len() <= 64
                && s.iter().enumerate().any(|(j, b)| {
                    let (pa, pb) = (a.period.as_nanos(), b.period.as_nanos());
                    b.jitter == SimTime::ZERO && j != i && pb > 0 && pa % pb == 0 && (pa != pb || j < i)
                });
            !shared
        })
        .map(|(_, a)| rate(a.period))
        .sum::<f64>()
        .min(f64::MAX)
}

/// Batches formed per second by one buffer receiving `lambda` samples per second, leaving `interval` after the
/// first or when `max` are held: one cycle is the wait for a first sample, then the interval (or the time to fill).
fn batches_per_s(lambda: f64, interval: f64, max: u32) -> f64 {
    if lambda <= 0.0 {
        return 0.0;
    }
    let fill = if max == u32::MAX { interval } else { interval.min(div(f64::from(max.max(1) - 1), lambda)) };
    div(1.0, fill + 1.0 / lambda)
}

/// Expected events of one appointment that happen before the end of the run: the request, then each step whose
/// mean time after the request (the sum of the latencies before it) falls before the end, for a request uniform over
/// the duration; steps on the denial paths weighted by their probabilities.
fn appointment_steps(cfg: &ModelConfig, duration: f64, end: f64) -> f64 {
    let st = &cfg.care.steps;
    let s = |t: SimTime| t.as_secs_f64();
    let within = |at: f64| if duration > 0.0 { ((end - at) / duration).clamp(0.0, 1.0) } else { 0.0 };
    let q_u = cfg.care.unverified_doctor_prob;
    let owner = cfg.care.access == AccessRule::Owner;
    let q_o = if owner { cfg.care.owner_deny_prob } else { 0.0 };
    // The request, at the cloudlet, assigned, at the KDC.
    let mut t = s(st.request);
    let mut events = 1.0 + within(t);
    t += s(st.assign);
    events += within(t);
    t += s(st.key_request);
    events += within(t);
    // A finite KDC (`[care.kdc]`, model §18): the request's arrival at the server and the end of its service (or a
    // wake-up after a repair) are events of their own.
    if cfg.care.kdc.is_some() {
        events += 2.0 * within(t);
    }
    // Unverified: denied after the KDC's check.
    events += q_u * within(t + s(st.kdc_check));
    let verified = 1.0 - q_u;
    if owner {
        t += s(st.owner_approval);
        events += verified * within(t);
        events += verified * q_o * within(t + s(st.kdc_check));
    }
    let granted = verified * (1.0 - q_o);
    for step in [st.kdc_check, st.record_fetch, st.consult, st.prescription, st.ack] {
        t += s(step);
        events += granted * within(t);
    }
    events
}

/// Pushes every source of events of `cfg` onto `b`, largest or not (the caller sorts them).
pub(super) fn push_sources(cfg: &ModelConfig, x: &Basis, b: &mut Builder) {
    let Basis {
        w,
        p,
        c,
        duration,
        end,
        ref over,
        samples,
        crypto_batch,
        ref mesh_text,
        to_gateway,
        between,
        ids_nodes,
        ..
    } = *x;
    let mesh_keys: Vec<&str> = x.mesh_keys.iter().map(String::as_str).collect();

    // ---- Events: the delivery chain. ----
    let sensor_keys = "sensors.<name>.period_s";
    let chain_text = format!("wearables.count = {}, {} sensor(s), {over}", cfg.wearables, cfg.sensors.len());
    b.events(
        "sample wake-ups of wearables",
        &["wearables.count", "wearables.sensors", sensor_keys, "simulation.duration_s"],
        mul(mul(w, wakeups_per_s(cfg)), duration),
        chain_text.clone(),
    );
    let hop_of = |class: LinkClass| hop(cfg.link(class).loss_prob, cfg.link(class).max_retries);
    let (ban_tries, ban_ok) = hop_of(LinkClass::Ban);
    let (access_tries, access_ok) = hop_of(LinkClass::Access);
    let (mesh_tries, mesh_ok) = hop_of(LinkClass::Mesh);
    let (wan_tries, wan_ok) = hop_of(LinkClass::Wan);
    b.events(
        "BAN hops (transmissions and arrivals)",
        &["wearables.count", "wearables.sensors", sensor_keys, "links.ban.loss_prob"],
        mul(samples, ban_tries + ban_ok),
        chain_text.clone(),
    );
    let at_gateways = mul(samples, ban_ok);
    let access_packets = if crypto_batch {
        let per_gateway = div(div(at_gateways, p), duration);
        let batches = mul(mul(p, duration), batches_per_s(per_gateway, cfg.crypto.batch.as_secs_f64(), u32::MAX));
        b.events(
            "gateway crypto batches (timers)",
            &["crypto.mode", "crypto.batch_s", "wearables.count"],
            batches,
            format!("crypto.batch_s = {} s at {} gateways", cfg.crypto.batch.as_secs_f64(), cfg.patients()),
        );
        batches
    } else {
        at_gateways
    };
    b.events(
        "access hops",
        &["wearables.count", "wearables.per_patient", "links.access.loss_prob"],
        mul(access_packets, access_tries + access_ok),
        chain_text.clone(),
    );
    let uploads = mul(access_packets, access_ok);
    let at_cloudlets = mul(at_gateways, access_ok);
    if ids_nodes > 0.0 && cfg.benign.inspect_uploads {
        b.events(
            "IDS verdicts on uploads",
            &["benign.inspect_uploads", "ids.count", "wearables.count"],
            uploads,
            format!("benign.inspect_uploads = true, {} uploads", count_text(uploads)),
        );
    }
    let core_packets = match &cfg.cloudlets.batch {
        Some(batch) => {
            // Patients spread over the cloudlets: the expected number of cloudlets with at least one.
            let occupied = (c * (1.0 - (1.0 - 1.0 / c).powf(p))).clamp(1.0_f64.min(c), c);
            let lambda = div(div(at_cloudlets, occupied), duration);
            let batches =
                mul(mul(occupied, duration), batches_per_s(lambda, batch.interval.as_secs_f64(), batch.max_samples));
            b.events(
                "cloudlet batches (timers)",
                &["cloudlets.batch_interval_s", "cloudlets.batch_max_samples", "cloudlets.count"],
                batches,
                format!(
                    "cloudlets.batch_interval_s = {} s at {} cloudlets",
                    batch.interval.as_secs_f64(),
                    cfg.cloudlets.count
                ),
            );
            batches
        }
        None => uploads,
    };
    let mut chain_keys = mesh_keys.clone();
    chain_keys.extend(["cloudlets.wan_gateways", "links.mesh.loss_prob"]);
    b.events(
        "mesh hops",
        &chain_keys,
        mul(mul(core_packets, to_gateway), mesh_tries + mesh_ok),
        format!("{mesh_text}: {to_gateway:.2} mesh hops to a WAN gateway on average"),
    );
    b.events(
        "WAN hops",
        &["cloudlets.wan_gateways", "links.wan.loss_prob"],
        mul(mul(core_packets, mesh_ok.powf(to_gateway)), wan_tries + wan_ok),
        chain_text.clone(),
    );

    // ---- Events: attacks, the IDS and benign accesses. ----
    for a in cfg.attacks.values() {
        if a.rate_per_s <= 0.0 {
            continue;
        }
        let name = a.kind.name();
        let rate_key = format!("attacks.{name}.rate_per_s");
        let campaigns = mul(a.rate_per_s, duration);
        // Later attacks of a campaign only happen before the end of generation.
        let more = f64::from(a.campaign_size.saturating_sub(1));
        let span = mul(more, a.campaign_gap.as_secs_f64());
        let fits = if span <= duration { 1.0 - div(span, 2.0 * duration) } else { div(duration, 2.0 * span) };
        let later = mul(campaigns, mul(more, fits));
        let sources = f64::from(a.sources_per_attack());
        let items = mul(add(campaigns, later), sources);
        let mut events = add(add(campaigns, later), items); // starts, later attacks, verdicts
        if a.kind.targets_record() {
            events = add(events, items); // the record read or modification reaches its target
        }
        if cfg.ids.signature_sharing && ids_nodes > 0.0 {
            let d = match &cfg.ids.detector {
                Detector::Bernoulli { detection, .. } => detection[a.kind],
                Detector::Score { .. } | Detector::Roc(_) => 1.0,
            };
            let item_alarm = match cfg.ids.fusion {
                Fusion::Any => 1.0 - (1.0 - d).powf(ids_nodes),
                _ => d,
            };
            let per_campaign = div(items, campaigns);
            events = add(events, mul(mul(campaigns, ids_nodes), mul(per_campaign, item_alarm).min(1.0)));
        }
        let detail = format!("{rate_key} = {} {over}", num(a.rate_per_s));
        let keys = [rate_key.as_str(), "simulation.duration_s"];
        b.events(&format!("{name} attacks (campaigns, attacks, verdicts, impacts)"), &keys, events, detail.clone());
        if a.kind.payload() == Payload::Flood {
            let differs = match a.target {
                Target::RemoteCloud | Target::Cloudlet(None) => 1.0,
                Target::Cloudlet(Some(t)) => match &a.entry {
                    Entry::Random => 1.0 - div(1.0, c),
                    Entry::Explicit(e) => f64::from(u8::from(*e != t)),
                    Entry::Weighted(ws) => {
                        let total: f64 = ws.iter().sum();
                        1.0 - div(ws.get(t as usize).copied().unwrap_or(0.0), total)
                    }
                },
            };
            let hops = match a.target {
                Target::RemoteCloud => (to_gateway, 1.0),
                Target::Cloudlet(_) => (between, 0.0),
            };
            let packets = mul(mul(items, differs), f64::from(a.flood_packets));
            let per_packet = add(add(1.0, mul(hops.0, mesh_tries + mesh_ok)), mul(hops.1, wan_tries + wan_ok));
            b.events(
                "flood packets (sends and hops)",
                &[rate_key.as_str(), "attacks.dos_flood.flood_packets", "simulation.duration_s"],
                mul(packets, per_packet),
                format!("{detail}, attacks.dos_flood.flood_packets = {}", a.flood_packets),
            );
        }
    }
    let doctor = mul(cfg.benign.doctor_access_per_s, duration);
    b.events(
        "doctor accesses (and their verdicts)",
        &["benign.doctor_access_per_s", "simulation.duration_s"],
        mul(doctor, if ids_nodes > 0.0 { 2.0 } else { 1.0 }),
        format!("benign.doctor_access_per_s = {} {over}", num(cfg.benign.doctor_access_per_s)),
    );

    // ---- Events: trust, records, care. ----
    if cfg.trust.enabled {
        b.events(
            "share requests",
            &["trust.request_rate_per_s", "wearables.count", "wearables.per_patient"],
            mul(mul(p, cfg.trust.request_rate_per_s), duration),
            format!(
                "trust.request_rate_per_s = {} for {} patients {over}",
                num(cfg.trust.request_rate_per_s),
                cfg.patients()
            ),
        );
    }
    if let (true, Some(interval)) = (cfg.records.enabled, cfg.records.audit_interval) {
        b.events(
            "record audits",
            &["records.audit_interval_s", "simulation.duration_s"],
            div(end, interval.as_secs_f64()).floor(),
            format!("records.audit_interval_s = {} s", interval.as_secs_f64()),
        );
    }
    super::mobility::events(b, cfg, duration, end);
    if cfg.care.enabled {
        let requests = mul(mul(p, cfg.care.appointment_rate_per_s), duration);
        b.events(
            "appointment steps",
            &["care.appointment_rate_per_s", "wearables.count", "wearables.per_patient"],
            mul(requests, appointment_steps(cfg, duration, end)),
            format!(
                "care.appointment_rate_per_s = {} for {} patients {over}",
                num(cfg.care.appointment_rate_per_s),
                cfg.patients()
            ),
        );
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::estimate::tests::config;
    use crate::estimate::Estimate;

    #[test]
    fn hop_attempts_follow_the_geometric_series() {
        assert_eq!(hop(0.0, 3), (1.0, 1.0));
        // p = 0.5, 2 retries: attempts 1 + 0.5 + 0.25, success 1 − 0.125.
        let (a, s) = hop(0.5, 2);
        assert!((a - 1.75).abs() < 1e-12 && (s - 0.875).abs() < 1e-12);
    }

    /// One wearable with one sensor every second for 10 s, one cloudlet with the WAN: per sample a wake-up and
    /// two events (transmission done, arrival) on each of the BAN, access and WAN hops: 10 × 7 = 70, exactly what
    /// the run processes.
    #[test]
    fn tiny_scenario_by_hand() {
        let text = "name = \"tiny\"\n[simulation]\nduration_s = 10.0\ndrain_s = 1.0\n[wearables]\ncount = 1\n\
                    sensors = [\"heart_rate\"]\n[sensors.heart_rate]\nperiod_s = 1.0\njitter_s = 0.0\nsample_bytes = 8\n[cloudlets]\ncount = 1\nmesh = \"ring\"\nwan_gateways = [0]\n\
                    [benign]\ninspect_uploads = false\n[ids]\ncount = 0\n";
        let lossless = ["links.ban.loss_prob=0", "links.access.loss_prob=0", "links.wan.loss_prob=0"];
        let cfg = config(text, &lossless);
        let e = Estimate::of(&cfg);
        assert!((e.events - 70.0).abs() < 1e-9, "{e:#?}");
        let run = crate::run::run(&cfg, &Default::default(), |_| {}).expect("runs");
        assert_eq!(run.events_processed, 70);
        // With uploads inspected by one IDS node: one verdict more per sample.
        let cfg = config(text, &[&lossless[..], &["ids.count=1", "benign.inspect_uploads=true"]].concat());
        let e = Estimate::of(&cfg);
        assert!((e.events - 80.0).abs() < 1e-9, "{}", e.events);
        let run = crate::run::run(&cfg, &Default::default(), |_| {}).expect("runs");
        assert_eq!(run.events_processed, 80);
    }
}
