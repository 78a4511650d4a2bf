"""Raw IPv4 packets for tests that forge traffic (IP_HDRINCL sockets: the kernel fills in the
outer IP checksum, total length and ID): forged UDP datagrams and ICMP port unreachable errors.
Shared by tests/io/fakedns.py (errors quoting a real query) and scan_spoofed (an off-path
attacker)."""
import socket
import struct


def checksum(data):
    """The Internet checksum (RFC 1071)."""
    if len(data) % 2:
        data += b"\0"
    s = sum(struct.unpack("!%dH" % (len(data) // 2), data))
    while s >> 16:
        s = (s & 0xFFFF) + (s >> 16)
    return ~s & 0xFFFF


def ip_udp(src, sport, dst, dport, payload):
    """IPv4 + UDP headers and payload; a UDP checksum of 0 means none (RFC 768), so the payload
    can change freely."""
    ip = struct.pack("!BBHHHBBH4s4s", 0x45, 0, 0, 0, 0, 64, 17, 0, socket.inet_aton(src),
                     socket.inet_aton(dst))
    return ip + struct.pack("!HHHH", sport, dport, 8 + len(payload), 0) + payload


def icmp_port_unreachable(server, peer, quoted_dns):
    """An ICMP port unreachable from server (addr, port) to peer (addr, port), quoting peer's
    datagram to server with quoted_dns as its payload."""
    udp = struct.pack("!HHHH", peer[1], server[1], 8 + len(quoted_dns), 0) + quoted_dns
    inner = struct.pack("!BBHHHBBH4s4s", 0x45, 0, 20 + len(udp), 0, 0, 64, 17, 0,
                        socket.inet_aton(peer[0]), socket.inet_aton(server[0]))
    inner = inner[:10] + struct.pack("!H", checksum(inner)) + inner[12:]
    icmp = struct.pack("!BBHI", 3, 3, 0, 0) + inner + udp
    icmp = icmp[:2] + struct.pack("!H", checksum(icmp)) + icmp[4:]
    outer = struct.pack("!BBHHHBBH4s4s", 0x45, 0, 0, 0, 0, 64, 1, 0,
                        socket.inet_aton(server[0]), socket.inet_aton(peer[0]))
    return outer + icmp
