import os
import tempfile

# One BLAS thread per test process: with pytest -n auto (one worker per core) pools of busy-waiting
# BLAS threads in every worker would oversubscribe the cores. Read by processes started from here
# on: xdist's workers (started after this file is imported) and the runs tests start.
for _name in ("OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS", "MKL_NUM_THREADS"):
    os.environ.setdefault(_name, "1")

os.environ.setdefault("MPLBACKEND", "Agg")
# the checkpoint secret of the test session (and its subprocesses), not the user's own
os.environ.setdefault("NUPAIR_CONFIG_DIR", tempfile.mkdtemp(prefix="nupair-test-config-"))

from hypothesis import settings

# Property tests draw the same examples on every run (CI must give the same answer twice); set
# NUPAIR_HYPOTHESIS_RANDOM=1 for a random campaign.
settings.register_profile("deterministic", derandomize=True, database=None)
settings.register_profile("random")
settings.load_profile("random" if os.environ.get("NUPAIR_HYPOTHESIS_RANDOM") else "deterministic")
