"""An error in a notebook cell ends in a message and a next step, not in a screen of traceback.

``install()`` (run when :mod:`wildrydes.notebook` is imported inside IPython) asks IPython to
show:

* every :class:`~wildrydes.errors.WildRydesError` as one red box: what AWS said, then the kit's
  next step;
* a backend that does not answer (botocore's or requests' connection errors, from a kit call or
  a boto3 call in a cell) as the same box, from :func:`wildrydes.unreachable.explain`: the
  backend's URL and how to start it again;
* a name a cell needs but this kernel does not have (a restarted kernel, a cell run before the
  ones above it) as one line: run the cells above first;
* any other error, a bug the learner can report, as a *short* traceback: its last frames and
  the error, instead of IPython's full one.

The cell still counts as failed (Run All stops there, and papermill reports it), and its
error output carries the one line (``ename`` the error's kind, ``evalue`` what happened and the
next step) with no traceback under it.
"""

from __future__ import annotations

import traceback
from typing import Any

from IPython import get_ipython
from IPython.display import HTML, display

from wildrydes import render as markup
from wildrydes import unreachable
from wildrydes.errors import NEXT, WildRydesError

__all__ = ["SHORT_FRAMES", "install", "not_defined", "render", "short_traceback"]

#: How many frames an unexpected error shows: the cell's line and where it failed.
SHORT_FRAMES = 3


def render(error: WildRydesError) -> tuple[str, str]:
    """(html, text) for a kit error: its words, then its next step on its own line."""
    said, hint = error.said, error.hint
    code = error.code or type(error).__name__
    plain = f"✗ failed ({code}): {said}" + (f"\n{NEXT} {hint}" if hint else "")
    return markup.failure(code, said, hint, NEXT, boxed=True), plain


def short_traceback(value: BaseException) -> list[str]:
    """The last :data:`SHORT_FRAMES` frames and the error: enough to report, not a screen."""
    frames = traceback.format_exception(
        type(value), value, value.__traceback__, limit=-SHORT_FRAMES, chain=False
    )
    return [
        "Unexpected error (not one the kit expects; the last steps, to report it):\n",
        *frames,
    ]


def _handler(
    shell: Any, etype: type, value: BaseException, tb: Any, tb_offset: Any = None
) -> list[str]:
    error = value if isinstance(value, WildRydesError) else unreachable.explain(value)
    if error is None and isinstance(value, NameError):
        error = not_defined(value)
    if error is None:
        stb = short_traceback(value)
        shell._showtraceback(etype, value, stb)
        return stb
    page, _plain = render(error)
    display(HTML(page))
    # The cell's error record (what papermill and nbconvert read): the kit's one line, with no
    # traceback under it; the box above is what a person reads.
    kind = etype if isinstance(value, NameError) else type(error)
    shell._showtraceback(kind, str(error), [])
    return []


def not_defined(error: NameError) -> WildRydesError:
    """A name this kernel lacks, in one line: a restarted kernel forgets every cell it ran."""
    name = getattr(error, "name", None) or str(error).split("'")[1:2] or ["a name"]
    shown = name if isinstance(name, str) else name[0]
    return WildRydesError(
        f"{shown} is not defined in this kernel: the kernel was restarted, or the cell that "
        "defines it has not run yet.",
        hint="run the cells above first (Run > Run All Above Selected Cell), then this one.",
        code="NameError",
    )


def install() -> bool:
    """Show kit errors and unreachable backends short in the running IPython, and any other
    error with a short traceback; False outside IPython."""
    shell = get_ipython()
    if shell is None:
        return False
    shell.set_custom_exc((Exception,), _handler)
    return True
