"""Organisations, units, people and reporting lines."""
