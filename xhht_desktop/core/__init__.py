"""Pure-Python rules and computations: no Qt, no database."""
