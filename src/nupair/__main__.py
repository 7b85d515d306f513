"""``python -m nupair`` runs the command line."""

import sys

from nupair.cli import main

sys.exit(main())
