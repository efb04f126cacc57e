"""The command line: thin commands, each calling one pipeline function.

Exit codes: 0 clean, 1 findings or build failure, 2 usage error.
"""

from __future__ import annotations

import argparse
import datetime as dt
import sys
from collections.abc import Sequence
from pathlib import Path

from .content.findings import RENDERERS, fails, localize_findings, render_text


def _date(text: str) -> dt.date:
    from .content.limits import EARLIEST_TODAY, LATEST_TODAY

    try:
        date = dt.date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"'{text}' is not a date (YYYY-MM-DD)") from None
    if not EARLIEST_TODAY <= date <= LATEST_TODAY:
        raise argparse.ArgumentTypeError(
            f"'{text}' is out of range: the date must be from {EARLIEST_TODAY} to {LATEST_TODAY}, so that "
            "review dates up to 999 years after it (and periods before it) can still be computed")
    return date


def _add_content(p: argparse.ArgumentParser) -> None:
    p.add_argument("--content", type=Path, default=Path("content"), help="content folder (default: content)")


def _add_common(p: argparse.ArgumentParser, config: bool = False, edition: str | None = None) -> None:
    """Options the content commands share: --content and --today; --config; --edition and --period."""
    _add_content(p)
    p.add_argument("--today", type=_date, default=None, help="judge reviews and statuses as of this date "
                   "(default: today)")
    if config:
        p.add_argument("--config", type=Path, default=Path("mkdocs.yml"),
                       help="mkdocs config, which also declares the editions (default: mkdocs.yml)")
    if edition:
        p.add_argument("--edition", default=None, help=edition)
        p.add_argument("--customer", default=None, metavar="ORG-ID",
                       help="one customer's portal instead of an edition: its SLAs, reports, reviews, complaints, "
                            "the outages and incidents of its services, and nothing about any other customer")
        p.add_argument("--period", type=_period, default=None, help=PERIOD_HELP)


def cmd_check(args: argparse.Namespace) -> int:
    import gc

    # A check is one short process whose objects all live to the end: no cyclic collection
    # (it would walk the models while they are built, and the records while they load).
    gc.disable()
    if args.lang is None and args.config is not None and not args.config.is_file():
        print(f"error: {args.config} not found (--config names the mkdocs.yml whose theme.language the messages "
              "follow)", file=sys.stderr)
        return 2
    from .content.loader import start_reading

    # The files are parsed on the other CPUs while this process imports the models and checks.
    reading = start_reading(args.content)
    from .checks.pipeline import check_content

    settings = _check_settings(args)
    if settings is None:
        return 2
    checked = check_content(args.content, args.today, history=_history(args.content), reading=reading,
                            settings=settings)
    lang = args.lang or _site_language(_config(args))
    findings = localize_findings(checked.findings, lang)
    sys.stdout.write(render_text(findings, lang) if args.format == "text" else RENDERERS[args.format](findings))
    fail_on = "warning" if args.strict else args.fail_on
    return 1 if fails(checked.findings, fail_on) else 0


def _config(args: argparse.Namespace) -> Path:
    """The mkdocs configuration a command reads its settings from: ``--config``, else ./mkdocs.yml."""
    return getattr(args, "config", None) or Path("mkdocs.yml")


def _check_settings(args: argparse.Namespace) -> dict | None:
    """The check settings of ``--config`` (else ./mkdocs.yml) under ``extra.clause8.checks``; None
    after saying on standard error which values cannot be used."""
    from .engine.build import clause8_settings
    from .checks import check_settings

    config = _config(args)
    try:
        return check_settings(clause8_settings(config) if config.is_file() else {})
    except ValueError as exc:
        print(f"error: {config}: {exc}", file=sys.stderr)
        return None


