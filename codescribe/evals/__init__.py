"""The evaluation harness: one corpus through several providers, into pandas reports.

``EvalRunner(load_suite("suite.yaml")).run()`` (or ``await ....arun()`` in a notebook) writes a
run; :mod:`codescribe.evals.reporting` turns it into tables and charts (pandas is imported there,
only when a report is asked for).
"""

from .limits import SystemLimiter
from .runner import EvalRunner, RunSummary
from .suite import Judge, Suite, SuiteError, SystemSpec, load_suite

__all__ = ["EvalRunner", "Judge", "RunSummary", "Suite", "SuiteError", "SystemLimiter", "SystemSpec", "load_suite"]
