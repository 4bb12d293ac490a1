"""`make bench`: load figures against a hello-world endpoint in the same run."""
