"""How fast the checkpoint database grows per turn, with and without CONSULTANT_KEEP_CHECKPOINTS.

    python scripts/retention_growth.py [--threads 4] [--turns 60] [--keep 5] [--postgres]

Runs the same consultations twice (keep all, keep N) on SQLite (and on a private Postgres cluster with
--postgres, needs Debian's postgresql) and prints the bytes on disk per turn over the second half of the turns,
when the conversations are long (a checkpoint holds the whole transcript, so late turns cost the most).
"""

from __future__ import annotations

import argparse
import sys
import tempfile
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from consultant import Consultant  # noqa: E402
from consultant.config import Settings  # noqa: E402

SCRIPT = ["We want a support assistant that answers questions from our help center docs", "Know more",
          "Policies change every week", "About 20,000 queries a day", "answers within 2 seconds are fine",
          "what is a token?", "what would fine-tuning cost?", "and RAG?", "thanks", "what is re-ranking?"]


def sqlite_bytes(consultant: Consultant) -> int:
    conn = consultant.checkpointer.conn
    conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    path = consultant.settings.checkpoint_path
    return sum(p.stat().st_size for p in path.parent.glob(path.name + "*"))


def postgres_bytes(consultant: Consultant) -> int:
    with consultant.checkpointer.conn.connection() as conn:
        conn.execute("VACUUM checkpoints")
        conn.execute("VACUUM checkpoint_blobs")
        conn.execute("VACUUM checkpoint_writes")
        row = conn.execute("SELECT SUM(pg_total_relation_size(t)) AS n FROM unnest(ARRAY['checkpoints', "
                           "'checkpoint_blobs', 'checkpoint_writes']) AS t").fetchone()
    return int(row["n"])


def run(settings: Settings, threads: int, turns: int, size: Any) -> dict[str, float]:
    with Consultant(settings, with_knowledge=False) as consultant:
        half = turns // 2
        marks = []
        for n in range(turns):
            for t in range(threads):
                consultant.reply(f"growth-{t}", SCRIPT[n % len(SCRIPT)] if n < len(SCRIPT) else
                                 f"{SCRIPT[5 + n % 5]} (turn {n})")
            if n + 1 in (half, turns):
                marks.append(size(consultant))
        per_turn = (marks[1] - marks[0]) / (threads * (turns - half))
        return {"bytes_total": marks[1], "bytes_per_turn_late": per_turn}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--threads", type=int, default=4)
    parser.add_argument("--turns", type=int, default=60)
    parser.add_argument("--keep", type=int, default=5)
    parser.add_argument("--postgres", action="store_true")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        for keep in (None, args.keep):
            settings = Settings(_env_file=None, consultant_data_dir=Path(tmp) / f"sqlite-{keep}",
                                consultant_keep_checkpoints=keep)
            figures = run(settings, args.threads, args.turns, sqlite_bytes)
            print(f"sqlite   keep={keep or 'all':>3}: {figures['bytes_total'] / 1e6:7.2f} MB after "
                  f"{args.threads * args.turns} turns, {figures['bytes_per_turn_late'] / 1e3:6.1f} KB per late turn")
        if args.postgres:
            from tests.pg_cluster import Cluster

            cluster = Cluster()
            cluster.start()
            try:
                for keep in (None, args.keep):
                    settings = Settings(_env_file=None, consultant_data_dir=Path(tmp) / f"pg-{keep}",
                                        consultant_checkpoint_url=cluster.create_database(),
                                        consultant_keep_checkpoints=keep)
                    figures = run(settings, args.threads, args.turns, postgres_bytes)
                    print(f"postgres keep={keep or 'all':>3}: {figures['bytes_total'] / 1e6:7.2f} MB after "
                          f"{args.threads * args.turns} turns, {figures['bytes_per_turn_late'] / 1e3:6.1f} KB per "
                          "late turn")
            finally:
                cluster.stop()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
