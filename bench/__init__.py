"""Benchmarks of Petits Pas at département scale (issue 10): ``make bench``. The suite only
runs the generator's test (``bench/tests``); see README.md."""
