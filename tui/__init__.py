"""claimdiff: compare how several sources report the same story."""

__version__ = "0.1.0"