def _site_language(config: Path) -> str:
    """The ``theme.language`` of an mkdocs configuration, when the messages are said in it; else en."""
    from .engine.build import read_mkdocs_yaml
    from .content.localize import LANGUAGES

    theme = read_mkdocs_yaml(config).get("theme") if config.is_file() else None
    language = theme.get("language") if isinstance(theme, dict) else None
    return language if language in LANGUAGES else "en"


def cmd_schemas(args: argparse.Namespace) -> int:
    from .authoring.schemas import export_schemas

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
    from .authoring.schemas import reference_markdown

    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(reference_markdown(), encoding="utf-8")
    print(f"wrote {args.out}")
    return 0


def cmd_new(args: argparse.Namespace) -> int:
    from .content.models import KINDS
    from .authoring.skeleton import skeleton

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


def interactive() -> bool:
    """Progress goes to a terminal, never to CI logs."""
    import os

    return sys.stderr.isatty() and not os.environ.get("CI")


def progress(message: str) -> None:
    if interactive():
        print(f"… {message}", file=sys.stderr, flush=True)


def _history(content: Path):  # noqa: ANN202 - generator.content.history.History
    """The git history of the records; a shallow clone is said once, on standard error."""
    from .content.history import read_history

    history = read_history(content)
    if history.status == "shallow":
        print(f"warning: {content} is in a shallow clone: record pages show no history and approval integrity is not "
              "checked; fetch the whole history (git fetch --unshallow; actions/checkout with fetch-depth: 0)",
              file=sys.stderr)
    return history


def _since(args: argparse.Namespace) -> bool:
    """Whether ``--since`` names a commit, tag, branch or date git knows (else says why)."""
    from .content.history import SinceError, resolve

    if getattr(args, "since", None) is None:
        return True
    try:
        resolve(args.content, args.since)
    except SinceError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return False
    return True


def _judging_day(args: argparse.Namespace) -> dt.date:
    """``--today``, else the day the copy is made (SOURCE_DATE_EPOCH's day when set): a copy judges
    statuses as of the day its footer says it was made."""
    from .publish.provenance import build_day

    return args.today or build_day()


def _checked_content(args: argparse.Namespace, what: str):  # noqa: ANN202 - Checked | None
    """Check content as `check` does; print the findings; None when errors stop ``what``."""
    from .content.findings import render_text
    from .checks.pipeline import check_content

    settings = _check_settings(args)
    if settings is None:
        return None
    progress(f"checking {args.content}")
    checked = check_content(args.content, _judging_day(args), history=_history(args.content), settings=settings)
    progress(f"{len(checked.index.records)} records in {checked.files} files")
    if checked.findings:  # in the site's language, as `check` says them
        language = _site_language(_config(args))
        sys.stderr.write(render_text(localize_findings(checked.findings, language), language))
    errors = sum(f.severity == "error" for f in checked.findings)
    if errors:
        print(f"{what} stopped: {errors} content error(s); the previous output was left as it was", file=sys.stderr)
        return None
    return checked


def _edition(args: argparse.Namespace, settings: dict, default: str):  # -> editions.Edition | None
    """The edition ``--edition`` names (else ``default``), or None after saying why there is none."""
    from .content import editions

    if getattr(args, "customer", None):
        if args.edition is not None and args.edition != editions.CUSTOMER_PREFIX + args.customer:
            print("error: --customer builds that customer's portal: leave out --edition", file=sys.stderr)
            return None
        args.edition = editions.CUSTOMER_PREFIX + args.customer  # the same option the plugin takes
    try:
        return editions.pick(settings, args.edition, default)
    except editions.EditionError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return None


def _customer_known(args: argparse.Namespace, checked) -> bool:  # noqa: ANN001 - Checked
    """False (after saying why) when ``--customer`` names no customer of the content."""
    from .content.customers import customer_ids

    customer = getattr(args, "customer", None)
    known = customer_ids(checked.index)
    if customer is None or customer in known:
        return True
    print(f"error: unknown customer '{customer}' (customers: {', '.join(known) or 'none'})", file=sys.stderr)
    return False


