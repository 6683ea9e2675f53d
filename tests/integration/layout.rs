//! The source layout the architecture map promises (`docs/architecture.md`): no file-level import cycles in `src/`,
//! and no source or test file much over 500 lines.
//!
//! A file's imports are the `crate::`, `super::` and `self::` paths it names outside its `#[cfg(test)]` module
//! (`use` trees expanded), each resolved to the longest module path that is a file. A module's own descendants and
//! its ancestors' `mod.rs` re-exports are not edges (declaring a submodule is not importing it).

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use petgraph::algo::tarjan_scc;
use petgraph::graphmap::DiGraphMap;

/// Longest file allowed, in lines: the map asks for about 500.
const MAX_LINES: usize = 550;

fn rust_files(dir: &Path, out: &mut Vec<PathBuf>) {
    for entry in std::fs::read_dir(dir).expect("readable folder") {
        let path = entry.expect("folder entry").path();
        if path.is_dir() {
            rust_files(&path, out);
        } else if path.extension().is_some_and(|e| e == "rs") {
            out.push(path);
        }
    }
}

/// `src/chain/state.rs` → `chain::state`; `src/chain/mod.rs` → `chain`; `src/lib.rs` → ``.
fn module_of(src: &Path, file: &Path) -> String {
    let rel = file.strip_prefix(src).expect("under src").with_extension("");
    let mut parts: Vec<String> = rel.iter().map(|p| p.to_string_lossy().into_owned()).collect();
    if matches!(parts.last().map(String::as_str), Some("mod" | "lib" | "main")) {
        parts.pop();
    }
    parts.join("::")
}

/// Every path a `use` tree such as `a::{b, c::{d, e}}` names, each prefixed with `prefix`.
fn expand(prefix: &str, tree: &str, out: &mut Vec<String>) {
    let tree = tree.trim();
    let Some(open) = tree.find('{') else {
        let leaf = tree.split_whitespace().next().unwrap_or("").trim_end_matches("::");
        out.push(if leaf.is_empty() { prefix.to_string() } else { format!("{prefix}{leaf}") });
        return;
    };
    let head = format!("{prefix}{}", &tree[..open]);
    let inner = &tree[open + 1..tree.rfind('}').unwrap_or(tree.len())];
    let (mut depth, mut start) = (0, 0);
    for (i, ch) in inner.char_indices() {
        match ch {
            '{' => depth += 1,
            '}' => depth -= 1,
            ',' if depth == 0 => {
                expand(&head, &inner[start..i], out);
                start = i + 1;
            }
            _ => {}
        }
    }
    if !inner[start..].trim().is_empty() {
        expand(&head, &inner[start..], out);
    }
}

/// The module paths `module` (whose text is `text`) names.
fn imports(module: &str, text: &str) -> Vec<String> {
    let code = text.split("#[cfg(test)]\nmod tests").next().unwrap_or(text);
    let code: String = code.lines().map(|l| l.split("//").next().unwrap_or("")).collect::<Vec<_>>().join("\n");
    let parent = module.rsplit_once("::").map_or("", |(p, _)| p);
    let absolute = |m: &str| if m.is_empty() { "crate::".to_string() } else { format!("crate::{m}::") };
    let code = code.replace("super::", &absolute(parent)).replace("self::", &absolute(module));
    let mut out = Vec::new();
    let mut rest = code.as_str();
    while let Some(at) = rest.find("crate::") {
        rest = &rest[at + "crate::".len()..];
        let statement_end = rest.find(';').unwrap_or(rest.len());
        let path_end = rest.find(|c: char| !(c.is_alphanumeric() || c == '_' || c == ':')).unwrap_or(rest.len());
        if rest[path_end..].starts_with('{') {
            expand("", &rest[..statement_end], &mut out);
        } else {
            out.push(rest[..path_end].trim_end_matches("::").to_string());
        }
    }
    out
}

#[test]
fn src_has_no_file_level_import_cycles() {
    let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let mut files = Vec::new();
    rust_files(&src, &mut files);
    let modules: BTreeMap<String, PathBuf> = files.iter().map(|f| (module_of(&src, f), f.clone())).collect();
    let mut graph = DiGraphMap::<&str, ()>::new();
    for (module, file) in &modules {
        graph.add_node(module);
        let text = std::fs::read_to_string(file).expect("readable source");
        for path in imports(module, &text) {
            let segments: Vec<&str> = path.split("::").filter(|s| !s.is_empty()).collect();
            let target = (1..=segments.len())
                .rev()
                .map(|k| segments[..k].join("::"))
                .find_map(|m| modules.get_key_value(&m).map(|(k, _)| k.as_str()));
            let Some(target) = target else { continue };
            let related = module.starts_with(&format!("{target}::")) || target.starts_with(&format!("{module}::"));
            if target != module && !related {
                graph.add_edge(module, target, ());
            }
        }
    }
    let cycles: Vec<Vec<&str>> = tarjan_scc(&graph).into_iter().filter(|c| c.len() > 1).collect();
    assert!(graph.edge_count() > 100, "the import scan found too few imports to be trusted: {}", graph.edge_count());
    assert!(cycles.is_empty(), "files that import each other (directly or around a cycle): {cycles:?}");
}

#[test]
fn no_source_or_test_file_is_much_over_500_lines() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let mut files = Vec::new();
    for dir in ["src", "tests", "benches"] {
        rust_files(&root.join(dir), &mut files);
    }
    let long: Vec<String> = files
        .iter()
        .filter_map(|f| {
            let lines = std::fs::read_to_string(f).expect("readable source").lines().count();
            (lines > MAX_LINES).then(|| format!("{} ({lines} lines)", f.display()))
        })
        .collect();
    assert!(long.is_empty(), "split these files by topic: {long:?}");
}

#[test]
fn use_trees_expand_to_every_path() {
    let mut out = Vec::new();
    expand("", "chain::{packet::{Packet, NIL}, state::Chain, metrics}", &mut out);
    assert_eq!(out, ["chain::packet::Packet", "chain::packet::NIL", "chain::state::Chain", "chain::metrics"]);
    let found =
        imports("chain::flow", "use super::state::{ChainCtx, Arrival};\nfn f() { crate::kernel::prefetch(x); }");
    assert_eq!(found, ["chain::state::ChainCtx", "chain::state::Arrival", "kernel::prefetch"]);
}
