//! Scenarios: TOML files, `--set` overrides, validation, and the key reference.
//!
//! Two stages, as in ripgrep's low-level and high-level arguments: [`raw`] mirrors the file exactly (unknown keys
//! rejected), [`validate`] turns it into the [`ModelConfig`] the simulation trusts. Every error names the file, the
//! dotted key, the line, and what is allowed.

pub mod checker;
pub mod config;
pub mod excerpt;
pub mod keys;
pub mod locate;
pub mod overrides;
pub mod raw;
pub mod suggest;
pub mod validate;

use std::collections::BTreeSet;
use std::fmt;
use std::path::{Path, PathBuf};

pub use config::ModelConfig;
pub use overrides::Override;
pub use raw::RawScenario;

use locate::KeyIndex;

/// A loaded, validated scenario.
#[derive(Debug, Clone)]
pub struct Scenario {
    /// The file it came from.
    pub file: PathBuf,
    /// The file's content after overrides, as parsed (for provenance in results).
    pub raw: RawScenario,
    /// The validated configuration.
    pub config: ModelConfig,
}

/// One located problem in a scenario.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Diagnostic {
    /// The dotted key concerned, when known.
    pub key: Option<String>,
    /// 1-based line in the file, when the key is written there.
    pub line: Option<usize>,
    /// Whether the offending value came from a `--set` override.
    pub from_override: bool,
    /// What is wrong and what is allowed.
    pub message: String,
    /// The file's lines there, with the offending text to underline (none for `--set` values and unlocated
    /// problems).
    pub excerpt: Option<excerpt::Excerpt>,
}

/// Writes the excerpt of a located problem under its message line: the source lines with carets, or, for a value
/// from `--set`, a note that there is no source line to show.
pub(crate) fn write_excerpt(
    f: &mut fmt::Formatter<'_>,
    excerpt: Option<&excerpt::Excerpt>,
    from_override: bool,
) -> fmt::Result {
    if from_override {
        write!(
            f,
            "
      (no source line to show: the value was given with --set on the command line)"
        )
    } else if let Some(e) = excerpt {
        write!(
            f,
            "
{}",
            e.render("    ")
        )
    } else {
        Ok(())
    }
}

/// Why a scenario could not be loaded.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum ScenarioError {
    /// The file could not be read.
    #[error("cannot read scenario file {}", path.display())]
    Read {
        /// The file.
        path: PathBuf,
        /// The I/O error.
        source: std::io::Error,
    },
    /// A `--set` override is malformed or cannot be applied.
    #[error("--set {expr}: {message}")]
    BadOverride {
        /// The override as given.
        expr: String,
        /// What is wrong.
        message: String,
    },
    /// The file (with overrides) is not a valid scenario.
    #[error("{}", Report { file, diagnostics })]
    Invalid {
        /// The file.
        file: PathBuf,
        /// Every problem found, in file order where known.
        diagnostics: Vec<Diagnostic>,
    },
}

struct Report<'a> {
    file: &'a Path,
    diagnostics: &'a [Diagnostic],
}

impl fmt::Display for Report<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let n = self.diagnostics.len();
        write!(f, "invalid scenario {} ({n} problem{})", self.file.display(), if n == 1 { "" } else { "s" })?;
        for d in self.diagnostics {
            write!(f, "\n  {}", self.file.display())?;
            match (d.from_override, d.line) {
                (true, _) => write!(f, " (--set)")?,
                (false, Some(line)) => write!(f, ":{line}")?,
                (false, None) => {}
            }
            match &d.key {
                Some(key) => write!(f, ": key `{key}`: {}", d.message)?,
                None => write!(f, ": {}", d.message)?,
            }
            write_excerpt(f, d.excerpt.as_ref(), d.from_override)?;
        }
        Ok(())
    }
}

/// The largest input file read (scenario, sweep file): far more than any real scenario (the city scenario is 2 kB),
/// small enough that parsing it takes well under a second and a few hundred MB at most.
pub const MAX_INPUT_BYTES: u64 = 16 << 20;

