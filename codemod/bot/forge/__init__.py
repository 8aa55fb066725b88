"""The small forge interface the bot talks to, and its GitHub and GitLab clients."""
