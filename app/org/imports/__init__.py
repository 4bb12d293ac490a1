"""Bulk import of people and units from XLSX or CSV files shaped like a SIASN export."""
