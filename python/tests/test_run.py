"""`cloudletsim.run`, `load` and `validate` against the command line: same files, same numbers, same messages."""

import os
import sys
import tempfile
import threading
import time

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover - the tests run on 3.11 in CI
    tomllib = None

import pandas as pd
import pytest

import cloudletsim
from conftest import QUICKSTART, SMALL, result_files, run_cli, sets_args


def test_run_writes_the_same_files_as_the_cli(cli, tmp_path):
    by_cli, by_py = tmp_path / "cli", tmp_path / "py"
    run_cli(cli, "run", QUICKSTART, "--seed", 11, *sets_args(SMALL), "--out", by_cli)
    r = cloudletsim.run(str(QUICKSTART), overrides=SMALL, seed=11, out=by_py)
    assert r.path == by_py
    files = result_files(by_cli)
    assert files == result_files(by_py)
    assert {"summary.json", "nodes.csv", "energy.csv", "latency_cdf.csv", "scenario.resolved.toml"} <= set(files)
    for f in files:
        assert (by_cli / f).read_bytes() == (by_py / f).read_bytes(), f
    assert r.manifest["kind"] == "run"


def test_run_without_out_gives_the_same_numbers_and_leaves_nothing(cli, tmp_path, monkeypatch):
    by_cli = tmp_path / "cli"
    run_cli(cli, "run", QUICKSTART, "--seed", 5, *sets_args(SMALL), "--out", by_cli)
    made = []
    real_mkdtemp = tempfile.mkdtemp

    def recording_mkdtemp(*args, **kwargs):
        made.append(real_mkdtemp(*args, **kwargs))
        return made[-1]

    monkeypatch.setattr(tempfile, "mkdtemp", recording_mkdtemp)
    r = cloudletsim.run(QUICKSTART, overrides=SMALL, seed=5)
    assert r.path is None
    assert len(made) == 1 and not os.path.exists(made[0])
    stored = cloudletsim.load(by_cli)
    assert isinstance(stored, cloudletsim.Run)
    assert r.summary == stored.summary
    assert r.summary["packets"]["generated"] > 0
    for name in ("nodes", "energy", "latency_cdf"):
        pd.testing.assert_frame_equal(getattr(r, name), getattr(stored, name), check_exact=True)


@pytest.mark.skipif(tomllib is None, reason="tomllib needs Python 3.11")
def test_a_dict_scenario_runs_like_its_file():
    with open(QUICKSTART, "rb") as f:
        as_dict = tomllib.load(f)
    from_file = cloudletsim.run(QUICKSTART, overrides=SMALL, seed=3)
    from_dict = cloudletsim.run(as_dict, overrides=SMALL, seed=3)
    assert from_dict.summary == from_file.summary
    pd.testing.assert_frame_equal(from_dict.nodes, from_file.nodes, check_exact=True)
    pd.testing.assert_frame_equal(from_dict.energy, from_file.energy, check_exact=True)
    # and the dict itself, changed, is what runs
    as_dict["wearables"]["count"] = 100
    as_dict["simulation"]["duration_s"] = 30.0
    assert cloudletsim.run(as_dict, seed=3).summary["scenario"]["wearables"] == 100


def test_overrides_are_set_semantics(cli, tmp_path):
    # an int, a float, a string and a list, given to --set as text and to run() as Python values
    text = {**SMALL, "links.ban.loss_prob": 0.05, "patients.attach": "nearest",
            "wearables.sensors": '["heart_rate", "spo2"]'}
    values = {**SMALL, "links.ban.loss_prob": 0.05, "patients.attach": "nearest",
              "wearables.sensors": ["heart_rate", "spo2"]}
    run_cli(cli, "run", QUICKSTART, "--seed", 2, *sets_args(text), "--out", tmp_path / "cli")
    r = cloudletsim.run(QUICKSTART, overrides=values, seed=2, out=tmp_path / "py")
    for f in result_files(tmp_path / "cli"):
        assert (tmp_path / "cli" / f).read_bytes() == (tmp_path / "py" / f).read_bytes(), f
    # the same overrides as --set strings
    strings = [f"{k}={v}" for k, v in text.items()] + ["seed=2"]
    assert cloudletsim.run(QUICKSTART, overrides=strings).summary == r.summary


