#!/usr/bin/env python3
"""NTP and chronyc-command probes for the chrony lab (test/netns/chrony-lab.ts).

One process does one round of probes against a running chronyd in the receiver namespace:
- remote probes are sent from the sender namespace, each from its own (non-local) source address via
  IP_TRANSPARENT + IP_FREEBIND; the replies, addressed to those sources, are routed back over the veth
  and captured there with an AF_PACKET socket on the sender's interface (no address needs to be local);
- local probes are sent from inside the receiver namespace (source 127.0.0.1, 127.0.0.2, ::1 …) with
  ordinary sockets, as a process on the server would.
An NTP probe is a 48-byte client request (version 4, mode 3); it is answered when a reply with mode 4 comes
back. A command probe is a chronyc REQ_NULL (protocol version 6, the command chronyc's `ping`-like null
request; padded to 100 bytes so that an error reply is never larger than the request); it is answered when
a command reply (packet type 2) comes back, whatever its status.

When to stop listening: after the last probe a REQ_NULL goes to chronyd's Unix command socket ("sentinel").
chronyd handles every socket that is readable in one pass of its main loop, and all the probes were queued
before the sentinel, so once the sentinel is answered every probe has been answered or dropped; the replies
cross the veth synchronously. A short drain follows; without a sentinel the wait is `wait_ms`.

Input (stdin, JSON): {"receiver_ns", "sender_ns", "sender_if", "wait_ms", "sentinel": {"server", "client"} | null,
  "probes": [{"src", "dst", "port", "kind": "ntp"|"cmd", "local": bool}]}
Output (stdout, JSON): {"answered": [index…], "errors": [{"index", "error"}], "elapsed_ms"}
Only the lab's two namespaces are used; nothing is sent from or to the namespace the process starts in.
"""

import ctypes
import errno
import json
import os
import random
import select
import socket
import struct
import sys
import time

CLONE_NEWNET = 0x40000000
IP_FREEBIND = 15
IP_TRANSPARENT = 19
IPV6_TRANSPARENT = 75
IPV6_FREEBIND = 78
ETH_P_ALL = 0x0003

_libc = ctypes.CDLL(None, use_errno=True)


def enter_netns(name):
    fd = os.open("/run/netns/" + name, os.O_RDONLY | os.O_CLOEXEC)
    try:
        if _libc.setns(fd, CLONE_NEWNET) != 0:
            err = ctypes.get_errno()
            raise OSError(err, "setns(%s): %s" % (name, os.strerror(err)))
    finally:
        os.close(fd)


def payload(kind):
    if kind == "ntp":
        # LI 0, VN 4, mode 3; transmit timestamp set so the server has something to echo.
        return bytes([0x23]) + bytes(39) + struct.pack("!II", random.getrandbits(32), random.getrandbits(32))
    # CMD_Request header: version 6, pkt_type 1 (request), res1 0, res2 0, command 0 (REQ_NULL),
    # attempt 0, sequence, pad1, pad2; then zero padding.
    return struct.pack("!BBBBHHIII", 6, 1, 0, 0, 0, 0, random.getrandbits(32), 0, 0) + bytes(80)


def is_answer(kind, data):
    if kind == "ntp":
        return len(data) >= 48 and (data[0] & 7) == 4
    return len(data) >= 4 and data[0] == 6 and data[1] == 2


def family_of(addr):
    return socket.AF_INET6 if ":" in addr else socket.AF_INET


def parse_frame(frame):
    """(src, dst, sport, dport, udp payload) of an IPv4/IPv6 UDP frame, or None."""
    if len(frame) < 14:
        return None
    ethertype = struct.unpack("!H", frame[12:14])[0]
    ip = frame[14:]
    if ethertype == 0x0800 and len(ip) >= 20 and ip[9] == 17:
        ihl = (ip[0] & 15) * 4
        src = socket.inet_ntop(socket.AF_INET, ip[12:16])
        dst = socket.inet_ntop(socket.AF_INET, ip[16:20])
        udp = ip[ihl:]
    elif ethertype == 0x86DD and len(ip) >= 40 and ip[6] == 17:
        src = socket.inet_ntop(socket.AF_INET6, ip[8:24])
        dst = socket.inet_ntop(socket.AF_INET6, ip[24:40])
        udp = ip[40:]
    else:
        return None
    if len(udp) < 8:
        return None
    sport, dport = struct.unpack("!HH", udp[0:4])
    return src, dst, sport, dport, udp[8:]


def norm(addr):
    return socket.inet_ntop(family_of(addr), socket.inet_pton(family_of(addr), addr))


