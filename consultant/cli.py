"""The `consultant` command: thin argument parsing over the package."""

from __future__ import annotations

import argparse
import json
import os
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from consultant.errors import ConsultantError
from consultant.evaluation.model_profiles import PROFILES

PROFILE_NAMES = tuple(PROFILES)

USAGE_ERROR = 2
#: How deep a profile file may nest. A profile is one object of slots (an export wraps it once more); anything
#: deeper is not a profile, and refusing it early keeps json's recursion far from Python's stack limit.
MAX_JSON_DEPTH = 20


def _fail(message: str) -> int:
    print(f"error: {message}", file=sys.stderr)
    return USAGE_ERROR


def _nesting(text: str) -> int:
    """The deepest bracket nesting of a JSON text (brackets inside strings not counted)."""
    depth = deepest = 0
    in_string = escaped = False
    for ch in text:
        if in_string:
            escaped, in_string = (False, True) if escaped else (ch == "\\", ch != '"')
        elif ch == '"':
            in_string = True
        elif ch in "[{":
            depth += 1
            deepest = max(deepest, depth)
        elif ch in "]}":
            depth -= 1
    return deepest


def _unique_keys(pairs: list[tuple[str, object]]) -> dict[str, object]:
    seen: dict[str, object] = {}
    for key, value in pairs:
        if key in seen:
            raise ValueError(f"{key}: given twice (which one is meant?)")
        seen[key] = value
    return seen


def _load_json(text: str) -> Any:
    """json.loads for a user's file: refuses nesting deeper than MAX_JSON_DEPTH and keys given twice
    (ValueError naming the problem) and never lets a RecursionError out."""
    if _nesting(text) > MAX_JSON_DEPTH:
        raise ValueError(f"nested more than {MAX_JSON_DEPTH} levels deep: a profile is one JSON object of slots")
    return json.loads(text, object_pairs_hook=_unique_keys, parse_int=_whole_number)


def _whole_number(digits: str) -> int:
    """An integer literal; past Python's 4,300-digit conversion limit, a number of the same length (the
    profile check then names the field and the length instead of json failing on the conversion)."""
    if len(digits) <= 1000:
        return int(digits)
    sign = -1 if digits.startswith("-") else 1
    return sign * 10 ** (len(digits.lstrip("-")) - 1)


def cmd_recommend(args: argparse.Namespace) -> int:
    from consultant.brief import build_brief, render
    from consultant.costs import load_cost_table
    from consultant.profile import make_profile
    from consultant.scoring import recommend

    try:
        text = Path(args.profile).read_text("utf-8") if args.profile != "-" else sys.stdin.read()
    except (OSError, UnicodeDecodeError) as exc:
        return _fail(f"cannot read {args.profile}: {exc}")
    try:
        data = _load_json(text.removeprefix("\ufeff"))
    except json.JSONDecodeError as exc:
        return _fail(f"{args.profile} is not valid JSON (line {exc.lineno}, column {exc.colno}: {exc.msg})")
    except ValueError as exc:
        return _fail(f"{args.profile}: {exc}")
    if isinstance(data, dict) and isinstance(data.get("profile"), dict):
        data = data["profile"]  # accept an exported {"profile": ..., "recommendation": ...} document
    try:
        profile = make_profile(data)
        table = load_cost_table(Path(args.costs)) if args.costs else None
        rec = recommend(profile, table)
    except ConsultantError as exc:
        return _fail(str(exc))
    if args.json:
        print(json.dumps({"profile": profile.values(), "recommendation": rec.to_dict()}, indent=2))
    else:
        print(render.text(build_brief(profile, rec)))
    return 0


def cmd_ingest(args: argparse.Namespace) -> int:
    from consultant.kb.store import default_builtin_dir, open_store

    store = open_store(ensure_builtin=False)
    paths = [Path(p) for p in args.paths] or [default_builtin_dir()]
    if args.if_missing:
        sources = sorted({store.root(p, args.source).source for p in paths})
        if all(store.has_source(s) for s in sources):
            print(f"knowledge store ready ({store.count()} chunks; source {', '.join(sources)} present)")
            return 0
    report = store.ingest(paths, prune=args.prune, progress=not args.quiet and sys.stderr.isatty(),
                          source=args.source)
    print(report.render())
    return 1 if report.count("failed") else 0


def cmd_search(args: argparse.Namespace) -> int:
    from consultant.kb.documents import KNOWN_DIMENSIONS
    from consultant.kb.store import open_store

    if args.dimension and args.dimension not in KNOWN_DIMENSIONS:
        return _fail(f"unknown dimension '{args.dimension}' (one of {', '.join(KNOWN_DIMENSIONS)})")
    if not args.query.strip():
        return _fail("the query is empty")
    passages = open_store().search(args.query, k=args.k, dimension=args.dimension)
    if args.json:
        print(json.dumps([p.to_dict() for p in passages], indent=2))
        return 0
    if not passages:
        print("no passages found")
    for i, p in enumerate(passages, 1):
        print(f"[{i}] {p.source} › {p.heading}  (score {p.score:.3f}, {p.chunk_id})")
        print("    " + p.text.replace("\n", "\n    ")[:800])
        print()
    return 0


