"""Evals: retrieval quality, scenario runs and benchmarks."""
