"""The email edition of each bulletin: a message ready for the members' list.

Not a Pelican plugin: an edition is made on demand (``invoke email``,
``invoke send``) from the built site, never written under ``output/``.
``edition`` makes the message (MJML template, CSS inlined, plain-text part),
``sending`` hands it to an SMTP server, ``commands`` are the staff commands.
"""
