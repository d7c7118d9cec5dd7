"""Isolation: a spawned child process runs the evaluations and takes the C core's crashes."""

from __future__ import annotations

import multiprocessing
import os
import signal
import threading
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from policyrules.backends import BackendError
from policyrules.engine.model import CompiledPack
from policyrules.engine.result import Result
from policyrules.facts.case import Case

from .engine import _new_host
from .evaluation import evaluate_in_process


def crash_probe() -> None:
    """Crash this process inside durable's C core (SIGFPE, integer division by zero in a condition).

    For testing :class:`IsolatedDurable` against a real crash; never call it in your own process.
    """
    host = _new_host()
    host.set_rulesets(
        {
            f"crash_probe.{os.getpid()}": {
                "r": {
                    "all": [{"first": {"t": 1}}, {"second": {"$gt": {"a": {"$div": {"$l": {"first": "b"}, "$r": 0}}}}}],
                    "run": lambda c: None,
                }
            }
        }
    )
    host.assert_fact(f"crash_probe.{os.getpid()}", {"t": 1, "b": 4, "sid": "1"})
    host.assert_fact(f"crash_probe.{os.getpid()}", {"t": 2, "a": 4, "sid": "1"})


def _worker_main(conn: Any) -> None:
    from policyrules.engine.loading import load_pack

    while True:
        try:
            request = conn.recv()
        except EOFError:
            return
        try:
            if request[0] == "evaluate":
                _, source, content_hash, case, as_of = request
                pack = load_pack(source)
                if pack.content_hash != content_hash:
                    raise BackendError.of("backend.pack_changed", source=source, hash=pack.content_hash)
                conn.send(("ok", evaluate_in_process(pack, case, as_of)))
            elif request[0] == "crash_probe":
                crash_probe()
                conn.send(("ok", None))
            else:
                conn.send(("ok", os.getpid()))
        except Exception as exc:
            conn.send(("error", exc))


@dataclass
class IsolatedDurable:
    """The durable backend in a child process: a crash of durable's C core ends the child, not the caller.

    A crash while a case is evaluated raises :class:`BackendError` for that case
    (naming the signal) and the next call starts a fresh child. Calls are
    serialised like in-process ones. The pack must have been loaded from a file
    (the child loads it again and checks its content hash). ``timeout`` seconds
    without an answer kill the child and raise BackendError.
    """

    timeout: float | None = 120.0
    _lock: threading.Lock = field(default_factory=threading.Lock, repr=False)
    _process: Any = field(default=None, repr=False)
    _conn: Any = field(default=None, repr=False)

    @property
    def pid(self) -> int | None:
        return self._process.pid if self._process is not None else None

    def evaluate(self, pack: CompiledPack, case: Case, as_of: date) -> Result:
        if pack.source_path is None:
            raise BackendError.of("backend.needs_file", pack=pack.id)
        return self._call(("evaluate", pack.source_path, pack.content_hash, case, as_of))  # type: ignore[no-any-return]

    def ping(self) -> int:
        """The worker's process id (starting it if needed)."""
        return self._call(("ping",))  # type: ignore[no-any-return]

    def crash_probe(self) -> None:
        """Make the worker crash in durable's C core (for tests): raises BackendError, the caller lives on."""
        self._call(("crash_probe",))

    def close(self) -> None:
        with self._lock:
            self._stop()

    def __enter__(self) -> IsolatedDurable:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def _call(self, request: tuple[Any, ...]) -> Any:
        with self._lock:
            if self._process is None or not self._process.is_alive():
                self._start()
            try:
                self._conn.send(request)
                if not self._conn.poll(self.timeout):
                    self._stop()
                    raise BackendError.of("backend.no_answer", seconds=self.timeout)
                status, payload = self._conn.recv()
            except (EOFError, BrokenPipeError, ConnectionResetError):
                self._process.join(5)
                code = self._process.exitcode
                self._stop()
                why = _describe_exit(code)
                raise BackendError.of("backend.worker_died", why=why) from None
        if status == "error":
            raise payload
        return payload

    def _start(self) -> None:
        self._stop()
        ctx = multiprocessing.get_context("spawn")  # never fork a process that holds durable's C state
        parent, child = ctx.Pipe()
        self._process = ctx.Process(target=_worker_main, args=(child,), daemon=True, name="policyrules-durable")
        self._process.start()
        child.close()
        self._conn = parent

    def _stop(self) -> None:
        if self._conn is not None:
            self._conn.close()
        if self._process is not None and self._process.is_alive():
            self._process.kill()
            self._process.join(5)
        self._process = self._conn = None


def _describe_exit(code: int | None) -> str:
    if code is not None and code < 0:
        try:
            return f"killed by {signal.Signals(-code).name}"
        except ValueError:
            return f"killed by signal {-code}"
    return f"exit code {code}"


_WORKER: IsolatedDurable | None = None
_WORKER_LOCK = threading.Lock()


def _default_worker() -> IsolatedDurable:
    global _WORKER
    with _WORKER_LOCK:
        if _WORKER is None:
            _WORKER = IsolatedDurable()
        return _WORKER
