import gc
import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "kindred.settings")
application = get_wsgi_application()

# Everything loaded so far (Django, the apps, the URLconf's modules) lives as long as the
# process: move it out of the garbage collector's way, so that each full collection scans
# only what requests create.
gc.freeze()
