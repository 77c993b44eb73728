"""Load and faults on loopback (issue 17, item 6): mixed traffic for a bounded time, then kill -9.

1. A fresh server: a new database (SQLite file, or ``--load-postgres`` a PostgreSQL database created
   and dropped here), migrated, the demo loaded, served by gunicorn (``--load-workers`` processes) on a
   free loopback port.
2. Mixed load for ``--load-seconds`` (default 60): portal reads (home, agencies, officer lookup,
   checkpoints), staff writes that append to the ledger (copy requests, each one entry) and resumable
   uploads (begin, two PATCHes, complete), from ``--load-clients`` threads. Every response other than
   the expected status is an error. The server's resident memory (all its processes) is sampled
   every second: "stable" means the last third's peak is within 20 % of the first third's peak.
3. Faults, ``--fault-rounds`` times: while uploads and appends are in flight, kill -9 every process of
   the server, restart it, and check: ``sanxiang verify`` passes (no gap, every leaf, node and
   checkpoint right), every ``Blob`` row's bytes hash to its SM3/SHA-256/size (no partial blob is
   reachable), and after ``sanxiang blobs sweep --grace-hours 0`` no staging file is left.

Traffic goes only to 127.0.0.1; every loop is bounded in time and count and stops by itself.
Prints one JSON document. Run: ``.venv/bin/python -m benches.run blob_load_faults --load-seconds 600``.
"""

from __future__ import annotations

import http.client
import json
import os
import random
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
import uuid
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def add_arguments(parser) -> None:
    group = parser.add_argument_group("blob_load_faults")
    group.add_argument("--load-seconds", type=int, default=60)
    group.add_argument("--load-clients", type=int, default=4)
    group.add_argument("--load-workers", type=int, default=2)
    group.add_argument("--fault-rounds", type=int, default=3)
    group.add_argument(
        "--load-postgres", default="", help="a PostgreSQL server URL to create the database on"
    )


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Server:
    def __init__(self, env: dict[str, str], workers: int):
        self.env = env
        self.workers = workers
        self.port = _free_port()
        self.process: subprocess.Popen | None = None

    def start(self) -> None:
        log = open(Path(self.env["SANXIANG_VAR_DIR"]) / "gunicorn.log", "ab")  # noqa: SIM115
        self.process = subprocess.Popen(
            [sys.executable, "-m", "gunicorn", "sanxiang.wsgi:application", "-b", f"127.0.0.1:{self.port}",
             "-w", str(self.workers), "--timeout", "120", "--graceful-timeout", "5"],
            cwd=ROOT, env=self.env, stdout=log, stderr=log, start_new_session=True,
        )  # fmt: skip
        deadline = time.monotonic() + 120
        while time.monotonic() < deadline:
            try:
                if request("GET", self.port, "/ledger/")[0] == 200:
                    return
            except OSError:
                time.sleep(0.5)
        raise RuntimeError("the server did not start")

    def pids(self) -> list[int]:
        if self.process is None:
            return []
        pids = [self.process.pid]
        try:
            out = subprocess.run(
                ["pgrep", "-P", str(self.process.pid)], capture_output=True, text=True
            ).stdout
            pids += [int(p) for p in out.split()]
        except OSError:
            pass
        return pids

    def rss_mib(self) -> float:
        total = 0
        for pid in self.pids():
            try:
                for line in Path(f"/proc/{pid}/status").read_text().splitlines():
                    if line.startswith("VmRSS:"):
                        total += int(line.split()[1])
            except OSError:
                continue
        return total / 1024

    def kill9(self) -> None:
        """kill -9 of every process of the server this script started (its own process group)."""
        if self.process is None:
            return
        os.killpg(self.process.pid, signal.SIGKILL)
        self.process.wait()
        self.process = None

    def stop(self) -> None:
        if self.process is not None:
            os.killpg(self.process.pid, signal.SIGTERM)
            try:
                self.process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                self.kill9()
            self.process = None


def request(method: str, port: int, path: str, body: bytes | None = None, headers=None, timeout=60):
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=timeout)
    try:
        conn.request(method, path, body=body, headers=headers or {})
        response = conn.getresponse()
        return response.status, response.read()
    finally:
        conn.close()


def manage(env: dict[str, str], *args: str, check: bool = True) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "manage.py", *args], cwd=ROOT, env=env, capture_output=True, text=True, check=check
    )


