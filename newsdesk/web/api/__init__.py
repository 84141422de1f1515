"""Machine-readable ways out: the JSON API under /api/v1 with its OpenAPI description, and Atom / JSON Feed of
editions, stories and searches."""
