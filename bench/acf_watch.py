#!/usr/bin/env python3
"""acf_watch.py DIR LOG - when OpenVPN's auth_control_files are made,
answered and read.

OpenVPN (--tmp-dir DIR) makes one auth_control_file per deferred
authentication and reads it again until it holds the answer; the plugin
writes the answer into it.  This records, through inotify, each creation,
each opening (OpenVPN's reads, and the plugin's open just before its
write) and each write, one line "EPOCH-SECONDS EVENT FILE", until it is
stopped.  Prints "watching" once it watches.
"""
import ctypes
import os
import struct
import sys
import time

EVENTS = {0x100: "create", 0x20: "open", 0x2: "write"}

if __name__ == "__main__":
    libc = ctypes.CDLL("libc.so.6", use_errno=True)
    fd = libc.inotify_init()
    if fd < 0 or libc.inotify_add_watch(fd, sys.argv[1].encode(),
                                        sum(EVENTS)) < 0:
        sys.exit("acf_watch.py: inotify: " +
                 os.strerror(ctypes.get_errno()))
    with open(sys.argv[2], "w", buffering=1) as log:
        print("watching", flush=True)
        while True:
            events = os.read(fd, 65536)
            now = time.time()
            at = 0
            while at < len(events):
                _, mask, _, length = struct.unpack_from("iIII", events, at)
                name = events[at + 16:at + 16 + length].rstrip(b"\0")
                at += 16 + length
                for bit, what in EVENTS.items():
                    if mask & bit and name.startswith(b"openvpn_acf_"):
                        log.write("%.6f %s %s\n" % (now, what,
                                                    name.decode()))
