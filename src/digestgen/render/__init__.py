"""Render stage: the site graph → output files (pages, feeds, sitemap). Pure: nothing here
touches the output folder; :mod:`digestgen.write` does."""
