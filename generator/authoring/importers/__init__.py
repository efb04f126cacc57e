"""`clause8 import`: operational records in from the tools teams already run.

Monitoring (Zabbix, Prometheus Alertmanager, a status page), ticketing (Jira Service Management,
Freshdesk, GLPI) and survey (Google Forms) exports become outages, security incidents,
complaints, workload and SLA reports, survey results and monitoring coverage, written as YAML under
``content/`` one file per kind and month.

- ``mapping``: the mapping files (shipped presets and a user's own) and their shape.
- ``readers``: exports as streams of rows (CSV, JSON arrays, JSON Lines).
- ``values``: dates, numbers and text as records need them.
- ``mapper``: the mapping compiled and applied to rows (pure).
- ``existing``: what the content folder holds already.
- ``yamlout``: records as YAML text.
- ``writer``: the one writer: staged, then renamed into place.
- ``run``: the pipeline the command calls.
"""

from __future__ import annotations

from .mapping import list_presets
from .run import ImportOptions, ImportReport, run_import, summary_lines

__all__ = ["ImportOptions", "ImportReport", "list_presets", "run_import", "summary_lines"]
