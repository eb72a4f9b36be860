"""``python -m trafikplan`` runs the command line."""

import sys

from trafikplan.cli import main

sys.exit(main())
