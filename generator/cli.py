"""The command line: thin commands, each calling one pipeline function.

Exit codes: 0 clean, 1 findings or build failure, 2 usage error.
"""

from __future__ import annotations

import argparse
import datetime as dt
import sys
from collections.abc import Sequence
from pathlib import Path

from .findings import RENDERERS, fails


def _date(text: str) -> dt.date:
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"'{text}' is not a date (YYYY-MM-DD)") from None


def _add_content(p: argparse.ArgumentParser) -> None:
    p.add_argument("--content", type=Path, default=Path("content"), help="content folder (default: content)")


def cmd_check(args: argparse.Namespace) -> int:
    from .pipeline import check_content

    checked = check_content(args.content, args.today)
    sys.stdout.write(RENDERERS[args.format](checked.findings))
    fail_on = "warning" if args.strict else args.fail_on
    return 1 if fails(checked.findings, fail_on) else 0


def cmd_schemas(args: argparse.Namespace) -> int:
    from .schemas import export_schemas

    out: Path = args.out
    out.mkdir(parents=True, exist_ok=True)
    wanted = export_schemas()
    for stale in out.glob("*.schema.json"):
        if stale.name not in wanted:
            stale.unlink()
    for name, text in wanted.items():
        target = out / name
        if not target.exists() or target.read_text(encoding="utf-8") != text:
            target.write_text(text, encoding="utf-8")
    print(f"wrote {len(wanted)} schemas to {out}")
    return 0


def cmd_docs(args: argparse.Namespace) -> int:
    from .schemas import reference_markdown

    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(reference_markdown(), encoding="utf-8")
    print(f"wrote {args.out}")
    return 0


def cmd_new(args: argparse.Namespace) -> int:
    from .models import KINDS
    from .skeleton import skeleton

    if args.kind not in KINDS:
        import difflib

        close = difflib.get_close_matches(args.kind, list(KINDS), n=1)
        hint = f" Did you mean '{close[0]}'?" if close else ""
        print(f"error: unknown kind '{args.kind}'.{hint} Known kinds: {', '.join(sorted(KINDS))}", file=sys.stderr)
        return 2
    family = KINDS[args.kind].family
    target: Path = args.out or args.content / family / f"{args.id}.yaml"
    if target.exists() and not args.force:
        print(f"error: {target} exists (use --force to overwrite)", file=sys.stderr)
        return 1
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_text(skeleton(args.kind, args.id), encoding="utf-8")
    print(f"wrote {target}")
    return 0


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="python -m generator",
        description="ISO/IEC 20000-1 clause 8 compliance records: check them, build the site.",
    )
    sub = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    p = sub.add_parser("check", help="validate every record and report findings")
    _add_content(p)
    p.add_argument("--format", choices=sorted(RENDERERS), default="text", help="output format (default: text)")
    p.add_argument("--strict", action="store_true", help="fail on warnings too (same as --fail-on warning)")
    p.add_argument("--fail-on", choices=["error", "warning"], default="error", help="lowest severity that fails the run")
    p.add_argument("--today", type=_date, default=None, help="judge reviews as of this date (default: today)")
    p.set_defaults(func=cmd_check)

    p = sub.add_parser("schemas", help="write one JSON Schema per kind")
    p.add_argument("--out", type=Path, default=Path("schemas"), help="folder (default: schemas)")
    p.set_defaults(func=cmd_schemas)

    p = sub.add_parser("docs", help="write the record reference for authors")
    p.add_argument("--out", type=Path, default=Path("docs/reference.md"), help="file (default: docs/reference.md)")
    p.set_defaults(func=cmd_docs)

    p = sub.add_parser("new", help="write a skeleton record of KIND with every field explained")
    p.add_argument("kind", help="record kind, e.g. sla, continuity_plan, person")
    p.add_argument("id", help="id of the new record, e.g. SLA-MAIL-ACME")
    _add_content(p)
    p.add_argument("--out", type=Path, default=None, help="file to write (default: content/<family>/<ID>.yaml)")
    p.add_argument("--force", action="store_true", help="overwrite an existing file")
    p.set_defaults(func=cmd_new)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)  # exits 2 on usage errors
    return int(args.func(args))
