"""A local Argilla for users who have none: `curate review serve` / `curate review stop`.

manage.py runs in curate's interpreter and starts things; argilla_side/ holds the two files that run
inside the server's own venv (the SQL search engine and its launcher). argilla_side/ is a plain
folder, not a package: its modules import argilla_server, which only that venv has.
"""
