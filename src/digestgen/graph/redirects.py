"""Old URLs (``aliases:``) that lead to a page's new one."""

from __future__ import annotations

from digestgen.config import SiteConfig
from digestgen.errors import Diagnostic, error
from digestgen.model import Page
from digestgen.urls import UnsafePathError, alias_site_path


def redirects(pages: list[Page], config: SiteConfig
              ) -> tuple[list[tuple[str, str]], list[Diagnostic]]:
    """(old site path, new absolute URL) for every alias; one that is unsafe or taken is an
    error."""
    taken = {pg.path for pg in pages}
    out: dict[str, str] = {}
    diags = []
    for pg in pages:
        for alias in pg.doc.aliases:
            try:
                path = alias_site_path(alias, config.base_path)
            except UnsafePathError as exc:
                diags.append(error(pg.doc.source, 1, f"alias {alias!r}: {exc}"))
                continue
            if not path or path in taken or path in out:
                diags.append(error(pg.doc.source, 1,
                                   f"alias {alias!r} is already the URL of another page"))
                continue
            out[path] = pg.abs_url
    return sorted(out.items()), diags
