#!/usr/bin/env python3
"""The server side of bench/bulk.sh: seeding, and the server's limits that forEach is compared with.

  bulk_client.py seed BASE SYSTEM N        creates N Patients with an identifier of SYSTEM
                                           (transaction Bundles of 100 creates, 2 threads)
  bulk_client.py limits BASE SYSTEM ROUNDS the server's limits for versioned updates of the Patients
                                           with an identifier of SYSTEM: WARMUP (default 1)
                                           unmeasured rounds of updates of them, then ROUNDS times,
                                           alternated, on LIMIT_SET (5,000) new Patients each, seeded
                                           untimed just before, so that each is updated for the first
                                           time, as in a rewrite:
                                           write  - the Patients read first (not timed), then
                                                    transaction Bundles of 100 PUTs with If-Match from
                                                    2 threads (the issue's "write limit");
                                           rw     - the search paged (_count=1000) by one thread while
                                                    2 threads write what it read as above: the best a
                                                    client that reads and writes could do.
                                           Prints the medians: "WRITE RW" in resources per second,
                                           then, with SERVER_PID set, the server's CPU time per
                                           resource in each (ms): "WRITE RW WRITE_CPU RW_CPU".
  bulk_client.py warm BASE SYSTEM ROUNDS   ROUNDS of the write limit's updates of the Patients with an
                                           identifier of SYSTEM, to let the server's JIT compile its
                                           update path; prints the first and the last round's rate.
Every update changes the Patient (an identifier urn:bench:round), so that no update is a no-op.
Answers are asked for compressed, as fhirmig's client (HAPI's) and most HTTP libraries ask: HAPI's
JSON writer flushes after every string value, and uncompressed each flush goes out as a chunk of its
own, which costs the server more than compressing (docs/performance.md, bulk operations).
"""
import gzip, http.client, json, os, queue, statistics, sys, threading, time, urllib.parse

BUNDLE = 100
WRITERS = 2
HEADERS = {"Content-Type": "application/fhir+json", "Accept": "application/fhir+json",
           "Accept-Encoding": "gzip", "Prefer": "return=minimal", "Cache-Control": "no-cache"}


class Server:
    def __init__(self, base, headers=HEADERS):
        self.url = urllib.parse.urlparse(base)
        self.headers = headers
        self.conn = http.client.HTTPConnection(self.url.hostname, self.url.port, timeout=600)

    def call(self, method, path, body=None):
        self.conn.request(method, path, body, self.headers)
        response = self.conn.getresponse()
        data = response.read()
        if response.getheader("Content-Encoding") == "gzip":
            data = gzip.decompress(data)
        if response.status >= 300:
            raise SystemExit(f"{method} {path[:80]}: HTTP {response.status}: {data[:300]}")
        return data

    def pages(self, system):
        """Yields the search's pages of Patients, following the next links."""
        path = f"{self.url.path}/Patient?identifier={urllib.parse.quote(system)}|&_count=1000"
        while path:
            page = json.loads(self.call("GET", path))
            yield [e["resource"] for e in page.get("entry", []) if "resource" in e]
            following = [l["url"] for l in page.get("link", []) if l["relation"] == "next"]
            path = None
            if following:
                nxt = urllib.parse.urlparse(following[0])
                path = nxt.path + ("?" + nxt.query if nxt.query else "")


def transaction(entries):
    return json.dumps({"resourceType": "Bundle", "type": "transaction", "entry": entries}).encode()


def update_entry(patient, mark):
    patient["identifier"] = [i for i in patient.get("identifier", []) if i.get("system") != "urn:bench:round"]
    patient["identifier"].append({"system": "urn:bench:round", "value": mark})
    version = patient["meta"]["versionId"]
    return {"resource": patient,
            "request": {"method": "PUT", "url": f"Patient/{patient['id']}", "ifMatch": f'W/"{version}"'}}


def write_all(base, bodies):
    """Sends the Bundles taken from `bodies` (a queue, None ends it) from WRITERS threads."""
    errors = []

    def writer():
        server = Server(base)
        while True:
            body = bodies.get()
            if body is None:
                bodies.put(None)
                return
            try:
                server.call("POST", server.url.path, body)
            except SystemExit as e:
                errors.append(str(e))
                bodies.put(None)
                return

    threads = [threading.Thread(target=writer) for _ in range(WRITERS)]
    for t in threads:
        t.start()
    return threads, errors