/// Reads a text input file (scenario, sweep file, a results folder's summary) safely: a folder, a device, a pipe or a socket is refused with
/// a message saying so (reading `/dev/zero` would never end, a pipe could block for ever), and so is a file larger
/// than [`MAX_INPUT_BYTES`] or not UTF-8.
pub fn read_text(path: &Path) -> std::io::Result<String> {
    use std::io::{Error, ErrorKind, Read};
    let meta = std::fs::metadata(path)?;
    if meta.is_dir() {
        return Err(Error::new(ErrorKind::IsADirectory, "is a folder; allowed: a regular file"));
    }
    if !meta.is_file() {
        return Err(Error::new(
            ErrorKind::InvalidInput,
            "is not a regular file (a device, pipe or socket); allowed: a regular file",
        ));
    }
    let too_big = || {
        Error::new(
            ErrorKind::FileTooLarge,
            format!("is larger than {} MiB; allowed: a file of at most that size", MAX_INPUT_BYTES >> 20),
        )
    };
    if meta.len() > MAX_INPUT_BYTES {
        return Err(too_big());
    }
    let mut bytes = Vec::with_capacity(meta.len() as usize);
    std::fs::File::open(path)?.take(MAX_INPUT_BYTES + 1).read_to_end(&mut bytes)?;
    if bytes.len() as u64 > MAX_INPUT_BYTES {
        return Err(too_big());
    }
    String::from_utf8(bytes).map_err(|e| {
        Error::new(
            ErrorKind::InvalidData,
            format!("is not UTF-8 text (byte {}); allowed: a UTF-8 text file", e.utf8_error().valid_up_to()),
        )
    })
}

/// Loads and validates the scenario at `path`, applying `overrides` (`a.b.c=value`) first.
pub fn load(path: &Path, overrides: &[String]) -> Result<Scenario, ScenarioError> {
    let text = read_text(path).map_err(|source| ScenarioError::Read { path: path.to_path_buf(), source })?;
    load_str(&text, path, overrides)
}

impl Scenario {
    /// The fully resolved scenario as TOML (`scenario.resolved.toml`): every key with the value in force, defaults
    /// and `--set` overrides applied, and the built-in sensors, radios and crypto scheme it uses written out, so
    /// that `cloudletsim run` on it reproduces the run byte for byte without reference to anything else.
    pub fn resolved_toml(&self) -> Result<String, ScenarioError> {
        let mut raw = self.raw.clone();
        let sensors = crate::chain::raw::builtin_sensors();
        for name in &raw.wearables.sensors {
            if let (false, Some(s)) = (raw.sensors.contains_key(name), sensors.get(name)) {
                raw.sensors.insert(name.clone(), s.clone());
            }
        }
        let radios = crate::energy::raw::builtin_radios();
        let r = &raw.energy.radio;
        for name in [r.ban.clone(), r.access.clone(), r.mesh.clone(), r.wan.clone()] {
            if let (false, Some(p)) = (raw.energy.radios.contains_key(&name), radios.get(&name)) {
                raw.energy.radios.insert(name, p.clone());
            }
        }
        let scheme = raw.crypto.scheme.clone();
        if let (false, Some(p)) =
            (raw.crypto.schemes.contains_key(&scheme), crate::crypto::raw::builtin_schemes().get(&scheme))
        {
            raw.crypto.schemes.insert(scheme, p.clone());
        }
        // Non-default cipher profiles (crypto.aead, records.cipher) written out too, overrides kept.
        for name in [raw.crypto.aead.clone(), raw.records.cipher.clone()] {
            if let (false, Some(p)) =
                (crate::crypto::raw::is_default_cipher(&name), crate::crypto::cipher::profile::builtin(&name))
            {
                let table = raw.crypto.ciphers.get(&name).cloned().unwrap_or_default();
                raw.crypto.ciphers.insert(name, table.filled(&p));
            }
        }
        let body = toml::to_string(&raw).map_err(|e| ScenarioError::Invalid {
            file: self.file.clone(),
            diagnostics: vec![Diagnostic {
                key: None,
                line: None,
                from_override: false,
                message: format!("cannot be written out as TOML: {e}"),
                excerpt: None,
            }],
        })?;
        Ok(format!(
            "# The fully resolved scenario: every key with the value in force (defaults and --set overrides applied,\n\
             # built-in sensors, radios and crypto scheme written out). `cloudletsim run` on this file reproduces the\n\
             # results beside it byte for byte (all but timing.json and manifest.json).\n\
             # From: {}\n\n{body}",
            self.file.display()
        ))
    }
}

