"""Importers: content from elsewhere (PDF reports, other blog engines) into a site."""
