"""The pure analysis core: no Textual import anywhere below this package."""
