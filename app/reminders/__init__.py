"""Reminders: per-organisation rules, working days and holidays, sent exactly once."""
