"""Clinic Desk: runs an aesthetic clinic's microneedling practice."""

__version__ = "0.1.0"
