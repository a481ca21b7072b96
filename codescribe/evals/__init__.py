"""The evaluation harness: one corpus through several providers, into pandas reports."""