def cmd_build(args: argparse.Namespace) -> int:
    from .content import editions
    from .engine.build import BuildError, build_site, clause8_settings

    if _edition(args, clause8_settings(args.config), editions.DEFAULT_BUILD_EDITION) is None or not _since(args):
        return 2
    checked = _checked_content(args, "build")
    if checked is None:
        return 1
    if not _customer_known(args, checked):
        return 2
    from .publish.provenance import build_epoch

    # The copy's age counts from now; an explicit SOURCE_DATE_EPOCH makes two builds identical.
    epoch = build_epoch()
    progress(f"building {args.site_dir} with mkdocs")
    try:
        built = build_site(args.config, args.site_dir, args.content, _judging_day(args), checked,
                           verbose=args.verbose or interactive(), epoch=epoch, edition=args.edition,
                           period=args.period, since=args.since)
    except BuildError as exc:
        print(f"build failed: {exc}; {args.site_dir} was left as it was", file=sys.stderr)
        return 1
    print(f"built {args.site_dir}: {built.edition} edition, {built.records} of "
          f"{len(checked.index.records)} records")
    return 0


def cmd_bundle(args: argparse.Namespace) -> int:
    import re
    import tempfile

    from .content import editions
    from .engine.build import BuildError, build_site, clause8_settings
    from .publish.bundle import write_bundle
    from .publish.provenance import build_epoch

    checked = _checked_content(args, "bundle")
    if checked is None:
        return 1
    epoch = build_epoch()  # the file name, the footer and the stale-copy warning count from now
    settings = clause8_settings(args.config)
    edition = _edition(args, settings, editions.DEFAULT_BUNDLE_EDITION)
    if edition is None or not _customer_known(args, checked):
        return 2
    name = re.sub(r"[^A-Za-z0-9._-]+", "-", str(settings.get("bundle_name") or "site"))
    stamp = dt.datetime.fromtimestamp(epoch, dt.timezone.utc).strftime("%Y-%m-%d")
    target = args.out / f"{name}-{edition.name}-{stamp}.zip"
    with tempfile.TemporaryDirectory(prefix="clause8-bundle-") as tmp:
        progress(f"building the offline copy into {target}")
        try:
            build_site(args.config, Path(tmp) / "site", args.content, _judging_day(args), checked,
                       offline=True, epoch=epoch, edition=args.edition or edition.name, period=args.period)
            write_bundle(Path(tmp) / "site", target, epoch, args.sign_key)
        except (BuildError, ValueError) as exc:
            print(f"bundle failed: {exc}", file=sys.stderr)
            return 1
    print(f"wrote {target}")
    return 0


def cmd_export(args: argparse.Namespace) -> int:
    from .content import editions
    from .engine.build import clause8_settings
    from .compliance.export import figures_payload
    from .compliance.matrix import matrix_csv, matrix_json
    from .compliance.trace import trace

    from .publish.prepare import scope_content

    settings = clause8_settings(args.config)
    if args.since is not None and args.format != "json":
        print("error: --since adds the changes to the JSON export; the CSV export is the matrix alone", file=sys.stderr)
        return 2
    if _edition(args, settings, editions.DEFAULT_BUILD_EDITION) is None or not _since(args):
        return 2
    checked = _checked_content(args, "export")
    if checked is None:
        return 1
    if not _customer_known(args, checked):
        return 2
    # Only what the edition is cleared for: figures and evidence come from its records alone, and
    # with --period they are judged as of the period's last day, as on the auditor site.
    scoped = scope_content(checked, settings, args.edition, args.period, _judging_day(args))
    seen = scoped.view
    index, today = seen.index, seen.today
    statuses = trace(index, today, findings=seen.findings, full=seen.full, hidden=seen.hidden)
    if args.format == "json":
        text = _with_due(matrix_json(statuses, today, figures_payload(index, today)), index, today)
        if args.since is not None:
            text = _with_changes(text, args, checked, scoped)
    else:
        text = matrix_csv(statuses)
    if args.out is None:
        sys.stdout.write(text)
        return 0
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(text, encoding="utf-8", newline="")
    print(f"wrote {args.out} ({len(statuses)} requirements)")
    return 0


