"""One module per page (or per audience): a thin state that calls onestop.services.views, and its layout."""
