"""Progress against targets and recaps, computed in SQL."""
