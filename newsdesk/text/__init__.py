"""Rules about text and URLs that every stage shares, below all of them (no I/O, no store, no stage imports):
the one URL rule and canonical spelling (``urls``), text fit to display and store (``display``), and language
identification (``language``). Stages import these; these import no stage."""
