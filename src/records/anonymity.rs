//! k-anonymity of the records' quasi-identifiers (age, sex, postcode): full-domain generalisation to the most
//! precise level at which every combination is shared by at least k records, suppressing at most a configured
//! fraction (Sweeney 2002), and the k a population actually reaches. See docs/model.md, "Trust, records and care".

use std::collections::HashMap;

/// Age band widths in years of generalisation levels 0 to 3; level 4 withholds the age.
pub const AGE_BANDS_YEARS: [u8; 4] = [1, 5, 10, 20];
/// The level at which the age is withheld.
pub const AGE_SUPPRESSED: u8 = AGE_BANDS_YEARS.len() as u8;
/// What a suppressed record's QI is stored as.
pub const SUPPRESSED_QI: &[u8] = b"qi=suppressed";

/// One patient's quasi-identifiers.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Qi {
    /// Age in years.
    pub age_years: u8,
    /// Sex.
    pub male: bool,
    /// Postcode, `digits` decimal digits (leading zeros allowed).
    pub postcode: u32,
}

/// A full-domain generalisation: one level per attribute.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Generalisation {
    /// 0 to 3: age bands of [`AGE_BANDS_YEARS`]; 4: withheld.
    pub age_level: u8,
    /// Postcode digits dropped from the end (all of them: withheld).
    pub postcode_level: u8,
    /// 0: sex kept; 1: withheld.
    pub sex_level: u8,
}

impl Generalisation {
    /// The identity (nothing generalised).
    pub const NONE: Generalisation = Generalisation { age_level: 0, postcode_level: 0, sex_level: 0 };

    /// The class key of `q` under this generalisation.
    fn key(&self, q: &Qi) -> u64 {
        let age = match AGE_BANDS_YEARS.get(self.age_level as usize) {
            Some(w) => (q.age_years / w * w) as u64,
            None => 0xff,
        };
        let sex = if self.sex_level == 0 { q.male as u64 } else { 2 };
        let postcode = q.postcode as u64 / 10u64.pow(self.postcode_level as u32);
        (postcode << 16) | (age << 8) | sex
    }

    /// Sweeney's precision: 1 − the mean over the three attributes of level / highest level.
    pub fn precision(&self, digits: u8) -> f64 {
        let loss = self.age_level as f64 / AGE_SUPPRESSED as f64
            + self.postcode_level as f64 / digits.max(1) as f64
            + self.sex_level as f64;
        1.0 - loss / 3.0
    }

    /// The stored text of `q` under this generalisation, e.g. `age=40-49;sex=*;postcode=12**`.
    pub fn text(&self, q: &Qi, digits: u8) -> Vec<u8> {
        let age = match AGE_BANDS_YEARS.get(self.age_level as usize) {
            Some(1) => q.age_years.to_string(),
            Some(w) => {
                let lo = q.age_years / w * w;
                format!("{lo}-{}", lo as u32 + *w as u32 - 1)
            }
            None => "*".into(),
        };
        let sex = match (self.sex_level, q.male) {
            (0, true) => "M",
            (0, false) => "F",
            _ => "*",
        };
        let full = format!("{:0width$}", q.postcode, width = digits as usize);
        let keep = digits.saturating_sub(self.postcode_level) as usize;
        let postcode = format!("{}{}", &full[..keep], "*".repeat(digits as usize - keep));
        format!("age={age};sex={sex};postcode={postcode}").into_bytes()
    }
}

/// What generalisation achieved on a population.
#[derive(Debug, Clone, PartialEq)]
pub struct Anonymity {
    /// The generalisation chosen.
    pub generalisation: Generalisation,
    /// Smallest class among the records not suppressed: the k the population reaches.
    pub achieved_k: u32,
    /// Classes among the records not suppressed.
    pub classes: u32,
    /// Records suppressed.
    pub suppressed: u32,
    /// Sweeney's precision of the generalisation.
    pub precision: f64,
    /// Per record: the size of its class, or 0 if it is suppressed.
    pub class_size: Vec<u32>,
}

/// Evaluates one generalisation: class size per record, with classes smaller than `k` suppressed.
fn evaluate(qis: &[Qi], g: Generalisation, k: u32, digits: u8) -> Anonymity {
    let mut counts: HashMap<u64, u32> = HashMap::new();
    for q in qis {
        *counts.entry(g.key(q)).or_default() += 1;
    }
    let class_size: Vec<u32> = qis
        .iter()
        .map(|q| {
            let n = counts[&g.key(q)];
            if n >= k {
                n
            } else {
                0
            }
        })
        .collect();
    let kept = counts.values().filter(|&&n| n >= k);
    Anonymity {
        generalisation: g,
        achieved_k: kept.clone().copied().min().unwrap_or(0),
        classes: kept.count() as u32,
        suppressed: class_size.iter().filter(|&&n| n == 0).count() as u32,
        precision: g.precision(digits),
        class_size,
    }
}

