"""Reading untrusted files into data with positions: YAML and JSON documents, validation against a model.

May import: errors.
"""
