"""The MkDocs plugin: ``mkdocs build`` documents a codebase, incrementally. Registered as ``codescribe``."""

from .plugin import CodeScribePlugin

__all__ = ["CodeScribePlugin"]
