"""The pipeline as tasks: check a source, ingest its new entries, understand new articles, refresh summaries.

Each stage is a plain function over (engine, settings, ids); ``ingest.py`` runs a whole pass in one process
(``fetch --once``, the embedded scheduler) and ``queue.py`` wraps the same functions as Huey tasks for workers.
"""
