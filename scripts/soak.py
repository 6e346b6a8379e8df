"""`make soak`: crash, concurrency and soak trials of the consultant on SQLite, bounded, with figures printed.

    python scripts/soak.py [--trials 10] [--concurrency-s 30] [--soak-s 120] [--sessions 4] [--quick]

1. kill -9 mid-turn (`--trials` times): a writer process sends turns to 3 consultations and acknowledges each
   turn on stdout; it is SIGKILLed at a random moment. A fresh process then checks every consultation: it
   opens, its transcript alternates user/assistant and has 2 x `turn` entries (no half-applied turn), every
   profile value comes from a turn that exists, the stored user messages are the ones sent, in order, with
   every acknowledged turn kept (at most the one in flight lost), and one more turn goes through.
2. Concurrency: 2 processes x 8 threads for `--concurrency-s` seconds, each thread on its own consultation
   and every 4th turn on one consultation shared by all: turns/s, errors, and the same consistency checks.
3. Soak: `--sessions` sessions in one process (with the knowledge store) for `--soak-s` seconds, starting a new
   consultation every 12 turns: RSS and p95 turn time over the first and the last fifth of the run.

Exits 1 when a trial finds a lost or half-applied turn or an error.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import signal
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

SCRIPT = ["We want a support assistant that answers questions from our help center docs", "Know more",
          "Policies change every week", "About 20,000 queries a day", "answers within 2 seconds are fine",
          "no citations needed", "what is a token?", "we have 500 labeled examples", "budget is $50k",
          "what would fine-tuning cost?", "and what is re-ranking?", "thanks, that helps"]
FAILED = "Something went wrong"
CRASH_THREADS = 3

# The writer killed mid-turn: one line per acknowledged turn ("ack <thread> <n>") after `reply` returned.
WRITER = """
import sys
from consultant import Consultant
from consultant.config import Settings
SCRIPT = {script!r}
c = Consultant(Settings(_env_file=None, consultant_data_dir=sys.argv[1]), with_knowledge=False)
threads = sys.argv[2].split(",")
sent = {{t: len(c.history(t)) // 2 for t in threads}}
print("ready", flush=True)
n = 0
while True:
    t = threads[n % len(threads)]
    c.reply(t, SCRIPT[sent[t] % len(SCRIPT)] + f" #{{sent[t]}}")
    print(f"ack {{t}} {{sent[t]}}", flush=True)
    sent[t] += 1
    n += 1
"""

# One process of the concurrency trial: argv data dir, process name, threads, seconds; prints a JSON summary.
WORKER = """
import json, sys, threading, time
from consultant import Consultant
from consultant.config import Settings
SCRIPT = {script!r}
data, name, count, seconds = sys.argv[1], sys.argv[2], int(sys.argv[3]), float(sys.argv[4])
c = Consultant(Settings(_env_file=None, consultant_data_dir=data), with_knowledge=False)
turns, errors, stop = [0] * count, [0] * count, time.monotonic() + seconds
print("ready", flush=True)
sys.stdin.readline()
def work(i):
    own, n = f"{{name}}-t{{i}}", 0
    while time.monotonic() < stop:
        thread = "shared" if n % 4 == 3 else own
        try:
            turn = c.reply(thread, SCRIPT[n % len(SCRIPT)] + f" ({{name}}/{{i}} #{{n}})")
            errors[i] += "Something went wrong" in turn.message
        except Exception:
            errors[i] += 1
        turns[i] += 1
        n += 1
workers = [threading.Thread(target=work, args=(i,)) for i in range(count)]
for w in workers: w.start()
for w in workers: w.join()
print(json.dumps({{"turns": sum(turns), "errors": sum(errors)}}), flush=True)
"""


def child_env(data_dir: Path) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("OPENAI_", "CONSULTANT_"))}
    env["PYTHONPATH"] = os.pathsep.join([str(ROOT), env.get("PYTHONPATH", "")]).rstrip(os.pathsep)
    env["CONSULTANT_DATA_DIR"] = str(data_dir)
    return env


def consistency(consultant: Any, thread_id: str) -> list[str]:
    """What is wrong with a stored consultation (nothing, for a whole one)."""
    values = dict(consultant.graph.get_state({"configurable": {"thread_id": thread_id}}).values or {})
    transcript, turn = list(values.get("transcript") or []), int(values.get("turn") or 0)
    problems = []
    if len(transcript) != 2 * turn:
        problems.append(f"{thread_id}: {len(transcript)} messages for {turn} turns")
    roles = [m["role"] for m in transcript]
    if roles != ["user", "assistant"] * (len(roles) // 2) or len(roles) % 2:
        problems.append(f"{thread_id}: the transcript does not alternate user/assistant")
    for slot, source in (values.get("profile") or {}).get("provenance", {}).items():
        if source.get("turn") is not None and int(source["turn"]) > turn:
            problems.append(f"{thread_id}: {slot} comes from turn {source['turn']} of {turn}")
    return problems


# --- 1. kill -9 ------------------------------------------------------------------------------------------------
def crash_trials(trials: int, rng: random.Random) -> dict[str, Any]:
    from consultant import Consultant
    from consultant.config import Settings

    problems: list[str] = []
    acked_total = kept_total = in_flight_kept = 0
    with tempfile.TemporaryDirectory() as tmp:
        data = Path(tmp)
        threads = [f"crash-{i}" for i in range(CRASH_THREADS)]
        sent: dict[str, list[str]] = {t: [] for t in threads}
        for _ in range(trials):
            proc = subprocess.Popen([sys.executable, "-c", WRITER.format(script=SCRIPT), str(data), ",".join(threads)],
                                    stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True, env=child_env(data))
            assert proc.stdout is not None
            acks: list[str] = []
            reader = threading.Thread(target=lambda p=proc, out=acks: out.extend(p.stdout or []), daemon=True)
            reader.start()
            deadline = time.monotonic() + 60
            while "ready\n" not in acks and time.monotonic() < deadline and proc.poll() is None:
                time.sleep(0.05)
            time.sleep(rng.uniform(0.3, 3.0))
            proc.send_signal(signal.SIGKILL)
            proc.wait()
            reader.join(timeout=5)
            for line in acks:
                if line.startswith("ack "):
                    _, thread, n = line.split()
                    sent[thread].append(SCRIPT[int(n) % len(SCRIPT)] + f" #{n}")
                    acked_total += 1
            with Consultant(Settings(_env_file=None, consultant_data_dir=data), with_knowledge=False) as c:
                for thread in threads:
                    problems += consistency(c, thread)
                    stored = [m["content"] for m in c.history(thread) if m["role"] == "user"]
                    if stored[:len(sent[thread])] != sent[thread]:
                        problems.append(f"{thread}: an acknowledged turn is missing or out of order")
                    extra = stored[len(sent[thread]):]
                    if len(extra) > 1:
                        problems.append(f"{thread}: {len(extra)} unacknowledged turns stored")
                    in_flight_kept += len(extra)
                    sent[thread] = stored  # the in-flight turn, when it was kept, is part of the thread now
        with Consultant(Settings(_env_file=None, consultant_data_dir=data), with_knowledge=False) as c:
            for thread in threads:
                turn = c.reply(thread, "one more turn after the crashes")
                if FAILED in turn.message or not turn.stored:
                    problems.append(f"{thread}: does not resume")
                problems += consistency(c, thread)
                kept_total += len(c.history(thread)) // 2 - 1
    return {"trials": trials, "acknowledged": acked_total, "turns_stored": kept_total,
            "in_flight_kept": in_flight_kept, "problems": problems}


# --- 2. concurrency ----------------------------------------------------------------------------------------------
def concurrency_trial(seconds: float, processes: int = 2, threads: int = 8) -> dict[str, Any]:
    from consultant import Consultant
    from consultant.config import Settings

    with tempfile.TemporaryDirectory() as tmp:
        data = Path(tmp)
        procs = [subprocess.Popen([sys.executable, "-c", WORKER.format(script=SCRIPT), str(data), f"p{i}",
                                   str(threads), str(seconds)], stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                                  stderr=subprocess.DEVNULL, text=True, env=child_env(data))
                 for i in range(processes)]
        for p in procs:
            assert p.stdout is not None and p.stdout.readline().strip() == "ready"
        started = time.monotonic()
        for p in procs:
            assert p.stdin is not None
            p.stdin.write("go\n")
            p.stdin.flush()
        results = [json.loads(p.communicate(timeout=seconds * 4 + 120)[0].strip().splitlines()[-1]) for p in procs]
        elapsed = time.monotonic() - started
        problems: list[str] = []
        with Consultant(Settings(_env_file=None, consultant_data_dir=data), with_knowledge=False) as c:
            threads_seen = [t["thread_id"] for t in c.threads(limit=1000)]
            for thread in threads_seen:
                problems += consistency(c, thread)
            stored = sum(len(c.history(t)) // 2 for t in threads_seen)
    turns = sum(r["turns"] for r in results)
    return {"processes": processes, "threads": threads, "seconds": round(elapsed, 1), "turns": turns,
            "turns_per_s": round(turns / elapsed, 1), "errors": sum(r["errors"] for r in results),
            "turns_stored": stored, "problems": problems}


# --- 3. soak ---------------------------------------------------------------------------------------------------
def rss_mb() -> float:
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return float("nan")


def p95(values: list[float]) -> float:
    return statistics.quantiles(values, n=20)[-1] if len(values) >= 20 else max(values, default=float("nan"))


def soak(seconds: float, sessions: int) -> dict[str, Any]:
    from consultant import Consultant
    from consultant.config import Settings

    with tempfile.TemporaryDirectory() as tmp:
        consultant = Consultant(Settings(_env_file=None, consultant_data_dir=Path(tmp)))
        timings: list[tuple[float, float]] = []  # (when, seconds)
        errors = [0] * sessions
        lock = threading.Lock()
        consultant.reply("warm-up", SCRIPT[0])
        rss_start, started = rss_mb(), time.monotonic()
        stop = started + seconds

        def work(i: int) -> None:
            n = 0
            while time.monotonic() < stop:
                thread = f"soak-{i}-{n // 12}"
                t0 = time.perf_counter()
                try:
                    turn = consultant.reply(thread, SCRIPT[n % len(SCRIPT)])
                    errors[i] += FAILED in turn.message
                except Exception:
                    errors[i] += 1
                with lock:
                    timings.append((time.monotonic() - started, time.perf_counter() - t0))
                n += 1

        workers = [threading.Thread(target=work, args=(i,)) for i in range(sessions)]
        for w in workers:
            w.start()
        for w in workers:
            w.join()
        rss_end, elapsed = rss_mb(), time.monotonic() - started
        consultant.close()
    fifth = elapsed / 5
    first = [d for when, d in timings if when < fifth]
    last = [d for when, d in timings if when >= elapsed - fifth]
    return {"sessions": sessions, "seconds": round(elapsed, 1), "turns": len(timings),
            "turns_per_s": round(len(timings) / elapsed, 1), "errors": sum(errors),
            "rss_mb_start": round(rss_start), "rss_mb_end": round(rss_end),
            "p95_ms_start": round(p95(first) * 1000), "p95_ms_end": round(p95(last) * 1000)}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--trials", type=int, default=10)
    parser.add_argument("--concurrency-s", type=float, default=30)
    parser.add_argument("--soak-s", type=float, default=120)
    parser.add_argument("--sessions", type=int, default=4)
    parser.add_argument("--seed", type=int, default=12)
    parser.add_argument("--quick", action="store_true", help="3 trials, 8 s of concurrency, 20 s of soak")
    args = parser.parse_args()
    if args.quick:
        args.trials, args.concurrency_s, args.soak_s = 3, 8, 20
    failed = False

    crash = crash_trials(args.trials, random.Random(args.seed))
    print(f"kill -9 mid-turn: {crash['trials']} trials, {crash['acknowledged']} turns acknowledged, "
          f"{crash['turns_stored']} stored ({crash['in_flight_kept']} of them finished as the kill came), "
          f"every consultation resumed, {len(crash['problems'])} problems", flush=True)
    conc = concurrency_trial(args.concurrency_s)
    print(f"concurrency: {conc['processes']} processes x {conc['threads']} threads for {conc['seconds']} s: "
          f"{conc['turns']} turns ({conc['turns_per_s']}/s), {conc['errors']} errors, {conc['turns_stored']} stored, "
          f"{len(conc['problems'])} problems", flush=True)
    long = soak(args.soak_s, args.sessions)
    print(f"soak: {long['sessions']} sessions for {long['seconds']} s: {long['turns']} turns "
          f"({long['turns_per_s']}/s), {long['errors']} errors; RSS {long['rss_mb_start']} -> {long['rss_mb_end']} MB; "
          f"p95 {long['p95_ms_start']} -> {long['p95_ms_end']} ms", flush=True)
    for problem in (crash["problems"] + conc["problems"])[:20]:
        print(f"  problem: {problem}")
        failed = True
    if conc["errors"] or long["errors"] or conc["turns"] != conc["turns_stored"]:
        failed = True
    return 1 if failed else 0


if __name__ == "__main__":
    raise SystemExit(main())
