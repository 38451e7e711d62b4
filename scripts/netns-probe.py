#!/usr/bin/env python3
"""UDP delivery probe for the ntp-policy kernel lab (test/netns/harness.ts).

One process does one probe: it opens the listening sockets inside the receiver namespace, then
switches to the sender namespace and sends one UDP datagram per requested source address, each
from that (non-local) source address via IP_TRANSPARENT + IP_FREEBIND (IPv6: IPV6_TRANSPARENT +
IPV6_FREEBIND). Sockets keep the namespace they were created in, so a single process can send and
listen at once, which keeps the timing tight: the listening sockets are drained after every send,
and the probe ends as soon as the receiver's IP input counters (InReceives) show that every
datagram reached it (plus a 2 ms grace), or else when nothing has arrived for `quiet_ms`, and
never later than `max_ms`.

Before sending, the receiver's conntrack table is flushed over ctnetlink (the same request as
`conntrack -F`), so every datagram starts a NEW flow even when a 5-tuple repeats.

Input: one JSON object on stdin:
  {"receiver_ns": str, "sender_ns": str, "listen_ports": [int], "quiet_ms": int, "max_ms": int,
   "flush_conntrack": bool,
   "probes": [{"src": str, "dst": str, "sport": int, "dport": int}]}
Output: one JSON object on stdout:
  {"delivered": [{"index": int, "port": int, "peer": str, "peer_port": int}],
   "send_errors": [{"index": int, "error": str}], "flush_error": str | null,
   "stray": int, "late": int, "sent": [v4, v6], "reached_ip": [v4, v6], "elapsed_ms": float}
("reached_ip": how many packets the receiver's IPv4/IPv6 input path counted (InReceives) while
the probe ran, at least "sent" when no datagram was lost before the receiver's netfilter; IPv6
may count a few extra, e.g. MLD reports.)
("late" counts datagrams that arrived only after the last send: normally 0, since a veth transmit
is processed by the receiver's stack before sendto() returns.)
Exit status 0 unless the input is malformed or a namespace cannot be entered.

Only the two lab namespaces are touched: the process never sends from or to the namespace it was
started in, and every destination is an address of the receiver namespace.
"""

import ctypes
import json
import os
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
SO_RCVBUFFORCE = 33
NETLINK_NETFILTER = 12
NFNL_SUBSYS_CTNETLINK = 1
IPCTNL_MSG_CT_DELETE = 2
NLM_F_REQUEST = 1
NLM_F_ACK = 4
NLMSG_ERROR = 2
MAGIC = b"ntpp-probe"

_libc = ctypes.CDLL(None, use_errno=True)


def enter_netns(name):
    fd = os.open("/run/netns/" + name, os.O_RDONLY | os.O_CLOEXEC)
    try:
        if _libc.setns(fd, CLONE_NEWNET) != 0:
            err = ctypes.get_errno()
            raise OSError(err, "setns(%s): %s" % (name, os.strerror(err)))
    finally:
        os.close(fd)


def flush_conntrack():
    """Delete every conntrack entry of the current namespace (ctnetlink IPCTNL_MSG_CT_DELETE
    without a tuple = flush), once per family. Returns None or an error text."""
    errors = []
    nl = socket.socket(socket.AF_NETLINK, socket.SOCK_RAW, NETLINK_NETFILTER)
    try:
        nl.settimeout(1.0)
        nl.bind((0, 0))
        for seq, family in enumerate((socket.AF_INET, socket.AF_INET6), start=1):
            nfgen = struct.pack("=BBH", family, 0, 0)
            msg_type = (NFNL_SUBSYS_CTNETLINK << 8) | IPCTNL_MSG_CT_DELETE
            hdr = struct.pack("=IHHII", 16 + len(nfgen), msg_type, NLM_F_REQUEST | NLM_F_ACK, seq, 0)
            nl.send(hdr + nfgen)
            data = nl.recv(65536)
            if len(data) >= 20:
                _length, rtype, _flags, _seq, _pid = struct.unpack("=IHHII", data[:16])
                if rtype == NLMSG_ERROR:
                    (code,) = struct.unpack("=i", data[16:20])
                    if code != 0:
                        errors.append("family %d: %s" % (family, os.strerror(-code)))
    except OSError as exc:
        errors.append(str(exc))
    finally:
        nl.close()
    return "; ".join(errors) if errors else None


def open_counters():
    """Open the current namespace's IP MIB files (the namespace is bound when a /proc/net file is
    opened, so they keep reading the receiver's counters after setns to the sender)."""
    snmp = open("/proc/net/snmp", "rb", buffering=0)
    try:
        snmp6 = open("/proc/net/snmp6", "rb", buffering=0)
    except OSError:  # IPv6 disabled: its count stays 0 and the quiet window decides
        snmp6 = None
    return snmp, snmp6


