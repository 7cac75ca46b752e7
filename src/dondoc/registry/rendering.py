"""HTML the apparatus page builds in Python rather than in templates: the tree of bodies as nested lists.
A recursive include costs a template render per node, too slow for a province's thousands of bodies.

Every piece of text is escaped here, and only here is the result marked safe."""

from __future__ import annotations

from collections.abc import Callable, Iterable

from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

from dondoc.registry.apparatus_reads import BodyNode, TerritoryNode
from dondoc.registry.models import Level, OrganizationKind


def apparatus_tree(roots: Iterable[TerritoryNode], *, body_url: Callable[[int], str]) -> SafeString:
    """The territories and their bodies as nested `<ul>`, each body's name a link to its page (`body_url`); a
    body shown only for what sits below it is marked `context`."""
    # the labels translated and escaped once, not per body (they are lazy)
    kinds = {value: escape(str(label)) for value, label in OrganizationKind.choices}
    levels = {value: escape(str(label)) for value, label in Level.choices}
    parts: list[str] = []

    def body(node: BodyNode) -> None:
        css = "body" if node.matches else "body context"
        parts.append(
            f'<li class="{css}" data-body="{node.id}"><a href="{body_url(node.id)}">{escape(node.name)}</a>'
            f' <span class="muted">· {kinds.get(node.kind, escape(node.kind))}</span>'
        )
        if node.children:
            parts.append("<ul>")
            for child in node.children:
                body(child)
            parts.append("</ul>")
        parts.append("</li>")

    def territory(node: TerritoryNode) -> None:
        parts.append(
            f'<li class="territory" data-territory="{node.id}"><strong>{escape(node.name)}</strong>'
            f' <span class="muted">· {levels.get(node.level, escape(node.level))}</span><ul>'
        )
        for each in node.bodies:
            body(each)
        for child in node.children:
            territory(child)
        parts.append("</ul></li>")

    parts.append('<ul class="apparatus-tree" id="apparatus">')
    for root in roots:
        territory(root)
    parts.append("</ul>")
    return mark_safe("".join(parts))  # every text above is escaped
