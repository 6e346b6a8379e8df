"""A real package: build the wheel offline, install it into a fresh venv and use it from another folder.

The fresh venv gets the wheel alone (`--no-deps`); the dependencies come from the running interpreter's
site-packages through a .pth file, which puts them after the fresh venv's own site-packages, so `consultant`
itself is the installed wheel (not this checkout) while nothing is downloaded. Every command runs in a
temporary folder outside the repository with its own data dir: the knowledge base and the UI must come from
inside the installed package.
"""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import sys
import sysconfig
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

from tests.local_servers import free_port, wait_for_http

REPO = Path(__file__).resolve().parents[1]
PIP_TIMEOUT_S = 300
COMMAND_TIMEOUT_S = 300
UI_START_TIMEOUT_S = 60

pytestmark = pytest.mark.slow


@dataclass(frozen=True)
class Installed:
    venv: Path
    workdir: Path  # outside the repository
    env: dict[str, str]

    @property
    def bin(self) -> Path:
        return self.venv / "bin"

    def run(self, *args: str, stdin: str | None = None) -> subprocess.CompletedProcess[str]:
        return subprocess.run([str(self.bin / "consultant"), *args], input=stdin, capture_output=True, text=True,
                              cwd=self.workdir, env=self.env, timeout=COMMAND_TIMEOUT_S)

    def python(self, code: str) -> str:
        done = subprocess.run([str(self.bin / "python"), "-c", code], capture_output=True, text=True,
                              cwd=self.workdir, env=self.env, timeout=COMMAND_TIMEOUT_S)
        assert done.returncode == 0, done.stderr
        return done.stdout.strip()


def _pip(*args: str) -> None:
    done = subprocess.run([sys.executable, "-m", "pip", "--disable-pip-version-check", "--no-input", *args],
                          capture_output=True, text=True, timeout=PIP_TIMEOUT_S, env={**os.environ, "PIP_NO_INDEX": "1"})
    assert done.returncode == 0, f"pip {' '.join(args)}:\n{done.stdout}\n{done.stderr}"


@pytest.fixture(scope="module")
def installed(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Installed]:
    root = tmp_path_factory.mktemp("package")
    # Build from a clean copy: no build/ left over in the checkout, and nothing stale slips into the wheel.
    src = root / "src"
    src.mkdir()
    for name in ("pyproject.toml", "README.md"):
        shutil.copy2(REPO / name, src / name)
    shutil.copytree(REPO / "consultant", src / "consultant", ignore=shutil.ignore_patterns("__pycache__", "*.pyc"))
    dist = root / "dist"
    _pip("wheel", "--no-deps", "--no-build-isolation", "--no-index", "-w", str(dist), str(src))
    wheel = next(dist.glob("consultant-*.whl"))

    venv = root / "venv"
    subprocess.run([sys.executable, "-m", "venv", "--without-pip", str(venv)], check=True, timeout=PIP_TIMEOUT_S)
    _pip("--python", str(venv / "bin" / "python"), "install", "--no-index", "--no-deps", str(wheel))
    purelib = subprocess.run([str(venv / "bin" / "python"), "-c",
                              "import sysconfig; print(sysconfig.get_paths()['purelib'])"],
                             capture_output=True, text=True, check=True).stdout.strip()
    # A .pth line is appended to sys.path after the site-packages that holds it: the wheel wins over the
    # editable checkout the running venv has installed (its own .pth files are not processed from here).
    (Path(purelib) / "zz-dependencies.pth").write_text(sysconfig.get_paths()["purelib"] + "\n", "utf-8")

    workdir = root / "elsewhere"
    workdir.mkdir()
    env = {k: v for k, v in os.environ.items()
           if not k.startswith(("OPENAI_", "CONSULTANT_", "LANGSMITH_", "PYTHON", "VIRTUAL_ENV"))}
    env.update(CONSULTANT_DATA_DIR=str(root / "data"), PATH=f"{venv / 'bin'}{os.pathsep}{env.get('PATH', '')}")
    yield Installed(venv, workdir, env)


def test_the_wheel_ships_the_package_and_its_data(installed: Installed) -> None:
    where = installed.python(
        "import consultant, consultant.assets as a, consultant.kb.store as s\n"
        "print(consultant.__file__); print(a.knowledge_dir()); print(a.ui_app()); print(s.default_builtin_dir())")
    package, knowledge, app, builtin = (Path(line) for line in where.splitlines())
    venv = installed.venv.resolve()
    assert package.resolve().is_relative_to(venv), f"{package} is not the installed wheel"
    assert not package.resolve().is_relative_to(REPO)
    assert knowledge == builtin and knowledge.resolve().is_relative_to(venv)
    assert sorted(p.name for p in knowledge.glob("*.md")) == sorted(
        p.name for p in (REPO / "consultant" / "knowledge").glob("*.md"))
    assert app.is_file() and app.resolve().is_relative_to(venv) and (app.parent / "static" / "icon.png").is_file()


def test_ingest_search_and_chat_from_another_folder(installed: Installed) -> None:
    ingest = installed.run("ingest", "--quiet")
    assert ingest.returncode == 0, ingest.stderr
    assert " 0 ingested" not in ingest.stdout and "chunks added" in ingest.stdout
    search = installed.run("search", "latency")
    assert search.returncode == 0, search.stderr
    assert "latency.md" in search.stdout  # a built-in passage, cited
    chat = installed.run("chat", stdin="We want a support bot over our help-center policies.\n"
                                       "The policies change every week.\n")
    assert chat.returncode == 0, chat.stderr
    assert chat.stdout.count("consultant> ") == 2, chat.stdout
    assert "Traceback" not in chat.stderr
    assert installed.run("healthz").returncode == 0
    assert not (installed.workdir / ".consultant").exists()  # the data dir given, not the working folder


def test_the_ui_serves_from_the_installed_package(installed: Installed) -> None:
    port = free_port()
    log = (installed.workdir / "ui.log").open("w")
    # Its own process group: `consultant ui` starts Streamlit as a child, and both are stopped together.
    proc = subprocess.Popen([str(installed.bin / "consultant"), "ui", "--port", str(port)], cwd=installed.workdir,
                            env=installed.env, stdout=log, stderr=subprocess.STDOUT, start_new_session=True)
    try:
        if not wait_for_http(f"http://127.0.0.1:{port}/_stcore/health", proc, UI_START_TIMEOUT_S, interval_s=0.3):
            pytest.fail(f"`consultant ui` did not come up (exit {proc.poll()}):\n"
                        f"{(installed.workdir / 'ui.log').read_text()}")
    finally:
        os.killpg(proc.pid, signal.SIGTERM)
        try:
            proc.wait(timeout=20)
        except subprocess.TimeoutExpired:
            os.killpg(proc.pid, signal.SIGKILL)
            proc.wait()
        log.close()