class Traffic:
    PORTAL = ["/", "/agencies/", "/officers/", "/ledger/", "/procedures/", "/catalog/"]

    def __init__(self, port_of, tokens: dict[str, str], seqs: list[int]):
        self.port_of = port_of
        self.tokens = tokens
        self.seqs = seqs
        self.counts: dict[str, int] = {"portal": 0, "write": 0, "upload": 0}
        self.errors: list[str] = []
        self.lock = threading.Lock()

    def _auth(self, who: str) -> dict[str, str]:
        return {"Authorization": f"Bearer {self.tokens[who]}"}

    def _expect(self, what: str, got: int, want: int, body: bytes) -> bool:
        if got != want:
            with self.lock:
                self.errors.append(f"{what}: {got} {body[:200]!r}")
            return False
        return True

    def portal(self) -> None:
        path = random.choice(self.PORTAL)
        status, body = request("GET", self.port_of(), path)
        if self._expect(f"GET {path}", status, 200, body):
            with self.lock:
                self.counts["portal"] += 1

    def write(self) -> None:
        body = json.dumps({"party": "某某公司", "entries": random.sample(self.seqs, 1), "purpose": "负载测试",
                           "request_id": str(uuid.uuid4())}).encode()  # fmt: skip
        headers = {**self._auth("officer"), "Content-Type": "application/json"}
        status, answer = request("POST", self.port_of(), "/api/ledger/copy-requests", body, headers)
        if self._expect("POST copy-requests", status, 201, answer):
            with self.lock:
                self.counts["write"] += 1

    def upload(self, size: int | None = None) -> str | None:
        size = size or random.randint(1, 3 << 20)
        data = os.urandom(size)
        headers = {**self._auth("officer"), "Content-Type": "application/json"}
        begin = json.dumps({"expected_size": size, "media_type": "application/octet-stream"}).encode()
        status, answer = request("POST", self.port_of(), "/api/ledger/uploads", begin, headers)
        if not self._expect("POST uploads", status, 201, answer):
            return None
        upload_id = json.loads(answer)["id"]
        half = size // 2
        for offset, piece in ((0, data[:half]), (half, data[half:])):
            patch = {
                **self._auth("officer"),
                "Upload-Offset": str(offset),
                "Content-Type": "application/octet-stream",
            }
            status, answer = request(
                "PATCH", self.port_of(), f"/api/ledger/uploads/{upload_id}", piece, patch
            )
            if not self._expect("PATCH upload", status, 200, answer):
                return None
        status, answer = request(
            "POST", self.port_of(), f"/api/ledger/uploads/{upload_id}/complete", b"", self._auth("officer")
        )
        if self._expect("complete upload", status, 200, answer):
            with self.lock:
                self.counts["upload"] += 1
            return json.loads(answer)["sm3"]
        return None


