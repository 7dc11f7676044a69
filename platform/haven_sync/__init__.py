"""haven-sync: push a school's MIS export (pupils, staff, groups) into Haven's GraphQL API."""

from haven_sync.cli import main

__all__ = ["main"]
