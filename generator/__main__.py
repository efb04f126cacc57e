"""``python -m generator``: the command line."""

from .cli import main

raise SystemExit(main())
