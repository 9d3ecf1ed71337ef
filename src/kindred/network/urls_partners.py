"""Partnership, network-health and import pages (filled in by their own work)."""

urlpatterns: list = []
