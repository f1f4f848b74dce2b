"""Use cases: ingest, process, review, report."""
