"""Absences: the API, the pages, the import and the days they excuse."""
