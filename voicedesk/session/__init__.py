"""The session: ordered final segments with their translations, and their export. No Qt."""
