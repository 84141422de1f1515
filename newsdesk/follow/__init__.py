"""Following a story: what is new since a reader last read it, the story's timeline and lineage, and alerts."""
