"""The cyclic garbage collector, paused while the analysis builds what it keeps.

Reading a corpus back or analysing a story makes hundreds of thousands of small objects
(units, links, tuples, claims), nearly all of them kept and none in a reference cycle, so
the collector's passes find nothing while walking everything, again and again: 20% of the
analysis of 200 dense articles and 23% at 1,000 (5.4 s), and 40% of reading 1,000 back.
Objects without cycles are still freed at once by reference counting.
"""

from __future__ import annotations

import contextlib
import gc
from collections.abc import Iterator


@contextlib.contextmanager
def paused() -> Iterator[None]:
    """Run the block with the collector off, then leave it as it was (nesting is safe)."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()
