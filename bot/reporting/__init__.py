"""Report files: PNG charts and spreadsheets (XLSX, CSV) built from plain figures and rows."""
