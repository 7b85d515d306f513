"""The run contract below the command line (issue 29 probes): a wrong Python call is refused by
the public function with one line naming the parameter; NumPy integers are integers, strings
are not numbers; a failed root offers no number."""

import math

import numpy as np
import pytest

import nupair
from nupair import forces, pairing, renp
from nupair.results import Status
from nupair.scenarios import UserInputError

GRID = pairing.Grid(1, 1, 4)
STATE = pairing.hw_initial_state(GRID, seed=1)
PP = pairing.PairingParams(1e-6)


def test_numpy_integers_are_integers_and_strings_are_not_numbers():
    r = nupair.run("pairing-two-pair-stability", seed=np.int64(3))
    assert r.summary["growth_rate_over_mu"] > 0
    with pytest.raises(UserInputError, match="rho_x.*string is not a number"):
        nupair.run("pairing-two-pair-stability", rho_x="0.5")


@pytest.mark.parametrize("call, match", [
    (lambda: pairing.dispersion_growth_rate(STATE, GRID, PP, leaf_poles=-1), "leaf_poles"),
    (lambda: pairing.dispersion_growth_rate(STATE, GRID, PP, leaf_poles=2.5), "leaf_poles"),
    (lambda: pairing.evolve(STATE, GRID, PP, 10.0, secular_cutoff="1"), "secular_cutoff"),
    (lambda: pairing.growth_rates(STATE, GRID, PP, model="secular", method="bogus"), "method"),
    (lambda: renp.required_dipole_moment("magnetic", "normal", renp.Experiment(), 1e7), "h_sm"),
    (lambda: renp.required_dipole_moment("magnetic", renp.Hypothesis(), "x", 1e7), "experiment"),
])
def test_wrong_calls_name_the_parameter(call, match):
    with pytest.raises((ValueError, TypeError), match=match):
        call()


@pytest.mark.parametrize("spectrum, e_min, match", [(lambda e: math.nan, 1.0, "= nan"),
                                                     (lambda e: 1 / 0, 1.0, "ZeroDivisionError"),
                                                     (lambda e: 1 / math.sqrt(e) if e else math.inf, 0.0, "= inf")])
def test_a_user_spectrum_that_fails_is_named_not_integrated_into_nan(spectrum, e_min, match):
    beam = forces.BeamSpectrum(spectrum, e_min_MeV=e_min, e_max_MeV=10.0)
    with pytest.raises(ValueError, match=rf"spectrum\(.*MeV\).*{match}"):
        forces.background_potential(np.array([1e-6]), "neutron", "neutron", beam)


def test_a_failed_root_offers_no_number():
    r = renp.required_dipole_moment("magnetic", renp.Hypothesis("normal"), renp.Experiment(), 1e-30)
    if not r.ok:  # whatever the outcome at a hopeless exposure, a failure carries NaN
        assert math.isnan(r.value) and r.status is not Status.SUCCESSFUL
    failed = nupair.numerics.power_law_root(lambda p: 1.0 - 1.0 / (1.0 + p), 1.0, 9.0, max_iter=4)
    assert failed.status is Status.MAX_ITERATIONS_REACHED and math.isnan(failed.value) and "last" in failed.message