/// The most precise full-domain generalisation of `qis` that is k-anonymous after suppressing at most
/// `max_suppression` of the records (ties: fewer suppressed, then lower age, postcode and sex levels). With
/// `qis.len() >= k` the top of the lattice (everything withheld) always qualifies.
pub fn k_anonymise(qis: &[Qi], k: u32, max_suppression: f64, digits: u8) -> Anonymity {
    let allowed = (max_suppression * qis.len() as f64).floor() as u32;
    let mut best: Option<Anonymity> = None;
    for age_level in 0..=AGE_SUPPRESSED {
        for postcode_level in 0..=digits {
            for sex_level in 0..=1 {
                let a = evaluate(qis, Generalisation { age_level, postcode_level, sex_level }, k, digits);
                if a.suppressed > allowed {
                    continue;
                }
                let better = best.as_ref().is_none_or(|b| {
                    a.precision > b.precision || (a.precision == b.precision && a.suppressed < b.suppressed)
                });
                if better {
                    best = Some(a);
                }
            }
        }
    }
    best.unwrap_or_else(|| {
        let top = Generalisation { age_level: AGE_SUPPRESSED, postcode_level: digits, sex_level: 1 };
        evaluate(qis, top, 1, digits)
    })
}

/// The classes of the plain (not generalised) QI: nothing suppressed, k as it falls.
pub fn plain_anonymity(qis: &[Qi], digits: u8) -> Anonymity {
    evaluate(qis, Generalisation::NONE, 1, digits)
}

/// The postcode of a position: digit i is the cell (0 to 8, row-major) of the 3 × 3 split of the level-(i−1) cell
/// holding the point, so that nearby positions share prefixes.
pub fn postcode(x_m: f64, y_m: f64, width_m: f64, height_m: f64, digits: u8) -> u32 {
    let (mut fx, mut fy) = ((x_m / width_m).clamp(0.0, 1.0 - 1e-12), (y_m / height_m).clamp(0.0, 1.0 - 1e-12));
    let mut code = 0u32;
    for _ in 0..digits {
        let (cx, cy) = ((fx * 3.0).floor(), (fy * 3.0).floor());
        code = code * 10 + (cy * 3.0 + cx) as u32;
        fx = fx * 3.0 - cx;
        fy = fy * 3.0 - cy;
    }
    code
}

#[cfg(test)]
mod tests {
    use super::*;

    fn qi(age_years: u8, male: bool, postcode: u32) -> Qi {
        Qi { age_years, male, postcode }
    }

    #[test]
    fn generalised_text_and_keys() {
        let g = Generalisation { age_level: 2, postcode_level: 2, sex_level: 1 };
        assert_eq!(g.text(&qi(47, true, 1234), 4), b"age=40-49;sex=*;postcode=12**");
        assert_eq!(Generalisation::NONE.text(&qi(7, false, 42), 4), b"age=7;sex=F;postcode=0042");
        let top = Generalisation { age_level: AGE_SUPPRESSED, postcode_level: 4, sex_level: 1 };
        assert_eq!(top.text(&qi(47, true, 1234), 4), b"age=*;sex=*;postcode=****");
        assert_eq!(top.precision(4), 0.0);
        assert_eq!(Generalisation::NONE.precision(4), 1.0);
        assert_eq!(g.key(&qi(41, true, 1299)), g.key(&qi(49, false, 1200)));
        assert_ne!(g.key(&qi(39, true, 1299)), g.key(&qi(41, true, 1299)));
    }

    #[test]
    fn k_anonymise_reaches_k_with_the_least_generalisation() {
        // Four people in 40-44 at postcode 11xx, two of each sex; one outlier aged 80 elsewhere.
        let qis =
            [qi(40, true, 1101), qi(41, false, 1102), qi(43, true, 1150), qi(44, false, 1199), qi(80, true, 9999)];
        // k = 5 with no suppression: all five in one class, which only withholding everything gives.
        let a = k_anonymise(&qis, 5, 0.0, 4);
        assert_eq!((a.achieved_k, a.suppressed, a.classes), (5, 0, 1));
        // Allowing one suppression (20%): the outlier goes, and the four others share age 40-44, sex *, 11**.
        let a = k_anonymise(&qis, 4, 0.2, 4);
        assert_eq!(a.suppressed, 1);
        assert_eq!(a.class_size, vec![4, 4, 4, 4, 0]);
        assert_eq!(a.achieved_k, 4);
        assert_eq!(a.generalisation, Generalisation { age_level: 1, postcode_level: 2, sex_level: 1 });
        // k = 1 needs nothing.
        assert_eq!(k_anonymise(&qis, 1, 0.0, 4).generalisation, Generalisation::NONE);
    }

    #[test]
    fn postcodes_share_prefixes_with_neighbours() {
        assert_eq!(postcode(0.0, 0.0, 900.0, 900.0, 3), 0);
        assert_eq!(postcode(899.0, 899.0, 900.0, 900.0, 3), 888);
        // Centre cell (4), then its centre (4), ...
        assert_eq!(postcode(450.0, 450.0, 900.0, 900.0, 2), 44);
        let (a, b) = (postcode(130.0, 130.0, 900.0, 900.0, 4), postcode(140.0, 135.0, 900.0, 900.0, 4));
        assert_eq!(a / 100, b / 100);
    }
}
