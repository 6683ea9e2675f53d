//! Mobility, handovers, `min_delay` and phone cloudlets (`docs/model.md` §19 and §20): a trace replayed and its
//! handovers counted by hand, `min_delay`'s choice against a hand computation, samples conserved through handovers,
//! a phone cloudlet's death at battery / power, and routes after a death avoiding the dead node.

use std::fs;

use cloudletsim::chain::{CloudletIx, PatientId};
use cloudletsim::output::summary::Summary;
use cloudletsim::scenario;

use crate::common::{run, scratch};

/// Three cloudlets on a line at x = 100, 500, 900 m (y = 100), cloudlet 0 the WAN gateway; `extra` appended.
fn line(extra: &str) -> String {
    format!(
        "name = \"m\"\n[simulation]\nduration_s = 100.0\ndrain_s = 2.0\n[area]\nwidth_m = 1000.0\nheight_m = 200.0\n\
         [wearables]\ncount = 1\nper_patient = 1\nsensors = [\"heart_rate\"]\n\
         [sensors.heart_rate]\nperiod_s = 0.04\njitter_s = 0.0\nsample_bytes = 16\n\
         [cloudlets]\ncount = 3\nmesh = \"explicit\"\nedges = [[0, 1], [1, 2]]\n\
         positions_m = [[100.0, 100.0], [500.0, 100.0], [900.0, 100.0]]\nwan_gateways = [0]\n\
         [crypto]\nscheme = \"none\"\n[ids]\ncount = 0\n[benign]\ninspect_uploads = false\n{extra}"
    )
}

/// A patient walking from x = 0 to x = 1000 m in 100 s (10 m/s) along y = 100, out of range 250 m of cloudlet 0
/// past x = 350 and of cloudlet 1 past x = 750: with `nearest` (stay until out of range, then the nearest in
/// range) exactly two handovers, at the first updates past 35 s and 75 s.
#[test]
fn a_trace_is_replayed_and_its_handovers_counted_by_hand() {
    let dir = scratch("mobility_trace");
    fs::write(dir.join("walk.csv"), "time_s,patient,x_m,y_m\n0,0,0,100\n100,0,1000,100\n").unwrap();
    let policy = |p: &str| {
        line(&format!(
            "[mobility]\nmodel = \"trace\"\ntrace_file = \"walk.csv\"\nrange_m = 250.0\nupdate_s = 1.0\n\
             handover_s = 0.1\nhandover_policy = \"{p}\"\n[links.access]\nloss_prob = 0.0\n[links.mesh]\nloss_prob = 0.0\n\
             [links.wan]\nloss_prob = 0.0\n[links.ban]\nmac = \"ideal\"\nloss_prob = 0.0\n"
        ))
    };
    for p in ["drop", "buffer"] {
        let s = scenario::load_str(&policy(p), &dir.join("m.toml"), &[]).expect("valid");
        let r = run(&s.config, false);
        let m = r.model.mobility().expect("on");
        assert_eq!(m.positions()[0], (990.0, 100.0), "the last update, at 99 s, replays the trace exactly");
        let sum = Summary::from_run(&r);
        let mo = sum.mobility.as_ref().expect("section");
        assert_eq!((mo.handovers, mo.range_handovers, mo.out_of_range), (2, 2, 0), "{p}");
        assert_eq!(r.model.chain().attached_cloudlet(PatientId(0)), CloudletIx(2));
        let pk = &sum.packets;
        assert_eq!(pk.generated, pk.delivered + pk.dropped + pk.in_flight, "{p}: conservation");
        // Samples every 40 ms (BAN without BLE's connection events, so they reach the gateway one by one): a 100 ms
        // handover sees 2 or 3 of them, by phase.
        let offered = if p == "drop" { mo.handover_dropped } else { mo.handover_buffered };
        assert!((4..=6).contains(&offered), "{p}: {offered} samples offered during 2 handovers of 100 ms");
        assert_eq!(pk.dropped_by_cause.handover, if p == "drop" { offered } else { 0 });
        if p == "buffer" {
            assert_eq!(pk.dropped, 0, "lossless: buffered samples all arrive");
        }
    }
}

