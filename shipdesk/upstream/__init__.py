"""Upstreams: one module per kind of store (CSV files first), and the sync engine that applies the import rules."""
