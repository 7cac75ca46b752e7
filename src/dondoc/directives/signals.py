"""What the directives app tells the apps above it, which it may not import: they connect receivers in their
`AppConfig.ready()`, as this app receives the registry's reorganisation signals."""

from django.dispatch import Signal

# a draft was just published, inside the publishing transaction: keyword `directive`
directive_published = Signal()
