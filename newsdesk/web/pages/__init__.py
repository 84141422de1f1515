"""The reader's pages: one module per page or form action (home, story, article, search, ask, comments and follows,
accounts, the sources an admin manages), rendered server-side from the store's read models."""
