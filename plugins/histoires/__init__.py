"""Histoires d'OCASSS: the action's messages, checked, shown on a wall, compiled.

- each file of ``content/histoires/`` is loaded with the rest of content/
  (``reading``) and its messages checked against ``ACTION`` (``rules``) by
  ``invoke check`` and the build;
- writes the wall ``/histoires-docasss/messages/``, one page per regroupement,
  the feeds ``/flux/histoires.*`` (``pages``) and the printable compilations
  (``compilation``).
"""

from __future__ import annotations

from pelican import signals


def wall_generator(pelican):
    # Imported here: the loader (plugins.content) imports plugins.histoires.reading,
    # and the wall's pages need the PDF and feed capabilities, which need the loader.
    from plugins.histoires.pages import WallGenerator

    return WallGenerator


def register() -> None:
    signals.get_generators.connect(wall_generator)
