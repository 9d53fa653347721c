"""briefbook: a folder of YAML in, a print-ready briefing book (PDF) out."""

__version__ = "0.1.0"
