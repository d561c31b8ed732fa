"""Fitting the QLoRA adapter on a dataset version, and evaluating it honestly."""