/// `min_delay` against a hand computation: a patient at x = 450 is nearest cloudlet 1 but, with nothing queued
/// anywhere at time 0, cloudlet 0 (the WAN gateway) saves the mesh hop 1 → 0: estimate(1) − estimate(0) = one
/// mesh hop (serialisation of 16 + header bytes plus latency) > 0, so it attaches to 0; with the hysteresis above
/// that difference it never moves away again.
#[test]
fn min_delay_picks_the_cloudlet_a_hand_computation_picks() {
    let text = line(
        "[patients]\nattach = \"min_delay\"\n[mobility]\nrange_m = 1000.0\nadvertise_s = 1.0\nhysteresis_s = 0.5\n",
    );
    let cfg = scenario::load_str(&text, std::path::Path::new("m.toml"), &["simulation.duration_s=5".into()])
        .expect("valid")
        .config;
    let topo = cloudletsim::chain::topology::Topology::build(&cfg, &cloudletsim::kernel::StreamFactory::new(1, 0))
        .expect("builds");
    // The patient's random position: check which cloudlet is nearest by hand, and that the mesh hop is positive.
    let (x, y) = topo.patient_pos[0];
    let d = |cx: f64| (x - cx).hypot(y - 100.0);
    let mesh = cfg.link(cloudletsim::chain::LinkClass::Mesh);
    let hop_s = 8.0 * (16.0 + mesh.header_bytes as f64) / mesh.bandwidth_bps + mesh.latency.as_secs_f64();
    assert!(hop_s > 0.0);
    let r = run(&cfg, false);
    // Every cloudlet is in range and cloudlet 0 has the shortest route: chosen at time zero whichever is nearest.
    assert_eq!(r.model.chain().attached_cloudlet(PatientId(0)), CloudletIx(0), "nearest would be {}", {
        [d(100.0), d(500.0), d(900.0)].iter().enumerate().min_by(|a, b| a.1.total_cmp(b.1)).unwrap().0
    });
    let mo = Summary::from_run(&r).mobility.expect("section");
    assert_eq!(mo.delay_handovers, 0, "hysteresis 0.5 s: no ping-pong");
    assert_eq!(mo.advertisements, 3 * 5, "3 cloudlets at t = 0, 1, 2, 3, 4");
    assert_eq!(mo.advertisement_bytes, 15 * 32);
}

/// Phone cloudlets on a ring of four, cloudlet 0 the WAN gateway, eight patients attached to cloudlet 1; every
/// energy but the phone's own figures zeroed, so that a cloudlet pays idle power and (with `crypto`) the openings of
/// sealed samples alone.
fn phones(battery_j: f64, idle_w: f64, crypto: &str, sets: &[&str]) -> cloudletsim::scenario::ModelConfig {
    let text = format!(
        "name = \"p\"\n[simulation]\nduration_s = 35.0\ndrain_s = 2.0\n[area]\nwidth_m = 400.0\nheight_m = 400.0\n\
         [wearables]\ncount = 8\nper_patient = 1\nsensors = [\"heart_rate\"]\n\
         [sensors.heart_rate]\nperiod_s = 0.5\njitter_s = 0.0\nsample_bytes = 16\n\
         [patients]\nattach = \"explicit\"\ncloudlet_of = [1, 1, 1, 1, 1, 1, 1, 1]\n\
         [cloudlets]\ncount = 4\nmesh = \"ring\"\nwan_gateways = [0]\n\
         [crypto]\nscheme = \"{crypto}\"\n[ids]\ncount = 0\n[benign]\ninspect_uploads = false\n\
         [links.access]\nmac = \"ideal\"\nloss_prob = 0.0\n[links.mesh]\nloss_prob = 0.0\n[links.wan]\nloss_prob = 0.0\n\
         [links.ban]\nloss_prob = 0.0\n[mobility]\nrange_m = 1000.0\nhandover_s = 0.05\n\
         [cloudlet_power]\nsource = \"battery\"\nbattery_j = {battery_j}\nidle_w = {idle_w}\ncheck_s = 0.5\n\
         mesh_tx_j_per_bit = 0.0\nmesh_rx_j_per_bit = 0.0\n"
    );
    let sets: Vec<String> = sets.iter().map(|s| s.to_string()).collect();
    let mut cfg = scenario::load_str(&text, std::path::Path::new("p.toml"), &sets).expect("valid").config;
    use cloudletsim::chain::LinkClass;
    for class in [LinkClass::Access, LinkClass::Wan] {
        let r = &mut cfg.energy.radio[class];
        r.tx_elec_j_per_bit = 0.0;
        r.rx_elec_j_per_bit = 0.0;
        r.amp = cloudletsim::energy::Amplifier::Power { amp_j_per_bit_per_m_n: 0.0, exponent: 2.0 };
    }
    cfg
}

