"""Result and status types of the integrators: re-exported from the core :mod:`nupair.results`."""

from nupair.results import EvolutionResult, Status, result_from_arrays, result_to_arrays

__all__ = ["EvolutionResult", "Status", "result_from_arrays", "result_to_arrays"]
