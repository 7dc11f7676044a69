"""Reads, one module per noun."""
