"""The method families, one package each (their registry: ``registry``)."""
