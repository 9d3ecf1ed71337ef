def seed(rng, scale: str) -> None:
    """Demo members, organizations, communities, connections and partnerships."""
