"""What can be known about a pack without a user: consistency, quotes, coverage, YAML test cases, strategies.

May import: backends, engine, pack, facts, reading, expr and below.
"""
