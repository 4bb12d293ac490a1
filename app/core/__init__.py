"""Cross-cutting plumbing: security, i18n, scoping helpers."""
