"""Pure habit rules: value types and computations, free of I/O and clock reads."""
