//! A small library of published IDS operating points: (false-positive rate, true-positive rate) pairs read from
//! detector results printed in papers, each with its full citation and the arithmetic that turns the printed
//! figures into the pair.
//!
//! Only figures read in a retrievable copy of the paper's table are here; datasets whose figures could not be
//! retrieved are listed as "not found" in `docs/ids-library.md` instead of being guessed. A point is a binary
//! operating point only where `averaging` is `"binary"` or where the derivation shows how the binary
//! attack/benign rates follow from per-class figures; a `"weighted"` entry averages per-class rates over the
//! classes and is *not* a binary operating point (see its `derivation`). The rows we examined and left out
//! (internally inconsistent tables, missing class counts) are listed with the reason in `docs/ids-library.md`,
//! and the tests below recompute the printed figures that each stored pair must reproduce.

/// One published detector result, as one or more (FPR, TPR) operating points.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct LibraryEntry {
    /// Identifier, snake_case, e.g. `"unswnb15_elsofany2024_random_forest"`.
    pub id: &'static str,
    /// Data set the detector was evaluated on, e.g. `"UNSW-NB15"`.
    pub dataset: &'static str,
    /// Detector, e.g. `"random forest"`.
    pub detector: &'static str,
    /// Attack class the point is for, or `"all attacks"`.
    pub class: &'static str,
    /// `"per_class"`, `"weighted"`, `"macro"` or `"binary"`.
    pub averaging: &'static str,
    /// (FPR, TPR) operating points, each in [0, 1], sorted by FPR with non-decreasing TPR.
    pub points: &'static [(f64, f64)],
    /// Full citation: authors, title, venue, year, table.
    pub source: &'static str,
    /// How (FPR, TPR) follows from what the paper prints, with the numbers used.
    pub derivation: &'static str,
}

/// The allowed values of [`LibraryEntry::averaging`].
pub const AVERAGINGS: [&str; 4] = ["per_class", "weighted", "macro", "binary"];

const ELSOFANY: &str =
    "H. El-Sofany, S. A. El-Seoud, O. H. Karam, B. Bouallegue, \"Using machine learning algorithms to \
enhance IoT system security\", Scientific Reports (2024), doi:10.1038/s41598-024-62861-y, Table 9 (\"Performance \
metrics for 7 ML algorithms using the UNSW-NB15 dataset and SMOTE\")";

const CHICHE: &str =
    "A. Chiche, M. Meshesha, \"Towards a Scalable and Adaptive Learning Approach for Network Intrusion \
Detection\", Journal of Computer Networks and Communications, vol. 2021, Article ID 8845540 (2021), Table 2 \
(\"Performance comparison of algorithms with different evaluation metrics\"); NSL-KDD, 40,558 instances, ten-fold \
cross-validation (abstract)";

const MUDASSIR: &str = "M. Mudassir, D. Unal, M. Hammoudeh, F. Azzedin, \"Detection of Botnet Attacks against \
Industrial IoT Systems by Multilayer Deep Learning Approaches\", Wireless Communications and Mobile Computing, vol. \
2022, Article ID 2845446 (2022), doi:10.1155/2022/2845446, Tables 6 (precision per class) and 7 (recall per class), \
columns marked B (\"Balanced dataset\")";

