"""Forms of resourcing pages, one module per area."""
