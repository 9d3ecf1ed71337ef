def seed(rng, scale: str) -> None:
    """Demo data for the policy area (filled in by its issue)."""
