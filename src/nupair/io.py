"""File handling: atomic writes of netCDF/JSON/TOML/PNG, provenance attributes, checkpoints.

Every writer goes through :func:`atomic_write`: the data is written to a temporary file in the
target directory, flushed and fsync'ed, then renamed over the target (``os.replace`` is atomic
on POSIX and Windows). A killed run therefore leaves either the old file or the new one, never
a truncated one.
"""

from __future__ import annotations

import contextlib
import datetime as _dt
import errno
import hashlib
import json
import math
import os
import platform
import sys
import tempfile
from pathlib import Path
from typing import Any, Callable, Iterator

import numpy as np

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover - Python 3.10
    import tomli as tomllib

import tomli_w

__all__ = [
    "FileFault",
    "file_errors",
    "fault_from_os_error",
    "atomic_write",
    "write_text",
    "write_json",
    "write_toml",
    "read_toml",
    "write_netcdf",
    "write_figure",
    "provenance",
    "parameters_hash",
    "check_units",
    "Checkpoint",
    "pair_evolution_dataset",
]


class FileFault(Exception):
    """A file nupair was asked to write or read cannot be: the disk is full, the file system is
    read-only, permission is denied, a folder is missing, or the file is damaged or not of the
    expected kind. This is the user's environment, not a bug: the command line prints the message
    (one line naming the file and what to do) and exits 2; ``path`` is the file, ``errno`` the
    operating system's error number (None for a damaged file)."""

    def __init__(self, message: str, path: str | os.PathLike | None = None, errno: int | None = None):
        super().__init__(message)
        self.path = None if path is None else Path(path)
        self.errno = errno


#: errno -> (what happened, what to do)
_FAULTS = {
    errno.ENOSPC: ("no space left on the device", "free some space or choose a folder on another disk"),
    errno.EDQUOT: ("the disk quota is exceeded", "free some space or choose a folder on another disk"),
    errno.EROFS: ("the file system is read-only", "choose a writable folder"),
    errno.EACCES: ("permission denied", "choose a folder you may write, or fix its permissions"),
    errno.EPERM: ("operation not permitted", "choose a folder you may write, or fix its permissions"),
    errno.ENOENT: ("a folder on the path does not exist", "check the path"),
    errno.ENOTDIR: ("a part of the path is not a folder", "check the path"),
    errno.EISDIR: ("it is a folder", "give a file name"),
    errno.EIO: ("an input/output error of the device", "check the disk"),
}


def fault_from_os_error(exc: OSError, action: str, path: str | os.PathLike) -> FileFault:
    """One plain line for an ``OSError`` met while ``action``-ing ``path`` (e.g. "write")."""
    what, todo = _FAULTS.get(exc.errno, (exc.strerror or str(exc), "check the file and its folder"))
    return FileFault(f"cannot {action} {str(path)!r}: {what}; {todo}", path, exc.errno)


@contextlib.contextmanager
def file_errors(action: str, path: str | os.PathLike) -> Iterator[None]:
    """Turn an ``OSError`` raised inside the block into a :class:`FileFault` naming ``path``."""
    try:
        yield
    except FileFault:
        raise
    except OSError as exc:
        raise fault_from_os_error(exc, action, path) from None


@contextlib.contextmanager
def atomic_write(path: str | os.PathLike) -> Iterator[Path]:
    """Context manager yielding a temporary path; on success it is renamed onto ``path``.

    On an exception the temporary file is removed and ``path`` is left untouched. An ``OSError``
    (disk full, read-only file system, permission) becomes a :class:`FileFault` naming ``path``.
    """
    path = Path(path)
    with file_errors("write", path):
        path.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
        os.close(fd)
    tmp_path = Path(tmp)
    try:
        with file_errors("write", path):
            os.chmod(tmp_path, 0o644)  # mkstemp creates 0600; outputs are meant to be shared
            yield tmp_path
            with open(tmp_path, "rb+") as fh:
                fh.flush()
                os.fsync(fh.fileno())
            os.replace(tmp_path, path)
    finally:
        with contextlib.suppress(OSError):
            if tmp_path.exists():
                tmp_path.unlink()


def write_text(path: str | os.PathLike, text: str) -> None:
    """Write text atomically (UTF-8)."""
    with atomic_write(path) as tmp:
        tmp.write_text(text, encoding="utf-8")


def _jsonable(obj: Any) -> Any:
    if isinstance(obj, dict):
        return {str(k): _jsonable(v) for k, v in obj.items()}
    if isinstance(obj, (list, tuple)):
        return [_jsonable(v) for v in obj]
    if isinstance(obj, np.ndarray):
        return _jsonable(obj.tolist())
    if isinstance(obj, np.generic):
        return _jsonable(obj.item())
    if isinstance(obj, float) and not math.isfinite(obj):
        return None if math.isnan(obj) else ("inf" if obj > 0 else "-inf")
    return obj


