"""Helpers of ``scripts/bench.py``: synthetic content, baselines, measurement."""
