//! Validation of `[trust]` (see [`crate::scenario::validate`]). Ranges are checked whether or not trust is on.

use super::config::{Condition, ProfileSpec, TrustSpec};
use super::raw::{builtin_conditions, RawTrust};
use crate::scenario::checker::{shown, Checker};

/// Most profile features (conditions plus distinct symptoms): a profile is a `u64` bit set.
const MAX_FEATURES: usize = 64;

fn weight(c: &mut Checker, key: &str, w: f64) -> f64 {
    if !(0.0..=1.0).contains(&w) {
        c.fail(key, format!("must be in [0, 1] (got {})", shown(w)));
    }
    w
}

fn profiles(c: &mut Checker, raw: &RawTrust) -> ProfileSpec {
    let mut merged: Vec<(String, Option<f64>, Vec<String>)> = builtin_conditions()
        .into_iter()
        .map(|(n, p, s)| (n.to_string(), Some(p), s.iter().map(|x| x.to_string()).collect()))
        .collect();
    for (name, rc) in &raw.conditions {
        match merged.iter_mut().find(|(n, _, _)| n == name) {
            Some(entry) => {
                if let Some(p) = rc.prevalence {
                    entry.1 = Some(p);
                }
                if let Some(s) = &rc.symptoms {
                    entry.2 = s.clone();
                }
            }
            None => merged.push((name.clone(), rc.prevalence, rc.symptoms.clone().unwrap_or_default())),
        }
    }
    merged.sort_by(|a, b| a.0.cmp(&b.0));
    let mut symptoms: Vec<String> = Vec::new();
    let mut conditions = Vec::new();
    for (name, prevalence, names) in merged {
        let key = |k: &str| format!("trust.conditions.{name}.{k}");
        let prevalence = match prevalence {
            Some(p) => c.probability(&key("prevalence"), p),
            None => {
                c.fail(
                    &key("prevalence"),
                    "is required for a condition that is not built in (a probability in [0, 1])",
                );
                0.0
            }
        };
        let mut ids: Vec<u8> = Vec::new();
        for (i, s) in names.iter().enumerate() {
            if s.trim().is_empty() {
                c.fail(&key("symptoms"), "has an empty symptom name");
                continue;
            }
            if names[..i].contains(s) {
                c.fail(&key("symptoms"), format!("lists {s:?} twice"));
                continue;
            }
            let at = symptoms.iter().position(|x| x == s).unwrap_or_else(|| {
                symptoms.push(s.clone());
                symptoms.len() - 1
            });
            ids.push(at.min(u8::MAX as usize) as u8);
        }
        conditions.push(Condition { name, prevalence, symptoms: ids });
    }
    let features = conditions.len() + symptoms.len();
    if features > MAX_FEATURES {
        c.fail(
            "trust.conditions",
            format!(
                "give {} conditions and {} distinct symptoms ({features} profile features); at most {MAX_FEATURES} are \
                 allowed",
                conditions.len(),
                symptoms.len()
            ),
        );
    }
    ProfileSpec { conditions, symptoms, symptom_prob: c.probability("trust.symptom_prob", raw.symptom_prob) }
}

pub(crate) fn trust(c: &mut Checker, raw: &RawTrust) -> TrustSpec {
    if !(raw.aging > 0.0 && raw.aging <= 1.0) {
        c.fail("trust.aging", format!("must be in (0, 1]; 1 keeps all evidence (got {})", raw.aging));
    }
    TrustSpec {
        enabled: raw.enabled,
        similarity: raw.similarity,
        similarity_weight: weight(c, "trust.similarity_weight", raw.similarity_weight),
        threshold: weight(c, "trust.threshold", raw.threshold),
        aging: raw.aging,
        request_rate_per_s: c.rate("trust.request_rate_per_s", raw.request_rate_per_s, false),
        malicious_fraction: c.probability("trust.malicious_fraction", raw.malicious_fraction),
        malicious_misuse_prob: c.probability("trust.malicious_misuse_prob", raw.malicious_misuse_prob),
        honest_misuse_prob: c.probability("trust.honest_misuse_prob", raw.honest_misuse_prob),
        useful_similarity: weight(c, "trust.useful_similarity", raw.useful_similarity),
        interval: c.time("trust.interval_s", raw.interval_s, true),
        profiles: profiles(c, raw),
    }
}
