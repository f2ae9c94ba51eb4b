"""Read-side queries of resourcing, one module per area."""
