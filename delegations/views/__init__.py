"""Pages of the delegations app (server-rendered, HTMX where it helps)."""
