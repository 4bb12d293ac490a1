"""A tamper-evident audit trail: every entry carries the hash of the one before."""