def main():
    req = json.load(sys.stdin)
    start = time.monotonic()
    probes = req["probes"]
    wait = req.get("wait_ms", 150) / 1000.0
    answered = set()
    errors = []

    # Local probes: ordinary sockets inside the receiver namespace.
    enter_netns(req["receiver_ns"])
    local_socks = []
    for i, p in enumerate(probes):
        if not p.get("local"):
            continue
        try:
            s = socket.socket(family_of(p["src"]), socket.SOCK_DGRAM)
            s.setblocking(False)
            s.bind((p["src"], 0))
            s.sendto(payload(p["kind"]), (p["dst"], p["port"]))
            local_socks.append((i, p, s))
        except OSError as e:
            errors.append({"index": i, "error": "local %s: %s" % (p["src"], e)})

    # Remote probes: capture first, then send from any source address.
    enter_netns(req["sender_ns"])
    cap = socket.socket(socket.AF_PACKET, socket.SOCK_RAW, socket.htons(ETH_P_ALL))
    cap.bind((req["sender_if"], 0))
    cap.setblocking(False)
    pending = {}
    remote_socks = []
    for i, p in enumerate(probes):
        if p.get("local"):
            continue
        fam = family_of(p["src"])
        try:
            s = socket.socket(fam, socket.SOCK_DGRAM)
            if fam == socket.AF_INET6:
                s.setsockopt(socket.IPPROTO_IPV6, IPV6_TRANSPARENT, 1)
                s.setsockopt(socket.IPPROTO_IPV6, IPV6_FREEBIND, 1)
            else:
                s.setsockopt(socket.IPPROTO_IP, IP_TRANSPARENT, 1)
                s.setsockopt(socket.IPPROTO_IP, IP_FREEBIND, 1)
            # A random source port tells the replies apart; the sockets stay open until the end, so a port
            # already taken by an earlier probe from the same address is skipped (EADDRINUSE), not an error.
            for attempt in range(50):
                sport = random.randint(20000, 60000)
                try:
                    s.bind((p["src"], sport))
                    break
                except OSError as bind_error:
                    if bind_error.errno != errno.EADDRINUSE or attempt == 49:
                        raise
            s.sendto(payload(p["kind"]), (p["dst"], p["port"]))
            pending[(norm(p["src"]), sport, p["port"])] = i
            remote_socks.append(s)
        except OSError as e:
            errors.append({"index": i, "error": "remote %s: %s" % (p["src"], e)})

    sentinel = None
    sentinel_cfg = req.get("sentinel")
    if sentinel_cfg:
        try:
            if os.path.exists(sentinel_cfg["client"]):
                os.unlink(sentinel_cfg["client"])
            sentinel = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM)
            sentinel.bind(sentinel_cfg["client"])
            sentinel.setblocking(False)
            sentinel.sendto(payload("cmd"), sentinel_cfg["server"])
        except OSError as e:
            errors.append({"index": -1, "error": "sentinel: %s" % e})
            sentinel = None
    deadline = time.monotonic() + (2.0 if sentinel else wait)
    while time.monotonic() < deadline:
        socks = [cap] + [s for (_, _, s) in local_socks] + ([sentinel] if sentinel else [])
        r, _, _ = select.select(socks, [], [], max(0.0, deadline - time.monotonic()))
        for s in r:
            if s is sentinel:
                try:
                    if is_answer("cmd", sentinel.recv(4096)):
                        # Answered: everything queued before it has been handled; drain what is in flight.
                        deadline = min(deadline, time.monotonic() + 0.02)
                except OSError:
                    pass
            elif s is cap:
                while True:
                    try:
                        frame = cap.recv(65535)
                    except BlockingIOError:
                        break
                    parsed = parse_frame(frame)
                    if not parsed:
                        continue
                    src, dst, sport, dport, data = parsed
                    key = (norm(dst), dport, sport)
                    i = pending.get(key)
                    if i is not None and is_answer(probes[i]["kind"], data):
                        answered.add(i)
            else:
                for (i, p, ls) in local_socks:
                    if ls is s:
                        try:
                            data = ls.recv(4096)
                            if is_answer(p["kind"], data):
                                answered.add(i)
                        except OSError:
                            pass
    for (_, _, s) in local_socks:
        s.close()
    for s in remote_socks:
        s.close()
    cap.close()
    if sentinel:
        sentinel.close()
        os.unlink(sentinel_cfg["client"])
    json.dump({"answered": sorted(answered), "errors": errors, "elapsed_ms": (time.monotonic() - start) * 1000}, sys.stdout)


if __name__ == "__main__":
    main()
