"""Benchmarks of wagtail-acupuncture against stock Wagtail and a precomputed floor (make bench)."""
