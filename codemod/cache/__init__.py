"""The incremental result cache: the store (SQLite), what keys are made of, and
the stat memo in front of content hashing. Used by the run layer to answer
unchanged packages without parsing them."""
