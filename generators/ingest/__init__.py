"""Ingestion (placeholder during development)."""
