"""Small DNS servers for the run-failure tests (stdlib only), each in its own thread:

- Responder(addr, rcode): answers every question (UDP and TCP) with that rcode and nothing else:
  a resolver that answers NXDOMAIN, REFUSED or SERVFAIL to everything.
- Relay(addr, upstream, refuse_qtypes): relays questions to upstream (UDP as UDP, TCP as TCP)
  and answers REFUSED itself to the question types in refuse_qtypes: a resolver that refuses
  some questions only.

Both count the questions they got (.questions) and stop with .close()."""
import socket
import struct
import threading

RCODES = {"NOERROR": 0, "SERVFAIL": 2, "NXDOMAIN": 3, "REFUSED": 5}
TYPE_SOA = 6


def question_type(msg):
    """The QTYPE of a query's first question (None when unreadable)."""
    i = 12
    while i < len(msg) and msg[i] != 0:
        i += 1 + msg[i]
    return struct.unpack("!H", msg[i + 1:i + 3])[0] if i + 3 <= len(msg) else None


def error_reply(msg, rcode):
    """The query's header and question, QR set, RA set, the rcode; no other section."""
    i = 12
    while i < len(msg) and msg[i] != 0:
        i += 1 + msg[i]
    question = msg[12:i + 5]
    flags = struct.unpack("!H", msg[2:4])[0]
    flags = (flags | 0x8000 | 0x0080) & ~0x000F | rcode
    return msg[:2] + struct.pack("!HHHHH", flags, 1, 0, 0, 0) + question


class _Server:
    def __init__(self, addr, port=53):
        self.questions = 0
        self.udp = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
        self.udp.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        self.udp.bind((addr, port))
        self.tcp = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        self.tcp.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        self.tcp.bind((addr, port))
        self.tcp.listen(16)
        self.closed = False
        for target in (self._udp_loop, self._tcp_loop):
            threading.Thread(target=target, daemon=True).start()

    def answer(self, msg, over_tcp):
        raise NotImplementedError

    def _udp_loop(self):
        while not self.closed:
            try:
                msg, peer = self.udp.recvfrom(65535)
            except OSError:
                return
            self.questions += 1
            reply = self.answer(msg, False)
            if reply:
                try:
                    self.udp.sendto(reply, peer)
                except OSError:
                    pass

    def _tcp_loop(self):
        while not self.closed:
            try:
                conn, _ = self.tcp.accept()
            except OSError:
                return
            threading.Thread(target=self._tcp_conn, args=(conn,), daemon=True).start()

    def _tcp_conn(self, conn):
        with conn:
            conn.settimeout(10)
            try:
                while True:
                    head = _recv_exact(conn, 2)
                    if not head:
                        return
                    msg = _recv_exact(conn, struct.unpack("!H", head)[0])
                    self.questions += 1
                    reply = self.answer(msg, True)
                    if reply:
                        conn.sendall(struct.pack("!H", len(reply)) + reply)
            except OSError:
                return

    def close(self):
        self.closed = True
        for s in (self.udp, self.tcp):
            try:
                s.shutdown(socket.SHUT_RDWR)
            except OSError:
                pass
            s.close()


def _recv_exact(conn, n):
    data = b""
    while len(data) < n:
        chunk = conn.recv(n - len(data))
        if not chunk:
            return None
        data += chunk
    return data


class Responder(_Server):
    def __init__(self, addr, rcode, port=53):
        self.rcode = RCODES[rcode]
        super().__init__(addr, port)

    def answer(self, msg, over_tcp):
        return error_reply(msg, self.rcode) if len(msg) >= 12 else None


class Relay(_Server):
    def __init__(self, addr, upstream, refuse_qtypes, port=53):
        self.upstream = upstream
        self.refuse = set(refuse_qtypes)
        self.refused = 0
        super().__init__(addr, port)

    def answer(self, msg, over_tcp):
        if len(msg) < 12:
            return None
        if question_type(msg) in self.refuse:
            self.refused += 1
            return error_reply(msg, RCODES["REFUSED"])
        try:
            if over_tcp:
                with socket.create_connection(self.upstream, timeout=10) as c:
                    c.sendall(struct.pack("!H", len(msg)) + msg)
                    head = _recv_exact(c, 2)
                    return _recv_exact(c, struct.unpack("!H", head)[0]) if head else None
            with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as u:
                u.settimeout(10)
                u.sendto(msg, self.upstream)
                return u.recvfrom(65535)[0]
        except OSError:
            return None
