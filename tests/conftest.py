"""Shared test setup: network blocked except loopback, a private data dir per session."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from consultant.config import get_settings
from tests.chroma_server import ChromaServer
from tests.chroma_server import missing as chroma_missing
from tests.pg_cluster import Cluster
from tests.pg_cluster import missing as pg_missing


def pytest_configure(config: pytest.Config) -> None:
    # Block the network for every test; loopback stays open for the fake LLM server and Streamlit.
    config.option.disable_socket = True
    config.option.allow_unix_socket = True
    config.option.allow_hosts = "127.0.0.1,localhost,::1"


@pytest.fixture(scope="session", autouse=True)
def _isolated_data_dir(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    data_dir = tmp_path_factory.mktemp("consultant-data")
    mp = pytest.MonkeyPatch()
    mp.setenv("CONSULTANT_DATA_DIR", str(data_dir))
    # Every test runs on the embedded store unless it opts in to a Chroma server (the `use_chroma_server` fixture).
    for name in ("OPENAI_API_KEY", "OPENAI_BASE_URL", "CONSULTANT_CHROMA_URL", "CONSULTANT_CHECKPOINT_URL",
                 "CONSULTANT_COSTS_FILE"):
        mp.delenv(name, raising=False)
    get_settings.cache_clear()
    yield data_dir
    mp.undo()
    get_settings.cache_clear()


@pytest.fixture(scope="session")
def pg_cluster() -> Iterator[Cluster]:
    """A private PostgreSQL cluster on a free loopback port (initdb + pg_ctl), removed after the session."""
    reason = pg_missing()
    if reason:
        pytest.skip(reason)
    cluster = Cluster()
    try:
        cluster.start()
        yield cluster
    finally:
        cluster.stop()


@pytest.fixture
def pg_url(pg_cluster: Cluster) -> str:
    """A fresh, empty database on the test cluster."""
    return pg_cluster.create_database()


@pytest.fixture(scope="session")
def chroma_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """A real `chroma run` on a free 127.0.0.1 port with a private data dir, for the session; yields its URL."""
    reason = chroma_missing()
    if reason:
        pytest.skip(reason)
    server = ChromaServer(tmp_path_factory.mktemp("chroma-server"))
    try:
        try:
            url = server.start()
        except RuntimeError as exc:
            pytest.fail(str(exc))
        yield url
    finally:
        server.stop()


@pytest.fixture
def use_chroma_server(chroma_server: str) -> Iterator[str]:
    """Opt in: point the consultant at the Chroma server through CONSULTANT_CHROMA_URL for one test."""
    mp = pytest.MonkeyPatch()
    mp.setenv("CONSULTANT_CHROMA_URL", chroma_server)
    get_settings.cache_clear()
    yield chroma_server
    mp.undo()
    get_settings.cache_clear()
