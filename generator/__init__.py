"""Static compliance documentation site generator for ISO/IEC 20000-1:2018 clause 8.3 and 8.7."""

__version__ = "0.1.0"
