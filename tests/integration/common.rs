//! Helpers shared by the integration tests: loading scenario text, running it, scratch folders, the CLI binary.

use std::fs;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use cloudletsim::run::{RunOptions, RunResult};
use cloudletsim::scenario::{self, keys, ModelConfig};

/// `text` with body-data protection switched off, where the scenario keys have it (`crypto.scheme`): for tests of
/// the bare delivery chain, whose figures must not include encryption's bytes and processing time.
pub fn without_crypto(text: &str) -> String {
    if keys::reference().iter().any(|k| k.path == "crypto.scheme") {
        format!("{text}\n[crypto]\nscheme = \"none\"\n")
    } else {
        text.to_string()
    }
}

/// The validated configuration of scenario `text`; panics with the loader's message if the text is invalid.
pub fn config(text: &str) -> ModelConfig {
    match scenario::load_str(text, Path::new("test.toml"), &[]) {
        Ok(s) => s.config,
        Err(e) => panic!("test scenario does not load: {e}\n--- scenario ---\n{text}"),
    }
}

/// Runs `cfg` to its end time, optionally recording every sample taken.
pub fn run(cfg: &ModelConfig, trace_samples: bool) -> RunResult {
    let opts = RunOptions { trace_samples, ..RunOptions::default() };
    match cloudletsim::run::run(cfg, &opts, |_| {}) {
        Ok(r) => r,
        Err(e) => panic!("test scenario cannot run: {e}"),
    }
}

/// An empty scratch folder for one test, under Cargo's temporary folder for integration tests.
pub fn scratch(test: &str) -> PathBuf {
    let dir = Path::new(env!("CARGO_TARGET_TMPDIR")).join("integration").join(test);
    if dir.exists() {
        fs::remove_dir_all(&dir).expect("clear the scratch folder");
    }
    fs::create_dir_all(&dir).expect("create the scratch folder");
    dir
}

/// Runs the `cloudletsim` binary with `args` in folder `cwd`.
pub fn cli(cwd: &Path, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_cloudletsim"))
        .args(args)
        .current_dir(cwd)
        .output()
        .expect("the cloudletsim binary runs")
}

/// Standard error of a finished command, as text.
pub fn stderr(out: &Output) -> String {
    String::from_utf8_lossy(&out.stderr).into_owned()
}

/// Names of the entries of `dir`, sorted.
pub fn entries(dir: &Path) -> Vec<String> {
    let mut names: Vec<String> = fs::read_dir(dir)
        .expect("read folder")
        .map(|e| e.expect("folder entry").file_name().to_string_lossy().into_owned())
        .collect();
    names.sort();
    names
}