def _with_due(text: str, index, today: dt.date) -> str:  # noqa: ANN001 - generator.content.index.Index
    """The JSON export with ``due``: every obligation of the edition's records (generator/figures/due.py)."""
    import json

    from .site.due_page import edition_dues

    payload = json.loads(text)
    payload["due"] = [d.as_json(today) for d in edition_dues(index, today)]
    return json.dumps(payload, indent=2, sort_keys=True, ensure_ascii=False) + "\n"


def _with_changes(text: str, args: argparse.Namespace, checked, scoped) -> str:  # noqa: ANN001
    """The JSON export with ``changes_since``: what the edition may show of the changes since ``--since``."""
    import json

    from .content.i18n import Translator
    from .publish.prepare import document_control

    control = document_control(args.content, checked, scoped.edition, scoped.view.index, Translator(), args.since)
    payload = json.loads(text)
    payload["changes_since"] = control.since_data()
    return json.dumps(payload, indent=2, sort_keys=True, ensure_ascii=False) + "\n"


def cmd_render(args: argparse.Namespace) -> int:
    from .content import editions
    from .engine.build import clause8_settings, read_mkdocs_yaml
    from .publish.docs_tree import write_docs_tree
    from .publish.prepare import prepare_site

    settings = clause8_settings(args.config)
    if _edition(args, settings, editions.DEFAULT_BUILD_EDITION) is None:
        return 2
    checked = _checked_content(args, "render")
    if checked is None:
        return 1
    if not _customer_known(args, checked):
        return 2
    config = read_mkdocs_yaml(args.config)
    theme = config.get("theme") if isinstance(config.get("theme"), dict) else {}
    prepared = prepare_site(args.content, _judging_day(args), settings=settings, edition=args.edition,
                            period=args.period, lang=str(theme.get("language") or "en"),
                            site_title=str(config.get("site_name") or ""), checked=checked)
    pages = args.config.parent / str(config.get("docs_dir") or "docs")
    write_docs_tree(prepared, pages, args.out / "docs", args.out / "nav.yml")
    print(f"wrote {args.out}/docs ({len(prepared.site.pages)} generated pages, {prepared.edition.name} edition) "
          f"and {args.out}/nav.yml")
    return 0


def cmd_customers(args: argparse.Namespace) -> int:
    """The customers ``--customer`` accepts (``make customers`` builds a portal for each)."""
    from .content.customers import customer_ids
    from .content.index import build_index
    from .content.loader import load_content

    for customer in customer_ids(build_index(load_content(args.content))):
        print(customer)
    return 0


def cmd_csp(args: argparse.Namespace) -> int:
    from .engine.build import site_policy

    if not (args.site_dir / "index.html").is_file():
        print(f"error: {args.site_dir} holds no built site (run build first)", file=sys.stderr)
        return 1
    print(site_policy(args.config, args.site_dir))
    return 0


def cmd_verify(args: argparse.Namespace) -> int:
    from .publish.verify import verify_bundle

    if not (args.bundle.is_file() or args.bundle.is_dir()):
        print(f"error: {args.bundle}: no such zip file or folder", file=sys.stderr)
        return 2
    if args.allowed_signers is not None and not args.allowed_signers.is_file():
        print(f"error: {args.allowed_signers}: no such allowed-signers file", file=sys.stderr)
        return 2
    result = verify_bundle(args.bundle, args.allowed_signers, require_signature=args.require_signature)
    for line in result.report():
        print(line, file=sys.stderr)
    print(result.verdict())
    return 0 if result.ok else 1


