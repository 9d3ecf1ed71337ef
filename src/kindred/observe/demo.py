def seed(rng, scale: str) -> None:
    """Demo data for the observe area (filled in by its issue)."""
