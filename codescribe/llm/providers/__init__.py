"""One module per API protocol: Anthropic, OpenAI (and the servers compatible with either), Azure OpenAI.

Providers are found through the factory (:mod:`codescribe.llm.factory`), not imported from here:
each module imports its SDK, an optional extra.
"""