static ENTRIES: &[LibraryEntry] = &[
    LibraryEntry {
        id: "unswnb15_elsofany2024_random_forest",
        dataset: "UNSW-NB15",
        detector: "random forest",
        class: "all attacks",
        averaging: "binary",
        points: &[(0.002, 0.999)],
        source: ELSOFANY,
        derivation: "Table 9 row \"Random forest\" prints specificity 99.8 % and recall 99.9 %: FPR = 1 - 0.998 = \
0.002, TPR = 0.999. Checked against the same row's accuracy 99.9 %, precision 99.9 % and F1 99.9 % at the share of \
attacks 0.548-0.555 implied by the back-propagation row (tests in this file). Caveat: the table says SMOTE was used; \
whether the rates are on an oversampled set is not stated in the table.",
    },
    LibraryEntry {
        id: "unswnb15_elsofany2024_adaboost",
        dataset: "UNSW-NB15",
        detector: "AdaBoost",
        class: "all attacks",
        averaging: "binary",
        points: &[(0.001, 0.999)],
        source: ELSOFANY,
        derivation: "Table 9 row \"AdaBoost\" prints specificity 99.9 % and recall 99.9 %: FPR = 0.001, TPR = 0.999. \
The precision cell is printed \"99.9.0\" (a typo); read as 99.9 % it agrees with the point at the prevalence implied \
by the other rows. Same SMOTE caveat as the random forest entry.",
    },
    LibraryEntry {
        id: "unswnb15_elsofany2024_backprop_nn",
        dataset: "UNSW-NB15",
        detector: "back-propagation neural network",
        class: "all attacks",
        averaging: "binary",
        points: &[(0.501, 0.820)],
        source: ELSOFANY,
        derivation: "Table 9 row \"Back propagation NN\" prints specificity 49.9 % and recall 82.0 %: FPR = 0.501, \
TPR = 0.820. Its accuracy 67.6 % implies a share of attacks pi = (0.676 - 0.499)/(0.820 - 0.499) = 0.551 (0.548-0.555 \
with the rounding); at that pi the point reproduces the printed precision 66.7 % (0.665-0.671) and F1 73.6 %. Same \
SMOTE caveat as the random forest entry.",
    },
    LibraryEntry {
        id: "nslkdd_chiche2021_random_forest_weighted",
        dataset: "NSL-KDD",
        detector: "random forest (Weka)",
        class: "all attacks",
        averaging: "weighted",
        points: &[(0.001, 0.999)],
        source: CHICHE,
        derivation:
            "Table 2 prints \"TP rate 99.9\" and \"FP rate 0.1\" (%) for random forest, with accuracy 99.91 %. \
These are Weka's class-weighted averages over the classes normal and attack: the weighted TP rate equals the accuracy \
(99.9 vs 99.91, checked in the tests) and the weighted FP rate mixes the false-alarm rate on benign traffic with the \
miss rate on attacks, weighted by class share. NOT a binary operating point; use as an order of magnitude only.",
    },
    LibraryEntry {
        id: "nslkdd_chiche2021_smo_weighted",
        dataset: "NSL-KDD",
        detector: "SMO support vector machine (Weka)",
        class: "all attacks",
        averaging: "weighted",
        points: &[(0.020, 0.981)],
        source: CHICHE,
        derivation: "Table 2 prints \"TP rate 98.1\" and \"FP rate 2.0\" (%) for SMO, accuracy 98.1 %. Weka \
class-weighted averages as for the random forest entry (weighted TP rate = accuracy): NOT a binary operating point.",
    },
    LibraryEntry {
        id: "nslkdd_chiche2021_bayesnet_weighted",
        dataset: "NSL-KDD",
        detector: "Bayes network (Weka)",
        class: "all attacks",
        averaging: "weighted",
        points: &[(0.022, 0.976)],
        source: CHICHE,
        derivation: "Table 2 prints \"TP rate 97.6\" and \"FP rate 2.2\" (%) for Bayes Net, accuracy 97.6 %. Weka \
class-weighted averages as for the random forest entry (weighted TP rate = accuracy): NOT a binary operating point.",
    },
    LibraryEntry {
        id: "iiot_botnet_mudassir2022_gru_balanced",
        dataset: "IIoT botnet traffic (Bot-IoT-style classes; dataset name not read in the retrieved tables)",
        detector: "GRU (balanced training set)",
        class: "all attacks",
        averaging: "per_class",
        points: &[(0.02, 1.0)],
        source: MUDASSIR,
        derivation: "Multi-class detector with classes Normal, dos_*, ddos_*, rcn_*, theft_*; an alarm is any \
non-Normal prediction. Column GRUB prints recall(Normal) = 0.98 and precision(Normal) = 1. FPR = 1 - recall(Normal) = \
0.02 exactly (every misclassified benign item is predicted as some attack). TPR = 1 - (attacks predicted Normal)/P; \
precision(Normal) = 1 (>= 0.995 after rounding) bounds those misses by 0.005/0.995 x TN, so TPR >= 1 - \
0.00503 x (N/P) x 0.98; the class counts N, P were not retrieved, so TPR = 1 is the value to the printed precision \
and is >= 0.995 only if N <= P.",
    },
    LibraryEntry {
        id: "iiot_botnet_mudassir2022_lstm_balanced",
        dataset: "IIoT botnet traffic (Bot-IoT-style classes; dataset name not read in the retrieved tables)",
        detector: "LSTM (balanced training set)",
        class: "all attacks",
        averaging: "per_class",
        points: &[(0.03, 1.0)],
        source: MUDASSIR,
        derivation:
            "Column LSTMB prints recall(Normal) = 0.97 and precision(Normal) = 1: FPR = 1 - 0.97 = 0.03, TPR = \
1 to the printed precision (>= 0.995 only if N <= P; counts not retrieved). Derivation as for the GRU entry.",
    },
    LibraryEntry {
        id: "iiot_botnet_mudassir2022_ann_balanced",
        dataset: "IIoT botnet traffic (Bot-IoT-style classes; dataset name not read in the retrieved tables)",
        detector: "feed-forward ANN (balanced training set)",
        class: "all attacks",
        averaging: "per_class",
        points: &[(0.16, 1.0)],
        source: MUDASSIR,
        derivation: "Column ANNB prints recall(Normal) = 0.84 and precision(Normal) = 1: FPR = 1 - 0.84 = 0.16, TPR = \
1 to the printed precision (>= 0.995 only if N <= P; counts not retrieved). Derivation as for the GRU entry.",
    },
];

