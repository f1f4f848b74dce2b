"""Pure pipeline stages over domain types. No I/O, no global state."""
