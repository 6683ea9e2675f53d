"""cloudletsim from Python: run scenarios, sweeps and ``ids-optimize`` with the same Rust library as the command line,
and read any results folder as pandas DataFrames.

>>> import cloudletsim
>>> r = cloudletsim.run("scenarios/quickstart.toml", overrides={"wearables.count": 200}, seed=7)
>>> r.summary["packets"]["delivery_ratio"], r.nodes.attrs["units"]["x_m"]

Every simulation releases the GIL, so runs in several Python threads proceed in parallel. The results are those of
``cloudletsim run`` (``sweep``, ``ids-optimize``) for the same inputs, byte for byte. See docs/python.md.
"""

from __future__ import annotations

import os
import shutil
import tempfile
from pathlib import Path
from typing import Any, Dict, List, Mapping, NamedTuple, Optional, Sequence, Union

import pandas as pd

from . import _native
from ._frames import read_csv, read_csv_or_empty, read_json, unit_of
from ._native import OutputFolderError, ScenarioError, SimulationError

__all__ = [
    "run",
    "sweep",
    "sweep_plan",
    "SweepPlan",
    "PlannedRun",
    "ids_optimize",
    "load",
    "validate",
    "Run",
    "Sweep",
    "IdsOptimization",
    "ScenarioError",
    "OutputFolderError",
    "SimulationError",
    "unit_of",
    "DEFAULT_MAX_EVENTS",
]

#: The command line's default ``--max-events``: a scenario expected to process more events is refused.
DEFAULT_MAX_EVENTS: int = _native.DEFAULT_MAX_EVENTS

Scenario = Union[str, "os.PathLike[str]", Mapping[str, Any]]
PathLike = Union[str, "os.PathLike[str]"]
Overrides = Union[Mapping[str, Any], Sequence[str]]


class Run:
    """A run's results folder, read: what ``cloudletsim run`` writes.

    Attributes:
        summary: ``summary.json`` as a nested dict.
        nodes: ``nodes.csv``, one row per node.
        energy: ``energy.csv``, one row per node.
        latency_cdf: ``latency_cdf.csv``, the end-to-end latency distribution.
        timeseries: ``timeseries.csv`` (written when ``[output] interval_s`` is set), else an empty DataFrame.
        resolved_scenario: ``scenario.resolved.toml``, the scenario with every key in force, as text.
        manifest: ``manifest.json`` as a dict (provenance: version, command line, files).
        path: the folder, or None when the run was made without ``out`` (its temporary folder is gone).

    Every DataFrame keeps the files' column names, and ``df.attrs["units"]`` maps each column to its unit.
    """

    def __init__(self, folder: PathLike, keep_path: bool = True):
        folder = Path(folder)
        self.summary: Dict[str, Any] = read_json(folder / "summary.json")
        self.nodes: pd.DataFrame = read_csv(folder / "nodes.csv")
        self.energy: pd.DataFrame = read_csv(folder / "energy.csv")
        self.latency_cdf: pd.DataFrame = read_csv(folder / "latency_cdf.csv")
        self.timeseries: pd.DataFrame = read_csv_or_empty(folder / "timeseries.csv")
        self.resolved_scenario: str = (folder / "scenario.resolved.toml").read_text(encoding="utf-8")
        self.manifest: Dict[str, Any] = read_json(folder / "manifest.json")
        self.path: Optional[Path] = folder if keep_path else None

    def __repr__(self) -> str:
        s = self.summary.get("scenario", {})
        return f"<cloudletsim.Run {s.get('name')!r} seed={s.get('seed')} path={self.path}>"


class Sweep:
    """A sweep's results folder, read: what ``cloudletsim sweep`` (or ``merge``) writes.

    Attributes:
        runs: ``runs.csv``, one row per run (point, replication, seed, the varied keys, every summary value).
        summary: ``summary.csv``, one row per point: mean, std, 95% interval and n of every numeric value.
        spec: ``sweep.json`` as a dict (the sweep as it ran).
        manifest: ``manifest.json`` as a dict.
        path: the folder, or None when the sweep was made without ``out``.
    """

    def __init__(self, folder: PathLike, keep_path: bool = True):
        folder = Path(folder)
        self.runs: pd.DataFrame = read_csv(folder / "runs.csv")
        self.summary: pd.DataFrame = read_csv(folder / "summary.csv")
        self.spec: Dict[str, Any] = read_json(folder / "sweep.json")
        self.manifest: Dict[str, Any] = read_json(folder / "manifest.json")
        self.path: Optional[Path] = folder if keep_path else None

    def __repr__(self) -> str:
        return f"<cloudletsim.Sweep {len(self.summary)} points, {len(self.runs)} runs, path={self.path}>"


