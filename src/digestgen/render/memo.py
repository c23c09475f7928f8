"""Which pages need rendering again.

A page is reused as the file the last build wrote when its key is the same: the key is a
digest of the data it is made from (its view, the site view, the template names it starts
from) and of the templates its last rendering actually read, each as this build's loader
resolves it (:class:`~digestgen.render.env.TemplateDigests`). What a rendering read is only
known after it, so a page rendered now gets its record when the write stage hands back its
reads (:meth:`RenderMemo.settle`). One build's ``current`` is the next build's ``previous``.
"""

from __future__ import annotations

from collections.abc import Callable

from digestgen.outputs import Output, Rendered
from digestgen.pipeline.cache import RenderRecord
from digestgen.render.views import view_key


class RenderMemo:
    """The render records of one build, made from the last build's (see the module)."""

    def __init__(self, previous: dict[str, RenderRecord] | None = None, views: dict | None = None,
                 digests: Callable[[frozenset[str]], tuple] | None = None):
        self.previous = previous or {}
        self.current: dict[str, RenderRecord] = {}
        self.digests = digests or (lambda names: ())
        # Document views by source, with the page they were made from (see render_pages); a
        # view read from the disk cache is only its (section, key).
        self.views = views or {}
        self.new_views: dict = {}
        self.rendered: list[str] = []
        self.reused_paths: set[str] = set()
        self._pending: dict[str, str] = {}  # path → data key, of the pages rendered now

    def output(self, path: str, key: str, produce: Callable[[], bytes | Rendered]) -> Output:
        """The output at ``path`` made from data whose digest is ``key``: reused when the last
        build's record for it still holds, else rendered by ``produce``."""
        previous = self.previous.get(path)
        if previous is not None and self._full_key(key, previous.reads) == previous.key:
            self.current[path] = previous
            self.reused_paths.add(path)
            return Output(path, render=produce, reuse=True)
        self._pending[path] = key
        self.rendered.append(path)
        return Output(path, render=produce)

    def settle(self, reads: dict[str, frozenset[str]]) -> None:
        """Record the pages rendered now, from what each one's rendering read (pages the
        write stage found unchanged report their reads too)."""
        for path, key in self._pending.items():
            read = reads.get(path, frozenset())
            self.current[path] = RenderRecord(self._full_key(key, read), read)
        self._pending.clear()

    def _full_key(self, key: str, reads: frozenset[str]) -> str:
        return view_key(key, self.digests(reads)) if reads else key
