//! PLACEHOLDER library of published ROC operating points, for the `roc` detector's `library = "<id>"` curves.
//!
//! This file only fixes the interface ([`LibraryEntry`], [`lookup`], [`entries`]); the real library, with published
//! operating points and their sources, replaces it. Its one entry, `test_only_example`, is a test fixture with
//! made-up points (no source, no dataset): do not use it in a scenario meant to say anything.

/// One set of published operating points of one detector on one dataset and class.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct LibraryEntry {
    /// Identifier used in scenarios (`library = "<id>"`).
    pub id: &'static str,
    /// The dataset the points were measured on.
    pub dataset: &'static str,
    /// The detector that was measured.
    pub detector: &'static str,
    /// The attack class the points are for.
    pub class: &'static str,
    /// How the figures were averaged over classes: `per_class`, `weighted` or `macro`.
    pub averaging: &'static str,
    /// The operating points, as (false positive rate, true positive rate).
    pub points: &'static [(f64, f64)],
    /// Where the figures come from.
    pub source: &'static str,
    /// How the points were derived from the source.
    pub derivation: &'static str,
}

/// The entries (here: the one test fixture).
const ENTRIES: &[LibraryEntry] = &[LibraryEntry {
    id: "test_only_example",
    dataset: "none: test fixture",
    detector: "none: test fixture",
    class: "none: test fixture",
    averaging: "per_class",
    points: &[(0.1, 0.5), (0.3, 0.8)],
    source: "none: test fixture",
    derivation: "made up for the tests; not a measurement",
}];

/// The entry with identifier `id`.
pub fn lookup(id: &str) -> Option<&'static LibraryEntry> {
    ENTRIES.iter().find(|e| e.id == id)
}

/// Every entry.
pub fn entries() -> &'static [LibraryEntry] {
    ENTRIES
}
