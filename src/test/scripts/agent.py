#!/usr/bin/env python3
"""A server agent for `agent-check`: answers every connection with the line in a file, then closes.

Usage: agent.py ADDRESS PORT FILE. What operators run is a script of their own; this one lets a
test say, by rewriting FILE, what the agent answers next.
"""
import socket
import sys

address, port, path = sys.argv[1], int(sys.argv[2]), sys.argv[3]
listener = socket.socket()
listener.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
listener.bind((address, port))
listener.listen(64)
while True:
    conn, _ = listener.accept()
    try:
        with open(path) as f:
            conn.sendall((f.read().strip() + "\n").encode())
    except OSError:
        pass
    finally:
        conn.close()