def cmd_eval(args: argparse.Namespace) -> int:
    from consultant.evaluation import render_markdown, render_table, run_eval

    report = run_eval([Path(p) for p in args.paths], baseline=not args.no_baseline, llm=args.llm is not None,
                      reader=args.reader, llm_profile=args.llm or None, llm_url=args.llm_url)
    # the files first: a report piped into `head` must not lose them when the pipe closes
    if args.json:
        Path(args.json).parent.mkdir(parents=True, exist_ok=True)
        Path(args.json).write_text(json.dumps({k: v for k, v in report.items() if k != "transcripts"}, indent=2))
    if args.markdown:
        Path(args.markdown).parent.mkdir(parents=True, exist_ok=True)
        Path(args.markdown).write_text(render_markdown(report))
    if args.transcripts:
        Path(args.transcripts).write_text(json.dumps(report["transcripts"], indent=2))
    print(render_table(report))
    if report["summary"]["scenarios"] == 0:
        return _fail("no scenarios ran")
    if args.min_accuracy is not None and report["summary"]["recommendation_accuracy"] < args.min_accuracy:
        print(f"FAIL: recommendation accuracy {report['summary']['recommendation_accuracy']:.1%} is below "
              f"{args.min_accuracy:.1%}", file=sys.stderr)
        return 1
    return 0


def cmd_chat(args: argparse.Namespace) -> int:
    import secrets

    from consultant.api import Consultant
    from consultant.entry import freeze_heap
    from consultant.prompts import GREETING

    consultant = Consultant()
    freeze_heap()  # this process exists to serve the consultation
    thread = args.thread or f"cli-{secrets.token_urlsafe(16)}"  # unguessable: the id is the key to the consultation
    existing = consultant.state(thread)
    print(f"(consultation {thread}; resume it later with: consultant chat --thread {thread}; Ctrl-D to quit)\n")
    print(existing.message if existing else GREETING)
    while True:
        try:
            text = input("\nyou> ")
        except EOFError:
            print()
            return 0
        turn = consultant.reply(thread, text)
        print("\nconsultant> " + turn.message)
        for notice in turn.notices:
            print(f"(note: {notice})")


def cmd_export(args: argparse.Namespace) -> int:
    from consultant.api import Consultant
    from consultant.exports import profile_json
    from consultant.nodes import load_profile

    consultant = Consultant()
    if consultant.state(args.thread) is None:
        return _fail(f"no consultation with thread id '{args.thread}'")
    if args.format == "scenario":
        text = consultant.export_scenario(args.thread)
    elif args.format == "adr":
        text = consultant.export_adr(args.thread)
    else:
        values = consultant.graph.get_state({"configurable": {"thread_id": args.thread}}).values
        text = profile_json(load_profile(values.get("profile")), consultant.table)
    if args.output:
        Path(args.output).write_text(text, "utf-8")
        print(f"wrote {args.output}")
    else:
        print(text)
    return 0


def cmd_prune_threads(args: argparse.Namespace) -> int:
    from consultant.api import Consultant
    from consultant.retention import parse_duration

    try:
        older_than = parse_duration(args.older_than)
    except ValueError as exc:
        return _fail(str(exc))
    with Consultant(with_knowledge=False) as consultant:
        deleted = consultant.prune_threads(older_than)
    print(f"deleted {len(deleted)} consultation(s) last updated more than {args.older_than} ago")
    return 0


def cmd_ui(args: argparse.Namespace) -> int:
    import subprocess

    from consultant.assets import ui_app

    app = ui_app()
    if not app.exists():
        return _fail(f"the UI is not installed inside the package ({app} is missing)")
    from consultant.offline import QUIET_ENV, streamlit_flags

    # Bound to loopback unless asked otherwise; no usage statistics; with an address set, Streamlit does not
    # look up its external address (checkip.amazonaws.com, 8.8.8.8) either (consultant/offline.py).
    command = [sys.executable, "-m", "streamlit", "run", str(app), *streamlit_flags(args.host, args.port)]
    return subprocess.call(command, env={**QUIET_ENV, **os.environ})


