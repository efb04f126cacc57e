"""The dates the tool can judge as of (``--today``): a leaf module, so that reading the command
line imports none of the models or checks."""

from __future__ import annotations

import datetime as dt

# The check dates accepted (``--today``): an interval of up to 999 years after the latest one is
# still a date Python can hold (its calendar ends on 9999-12-31); a longer interval is a finding.
EARLIEST_TODAY = dt.date(1000, 1, 1)
LATEST_TODAY = dt.date(9000, 12, 31)
