"""``digestgen serve --no-watch``: serve the output folder as the last build left it.

No build, no watching, no live-reload script: the bytes a static host would serve, under
base_url's path (which is why opening ``_site/index.html`` as a file shows an unstyled page).
The same server as the preview, so the same rules for paths and symlinks hold.
"""

from __future__ import annotations

import threading
import webbrowser
from collections.abc import Callable
from pathlib import Path

from digestgen.config import load_config
from digestgen.errors import ConfigError, error
from digestgen.serve.server import Broadcaster


def serve_built(source: Path, host: str, port: int | None, *, open_browser: bool = False,
                stop: threading.Event | None = None,
                say: Callable[[str], None] | None = None) -> int:
    """Serve ``source``'s output folder until Ctrl-C (or ``stop``); returns an exit code."""
    from digestgen.serve import listen
    from digestgen.write import is_ours

    say = say or (lambda text: print(text, flush=True))
    source = source.resolve()
    config = load_config(source)
    output = source / config.output_dir
    if not output.is_dir() or not any(output.iterdir()) or not is_ours(output):
        raise ConfigError([error(str(output), 0, "nothing built here yet: run `digestgen build` "
                                 "first, or `digestgen serve` to build and watch")])
    server = listen(host, port, output, config.base_path, Broadcaster(), say, live=False)
    bound_host, bound_port = server.server_address[:2]
    shown = f"[{bound_host}]" if ":" in str(bound_host) else bound_host
    url = f"http://{shown}:{bound_port}{config.base_path}"
    thread = threading.Thread(target=server.serve_forever, name="digestgen-http", daemon=True)
    thread.start()
    rel = output.relative_to(source) if output.is_relative_to(source) else output
    say(f"serving {rel}/ as built at {url} (no rebuilds: run `digestgen build` to update it); "
        "press Ctrl-C to stop")
    if open_browser:
        webbrowser.open(url)
    try:
        (stop or threading.Event()).wait()
    except KeyboardInterrupt:
        pass
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=5)
        say("stopped")
    return 0
