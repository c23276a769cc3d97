"""Benchmarks: each case measured beside its floor (what the libraries alone take)."""
