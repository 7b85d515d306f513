"""Input checks at the boundary of public functions: one place, one message shape.

Every message names the parameter, the value given and what is allowed, e.g.
``V0=-1.0 is not allowed: must be finite and > 0 [eV]``. All checks raise ``ValueError`` and
return the value converted (``float`` or a float ``ndarray``), so a caller writes
``v = positive("V0", V0, "eV")``. Booleans are never accepted as numbers.
"""

from __future__ import annotations

import math
import os
from typing import Any, Iterable

import numpy as np
from numpy.typing import NDArray

__all__ = [
    "finite",
    "positive",
    "non_negative",
    "in_range",
    "positive_int",
    "one_of",
    "finite_array",
    "instance_of",
    "require",
    "refused",
    "require_memory",
    "available_memory_bytes",
    "human_bytes",
]


def _unit(unit: str | None) -> str:
    return f" [{unit}]" if unit not in (None, "", "1") else ""


def _as_float(name: str, value: Any, unit: str | None) -> float:
    if isinstance(value, (bool, np.bool_)):
        raise ValueError(f"{name}={value!r} is not allowed: must be a number, not a boolean{_unit(unit)}")
    if isinstance(value, (str, bytes)):  # "1e-2" is text: a caller who means a number passes one
        raise ValueError(f"{name}={value!r} is not allowed: must be a number, not a string{_unit(unit)}")
    try:
        v = float(value)
    except (TypeError, ValueError):
        raise ValueError(f"{name}={value!r} is not allowed: must be a number{_unit(unit)}") from None
    return v


def finite(name: str, value: Any, unit: str | None = None) -> float:
    """``value`` as a finite float, else ``ValueError`` naming ``name``."""
    v = _as_float(name, value, unit)
    if not math.isfinite(v):
        raise ValueError(f"{name}={value!r} is not allowed: must be finite{_unit(unit)}")
    return v


def positive(name: str, value: Any, unit: str | None = None) -> float:
    """``value`` as a finite float > 0."""
    v = _as_float(name, value, unit)
    if not (math.isfinite(v) and v > 0):
        raise ValueError(f"{name}={value!r} is not allowed: must be finite and > 0{_unit(unit)}")
    return v


def non_negative(name: str, value: Any, unit: str | None = None) -> float:
    """``value`` as a finite float >= 0."""
    v = _as_float(name, value, unit)
    if not (math.isfinite(v) and v >= 0):
        raise ValueError(f"{name}={value!r} is not allowed: must be finite and >= 0{_unit(unit)}")
    return v


def in_range(name: str, value: Any, low: float | None = None, high: float | None = None, unit: str | None = None,
             *, low_open: bool = False, high_open: bool = False) -> float:
    """``value`` as a finite float in [low, high] (either end may be open or absent)."""
    v = _as_float(name, value, unit)
    ok = math.isfinite(v)
    if low is not None:
        ok = ok and (v > low if low_open else v >= low)
    if high is not None:
        ok = ok and (v < high if high_open else v <= high)
    if not ok:
        lo = "" if low is None else ("(" if low_open else "[") + f"{low:g}"
        hi = "" if high is None else f"{high:g}" + (")" if high_open else "]")
        if low is not None and high is not None:
            rng = f"in {lo}, {hi}"
        elif low is not None:
            rng = f"{'>' if low_open else '>='} {low:g}"
        elif high is not None:
            rng = f"{'<' if high_open else '<='} {high:g}"
        else:
            rng = "finite"
        raise ValueError(f"{name}={value!r} is not allowed: must be finite and {rng}{_unit(unit)}")
    return v


def positive_int(name: str, value: Any, minimum: int = 1, maximum: int | None = None) -> int:
    """``value`` as an int >= minimum (and <= maximum); floats with a fraction and booleans refused."""
    if isinstance(value, (bool, np.bool_)) or not isinstance(value, (int, np.integer)):
        raise ValueError(f"{name}={value!r} is not allowed: must be an integer >= {minimum}")
    v = int(value)
    if v < minimum or (maximum is not None and v > maximum):
        rng = f">= {minimum}" if maximum is None else f"in [{minimum}, {maximum}]"
        raise ValueError(f"{name}={value!r} is not allowed: must be an integer {rng}")
    return v


def one_of(name: str, value: Any, allowed: Iterable[Any]) -> Any:
    """``value`` if it is one of ``allowed`` (a misspelt string gets a "did you mean")."""
    import difflib

    allowed = tuple(allowed)
    try:
        ok = value in allowed
    except TypeError:  # an unhashable or incomparable value is not one of them
        ok = False
    if not ok:
        names = [a for a in allowed if isinstance(a, str)]
        close = difflib.get_close_matches(value, names, n=1) if isinstance(value, str) else []
        hint = f" (did you mean {close[0]!r}?)" if close else ""
        raise ValueError(f"{name}={value!r} is not allowed{hint}: must be one of "
                         f"{', '.join(repr(a) for a in allowed)}")
    return value


