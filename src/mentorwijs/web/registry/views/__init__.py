"""Views of the registry: thin and alike (access helper → form → one service → redirect)."""
