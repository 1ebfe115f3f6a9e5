"""newsarchive: an archive and search service for news articles."""

__version__ = "0.1.0"