class IdsOptimization:
    """An ``ids-optimize`` results folder, read.

    Attributes:
        tradeoff: ``ids_tradeoff.csv``, the trade-off table: analytic then simulated rows by IDS count.
        optimum: ``optimum.json`` as a dict (the chosen IDS count, its rates and cost, the paired steps).
        manifest: ``manifest.json`` as a dict.
        path: the folder, or None when made without ``out``.
    """

    def __init__(self, folder: PathLike, keep_path: bool = True):
        folder = Path(folder)
        self.tradeoff: pd.DataFrame = read_csv(folder / "ids_tradeoff.csv")
        self.optimum: Dict[str, Any] = read_json(folder / "optimum.json")
        self.manifest: Dict[str, Any] = read_json(folder / "manifest.json")
        self.path: Optional[Path] = folder if keep_path else None

    def __repr__(self) -> str:
        return f"<cloudletsim.IdsOptimization optimum={self.optimum.get('ids_count')} path={self.path}>"


_READERS = {"run": Run, "sweep": Sweep, "ids-optimize": IdsOptimization}


def load(path: PathLike) -> Union[Run, Sweep, IdsOptimization]:
    """Reads a results folder written by the command line or by this package: a run folder gives a :class:`Run`, a
    sweep folder a :class:`Sweep`, an ``ids-optimize`` folder an :class:`IdsOptimization` (``manifest.json``'s
    ``kind`` says which). Raises :class:`OutputFolderError` for a folder cloudletsim did not write, or of another
    kind."""
    folder = Path(path)
    manifest = folder / "manifest.json"
    if not manifest.is_file():
        raise OutputFolderError(
            f"{folder}: no manifest.json, so not a results folder cloudletsim wrote; allowed: a folder written by "
            f"`cloudletsim run`, `sweep`, `merge` or `ids-optimize` (or by this package)"
        )
    kind = read_json(manifest).get("kind")
    reader = _READERS.get(kind)
    if reader is None:
        raise OutputFolderError(
            f"{folder}: manifest.json says kind {kind!r}; allowed: {', '.join(repr(k) for k in _READERS)}"
        )
    return reader(folder)


def _scenario_input(scenario: Scenario, overrides: Optional[Overrides], seed: Optional[int]):
    """The scenario's text, the file that labels its messages, and the ``--set`` strings (the seed last)."""
    if isinstance(scenario, Mapping):
        text, label = _native.scenario_toml(dict(scenario)), "<dict>"
    elif isinstance(scenario, (str, os.PathLike)):
        label = os.fspath(scenario)
        text = _native.read_text(label)
    else:
        raise TypeError(f"scenario: expected a path or a dict shaped like a scenario file, not {type(scenario).__name__}")
    if overrides is None:
        sets = []
    elif isinstance(overrides, Mapping):
        sets = [f"{key}={_native.override_value(key, value)}" for key, value in overrides.items()]
    elif isinstance(overrides, Sequence) and not isinstance(overrides, str) and all(isinstance(o, str) for o in overrides):
        sets = list(overrides)
    else:
        raise TypeError("overrides: expected a dict of dotted key -> value, or a list of 'KEY=VALUE' strings")
    if seed is not None:
        sets.append(f"seed={_native.override_value('seed', seed)}")
    return text, label, sets


class _Target:
    """Where a call writes: ``out``, or a temporary folder this package creates and removes afterwards."""

    def __init__(self, out: Optional[PathLike], name: str):
        self.temp = None if out is not None else tempfile.mkdtemp(prefix="cloudletsim-")
        self.path = Path(out) if out is not None else Path(self.temp) / name

    def read(self, reader, folder):
        try:
            return reader(folder, keep_path=self.temp is None)
        finally:
            self.close()

    def close(self):
        if self.temp is not None:
            shutil.rmtree(self.temp, ignore_errors=True)
            self.temp = None


def validate(
    scenario: Scenario,
    overrides: Optional[Overrides] = None,
    seed: Optional[int] = None,
    *,
    max_events: int = DEFAULT_MAX_EVENTS,
) -> None:
    """Checks a scenario (keys, values, budget, and that its network can be built) without running it; raises
    :class:`ScenarioError` with the command line's located message if it is invalid."""
    text, label, sets = _scenario_input(scenario, overrides, seed)
    _native.validate(text, label, sets, max_events)


