"""One named operation per user command; each runs in one transaction and returns what changed."""
