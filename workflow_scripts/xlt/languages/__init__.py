"""Languages: codes across data sources, URIEL vectors of real languages, and the
language table of typological features and distances."""
