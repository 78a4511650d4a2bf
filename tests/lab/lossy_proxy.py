#!/usr/bin/env python3
"""A hostile network in front of the lab's servers: loss, jitter, duplicates, reordering.

This kernel has no netem, so the lab brings its own: `lab up --proxy SPEC --proxy-net 127.Y`
binds every server on 127.Y.a.b and starts this proxy on each front address 127.X.a.b. Each
UDP datagram, in each direction independently, is dropped with probability `loss`, else
delivered after a uniform random delay in [0, jitter] seconds (so datagrams overtake each other)
and, with probability `dup`, delivered a second time after its own random delay. TCP is passed
through unchanged (loss on TCP is the kernel's business, not DNS's). The random generator is
seeded: the sequence of decisions is fixed; which datagram meets which decision depends on the
order they arrive in.

Usage: lossy_proxy.py --port N --spec SPEC --stats FILE FRONT=BACK...
SPEC: comma-separated key=value among loss (0..1), jitter (seconds, >= 0), dup (0..1), seed
(integer), delay (seconds added to every datagram each way: a far-away host), e.g. 'loss=0.3,jitter=0.5,dup=0.1,seed=1'. Missing keys are 0 (seed 1).
Counters (per direction: in, out, dropped, duplicated, overtaking, delay_s) are written as JSON
to FILE twice a second while they change, and on SIGTERM/SIGINT before exiting.
"""
import argparse
import asyncio
import json
import os
import random
import signal
import sys

KEYS = {"loss": float, "jitter": float, "dup": float, "seed": int, "delay": float}
IDLE_UPSTREAM_S = 30.0  # an upstream socket unused this long is closed (bounded memory)


def parse_spec(text):
    """'loss=0.3,jitter=0.5' -> dict with every key; raises ValueError naming the bad part."""
    spec = {"loss": 0.0, "jitter": 0.0, "dup": 0.0, "seed": 1, "delay": 0.0}
    for part in filter(None, (p.strip() for p in text.split(","))):
        key, eq, value = part.partition("=")
        if not eq or key not in KEYS:
            raise ValueError("%r: expected one of %s as key=value" % (part, ", ".join(KEYS)))
        try:
            spec[key] = KEYS[key](value)
        except ValueError:
            raise ValueError("%r: %s must be a%s number" % (
                part, key, "n integer" if KEYS[key] is int else "")) from None
    for key in ("loss", "dup"):
        if not 0.0 <= spec[key] <= 1.0:
            raise ValueError("%s=%s: must be between 0 and 1" % (key, spec[key]))
    if not 0.0 <= spec["jitter"] <= 10.0:
        raise ValueError("jitter=%s: must be between 0 and 10 seconds" % spec["jitter"])
    if not 0.0 <= spec["delay"] <= 10.0:
        raise ValueError("delay=%s: must be between 0 and 10 seconds" % spec["delay"])
    return spec


class Hostile:
    """The decisions (one seeded generator) and the counters shared by every socket."""

    def __init__(self, spec, stats_path):
        self.spec = spec
        self.rng = random.Random(spec["seed"])
        self.stats_path = stats_path
        # Per direction: datagrams received, sent on, dropped, duplicated; "overtaking": sent
        # before a datagram that arrived earlier (reordered); "delay_s": sum of the delays.
        self.counts = {d: {"in": 0, "out": 0, "dropped": 0, "duplicated": 0, "overtaking": 0,
                           "delay_s": 0.0} for d in ("to_server", "to_client")}
        self.last_due = {"to_server": 0.0, "to_client": 0.0}
        self.counts["tcp_connections"] = 0
        self.dirty = True

    def deliver(self, direction, send, data):
        """Applies loss, jitter and duplication to one datagram; send(data) puts it on the wire."""
        loop = asyncio.get_running_loop()
        c = self.counts[direction]
        c["in"] += 1
        self.dirty = True
        if self.rng.random() < self.spec["loss"]:
            c["dropped"] += 1
            return
        copies = 1
        if self.rng.random() < self.spec["dup"]:
            c["duplicated"] += 1
            copies = 2
        for _ in range(copies):
            # A fixed one-way delay (a far-away host) plus the random jitter.
            delay = self.spec["delay"] + (self.rng.uniform(0.0, self.spec["jitter"]) if self.spec["jitter"] else 0.0)
            due = loop.time() + delay
            if due < self.last_due[direction]:
                c["overtaking"] += 1
            self.last_due[direction] = max(due, self.last_due[direction])
            c["delay_s"] += delay

            def fire(data=data):
                c["out"] += 1
                self.dirty = True
                send(data)
            if delay:
                loop.call_later(delay, fire)
            else:
                fire()

    def write_stats(self):
        if not self.dirty:
            return
        self.dirty = False
        tmp = self.stats_path + ".tmp"
        with open(tmp, "w") as f:
            json.dump({"spec": self.spec, "pid": os.getpid(), **self.counts}, f, indent=1)
        os.replace(tmp, self.stats_path)


