"""digestgen: a static-site generator for AI-news digest blogs."""

__version__ = "0.1.0"