/// Like [`load`], from text already read; `path` only labels messages.
pub fn load_str(text: &str, path: &Path, overrides: &[String]) -> Result<Scenario, ScenarioError> {
    load_str_edited(text, path, overrides, |_| {})
}

/// Like [`load_str`], then `edit` changes the parsed scenario before it is validated: how an analysis varies a
/// scenario (`raw.ids.count = n`) without writing and re-parsing `--set` strings. The user's `overrides` are applied
/// first, so an edit wins over them; a value an edit makes invalid is reported like any other validation problem,
/// located at the key's line in the file (if it is written there). [`Scenario::raw`] holds the edited scenario, so
/// [`Scenario::resolved_toml`] describes what runs.
pub fn load_str_edited(
    text: &str,
    path: &Path,
    overrides: &[String],
    edit: impl FnOnce(&mut RawScenario),
) -> Result<Scenario, ScenarioError> {
    let invalid = |diagnostics| ScenarioError::Invalid { file: path.to_path_buf(), diagnostics };
    let original = KeyIndex::new(text);
    // Through locate::parse_document, never `str::parse`: toml_edit's error recovery panics on some malformed texts.
    let mut doc = locate::parse_document(text)
        .map_err(|e| {
            let line = e.span.as_ref().map(|s| original.line_col(s.start).0);
            let excerpt = e.span.and_then(|s| original.excerpt_at(s));
            invalid(vec![Diagnostic { key: None, line, from_override: false, message: e.message, excerpt }])
        })?
        .into_mut();
    let mut overridden = BTreeSet::new();
    for expr in overrides {
        let bad = |message| ScenarioError::BadOverride { expr: expr.clone(), message };
        let ov: Override = expr.parse().map_err(bad)?;
        overrides::apply(&mut doc, &ov).map_err(bad)?;
        overridden.insert(ov.path);
    }
    let edited = doc.to_string();
    let locate = |key: Option<String>, message: String| {
        // A key is the override's if it is at or under an overridden path, or if it is a table that only an
        // override created (`--set no.such=1` fails at `no`).
        let from_override = key.as_deref().is_some_and(|k| {
            overridden.iter().any(|o| {
                k == o || k.starts_with(&format!("{o}.")) || (o.starts_with(&format!("{k}.")) && !original.contains(k))
            })
        });
        let line = key.as_deref().and_then(|k| original.line_of(k));
        let excerpt = key.as_deref().filter(|_| !from_override).and_then(|k| original.excerpt_of(k));
        Diagnostic { key, line, from_override, message, excerpt }
    };
    let mut raw: RawScenario = toml::from_str(&edited).map_err(|e| {
        let edited_index = KeyIndex::new(&edited);
        let key = e.span().and_then(|s| edited_index.key_at(s.start).map(str::to_string));
        let mut d = locate(key.clone(), suggest::with_suggestion(e.message().trim()));
        // The parser's own span points at the exact bytes it objects to (the key of an unknown field, the value
        // of a wrong type): moved from the edited text onto the file's.
        let exact = match (e.span(), &key) {
            (Some(s), _) if edited == text => Some(s),
            (Some(s), Some(k)) => original.translate(&edited_index, k, s),
            _ => None,
        };
        if let Some(exact) = exact.filter(|_| !d.from_override).and_then(|s| original.excerpt_at(s)) {
            if Some(exact.first_line) == d.line || d.line.is_none() {
                d.excerpt = Some(exact);
            }
        }
        invalid(vec![d])
    })?;
    edit(&mut raw);
    let mut config = validate::validate(&raw).map_err(|problems| {
        let mut diags: Vec<Diagnostic> = problems.into_iter().map(|p| locate(Some(p.key), p.message)).collect();
        diags.sort_by_key(|d| (d.from_override, d.line.unwrap_or(usize::MAX)));
        invalid(diags)
    })?;
    crate::mobility::load::load_into(&mut config, path)
        .map_err(|message| invalid(vec![locate(Some("mobility.trace_file".into()), message)]))?;
    Ok(Scenario { file: path.to_path_buf(), raw, config })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn err(text: &str, sets: &[&str]) -> String {
        let sets: Vec<String> = sets.iter().map(|s| s.to_string()).collect();
        load_str(text, Path::new("s.toml"), &sets).unwrap_err().to_string()
    }

    #[test]
    fn minimal_scenario_uses_documented_defaults() {
        let s = load_str("name = \"tiny\"\n", Path::new("s.toml"), &[]).unwrap();
        assert_eq!(s.config.wearables, 100);
        assert_eq!(s.config.cloudlets.count, 8);
        assert_eq!(s.config.sensors.len(), 3);
    }

    #[test]
    fn unknown_key_names_file_line_and_key() {
        let e = err("name = \"a\"\n[wearables]\ncont = 3\n", &[]);
        assert!(e.contains("s.toml:3: key `wearables.cont`: unknown field `cont`"), "{e}");
        assert!(e.contains("expected one of"), "{e}");
        assert!(e.contains("did you mean `count`?"), "{e}");
    }

    #[test]
    fn wrong_type_names_the_key() {
        let e = err("name = \"a\"\n[wearables]\ncount = \"many\"\n", &[]);
        assert!(e.contains("s.toml:3: key `wearables.count`: invalid type: string"), "{e}");
    }

    #[test]
    fn range_problems_are_all_reported_with_lines() {
        let text = "name = \"a\"\n[simulation]\nduration_s = -1\n[links.ban]\nloss_prob = 1.5\n";
        let e = err(text, &[]);
        assert!(e.contains("2 problems"), "{e}");
        assert!(e.contains("s.toml:3: key `simulation.duration_s`"), "{e}");
        assert!(e.contains("s.toml:5: key `links.ban.loss_prob`: must be a probability in [0, 1) (got 1.5)"), "{e}");
    }

    #[test]
    fn override_errors_say_so() {
        let e = err("name = \"a\"\n", &["links.ban.loss_prob=7"]);
        assert!(e.contains("s.toml (--set): key `links.ban.loss_prob`"), "{e}");
        let e = err("name = \"a\"\n", &["wearables.nope=1"]);
        assert!(e.contains("(--set): key `wearables.nope`: unknown field"), "{e}");
    }

    #[test]
    fn overrides_change_the_config() {
        let sets = vec!["wearables.count=20000".to_string(), "cloudlets.mesh=full".to_string()];
        let s = load_str("name = \"a\"\n", Path::new("s.toml"), &sets).unwrap();
        assert_eq!(s.config.wearables, 20_000);
        assert_eq!(s.config.cloudlets.mesh, crate::chain::Mesh::Full);
    }

    #[test]
    fn an_edit_wins_over_overrides_and_is_what_resolves() {
        let sets = vec!["wearables.count=20000".to_string()];
        let s = load_str_edited("name = \"a\"\n", Path::new("s.toml"), &sets, |raw| {
            raw.wearables.count = 30;
            raw.simulation.replication = 4;
        })
        .unwrap();
        assert_eq!((s.config.wearables, s.config.replication), (30, 4));
        let resolved = s.resolved_toml().unwrap();
        let again = load_str(&resolved, Path::new("r.toml"), &[]).unwrap();
        assert_eq!((again.config.wearables, again.config.replication), (30, 4));
    }

    #[test]
    fn an_invalid_edit_is_a_located_validation_problem() {
        let text = "name = \"a\"\n[links.ban]\nloss_prob = 0.1\n";
        let e = load_str_edited(text, Path::new("s.toml"), &[], |raw| raw.links.ban.loss_prob = 1.5).unwrap_err();
        let e = e.to_string();
        assert!(e.contains("s.toml:3: key `links.ban.loss_prob`: must be a probability in [0, 1) (got 1.5)"), "{e}");
    }

    #[test]
    fn a_text_that_makes_toml_edit_panic_is_a_located_error() {
        // Found by the scenario_loader fuzz target (via the sweep one): toml_edit 0.23's recovery panics on it.
        let e = err("==\n.=\n", &[]);
        assert!(e.contains("s.toml:1"), "{e}");
    }

    /// The lines of `e` after the one containing `first`, up to the next problem's line.
    fn under<'a>(e: &'a str, first: &str) -> Vec<&'a str> {
        let lines: Vec<&str> = e.lines().collect();
        let i = lines.iter().position(|l| l.contains(first)).unwrap_or_else(|| panic!("{first:?} not in:\n{e}"));
        lines[i + 1..].iter().take_while(|l| !l.starts_with("  s.toml")).copied().collect()
    }

    #[test]
    fn each_problem_shows_its_source_line_with_a_caret_under_the_value() {
        let text = "name = \"a\"\n[simulation]\nduration_s = -1\n[links.ban]\nloss_prob =\t1.5 # ✓ é\n";
        let e = err(text, &[]);
        assert!(e.starts_with("invalid scenario s.toml (2 problems)\n  s.toml:3: key `simulation.duration_s`"), "{e}");
        let snippet = under(&e, "s.toml:3:");
        assert_eq!(snippet.len(), 3, "gutter, line, carets:\n{e}");
        assert!(snippet[1].ends_with("3 | duration_s = -1"), "{e}");
        let col = snippet[1].find("-1").unwrap();
        assert_eq!(snippet[2].find('^'), Some(col), "{e}");
        assert_eq!(snippet[2].matches('^').count(), 2, "{e}");
        let snippet = under(&e, "s.toml:5:");
        let col = snippet[1].find("1.5").unwrap();
        assert_eq!((snippet[2].find('^'), snippet[2].matches('^').count()), (Some(col), 3), "after a tab:\n{e}");
    }

    #[test]
    fn set_values_have_no_snippet_and_say_why() {
        let e = err("name = \"a\"\n[links.ban]\nloss_prob = 0.1\n", &["links.ban.loss_prob=7"]);
        let snippet = under(&e, "s.toml (--set): key `links.ban.loss_prob`");
        assert_eq!(snippet, ["      (no source line to show: the value was given with --set on the command line)"]);
    }

    #[test]
    fn an_unknown_key_is_underlined_even_when_another_key_is_overridden() {
        let text = "name = \"a\"\n[wearables]\ncont = 3\n";
        for sets in [&[][..], &["links.ban.loss_prob=0.2"][..]] {
            let e = err(text, sets);
            let snippet = under(&e, "s.toml:3: key `wearables.cont`: unknown field");
            assert!(snippet[1].ends_with("3 | cont = 3"), "{sets:?}: {e}");
            let col = snippet[1].find("cont").unwrap();
            assert_eq!((snippet[2].find('^'), snippet[2].matches('^').count()), (Some(col), 4), "{sets:?}: {e}");
        }
    }

    #[test]
    fn a_value_spanning_lines_is_shown_whole() {
        let text = "name = \"a\"\n[wearables]\ncount = [\n  1,\n  2,\n]\n";
        let e = err(text, &[]);
        let snippet = under(&e, "s.toml:3: key `wearables.count`: invalid type: sequence").join("\n");
        for n in 3..=6 {
            assert!(snippet.contains(&format!("{n} |")), "line {n}:\n{e}");
        }
    }

    #[test]
    fn syntax_errors_have_a_line() {
        let e = err("name = \"a\"\n[wearables\n", &[]);
        assert!(e.contains("s.toml:2"), "{e}");
    }
}
