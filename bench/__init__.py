"""The search benchmark (see bench/run.py)."""
