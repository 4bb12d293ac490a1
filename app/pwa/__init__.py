"""The installable app: service worker, web app manifest, offline shell."""
