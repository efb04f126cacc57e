"""The records and what is read with them: models, the YAML reader, the loader, the index, editions
and customers, the records' history and evidence files, findings and their wording, labels.

The bottom layer: it imports nothing else of the generator (pyproject.toml, import-linter).
"""
