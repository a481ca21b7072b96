"""The documentation engine: code analysis, prompts, writers, generation and quality scoring.

``DocGenerator`` is the entry point: it analyses a file or a project, renders the prompts of a
doc type (:data:`DOC_TYPES`), has a writer write the document (a model through a provider, or
the offline engine) and scores it (:class:`QualityReport`).
"""

from .analysis import FileAnalysis, SourceError, analyze_file, analyze_source
from .doc_types import DOC_TYPES
from .generator import DocGenerator, DocResult, ProjectResult
from .prompts import PromptSet
from .quality import QualityReport, score_document

__all__ = [
    "DOC_TYPES",
    "DocGenerator",
    "DocResult",
    "FileAnalysis",
    "ProjectResult",
    "PromptSet",
    "QualityReport",
    "SourceError",
    "analyze_file",
    "analyze_source",
    "score_document",
]
