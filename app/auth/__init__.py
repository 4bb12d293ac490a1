"""Sign-in: passwords, login sessions, CSRF, personal access tokens."""
