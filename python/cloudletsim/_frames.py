"""Reading results folders into Python: JSON files into dicts, CSV files into pandas DataFrames with their units.

Units come from the column names, by the suffix conventions cloudletsim uses everywhere (docs/python.md):
a name part ending in ``_s`` is in seconds, ``_ms`` milliseconds, ``_j`` joules, ``_m`` metres, ``_hz`` hertz,
``_w`` watts, ``_days`` days, ``_bytes`` (or a leading ``bytes_``) bytes; ``X_per_s`` is X per second (``samples_per_s`` is
``samples/s``) and ``_j_per_sample`` joules per sample. In a dotted column (``latency_s.p95``,
``energy.per_sample_j.total``) the last part that carries a unit gives it; ``.n`` and ``.count`` are counts.
Every other column (counts, ratios, rates, names, flags) has the unit ``""``.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any, Dict

import pandas as pd

#: Unit suffixes of column names (the word after the last ``_``) and the unit they stand for.
UNIT_SUFFIXES: Dict[str, str] = {
    "s": "s",
    "ms": "ms",
    "us": "µs",
    "j": "J",
    "m": "m",
    "hz": "Hz",
    "w": "W",
    "days": "d",
    "bytes": "B",
}

#: How a quantity before ``_per_<unit>`` is written in a rate's unit (``bytes_per_s`` is ``B/s``).
_QUANTITY: Dict[str, str] = {"bytes": "B", "j": "J"}

#: pandas 3 parses floats exactly by default and deprecates asking for it; earlier versions need ``round_trip``.
_READ_OPTIONS: Dict[str, Any] = {} if int(pd.__version__.split(".")[0]) >= 3 else {"float_precision": "round_trip"}

#: Final parts of a dotted column that are counts whatever the rest says (``latency_s.n``).
_COUNT_PARTS = {"n", "count"}


def _part_unit(part: str) -> str | None:
    """The unit a name part such as ``latency_s`` or ``crypto_j_per_sample`` carries, or None."""
    words = part.split("_")
    for i in range(len(words) - 1, 0, -1):
        word = words[i]
        if word not in UNIT_SUFFIXES:
            continue
        if words[i - 1] == "per":
            if i < 2:
                return None
            quantity = words[i - 2]
            return f"{_QUANTITY.get(quantity, quantity)}/{UNIT_SUFFIXES[word]}"
        if i + 2 < len(words) and words[i + 1] == "per":
            return f"{UNIT_SUFFIXES[word]}/{words[i + 2]}"
        if i == len(words) - 1:
            return UNIT_SUFFIXES[word]
    if words[0] == "bytes" and len(words) > 1:
        return "B"
    return None


def unit_of(column: str) -> str:
    """The unit of a results column by cloudletsim's naming conventions (``""`` for counts, ratios and names).

    >>> unit_of("latency_s.p95"), unit_of("radio_tx_j"), unit_of("throughput.delivered_payload_bytes_per_s")
    ('s', 'J', 'B/s')
    """
    parts = column.split(".")
    if len(parts) > 1 and parts[-1] in _COUNT_PARTS:
        return ""
    for part in reversed(parts):
        unit = _part_unit(part)
        if unit is not None:
            return unit
    return ""


def read_csv(path: Path) -> pd.DataFrame:
    """A cloudletsim CSV file as a DataFrame: columns as in the file, numbers parsed exactly (round trip), and
    ``df.attrs["units"]`` mapping every column to its unit (:func:`unit_of`)."""
    df = pd.read_csv(path, **_READ_OPTIONS)
    df.attrs["units"] = {c: unit_of(c) for c in df.columns}
    return df


def read_csv_or_empty(path: Path) -> pd.DataFrame:
    """Like :func:`read_csv`, or an empty DataFrame (with empty units) when the file is not there."""
    if path.is_file():
        return read_csv(path)
    df = pd.DataFrame()
    df.attrs["units"] = {}
    return df


def read_json(path: Path) -> Any:
    """A JSON file as Python values."""
    with open(path, encoding="utf-8") as f:
        return json.load(f)
