"""The JSON API: one NinjaAPI, each app adds its router from its own ``api.py``."""

from ninja import NinjaAPI, Swagger

from kindred.core.api import router as core_router
from kindred.library.api import router as library_router
from kindred.network.api import router as network_router
from kindred.observe.api import router as observe_router
from kindred.places.api import router as places_router
from kindred.policy.api import router as policy_router
from kindred.research.api import router as research_router
from kindred.systems.api import hsds_router
from kindred.systems.api import router as systems_router

api = NinjaAPI(
    title="Kindred API",
    version="1.0.0",
    description="Open data from the Kindred Early Relational Health network.",
    urls_namespace="api",
    # /api/docs is Swagger UI served from ninja's static files (no CDN); it runs under our
    # strict CSP as is. "none" turns off its badge, which would load an image from swagger.io.
    docs=Swagger(settings={"validatorUrl": "none"}),
)
api.add_router("/places/", places_router)
api.add_router("/network/", network_router)
api.add_router("/library/", library_router)
api.add_router("/systems/", systems_router)
api.add_router("/hsds/", hsds_router)
api.add_router("/policy/", policy_router)
api.add_router("/observe/", observe_router)
api.add_router("/research/", research_router)
api.add_router("/", core_router)