class Upstream(asyncio.DatagramProtocol):
    """One socket towards the back server per (front address, client address): the server's
    answers come back on it and leave through the front socket to that client."""

    def __init__(self, front, client, hostile):
        self.front, self.client, self.hostile = front, client, hostile
        self.transport = None
        self.last_used = asyncio.get_running_loop().time()

    def connection_made(self, transport):
        self.transport = transport

    def datagram_received(self, data, addr):
        self.last_used = asyncio.get_running_loop().time()
        self.hostile.deliver("to_client", self.send_to_client, data)

    def send_to_client(self, data):
        if self.front.transport is not None and not self.front.transport.is_closing():
            self.front.transport.sendto(data, self.client)

    def send_to_server(self, data):
        if self.transport is not None and not self.transport.is_closing():
            self.transport.sendto(data)

    def error_received(self, exc):  # ICMP port unreachable from the back: the client times out
        pass


class Front(asyncio.DatagramProtocol):
    """The UDP socket on a front address: what the scanner talks to."""

    def __init__(self, back, port, hostile):
        self.back, self.port, self.hostile = back, port, hostile
        self.transport = None
        self.upstreams = {}
        self.pending = {}

    def connection_made(self, transport):
        self.transport = transport

    def datagram_received(self, data, client):
        up = self.upstreams.get(client)
        if up is not None:
            up.last_used = asyncio.get_running_loop().time()
            self.hostile.deliver("to_server", up.send_to_server, data)
            return
        # The first datagram from this client: open its upstream socket, then deliver.
        self.pending.setdefault(client, []).append(data)
        if len(self.pending[client]) == 1:
            asyncio.ensure_future(self.open_upstream(client))

    async def open_upstream(self, client):
        loop = asyncio.get_running_loop()
        _, up = await loop.create_datagram_endpoint(
            lambda: Upstream(self, client, self.hostile), remote_addr=(self.back, self.port))
        self.upstreams[client] = up
        for data in self.pending.pop(client, []):
            self.hostile.deliver("to_server", up.send_to_server, data)

    def sweep(self, now):
        for client, up in list(self.upstreams.items()):
            if now - up.last_used > IDLE_UPSTREAM_S:
                up.transport.close()
                del self.upstreams[client]

    def error_received(self, exc):
        pass


async def pipe(reader, writer):
    try:
        while True:
            data = await reader.read(65536)
            if not data:
                break
            writer.write(data)
            await writer.drain()
    except (ConnectionError, OSError):
        pass
    finally:
        try:
            writer.close()
        except OSError:
            pass


def tcp_handler(back, port, hostile):
    async def handle(reader, writer):
        hostile.counts["tcp_connections"] += 1
        hostile.dirty = True
        try:
            ureader, uwriter = await asyncio.open_connection(back, port)
        except OSError:
            writer.close()
            return
        await asyncio.gather(pipe(reader, uwriter), pipe(ureader, writer))
    return handle


async def serve(pairs, port, hostile):
    loop = asyncio.get_running_loop()
    fronts = []
    for front, back in pairs:
        _, proto = await loop.create_datagram_endpoint(
            lambda back=back: Front(back, port, hostile), local_addr=(front, port), reuse_port=False)
        fronts.append(proto)
        await asyncio.start_server(tcp_handler(back, port, hostile), front, port,
                                   reuse_address=True, backlog=128)
    print("lossy proxy: %s on port %d, %s" % (
        ", ".join("%s->%s" % p for p in pairs), port,
        ",".join("%s=%s" % kv for kv in hostile.spec.items())), flush=True)
    stop = asyncio.Event()
    for sig in (signal.SIGTERM, signal.SIGINT):
        loop.add_signal_handler(sig, stop.set)
    while not stop.is_set():
        hostile.write_stats()
        now = loop.time()
        for f in fronts:
            f.sweep(now)
        try:
            await asyncio.wait_for(stop.wait(), timeout=0.5)
        except asyncio.TimeoutError:
            pass
    hostile.dirty = True
    hostile.write_stats()
    c = hostile.counts
    print("lossy proxy: stopped; to servers %s; to clients %s; tcp connections %d" % (
        c["to_server"], c["to_client"], c["tcp_connections"]), flush=True)


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--port", type=int, required=True)
    ap.add_argument("--spec", required=True)
    ap.add_argument("--stats", required=True)
    ap.add_argument("pairs", nargs="+", metavar="FRONT=BACK")
    a = ap.parse_args()
    try:
        spec = parse_spec(a.spec)
    except ValueError as e:
        ap.error("--spec %s" % e)
    pairs = []
    for p in a.pairs:
        front, eq, back = p.partition("=")
        if not eq or not front or not back:
            ap.error("%r: expected FRONT=BACK addresses" % p)
        pairs.append((front, back))
    asyncio.run(serve(pairs, a.port, Hostile(spec, a.stats)))
    return 0


if __name__ == "__main__":
    sys.exit(main())
