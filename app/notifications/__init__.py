"""Notifications: every event a person should see is a row first, then published live."""
