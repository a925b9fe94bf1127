"""The read side: queries and bilingual shapes for pages and the API; nothing here changes state."""
