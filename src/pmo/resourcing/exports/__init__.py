"""Excel exports of resourcing, one module per area."""