def write_json(path: str | os.PathLike, obj: Any) -> None:
    """Write a JSON document atomically (NumPy types converted, NaN written as null)."""
    write_text(path, json.dumps(_jsonable(obj), indent=2, allow_nan=False) + "\n")


def write_toml(path: str | os.PathLike, obj: dict) -> None:
    """Write a TOML document atomically."""
    write_text(path, tomli_w.dumps(_jsonable(obj)))


def read_toml(path: str | os.PathLike) -> dict:
    """Read a TOML file. Raises ``OSError`` or ``tomllib.TOMLDecodeError`` as they come."""
    with open(path, "rb") as fh:
        return tomllib.load(fh)


def parameters_hash(parameters: dict, seed: int | None) -> str:
    """Short SHA-256 of the resolved parameters and seed (identifies a run's configuration)."""
    text = json.dumps(_jsonable({"parameters": parameters, "seed": seed}), sort_keys=True)
    return hashlib.sha256(text.encode()).hexdigest()[:16]


def provenance(scenario: str, parameters: dict, seed: int | None, reference: str) -> dict[str, str]:
    """Global attributes every output carries: who made it, with what, from which inputs."""
    import scipy
    import xarray

    from nupair._version import __version__

    return {
        "nupair_version": __version__,
        "scenario": scenario,
        "reference": reference,
        "parameters_toml": tomli_w.dumps(_jsonable(parameters)),
        "parameters_hash": parameters_hash(parameters, seed),
        "seed": "none" if seed is None else str(seed),
        "created_utc": _dt.datetime.now(_dt.timezone.utc).isoformat(timespec="seconds"),
        "python_version": platform.python_version(),
        "numpy_version": np.__version__,
        "scipy_version": scipy.__version__,
        "xarray_version": xarray.__version__,
        "units_convention": "natural units (hbar = c = 1) unless a variable's units say otherwise",
    }


def check_units(dataset) -> None:
    """Raise ``ValueError`` naming any data variable or coordinate without units or long_name."""
    missing = [
        name
        for name, var in list(dataset.data_vars.items()) + list(dataset.coords.items())
        if "units" not in var.attrs or "long_name" not in var.attrs
    ]
    if missing:
        raise ValueError(f"dataset variables without 'units'/'long_name' attributes: {missing}")


def write_netcdf(path: str | os.PathLike, dataset) -> None:
    """Write an xarray Dataset to netCDF4/HDF5 (h5netcdf engine) atomically."""
    with atomic_write(path) as tmp:
        dataset.to_netcdf(tmp, engine="h5netcdf")


def write_figure(path: str | os.PathLike, figure, dpi: int = 150) -> None:
    """Save a matplotlib figure as PNG atomically."""
    with atomic_write(path) as tmp:
        figure.savefig(tmp, format="png", dpi=dpi)


