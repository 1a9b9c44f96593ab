"""`python -m shipdesk`: the same as the `shipdesk` command."""

import sys

from shipdesk.cli import main

sys.exit(main())
