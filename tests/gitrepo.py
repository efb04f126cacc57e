"""A temporary git repository with scripted commits, for the history tests (and the canary test).

Commits get the dates and authors a test gives, so the history a test reads is known exactly; the
user's git configuration (hooks, signing, templates) stays out.
"""

from __future__ import annotations

import os
import subprocess
import textwrap
from pathlib import Path


class Repo:
    """A git work tree whose records live in ``content/``."""

    def __init__(self, root: Path) -> None:
        self.root = root
        self.content = root / "content"
        self.content.mkdir(parents=True, exist_ok=True)
        self.git("init", "-q", "-b", "main")

    def git(self, *args: str, date: str = "2026-01-15T10:00:00+07:00", author: str = "Ani Wijaya") -> str:
        env = {
            "PATH": os.environ.get("PATH", "/usr/bin:/bin"), "HOME": str(self.root), "LC_ALL": "C",
            "GIT_CONFIG_NOSYSTEM": "1", "GIT_CONFIG_GLOBAL": os.devnull,
            "GIT_AUTHOR_NAME": author, "GIT_AUTHOR_EMAIL": "author@example.test", "GIT_AUTHOR_DATE": date,
            "GIT_COMMITTER_NAME": author, "GIT_COMMITTER_EMAIL": "author@example.test", "GIT_COMMITTER_DATE": date,
        }
        out = subprocess.run(["git", "-c", "core.hooksPath=/dev/null", "-c", "commit.gpgsign=false", *args],
                             cwd=self.root, env=env, capture_output=True, text=True, timeout=60)
        assert out.returncode == 0, out.stderr
        return out.stdout.strip()

    def write(self, files: dict[str, str | bytes]) -> None:
        """Write ``files`` (path under content/ -> text or bytes)."""
        for rel, data in files.items():
            path = self.content / rel
            path.parent.mkdir(parents=True, exist_ok=True)
            if isinstance(data, bytes):
                path.write_bytes(data)
            else:
                path.write_text(textwrap.dedent(data), encoding="utf-8")

    def remove(self, *rels: str) -> None:
        for rel in rels:
            (self.content / rel).unlink()

    def commit(self, message: str, files: dict[str, str | bytes] | None = None, *,
               date: str = "2026-01-15T10:00:00+07:00", author: str = "Ani Wijaya") -> str:
        """Write ``files``, then commit everything under content/; the commit's full id."""
        self.write(files or {})
        self.git("add", "-A", "content")
        self.git("commit", "-q", "-m", message, date=date, author=author)
        return self.git("rev-parse", "HEAD")