def cmd_serve(args: argparse.Namespace) -> int:
    import os

    from .engine.build import serve_site

    os.environ.setdefault("NO_MKDOCS_2_WARNING", "1")
    try:
        serve_site(args.config, args.content, args.today, args.dev_addr)
    except Exception as exc:  # mkdocs reports content errors as exceptions
        print(f"serve failed: {exc}", file=sys.stderr)
        return 1
    return 0


def _ask(question: str, default: str = "") -> str:
    """One answer from the terminal (``default`` when left empty)."""
    try:
        answer = input(f"{question}{f' [{default}]' if default else ''}: ").strip()
    except EOFError:  # the terminal closed: as if left empty
        answer = ""
    return answer or default


def _write_files(root: Path, files: dict[str, str | bytes], overwrite: bool) -> list[str]:
    """Write ``files`` under ``root``; one 'created/updated/kept PATH' line each, unchanged ones left out."""
    done = []
    for rel, content in files.items():
        data = content.encode("utf-8") if isinstance(content, str) else content
        target = root / rel
        if target.is_file() and target.read_bytes() == data:
            continue
        if target.exists() and not overwrite:
            done.append(f"kept     {rel} (exists; --force overwrites it)")
            continue
        done.append(f"{'updated ' if target.exists() else 'created '} {rel}")
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(data)
    return done


def _collapse(lines: list[str], folder: str = "schemas/") -> list[str]:
    """More than three lines about one folder's files become one line per action."""
    inside = [line for line in lines if line.split(None, 1)[1].startswith(folder)]
    if len(inside) <= 3:
        return lines
    counts: dict[str, int] = {}
    for line in inside:
        counts[line.split(None, 1)[0]] = counts.get(line.split(None, 1)[0], 0) + 1
    return [line for line in lines if line not in inside] + [f"{action:8} {folder} ({n} files)"
                                                              for action, n in counts.items()]


def cmd_init(args: argparse.Namespace) -> int:
    from .authoring import scaffold

    root: Path = args.dir
    interactive_input = sys.stdin.isatty()
    mkdocs_file = root / "mkdocs.yml"
    current = scaffold.organisation_of(mkdocs_file.read_text(encoding="utf-8")) if mkdocs_file.is_file() else None
    if args.update and args.example:
        print("error: --example starts a repository; --update only refreshes the tool's files", file=sys.stderr)
        return 2
    if args.update and not mkdocs_file.is_file():
        print(f"error: {mkdocs_file} does not exist: run `clause8 init {root}` first", file=sys.stderr)
        return 2
    if not args.update and mkdocs_file.exists() and not args.force:
        print(f"error: {root} already holds mkdocs.yml: `clause8 init --update {root}` refreshes the tool's "
              "files; --force writes every file again", file=sys.stderr)
        return 2
    fallback = scaffold.EXAMPLE if args.example else current
    name = args.name or (fallback.name if fallback else None)
    if name is None and interactive_input and not args.update:
        name = _ask("Organisation's name")
    language = args.language or (fallback.language if fallback else None)
    if language is None and interactive_input and not args.update:
        language = _ask("Site language (en or id)", "en")
    bundle = args.bundle_name or (fallback.bundle_name if fallback else "")
    org = None
    if name:
        try:
            org = scaffold.Organisation(name, language or "en", bundle)
        except scaffold.ScaffoldError as exc:
            print(f"error: {exc}", file=sys.stderr)
            return 2

    if args.update:
        files = scaffold.tool_files()
        if args.force:
            if org is None:
                print(f"error: the organisation's name cannot be read from {mkdocs_file}: give --name",
                      file=sys.stderr)
                return 2
            files["mkdocs.yml"] = scaffold.mkdocs_yml(org)
        done = _write_files(root, files, overwrite=True)
        for stale in sorted((root / scaffold.SCHEMAS).glob("*.schema.json")):
            if f"{scaffold.SCHEMAS}/{stale.name}" not in files:
                stale.unlink()
                done.append(f"removed  {scaffold.SCHEMAS}/{stale.name}")
        print("\n".join(_collapse(done)) if done else f"nothing to change: the tool's files are those of "
              f"clause8-docs {scaffold.__version__}")
        if not args.force and (org is None or scaffold.mkdocs_yml(org) != mkdocs_file.read_text(encoding="utf-8")):
            print(f"note: {mkdocs_file} differs from the one clause8-docs {scaffold.__version__} writes (your own "
                  "settings, or new ones): compare with a fresh `clause8 init` elsewhere, or rewrite it with "
                  "--update --force", file=sys.stderr)
        return 0

    if org is None:
        print("error: give the organisation's name with --name (on a terminal, init asks for it)", file=sys.stderr)
        return 2
    files = scaffold.scaffold(org, dt.date.today(), example=args.example)
    if any((root / "content").rglob("*.yaml")):
        files = {k: v for k, v in files.items() if not k.startswith("content/")}
        print(f"note: {root / 'content'} already holds records: no records or pages were added", file=sys.stderr)
    done = _write_files(root, files, overwrite=args.force)
    print("\n".join(_collapse(done)))
    print(f"{root}: records repository for {org.name}. Next: cd {root}; clause8 check; clause8 serve")
    return 0


