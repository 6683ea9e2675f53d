//! `crypto-compare`: energy per sample and projected wearable lifetime of every scheme (`crypto_compare.csv`), one
//! row per scheme, cheapest wearable cryptography first; energies at the scenario's own BLE connection interval
//! (`scenario.resolved.toml`), lifetimes at every interval compared.

use std::collections::BTreeMap;
use std::path::Path;

use super::{choose, read_csv, records, Align, Cell, Record, Table, TableError, TableOptions};

/// The columns that may be asked for (all by default).
const METRICS: [&str; 4] = ["per_packet_energy", "per_packet_lifetime", "session_lifetime", "batch_energy"];

/// An energy in µJ as the README prints it: two decimals under 10, one from 10 on.
fn micro(j: f64) -> String {
    let uj = j * 1e6;
    if uj < 10.0 {
        format!("{uj:.2}")
    } else {
        format!("{uj:.1}")
    }
}

/// A connection interval as a heading: milliseconds under 0.1 s (`7.5 ms`), seconds from there (`0.4 s`).
fn interval_label(s: f64) -> String {
    let round = |x: f64| (x * 1e6).round() / 1e6;
    if s < 0.1 {
        format!("{} ms", round(s * 1e3))
    } else {
        format!("{} s", round(s))
    }
}

/// The BLE connection interval of the scenario the folder ran (`links.ban.ble.connection_interval_s`), if any.
fn own_interval(dir: &Path) -> Option<f64> {
    let text = std::fs::read_to_string(dir.join("scenario.resolved.toml")).ok()?;
    let doc: toml::Table = text.parse().ok()?;
    let ban = doc.get("links")?.get("ban")?;
    if ban.get("mac").and_then(|m| m.as_str()) != Some("ble") {
        return None;
    }
    ban.get("ble")?.get("connection_interval_s")?.as_float()
}

/// Rows of one scheme by (mode, at) and interval (bits of the f64, `u64::MAX` without BLE).
type Runs<'a> = BTreeMap<(String, String, u64), Record<'a>>;

pub(super) fn tables(dir: &Path, opts: &TableOptions) -> Result<Vec<Table>, TableError> {
    let path = dir.join("crypto_compare.csv");
    let (header, rows) = read_csv(&path)?;
    let mut schemes: BTreeMap<String, Runs> = BTreeMap::new();
    let mut intervals: Vec<f64> = vec![];
    for r in records(&path, &header, &rows) {
        let interval = r.opt("connection_interval_s")?;
        if let Some(i) = interval {
            if !intervals.contains(&i) {
                intervals.push(i);
            }
        }
        let key = (r.text("mode").to_string(), r.text("at").to_string(), interval.map_or(u64::MAX, f64::to_bits));
        schemes.entry(r.text("scheme").to_string()).or_default().insert(key, r);
    }
    intervals.sort_by(f64::total_cmp);
    let ble = !intervals.is_empty();
    let reference = own_interval(dir).filter(|i| intervals.contains(i)).or(intervals.first().copied());
    let ref_key = reference.map_or(u64::MAX, f64::to_bits);
    let lifetime_keys: Vec<u64> = if ble { intervals.iter().map(|i| i.to_bits()).collect() } else { vec![u64::MAX] };
    let at_ref = reference.map_or(String::new(), |i| format!(" at {}", interval_label(i)));
    let at_all = if ble {
        format!(" at {}", intervals.iter().map(|&i| interval_label(i)).collect::<Vec<_>>().join(" / "))
    } else {
        String::new()
    };
    let chosen = choose(opts, &METRICS, &METRICS, &format!("energy table of {}", dir.display()))?;
    let mut header_row = vec!["scheme".to_string()];
    for m in &chosen {
        header_row.push(match *m {
            "per_packet_energy" => format!("per packet @ wearable{at_ref}: crypto + radio (µJ/sample)"),
            "per_packet_lifetime" => format!("lifetime (days){at_all}"),
            "session_lifetime" => {
                if ble {
                    "session @ wearable: lifetime at the same intervals".to_string()
                } else {
                    "session @ wearable: lifetime (days)".to_string()
                }
            }
            _ => format!("batch @ gateway{at_ref} (µJ/sample)"),
        });
    }
    let mut table = Table { name: "energy", align: vec![Align::Left], header: header_row, rows: vec![] };
    table.align.extend(chosen.iter().map(|_| Align::Right));
    let mut sorted: Vec<(f64, &String, &Runs)> = vec![];
    for (name, runs) in &schemes {
        let cheap = get(&path, name, runs, "per_packet", "wearable", ref_key)?.num("wearable_crypto_j_per_sample")?;
        sorted.push((cheap, name, runs));
    }
    sorted.sort_by(|a, b| a.0.total_cmp(&b.0).then(a.1.cmp(b.1)));
    for (_, name, runs) in sorted {
        let mut row = vec![Cell::new(name.clone())];
        for m in &chosen {
            let lifetimes = |mode: &str| -> Result<String, TableError> {
                let days = lifetime_keys
                    .iter()
                    .map(|&k| {
                        Ok(format!(
                            "{:.0}",
                            get(&path, name, runs, mode, "wearable", k)?.num("wearable_lifetime_days")?
                        ))
                    })
                    .collect::<Result<Vec<_>, TableError>>()?;
                Ok(days.join(" / "))
            };
            let text = match *m {
                "per_packet_energy" => {
                    let r = get(&path, name, runs, "per_packet", "wearable", ref_key)?;
                    format!(
                        "{} + {}",
                        micro(r.num("wearable_crypto_j_per_sample")?),
                        micro(r.num("wearable_radio_j_per_sample")?)
                    )
                }
                "per_packet_lifetime" => lifetimes("per_packet")?,
                "session_lifetime" => lifetimes("session")?,
                _ => {
                    let r = get(&path, name, runs, "batch", "gateway", ref_key)?;
                    let crypto = r.num("wearable_crypto_j_per_sample")? + r.num("gateway_crypto_j_per_sample")?;
                    let radio = r.num("wearable_radio_j_per_sample")? + r.num("gateway_radio_j_per_sample")?;
                    format!("{} + {}", micro(crypto), micro(radio))
                }
            };
            row.push(Cell::new(text));
        }
        table.rows.push(row);
    }
    Ok(vec![table])
}

/// The row of scheme `name` in `mode` at `at` and interval `key`, or an error naming what is missing.
fn get<'r, 'a>(
    path: &Path,
    name: &str,
    runs: &'r Runs<'a>,
    mode: &str,
    at: &str,
    key: u64,
) -> Result<&'r Record<'a>, TableError> {
    runs.get(&(mode.to_string(), at.to_string(), key)).ok_or_else(|| {
        let interval =
            if key == u64::MAX { String::new() } else { format!(" at connection interval {} s", f64::from_bits(key)) };
        TableError::file(path, format!("no row for scheme `{name}`, mode `{mode}`, at `{at}`{interval}"))
    })
}
