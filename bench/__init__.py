"""Benchmarks of Petits Pas at département scale (issue 10): ``make bench``. Never imported
by the test suite; see README.md."""
