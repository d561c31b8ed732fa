"""Biologist review in Argilla: the review dataset, push and pull, and a local server."""
