"""CPU time per request, bare insert view vs the sign endpoint, interleaved 1:1 in one process.

Run by bench/policy_spike.py as ``policy_cpu.py SLUG N``: it calls Django's WSGI handler
directly (no HTTP server, no load generator), so the figure does not depend on what else the
machine is doing, and it prints one JSON line.
"""

import io
import json
import sys
import time

import django

django.setup()

from django.core.handlers.wsgi import WSGIHandler  # noqa: E402

handler = WSGIHandler()


def call(path: str, body: bytes) -> str:
    environ = {
        "REQUEST_METHOD": "POST",
        "PATH_INFO": path,
        "SERVER_NAME": "127.0.0.1",
        "SERVER_PORT": "8000",
        "HTTP_HOST": "127.0.0.1",
        "REMOTE_ADDR": "127.0.0.1",
        "CONTENT_TYPE": "application/json",
        "CONTENT_LENGTH": str(len(body)),
        "wsgi.input": io.BytesIO(body),
        "wsgi.url_scheme": "http",
    }
    statuses = []
    response = handler(environ, lambda status, headers: statuses.append(status))
    b"".join(response)
    response.close()
    return statuses[0]


def main(slug: str, count: int) -> None:
    paths = {"bare": "/bench/insert", "sign": f"/api/policy/actions/{slug}/sign"}
    spent = dict.fromkeys(paths, 0.0)
    run = f"cpu{int(time.time())}"
    for number in range(count + 200):
        for name, path in paths.items():
            body = json.dumps(
                {"name": "Bench", "email": f"{run}-{name}-{number}@bench.example.org",
                 "zip": "74103"}
            ).encode()  # fmt: skip
            started = time.process_time()
            status = call(path, body)
            if number >= 200:  # the first 200 warm the caches
                spent[name] += time.process_time() - started
            assert status.startswith("201"), status
    print(json.dumps({name: 1000 * total / count for name, total in spent.items()}))


if __name__ == "__main__":
    main(sys.argv[1], int(sys.argv[2]))