def _import_period(text: str) -> tuple[dt.date, dt.date]:
    first, sep, last = text.partition("..")
    try:
        if not sep:
            raise ValueError
        return dt.date.fromisoformat(first), dt.date.fromisoformat(last)
    except ValueError:
        raise argparse.ArgumentTypeError(f"'{text}' is not a period FROM..TO such as 2026-01-01..2026-03-31") from None


def cmd_import(args: argparse.Namespace) -> int:
    from .content.findings import render_text
    from .authoring.importers import ImportOptions, run_import, summary_lines

    report = run_import(ImportOptions(args.source, args.files, args.content, args.mapping, args.period, args.dry_run))
    for line in report.usage:
        print(f"error: {line}", file=sys.stderr)
    if report.usage:
        return 2
    for line in report.problems:
        print(line, file=sys.stderr)
    if report.problems:
        more = f" (and {report.more_problems} more)" if report.more_problems else ""
        print(f"import stopped: {len(report.problems) + report.more_problems} problem(s){more}; nothing was written",
              file=sys.stderr)
        return 1
    for line in [*report.edited, *report.notes]:
        print(line, file=sys.stderr)
    print("\n".join(summary_lines(report, args.dry_run)))
    if args.dry_run or args.no_check:
        return 0
    from .checks.pipeline import check_content

    checked = check_content(args.content, args.today)
    if checked.findings:
        sys.stdout.write(render_text(checked.findings))
    return 1 if fails(checked.findings, "error") else 0


def _period(text: str) -> str:
    from .content.editions import EditionError, Period

    try:
        return str(Period.parse(text))
    except EditionError as exc:
        raise argparse.ArgumentTypeError(str(exc)) from None


PERIOD_HELP = "audit period such as 2026-01-01..2026-12-31: only evidence in force during it, shown on every page"


def version() -> str:
    """The installed distribution's version (the package's own when it is not installed)."""
    from importlib.metadata import PackageNotFoundError
    from importlib.metadata import version as installed

    try:
        return installed("clause8-docs")
    except PackageNotFoundError:
        from . import __version__

        return __version__


class _Parser(argparse.ArgumentParser):
    """Every subcommand also takes --debug (after the command name too)."""

    def add_subparsers(self, **kwargs):  # noqa: ANN003, ANN201 - argparse's own signature
        action = super().add_subparsers(**kwargs)
        add_parser = action.add_parser

        def add(name: str, **options):  # noqa: ANN003, ANN202
            p = add_parser(name, **options)
            # SUPPRESS: a --debug given before the command is not reset by the command's default.
            p.add_argument("--debug", action="store_true", default=argparse.SUPPRESS,
                           help="show the traceback of an internal error")
            return p

        action.add_parser = add
        return action


