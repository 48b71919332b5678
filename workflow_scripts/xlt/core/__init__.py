"""Shared infrastructure: project paths, atomic file output, provenance records,
running rule scripts, and statistics over seeds."""
