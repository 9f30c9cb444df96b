"""``python -m peerdesk.agency.cli``: the same as ``peerdesk-agency``."""

import sys

from peerdesk.agency.cli import main

sys.exit(main())
