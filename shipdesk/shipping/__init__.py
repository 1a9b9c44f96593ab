"""Shipping: carriers, services, packages and the label providers that give a label its tracking number."""
