"""nupair: the physics of neutrino-antineutrino pairs, in one toolkit.

Capabilities (each a subpackage; they share one core: ``constants``, ``flavor``, ``numerics``,
``results``, ``validation``):

* ``nupair.pairing`` — extended quantum kinetic equations with nu-nubar pairing correlations
  (Huang & Wu 2026): two-pair model, N modes in O(N), linear stability, the secular limit.
* ``nupair.oile`` — once-in-a-lifetime encounters in dense neutrino gases (Kost, Johns & Duan).
* ``nupair.renp`` — radiative emission of neutrino pairs from atoms: spectra, new physics,
  sensitivity.
* ``nupair.forces`` — potentials from two-neutrino exchange: vacuum, short distances,
  backgrounds, probes.
* ``nupair.gradient`` — neutrino pairs from steep matter gradients in neutron stars.

Run a built-in scenario (the published figures) from Python::

    import nupair
    result = nupair.run("pairing-two-pair", mu_over_energy=1e-2, t_end_mu=6)
    result.summary["B"]["growth_rate_analytic_over_mu"], result.dataset, result.figure

``nupair.scenarios.available()`` lists the scenarios; the ``nupair`` command line does the same
(``nupair list``, ``nupair show NAME``, ``nupair run NAME``).
"""

from nupair._version import __version__

__all__ = ["__version__", "run", "RunResult"]


def __getattr__(name):
    if name in ("run", "RunResult"):
        from nupair.scenarios import runner

        return {"run": runner.run, "RunResult": runner.RunResult}[name]
    raise AttributeError(f"module 'nupair' has no attribute {name!r}")


def __dir__():
    # run and RunResult load lazily (the scenarios pull in every capability); list them anyway
    return sorted(set(globals()) | set(__all__))
