"""The pairing-model interface (pairing.model): models are objects, the drivers never branch.

Physics checked: a third model defined here — free pairs, each kappa_p turning at 2 E_p with no
interaction (HW eq. 7 with g = 0) — is evolved by ``evolve`` and analysed by ``growth_rates``
without touching either, and reproduces the analytic solution kappa_p(t) = exp(-2 i E_p t)
kappa_p(0) and the spectrum lambda = -+2 i E_p; the built-in models by object and by name are one
and the same thing; a blown-up compiled run names the mode that went bad.
"""

from dataclasses import dataclass

import numba
import numpy as np
import pytest

from nupair import pairing
from nupair.numerics import JitDOP853
from nupair.pairing.linear import StabilityResult, dense_rates
from nupair.pairing.model import PairingModel, PairingSystem
from nupair.results import Status

G_HW = pairing.PairingParams(1e-6)


@numba.njit(cache=False)
def _free_flat(t, y, args):
    (energy,) = args
    n = energy.size
    out = np.zeros(4 * n)
    for p in range(n):  # i dkappa/dt = 2 E kappa
        out[2 * n + p] = 2.0 * energy[p] * y[3 * n + p]
        out[3 * n + p] = -2.0 * energy[p] * y[2 * n + p]
    return out


@dataclass(frozen=True)
class FreePairs(PairingModel):
    """HW eq. (7) without the nu-nu interaction: kappa_p turns at 2 E_p."""

    name = "test-free-pairs"

    @classmethod
    def from_options(cls, **options):
        return cls()

    def bind(self, grid, params):
        return _FreeSystem(self, grid, params)


class _FreeSystem(PairingSystem):
    def kernel(self):
        return _free_flat, (self.grid.energy_MeV,)

    def rhs(self, t, y):
        e = self.grid.energy_MeV
        return np.stack([0 * e, 0 * e, 2 * e * y[3], -2 * e * y[2]])

    def conserved_energy(self, ys_lab, inv):
        return np.sum(self.grid.energy_MeV * (ys_lab[:, 0] + ys_lab[:, 1]), axis=1)

    def fixed_point(self, state):
        return np.zeros(self.grid.n_modes, complex)

    def stability_matrix(self, state):
        a = 2.0 * self.grid.energy_MeV
        z = np.zeros((a.size, a.size))
        return np.block([[z, np.diag(a)], [-np.diag(a), z]])

    def growth_rates(self, state, method, return_eigenvectors, k_per_bin):
        return dense_rates(self.stability_matrix(state), return_eigenvectors)


def test_a_new_model_plugs_in_without_touching_the_drivers():
    grid = pairing.Grid(2, 1, 4, e_max=20.0)
    state = pairing.hw_initial_state(grid, seed=1, seed_amplitude=1e-3)
    assert "test-free-pairs" in pairing.registered_models()
    t_final = 3.0
    for model in (FreePairs(), "test-free-pairs"):
        evo = pairing.evolve(state, grid, G_HW, t_final, n_save=31, model=model).unwrap()
        assert evo.model == "test-free-pairs"
        kappa_t = evo.modes[-1, 2] + 1j * evo.modes[-1, 3]
        expected = np.exp(-2j * grid.energy_MeV * t_final) * state.kappa
        assert np.max(np.abs(kappa_t - expected)) < 1e-12
        assert evo.energy_drift_relative.max() < 1e-14
    res = pairing.growth_rates(state, grid, G_HW, model=FreePairs())
    assert isinstance(res, StabilityResult) and res.ok
    assert abs(res.max_growth_rate) < 1e-12
    assert np.allclose(np.sort(np.abs(res.eigenvalues.imag)), np.sort(np.repeat(2 * grid.energy_MeV, 2)))


def test_builtin_models_by_object_and_by_name_agree():
    grid = pairing.Grid(3, 1, 4, e_max=20.0)
    state = pairing.hw_initial_state(grid, seed=2)
    by_name = pairing.growth_rates(state, grid, G_HW, model="secular", secular_cutoff=2.0)
    by_object = pairing.growth_rates(state, grid, G_HW, model=pairing.SecularModel(cutoff=2.0))
    assert np.array_equal(by_name.eigenvalues, by_object.eigenvalues)
    full = pairing.growth_rates(state, grid, G_HW, model=pairing.FullModel())
    assert np.array_equal(full.eigenvalues, pairing.growth_rates(state, grid, G_HW).eigenvalues)
    # the secular rate approximates the full one to O(mu/E) (docs/secular.md S9)
    mu_over_e = G_HW.mu_MeV(grid) / 20.0
    assert abs(by_name.max_growth_rate - full.max_growth_rate) < 10 * mu_over_e * full.max_growth_rate


def test_options_are_checked_per_model():
    grid = pairing.Grid(1, 1, 4)
    state = pairing.hw_initial_state(grid, seed=0)
    with pytest.raises(ValueError, match="method='bogus'"):
        pairing.growth_rates(state, grid, G_HW, model="secular", method="bogus")
    with pytest.raises(ValueError, match="method='arnoldi'"):
        pairing.growth_rates(state, grid, G_HW, model="secular", method="arnoldi")
    with pytest.raises(ValueError, match="k_per_bin=-5"):
        pairing.growth_rates(state, grid, G_HW, k_per_bin=-5)
    with pytest.raises(ValueError, match="did you mean 'secular'"):
        pairing.evolve(state, grid, G_HW, 1.0, model="secualr")
    with pytest.raises(ValueError, match="secular_cutoff"):
        pairing.SecularModel(cutoff=-1.0)
    with pytest.raises(ValueError, match="secular_cutoff"):
        pairing.evolve(state, grid, G_HW, 1.0, model="secular", secular_cutoff="1")


@numba.njit(cache=False)
def _blow_up_flat(t, y, args):
    (energy,) = args
    out = np.zeros(y.size)
    if t > 0.5:
        out[2 * energy.size + 1] = np.inf  # Re kappa of mode 1 goes non-finite
    return out


@dataclass(frozen=True)
class BrokenPairs(FreePairs):
    name = "test-broken-pairs"

    def bind(self, grid, params):
        system = _FreeSystem(self, grid, params)
        system.kernel = lambda: (_blow_up_flat, (grid.energy_MeV,))
        return system


def test_compiled_blow_up_names_the_mode():
    # the compiled solver reports the flattened index of the bad component; the model names it
    grid = pairing.Grid(1, 1, 4)
    state = pairing.hw_initial_state(grid, seed=0)
    evo = pairing.evolve(state, grid, G_HW, 2.0, n_save=5, model=BrokenPairs(), segment_length=0.25)
    assert evo.status is Status.NON_FINITE
    assert evo.stats["failed_component"] == 2 * grid.n_modes + 1
    assert "mode 1, Re kappa" in evo.message and "at t = " in evo.message
    assert evo.t[-1] == pytest.approx(0.5)  # the segments before the failure are kept


def test_a_model_without_k_support_keeps_working_and_refuses_k_clearly():
    grid = pairing.Grid(1, 1, 4)
    state = pairing.hw_initial_state(grid, seed=0)
    assert pairing.growth_rates(state, grid, G_HW, model=FreePairs(), k_MeV=(0, 0, 0)).ok
    with pytest.raises(ValueError, match="k_MeV=.*test-free-pairs"):
        pairing.growth_rates(state, grid, G_HW, model=FreePairs(), k_MeV=(0.1, 0, 0))
