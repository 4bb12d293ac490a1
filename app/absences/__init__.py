"""Absences: cuti, sakit, dinas luar, tugas belajar; the days they excuse from logging."""