/// Every entry of the library, in a fixed order.
pub fn entries() -> &'static [LibraryEntry] {
    ENTRIES
}

/// The entry with identifier `id`, if any.
pub fn lookup(id: &str) -> Option<&'static LibraryEntry> {
    ENTRIES.iter().find(|e| e.id == id)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A printed figure and the interval it stands for given the digits printed (half a unit of the last digit).
    #[derive(Debug, Clone, Copy)]
    struct Printed {
        lo: f64,
        hi: f64,
    }

    /// `value` printed with `decimals` decimals, as a fraction: `percent(73.8, 1)` is [0.7375, 0.7385].
    fn percent(value: f64, decimals: i32) -> Printed {
        let half = 0.5 * 10f64.powi(-decimals) / 100.0;
        Printed { lo: value / 100.0 - half, hi: value / 100.0 + half }
    }

    /// A fraction printed with `decimals` decimals: `fraction(0.98, 2)` is [0.975, 0.985].
    fn fraction(value: f64, decimals: i32) -> Printed {
        let half = 0.5 * 10f64.powi(-decimals);
        Printed { lo: value - half, hi: value + half }
    }

    fn within(x: f64, p: Printed) -> bool {
        x >= p.lo - 1e-12 && x <= p.hi + 1e-12
    }

    fn overlaps(a: (f64, f64), p: Printed) -> bool {
        a.0 <= p.hi + 1e-12 && a.1 >= p.lo - 1e-12
    }

    fn entry(id: &str) -> &'static LibraryEntry {
        lookup(id).unwrap_or_else(|| panic!("no library entry {id}"))
    }

    #[test]
    fn every_entry_is_well_formed() {
        assert!(entries().len() >= 6, "the library should hold at least six entries");
        let mut ids: Vec<&str> = entries().iter().map(|e| e.id).collect();
        ids.sort_unstable();
        let before = ids.len();
        ids.dedup();
        assert_eq!(ids.len(), before, "identifiers must be unique");
        for e in entries() {
            assert!(
                !e.id.is_empty()
                    && e.id.chars().all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_')
                    && !e.id.starts_with('_')
                    && !e.id.ends_with('_'),
                "{}: identifier must be snake_case",
                e.id
            );
            for (name, text) in [
                ("dataset", e.dataset),
                ("detector", e.detector),
                ("class", e.class),
                ("source", e.source),
                ("derivation", e.derivation),
            ] {
                assert!(!text.trim().is_empty(), "{}: empty {name}", e.id);
            }
            assert!(AVERAGINGS.contains(&e.averaging), "{}: averaging {:?}", e.id, e.averaging);
            assert!(!e.points.is_empty(), "{}: no points", e.id);
            for &(fpr, tpr) in e.points {
                assert!(fpr.is_finite() && tpr.is_finite(), "{}: non-finite point", e.id);
                assert!((0.0..=1.0).contains(&fpr) && (0.0..=1.0).contains(&tpr), "{}: point outside [0, 1]", e.id);
            }
            for w in e.points.windows(2) {
                assert!(w[0].0 <= w[1].0, "{}: points not sorted by FPR", e.id);
                assert!(w[0].1 <= w[1].1, "{}: TPR decreases along the curve", e.id);
            }
        }
    }

    #[test]
    fn lookup_finds_every_entry_and_nothing_else() {
        for e in entries() {
            assert_eq!(lookup(e.id), Some(e));
        }
        assert_eq!(lookup("cicids2017_rf_weighted"), None);
        assert_eq!(lookup(""), None);
    }

    /// What the library does with a row of El-Sofany et al. 2024, Table 9.
    #[derive(Debug, Clone, Copy, PartialEq)]
    enum Verdict {
        /// Stored under this id; every printed figure of the row must be reproduced.
        Stored(&'static str),
        /// Left out: its printed accuracy contradicts its specificity and recall.
        AccuracyContradicts,
        /// Left out: its printed precision misses the value implied by its own accuracy, specificity and recall.
        PrecisionContradicts,
        /// Left out: the same figures as the random-forest row.
        Duplicate,
    }

    /// El-Sofany et al. 2024, Table 9, as printed (%): accuracy, precision, specificity, recall, F1.
    struct ElSofanyRow {
        verdict: Verdict,
        accuracy: f64,
        precision: f64,
        specificity: f64,
        recall: f64,
        f1: f64,
    }

    const fn row(
        verdict: Verdict,
        accuracy: f64,
        precision: f64,
        specificity: f64,
        recall: f64,
        f1: f64,
    ) -> ElSofanyRow {
        ElSofanyRow { verdict, accuracy, precision, specificity, recall, f1 }
    }

    const ELSOFANY_ROWS: [ElSofanyRow; 7] = [
        row(Verdict::Stored("unswnb15_elsofany2024_random_forest"), 99.9, 99.9, 99.8, 99.9, 99.9),
        row(Verdict::PrecisionContradicts, 73.1, 73.8, 65.6, 79.0, 76.3), // Naive Bayes
        row(Verdict::AccuracyContradicts, 99.9, 100.0, 100.0, 99.1, 99.5), // Decision Tree
        row(Verdict::Stored("unswnb15_elsofany2024_backprop_nn"), 67.6, 66.7, 49.9, 82.0, 73.6),
        row(Verdict::AccuracyContradicts, 99.9, 100.0, 100.0, 99.1, 99.9), // XGBoost
        // AdaBoost: the precision cell is printed "99.9.0"; read as 99.9.
        row(Verdict::Stored("unswnb15_elsofany2024_adaboost"), 99.9, 99.9, 99.9, 99.9, 99.9),
        row(Verdict::Duplicate, 99.9, 99.9, 99.8, 99.9, 99.9), // Ensembled RF-BPNN
    ];

    /// The share of attacks implied by a row's accuracy, specificity and recall, over their rounding intervals:
    /// accuracy = pi·recall + (1 − pi)·specificity, so pi = (a − s)/(r − s), increasing in a, decreasing in r and s
    /// when s < a < r.
    fn implied_prevalence(r: &ElSofanyRow) -> (f64, f64) {
        let (a, s, t) = (percent(r.accuracy, 1), percent(r.specificity, 1), percent(r.recall, 1));
        assert!(s.hi < a.lo && a.hi < t.lo, "prevalence is identifiable only when specificity < accuracy < recall");
        ((a.lo - s.hi) / (t.hi - s.hi), (a.hi - s.lo) / (t.lo - s.lo))
    }

    /// Precision over the prevalence interval and the rounding of TPR and FPR (increasing in pi and TPR,
    /// decreasing in FPR).
    fn precision_range(pi: (f64, f64), tpr: Printed, fpr: Printed) -> (f64, f64) {
        let p = |pi: f64, t: f64, f: f64| pi * t / (pi * t + (1.0 - pi) * f);
        (p(pi.0, tpr.lo, fpr.hi), p(pi.1, tpr.hi, fpr.lo.max(0.0)))
    }

    /// Accuracy over the prevalence interval and the rounding of TPR and FPR (linear in each, so the extremes are
    /// at the corners).
    fn accuracy_range(pi: (f64, f64), tpr: Printed, fpr: Printed) -> (f64, f64) {
        let acc = |pi: f64, t: f64, f: f64| pi * t + (1.0 - pi) * (1.0 - f);
        let corners = [
            acc(pi.0, tpr.lo, fpr.hi),
            acc(pi.0, tpr.hi, fpr.lo),
            acc(pi.1, tpr.lo, fpr.hi),
            acc(pi.1, tpr.hi, fpr.lo),
        ];
        (
            corners.iter().cloned().fold(f64::INFINITY, f64::min),
            corners.iter().cloned().fold(f64::NEG_INFINITY, f64::max),
        )
    }

    #[test]
    fn elsofany_stored_rows_reproduce_their_printed_accuracy_precision_and_f1() {
        // The Naive Bayes and back-propagation rows (specificity < accuracy < recall) identify the share of attacks
        // in the test set; both come from the same test set, so their intervals must intersect.
        let nb = implied_prevalence(&ELSOFANY_ROWS[1]);
        let bp = implied_prevalence(&ELSOFANY_ROWS[3]);
        assert!(nb.0.max(bp.0) < nb.1.min(bp.1), "Naive Bayes {nb:?} and back-propagation {bp:?} disagree");
        assert!(bp.0 > 0.54 && bp.1 < 0.56, "prevalence {bp:?}");
        for row in ELSOFANY_ROWS.iter() {
            // A row that identifies its own prevalence is checked at it; the others at the back-propagation row's
            // (the Naive Bayes row is left out, below).
            let identifiable = row.specificity < row.accuracy && row.accuracy < row.recall;
            let pi = if identifiable { implied_prevalence(row) } else { bp };
            let (tpr, spec, prec) = (percent(row.recall, 1), percent(row.specificity, 1), percent(row.precision, 1));
            let fpr = Printed { lo: 1.0 - spec.hi, hi: 1.0 - spec.lo };
            let f1 = |p: f64, r: f64| 2.0 * p * r / (p + r);
            let f1_range = (f1(prec.lo, tpr.lo), f1(prec.hi.min(1.0), tpr.hi));
            let f1_ok = overlaps(f1_range, percent(row.f1, 1));
            let prec_range = precision_range(pi, tpr, fpr);
            let prec_ok = overlaps(prec_range, prec);
            let acc_range = accuracy_range(pi, tpr, fpr);
            let acc_ok = overlaps(acc_range, percent(row.accuracy, 1));
            match row.verdict {
                Verdict::Stored(id) => {
                    let e = entry(id);
                    assert_eq!(e.averaging, "binary");
                    let (f, t) = e.points[0];
                    assert!(within(f, fpr) && within(t, tpr), "{id}: stored point ({f}, {t}) is not the printed row");
                    assert!(prec_ok, "{id}: precision {prec_range:?} vs printed {}", row.precision);
                    assert!(acc_ok, "{id}: accuracy {acc_range:?} vs printed {}", row.accuracy);
                    assert!(f1_ok, "{id}: F1 {f1_range:?} vs printed {}", row.f1);
                }
                // Decision tree and XGBoost: with specificity 100.0 and recall 99.1 the accuracy at the prevalence of
                // the other rows is at most 0.9954, not 99.9.
                Verdict::AccuracyContradicts => assert!(!acc_ok, "row turned out consistent: {acc_range:?}"),
                // Naive Bayes: precision 73.8 needs a prevalence (about 0.551) at which the accuracy rounds to 73.0;
                // at its own prevalence the precision is 0.7387-0.7510, just above the printed 0.7375-0.7385.
                Verdict::PrecisionContradicts => {
                    assert!(acc_ok && f1_ok && !prec_ok, "Naive Bayes row: {prec_range:?}");
                    assert!(prec_range.0 - prec.hi < 0.001, "the miss is below one printed digit");
                }
                Verdict::Duplicate => assert!(prec_ok && acc_ok && f1_ok, "the ensemble row should match the forest"),
            }
        }
        // XGBoost's F1 (99.9) cannot come from precision 100.0 and recall 99.1 either (F1 <= 0.9958).
        let x = &ELSOFANY_ROWS[4];
        let best = 2.0 * percent(x.recall, 1).hi / (1.0 + percent(x.recall, 1).hi);
        assert!(best < percent(x.f1, 1).lo);
    }

    #[test]
    fn chiche_weighted_tp_rate_is_the_printed_accuracy() {
        // Table 2 (%): (id, TP rate, FP rate, accuracy and its printed decimals). In a two-class problem Weka's
        // class-weighted TP rate is the accuracy, so the printed accuracy must fall in the TP rate's interval.
        let rows = [
            ("nslkdd_chiche2021_smo_weighted", 98.1, 2.0, 98.1, 1),
            ("nslkdd_chiche2021_bayesnet_weighted", 97.6, 2.2, 97.6, 1),
            ("nslkdd_chiche2021_random_forest_weighted", 99.9, 0.1, 99.91, 2),
        ];
        for (id, tp, fp, acc, acc_decimals) in rows {
            let e = entry(id);
            assert_eq!(e.averaging, "weighted", "{id}: a weighted average must say so");
            let (f, t) = e.points[0];
            assert!(within(f, percent(fp, 1)) && within(t, percent(tp, 1)), "{id}: stored point is not the row");
            let a = percent(acc, acc_decimals);
            assert!(overlaps((a.lo, a.hi), percent(tp, 1)), "{id}: accuracy {acc} is not the weighted TP rate {tp}");
        }
    }

    #[test]
    fn mudassir_points_reproduce_the_printed_normal_class_figures() {
        // Tables 6 and 7, balanced columns: (id, precision(Normal), recall(Normal)), two decimals.
        let rows = [
            ("iiot_botnet_mudassir2022_gru_balanced", 1.0, 0.98),
            ("iiot_botnet_mudassir2022_lstm_balanced", 1.0, 0.97),
            ("iiot_botnet_mudassir2022_ann_balanced", 1.0, 0.84),
        ];
        for (id, precision, recall) in rows {
            let e = entry(id);
            let (fpr, tpr) = e.points[0];
            // Benign items predicted as any attack class are the false alarms: recall(Normal) = 1 − FPR.
            assert!(within(1.0 - fpr, fraction(recall, 2)), "{id}: recall(Normal)");
            // precision(Normal) = TN / (TN + FN) with TN = N(1 − FPR), FN = P(1 − TPR), for any class ratio.
            for n_over_p in [0.1, 1.0, 10.0] {
                let tn = n_over_p * (1.0 - fpr);
                let p = tn / (tn + (1.0 - tpr));
                assert!(within(p.min(1.0), fraction(precision, 2)), "{id}: precision(Normal) at N/P = {n_over_p}");
            }
            // The smallest TPR the printed precision allows when N = P.
            let floor = 1.0 - (1.0 - 0.995) / 0.995 * (1.0 - fpr);
            assert!(tpr >= floor && floor > 0.994);
        }
    }

    #[test]
    fn excluded_tables_are_inconsistent_as_documented() {
        // "A Reliable Network Intrusion Detection Approach Using Decision Tree with Enhanced Data Quality",
        // Security and Communication Networks 2021, Article ID 1230593, Table 5, proposed DTE on NSL-KDD:
        // accuracy 99.42, DR 98.20, FAR 2.64 (%). Accuracy is a prevalence-weighted mean of DR and 1 − FAR, so it
        // must lie between them; 0.9942 does not.
        let (acc, dr, far) = (percent(99.42, 2), percent(98.20, 2), percent(2.64, 2));
        let upper = dr.hi.max(1.0 - far.lo);
        assert!(acc.lo > upper, "the DTE triple would be consistent");
        // Okey et al., Sensors 22 (2022) 7409, Table 8, EnsHMV on CICIDS2017, class Benign: precision 0.9795,
        // recall 0.9945, F-score printed 0.9636; the harmonic mean of the first two is 0.9869.
        let (p, r) = (fraction(0.9795, 4), fraction(0.9945, 4));
        let f_lo = 2.0 * p.lo * r.lo / (p.lo + r.lo);
        assert!(f_lo > fraction(0.9636, 4).hi, "the EnsHMV benign F-score would be consistent");
    }
}
