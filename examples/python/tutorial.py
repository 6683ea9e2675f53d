"""cloudletsim from Python, in one page: run two small sweeps, load their folders back, and draw two figures.

    pip install ./python                          # once, from the repository's root (builds the package)
    python examples/python/tutorial.py OUT         # a few seconds; writes OUT/sweeps/ and OUT/*.png

1. `cloudletsim.sweep` runs a sweep file (as `cloudletsim sweep` does) into a results folder and returns its tables
   as pandas DataFrames: `runs` (one row per run) and `summary` (one row per point, with mean, std and a 95%
   interval of every value).
2. `cloudletsim.load` reads any results folder the package or the command line wrote.
3. matplotlib draws the IDS trade-off (detection rate against cost, one point per IDS count) and the energy each
   wearable spends per sample under five cryptographic schemes. Column units are in `df.attrs["units"]`.

.ci/run executes this script, so it keeps working.
"""

import sys
from pathlib import Path

import matplotlib

matplotlib.use("Agg")  # files only, no display
import matplotlib.pyplot as plt  # noqa: E402

import cloudletsim  # noqa: E402

HERE = Path(__file__).resolve().parent


def detection_vs_cost(summary, path):
    """The IDS trade-off: mean detection rate against mean cost per IDS count, with 95% intervals."""
    fig, ax = plt.subplots(figsize=(5, 3.5))
    x, y = summary["ids.detection_rate.mean"], summary["ids.cost.mean"]
    xerr = [x - summary["ids.detection_rate.ci95_low"], summary["ids.detection_rate.ci95_high"] - x]
    yerr = [y - summary["ids.cost.ci95_low"], summary["ids.cost.ci95_high"] - y]
    ax.errorbar(x, y, xerr=xerr, yerr=yerr, marker="o", capsize=3)
    for n, xi, yi in zip(summary["ids.count"], x, y):
        ax.annotate(f"{n}", (xi, yi), textcoords="offset points", xytext=(5, 5))
    ax.set_xlabel("detection rate")
    ax.set_ylabel("expected cost per item")
    ax.set_title("IDS nodes: detection against cost")
    fig.tight_layout()
    fig.savefig(path, dpi=120)
    plt.close(fig)


def energy_per_scheme(summary, path):
    """Energy a wearable spends per sample under each scheme (crypto and radio), in µJ, with 95% intervals."""
    column = "energy.wearable_per_sample_j.total"
    assert summary.attrs["units"][column + ".mean"] == "J"
    mean = summary[column + ".mean"] * 1e6
    err = [mean - summary[column + ".ci95_low"] * 1e6, summary[column + ".ci95_high"] * 1e6 - mean]
    fig, ax = plt.subplots(figsize=(5, 3.5))
    ax.bar(summary["crypto.scheme"], mean, yerr=err, capsize=3)
    ax.set_ylabel("wearable energy per sample (µJ)")
    ax.set_title("Energy per scheme")
    ax.tick_params(axis="x", labelrotation=30)
    fig.tight_layout()
    fig.savefig(path, dpi=120)
    plt.close(fig)


def main(out: Path) -> None:
    out.mkdir(parents=True, exist_ok=True)
    ids = cloudletsim.sweep(HERE / "tutorial-ids.toml", out=out / "sweeps" / "ids")
    schemes = cloudletsim.sweep(HERE / "tutorial-schemes.toml", out=out / "sweeps" / "schemes")

    # A results folder reads back the same, whoever wrote it (the CLI's `cloudletsim sweep` too).
    again = cloudletsim.load(out / "sweeps" / "ids")
    assert again.summary.equals(ids.summary)

    detection_vs_cost(again.summary, out / "detection_vs_cost.png")
    energy_per_scheme(schemes.summary, out / "energy_per_scheme.png")

    best = ids.summary.loc[ids.summary["ids.cost.mean"].idxmin()]
    print(f"{len(ids.runs)} + {len(schemes.runs)} runs; lowest mean cost with {int(best['ids.count'])} IDS nodes "
          f"(detection rate {best['ids.detection_rate.mean']:.3f}, cost {best['ids.cost.mean']:.4f})")
    print(f"figures: {out / 'detection_vs_cost.png'}, {out / 'energy_per_scheme.png'}")


if __name__ == "__main__":
    if len(sys.argv) != 2:
        sys.exit("usage: python examples/python/tutorial.py OUT_FOLDER")
    main(Path(sys.argv[1]))