def seed(base, system, n):
    bodies = queue.Queue()
    for start in range(0, n, BUNDLE):
        bodies.put(transaction([{"resource": {"resourceType": "Patient",
                                              "identifier": [{"system": system, "value": f"L{i}"}],
                                              "name": [{"family": f"Bench{i}", "given": ["Bulk"]}]},
                                 "request": {"method": "POST", "url": "Patient"}}
                                for i in range(start, min(start + BUNDLE, n))]))
    bodies.put(None)
    started = time.time()
    threads, errors = write_all(base, bodies)
    for t in threads:
        t.join()
    if errors:
        raise SystemExit(errors[0])
    return n / (time.time() - started)


def server_cpu_ms():
    """The server process's CPU time so far (user + system), in ms, or 0 without SERVER_PID."""
    pid = os.environ.get("SERVER_PID")
    if not pid:
        return 0
    with open(f"/proc/{pid}/stat") as f:
        fields = f.read().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) * 1000 / os.sysconf("SC_CLK_TCK")


def write_round(base, system, mark):
    """The write limit: everything read first, untimed; then only the writes are timed."""
    patients = [p for page in Server(base).pages(system) for p in page]
    bodies = queue.Queue()
    for start in range(0, len(patients), BUNDLE):
        bodies.put(transaction([update_entry(p, mark) for p in patients[start:start + BUNDLE]]))
    bodies.put(None)
    started, cpu = time.time(), server_cpu_ms()
    threads, errors = write_all(base, bodies)
    for t in threads:
        t.join()
    if errors:
        raise SystemExit(errors[0])
    return len(patients) / (time.time() - started), (server_cpu_ms() - cpu) / len(patients)


def read_write_round(base, system, mark):
    """The read+write limit: one thread pages through the search while two write what it read."""
    bodies = queue.Queue(maxsize=2 * WRITERS)
    started, cpu = time.time(), server_cpu_ms()
    threads, errors = write_all(base, bodies)
    count = 0
    for page in Server(base).pages(system):
        for start in range(0, len(page), BUNDLE):
            bodies.put(transaction([update_entry(p, mark) for p in page[start:start + BUNDLE]]))
        count += len(page)
    bodies.put(None)
    for t in threads:
        t.join()
    if errors:
        raise SystemExit(errors[0])
    return count / (time.time() - started), (server_cpu_ms() - cpu) / count


def main():
    command, base, system = sys.argv[1:4]
    if command == "seed":
        n = int(sys.argv[4])
        print(f"{seed(base, system, n):.0f}")
    elif command == "limits":
        rounds = int(sys.argv[4])
        # Each measured round updates Patients never updated before, seeded just before it (untimed):
        # a rewrite updates each resource once, and HAPI's first update of a resource costs it about
        # three times the CPU of an update of one it updated moments ago (bench/bulk.sh's docs).
        size = int(os.environ.get("LIMIT_SET", "5000"))
        for r in range(int(os.environ.get("WARMUP", "1"))):
            write_round(base, system, f"warm-up{r}-{time.time()}")
        writes, both = [], []
        for r in range(rounds):
            fresh = f"{system}:{time.time()}"
            seed(base, fresh + ":w", size)
            seed(base, fresh + ":rw", size)
            writes.append(write_round(base, fresh + ":w", "w"))
            both.append(read_write_round(base, fresh + ":rw", "rw"))
        median = lambda results, i: statistics.median(r[i] for r in results)
        print(f"{median(writes, 0):.1f} {median(both, 0):.1f} {median(writes, 1):.3f} {median(both, 1):.3f}")
    elif command == "warm":
        rates = [write_round(base, system, f"warm{r}-{time.time()}")[0] for r in range(int(sys.argv[4]))]
        print(f"{rates[0]:.0f} {rates[-1]:.0f}")
    else:
        raise SystemExit(__doc__)


if __name__ == "__main__":
    main()
