"""pytest fixtures: the S3 test server (one per session) and ``blob_store``, which runs a test once
against the local directory and once against the S3 server (issue 17, item 1)."""

from __future__ import annotations

import os
import uuid

import pytest

from sanxiang.testing.s3server import S3Server

BUCKET = "sanxiang-test"


@pytest.fixture(scope="session")
def s3_server(tmp_path_factory):
    if os.environ.get("SANXIANG_TEST_S3") == "off":
        pytest.skip("S3 tests DISABLED by SANXIANG_TEST_S3=off — not a full test run")
    endpoint = os.environ.get("SANXIANG_TEST_S3_ENDPOINT")
    if endpoint:
        server = S3Server(endpoint=endpoint)
        server.ensure_bucket(BUCKET)
        yield server
        return
    server = S3Server.start(tmp_path_factory.mktemp("s3"))
    server.ensure_bucket(BUCKET)
    try:
        yield server
    finally:
        server.stop()


@pytest.fixture
def s3_store(s3_server, settings):
    """Blobs in the S3 server, under a prefix of this test's own."""
    settings.SANXIANG_BLOB_STORE = "s3"
    settings.SANXIANG_S3 = s3_server.settings(BUCKET, prefix=f"t-{uuid.uuid4().hex}/")
    return s3_server


@pytest.fixture(params=["local", "s3"])
def blob_store(request, settings):
    if request.param == "s3":
        request.getfixturevalue("s3_store")
    return request.param
