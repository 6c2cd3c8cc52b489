#!/usr/bin/env python3
"""A loopback HTTP proxy that breaks a share of the requests it forwards, for bench/faults.sh.

Usage: fault_proxy.py LISTEN_PORT TARGET_PORT RATE LOG_FILE
Each request is, with probability RATE, answered with one fault drawn at random:
  reset  the connection is closed before the request is forwarded
  lost   the request is forwarded (the server acts on it), then the connection is closed unanswered
  503    answered 503 without forwarding
  429    answered 429 with Retry-After: 1 without forwarding
  cut    forwarded, and the answer cut off half-way through its body
  slow   forwarded after a pause of 2 s
One line per fault goes to LOG_FILE: "<fault> <method> <path>". Loopback only; it stops when killed.
With DELAY_MS=D in the environment every request waits D ms before it is forwarded: a server that
far away (bench/compare-builds.sh uses it with RATE 0).
"""
import http.client
import os
import random
import sys
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

listen_port, target_port, rate, log_path = int(sys.argv[1]), int(sys.argv[2]), float(sys.argv[3]), sys.argv[4]
delay = float(os.environ.get("DELAY_MS", "0")) / 1000
log = open(log_path, "a", buffering=1)
FAULTS = ["reset", "lost", "503", "429", "cut", "slow"]
HOP_BY_HOP = {"connection", "keep-alive", "transfer-encoding", "te", "trailer", "upgrade", "proxy-connection"}


class Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def log_message(self, *args):
        pass

    def forward(self, body):
        upstream = http.client.HTTPConnection("127.0.0.1", target_port, timeout=600)
        headers = {k: v for k, v in self.headers.items() if k.lower() not in HOP_BY_HOP and k.lower() != "host"}
        headers["Host"] = f"127.0.0.1:{target_port}"
        upstream.request(self.command, self.path, body, headers)
        response = upstream.getresponse()
        data = response.read()
        upstream.close()
        return response, data

    def answer(self, status, reason, headers, data):
        self.send_response(status, reason)
        for k, v in headers:
            if k.lower() not in HOP_BY_HOP and k.lower() != "content-length":
                self.send_header(k, v)
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    def handle_any(self):
        length = int(self.headers.get("Content-Length") or 0)
        body = self.rfile.read(length) if length else None
        fault = random.choice(FAULTS) if random.random() < rate else None
        if fault:
            log.write(f"{fault} {self.command} {self.path}\n")
        if fault == "reset":
            self.close_connection = True
            self.connection.close()
            return
        if fault in ("503", "429"):
            extra = [("Retry-After", "1")] if fault == "429" else []
            self.answer(int(fault), "Injected", extra + [("Content-Type", "text/plain")], b"injected fault")
            return
        if fault == "slow":
            time.sleep(2)
        if delay:
            time.sleep(delay)
        response, data = self.forward(body)
        if fault == "lost":
            self.close_connection = True
            self.connection.close()
            return
        if fault == "cut":
            self.send_response(response.status, response.reason)
            for k, v in response.getheaders():
                if k.lower() not in HOP_BY_HOP and k.lower() != "content-length":
                    self.send_header(k, v)
            self.send_header("Content-Length", str(len(data)))
            self.end_headers()
            self.wfile.write(data[: len(data) // 2])
            self.wfile.flush()
            self.close_connection = True
            self.connection.close()
            return
        self.answer(response.status, response.reason, response.getheaders(), data)

    do_GET = do_POST = do_PUT = do_DELETE = do_PATCH = do_HEAD = handle_any


class Server(ThreadingHTTPServer):
    daemon_threads = True

    def handle_error(self, request, client_address):
        # A client killed with -9 mid-exchange is part of the soak, not an error of the proxy.
        pass


Server(("127.0.0.1", listen_port), Handler).serve_forever()
