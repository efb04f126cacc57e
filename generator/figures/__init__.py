"""What the records measure: availability from outages and monitoring, service levels attained,
incidents, complaints and surveys, due dates, supplier alignment. Pure functions over the index;
the checks judge these figures, the pages and the export show them.
"""