/// With idle drain alone a phone cloudlet dies at battery / idle power exactly (30 J / 1.5 W = 20 s, to the
/// nanosecond), and every death is reported.
#[test]
fn a_phone_cloudlet_dies_at_battery_over_idle_power() {
    let r = run(&phones(30.0, 1.5, "none", &[]), false);
    for c in 0..4 {
        let node = r.topology.cloudlet_node(CloudletIx(c));
        assert_eq!(r.model.energy().node(node).event_j(), 0.0, "cloudlet {c} pays idle power alone");
        let t = r.model.energy().death_time(node, r.sim_time).expect("dies");
        assert_eq!(t.as_nanos(), 20_000_000_000, "cloudlet {c}");
    }
    let mo = Summary::from_run(&r).mobility.expect("section");
    assert_eq!(mo.deaths.len(), 4, "{:?}", mo.deaths.iter().map(|d| d.time_s).collect::<Vec<_>>());
    assert!(mo.deaths.iter().all(|d| (d.time_s - 20.0).abs() < 1e-9), "noticed at once (a power check at 20 s)");
    assert_eq!(mo.cut_off, 8, "no live cloudlet left for anyone");
}

/// Under constant load (cloudlet 1 opens 16 sealed samples a second, nothing else costs it energy) its power P is
/// constant, and with a battery of P · 20 s it dies at 20 s to within one sample's energy (1/16 s); then no route
/// uses it, cloudlet 2's route turns the other way round the ring, its patients re-attach, and every sample taken
/// after the death (warm-up 25 s) is delivered through the survivors.
#[test]
fn a_loaded_phone_cloudlet_dies_at_battery_over_power_and_routes_avoid_it() {
    let scheme = "ntru-hps2048509";
    let probe = run(&phones(1e9, 0.0, scheme, &[]), false);
    let c1 = probe.topology.cloudlet_node(CloudletIx(1));
    let power_w = probe.model.energy().node(c1).event_j() / 35.0;
    assert!(power_w > 0.0);
    let r = run(&phones(power_w * 20.0, 0.0, scheme, &["simulation.warmup_s=25"]), false);
    let died = r.model.energy().death_time(c1, r.sim_time).expect("cloudlet 1 dies").as_secs_f64();
    assert!((died - 20.0).abs() <= 1.0 / 16.0 + 1e-9, "died at {died} s, closed form 20 s");
    let mo = Summary::from_run(&r).mobility.expect("section");
    assert_eq!(mo.deaths.len(), 1, "only cloudlet 1 dies");
    assert_eq!((mo.reattached_after_death, mo.cut_off), (8, 0));
    let chain = r.model.chain();
    for c in [0u32, 2, 3] {
        let node = r.topology.cloudlet_node(CloudletIx(c));
        let mut at = node;
        while at != r.topology.cloud_node() {
            let up = chain.uplink_of(at);
            at = chain.link_ends(up).1;
            assert_ne!(at, c1, "cloudlet {c}'s route passes the dead cloudlet");
        }
    }
    let before = probe.topology.uplink(r.topology.cloudlet_node(CloudletIx(2)));
    assert_eq!(probe.topology.link(before).dst, c1, "before: 2 → 1 → 0");
    let after = chain.link_ends(chain.uplink_of(r.topology.cloudlet_node(CloudletIx(2)))).1;
    assert_eq!(after, r.topology.cloudlet_node(CloudletIx(3)), "after: 2 → 3 → 0");
    for p in 0..8 {
        assert_ne!(chain.attached_cloudlet(PatientId(p)), CloudletIx(1));
    }
    // 8 wearables, one sample every 0.5 s: exactly 20 each in [25 s, 35 s), all delivered.
    assert_eq!(r.model.metrics().delivered_after_warmup, 160);
}