def cmd_healthz(args: argparse.Namespace) -> int:
    from consultant.healthcheck import health

    result = health()
    print(result.reason, file=sys.stdout if result.ok else sys.stderr)
    return 0 if result.ok else 1


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="consultant", description=__doc__)
    sub = parser.add_subparsers(dest="command", required=True)

    p = sub.add_parser("recommend", help="score a profile JSON file (the scorer alone)")
    p.add_argument("profile", help="path to a JSON object of slots, or - for stdin")
    p.add_argument("--json", action="store_true", help="print JSON instead of text")
    p.add_argument("--costs", help="a TOML file overriding the cost table")
    p.set_defaults(func=cmd_recommend)

    p = sub.add_parser(
        "ingest", help="add documents to the knowledge store (idempotent)",
        description="Add or refresh documents. Each is stored as <source>:<path relative to its root>: the "
        "built-in knowledge folder is the source 'builtin'; a folder is a source named after it (its files "
        "relative to it); a single file is named after its folder. Unchanged files cost nothing.",
        epilog="--prune only touches the documents the given paths stand for: a folder's source (or, inside "
        "the knowledge folder, that subfolder), a file's own document. Documents of other sources, for example "
        "ones other hosts ingested into a shared Chroma server, are never removed. `consultant ingest --prune` "
        "without paths prunes the 'builtin' source only.")
    p.add_argument("paths", nargs="*", help="files or folders (.md, .txt, .html, .pdf); default: the built-in "
                   "knowledge folder")
    p.add_argument("--source", metavar="NAME", help="source name for every path (default: 'builtin' inside the "
                   "knowledge folder, else the folder's name); no ':'")
    p.add_argument("--prune", action="store_true", help="also remove documents of the given paths' sources whose "
                   "files no longer exist (other sources are left alone)")
    p.add_argument("--if-missing", action="store_true", help="do nothing when the store already holds documents "
                   "of the source(s) given")
    p.add_argument("--quiet", action="store_true", help="no progress bar")
    p.set_defaults(func=cmd_ingest)

    p = sub.add_parser("search", help="cited passages from the knowledge store")
    p.add_argument("query")
    p.add_argument("-k", type=int, default=4, help="number of passages (default 4)")
    p.add_argument("--dimension", help="only passages informing this slot, e.g. latency_budget_ms")
    p.add_argument("--json", action="store_true", help="print a JSON list of passages")
    p.set_defaults(func=cmd_search)

    p = sub.add_parser("eval", help="run scripted eval conversations (YAML scenarios)")
    p.add_argument("paths", nargs="+", help="scenario files or folders")
    p.add_argument("--json", help="write the JSON report here")
    p.add_argument("--markdown", help="write a Markdown summary here")
    p.add_argument("--transcripts", help="write every conversation here (JSON)")
    p.add_argument("--min-accuracy", type=float, help="exit 1 below this recommendation accuracy (0-1)")
    p.add_argument("--llm", nargs="?", const="", choices=("", *PROFILE_NAMES), metavar="PROFILE",
                   help="read with an LLM too: alone, the configured OpenAI-compatible endpoint; with a model profile "
                   f"({', '.join(PROFILE_NAMES)}), the built-in fake server with that behaviour on 127.0.0.1")
    p.add_argument("--llm-url", help="read with the LLM at this OpenAI-compatible base URL (e.g. a local server)")
    p.add_argument("--no-baseline", action="store_true", help="skip the fixed-questionnaire baseline")
    p.add_argument("--reader", choices=("rules", "learned", "both"), help="offline reader of the enum slots "
                   "(default: the configured one, CONSULTANT_READER)")
    p.set_defaults(func=cmd_eval)

    p = sub.add_parser("chat", help="a consultation in the terminal")
    p.add_argument("--thread", help="resume (or name) a consultation")
    p.set_defaults(func=cmd_chat)

    p = sub.add_parser("export", help="export a consultation: eval scenario, ADR or JSON")
    p.add_argument("thread", help="the consultation's thread id")
    p.add_argument("--format", choices=("scenario", "adr", "json"), default="scenario")
    p.add_argument("-o", "--output", help="write to this file instead of stdout")
    p.set_defaults(func=cmd_export)

    p = sub.add_parser("prune-threads", help="delete consultations nobody has written to for a while",
                       description="Delete every consultation (all its checkpoints) whose latest message or edit is "
                       "older than the given age. To keep only the newest checkpoints of every consultation "
                       "instead, set CONSULTANT_KEEP_CHECKPOINTS=N.")
    p.add_argument("--older-than", required=True, metavar="AGE", help="e.g. 30d, 12h, 2w, 90m")
    p.set_defaults(func=cmd_prune_threads)

    p = sub.add_parser("ui", help="serve the Streamlit chat UI")
    p.add_argument("--port", type=int, default=8501)
    p.add_argument("--host", default="127.0.0.1", help="address to serve on (default: loopback only)")
    p.set_defaults(func=cmd_ui)

    p = sub.add_parser("healthz", help="are the knowledge store and the checkpointer reachable? (exit 0 or 1)",
                       description="For served modes: checks the knowledge store (embedded or CONSULTANT_CHROMA_URL) "
                       "opens and holds documents, and the checkpoint database (SQLite in the data dir or "
                       "CONSULTANT_CHECKPOINT_URL) answers; prints one line and exits 0 when both are fine, 1 if not.")
    p.set_defaults(func=cmd_healthz)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    from consultant.entry import start

    parser = build_parser()
    args = parser.parse_args(argv)
    try:
        start()  # .env in the working folder, CONSULTANT_LOG_LEVEL: the command's own process only
        return int(args.func(args))
    except ConsultantError as exc:
        return _fail(str(exc))
    except KeyboardInterrupt:
        return 130
    except BrokenPipeError:
        # `consultant eval ... | head`: the reader closed the pipe; stop quietly, as Unix tools do
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return 141
