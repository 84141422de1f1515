"""Understanding the news: language, embeddings, near-duplicates, story clustering, related articles, trending."""
