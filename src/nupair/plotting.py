"""Shared figure style: labelled axes with units, log axes, reference overlays.

Figures are built with ``matplotlib.figure.Figure`` directly (no pyplot state machine, no global
style changes), so plotting is safe in threads, workers and tests.
"""

from __future__ import annotations

import numpy as np
from matplotlib.figure import Figure

__all__ = ["new_figure", "axis_label", "overlay_exponential", "plot_sweep", "STYLE"]

#: rc settings applied per figure (never globally)
STYLE = {
    "font.size": 9,
    "axes.grid": True,
    "grid.alpha": 0.3,
    "legend.fontsize": 8,
    "legend.frameon": False,
}


def new_figure(nrows: int = 1, ncols: int = 1, *, width_in: float = 7.0,
               height_in: float | None = None, title: str | None = None):
    """Create (figure, axes array of shape (nrows, ncols)) in the house style."""
    import matplotlib

    with matplotlib.rc_context(STYLE):
        fig = Figure(figsize=(width_in, height_in or 2.8 * nrows), layout="constrained")
        axes = fig.subplots(nrows, ncols, squeeze=False)
        for ax in axes.flat:
            ax.grid(True, alpha=STYLE["grid.alpha"])
    if title:
        fig.suptitle(title, fontsize=10)
    return fig, axes


def axis_label(quantity: str, unit: str | None) -> str:
    """'quantity [unit]', or just the quantity for dimensionless ones (unit None or '1')."""
    return quantity if unit in (None, "", "1") else f"{quantity} [{unit}]"


def overlay_exponential(ax, t: np.ndarray, t_anchor: float, y_anchor: float, rate: float,
                        label: str, **kwargs) -> None:
    """Draw y = y_anchor exp(rate (t - t_anchor)) as a dashed reference line."""
    t = np.asarray(t)
    kwargs.setdefault("ls", "--")
    kwargs.setdefault("lw", 1.0)
    kwargs.setdefault("color", "k")
    ax.plot(t, y_anchor * np.exp(rate * (t - t_anchor)), label=label, **kwargs)


def plot_sweep(ds, variable: str):
    """Heat map of ``variable`` over the first two sweep axes, or a line over a single axis
    (further axes are reduced by taking their first value)."""
    axes_names = ds.attrs.get("sweep_axes", ",".join(ds[variable].dims)).split(",")
    da = ds[variable]
    for extra in axes_names[2:]:
        da = da.isel({extra: 0})
    fig, axes = new_figure(1, 1, width_in=6.0, height_in=4.5,
                           title=f"{ds.attrs.get('scenario', '')}: {da.attrs.get('long_name', variable)}")
    ax = axes[0, 0]
    if len(axes_names) == 1:
        ax.plot(ds[axes_names[0]].values, da.values, "o-")
        ax.set_xlabel(axes_names[0])
        ax.set_ylabel(da.attrs.get("long_name", variable))
    else:
        x, y = axes_names[0], axes_names[1]
        mesh = ax.pcolormesh(ds[y].values, ds[x].values, da.transpose(x, y).values, shading="auto")
        fig.colorbar(mesh, ax=ax, label=da.attrs.get("long_name", variable))
        ax.set_xlabel(y)
        ax.set_ylabel(x)
    return fig
