"""Pages of the core app; ``generic`` holds the base views every app's pages build on."""
