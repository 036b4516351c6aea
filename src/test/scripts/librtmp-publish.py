#!/usr/bin/python3
"""Publishes an FLV file through python-librtmp (librtmp, as GStreamer's rtmpsink and OBS's old
RTMP output use it), then stops the way librtmp stops: RTMP_Close, which over RTMPT sends /close/
behind its last /send/s and closes the socket at once.

usage: librtmp-publish.py URL FILE [SECONDS]
"""
import sys
import time

import librtmp

url, path = sys.argv[1], sys.argv[2]
seconds = float(sys.argv[3]) if len(sys.argv) > 3 else 1.0
conn = librtmp.RTMP(url, live=True)
conn.connect()
stream = conn.create_stream(writeable=True)
with open(path, "rb") as f:
    data = f.read()
# FLV header (9 bytes) and the first PreviousTagSize (4): librtmp's RTMP_Write takes them as they are.
start = time.monotonic()
at = 0
while at < len(data) and time.monotonic() - start < seconds:
    stream.write(data[at:at + 4096])
    at += 4096
stream.close()
conn.close()
print("published", at, "bytes")