SINCE_HELP = ("a commit, tag or branch (e.g. the tag of the last audit), or a date YYYY-MM-DD: list every record "
              "added, changed, retired or removed since then")


def build_parser() -> argparse.ArgumentParser:
    parser = _Parser(
        prog="clause8",
        description="ISO/IEC 20000-1 clause 8 compliance records: check them, build the site. "
                    "Exit codes: 0 done, 1 findings or a failed build, 2 usage error, 3 internal error.",
    )
    parser.add_argument("--version", action="version", version=f"%(prog)s {version()}")
    parser.add_argument("--debug", action="store_true", help="show the traceback of an internal error")
    sub = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    p = sub.add_parser("check", help="validate every record and report findings")
    _add_common(p)
    p.add_argument("--format", choices=sorted(RENDERERS), default="text", help="output format (default: text)")
    p.add_argument("--strict", action="store_true", help="fail on warnings too (same as --fail-on warning)")
    p.add_argument("--fail-on", choices=["error", "warning"], default="error", help="lowest severity that fails the run")
    p.add_argument("--lang", choices=["en", "id"], default=None,
                   help="language of the messages (default: theme.language of --config, else en)")
    p.add_argument("--config", type=Path, default=None,
                   help="mkdocs config whose theme.language the messages follow (default: mkdocs.yml, when present)")
    p.set_defaults(func=cmd_check)

    p = sub.add_parser("build", help="check content, then build the site (the previous site survives a failure)")
    _add_common(p, config=True, edition="edition to build: public, internal, auditor, continuity "
                                          "(default: extra.clause8.default_edition, else internal)")
    p.add_argument("--site-dir", type=Path, default=Path("site"), help="output folder (default: site)")
    p.add_argument("--verbose", action="store_true", help="show mkdocs' progress messages")
    p.add_argument("--since", default=None, metavar="REF", help=SINCE_HELP)
    p.set_defaults(func=cmd_build)

    p = sub.add_parser("bundle", help="build the offline bundle: the site as a zip that opens from file://")
    _add_common(p, config=True, edition="edition to bundle (default: continuity)")
    p.add_argument("--out", type=Path, default=Path("dist"), help="folder for the zip (default: dist)")
    p.add_argument("--sign-key", type=Path, default=None, help="SSH private key to sign the manifest with")
    p.set_defaults(func=cmd_bundle)

    p = sub.add_parser("export", help="check content, then write the compliance matrix as JSON or CSV")
    _add_common(p, config=True, edition="edition whose records the export may use (default: internal)")
    p.add_argument("--format", choices=["json", "csv"], default="json", help="output format (default: json)")
    p.add_argument("--out", type=Path, default=None, help="file to write (default: standard output)")
    p.add_argument("--since", default=None, metavar="REF", help=SINCE_HELP + " (JSON: changes_since)")
    p.set_defaults(func=cmd_export)

    p = sub.add_parser("render", help="write the generated docs tree (markdown, PDF, vCard, assets) and its "
                                      "navigation for any mkdocs-compatible engine")
    _add_common(p, config=True, edition="edition to render (default: extra.clause8.default_edition, else internal)")
    p.add_argument("--out", type=Path, required=True, help="folder to write DIR/docs and DIR/nav.yml into")
    p.set_defaults(func=cmd_render)

    p = sub.add_parser("csp", help="print the Content-Security-Policy header for a built site")
    p.add_argument("--site-dir", type=Path, default=Path("site"), help="the built site (default: site)")
    p.add_argument("--config", type=Path, default=Path("mkdocs.yml"),
                   help="the mkdocs config the site was built with (default: mkdocs.yml)")
    p.set_defaults(func=cmd_csp)

    p = sub.add_parser("verify", help="check a copy (bundle zip or unzipped folder) against its manifest and signature")
    p.add_argument("bundle", type=Path, help="the bundle zip, or the folder it was unzipped into")
    p.add_argument("--allowed-signers", type=Path, default=None, help="ssh allowed_signers file to check the signature")
    p.add_argument("--require-signature", action="store_true",
                   help="fail unless the signature was checked with --allowed-signers and is good")
    p.set_defaults(func=cmd_verify)

    p = sub.add_parser("serve", help="serve the site locally, rebuilding when content changes")
    _add_common(p, config=True)
    p.add_argument("--dev-addr", default="127.0.0.1:8000", help="address to serve on (default: 127.0.0.1:8000)")
    p.set_defaults(func=cmd_serve)

    p = sub.add_parser("customers", help="list the customers (organisation ids) that can have a portal, one a line")
    _add_content(p)
    p.set_defaults(func=cmd_customers)

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

    p = sub.add_parser("init", help="start an organisation's records repository in DIR, or refresh the tool's files "
                                    "in it (--update)")
    p.add_argument("dir", type=Path, metavar="DIR", help="the repository's folder (created if missing)")
    p.add_argument("--name", default=None, help="the organisation's name (asked on a terminal)")
    p.add_argument("--language", choices=["en", "id"], default=None, help="site language (default: en)")
    p.add_argument("--bundle-name", default=None, metavar="NAME",
                   help="short name in bundle file names (default: from the organisation's name)")
    p.add_argument("--example", action="store_true", help="copy the example organisation instead of starter records")
    p.add_argument("--update", action="store_true", help="rewrite only the tool's files (workflow, pre-commit and "
                   "Dependabot configs, schemas/) for this version, and say which changed")
    p.add_argument("--force", action="store_true", help="overwrite existing files (with --update: mkdocs.yml too)")
    p.set_defaults(func=cmd_init)

    p = sub.add_parser("import", help="turn monitoring, ticketing or survey exports into records, one file per kind "
                                      "and month, then check the result (nothing is written if a row is wrong)")
    p.add_argument("source", help="the export's preset: zabbix, statuspage, alertmanager, jira-sm, freshdesk, glpi, "
                   "google-forms, generic-csv, generic-json (or the preset your --mapping extends)")
    p.add_argument("files", nargs="+", type=Path, metavar="FILE", help="export file(s), oldest first")
    p.add_argument("--mapping", type=Path, default=None, help="your mapping (YAML) over the preset: hosts to "
                   "services, organisations, owner")
    _add_content(p)
    p.add_argument("--period", type=_import_period, default=None, help="FROM..TO the export covers "
                   "(2026-01-01..2026-03-31): monitoring coverage and monthly workload counts are written for it")
    p.add_argument("--dry-run", action="store_true", help="read and check everything, say what would change, "
                   "write nothing")
    p.add_argument("--no-check", action="store_true", help="do not run check afterwards (very large imports)")
    p.add_argument("--today", type=_date, default=None, help="the check's date (default: today)")
    p.set_defaults(func=cmd_import)
    return parser


INTERNAL_ERROR = 3


def main(argv: Sequence[str] | None = None) -> int:
    """Run one command; its exit code (internal errors: one line and 3, the traceback with --debug)."""
    parser = build_parser()
    args = parser.parse_args(argv)  # exits 2 on usage errors
    try:
        return int(args.func(args))
    except KeyboardInterrupt:
        print("clause8: interrupted", file=sys.stderr)
        return 130
    except Exception as exc:  # a bug, never bad content: content problems are findings
        if args.debug:
            raise
        print(f"clause8: internal error: {type(exc).__name__}: {exc}. This is a bug in clause8, not in your "
              "records: run again with --debug for the traceback, and report it.", file=sys.stderr)
        return INTERNAL_ERROR
