"""``python -m haven_sync``, the same as the ``haven-sync`` command."""

import sys

from haven_sync.cli import main

sys.exit(main())