def _holds_text(value: Any) -> bool:
    """True for a sequence or array of strings (NumPy would parse "1.5" as a number)."""
    if isinstance(value, (list, tuple)):
        try:
            value = np.asarray(value)  # one pass in C; a mixed list of text and numbers becomes text
        except (TypeError, ValueError):  # ragged: refused by the conversion that follows
            return False
    if not isinstance(value, np.ndarray):
        return False
    if value.dtype.kind == "O":
        return any(isinstance(v, (str, bytes)) for v in value.ravel()[:1000])
    return value.dtype.kind in "US"


def finite_array(name: str, value: Any, unit: str | None = None, *, low: float | None = None,
                 low_open: bool = False, high: float | None = None, dtype=float) -> NDArray:
    """``value`` as an array of finite numbers (optionally all >= low, or > low, and <= high)."""
    if isinstance(value, (bool, np.bool_)):
        raise ValueError(f"{name}={value!r} is not allowed: must be numbers, not a boolean{_unit(unit)}")
    if value is None or isinstance(value, (str, bytes)) or _holds_text(value):
        raise ValueError(f"{name}={value!r} is not allowed: must be numbers, not {'None' if value is None else 'text'}"
                         f"{_unit(unit)}")
    try:
        arr = np.asarray(value, dtype=dtype)
    except (TypeError, ValueError):
        raise ValueError(f"{name}={value!r} is not allowed: must be numbers{_unit(unit)}") from None
    ok = np.isfinite(arr)
    cond = "finite"
    if low is not None:
        ok &= (arr > low) if low_open else (arr >= low)
        cond += f" and {'>' if low_open else '>='} {low:g}"
    if high is not None:
        ok &= arr <= high
        cond += f" and <= {high:g}"
    if not np.all(ok):
        bad = arr[~ok].ravel()[0] if arr.ndim else arr.item()
        raise ValueError(f"{name} contains {bad!r}, which is not allowed: every value must be {cond}{_unit(unit)}")
    return arr


def instance_of(name: str, value: Any, cls: type | tuple[type, ...], what: str) -> Any:
    """``value`` if it is an instance of ``cls``, else ``TypeError`` naming ``name`` and ``what`` it must be."""
    if not isinstance(value, cls):
        raise TypeError(f"{name}={value!r} is not allowed: must be {what}")
    return value


def refused(subject: str, allowed: str) -> str:
    """The one message shape of a refused input, "``subject`` is not allowed: ``allowed``".

    ``subject`` names the parameter and shows the value as the user gave it (``"n=3"``,
    ``"parameter 'seed': value -1"``); ``allowed`` says what would be accepted, with its unit. For
    checks no helper here covers (shapes, matrix properties, relations between parameters), a
    caller raises the error type that fits with this text: ``raise ValueError(refused(...))``.
    """
    return f"{subject} is not allowed: {allowed}"


def require(condition: bool, name: str, shown: str, allowed: str) -> None:
    """``ValueError`` "``name`` = ``shown`` is not allowed: ``allowed``" unless ``condition``: the one
    message shape for checks no helper above covers (shapes, matrix properties); ``shown`` is
    the offending value as the user should see it."""
    if not condition:
        raise ValueError(refused(f"{name}={shown}", allowed))


def available_memory_bytes() -> float | None:
    """Memory a new run may use [bytes]: ``MemAvailable`` of /proc/meminfo, capped by the cgroup
    limit (containers, batch jobs); ``NUPAIR_AVAILABLE_MEMORY_BYTES`` overrides; None if unknown."""
    override = os.environ.get("NUPAIR_AVAILABLE_MEMORY_BYTES")
    if override:
        return float(override)
    found = []
    try:
        with open("/proc/meminfo", encoding="ascii") as fh:
            for line in fh:
                if line.startswith("MemAvailable:"):
                    found.append(float(line.split()[1]) * 1024)
    except OSError:
        pass
    for path in ("/sys/fs/cgroup/memory.max", "/sys/fs/cgroup/memory/memory.limit_in_bytes"):
        try:
            with open(path, encoding="ascii") as fh:
                text = fh.read().strip()
        except OSError:
            continue
        if text.isdigit() and float(text) < 2**60:
            found.append(float(text))
    return min(found) if found else None


def human_bytes(n: float) -> str:
    """``n`` bytes as KiB/MiB/GiB/TiB with one decimal."""
    n = non_negative("n", n, "bytes")
    for unit, size in (("TiB", 2**40), ("GiB", 2**30), ("MiB", 2**20)):
        if n >= size:
            return f"{n / size:.1f} {unit}"
    return f"{n / 2**10:.0f} KiB"


def require_memory(nbytes: float, name: str, shown: str) -> None:
    """Refuse (``ValueError`` naming ``name``, its value ``shown``, the bytes needed and the bytes
    available) a computation that would allocate more than this machine has available, before
    it allocates. Unknown availability (not Linux) lets it through."""
    have = available_memory_bytes()
    if have is not None and nbytes > have:
        raise ValueError(f"{name}={shown} is not allowed here: the computation would need ~{human_bytes(nbytes)} "
                         f"({nbytes:.3g} bytes) of memory, this machine has {human_bytes(have)} available; lower {name}")
