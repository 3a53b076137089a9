"""Packaging approved dossiers and uploading them to the city warehouse."""
