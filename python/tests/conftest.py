"""Fixtures of the Python package's tests: the repository's root, and the command-line binary to compare with
(``$CLOUDLETSIM_BIN`` if set, as .ci/run sets it; otherwise built here with cargo)."""

import json
import os
import subprocess
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
QUICKSTART = ROOT / "scenarios" / "quickstart.toml"
#: Overrides that make the quick-start scenario a run of a second or so.
SMALL = {"wearables.count": 300, "simulation.duration_s": 30.0}


@pytest.fixture(scope="session")
def cli() -> Path:
    """The `cloudletsim` binary of this repository."""
    env = os.environ.get("CLOUDLETSIM_BIN")
    if env:
        return Path(env)
    subprocess.run(["cargo", "build", "--quiet", "--bin", "cloudletsim"], cwd=ROOT, check=True)
    meta = subprocess.run(
        ["cargo", "metadata", "--format-version", "1", "--no-deps"], cwd=ROOT, check=True, capture_output=True
    )
    return Path(json.loads(meta.stdout)["target_directory"]) / "debug" / "cloudletsim"


def sets_args(overrides):
    """`--set KEY=VALUE` arguments of a dict of overrides (values as `--set` reads them)."""
    args = []
    for key, value in overrides.items():
        args += ["--set", f"{key}={value}"]
    return args


def run_cli(cli, *args, check=True):
    """Runs the binary quietly; returns the completed process (stdout and stderr as text)."""
    p = subprocess.run([str(cli), "--quiet", *map(str, args)], capture_output=True, text=True)
    if check and p.returncode != 0:
        raise AssertionError(f"cloudletsim {' '.join(map(str, args))} failed ({p.returncode}): {p.stderr}")
    return p


def result_files(folder: Path):
    """The files a results folder's manifest lists, but timing.json and manifest.json (which differ by nature)."""
    files = json.loads((folder / "manifest.json").read_text())["files"]
    return sorted(f for f in files if f not in ("timing.json", "manifest.json"))
