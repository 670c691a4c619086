"""Shared helpers for the test suite (imported as `testkit`)."""
