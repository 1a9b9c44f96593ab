"""`python -m shipdesk`: the same as the `shipdesk` command."""

import multiprocessing
import sys

from shipdesk.cli import main

if __name__ == "__main__":
    # In the frozen app every process starts here, also those that read part of a large CSV file
    # (upstream/csv_processes): freeze_support() runs those as the stretch readers they are.
    multiprocessing.freeze_support()
    sys.exit(main())