def test_columns_and_units(tmp_path):
    r = cloudletsim.run(QUICKSTART, overrides=SMALL, seed=1, out=tmp_path / "r")
    for name, file in (("nodes", "nodes.csv"), ("energy", "energy.csv"), ("latency_cdf", "latency_cdf.csv")):
        df = getattr(r, name)
        header = (tmp_path / "r" / file).read_text().splitlines()[0].split(",")
        assert list(df.columns) == header
        assert set(df.attrs["units"]) == set(header)
    assert r.nodes.attrs["units"]["x_m"] == "m"
    assert r.nodes.attrs["units"]["bytes_sent"] == "B"
    assert r.nodes.attrs["units"]["samples_generated"] == ""
    assert r.energy.attrs["units"]["radio_tx_j"] == "J"
    assert r.energy.attrs["units"]["death_time_s"] == "s"
    assert r.latency_cdf.attrs["units"] == {"latency_s": "s", "fraction": ""}
    scenario = r.summary["scenario"]
    assert len(r.nodes) == scenario["wearables"] + scenario["patients"] + scenario["cloudlets"] + 1
    assert r.latency_cdf["fraction"].iloc[-1] == 1.0
    # no [output] interval_s: no timeseries.csv, an empty frame
    assert r.timeseries.empty


@pytest.mark.parametrize(
    "column,unit",
    [("latency_s.p95", "s"), ("energy.per_sample_j.total", "J"), ("throughput.offered_samples_per_s", "samples/s"),
     ("throughput.delivered_payload_bytes_per_s", "B/s"), ("wearable_crypto_j_per_sample", "J/sample"),
     ("scenario.duration_s.n", ""), ("crypto.processor.wearable.clock_hz", "Hz"), ("packets.delivery_ratio", ""),
     ("hop_latency_s.ban.ci95_low", "s"), ("wearable_lifetime_days", "d"), ("kind", "")],
)
def test_unit_of(column, unit):
    assert cloudletsim.unit_of(column) == unit


def test_errors_carry_the_cli_message(cli, tmp_path):
    bad = tmp_path / "bad.toml"
    bad.write_text(QUICKSTART.read_text().replace("count = 8\n", "count = -8\n", 1))
    p = run_cli(cli, "run", bad, "--out", tmp_path / "x", check=False)
    assert p.returncode == 2
    with pytest.raises(cloudletsim.ScenarioError) as e:
        cloudletsim.run(str(bad), out=tmp_path / "y")
    assert isinstance(e.value, ValueError)
    assert p.stderr == f"error: {e.value}\n"
    line = 1 + QUICKSTART.read_text().split("count = 8\n")[0].count("\n")
    assert f"{bad}:{line}: key `cloudlets.count`" in str(e.value)
    assert not (tmp_path / "y").exists()
    # an override: located as --set, same text as the CLI
    p = run_cli(cli, "validate", QUICKSTART, "--set", "links.ban.loss_prob=2", check=False)
    with pytest.raises(cloudletsim.ScenarioError) as e:
        cloudletsim.validate(QUICKSTART, overrides={"links.ban.loss_prob": 2})
    assert p.stderr == f"error: {e.value}\n"
    assert "(--set): key `links.ban.loss_prob`" in str(e.value)
    # a misspelt key in a dict scenario names <dict>
    with pytest.raises(cloudletsim.ScenarioError, match=r"<dict>:\d+: key `wearables.cuont`.*did you mean `count`"):
        cloudletsim.run({"wearables": {"cuont": 3}})
    with pytest.raises(cloudletsim.ScenarioError, match="cannot read scenario file"):
        cloudletsim.run(tmp_path / "missing.toml")


