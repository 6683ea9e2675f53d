//! `--set a.b.c=value`: override any scenario key by its dotted path.
//!
//! Overrides are applied to the TOML document before it is deserialised, so an overridden key is checked exactly
//! like one written in the file. A value is read as TOML (`3`, `0.5`, `true`, `[0, 1]`, `"ring"`); anything that
//! is not valid TOML is taken as a string, so `--set cloudlets.mesh=ring` needs no quotes.

use std::str::FromStr;

use toml_edit::{DocumentMut, Item, Value};

/// One parsed `--set` override.
#[derive(Debug, Clone)]
pub struct Override {
    /// Dotted key path.
    pub path: String,
    /// The new value.
    pub value: Value,
}

impl FromStr for Override {
    type Err = String;

    fn from_str(expr: &str) -> Result<Self, String> {
        let (path, value) =
            expr.split_once('=').ok_or_else(|| "expected KEY=VALUE, e.g. wearables.count=2000".to_string())?;
        let path = path.trim();
        if path.is_empty() || path.split('.').any(|seg| seg.trim().is_empty()) {
            return Err(format!("{path:?} is not a dotted key path such as links.ban.loss_prob"));
        }
        let raw = value.trim();
        // A text the `toml` parser rejects is not given to toml_edit, whose error recovery can panic (see
        // `locate::parse_document`).
        let parsed = raw.parse::<toml::Value>().ok().and_then(|_| Value::from_str(raw).ok());
        let value = parsed.unwrap_or_else(|| Value::from(raw));
        Ok(Override { path: path.to_string(), value: value.decorated(" ", "") })
    }
}

/// Applies `ov` to `doc`, creating tables along the path as needed.
pub fn apply(doc: &mut DocumentMut, ov: &Override) -> Result<(), String> {
    let segments: Vec<&str> = ov.path.split('.').map(str::trim).collect();
    let (last, parents) = segments.split_last().expect("paths are non-empty");
    let mut table = doc.as_table_mut() as &mut dyn toml_edit::TableLike;
    let mut walked = String::new();
    for seg in parents {
        if !walked.is_empty() {
            walked.push('.');
        }
        walked.push_str(seg);
        if table.get(seg).is_none() {
            let mut t = toml_edit::Table::new();
            t.set_implicit(true);
            table.insert(seg, Item::Table(t));
        }
        table = table
            .get_mut(seg)
            .and_then(Item::as_table_like_mut)
            .ok_or_else(|| format!("{walked} holds a value, not a table, so {} cannot be set", ov.path))?;
    }
    table.insert(last, Item::Value(ov.value.clone()));
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn set(text: &str, expr: &str) -> Result<String, String> {
        let mut doc: DocumentMut = text.parse().unwrap();
        apply(&mut doc, &expr.parse()?)?;
        Ok(doc.to_string())
    }

    #[test]
    fn sets_existing_and_new_keys() {
        let out = set("[wearables]\ncount = 5\n", "wearables.count=20000").unwrap();
        assert!(out.contains("count = 20000"), "{out}");
        let out = set("name = \"a\"\n", "links.ban.loss_prob=0.5").unwrap();
        let v: toml::Table = toml::from_str(&out).unwrap();
        assert_eq!(v["links"]["ban"]["loss_prob"].as_float(), Some(0.5));
    }

    #[test]
    fn bare_words_are_strings_and_arrays_parse() {
        let v: toml::Table = toml::from_str(&set("", "cloudlets.mesh=ring").unwrap()).unwrap();
        assert_eq!(v["cloudlets"]["mesh"].as_str(), Some("ring"));
        let v: toml::Table = toml::from_str(&set("", "cloudlets.wan_gateways=[0, 2]").unwrap()).unwrap();
        assert_eq!(v["cloudlets"]["wan_gateways"].as_array().unwrap().len(), 2);
    }

    #[test]
    fn malformed_overrides_are_rejected() {
        assert!("nokey".parse::<Override>().is_err());
        assert!("a..b=1".parse::<Override>().is_err());
        assert!(set("name = \"a\"\n", "name.first=1").unwrap_err().contains("not a table"));
    }
}
