"""Whole packs written by hand, with the engine's outputs: the baselines of benchmarks/scalar.py."""