def pair_evolution_dataset(evolution):
    """An N-mode pairing run (:class:`nupair.pairing.PairEvolution`) as an ``xarray.Dataset``.

    Variables (units and long names attached): the recorded averages of HW (``mean_abs_kappa``,
    ``mean_rho_quadrant``, ``mean_abs_kappa_energy`` and the same for |kappa - kappa_fp|), the
    invariant drifts, initial and final mode states, and every mode's (rho, rhobar, Re kappa,
    Im kappa) over time when the run stored them; coordinates t [MeV^-1], mode, energy_MeV,
    theta, phi, volume_MeV3, quadrant, energy_bin. Attributes: grid, model, coupling, mu, status.
    """
    import xarray as xr

    evo = evolution

    def var(dims, data, units, long_name):
        return xr.Variable(dims, data, {"units": units, "long_name": long_name})

    data = {
        "mean_abs_kappa": var(("t",), evo.mean_abs_kappa, "1", "<|kappa|>_a: mean |kappa| over modes (HW)"),
        "mean_abs_delta_kappa": var(("t",), evo.mean_abs_delta_kappa, "1",
                                    "mean |kappa - kappa_fp| (kappa_fp: linear fixed point)"),
        "mean_rho_quadrant": var(("t", "quadrant"), evo.mean_rho_quadrant, "1",
                                 "<rho>_i: mean rho over modes with phi in quadrant i (HW)"),
        "mean_abs_kappa_energy": var(("t", "energy_bin"), evo.mean_abs_kappa_energy, "1",
                                     "<|kappa|>_j: mean |kappa| over directions of energy bin j (HW)"),
        "mean_abs_delta_kappa_energy": var(("t", "energy_bin"), evo.mean_abs_delta_kappa_energy, "1",
                                           "mean |kappa - kappa_fp| over directions of energy bin j"),
        "lepton_drift": var(("t",), evo.lepton_drift, "1",
                            "max over modes |(rho - rhobar)(t) - (rho - rhobar)(0)| (invariant 1)"),
        "bloch_norm2_drift": var(("t",), evo.bloch_norm2_drift, "1",
                                 "max over modes of the relative drift of |P|^2 = S^2 + 4|kappa|^2 (invariant 2)"),
        "energy_drift_relative": var(("t",), evo.energy_drift_relative, "1",
                                     "|W(t) - W(0)| / (sum 2 w E |S| + 2|V|^2) (invariant 3)"),
        "rho_initial": var(("mode",), evo.y0[0], "1", "initial neutrino occupation"),
        "rhobar_initial": var(("mode",), evo.y0[1], "1", "initial antineutrino occupation"),
        "rho_final": var(("mode",), evo.y_reached[0], "1", "neutrino occupation at the last time reached"),
        "rhobar_final": var(("mode",), evo.y_reached[1], "1", "antineutrino occupation at the last time reached"),
        "kappa_re_final": var(("mode",), evo.y_reached[2], "1", "Re kappa at the last time reached"),
        "kappa_im_final": var(("mode",), evo.y_reached[3], "1", "Im kappa at the last time reached"),
    }
    modes = evo.modes
    if modes is not None:
        for i, (name, long_name) in enumerate([("rho", "neutrino occupation"), ("rhobar", "antineutrino occupation"),
                                               ("kappa_re", "Re kappa (pairing correlation)"),
                                               ("kappa_im", "Im kappa (pairing correlation)")]):
            data[name] = var(("t", "mode"), modes[:, i, :], "1", long_name)
    mc = evo.mode_coords
    coords = {
        "t": var(("t",), evo.t, "MeV^-1", "time"),
        "mode": var(("mode",), np.arange(evo.n_modes), "1", "pair-mode index"),
        "energy_MeV": var(("mode",), mc["energy_MeV"], "MeV", "mode energy"),
        "theta": var(("mode",), mc["theta"], "rad", "polar angle of the neutrino"),
        "phi": var(("mode",), mc["phi"], "rad", "azimuthal angle of the neutrino"),
        "volume_MeV3": var(("mode",), mc["volume_MeV3"], "MeV^3", "phase-space volume Delta V"),
        "quadrant": var(("quadrant",), np.arange(4), "1", "azimuthal quadrant (0: 0 < phi < pi/2)"),
        "energy_bin": var(("energy_bin",), evo.energy_bin_centres_MeV, "MeV", "energy-bin centre"),
    }
    ds = xr.Dataset(data, coords)
    ds.attrs.update({
        "grid": evo.grid_description,
        "volume_rule": evo.volume_rule,
        "coupling_MeV2": evo.coupling_per_MeV2,  # attribute name kept: files written before read the same
        "coupling_per_MeV2": evo.coupling_per_MeV2,
        "mu_MeV": evo.mu_MeV,
        "status": "successful" if evo.ok else evo.status.name.lower(),
        "message": evo.message,
        "n_rhs_evaluations": int(evo.stats.get("n_rhs", 0)),
        "t_reached_MeV^-1": float(evo.t_reached),
        "model": evo.model,
    })
    return ds


class Checkpoint:
    """A checkpoint file of NumPy arrays tagged with a configuration hash (for scripts of one's own).

    Scenario runs do not use it: the runner keeps one scheme for every scenario
    (``OUT/checkpoint.pkl``, see :mod:`nupair.scenarios.runner`).

    Scenario ``run`` functions receive one and call :meth:`save` after each completed segment
    and :meth:`load` once at start. :meth:`load` returns None when there is nothing to resume
    (no file, resume not requested); a checkpoint written for other parameters or another
    seed is an error, never silently reused.
    """

    def __init__(self, path: str | os.PathLike, config_hash: str, resume: bool,
                 on_save: Callable[[], None] | None = None):
        self.path = Path(path)
        self.config_hash = config_hash
        self.resume = resume
        self.on_save = on_save

    def load(self) -> dict[str, np.ndarray] | None:
        """Arrays saved by the interrupted run, or None."""
        if not (self.resume and self.path.exists()):
            return None
        with np.load(self.path, allow_pickle=False) as data:
            arrays = {k: data[k] for k in data.files}
        found = str(arrays.pop("__config_hash__", ""))
        if found != self.config_hash:
            raise ValueError(
                f"checkpoint {self.path} was written for other parameters or another seed "
                f"(hash {found} != {self.config_hash}); run without --resume to start afresh"
            )
        return arrays

    def save(self, arrays: dict[str, np.ndarray]) -> None:
        """Write the arrays atomically (the previous checkpoint stays valid until the rename)."""
        with atomic_write(self.path) as tmp:
            with open(tmp, "wb") as fh:
                np.savez(fh, __config_hash__=np.asarray(self.config_hash), **arrays)
        if self.on_save is not None:
            self.on_save()

    def remove(self) -> None:
        """Delete the checkpoint (after the final outputs are written)."""
        if self.path.exists():
            self.path.unlink()
