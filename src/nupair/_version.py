"""The installed package's version (read once from its metadata), importable without the package face."""

from importlib.metadata import PackageNotFoundError, version

try:
    __version__ = version("nupair")
except PackageNotFoundError:  # running from a source tree that was not installed
    __version__ = "0.0.0+unknown"
