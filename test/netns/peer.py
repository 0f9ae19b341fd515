#!/usr/bin/env python3
# The two ends of the TCP scenarios (test/netns/scenarios.ts), run inside the test's network
# namespaces with `ip netns exec`. Every mode is bounded: a fixed number of connections, socket
# timeouts, and the orchestrator kills whatever is left. Clients print one JSON line per
# connection ({"port": local port, "family": 4|6, "outcome": ...}); servers print "ready"
# once listening.
import json
import socket
import struct
import sys
import time

TIMEOUT = 5.0


def log(obj):
    print(json.dumps(obj), flush=True)


def family_of(addr):
    return socket.AF_INET6 if ':' in addr else socket.AF_INET


def listen(addr, port, rcvbuf=None, backlog=64):
    s = socket.socket(family_of(addr), socket.SOCK_STREAM)
    s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    if rcvbuf:
        # Set before listen() so accepted sockets inherit it (and the window scale it implies).
        s.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, rcvbuf)
    s.bind((addr, port))
    s.listen(backlog)
    s.settimeout(TIMEOUT)
    return s


def connect(addr, port, keepalive=False):
    s = socket.socket(family_of(addr), socket.SOCK_STREAM)
    s.settimeout(TIMEOUT)
    if keepalive:
        s.setsockopt(socket.SOL_SOCKET, socket.SO_KEEPALIVE, 1)
        s.setsockopt(socket.IPPROTO_TCP, socket.TCP_KEEPIDLE, 1)
        s.setsockopt(socket.IPPROTO_TCP, socket.TCP_KEEPINTVL, 1)
        s.setsockopt(socket.IPPROTO_TCP, socket.TCP_KEEPCNT, 5)
    s.connect((addr, port))
    return s


def recv_until(s, marker):
    data = b''
    while marker not in data:
        chunk = s.recv(65536)
        if not chunk:
            break
        data += chunk
    return data


def recv_all(s):
    n = 0
    while True:
        chunk = s.recv(65536)
        if not chunk:
            return n
        n += len(chunk)


def linger0(s):
    # SO_LINGER {on, 0}: close() sends a RST instead of a FIN (RFC 9293 §3.6 abort).
    s.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack('ii', 1, 0))


# ---------------------------------------------------------------------------------- servers

def serve(mode, addrs, port, count, extra):
    socks = [listen(a, port, rcvbuf=int(extra) if mode == 'zerowin' and extra else None) for a in addrs]
    print('ready', flush=True)
    handled = 0
    deadline = time.time() + 15
    while handled < count and time.time() < deadline:
        for ls in socks:
            if handled >= count:
                break
            ls.settimeout(0.05)
            try:
                c, _ = ls.accept()
            except socket.timeout:
                continue
            c.settimeout(TIMEOUT)
            handled += 1
            try:
                handle(mode, c)
            except OSError:
                pass
    time.sleep(0.2)


def handle(mode, c):
    if mode == 'http':
        req = recv_until(c, b'\r\n\r\n')
        body = b'x' * 3000
        c.sendall(b'HTTP/1.1 200 OK\r\nContent-Length: %d\r\nConnection: close\r\n\r\n' % len(body) + body)
        # Connection: close: the server closes first.
        c.close()
    elif mode == 'resetserver':
        recv_until(c, b'\n')
        linger0(c)
        c.close()
    elif mode == 'sink':
        # Reads everything and closes after the client does (the client resets or closes).
        try:
            recv_all(c)
        except OSError:
            pass
        c.close()
    elif mode == 'halfclose':
        # The client has shut down its sending side; keep sending (CLOSE_WAIT with data).
        recv_all(c)
        for i in range(5):
            c.sendall(b'after-fin chunk %d\n' % i)
            time.sleep(0.02)
        c.close()
    elif mode == 'zerowin':
        # Stop reading long enough for the advertised window to reach zero, then drain.
        time.sleep(1.2)
        recv_all(c)
        c.close()
    elif mode == 'echo':
        n = recv_all(c)
        c.sendall(b'got %d\n' % n)
        c.close()
    elif mode == 'idle':
        recv_all(c)
        c.close()


# ---------------------------------------------------------------------------------- clients

def client(mode, addr, port, count, extra):
    fam = 6 if ':' in addr else 4
    for i in range(count):
        if mode == 'refused':
            s = socket.socket(family_of(addr), socket.SOCK_STREAM)
            s.settimeout(TIMEOUT)
            s.bind(('::' if fam == 6 else '0.0.0.0', 0))
            lport = s.getsockname()[1]
            try:
                s.connect((addr, port))
                outcome = 'connected'
            except ConnectionRefusedError:
                outcome = 'refused'
            s.close()
            log({'port': lport, 'family': fam, 'outcome': outcome})
            continue
        s = connect(addr, port, keepalive=(mode == 'keepalive'))
        lport = s.getsockname()[1]
        outcome = 'closed'
        try:
            if mode == 'http':
                s.sendall(b'GET /%d HTTP/1.1\r\nHost: test\r\n\r\n' % i)
                recv_all(s)
                s.close()
            elif mode == 'resetclient':
                s.sendall(b'hello before abort\n')
                time.sleep(0.05)
                linger0(s)
                s.close()
                outcome = 'reset'
            elif mode == 'resetserver':
                s.sendall(b'please reset me\n')
                try:
                    recv_all(s)
                except ConnectionResetError:
                    pass
                s.close()
                outcome = 'reset'
            elif mode == 'halfclose':
                s.sendall(b'request then SHUT_WR\n')
                s.shutdown(socket.SHUT_WR)
                recv_all(s)
                s.close()
                outcome = 'half-closed'
            elif mode == 'zerowin':
                s.sendall(b'z' * int(extra or 300000))
                s.shutdown(socket.SHUT_WR)
                recv_all(s)
                s.close()
            elif mode == 'keepalive':
                s.sendall(b'hello\n')
                time.sleep(float(extra or 3.5))
                s.close()
            elif mode == 'bulk':
                s.sendall(b'b' * int(extra or 400000))
                s.shutdown(socket.SHUT_WR)
                recv_all(s)
                s.close()
        except OSError as e:
            outcome = 'error: %s' % e
        log({'port': lport, 'family': fam, 'outcome': outcome})
        time.sleep(0.05)


if __name__ == '__main__':
    role, mode = sys.argv[1], sys.argv[2]
    if role == 'server':
        serve(mode, sys.argv[3].split(','), int(sys.argv[4]), int(sys.argv[5]), sys.argv[6] if len(sys.argv) > 6 else None)
    else:
        client(mode, sys.argv[3], int(sys.argv[4]), int(sys.argv[5]), sys.argv[6] if len(sys.argv) > 6 else None)