def read_in_receives(files):
    """(IPv4 InReceives, IPv6 Ip6InReceives): packets that reached the IP input path, counted
    before the PREROUTING hook."""
    snmp, snmp6 = files
    snmp.seek(0)
    lines = [line.split() for line in snmp.read().decode().splitlines() if line.startswith("Ip:")]
    v4 = int(lines[1][lines[0].index("InReceives")])
    v6 = 0
    if snmp6 is None:
        return v4, v6
    snmp6.seek(0)
    for line in snmp6.read().decode().splitlines():
        parts = line.split()
        if len(parts) == 2 and parts[0] == "Ip6InReceives":
            v6 = int(parts[1])
    return v4, v6


def main():
    req = json.load(sys.stdin)
    quiet = req.get("quiet_ms", 25) / 1000.0
    max_wait = req.get("max_ms", 1000) / 1000.0
    probes = req["probes"]
    nonce = os.urandom(6).hex().encode()
    started = time.monotonic()

    enter_netns(req["receiver_ns"])
    flush_error = flush_conntrack() if req.get("flush_conntrack", True) else None
    counters = open_counters()
    before = read_in_receives(counters)
    listeners = []
    for port in req["listen_ports"]:
        sock = socket.socket(socket.AF_INET6, socket.SOCK_DGRAM)
        sock.setsockopt(socket.IPPROTO_IPV6, socket.IPV6_V6ONLY, 0)
        try:
            sock.setsockopt(socket.SOL_SOCKET, SO_RCVBUFFORCE, 8 << 20)
        except OSError:
            sock.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 8 << 20)
        sock.bind(("::", port))
        sock.setblocking(False)
        listeners.append((sock, port))

    enter_netns(req["sender_ns"])
    delivered = {}
    stray = 0

    def drain():
        nonlocal stray
        got = 0
        for sock, port in listeners:
            while True:
                try:
                    data, peer = sock.recvfrom(2048)
                except BlockingIOError:
                    break
                parts = data.split(b" ")
                if len(parts) == 3 and parts[0] == MAGIC and parts[1] == nonce and parts[2].isdigit():
                    index = int(parts[2])
                    if 0 <= index < len(probes) and index not in delivered:
                        delivered[index] = {"index": index, "port": port, "peer": peer[0], "peer_port": peer[1]}
                        got += 1
                        continue
                stray += 1
        return got

    send_errors = []
    for index, probe in enumerate(probes):
        src = probe["src"]
        v6 = ":" in src
        sock = socket.socket(socket.AF_INET6 if v6 else socket.AF_INET, socket.SOCK_DGRAM)
        try:
            if v6:
                sock.setsockopt(socket.IPPROTO_IPV6, IPV6_TRANSPARENT, 1)
                sock.setsockopt(socket.IPPROTO_IPV6, IPV6_FREEBIND, 1)
            else:
                sock.setsockopt(socket.IPPROTO_IP, IP_TRANSPARENT, 1)
                sock.setsockopt(socket.IPPROTO_IP, IP_FREEBIND, 1)
            sock.bind((src, probe["sport"]))
            sock.sendto(MAGIC + b" " + nonce + b" " + str(index).encode(), (probe["dst"], probe["dport"]))
        except OSError as exc:
            send_errors.append({"index": index, "error": "%s -> %s: %s" % (src, probe["dst"], exc)})
        finally:
            sock.close()
        drain()

    in_send_loop = len(delivered)
    failed = {e["index"] for e in send_errors}
    sent6 = sum(1 for i, p in enumerate(probes) if ":" in p["src"] and i not in failed)
    sent4 = len(probes) - len(failed) - sent6
    deadline = time.monotonic() + max_wait
    socks = [sock for sock, _port in listeners]
    last_data = time.monotonic()
    # Done when every datagram was delivered, or when the receiver's IP layer has counted them all
    # (netfilter and the socket enqueue run in the same softirq pass as that count, so whatever
    # survives is queued by then), or after quiet_ms without news, or at max_ms.
    while len(delivered) < sent4 + sent6:
        now = time.monotonic()
        reached = read_in_receives(counters)
        if reached[0] - before[0] >= sent4 and reached[1] - before[1] >= sent6:
            select.select(socks, [], [], 0.002)
            drain()
            break
        if now >= deadline or now - last_data >= quiet:
            break
        ready, _, _ = select.select(socks, [], [], min(0.002, deadline - now))
        if ready and drain():
            last_data = time.monotonic()
    after = read_in_receives(counters)
    for f in counters:
        if f is not None:
            f.close()

    for sock in socks:
        sock.close()
    json.dump(
        {
            "delivered": sorted(delivered.values(), key=lambda d: d["index"]),
            "send_errors": send_errors,
            "flush_error": flush_error,
            "stray": stray,
            "late": len(delivered) - in_send_loop,
            "sent": [sent4, sent6],
            "reached_ip": [after[0] - before[0], after[1] - before[1]],
            "elapsed_ms": round((time.monotonic() - started) * 1000.0, 2),
        },
        sys.stdout,
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
