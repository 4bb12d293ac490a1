"""Dashboards: the supervisor's team and the organisation's units, with server-side charts."""
