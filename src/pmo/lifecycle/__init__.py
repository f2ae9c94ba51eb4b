"""The PMO charter and model, terms of reference, standards, and stage gates."""
