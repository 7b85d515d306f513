"""Growth-rate fitting on synthetic series with known rates."""

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from nupair.numerics import fit_growth_rate


def instability(t, rate, floor=1e-4, saturation=0.5, wiggle=0.2, omega=300.0):
    """Cosh-like onset from a floor, exponential growth, saturation quadratic in the amplitude
    (as for the pairing equations, where d rho/dt ~ |kappa|^2), and a decaying fast wiggle."""
    grow = floor * np.cosh(rate * t)
    amp = grow / np.sqrt(1 + (grow / saturation) ** 2)
    return amp * (1 + wiggle * np.cos(omega * t) * np.exp(-rate * t))


@settings(max_examples=40, deadline=None)
@given(st.floats(0.2, 5.0))
def test_recovers_known_rate(rate):
    t = np.linspace(0, 12 / rate, 3000)
    fit = fit_growth_rate(t, instability(t, rate))
    assert fit.rate == pytest.approx(rate, rel=0.015)
    assert fit.efolds > 2
    assert abs(fit.rate - rate) < 5 * fit.uncertainty + 0.01 * rate


def test_window_excludes_saturation():
    t = np.linspace(0, 10, 2000)
    fit = fit_growth_rate(t, instability(t, 1.0))
    # the amplitude reaches 0.1 of its maximum (0.05) near t = ln(1000) ~ 6.9
    assert fit.t_end < 7.0 and fit.t_start > 0.5


def test_no_growth_is_an_error():
    t = np.linspace(0, 10, 500)
    with pytest.raises(ValueError, match="ceiling"):  # largest at t = 0: nothing grows
        fit_growth_rate(t, np.exp(-t))
    # a slow rise of less than one e-fold in all
    with pytest.raises(ValueError, match="e-folds"):
        fit_growth_rate(t, 1e-3 * (1 + 0.05 * t), ceiling_fraction=1.0)


def test_bad_input():
    with pytest.raises(ValueError, match="increasing"):
        fit_growth_rate(np.array([0.0, 1.0, 0.5] * 5), np.ones(15))
    with pytest.raises(ValueError, match="finite"):
        fit_growth_rate(np.arange(20.0), np.full(20, np.nan))


def test_agreement_accepts_a_clean_exponential_and_names_each_reason_otherwise():
    """A pure exponential over 6 e-folds matches its own rate (no reason); the same fit held to a
    rate 5 % off, or a window of one e-fold, or a failed fit where growth is predicted each give a
    reason; a failed fit where none is predicted is consistent."""
    import numpy as np

    from nupair.numerics import GrowthFit, fit_growth_rate
    from nupair.results import Status

    t = np.linspace(0.0, 10.0, 501)
    amplitude = 1e-6 * np.exp(1.3 * t) / (1.0 + 1e-6 * np.exp(1.3 * t))  # logistic: exponential, then saturation
    fit = fit_growth_rate(t, amplitude)
    sigma, reasons = fit.agreement(1.3)
    assert abs(sigma) <= 2.0 and reasons == []
    _, reasons = fit.agreement(1.3 * 1.05)
    assert len(reasons) == 1 and "misses the linear theory" in reasons[0]
    short = GrowthFit(1.3, 0.01, 0.0, 0.8, 40, 1.04)
    _, reasons = short.agreement(1.3)
    assert len(reasons) == 1 and "1.04 e-folds" in reasons[0]
    failed = GrowthFit(float("nan"), float("nan"), float("nan"), float("nan"), 0, float("nan"), Status.NO_SOLUTION, "")
    assert failed.agreement(0.0)[1] == [] and "no exponential window" in failed.agreement(1.3)[1][0]
