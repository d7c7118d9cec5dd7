"""Compiled packs and their evaluation: compiler, model, evaluator, result, explanation.

May import: pack, facts, reading, expr, types, units, dates, errors. Knows no YAML.
"""
