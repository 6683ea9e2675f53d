"""`cloudletsim.sweep`, `sweep_plan`, `ids_optimize` and `load` of their folders, against the command line."""

import json
from concurrent.futures import ThreadPoolExecutor

import pandas as pd
import pytest

import cloudletsim
from conftest import QUICKSTART, ROOT, run_cli


@pytest.fixture
def spec(tmp_path):
    """A small sweep of the quick-start scenario: 2 points × 2 replications of 20 simulated seconds."""
    path = tmp_path / "small-sweep.toml"
    path.write_text(
        f'scenario = {json.dumps(str(QUICKSTART))}\nseed = 4\nreplications = 2\nwarmup_s = 2.0\n\n[vary]\n'
        '"simulation.duration_s" = 20.0\n"wearables.count" = [200, 400]\n'
    )
    return path


def test_sweep_writes_the_same_tables_as_the_cli(cli, spec, tmp_path):
    run_cli(cli, "sweep", spec, "--out", tmp_path / "cli", "--jobs", 1)
    s = cloudletsim.sweep(spec, jobs=2, out=tmp_path / "py")
    for f in ("runs.csv", "summary.csv", "sweep.json"):
        assert (tmp_path / "cli" / f).read_bytes() == (tmp_path / "py" / f).read_bytes(), f
    stored = cloudletsim.load(tmp_path / "cli")
    assert isinstance(stored, cloudletsim.Sweep)
    pd.testing.assert_frame_equal(s.runs, stored.runs, check_exact=True)
    pd.testing.assert_frame_equal(s.summary, stored.summary, check_exact=True)
    assert len(s.runs) == 4 and len(s.summary) == 2
    assert list(s.summary["wearables.count"]) == [200, 400]
    assert s.summary.attrs["units"]["latency_s.p95.mean"] == "s"
    # without out: the same tables from a temporary folder
    pd.testing.assert_frame_equal(cloudletsim.sweep(spec).summary, stored.summary, check_exact=True)


def test_a_plan_fanned_out_gives_the_sweeps_runs(spec, tmp_path):
    s = cloudletsim.sweep(spec, out=tmp_path / "sweep")
    plan = cloudletsim.sweep_plan(spec)
    assert plan.scenario == QUICKSTART and len(plan.runs) == 4
    with ThreadPoolExecutor(max_workers=2) as pool:
        runs = list(pool.map(lambda r: cloudletsim.run(plan.scenario, overrides=r.overrides), plan.runs))
    for planned, r in zip(plan.runs, runs):
        stored = json.loads((s.path / "runs" / f"p{planned.point:06}-r{planned.replication:04}.json").read_text())
        assert stored["settings"] == planned.overrides
        assert r.summary == stored["summary"]


def test_sweep_errors_are_located(tmp_path, cli):
    bad = tmp_path / "bad-sweep.toml"
    bad.write_text(f'scenario = {json.dumps(str(QUICKSTART))}\nreplications = 2\n\n[vary]\n"wearables.cuont" = [1, 2]\n')
    p = run_cli(cli, "sweep", bad, "--out", tmp_path / "x", check=False)
    with pytest.raises(cloudletsim.ScenarioError) as e:
        cloudletsim.sweep(bad, out=tmp_path / "y")
    assert p.returncode == 2 and p.stderr == f"error: {e.value}\n"
    assert "cuont" in str(e.value)


def test_ids_optimize_matches_the_cli(cli, tmp_path):
    scenario = ROOT / "scenarios" / "chen2016-ids.toml"
    flags = ["--max-ids", 3, "--replications", 2, "--curve-points", 0, "--set", "simulation.duration_s=60"]
    run_cli(cli, "ids-optimize", scenario, *flags, "--out", tmp_path / "cli")
    o = cloudletsim.ids_optimize(scenario, overrides={"simulation.duration_s": 60}, max_ids=3, replications=2,
                                 curve_points=0, out=tmp_path / "py")
    for f in ("ids_tradeoff.csv", "optimum.json", "decision_tree.dot"):
        assert (tmp_path / "cli" / f).read_bytes() == (tmp_path / "py" / f).read_bytes(), f
    stored = cloudletsim.load(tmp_path / "cli")
    assert isinstance(stored, cloudletsim.IdsOptimization)
    pd.testing.assert_frame_equal(o.tradeoff, stored.tradeoff, check_exact=True)
    assert o.optimum == stored.optimum
    assert set(o.tradeoff["ids_count"]) == {1, 2, 3}
    with pytest.raises(cloudletsim.ScenarioError, match="--replications must be at least 2"):
        cloudletsim.ids_optimize(scenario, replications=1)
