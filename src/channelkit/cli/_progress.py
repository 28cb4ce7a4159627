"""A progress bar on standard error, for large inputs read at a terminal (no dependency).

The commands run in a few long steps (read and check the file, compute, write), each one call
into the library, so the bar counts steps and shows the time spent, redrawn a few times a second
by a daemon thread. It is drawn only when the stream is a terminal and the input is large: never
in a pipe, a file or a test's captured output.
"""

from __future__ import annotations

import os
import threading
import time
from types import TracebackType
from typing import Final, TextIO

__all__ = ["LARGE", "Progress"]

LARGE: Final = 4 * 2**20
"""An input file of at least this many bytes (4 MiB, some 50,000 rows of CSV) gets a bar."""

_WIDTH: Final = 20
_TICK: Final = 0.2


class Progress:
    """Steps of a command, drawn as ``[#####.....] 2/4 settling 1.3s`` on one line.

    Parameters
    ----------
    stream
        Where to draw (standard error).
    steps
        How many steps the command takes.
    enabled
        Whether to draw at all; see [`for_input`][channelkit.cli._progress.Progress.for_input].

    Examples
    --------
    >>> import io
    >>> with Progress(io.StringIO(), steps=2, enabled=False) as bar:
    ...     bar.step("reading")
    >>> bar.done
    1
    """

    def __init__(self, stream: TextIO, *, steps: int, enabled: bool) -> None:
        self._stream = stream
        self._steps = steps
        self._enabled = enabled
        self._label = ""
        self.done = 0
        """Steps begun so far."""
        self._began = time.monotonic()
        self._lock = threading.Lock()
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None

    @classmethod
    def for_input(cls, stream: TextIO, path: str, *, steps: int) -> Progress:
        """A bar drawn only if ``stream`` is a terminal and the file ``path`` is large.

        Notes
        -----
        Large means at least [`LARGE`][channelkit.cli._progress.LARGE] bytes on disk; a file
        that cannot be measured (it is missing: the reader reports that) gets no bar.
        """
        try:
            large = os.path.getsize(path) >= LARGE
        except OSError:
            large = False
        return cls(stream, steps=steps, enabled=large and _is_terminal(stream))

    def __enter__(self) -> Progress:
        if self._enabled:
            self._thread = threading.Thread(target=self._tick, daemon=True)
            self._thread.start()
        return self

    def __exit__(
        self,
        kind: type[BaseException] | None,
        error: BaseException | None,
        trace: TracebackType | None,
    ) -> None:
        self._stop.set()
        if self._thread is not None:
            self._thread.join()
            with self._lock:
                self._stream.write("\r" + " " * (_WIDTH + 50) + "\r")
                self._stream.flush()

    def step(self, label: str) -> None:
        """Begin the next step, called ``label``."""
        with self._lock:
            self.done += 1
            self._label = label
        self._draw()

    def line(self) -> str:
        """The bar as it would be drawn now.

        Examples
        --------
        >>> import io
        >>> bar = Progress(io.StringIO(), steps=4, enabled=False)
        >>> bar.step("settling")
        >>> bar.line()[:24]
        '[#####...............] 1'
        """
        filled = _WIDTH * self.done // self._steps
        seconds = time.monotonic() - self._began
        bar = "#" * filled + "." * (_WIDTH - filled)
        return f"[{bar}] {self.done}/{self._steps} {self._label} {seconds:.1f}s"

    def _draw(self) -> None:
        if not self._enabled:
            return
        with self._lock:
            self._stream.write("\r" + self.line().ljust(_WIDTH + 50)[: _WIDTH + 50])
            self._stream.flush()

    def _tick(self) -> None:
        while not self._stop.wait(_TICK):
            self._draw()


def _is_terminal(stream: TextIO) -> bool:
    try:
        return stream.isatty()
    except (AttributeError, ValueError):  # a replaced or closed stream
        return False
