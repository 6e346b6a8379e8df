"""A private PostgreSQL cluster for tests: initdb + pg_ctl on a free loopback port, data under the temp dir."""

from __future__ import annotations

import glob
import os
import shutil
import subprocess
import tempfile
import uuid
from pathlib import Path

from tests.local_servers import free_port


def find_bin(name: str) -> str | None:
    """`initdb`/`pg_ctl` on PATH, else Debian's /usr/lib/postgresql/<newest>/bin."""
    found = shutil.which(name)
    if found:
        return found
    candidates = sorted(glob.glob(f"/usr/lib/postgresql/*/bin/{name}"),
                        key=lambda p: int(Path(p).parts[-3]) if Path(p).parts[-3].isdigit() else 0)
    return candidates[-1] if candidates else None


def missing() -> str | None:
    """Why a cluster can't be started here (None when it can)."""
    for name in ("initdb", "pg_ctl"):
        if find_bin(name) is None:
            return f"PostgreSQL's `{name}` was not found (run `bash scripts/ensure-postgres.sh`, or apt-get install postgresql)"
    if os.geteuid() == 0:
        try:
            import pwd

            pwd.getpwnam("postgres")
        except KeyError:
            return "running as root and there is no `postgres` user to run the server as"
    return None


class Cluster:
    """`start()`, `restart()`, `stop()`; `url(db)` for a database on it; `create_database()` for a fresh one."""

    def __init__(self) -> None:
        self.root = Path(tempfile.mkdtemp(prefix="consultant-pg-"))  # not pytest's tmp: 0700 root, unreadable
        self.data = self.root / "data"
        self.log = self.root / "server.log"
        self.port = 0
        self._as_postgres = os.geteuid() == 0  # the server refuses to run as root
        if self._as_postgres:
            shutil.chown(self.root, "postgres", "postgres")

    def _run(self, *args: str, timeout: float = 60) -> subprocess.CompletedProcess[str]:
        cmd = list(args)
        if self._as_postgres:
            cmd = ["runuser", "-u", "postgres", "--", *cmd]
        done = subprocess.run(cmd, cwd=self.root, capture_output=True, text=True, timeout=timeout)
        if done.returncode != 0:
            log = self.log.read_text(errors="replace")[-2000:] if self.log.exists() else ""
            raise RuntimeError(f"{' '.join(args[:2])} failed ({done.returncode}): {done.stderr}\n{log}")
        return done

    def start(self) -> None:
        self._run(str(find_bin("initdb")), "-D", str(self.data), "--auth=trust", "-U", "postgres",
                  "--encoding=UTF8", "--no-sync")
        for attempt in range(3):
            self.port = free_port()
            options = (f"-c listen_addresses=127.0.0.1 -p {self.port} -k {self.root} -c fsync=off "
                       "-c max_connections=60 -c shared_buffers=16MB")
            try:
                self._run(str(find_bin("pg_ctl")), "-D", str(self.data), "-l", str(self.log), "-w", "-t", "60",
                          "-o", options, "start")
                return
            except RuntimeError:
                if attempt == 2:
                    raise

    def restart(self) -> None:
        """`pg_ctl restart -m fast`: every session is cut, the data stays (same port: pg_ctl reuses the options)."""
        self._run(str(find_bin("pg_ctl")), "-D", str(self.data), "-l", str(self.log), "-w", "-t", "60", "-m", "fast",
                  "restart")

    def stop(self) -> None:
        try:
            if (self.data / "postmaster.pid").exists():
                self._run(str(find_bin("pg_ctl")), "-D", str(self.data), "-w", "-t", "30", "-m", "immediate", "stop")
        finally:
            shutil.rmtree(self.root, ignore_errors=True)

    def url(self, dbname: str = "postgres") -> str:
        return f"postgresql://postgres@127.0.0.1:{self.port}/{dbname}"

    def create_database(self) -> str:
        """A fresh, empty database on the cluster; its URL."""
        import psycopg

        name = f"t_{uuid.uuid4().hex[:12]}"
        with psycopg.connect(self.url(), autocommit=True) as conn:
            conn.execute(f'CREATE DATABASE "{name}"')
        return self.url(name)
