"""XHHT Desktop: registers, targets and reports of the learning-society programme."""

__version__ = "0.1.0"