def test_a_foreign_folder_is_not_overwritten(cli, tmp_path):
    out = tmp_path / "mine"
    out.mkdir()
    (out / "notes.txt").write_text("my notes")
    p = run_cli(cli, "run", QUICKSTART, *sets_args(SMALL), "--out", out, check=False)
    with pytest.raises(cloudletsim.OutputFolderError) as e:
        cloudletsim.run(QUICKSTART, overrides=SMALL, out=out)
    assert isinstance(e.value, OSError)
    assert p.returncode == 2 and p.stderr == f"error: {e.value}\n"
    assert sorted(os.listdir(out)) == ["notes.txt"] and (out / "notes.txt").read_text() == "my notes"
    # a run folder cloudletsim wrote is replaced, like the CLI does
    done = tmp_path / "done"
    cloudletsim.run(QUICKSTART, overrides=SMALL, seed=1, out=done)
    again = cloudletsim.run(QUICKSTART, overrides=SMALL, seed=2, out=done)
    assert cloudletsim.load(done).summary == again.summary
    with pytest.raises(cloudletsim.OutputFolderError, match="no manifest.json"):
        cloudletsim.load(out)


def test_runs_release_the_gil():
    # While a run simulates in another thread, this thread keeps running Python: the longest pause between two of
    # its steps stays far below the run's length (with the GIL held it would be about the whole run).
    overrides = {"wearables.count": 2000, "simulation.duration_s": 300.0}
    results, steps = [], []

    def work():
        results.append(cloudletsim.run(QUICKSTART, overrides=overrides, seed=9))

    threads = [threading.Thread(target=work) for _ in range(2)]
    start = time.perf_counter()
    for t in threads:
        t.start()
    while any(t.is_alive() for t in threads):
        steps.append(time.perf_counter())
        time.sleep(0.001)
    for t in threads:
        t.join()
    took = time.perf_counter() - start
    assert len(results) == 2 and results[0].summary == results[1].summary
    longest_pause = max(b - a for a, b in zip(steps, steps[1:]))
    assert took > 0.5, "the runs should take long enough to measure"
    assert longest_pause < took / 4, (longest_pause, took)


def test_timeseries_is_the_cli_file_and_adds_up_to_the_summary(cli, tmp_path):
    """With `output.interval_s`, `Run.timeseries` is the CLI's timeseries.csv (byte for byte on disk, exactly in
    the DataFrame), its counts sum to the run's totals, and its units follow the column names."""
    overrides = {**SMALL, "output.interval_s": 7.0}
    by_cli = tmp_path / "cli"
    run_cli(cli, "run", QUICKSTART, "--seed", 4, *sets_args(overrides), "--out", by_cli)
    r = cloudletsim.run(QUICKSTART, overrides=overrides, seed=4, out=tmp_path / "py")
    assert (by_cli / "timeseries.csv").read_bytes() == (tmp_path / "py" / "timeseries.csv").read_bytes()
    ts = r.timeseries
    header = (by_cli / "timeseries.csv").read_text().splitlines()[0].split(",")
    assert list(ts.columns) == header
    # 30 s of generation plus the drain, in 7 s intervals: at least five rows, the last one possibly shorter.
    assert len(ts) >= 5
    assert (ts["interval_end_s"] - ts["interval_start_s"]).iloc[:-1].eq(7.0).all()
    packets = r.summary["packets"]
    assert ts["generated"].sum() == packets["generated"] > 0
    assert ts["delivered"].sum() == packets["delivered"]
    units = ts.attrs["units"]
    assert units["interval_start_s"] == "s" and units["latency_p95_s"] == "s"
    assert units["energy_wearable_j"] == "J" and units["generated"] == ""
    # Without the key there is no file and an empty frame.
    assert cloudletsim.run(QUICKSTART, overrides=SMALL, seed=4).timeseries.empty
