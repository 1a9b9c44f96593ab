"""shipdesk: the packing-station app. Orders in from the stores, labels out to the printers, status back."""

import logging

__version__ = "0.1.0"

# python-escpos calls logging.basicConfig() when it is imported, which would print every warning of every library on
# the terminal beside the plain message shipdesk prints itself. A handler on the root logger makes that call do
# nothing; shipdesk's own records go to its log file (app_log.py).
if not logging.getLogger().handlers:
    logging.getLogger().addHandler(logging.NullHandler())
