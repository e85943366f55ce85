"""Helpers of the quality gates (tests/test_quality_gates.py): the tools a visitor's
browser, the Nu Html Checker and poppler bring, driven on the built site."""
