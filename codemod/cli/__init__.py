"""The cli layer, the top of the stack: the ``gocodemod`` command line.

It parses options, calls the layers that act (a run's session, the recipe
tests, the bot), prints what they answer and turns errors into exit codes.
Commands load the layers they need only when they run, so that
``--version`` or ``list`` pays for no engine.
"""
