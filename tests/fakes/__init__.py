"""Fake upstream services for tests: real HTTP servers on 127.0.0.1 that answer like the real ones.

Each fake runs in a thread on a free port, holds its data in memory and records what it was asked.
"""
