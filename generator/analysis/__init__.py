"""Whole-catalogue work, done once before any page is rendered.

Topic counts and suggestions (keywords, tf-idf profiles, neighbours), related papers
and their key terms, facets (years, venues, authors), the lunr search index with its
spellings, and the map layout.

Imports: ``catalogue`` only.
"""
