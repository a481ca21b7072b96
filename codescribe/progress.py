"""What long jobs show on a terminal: the progress bar (a folder, a suite, the judge's pairs: tqdm, on a
terminal only), and names from the outside made safe to print."""

from __future__ import annotations

import logging
import re
from typing import Any

__all__ = ["get_logger", "printable", "progress_bar"]

#: Characters that would act on a terminal rather than show: C0 controls but the tab (a line feed starts a
#: forged line, a carriage return overwrites one, ESC starts an ANSI sequence), DEL, C1 controls, Unicode's
#: line and paragraph separators, the bidirectional overrides and isolates ("Trojan Source", CVE-2021-42574), and
#: the characters that show as nothing: zero-width spaces and joiners, direction marks, the word joiner and
#: invisible operators, the byte-order mark ("calc\u200b.py" is not "calc.py", and must not look like it).
_UNPRINTABLE = re.compile(
    "[\x00-\x08\x0a-\x1f\x7f-\x9f\u061c\u200b-\u200f\u2028\u2029\u202a-\u202e\u2060-\u2064\u2066-\u2069\ufeff]"
)


def printable(text: str) -> str:
    r"""``text`` with every character that would act on a terminal written as its escape.

    For names and messages that come from the outside (file names, a model's error text) printed on
    one line: a newline in a file name can no longer forge a line of the summary.

    Args:
        text: any text.

    Returns:
        The text, each such character as Python writes it escaped (``\n``, ``\x1b``, ``\u202e``).

    Examples:
        >>> print(printable("evil\nok.py [module]: quality 100 (A)"))
        evil\nok.py [module]: quality 100 (A)
        >>> printable("\x1b[31mred\x1b[0m.py"), printable("plain name.py\t"), printable("calc\u200b.py")
        ('\\x1b[31mred\\x1b[0m.py', 'plain name.py\t', 'calc\\u200b.py')
    """
    return _UNPRINTABLE.sub(lambda match: match.group().encode("unicode_escape").decode("ascii"), text)


class _Printable(logging.Filter):
    """Makes each record's message :func:`printable` (file names and servers' texts are in them)."""

    def filter(self, record: logging.LogRecord) -> bool:
        record.msg, record.args = printable(record.getMessage()), ()
        return True


_PRINTABLE = _Printable()


def get_logger(name: str) -> logging.Logger:
    """One of CodeScribe's loggers, whose messages are made :func:`printable` for any handler.

    Args:
        name: the logger's name (``codescribe``, ``codescribe.llm``, ``mkdocs.plugins.codescribe`` ...).

    Returns:
        :func:`logging.getLogger`'s logger of that name, with the filter added (once).

    Examples:
        >>> import logging
        >>> logging.getLogger("codescribe.demo").filters == get_logger("codescribe.demo").filters == [_PRINTABLE]
        True
    """
    logger = logging.getLogger(name)
    if _PRINTABLE not in logger.filters:
        logger.addFilter(_PRINTABLE)
    return logger


def progress_bar(total: int, enabled: bool, *, unit: str, desc: str) -> Any:
    """A tqdm bar over ``total`` steps, or ``None`` when not ``enabled`` or there is nothing to do.

    The bar writes to standard error and is cleared when closed (``leave=False``); tqdm is imported
    only when a bar is made. Callers pass ``enabled=sys.stderr.isatty()`` (the CLI does), and
    update and close the bar when there is one.

    Args:
        total: how many steps the job has.
        enabled: whether to show a bar at all.
        unit: what one step is, shown after the counts (``"doc"``, ``"pair"`` ...).
        desc: the label before the bar (``"documenting"`` ...).

    Returns:
        A ``tqdm.tqdm`` bar, or ``None`` when ``enabled`` is false or ``total`` is 0.

    Examples:
        >>> progress_bar(10, False, unit="doc", desc="documenting") is None
        True
        >>> progress_bar(0, True, unit="doc", desc="documenting") is None
        True
        >>> bar = progress_bar(3, True, unit="doc", desc="documenting")
        >>> bar.total
        3
        >>> bar.close()
    """
    if not enabled or total == 0:
        return None
    from tqdm import tqdm  # imported only when a bar is shown

    return tqdm(total=total, unit=unit, desc=desc, leave=False)
