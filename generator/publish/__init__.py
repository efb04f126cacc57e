"""One prepared site (check, edition scope, render: :mod:`generator.publish.prepare`) and what
leaves the machine: provenance, the offline bundle and its verification, the Content-Security-
Policy, the docs tree for other engines.
"""
