"""Bulletins' Pelican plugins: one sub-package per capability.

They share one content model (plugins/model.py). ``plugins.build`` is not a
Pelican plugin: it drives the strict, atomic, bilingual build.
"""
