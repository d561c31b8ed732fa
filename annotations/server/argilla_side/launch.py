"""Start argilla-server with the SQL search engine: `python launch.py --host HOST --port PORT`.

`python -m argilla_server start` has no way to load a search-engine plugin, so this script imports
the plugin (which registers itself), applies speedups.py, and then runs uvicorn on `argilla_server:app` in the same
process. It runs inside the server's own virtual environment; curate never imports it.
"""

from __future__ import annotations

import argparse
import os


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=6900)
    args = parser.parse_args()

    os.environ.setdefault("ARGILLA_SEARCH_ENGINE", "sql")
    import speedups
    import sql_search  # noqa: F401  (registers the engine before the app reads its settings)
    import uvicorn

    speedups.apply()

    uvicorn.run("argilla_server:app", host=args.host, port=args.port, access_log=False, log_level="warning")


if __name__ == "__main__":
    main()