def run(
    scenario: Scenario,
    overrides: Optional[Overrides] = None,
    seed: Optional[int] = None,
    out: Optional[PathLike] = None,
    *,
    force: bool = False,
    max_events: int = DEFAULT_MAX_EVENTS,
    real_crypto: bool = False,
) -> Run:
    """Runs one scenario, as ``cloudletsim run`` does, and returns its results.

    Args:
        scenario: a scenario file's path, or a dict shaped like the TOML (``{"wearables": {"count": 200}, ...}``;
            error messages then name the file ``<dict>``, and line numbers count in the dict written as TOML).
        overrides: dotted key -> value, as ``--set key=value`` (``{"links.ban.loss_prob": 0.1}``), applied in order;
            or a list of ``"KEY=VALUE"`` strings, exactly as ``--set`` takes them (as :func:`sweep_plan` gives them).
        seed: the seed, as ``--seed``.
        out: the run folder to write, as ``--out``: refused, like the command line, if it exists and cloudletsim did
            not write it as a run folder (unless ``force``). None: the results are read from a temporary folder
            that is then removed (``Run.path`` is None).
        force: as ``--force``: write into a folder cloudletsim did not write, deleting only files a manifest lists.
        max_events: as ``--max-events`` (0: no limit).
        real_crypto: as ``--real-crypto``.

    Raises:
        ScenarioError: the scenario, an override or the budget is invalid (the message locates it).
        OutputFolderError: ``out`` cannot be written or may not be replaced.
        SimulationError: the run could not start.
    """
    text, label, sets = _scenario_input(scenario, overrides, seed)
    target = _Target(out, "run")
    try:
        folder = _native.run(text, label, sets, os.fspath(target.path), force, max_events, real_crypto)
    except BaseException:
        target.close()
        raise
    return target.read(Run, folder)


def sweep(
    spec: PathLike,
    jobs: Optional[int] = None,
    out: Optional[PathLike] = None,
    *,
    force: bool = False,
    max_events: int = DEFAULT_MAX_EVENTS,
) -> Sweep:
    """Runs (or resumes) a sweep file, as ``cloudletsim sweep`` does, and returns its tables.

    Args:
        spec: the sweep file's path (docs/sweeps.md); its base scenario is read relative to it.
        jobs: worker threads (None or 0: one per core); the results do not depend on it.
        out: the sweep folder, as ``--out``; an interrupted sweep resumes there. None: a temporary folder, removed
            after reading (``Sweep.path`` is None).
        force: as ``--force``.
        max_events: as ``--max-events``, per run.
    """
    target = _Target(out, "sweep")
    try:
        folder, complete = _native.sweep(os.fspath(spec), os.fspath(target.path), jobs or 0, force, max_events)
    except BaseException:
        target.close()
        raise
    if not complete:  # only a shard leaves a sweep incomplete, and this function runs no shards
        target.close()
        raise SimulationError(f"{folder}: the sweep did not complete")
    return target.read(Sweep, folder)


class PlannedRun(NamedTuple):
    """One run of a sweep: its point, its replication, and its overrides as ``--set`` strings."""

    point: int
    replication: int
    overrides: List[str]


class SweepPlan(NamedTuple):
    """A sweep's runs, not run: ``run(plan.scenario, overrides=r.overrides)`` for each ``r`` in ``plan.runs`` gives
    the summary :func:`sweep` stores for that run (in ``runs/``), so any engine (threads, Dask, Ray) can run them."""

    scenario: Path
    runs: List[PlannedRun]


def sweep_plan(spec: PathLike) -> SweepPlan:
    """The runs of a sweep file without running them (see :class:`SweepPlan`); raises :class:`ScenarioError` if the
    sweep file is invalid."""
    scenario, runs = _native.sweep_plan(os.fspath(spec))
    return SweepPlan(Path(scenario), [PlannedRun(p, r, list(o)) for p, r, o in runs])


def ids_optimize(
    scenario: Scenario,
    overrides: Optional[Overrides] = None,
    seed: Optional[int] = None,
    *,
    max_ids: Optional[int] = None,
    target_detection: float = 0.0,
    max_false_alarm: float = 1.0,
    replications: int = 10,
    curve_points: int = 10,
    sensitivity: bool = False,
    jobs: Optional[int] = None,
    out: Optional[PathLike] = None,
    force: bool = False,
    max_events: int = DEFAULT_MAX_EVENTS,
) -> IdsOptimization:
    """Chooses the number of IDS nodes, as ``cloudletsim ids-optimize`` does, and returns the trade-off table
    (``.tradeoff``, a DataFrame) and the optimum (``.optimum``).

    The options are the command's flags (``max_ids`` None: 8, or the number of cloudlets if fewer); ``scenario``,
    ``overrides``, ``seed``, ``out`` and ``force`` are as in :func:`run`.
    """
    text, label, sets = _scenario_input(scenario, overrides, seed)
    target = _Target(out, "ids-optimize")
    try:
        folder = _native.ids_optimize(
            text,
            label,
            sets,
            os.fspath(target.path),
            max_ids or 0,
            target_detection,
            max_false_alarm,
            replications,
            curve_points,
            sensitivity,
            jobs or 0,
            force,
            max_events,
        )
    except BaseException:
        target.close()
        raise
    return target.read(IdsOptimization, folder)
