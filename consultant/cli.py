"""The `consultant` command: thin argument parsing over the package."""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Sequence
from pathlib import Path

from consultant.errors import ConsultantError

USAGE_ERROR = 2


def _fail(message: str) -> int:
    print(f"error: {message}", file=sys.stderr)
    return USAGE_ERROR


def cmd_recommend(args: argparse.Namespace) -> int:
    from consultant.costs import load_cost_table
    from consultant.profile import make_profile
    from consultant.report import render_text
    from consultant.scoring import recommend

    try:
        text = Path(args.profile).read_text("utf-8") if args.profile != "-" else sys.stdin.read()
    except (OSError, UnicodeDecodeError) as exc:
        return _fail(f"cannot read {args.profile}: {exc}")
    try:
        data = json.loads(text)
    except json.JSONDecodeError as exc:
        return _fail(f"{args.profile} is not valid JSON (line {exc.lineno}, column {exc.colno}: {exc.msg})")
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
        print(render_text(rec))
    return 0


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="consultant", description=__doc__)
    sub = parser.add_subparsers(dest="command", required=True)

    p = sub.add_parser("recommend", help="score a profile JSON file (the scorer alone)")
    p.add_argument("profile", help="path to a JSON object of slots, or - for stdin")
    p.add_argument("--json", action="store_true", help="print JSON instead of text")
    p.add_argument("--costs", help="a TOML file overriding the cost table")
    p.set_defaults(func=cmd_recommend)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    try:
        return int(args.func(args))
    except ConsultantError as exc:
        return _fail(str(exc))
    except KeyboardInterrupt:
        return 130
