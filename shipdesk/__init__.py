"""shipdesk: the packing-station app. Orders in from the stores, labels out to the printers, status back."""

__version__ = "0.1.0"
