"""Period evaluation: ratings, the predikat matrix and the organisation's distribution."""
