def seed(rng, scale: str) -> None:
    """Demo data for the systems area (filled in by its issue)."""
