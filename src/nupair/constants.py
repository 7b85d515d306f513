"""Physical constants and unit conversions: the one place every number with a dimension lives.

Conventions
-----------
Inside the physics nupair uses natural units, hbar = c = k_B = 1, with energies in **eV**
(the base unit below) unless a name says otherwise. Following hepunits, units are plain
floats: multiply a value by its unit going in, divide by the unit you want coming out::

    >>> from nupair import constants as c
    >>> E = 10 * c.MeV                  # 1.0e7 (eV)
    >>> r = 1.0 * c.meter               # 5.07e6 (1/eV)
    >>> E / c.GeV
    0.01

Banner order (style guide item 3): mathematical, CODATA/SI exact, CODATA 2022 measured,
PDG 2024 particle data, oscillation global fits (version and ordering named), astrophysical.
Every value says its source, edition, and whether it is exact or measured (with the
uncertainty in the last digits); every derived value says how it is derived.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

from nupair import validation as _v

__all__ = [
    # mathematical
    "pi",
    # base units (natural units, eV = 1)
    "eV",
    "keV",
    "MeV",
    "GeV",
    "TeV",
    "meV",
    # SI exact
    "c_m_per_s",
    "h_J_s",
    "hbar_J_s",
    "e_C",
    "k_B_J_per_K",
    "N_A_per_mol",
    # conversions
    "hbar_eV_s",
    "hbarc_eV_m",
    "hbarc_MeV_fm",
    "eV_to_J",
    "eV_to_erg",
    "eV_to_K",
    "eV_to_per_m",
    "eV_to_per_s",
    "eV_to_kg",
    "meter",
    "cm",
    "km",
    "fm",
    "second",
    "kelvin",
    "joule",
    "erg",
    "kg",
    "gram",
    # CODATA 2022 measured
    "alpha",
    "m_e",
    "m_mu",
    "m_p",
    "m_n",
    "G_N_SI",
    "G_N",
    "mu_B",
    # PDG 2024
    "G_F",
    "m_W",
    "m_Z",
    "sin2_theta_W_MSbar_mZ",
    "sin2_theta_W_on_shell",
    "sin2_theta_W_MSbar_mZ_2022",
    # oscillation fits
    "OscillationParameters",
    "NUFIT_6_0",
    "NUFIT_5_2",
    "DEFAULT_FIT",
    "FIT_LABELS",
    "oscillation_parameters",
    # astrophysical
    "M_sun_kg",
    "M_sun",
    "GM_sun_m3_per_s2",
    "R_sun_m",
    "parsec_m",
    "year_s",
    "day_s",
    "km_to_cm",
    "GM_sun_over_c2_m",
    "sigma_SB_cgs",
    "m_u",
    "n_saturation_fm3",
]

# ---------------------------------------------------------------------------------------------
# Mathematical
# ---------------------------------------------------------------------------------------------
#: pi = 3.14159...
pi = math.pi

# ---------------------------------------------------------------------------------------------
# Energy units. Base unit: 1 eV = 1 (natural units, hbar = c = k_B = 1).
# ---------------------------------------------------------------------------------------------
#: 1 eV, the base unit of energy (natural units: hbar = c = k_B = 1).
eV = 1.0
#: 1 meV in eV.
meV = 1.0e-3 * eV
#: 1 keV in eV.
keV = 1.0e3 * eV
#: 1 MeV in eV.
MeV = 1.0e6 * eV
#: 1 GeV in eV.
GeV = 1.0e9 * eV
#: 1 TeV in eV.
TeV = 1.0e12 * eV

# ---------------------------------------------------------------------------------------------
# SI defining constants: exact by definition (SI 2019, adopted unchanged by CODATA 2022).
# ---------------------------------------------------------------------------------------------
#: speed of light [m/s], exact
c_m_per_s = 299_792_458.0  # speed of light [m/s], exact
#: Planck constant [J s], exact
h_J_s = 6.626_070_15e-34  # Planck constant [J s], exact
#: elementary charge [C], exact
e_C = 1.602_176_634e-19  # elementary charge [C], exact
#: Boltzmann constant [J/K], exact
k_B_J_per_K = 1.380_649e-23  # Boltzmann constant [J/K], exact
#: Avogadro constant [1/mol], exact
N_A_per_mol = 6.022_140_76e23  # Avogadro constant [1/mol], exact
#: reduced Planck constant [J s], derived (exact)
hbar_J_s = h_J_s / (2.0 * pi)  # reduced Planck constant [J s], derived (exact)

# ---------------------------------------------------------------------------------------------
# Conversions between eV and SI/cgs, all derived from the exact SI constants above.
# ---------------------------------------------------------------------------------------------
#: 1 eV in joule, exact
eV_to_J = e_C  # 1 eV in joule, exact
#: 1 eV in erg, exact (1 J = 1e7 erg)
eV_to_erg = e_C * 1.0e7  # 1 eV in erg, exact (1 J = 1e7 erg)
#: 1 eV / k_B in kelvin = 11604.518... K, exact
eV_to_K = e_C / k_B_J_per_K  # 1 eV / k_B in kelvin = 11604.518... K, exact
#: 1 eV/c^2 in kg, exact
eV_to_kg = e_C / c_m_per_s**2  # 1 eV/c^2 in kg, exact
#: hbar = 6.582119569e-16 eV s, exact
hbar_eV_s = hbar_J_s / e_C  # hbar = 6.582119569e-16 eV s, exact
#: hbar c = 1.973269804e-7 eV m, exact
hbarc_eV_m = hbar_J_s * c_m_per_s / e_C  # hbar c = 1.973269804e-7 eV m, exact
#: hbar c = 197.3269804 MeV fm, exact
hbarc_MeV_fm = hbarc_eV_m * 1.0e15 / 1.0e6  # hbar c = 197.3269804 MeV fm, exact
#: 1 eV = 5.0677307e6 1/m (E/(hbar c)), exact
eV_to_per_m = 1.0 / hbarc_eV_m  # 1 eV = 5.0677307e6 1/m (E/(hbar c)), exact
#: 1 eV = 1.519267447e15 1/s (E/hbar), exact
eV_to_per_s = 1.0 / hbar_eV_s  # 1 eV = 1.519267447e15 1/s (E/hbar), exact

# Length, time, temperature, energy and mass expressed in natural units (powers of eV).
#: 1 m = 5.0677e6 eV^-1
meter = eV_to_per_m / eV  # 1 m = 5.0677e6 eV^-1
#: 1 cm in natural units [eV^-1].
cm = 1.0e-2 * meter
#: 1 km in natural units [eV^-1].
km = 1.0e3 * meter
#: 1 fm in natural units [eV^-1].
fm = 1.0e-15 * meter
#: 1 s = 1.5193e15 eV^-1
second = eV_to_per_s / eV  # 1 s = 1.5193e15 eV^-1
#: k_B * 1 K = 8.617e-5 eV
kelvin = eV / eV_to_K  # k_B * 1 K = 8.617e-5 eV
#: 1 J = 6.2415e18 eV
joule = eV / eV_to_J  # 1 J = 6.2415e18 eV
#: 1 erg = 6.2415e11 eV
erg = eV / eV_to_erg  # 1 erg = 6.2415e11 eV
#: 1 kg c^2 = 5.6096e35 eV
kg = eV / eV_to_kg  # 1 kg c^2 = 5.6096e35 eV
#: 1 g c^2 in eV.
gram = 1.0e-3 * kg

# ---------------------------------------------------------------------------------------------
# CODATA 2022 recommended values (measured; standard uncertainty in the last digits).
# ---------------------------------------------------------------------------------------------
#: fine-structure constant, CODATA 2022, (11) in last digits
alpha = 7.297_352_5643e-3  # fine-structure constant, CODATA 2022, (11) in last digits
#: electron mass, CODATA 2022, (16)
m_e = 0.510_998_950_69 * MeV  # electron mass, CODATA 2022, (16)
#: proton mass, CODATA 2022, (29)
m_p = 938.272_089_43 * MeV  # proton mass, CODATA 2022, (29)
#: neutron mass, CODATA 2022, (48)
m_n = 939.565_421_94 * MeV  # neutron mass, CODATA 2022, (48)
#: muon mass, CODATA 2022, (23)
m_mu = 105.658_3755 * MeV  # muon mass, CODATA 2022, (23)
#: Newtonian constant [m^3 kg^-1 s^-2], CODATA 2022, (15)
G_N_SI = 6.674_30e-11  # Newtonian constant [m^3 kg^-1 s^-2], CODATA 2022, (15)
# G_N in natural units [eV^-2], derived: G/(hbar c^5) is in J^-2; times (1 eV in J)^2 gives
# eV^-2 (= 6.70883e-57 eV^-2 = 6.70883e-39 GeV^-2, the PDG "G_N/(hbar c)" in (GeV/c^2)^-2).
#: G_N in natural units [eV^-2], derived: G/(hbar c^5) is in J^-2; times (1 eV in J)^2 gives eV^-2 (= 6.70883e-57 eV^-2 = 6.70883e-39 GeV^-2, the PDG "G_N/(hbar c)" in (GeV/c^2)^-2).
G_N = G_N_SI / (hbar_J_s * c_m_per_s**5) * eV_to_J**2
#: Bohr magneton e/(2 m_e) in natural Heaviside-Lorentz units (e = sqrt(4 pi alpha)) [eV^-1], derived
mu_B = math.sqrt(4.0 * math.pi * alpha) / (2.0 * m_e)

# ---------------------------------------------------------------------------------------------
# PDG 2024 (S. Navas et al., Phys. Rev. D 110, 030001 (2024)).
# ---------------------------------------------------------------------------------------------
#: Fermi constant G_F/(hbar c)^3, PDG 2024, (6) in last digits
G_F = 1.166_3788e-5 * GeV**-2  # Fermi constant G_F/(hbar c)^3, PDG 2024, (6) in last digits
#: W mass, PDG 2024 average, +- 0.0133 GeV
m_W = 80.3692 * GeV  # W mass, PDG 2024 average, +- 0.0133 GeV
#: Z mass, PDG 2024, +- 0.0020 GeV
m_Z = 91.1880 * GeV  # Z mass, PDG 2024, +- 0.0020 GeV
#: sin^2 theta_W (MS-bar at m_Z), PDG 2024, +- 0.00004
sin2_theta_W_MSbar_mZ = 0.23129  # sin^2 theta_W (MS-bar at m_Z), PDG 2024, +- 0.00004
# On-shell definition s_W^2 = 1 - m_W^2/m_Z^2, derived from the two masses above (= 0.2232).
#: On-shell definition s_W^2 = 1 - m_W^2/m_Z^2, derived from the two masses above (= 0.2232).
sin2_theta_W_on_shell = 1.0 - (m_W / m_Z) ** 2
#: sin^2 theta_W (MS-bar at m_Z), PDG 2022 edition (R.L. Workman et al., PTEP 2022, 083C01),
#: +- 0.00004: the value at which the forces spec quotes its reference numbers (g_V^{e,nu_e} =
#: 0.96242, C_ee = 0.92904), so the default of ``forces`` and ``gradient.matter_potential_eV``;
#: the PDG 2024 value above differs by 8e-5, twice its error.
sin2_theta_W_MSbar_mZ_2022 = 0.23121


# ---------------------------------------------------------------------------------------------
# Oscillation parameters: global fits, best-fit points, named by version and ordering.
# ---------------------------------------------------------------------------------------------
@dataclass(frozen=True)
class OscillationParameters:
    """Three-flavour oscillation best-fit point of a global fit.

    Attributes
    ----------
    sin2_theta12, sin2_theta13, sin2_theta23 : float
        sin^2 of the mixing angles (PDG parametrization).
    delta_cp_deg : float
        Dirac CP phase [degrees].
    dm2_21_eV2 : float
        Delta m^2_21 = m2^2 - m1^2 [eV^2] (> 0).
    dm2_3l_eV2 : float
        Delta m^2_3l [eV^2]: Delta m^2_31 > 0 for normal ordering, Delta m^2_32 < 0 for inverted
        ordering (NuFIT's convention).
    ordering : str
        "normal" or "inverted".
    source : str
        Fit version and data set.
    """

    sin2_theta12: float
    sin2_theta13: float
    sin2_theta23: float
    delta_cp_deg: float
    dm2_21_eV2: float
    dm2_3l_eV2: float
    ordering: str
    source: str

    @property
    def theta12(self) -> float:
        """theta_12 [rad]."""
        return math.asin(math.sqrt(self.sin2_theta12))

    @property
    def theta13(self) -> float:
        """theta_13 [rad]."""
        return math.asin(math.sqrt(self.sin2_theta13))

    @property
    def theta23(self) -> float:
        """theta_23 [rad]."""
        return math.asin(math.sqrt(self.sin2_theta23))

    @property
    def delta_cp(self) -> float:
        """Dirac phase [rad]."""
        return math.radians(self.delta_cp_deg)


# NuFIT 6.0 (I. Esteban et al., JHEP 12 (2024) 216, arXiv:2410.05380; www.nu-fit.org, v6.0),
# best fits of the column "IC24 with SK atmospheric data" (the global analysis including the
# tabulated Super-Kamiokande and IceCube-24 atmospheric chi^2); 1-sigma ranges are in that table.
# nupair's default oscillation parameters.
#: NuFIT 6.0 (Esteban et al., JHEP 12 (2024) 216, arXiv:2410.05380), best fits of the column "IC24 with SK atmospheric data"; nupair's default oscillation parameters.
NUFIT_6_0 = {
    "normal": OscillationParameters(
        sin2_theta12=0.308,
        sin2_theta13=0.02215,
        sin2_theta23=0.470,
        delta_cp_deg=212.0,
        dm2_21_eV2=7.49e-5,
        dm2_3l_eV2=+2.513e-3,
        ordering="normal",
        source="NuFIT 6.0 (2024), column 'IC24 with SK atmospheric data', normal ordering",
    ),
    "inverted": OscillationParameters(
        sin2_theta12=0.308,
        sin2_theta13=0.02231,
        sin2_theta23=0.550,
        delta_cp_deg=274.0,
        dm2_21_eV2=7.49e-5,
        dm2_3l_eV2=-2.484e-3,
        ordering="inverted",
        source="NuFIT 6.0 (2024), column 'IC24 with SK atmospheric data', inverted ordering",
    ),
}

# NuFIT 5.2 (2022), with SK atmospheric data: selectable with fit="nufit-5.2" (older worked numbers use it).
#: NuFIT 5.2 (2022), best fits with SK atmospheric data; selectable with ``fit="nufit-5.2"``.
NUFIT_5_2 = {
    "normal": OscillationParameters(
        sin2_theta12=0.303,
        sin2_theta13=0.02203,
        sin2_theta23=0.572,
        delta_cp_deg=197.0,
        dm2_21_eV2=7.41e-5,
        dm2_3l_eV2=+2.511e-3,
        ordering="normal",
        source="NuFIT 5.2 (2022), with SK-atm, normal ordering",
    ),
    "inverted": OscillationParameters(
        sin2_theta12=0.303,
        sin2_theta13=0.02219,
        sin2_theta23=0.578,
        delta_cp_deg=286.0,
        dm2_21_eV2=7.41e-5,
        dm2_3l_eV2=-2.498e-3,
        ordering="inverted",
        source="NuFIT 5.2 (2022), with SK-atm, inverted ordering",
    ),
}

_FITS = {"nufit-6.0": NUFIT_6_0, "nufit-5.2": NUFIT_5_2}
#: The default global fit of every oscillation-dependent function.
DEFAULT_FIT = "nufit-6.0"
#: What each fit name stands for (the table and column), as written into summaries.
FIT_LABELS = {"nufit-6.0": "NuFIT 6.0 (2024), column 'IC24 with SK atmospheric data'",
              "nufit-5.2": "NuFIT 5.2 (2022), with SK atmospheric data"}


def oscillation_parameters(ordering: str = "normal", fit: str = "nufit-6.0") -> OscillationParameters:
    """Best-fit oscillation parameters of a named global fit.

    Parameters
    ----------
    ordering : {"normal", "inverted"}
        Neutrino mass ordering.
    fit : {"nufit-6.0", "nufit-5.2"}
        Global-fit version.
    """
    if fit not in _FITS:
        raise ValueError(f"fit={fit!r} is not known; allowed: {sorted(_FITS)}")
    table = _FITS[fit]
    _v.one_of("ordering", ordering, table)
    return table[ordering]


# ---------------------------------------------------------------------------------------------
# Astrophysical
# ---------------------------------------------------------------------------------------------
#: nominal solar mass parameter, IAU 2015 Resolution B3, exact
GM_sun_m3_per_s2 = 1.327_124_4e20  # nominal solar mass parameter, IAU 2015 Resolution B3, exact
#: solar mass [kg], PDG 2024 astrophysical constants, (4) in last digit
M_sun_kg = 1.988_41e30  # solar mass [kg], PDG 2024 astrophysical constants, (4) in last digit
#: solar mass in eV (natural units), derived
M_sun = M_sun_kg * kg  # solar mass in eV (natural units), derived
#: nominal solar radius [m], IAU 2015 Resolution B3, exact
R_sun_m = 6.957e8  # nominal solar radius [m], IAU 2015 Resolution B3, exact
#: parsec [m], PDG 2024 (exact by the IAU 2015 definition of au)
parsec_m = 3.085_677_581e16  # parsec [m], PDG 2024 (exact by the IAU 2015 definition of au)
#: Julian year [s], exact (IAU)
year_s = 365.25 * 86400.0  # Julian year [s], exact (IAU)
#: day [s], exact (SI)
day_s = 86400.0
#: kilometre in centimetres, exact (the gradient capability's cgs edge)
km_to_cm = 1.0e5
#: GM_sun / c^2 [m]: the length unit of geometric units G = c = M_sun = 1 (1476.6 m), derived.
GM_sun_over_c2_m = GM_sun_m3_per_s2 / c_m_per_s**2
#: Stefan-Boltzmann constant [erg cm^-2 s^-1 K^-4], derived from exact SI constants
#: (pi^2 k_B^4 / (60 hbar^3 c^2) = 5.670374419e-5 in cgs).
sigma_SB_cgs = pi**2 * k_B_J_per_K**4 / (60 * hbar_J_s**3 * c_m_per_s**2) * 1.0e3
#: Atomic mass unit [eV], CODATA 2022 (931.494 103 72(29) MeV).
m_u = 931.494_103_72 * MeV
#: Nuclear saturation density [fm^-3] (conventional value used by the gradient spec).
n_saturation_fm3 = 0.16
