"""Demo organisations for trying Kinerjaku out."""
