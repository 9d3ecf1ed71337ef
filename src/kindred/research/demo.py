def seed(rng, scale: str) -> None:
    """Demo data for the research area (filled in by its issue)."""
