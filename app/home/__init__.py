"""Beranda (home) and Profil pages."""
