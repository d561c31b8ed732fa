"""From facts to examples: ingestion of study data, and one module per kind of example."""
