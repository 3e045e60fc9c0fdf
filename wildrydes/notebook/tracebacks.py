"""A kit error in a notebook cell ends in its message, not in a screen of traceback.

``install()`` (run when :mod:`wildrydes.notebook` is imported inside IPython) asks
IPython to show every :class:`~wildrydes.errors.WildRydesError` as one red box: what AWS said,
then the kit's next step. The cell still counts as failed (Run All stops there, and papermill
reports it), only the traceback is left out: the message already says what to do.
"""

from __future__ import annotations

from typing import Any

from IPython import get_ipython
from IPython.display import HTML, display

from wildrydes import render as markup
from wildrydes.errors import NEXT, WildRydesError

__all__ = ["install", "render"]


def render(error: WildRydesError) -> tuple[str, str]:
    """(html, text) for a kit error: its words, then its next step on its own line."""
    said, hint = error.said, error.hint
    code = error.code or type(error).__name__
    plain = f"✗ failed ({code}): {said}" + (f"\n{NEXT} {hint}" if hint else "")
    return markup.failure(code, said, hint, NEXT, boxed=True), plain


def _handler(
    shell: Any, etype: type, value: BaseException, tb: Any, tb_offset: Any = None
) -> list[str]:
    error = value if isinstance(value, WildRydesError) else WildRydesError(str(value))
    page, plain = render(error)
    display(HTML(page))
    return [f"{etype.__name__}: {plain}"]


def install() -> bool:
    """Show kit errors short in the running IPython; False outside IPython."""
    shell = get_ipython()
    if shell is None:
        return False
    shell.set_custom_exc((WildRydesError,), _handler)
    return True
