"""State changes of resourcing, one module per area. Every function is atomic, checks
permission inside its transaction and writes audit events."""
