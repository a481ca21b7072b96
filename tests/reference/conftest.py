"""The recorded slices are third-party source: data for the comparison, not tests or doctests."""

collect_ignore_glob = ["data/*"]
