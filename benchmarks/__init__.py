"""Benchmark of this generator against plain Pelican (`invoke bench`)."""
