"""One-call new-physics functions: the resonant mediator is an outcome, the bound comparison
agrees with the effective moments computed directly (spec renp.md 4.2-4.4)."""

import numpy as np

from nupair import renp
from nupair.results import Status


def test_a_mediator_on_resonance_is_an_outcome_not_an_exception():
    atom = renp.ATOMS["Yb"]
    h_sm = renp.Hypothesis("normal", "dirac", 0.01)
    omega = renp.default_trigger_energies(h_sm, atom=atom, n_bins=8)
    mass = 1.0  # eV: Q2(omega) = M^2 at omega_r = (E_eg - M^2/E_eg)/2
    omega_r = renp.resonant_energies(renp.ZPrime(mass, 1e-20, 1.0, 0.0), atom.E_eg_eV)
    omega = np.sort(np.append(omega[:-1], omega_r))
    exp = renp.Experiment(n_bins=omega.size, omega_eV=omega)
    r = renp.mediator_reach("vector", mass, h_sm, exp, 86400.0, 3.0)
    assert r.status is Status.NO_SOLUTION and r.outcome == "resonant" and np.isnan(r.value)
    assert "resonance" in r.message


def test_bound_comparison_is_the_effective_moment_of_each_element():
    u = renp.resolve_mixing()
    reach = renp.DipoleReach(value_muB=np.array([[2e-11, np.nan, 3e-11], [1e-11, 1e-11, np.nan]]))
    mu = np.zeros((3, 3))
    mu[0, 1], mu[1, 0] = 1e-11, -1e-11
    cmp = renp.compare_with_bounds(renp.DipoleMoments(mu, nature="majorana"), reach)
    bounds = renp.DIPOLE_MOMENT_BOUNDS
    assert cmp.reach_effective_muB.shape == (2, 3, len(bounds))
    assert np.all(np.isnan(cmp.reach_effective_muB[0, 1])) and np.all(np.isnan(cmp.reach_effective_muB[1, 2]))
    d = renp.reach.dipole_moments_for("magnetic", (2, 3), 3e-11)
    for k, b in enumerate(bounds):
        direct = d.effective_scattering(b.flavor, u) if b.kind == "scattering" else d.effective_stellar()
        assert cmp.reach_effective_muB[0, 2, k] == direct
    # the stellar effective moment of a single transition moment is that moment (|mu_12| here)
    stellar = [k for k, b in enumerate(bounds) if b.kind != "scattering"]
    assert stellar and np.allclose(cmp.example_effective_muB[stellar], 1e-11, rtol=1e-12)
