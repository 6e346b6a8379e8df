"""`make bench`: every speed and memory figure with its target (knowledge store, agent, LLM path, load)."""

from __future__ import annotations

import sys


def main() -> int:
    from evals import bench_agent, bench_knowledge, bench_llm, bench_load

    status = 0
    for name, module in (("knowledge store", bench_knowledge), ("agent", bench_agent), ("LLM path", bench_llm),
                         ("load", bench_load)):
        print(f"\n===== {name} =====", flush=True)
        try:
            status |= int(module.main([]))
        except Exception as exc:  # one failing bench still lets the others report
            print(f"{name} benchmark failed: {type(exc).__name__}: {exc}", file=sys.stderr)
            status = 1
    return status


if __name__ == "__main__":
    raise SystemExit(main())
