//! Bad sweep files get one located error each, exit status 2 and no results folder.

use crate::common::{cli, stderr};

use super::setup;

/// One bad sweep file and what its message must say.
struct Bad {
    name: &'static str,
    /// Lines after `scenario = "base.toml"`.
    text: &'static str,
    /// `sweep.toml:LINE: key `KEY`` where known.
    located: &'static str,
    says: &'static [&'static str],
}

const BAD: &[Bad] = &[
    Bad {
        name: "unknown-key",
        text: "[vary]\n\"wearables.cont\" = [1, 2]\n",
        located: "sweep.toml:3: key `vary.wearables.cont`",
        says: &["not a valid setting of the base scenario", "unknown field `cont`", "expected one of"],
    },
    Bad {
        name: "unknown-table",
        text: "[vary]\nwearable.count = [1, 2]\n",
        located: "sweep.toml:3: key `vary.wearable.count`",
        says: &["unknown field `wearable`"],
    },
    Bad {
        name: "empty-range",
        text: "[vary]\n\"wearables.count\" = { from = 50, to = 10, step = 10 }\n",
        located: "sweep.toml:3: key `vary.wearables.count`",
        says: &["empty range: from = 50 is above to = 10"],
    },
    Bad {
        name: "zero-step",
        text: "[vary]\n\"wearables.count\" = { from = 10, to = 50, step = 0 }\n",
        located: "sweep.toml:3: key `vary.wearables.count`",
        says: &["step is 0"],
    },
    Bad {
        name: "never-reaches-end",
        text: "\n[vary]\n\"links.ban.loss_prob\" = { from = 0.0, to = 0.5, step = 0.2 }\n",
        located: "sweep.toml:4: key `vary.links.ban.loss_prob`",
        says: &["never reaches its end", "goes to 0.4 then 0.6, passing to = 0.5"],
    },
    Bad {
        name: "empty-list",
        text: "[vary]\n\"wearables.count\" = []\n",
        located: "sweep.toml:3: key `vary.wearables.count`",
        says: &["empty list"],
    },
    Bad {
        name: "value-out-of-range",
        text: "[vary]\n\"links.ban.loss_prob\" = [0.1, 1.5]\n",
        located: "sweep.toml:3: key `vary.links.ban.loss_prob`",
        says: &["links.ban.loss_prob = 1.5", "must be a probability in [0, 1)"],
    },
    Bad {
        name: "range-typo",
        text: "[vary]\n\"wearables.count\" = { from = 10, to = 50, stp = 10 }\n",
        located: "sweep.toml:3: key `vary.wearables.count`",
        says: &["unknown field `stp`", "a range is written { from = 1, to = 5, step = 1 }"],
    },
    Bad {
        name: "zip-lengths",
        text: "[zip]\n\"wearables.count\" = [10, 20]\n\"cloudlets.count\" = [2, 3, 4]\n",
        located: "sweep.toml:4: key `zip.cloudlets.count`",
        says: &["has 3 values but `zip.wearables.count` has 2"],
    },
    Bad {
        name: "seed-swept",
        text: "[vary]\nseed = [1, 2]\n",
        located: "sweep.toml:3: key `vary.seed`",
        says: &["cannot be swept"],
    },
    Bad {
        name: "unknown-sweep-key",
        text: "replicatons = 3\n",
        located: "sweep.toml:2: key `replicatons`",
        says: &["unknown field `replicatons`", "expected one of"],
    },
    Bad {
        name: "no-replications",
        text: "replications = 0\n",
        located: "sweep.toml:2: key `replications`",
        says: &["must be 1 to"],
    },
];

#[test]
fn bad_sweep_files_get_located_errors_and_no_folder() {
    for case in BAD {
        let dir = setup(&format!("sweep-bad-{}", case.name), &format!("scenario = \"base.toml\"\n{}", case.text));
        let o = cli(&dir, &["sweep", "sweep.toml", "--out", "out"]);
        let err = stderr(&o);
        assert_eq!(o.status.code(), Some(2), "{}: {err}", case.name);
        assert!(err.starts_with("error: invalid sweep sweep.toml (1 problem)"), "{}: {err}", case.name);
        assert!(err.contains(case.located), "{}: expected {:?} in: {err}", case.name, case.located);
        for s in case.says {
            assert!(err.contains(s), "{}: expected {s:?} in: {err}", case.name);
        }
        assert!(!err.contains("panicked"), "{}: {err}", case.name);
        assert!(!dir.join("out").exists(), "{}: a results folder appeared", case.name);
    }
    let dir = setup("sweep-bad-missing-base", "scenario = \"nowhere.toml\"\n");
    let err = stderr(&cli(&dir, &["sweep", "sweep.toml"]));
    assert!(err.contains("sweep.toml:1: key `scenario`: cannot read base scenario nowhere.toml"), "{err}");
}
