"""The daily activity log (laporan harian) against the SKP."""
