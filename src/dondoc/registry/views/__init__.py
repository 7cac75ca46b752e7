"""The registry's pages: the apparatus as of a date, a body's page, the rule checks. The registry's edge: like
registry/api.py, the pages work in the request's scope (accounts.access), the one import from a higher app the
import contracts allow here (`.importlinter`); the domain modules they call import no other app."""
