"""One module per page (or per audience): a thin state that calls onestop.read, and its layout."""
