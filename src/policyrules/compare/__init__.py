"""Two or more packs side by side: structural diff, behavioural diff, the comparison matrix.

May import: check, backends, engine, pack, facts, reading, expr and below.
"""
