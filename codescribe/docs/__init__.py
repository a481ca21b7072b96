"""The documentation engine: code analysis, prompts, generation and quality scoring."""
