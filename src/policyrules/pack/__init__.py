"""The pack file: its schema, where packs are, how one is read, and the shared topic list.

May import: reading, expr, facts, types, units, dates, errors.
"""
