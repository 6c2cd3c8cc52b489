#!/usr/bin/env python3
"""A loopback TCP proxy that counts the bytes of each HTTP request a client sends.

Usage: byte_counter.py LISTEN_PORT TARGET_PORT LOG_FILE
Each request line written to LOG_FILE: "<method> <path> <bytes>" (request line, headers and body).
Used by bench/scale.sh to show the bytes a migration step sends; it stops when killed.
"""
import socket
import sys
import threading

listen_port, target_port, log_path = int(sys.argv[1]), int(sys.argv[2]), sys.argv[3]
log = open(log_path, "a", buffering=1)
lock = threading.Lock()


def pump_responses(server, client):
    try:
        while True:
            data = server.recv(65536)
            if not data:
                break
            client.sendall(data)
    except OSError:
        pass
    finally:
        try:
            client.shutdown(socket.SHUT_WR)
        except OSError:
            pass


def handle(client):
    server = socket.create_connection(("127.0.0.1", target_port))
    threading.Thread(target=pump_responses, args=(server, client), daemon=True).start()
    buffer = b""
    try:
        while True:
            data = client.recv(65536)
            if not data:
                break
            server.sendall(data)
            buffer += data
            # Split the stream into requests: headers, then Content-Length bytes of body.
            while True:
                end = buffer.find(b"\r\n\r\n")
                if end < 0:
                    break
                head = buffer[:end].decode("latin-1")
                length = 0
                for line in head.split("\r\n")[1:]:
                    name, _, value = line.partition(":")
                    if name.strip().lower() == "content-length":
                        length = int(value.strip())
                total = end + 4 + length
                if len(buffer) < total:
                    break
                method, path = (head.split(" ") + ["", ""])[:2]
                with lock:
                    log.write(f"{method} {path.split('?')[0]} {total}\n")
                buffer = buffer[total:]
    except OSError:
        pass
    finally:
        try:
            server.shutdown(socket.SHUT_WR)
        except OSError:
            pass


listener = socket.socket()
listener.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
listener.bind(("127.0.0.1", listen_port))
listener.listen(64)
while True:
    connection, _ = listener.accept()
    threading.Thread(target=handle, args=(connection,), daemon=True).start()
