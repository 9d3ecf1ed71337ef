import gc
import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "kindred.settings")
application = get_wsgi_application()


def _load_what_the_first_request_would() -> None:
    """The URLconf and every module it names (views, APIs, their libraries) and the
    translation catalogs, which Django would otherwise load during the first request."""
    from django.conf import settings
    from django.urls import get_resolver
    from django.utils.translation import trans_real

    get_resolver().url_patterns  # noqa: B018 - imports the URLconf
    for code, _name in settings.LANGUAGES:
        trans_real.translation(code)


_load_what_the_first_request_would()
# All of that lives as long as the process: move it out of the garbage collector's way, so
# that each full collection scans only what requests create. Left tracked, the modules the
# URLconf imports made every full collection in a worker take about 60 ms, with all of the
# worker's threads waiting.
gc.collect()
gc.freeze()
