"""nupair: the physics of neutrino-antineutrino pairs.

One core (``constants``, ``flavor``, ``numerics``) and one subpackage per capability
(``pairing``, ``oile``; ``renp``, ``forces`` and ``gradient`` follow). Scenarios reproducing
published figures are run with the ``nupair`` command line (``nupair list``).
"""

from importlib.metadata import PackageNotFoundError, version

try:
    __version__ = version("nupair")
except PackageNotFoundError:  # running from a source tree that was not installed
    __version__ = "0.0.0+unknown"

__all__ = ["__version__"]
