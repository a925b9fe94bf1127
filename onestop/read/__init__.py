"""The read side: queries and display shapes for pages and the API; nothing here changes state."""
