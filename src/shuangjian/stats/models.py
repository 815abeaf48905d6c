"""Models of this area (none yet)."""
