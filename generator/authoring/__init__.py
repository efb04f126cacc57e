"""What helps people write records: JSON Schemas and the reference, skeletons (`clause8 new`), an
organisation's repository (`clause8 init`), importers of operational data (`clause8 import`).
"""
