"""How a draw's public randomness reads on a page."""

from django import template

register = template.Library()


@register.filter
def beacon_value(text: str) -> str:
    """The round's randomness out of a drand randomness text (``drand.randomness_text``).

    The full text (chain hash, round, randomness) is the exact input of the draw key and stays in the
    published draw.json; a page names the network and round in Chinese and shows only the value."""
    return (text or "").rsplit(" ", 1)[-1]
