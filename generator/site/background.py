"""Work a large build hands to a forked process, so it runs on another CPU while this one goes on.

A build keeps one CPU busy (mkdocs converts and writes the pages one after the other); parts of the
site that need nothing but data already at hand (the history tables, the dashboard charts) are made
in a forked copy of the process meanwhile and collected when they are needed. Where forking is not
safe (no fork on the platform, or other threads running: ``serve``'s web server) or not worth it
(a small site), the work runs here, at the moment it is asked for: the result is the same either way.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, Generic, TypeVar

T = TypeVar("T")


def can_fork() -> bool:
    """Forking is safe: a platform with fork, and no other thread that could hold a lock."""
    import multiprocessing
    import threading

    return "fork" in multiprocessing.get_all_start_methods() and threading.active_count() == 1


def _run(send: Any, fn: Callable[..., Any], args: tuple[Any, ...]) -> None:
    """In the forked process: ``fn(*args)``, sent back at once. A failure sends nothing and prints
    nothing: :meth:`Later.result` then runs ``fn`` in the build's process, where an error is
    reported like any other (never as a forked process's traceback)."""
    try:
        send.send(fn(*args))
    except BaseException:  # noqa: BLE001 - the build's process does the work again and reports
        pass
    finally:
        send.close()


class Later(Generic[T]):
    """``fn(*args)``: started now in a forked process when ``fork`` is true and forking is safe, else
    run by :meth:`result`. :meth:`result` gives the value either way (made here if the process died)."""

    def __init__(self, fn: Callable[..., T], *args: Any, fork: bool = True) -> None:
        self._fn, self._args = fn, args
        self._process: Any = None
        self._receive: Any = None
        self._done = False
        self._value: Any = None
        if fork and can_fork():
            import multiprocessing

            ctx = multiprocessing.get_context("fork")
            self._receive, send = ctx.Pipe(duplex=False)
            self._process = ctx.Process(target=_run, args=(send, fn, args), daemon=True)
            self._process.start()
            send.close()

    @property
    def forked(self) -> bool:
        """Whether the work runs in another process."""
        return self._process is not None

    def result(self) -> T:
        if not self._done:
            value, got = None, False
            if self._process is not None:
                try:
                    value, got = self._receive.recv(), True
                except (EOFError, OSError):  # the process died: make it here
                    pass
                finally:
                    self._receive.close()
                    self._process.join()
            self._value = value if got else self._fn(*self._args)
            self._done = True
            self._fn, self._args = None, ()  # type: ignore[assignment]
        return self._value
