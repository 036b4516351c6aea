#!/usr/bin/env python3
"""Record the body of the first RTMP connect command a client sends, as hex.

Listens on 127.0.0.1 only, answers the simple handshake, reassembles chunks until a complete
AMF0 (20) or AMF3 (17) command message on any chunk stream, writes its body as hex and closes.
Usage: capture-connect.py PORT OUT.hex   (then point a client at rtmp://127.0.0.1:PORT/...)
"""
import os
import socket
import struct
import sys
import time


def read_exact(sock, n):
    buf = b""
    while len(buf) < n:
        part = sock.recv(n - len(buf))
        if not part:
            raise EOFError("client closed after %d of %d bytes" % (len(buf), n))
        buf += part
    return buf


def handshake(sock):
    c0c1 = read_exact(sock, 1537)
    if c0c1[0] != 3:
        raise ValueError("C0 is %d, not 3" % c0c1[0])
    s1 = struct.pack(">I", int(time.time()) & 0xFFFFFFFF) + b"\0\0\0\0" + os.urandom(1528)
    sock.sendall(b"\x03" + s1 + c0c1[1:])
    read_exact(sock, 1536)


def connect_body(sock):
    chunk_size = 128
    streams = {}  # csid -> [timestamp, length, type, stream id, collected bytes]
    while True:
        b0 = read_exact(sock, 1)[0]
        fmt, csid = b0 >> 6, b0 & 0x3F
        if csid == 0:
            csid = 64 + read_exact(sock, 1)[0]
        elif csid == 1:
            lo, hi = read_exact(sock, 2)
            csid = 64 + lo + 256 * hi
        st = streams.setdefault(csid, [0, 0, 0, 0, b""])
        if fmt == 0:
            h = read_exact(sock, 11)
            st[0] = int.from_bytes(h[0:3], "big")
            st[1] = int.from_bytes(h[3:6], "big")
            st[2] = h[6]
            st[3] = int.from_bytes(h[7:11], "little")
        elif fmt == 1:
            h = read_exact(sock, 7)
            st[0] = int.from_bytes(h[0:3], "big")
            st[1] = int.from_bytes(h[3:6], "big")
            st[2] = h[6]
        elif fmt == 2:
            st[0] = int.from_bytes(read_exact(sock, 3), "big")
        if st[0] == 0xFFFFFF:
            read_exact(sock, 4)
        take = min(chunk_size, st[1] - len(st[4]))
        st[4] += read_exact(sock, take)
        if len(st[4]) < st[1]:
            continue
        body, st[4] = st[4], b""
        if st[2] == 1:
            chunk_size = int.from_bytes(body[:4], "big") & 0x7FFFFFFF
        elif st[2] in (17, 20):
            print("csid %d type %d length %d" % (csid, st[2], len(body)), file=sys.stderr)
            return body


def main():
    port, out = int(sys.argv[1]), sys.argv[2]
    srv = socket.socket()
    srv.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    srv.bind(("127.0.0.1", port))
    srv.listen(1)
    srv.settimeout(30)
    conn, _ = srv.accept()
    conn.settimeout(10)
    with conn:
        handshake(conn)
        body = connect_body(conn)
    srv.close()
    with open(out, "w") as f:
        f.write(body.hex() + "\n")


if __name__ == "__main__":
    main()