def _load(traffic: Traffic, server: Server, seconds: int, clients: int) -> dict:
    stop = time.monotonic() + seconds
    samples: list[float] = []

    def client(n: int) -> None:
        rng = random.Random(n)
        while time.monotonic() < stop:
            pick = rng.random()
            try:
                if pick < 0.6:
                    traffic.portal()
                elif pick < 0.85:
                    traffic.write()
                else:
                    traffic.upload()
            except OSError as exc:
                with traffic.lock:
                    traffic.errors.append(f"connection: {exc}")

    threads = [threading.Thread(target=client, args=(n,), daemon=True) for n in range(clients)]
    for t in threads:
        t.start()
    while time.monotonic() < stop:
        samples.append(server.rss_mib())
        time.sleep(1)
    for t in threads:
        t.join(timeout=180)
    third = max(1, len(samples) // 3)
    first, last = max(samples[:third]), max(samples[-third:])
    return {
        "seconds": seconds,
        "clients": clients,
        "requests": dict(traffic.counts),
        "errors": len(traffic.errors),
        "error_samples": traffic.errors[:5],
        "rss_mib_first_third_peak": round(first, 1),
        "rss_mib_last_third_peak": round(last, 1),
        "rss_mib_max": round(max(samples), 1),
        "memory_stable": last <= first * 1.2,
    }


def _check_after_crash(env: dict[str, str]) -> dict:
    verify = manage(env, "verify", check=False)
    blobs_ok = manage(env, "shell", "-v", "0", "-c", _CHECK_BLOBS, check=False)
    sweep = manage(env, "blobs", "sweep", "--grace-hours", "0", check=False)
    left = manage(env, "shell", "-v", "0", "-c", _STAGING_LEFT, check=False)
    return {
        "verify_ok": verify.returncode == 0,
        "verify": (verify.stdout or verify.stderr).strip().splitlines()[-1:],
        "blobs_ok": blobs_ok.returncode == 0,
        "blobs": (blobs_ok.stdout or blobs_ok.stderr).strip().splitlines()[-1:],
        "sweep": sweep.stdout.strip(),
        "staging_left_after_sweep": (left.stdout.strip().splitlines() or ["?"])[-1],
    }


_CHECK_BLOBS = """
from sanxiang.ledger.models import Blob
from sanxiang.ledger.storage import get_storage
from sanxiang.ledger.transfer import verify_in
n = 0
for blob in Blob.objects.filter(swept__isnull=True):
    verify_in(get_storage(), blob, "the store")
    n += 1
print(f"{n} blobs, every one complete and matching its hashes")
"""
_STAGING_LEFT = """
from sanxiang.ledger.storage import get_storage
print(len(list(get_storage().staging_entries())))
"""


def run(args) -> dict:
    seconds = getattr(args, "load_seconds", 60)
    clients = getattr(args, "load_clients", 4)
    workers = getattr(args, "load_workers", 2)
    rounds = getattr(args, "fault_rounds", 3)
    pg = getattr(args, "load_postgres", "")
    tmp = Path(tempfile.mkdtemp(prefix="sanxiang-load-"))
    env = {**os.environ, "SANXIANG_VAR_DIR": str(tmp), "SANXIANG_BLOB_DIR": str(tmp / "blobs")}
    env.pop("SANXIANG_PRODUCTION", None)
    pg_name = ""
    if pg:
        import psycopg

        pg_name = f"bench_load_{os.getpid()}"
        with psycopg.connect(pg, autocommit=True) as conn:
            conn.execute(f"CREATE DATABASE {pg_name}")
        env["DATABASE_URL"] = pg.rsplit("/", 1)[0] + "/" + pg_name
    else:
        env["DATABASE_URL"] = f"sqlite:///{tmp / 'load.sqlite3'}"
    server = Server(env, workers)
    try:
        manage(env, "migrate", "-v0")
        manage(env, "load_demo")
        tokens = {"officer": manage(env, "issue_token", "officer", "--name", "负载测试").stdout.strip()}
        seqs_out = (
            manage(env, "shell", "-v", "0", "-c", _VISIBLE_SEQS).stdout.strip().splitlines()[-1].split()
        )
        seqs = [int(s) for s in seqs_out] or [0]
        server.start()
        traffic = Traffic(lambda: server.port, tokens, seqs)
        load = _load(traffic, server, seconds, clients)
        faults = []
        for n in range(rounds):
            stop = time.monotonic() + 6
            in_flight: list[threading.Thread] = []

            def busy(kind: str, until: float = stop) -> None:
                while time.monotonic() < until:
                    try:
                        traffic.upload(8 << 20) if kind == "upload" else traffic.write()
                    except OSError:
                        return  # the server was killed under us: expected

            for kind in ("upload", "upload", "write", "write"):
                t = threading.Thread(target=busy, args=(kind,), daemon=True)
                t.start()
                in_flight.append(t)
            time.sleep(2 + n)  # mid-flight
            server.kill9()
            for t in in_flight:
                t.join(timeout=30)
            check = _check_after_crash(env)
            server.start()
            alive = request("GET", server.port, "/ledger/")[0] == 200
            faults.append({"round": n + 1, **check, "restarted": alive})
        errors_during_faults = len(traffic.errors) - load["errors"]
        server.stop()
        final = _check_after_crash(env)
    finally:
        server.stop()
        if pg_name:
            import psycopg

            with psycopg.connect(pg, autocommit=True) as conn:
                conn.execute(f"DROP DATABASE IF EXISTS {pg_name} WITH (FORCE)")
    return {
        "database": "postgresql" if pg else "sqlite",
        "workers": workers,
        "load": load,
        "faults": faults,
        "fault_requests_refused_by_the_kill": errors_during_faults,
        "final": final,
        "all_good": load["errors"] == 0
        and load["memory_stable"]
        and all(
            f["verify_ok"] and f["blobs_ok"] and f["restarted"] and f["staging_left_after_sweep"] == "0"
            for f in faults
        )
        and final["verify_ok"],
        "load_average": [round(x, 2) for x in os.getloadavg()],
    }


_VISIBLE_SEQS = """
from sanxiang.accounts.models import User
from sanxiang.ledger.selectors import visible_entries
print(" ".join(str(s) for s in visible_entries(User.objects.get(username="officer")).values_list("seq", flat=True)[:200]))
"""


def main() -> None:
    import argparse

    parser = argparse.ArgumentParser()
    add_arguments(parser)
    print(json.dumps(run(parser.parse_args()), ensure_ascii=False, indent=1))


if __name__ == "__main__":
    main()
