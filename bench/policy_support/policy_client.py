"""A small asyncio HTTP/1.1 load client that remembers which signatures were acknowledged.

Run by bench/policy_spike.py in its own process (so it never shares a core's GIL with the
server): ``policy_client.py PORT PATH RUN SECONDS CONNECTIONS ZIPS OUT.json``. Targets only
127.0.0.1; stops by itself after SECONDS. Each connection sends one request at a time and
keeps track of the email in it, so after a crash we know exactly which signatures the server
acknowledged (2xx) and which got no answer.
"""

from __future__ import annotations

import asyncio
import json
import sys
import time

HOST = "127.0.0.1"


async def _read_response(reader: asyncio.StreamReader) -> tuple[int, bool]:
    status_line = await reader.readline()
    if not status_line:
        raise ConnectionResetError("closed")
    status = int(status_line.split()[1])
    length, close = 0, False
    while True:
        line = await reader.readline()
        if line in (b"\r\n", b"\n", b""):
            break
        name, _, value = line.decode("latin-1").partition(":")
        name = name.strip().lower()
        if name == "content-length":
            length = int(value.strip())
        elif name == "connection" and value.strip().lower() == "close":
            close = True
    if length:
        await reader.readexactly(length)
    return status, close


async def worker(number, port, path, run, deadline, zips, result):
    reader = writer = None
    sent = 0
    while time.monotonic() < deadline:
        if writer is None:
            try:
                reader, writer = await asyncio.open_connection(HOST, port)
            except OSError:
                result["connect_failures"] += 1
                await asyncio.sleep(0.05)
                continue
        sent += 1
        email = f"{run}-{number}-{sent}@bench.example.org"
        body = json.dumps(
            {"name": "Bench Signer", "email": email, "zip": zips[sent % len(zips)]}
        ).encode()
        request = (
            f"POST {path} HTTP/1.1\r\nHost: {HOST}:{port}\r\n"
            f"Content-Type: application/json\r\nContent-Length: {len(body)}\r\n\r\n"
        ).encode() + body
        started = time.perf_counter()
        try:
            writer.write(request)
            await writer.drain()
            status, close = await asyncio.wait_for(_read_response(reader), timeout=15)
        except (TimeoutError, OSError, asyncio.IncompleteReadError, ValueError):
            result["unanswered"].append(email)
            writer.close()
            reader = writer = None
            continue
        result["latencies"].append(time.perf_counter() - started)
        if status in (200, 201):
            result["acked"].append(email)
            result["statuses"][str(status)] = result["statuses"].get(str(status), 0) + 1
        else:
            result["statuses"][str(status)] = result["statuses"].get(str(status), 0) + 1
            result["refused"].append(email)
        if close:
            writer.close()
            reader = writer = None
    if writer is not None:
        writer.close()


async def main(port, path, run, seconds, connections, zips, out):
    result = {"acked": [], "unanswered": [], "refused": [], "latencies": [], "statuses": {},
              "connect_failures": 0}  # fmt: skip
    deadline = time.monotonic() + seconds
    started = time.monotonic()
    await asyncio.gather(
        *(worker(n, port, path, run, deadline, zips, result) for n in range(connections))
    )
    elapsed = time.monotonic() - started
    latencies = sorted(result.pop("latencies"))

    def pct(p):
        return latencies[min(len(latencies) - 1, int(p / 100 * len(latencies)))] if latencies else 0

    result.update(
        elapsed=elapsed,
        answered=len(latencies),
        p50_ms=pct(50) * 1000,
        p95_ms=pct(95) * 1000,
        rate=len(latencies) / elapsed if elapsed else 0,
    )
    with open(out, "w") as handle:
        json.dump(result, handle)


if __name__ == "__main__":
    port, path, run, seconds, connections, zips, out = sys.argv[1:8]
    asyncio.run(main(int(port), path, run, float(seconds), int(connections), zips.split(","), out))
