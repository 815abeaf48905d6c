"""Settings and URLs the load benchmark (``benchmarks/load.py``) serves the platform with.

The production settings unchanged, plus one bare view at ``/bench/bare/`` (no database, no template)
so that the benchmark can compare every page with the cheapest answer the same server gives.
"""
