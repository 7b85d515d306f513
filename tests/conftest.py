import os

import tempfile

os.environ.setdefault("MPLBACKEND", "Agg")
# the checkpoint secret of the test session (and its subprocesses), not the user's own
os.environ.setdefault("NUPAIR_CONFIG_DIR", tempfile.mkdtemp(prefix="nupair-test-config-"))

from hypothesis import settings

# Property tests draw the same examples on every run (CI must give the same answer twice); set
# NUPAIR_HYPOTHESIS_RANDOM=1 for a random campaign.
settings.register_profile("deterministic", derandomize=True, database=None)
settings.register_profile("random")
settings.load_profile("random" if os.environ.get("NUPAIR_HYPOTHESIS_RANDOM") else "deterministic")
