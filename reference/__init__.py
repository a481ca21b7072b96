"""The reference harness: CodeScribe's analysis of real packages against each language's own tools.

``python -m reference record`` fetches the corpus from the registries, runs each language's
documentation tool on it, compares, writes the agreement table into ``bench/RESULTS.md`` and
records small slices with the tools' answers under ``tests/reference/data``;
``python -m reference check`` compares the recorded slices offline (what ``make test`` does).
"""
