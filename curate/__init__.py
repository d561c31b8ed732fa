"""curate: turn spaceflight transcriptomics into checked, versioned fine-tuning data."""

__version__ = "0.1.0"
