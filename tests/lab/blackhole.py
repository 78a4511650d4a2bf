#!/usr/bin/env python3
"""A DNS server that never answers: reads UDP datagrams and TCP bytes and drops them.

An address with nothing listening answers ICMP port unreachable at once (a refused server);
a real timeout needs a listener that reads and stays silent. Usage: blackhole.py ADDR PORT
"""
import selectors
import signal
import socket
import sys


def main():
    addr, port = sys.argv[1], int(sys.argv[2])
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(0))
    sel = selectors.DefaultSelector()
    udp = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    udp.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    udp.bind((addr, port))
    tcp = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    tcp.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    tcp.bind((addr, port))
    tcp.listen(64)
    sel.register(udp, selectors.EVENT_READ, "udp")
    sel.register(tcp, selectors.EVENT_READ, "listen")
    print("blackhole listening on %s port %d" % (addr, port), flush=True)
    while True:
        for key, _ in sel.select():
            sock = key.fileobj
            if key.data == "udp":
                sock.recvfrom(65535)
            elif key.data == "listen":
                conn, _ = sock.accept()
                conn.setblocking(False)
                sel.register(conn, selectors.EVENT_READ, "conn")
            else:
                try:
                    data = sock.recv(65535)
                except OSError:
                    data = b""
                if not data:  # peer closed: forget the connection
                    sel.unregister(sock)
                    sock.close()


if __name__ == "__main__":
    main()
