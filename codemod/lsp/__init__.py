"""``gocodemod lsp``: a Language Server Protocol server (pygls) with gocodemod's diagnostics and fixes."""
