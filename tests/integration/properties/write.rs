//! A generated [`Spec`] written out as scenario TOML.

use std::fmt::Write as _;

use super::gen::*;

impl Spec {
    pub(super) fn patients(&self) -> u32 {
        self.net.wearables.div_ceil(self.net.per_patient)
    }

    /// The scenario file.
    pub(super) fn toml(&self) -> String {
        let mut t = String::new();
        let s = &self.sim;
        let n = &self.net;
        let cl = n.cloudlets;
        let idx = |x: u8| u32::from(x) % cl;
        let list = |v: &[u32]| v.iter().map(u32::to_string).collect::<Vec<_>>().join(", ");
        let _ = writeln!(t, "name = \"prop\"\nseed = {}\n", s.seed);
        let _ = writeln!(t, "[simulation]\nduration_s = {}\ndrain_s = {}", f(s.duration_s), f(s.drain_s));
        let _ = writeln!(t, "warmup_s = {}\n", f(s.warmup_frac * s.duration_s));
        let _ = writeln!(t, "[area]\nwidth_m = {}\nheight_m = {}\n", f(s.width_m), f(s.height_m));

        let mut sensors: Vec<String> =
            (0..5).filter(|i| n.sensor_mask & (1 << i) != 0).map(|i| format!("{:?}", SENSORS[i])).collect();
        if n.custom_sensor.is_some() {
            sensors.push("\"probe\"".into());
        }
        let _ = writeln!(
            t,
            "[wearables]\ncount = {}\nper_patient = {}\nsensors = [{}]\n",
            n.wearables,
            n.per_patient,
            sensors.join(", ")
        );
        if let Some(c) = &n.custom_sensor {
            let _ = writeln!(
                t,
                "[sensors.probe]\nperiod_s = {}\nsample_bytes = {}\njitter_s = {}\n",
                f(c.period_s),
                c.sample_bytes,
                f(c.jitter_frac * c.period_s)
            );
        }
        let attach = ["nearest", "round_robin", "explicit"][n.attach as usize];
        let _ = writeln!(t, "[patients]\nattach = \"{attach}\"");
        if attach == "explicit" {
            let of: Vec<u32> =
                (0..self.patients() as usize).map(|p| idx(n.attach_list[p % n.attach_list.len()])).collect();
            let _ = writeln!(t, "cloudlet_of = [{}]", list(&of));
        }
        let mesh = MESHES[n.mesh as usize];
        let _ = writeln!(t, "\n[cloudlets]\ncount = {cl}\nmesh = \"{mesh}\"");
        match mesh {
            "grid" => {
                let _ = writeln!(t, "grid_columns = {}", u32::from(n.grid_columns) % (cl + 1));
            }
            "random_geometric" => {
                let _ = writeln!(t, "radius_m = {}", f(n.radius_frac * s.width_m.hypot(s.height_m)));
            }
            "explicit" => {
                let mut edges: Vec<(u32, u32)> = (1..cl).map(|i| (u32::from(n.parents[i as usize]) % i, i)).collect();
                for &(a, b) in &n.extra_edges {
                    let (a, b) = (idx(a), idx(b));
                    let e = (a.min(b), a.max(b));
                    if a != b && !edges.contains(&e) {
                        edges.push(e);
                    }
                }
                let e: Vec<String> = edges.iter().map(|(a, b)| format!("[{a}, {b}]")).collect();
                let _ = writeln!(t, "edges = [{}]", e.join(", "));
            }
            _ => {}
        }
        if let Some(p) = &n.positions {
            let p: Vec<String> = p[..cl as usize]
                .iter()
                .map(|&(x, y)| format!("[{}, {}]", f(x * s.width_m), f(y * s.height_m)))
                .collect();
            let _ = writeln!(t, "positions_m = [{}]", p.join(", "));
        }
        let mut wan: Vec<u32> = (0..cl).filter(|i| n.wan_mask & (1 << i) != 0).collect();
        if wan.is_empty() {
            wan.push(0);
        }
        let _ = writeln!(t, "wan_gateways = [{}]", list(&wan));
        let _ = writeln!(
            t,
            "batch_interval_s = {}\nbatch_max_samples = {}\nbatch_header_bytes = {}\n",
            f(n.batch_interval_s),
            n.batch_max_samples,
            n.batch_header_bytes
        );

        for (class, l) in ["ban", "access", "mesh", "wan"].iter().zip(&self.links) {
            let _ = writeln!(
                t,
                "[links.{class}]\nlatency_s = {}\nbandwidth_bps = {}\nloss_prob = {}\nbuffer_packets = {}\n\
                 max_retries = {}\nheader_bytes = {}\nmtu_bytes = {}\ndistance_m = {}\n",
                f(l.latency_s),
                f(l.bandwidth_bps),
                f(l.loss_prob),
                l.buffer_packets,
                l.max_retries,
                l.header_bytes,
                l.mtu_bytes,
                f(l.distance_m)
            );
        }
        let _ = writeln!(t, "[routing]\nmetric = \"{}\"\n", if s.routing_hops { "hops" } else { "latency" });

        let e = &self.energy;
        let r = |i: usize| RADIOS[e.radios[i] as usize];
        let _ = writeln!(
            t,
            "[energy.radio]\nban = \"{}\"\naccess = \"{}\"\nmesh = \"{}\"\nwan = \"{}\"\n",
            r(0),
            r(1),
            r(2),
            r(3)
        );
        let (tx, rx, a, b) = e.custom;
        if e.custom_two_ray {
            let _ = writeln!(
                t,
                "[energy.radios.custom_radio]\nmodel = \"two_ray\"\ntx_elec_nj_per_bit = {}\nrx_elec_nj_per_bit = {}\n\
                 fs_pj_per_bit_per_m2 = {}\nmp_pj_per_bit_per_m4 = {}\n",
                f(tx),
                f(rx),
                f(a * 10.0 + 0.1),
                f(b * 1e-3)
            );
        } else {
            let _ = writeln!(
                t,
                "[energy.radios.custom_radio]\nmodel = \"power\"\ntx_elec_nj_per_bit = {}\nrx_elec_nj_per_bit = {}\n\
                 amp_nj_per_bit_per_m_n = {}\npath_loss_exponent = {}\n",
                f(tx),
                f(rx),
                f(a),
                f(b)
            );
        }
        let _ = writeln!(
            t,
            "[energy.processor]\nwearable_nj_per_cycle = {}\ngateway_nj_per_cycle = {}\ncloudlet_nj_per_cycle = {}\n",
            f(e.nj_per_cycle.0),
            f(e.nj_per_cycle.1),
            f(e.nj_per_cycle.2)
        );
        let _ = writeln!(
            t,
            "[energy.idle]\nwearable_w = {}\ngateway_w = {}\ncloudlet_w = {}\n",
            f(e.idle_w.0),
            f(e.idle_w.1),
            f(e.idle_w.2)
        );
        let _ = writeln!(t, "[energy.battery]");
        if let Some(j) = e.wearable_j {
            let _ = writeln!(t, "wearable_j = {}", f(j));
        }
        if let Some(j) = e.gateway_j {
            let _ = writeln!(t, "gateway_j = {}", f(j));
        }

        let c = &self.crypto;
        let (at, mode) = CRYPTO_PLACES[c.place as usize];
        let _ = writeln!(
            t,
            "\n[crypto]\nscheme = \"{}\"\nat = \"{at}\"\nmode = \"{mode}\"\nrekey_s = {}\nbatch_s = {}\n\
             batch_header_bytes = {}\naead_nonce_bytes = {}\naead_tag_bytes = {}\naead_cycles_per_byte = {}\n\
             aead_cycles_per_message = {}\n",
            SCHEMES[c.scheme as usize],
            f(c.rekey_s),
            f(c.batch_s),
            c.batch_header_bytes,
            c.aead_bytes.0,
            c.aead_bytes.1,
            f(c.aead_cycles.0),
            f(c.aead_cycles.1)
        );
        let _ = writeln!(
            t,
            "[crypto.schemes.custom_scheme]\nkind = \"{}\"\nkeygen_cycles = {}\nencaps_cycles = {}\ndecaps_cycles = {}\n\
             public_key_bytes = {}\nciphertext_bytes = {}\nsecret_key_bytes = {}\n",
            ["kem", "symmetric", "none"][c.custom_kind as usize],
            f(c.custom_cycles.0),
            f(c.custom_cycles.1),
            f(c.custom_cycles.2),
            c.custom_ciphertext,
            c.custom_ciphertext,
            c.custom_ciphertext / 2
        );

        for (kind, a) in attack_names().iter().zip(&self.attacks) {
            let Some(a) = a else { continue };
            let _ = writeln!(
                t,
                "[attacks.{kind}]\nrate_per_s = {}\ncampaign_size = {}\ncampaign_gap_s = {}\nflood_packets = {}\n\
                 flood_packet_bytes = {}\nflood_rate_pps = {}\nsources = {}",
                f(a.rate_per_s),
                a.campaign_size,
                f(a.campaign_gap_s),
                a.flood_packets,
                a.flood_packet_bytes,
                f(a.flood_rate_pps),
                a.sources
            );
            match a.entry {
                1 => {
                    let mut w: Vec<f64> = a.weights[..cl as usize].to_vec();
                    w[0] += 0.5; // not all zero
                    let w: Vec<String> = w.into_iter().map(f).collect();
                    let _ = writeln!(t, "entry = \"weighted\"\nentry_weights = [{}]", w.join(", "));
                }
                2 => {
                    let _ = writeln!(t, "entry = \"explicit\"\nentry_cloudlet = {}", idx(a.entry_cloudlet));
                }
                _ => {
                    let _ = writeln!(t, "entry = \"random\"");
                }
            }
            match a.target {
                1 => {
                    let _ = writeln!(t, "target = \"cloudlet\"\ntarget_cloudlet = {}", idx(a.target_cloudlet));
                }
                2 if cl >= 2 => {
                    let _ = writeln!(t, "target = \"cloudlet\"");
                }
                2 => {
                    let _ = writeln!(t, "target = \"cloudlet\"\ntarget_cloudlet = 0");
                }
                _ => {
                    let _ = writeln!(t, "target = \"remote_cloud\"");
                }
            }
            let (prob, evasion, third, follow_kind, flag) = a.consequence;
            match *kind {
                "probe" => {
                    let follow = ["unauthorized_access", "data_tampering", "insider"][follow_kind as usize];
                    let _ = writeln!(
                        t,
                        "follow_up_prob = {}\nrecon_evasion = {}\nfollow_up_delay_s = {}\nrecon_window_s = {}\n\
                         follow_up_kind = \"{follow}\"",
                        f(prob),
                        f(evasion),
                        f(third),
                        f(third * 2.0)
                    );
                }
                "insider" if flag && a.entry == 0 && a.target == 0 => {
                    let _ = writeln!(t, "mimics_benign = true\ndetection_lift = {}", f(prob));
                }
                "distributed" if flag && a.entry == 0 => {
                    let _ = writeln!(t, "spread = \"distinct\"");
                }
                _ => {}
            }
            t.push('\n');
        }

        let d = &self.ids;
        let count = u32::from(d.count) % (cl + 1);
        let placement = ["betweenness", "degree", "random", "explicit"][d.placement as usize];
        let _ = writeln!(
            t,
            "[benign]\ninspect_uploads = {}\ndoctor_access_per_s = {}\n",
            d.inspect_uploads,
            f(d.doctor_access_per_s)
        );
        let _ = writeln!(
            t,
            "[ids]\ncount = {count}\nplacement = \"{placement}\"\nscope = \"{}\"\ndetector = \"{}\"\nprocessing_s = {}\n\
             capacity_items_per_s = {}\nblock_s = {}\nsignature_sharing = {}\nsignature_detection_prob = {}",
            if d.mesh_scope { "mesh" } else { "route" },
            if d.score { "score" } else { "bernoulli" },
            f(d.processing_s),
            f(d.capacity),
            f(d.block_s),
            d.signature_sharing,
            f(d.signature_prob)
        );
        if placement == "explicit" {
            let nodes: Vec<u32> = (0..count).map(|i| (u32::from(d.offset) + i) % cl).collect();
            let _ = writeln!(t, "nodes = [{}]", list(&nodes));
        }
        match d.fusion {
            1 => {
                let _ = writeln!(t, "fusion = \"k_of_n\"\nk = {}", u32::from(d.k) % count.max(1) + 1);
            }
            2 => {
                let _ = writeln!(t, "fusion = \"majority\"");
            }
            _ => {
                let _ = writeln!(t, "fusion = \"any\"");
            }
        }
        let _ =
            writeln!(t, "\n[ids.bernoulli]\nfalse_alarm_prob = {}\n\n[ids.bernoulli.detection_prob]", f(d.false_alarm));
        for (kind, p) in attack_names().iter().zip(&d.detection) {
            let _ = writeln!(t, "{kind} = {}", f(*p));
        }
        let _ = writeln!(
            t,
            "\n[ids.score]\nsd = {}\ncorrelation = {}\nthreshold = {}\n\n[ids.score.attack_mean]",
            f(d.sd),
            f(d.correlation),
            f(d.threshold)
        );
        for (kind, m) in attack_names().iter().zip(&d.means) {
            let _ = writeln!(t, "{kind} = {}", f(*m));
        }
        t.push('\n');

        if let Some(tr) = &self.trust {
            let _ = writeln!(
                t,
                "[trust]\nenabled = true\nsimilarity = \"{}\"\nsimilarity_weight = {}\nthreshold = {}\naging = {}\n\
                 request_rate_per_s = {}\nmalicious_fraction = {}\nmalicious_misuse_prob = {}\nhonest_misuse_prob = {}\n\
                 useful_similarity = {}\ninterval_s = {}\nsymptom_prob = {}\n",
                if tr.jaccard { "jaccard" } else { "cosine" },
                f(tr.weight),
                f(tr.threshold),
                f(tr.aging),
                f(tr.request_rate_per_s),
                f(tr.malicious_fraction),
                f(tr.misuse.0),
                f(tr.misuse.1),
                f(tr.useful_similarity),
                f(tr.interval_s),
                f(tr.symptom_prob)
            );
            if let Some((prevalence, shared)) = tr.custom_condition {
                let symptoms = if shared { "[\"fatigue\", \"rash\"]" } else { "[\"rash\"]" };
                let _ =
                    writeln!(t, "[trust.conditions.eczema]\nprevalence = {}\nsymptoms = {symptoms}\n", f(prevalence));
            }
        }
        if let Some(rc) = &self.records {
            let (lo, hi) = (rc.ages.0.min(rc.ages.1), rc.ages.0.max(rc.ages.1));
            let _ = writeln!(
                t,
                "[records]\nenabled = true\nei = \"{}\"\nqi = \"{}\"\nmi = \"{}\"\nk = {}\nmax_suppression = {}\n\
                 age_min_years = {lo}\nage_max_years = {hi}\nmale_fraction = {}\npostcode_digits = {}\n\
                 audit_interval_s = {}\n",
                if rc.ei_plain { "plain" } else { "encrypted" },
                if rc.qi_plain { "plain" } else { "generalised" },
                if rc.mi_encrypted { "encrypted" } else { "plain" },
                u32::from(rc.k) % self.patients() + 1,
                f(rc.max_suppression),
                f(rc.male_fraction),
                rc.postcode_digits,
                f(rc.audit_interval_s)
            );
        }
        if let Some(ca) = &self.care {
            let _ = writeln!(
                t,
                "[care]\nenabled = true\ndoctors_per_cloudlet = {}\nappointment_rate_per_s = {}\naccess = \"{}\"\n\
                 latency = \"{}\"\nunverified_doctor_prob = {}\nowner_deny_prob = {}",
                ca.doctors_per_cloudlet,
                f(ca.rate_per_s),
                if ca.owner { "owner" } else { "kdc" },
                if ca.fixed { "fixed" } else { "exponential" },
                f(ca.unverified_prob),
                f(ca.owner_deny_prob)
            );
            let steps = [
                "request_s",
                "assign_s",
                "key_request_s",
                "kdc_check_s",
                "owner_approval_s",
                "record_fetch_s",
                "consult_s",
                "prescription_s",
                "ack_s",
            ];
            for (k, v) in steps.iter().zip(&ca.steps) {
                let _ = writeln!(t, "{k} = {}", f(*v));
            }
        }
        t
    }
}
