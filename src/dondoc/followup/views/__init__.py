"""The follow-up's pages, one module per part."""
