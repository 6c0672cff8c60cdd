#!/usr/bin/env python3
"""The old nbNet QPS server's design, re-implemented in Python 3 as a baseline for ./nbnet bench-frames.

A single-threaded, level-triggered epoll state machine, as the teaching framework had it: per
connection, read the 10-byte header, then the body (one recv per event, asking for exactly what is
missing), switch the socket to EPOLLOUT, send the reply 'a', switch back to EPOLLIN.
Usage: legacy_nbnet.py PORT
"""
import select
import socket
import sys

REPLY = b"0000000001a"


class Conn:
    def __init__(self, sock):
        self.sock = sock
        self.state = "header"
        self.need = 10
        self.buf = b""
        self.out = b""


def main():
    port = int(sys.argv[1]) if len(sys.argv) > 1 else 9099
    listener = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    listener.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    listener.bind(("127.0.0.1", port))
    listener.listen(1024)
    listener.setblocking(False)
    ep = select.epoll()
    ep.register(listener.fileno(), select.EPOLLIN)
    conns = {}
    print("legacy nbNet design listening on 127.0.0.1:%d" % port, flush=True)
    while True:
        for fd, events in ep.poll():
            if fd == listener.fileno():
                try:
                    sock, _ = listener.accept()
                except BlockingIOError:
                    continue
                sock.setblocking(False)
                sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
                conns[sock.fileno()] = Conn(sock)
                ep.register(sock.fileno(), select.EPOLLIN)
                continue
            c = conns.get(fd)
            if c is None:
                continue
            if events & (select.EPOLLHUP | select.EPOLLERR):
                close(ep, conns, c)
            elif events & select.EPOLLIN:
                on_read(ep, conns, c)
            elif events & select.EPOLLOUT:
                on_write(ep, conns, c)


def on_read(ep, conns, c):
    try:
        data = c.sock.recv(c.need)
    except BlockingIOError:
        return
    except OSError:
        close(ep, conns, c)
        return
    if not data:
        close(ep, conns, c)
        return
    c.buf += data
    c.need -= len(data)
    if c.need:
        return
    if c.state == "header":
        try:
            length = int(c.buf)
        except ValueError:
            close(ep, conns, c)
            return
        if length <= 0:
            close(ep, conns, c)
            return
        c.state, c.need, c.buf = "body", length, b""
    else:
        c.state, c.need, c.buf = "header", 10, b""
        c.out = REPLY
        ep.modify(c.sock.fileno(), select.EPOLLOUT)


def on_write(ep, conns, c):
    try:
        sent = c.sock.send(c.out)
    except BlockingIOError:
        return
    except OSError:
        close(ep, conns, c)
        return
    c.out = c.out[sent:]
    if not c.out:
        ep.modify(c.sock.fileno(), select.EPOLLIN)


def close(ep, conns, c):
    try:
        ep.unregister(c.sock.fileno())
    except (OSError, ValueError):
        pass
    conns.pop(c.sock.fileno(), None)
    c.sock.close()


if __name__ == "__main__":
    main()
