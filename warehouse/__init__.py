"""A reference warehouse service, used by tests and pilots."""
