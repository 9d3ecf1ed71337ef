def seed(rng, scale: str) -> None:
    """Demo data for the library area (filled in by its issue)."""
