"""The protocols reader apps speak: Fever and the Google Reader API, over the same per-account read and saved
marks as the web app."""
