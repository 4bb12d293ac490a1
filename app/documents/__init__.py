"""Printable documents and exports: monthly reports, recaps, e-Kinerja progress, evaluations."""
