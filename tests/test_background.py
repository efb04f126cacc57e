"""Work made in a forked process (generator/site/background.py): the same value as made here, and
made here when the forked process dies or fails, with no traceback of its own."""

from __future__ import annotations

import os

import pytest

from generator.site.background import Later, can_fork

needs_fork = pytest.mark.skipif(not can_fork(), reason="no fork on this platform")


def square(n: int) -> dict[str, int]:
    return {"pid": os.getpid(), "value": n * n}


@needs_fork
def test_forked_work_gives_its_value():
    later = Later(square, 7)
    assert later.forked
    got = later.result()
    assert got["value"] == 49 and got["pid"] != os.getpid()  # made in the other process
    assert later.result() is got  # once


def test_unforked_work_runs_when_asked():
    calls = []
    later = Later(lambda: calls.append(1) or "done", fork=False)
    assert not later.forked and not calls
    assert later.result() == "done" and later.result() == "done" and calls == [1]


@needs_fork
def test_a_process_that_dies_leaves_the_work_to_this_one():
    parent = os.getpid()

    def dies_in_the_fork() -> int:
        if os.getpid() != parent:
            os._exit(3)
        return 42

    assert Later(dies_in_the_fork).result() == 42


@needs_fork
def test_a_failure_in_the_fork_is_reported_here_and_only_here(capfd: pytest.CaptureFixture[str]):
    def fails() -> None:
        raise ValueError("bad record")

    later = Later(fails)
    with pytest.raises(ValueError, match="bad record"):
        later.result()
    assert "Traceback" not in capfd.readouterr().err  # the forked process printed nothing
