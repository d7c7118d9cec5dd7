"""Routes grouped by resource; each calls the same stage functions as the matching command."""
