"""Constants checked through identities and against their published values."""

import math

import pytest

from nupair import constants as c


def test_hbar_c_codata_2022():
    # CODATA 2022: hbar c = 197.326 980 4 MeV fm (exact, derived from h, c, e).
    # (CODATA prints 10 significant digits; the exact value is 197.32698045...)
    assert c.hbarc_MeV_fm == pytest.approx(197.3269804, rel=1e-9)


def test_ev_to_kelvin_codata_2022():
    # CODATA 2022 energy equivalent: 1 eV = 1.160 451 812 e4 K (exact).
    assert c.eV_to_K == pytest.approx(1.160451812e4, rel=1e-9)


def test_ev_to_inverse_seconds_and_meters():
    # CODATA 2022: 1 eV/h = 2.417 989 242 e14 Hz, so 1 eV/hbar = 2 pi times that.
    assert c.eV_to_per_s == pytest.approx(2 * math.pi * 2.417989242e14, rel=1e-9)
    # 1 eV/(hbar c) = 1/(1.973269804e-7 m).
    assert c.eV_to_per_m == pytest.approx(1 / 1.973269804e-7, rel=1e-9)
    assert c.hbar_eV_s == pytest.approx(6.582119569e-16, rel=1e-9)


def test_erg_and_joule():
    assert c.eV_to_erg == pytest.approx(1.602176634e-12, rel=1e-15)
    assert 1 * c.joule / c.eV == pytest.approx(1 / 1.602176634e-19, rel=1e-15)


def test_fine_structure_constant_codata_2022():
    # CODATA 2022: 1/alpha = 137.035 999 177(21).
    assert 1 / c.alpha == pytest.approx(137.035999177, rel=2e-10)


def test_proton_electron_mass_ratio_codata_2022():
    # CODATA 2022: m_p/m_e = 1836.152 673 426(32).
    assert c.m_p / c.m_e == pytest.approx(1836.152673426, rel=1e-10)


def test_newton_constant_natural_units_pdg():
    # PDG 2024: G_N/(hbar c) = 6.708 83(15) e-39 GeV^-2 (c^4 set to 1).
    assert c.G_N / c.GeV**-2 == pytest.approx(6.70883e-39, rel=1e-5)


def test_fermi_constant_from_muon_lifetime():
    # 1/tau_mu = G_F^2 m_mu^5/(192 pi^3) F(x) (1 + alpha/(2 pi)(25/4 - pi^2)); PDG 2024
    # tau_mu = 2.1969811e-6 s, CODATA 2022 m_mu = 105.658 3755 MeV, F(x) = 1 - 8x, x = m_e^2/m_mu^2.
    m_mu = 105.6583755 * c.MeV
    x = (c.m_e / m_mu) ** 2
    phase = 1 - 8 * x + 8 * x**3 - x**4 - 12 * x**2 * math.log(x)
    qed = 1 + c.alpha / (2 * math.pi) * (25 / 4 - math.pi**2)
    width = 1 / (2.1969811e-6 * c.second)
    g_f = math.sqrt(width * 192 * math.pi**3 / (m_mu**5 * phase * qed))
    assert g_f == pytest.approx(c.G_F, rel=2e-4)


def test_solar_mass_from_iau_mass_parameter():
    # GM_sun (IAU 2015 B3) / G (CODATA 2022) = M_sun, to G's relative uncertainty 2.2e-5.
    assert c.GM_sun_m3_per_s2 / c.G_N_SI == pytest.approx(c.M_sun_kg, rel=1e-4)


def test_weak_mixing_on_shell_is_derived_from_boson_masses():
    assert c.sin2_theta_W_on_shell == pytest.approx(1 - (80.3692 / 91.1880) ** 2, rel=1e-12)
    # PDG 2024 on-shell value 0.22348 uses other inputs; agree at the 1e-3 level.
    assert c.sin2_theta_W_on_shell == pytest.approx(0.2235, abs=2e-3)


@pytest.mark.parametrize("fit", ["nufit-6.0", "nufit-5.2"])
def test_oscillation_fits_are_consistent(fit):
    no = c.oscillation_parameters("normal", fit)
    io_ = c.oscillation_parameters("inverted", fit)
    assert no.dm2_3l_eV2 > 0 > io_.dm2_3l_eV2  # NuFIT: Dm31 > 0 (NO), Dm32 < 0 (IO)
    for p in (no, io_):
        assert 0 < p.sin2_theta13 < p.sin2_theta12 < p.sin2_theta23 < 1
        assert 0 < p.dm2_21_eV2 < abs(p.dm2_3l_eV2) / 20
        assert math.sin(p.theta12) ** 2 == pytest.approx(p.sin2_theta12)


def test_nufit_5_2_matches_spec_table():
    # NuFIT 5.2 (2022), best fits with SK atmospheric data.
    no = c.NUFIT_5_2["normal"]
    assert (no.sin2_theta12, no.sin2_theta13, no.sin2_theta23) == (0.303, 0.02203, 0.572)
    assert no.dm2_3l_eV2 == 2.511e-3 and c.NUFIT_5_2["inverted"].dm2_3l_eV2 == -2.498e-3


def test_nufit_6_0_is_the_ic24_with_sk_atmospheric_column():
    """NuFIT 6.0 (Esteban et al., JHEP 12 (2024) 216), column "IC24 with SK atmospheric data":
    NO 0.308, 0.02215, 0.470, 212 deg, 7.49e-5 eV^2, +2.513e-3 eV^2; IO 0.308, 0.02231, 0.550,
    274 deg, -2.484e-3 eV^2 (the published best fits)."""
    no, io_ = c.NUFIT_6_0["normal"], c.NUFIT_6_0["inverted"]
    assert (no.sin2_theta12, no.sin2_theta13, no.sin2_theta23, no.delta_cp_deg) == (0.308, 0.02215, 0.470, 212.0)
    assert (no.dm2_21_eV2, no.dm2_3l_eV2) == (7.49e-5, 2.513e-3)
    assert (io_.sin2_theta12, io_.sin2_theta13, io_.sin2_theta23, io_.delta_cp_deg) == (0.308, 0.02231, 0.550, 274.0)
    assert (io_.dm2_21_eV2, io_.dm2_3l_eV2) == (7.49e-5, -2.484e-3)
    assert c.DEFAULT_FIT == "nufit-6.0" and "IC24 with SK atmospheric data" in c.FIT_LABELS["nufit-6.0"]
    assert "IC24 with SK atmospheric data" in no.source and "IC24 with SK atmospheric data" in io_.source


def test_unknown_fit_or_ordering_is_a_clear_error():
    with pytest.raises(ValueError, match="ordering"):
        c.oscillation_parameters("sideways")
    with pytest.raises(ValueError, match="fit"):
        c.oscillation_parameters("normal", "nufit-0.1")
