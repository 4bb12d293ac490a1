"""Citizen satisfaction survey (SKM/IKM, PermenPANRB 14/2017): responses and the index."""
