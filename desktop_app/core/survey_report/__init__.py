"""The printed documents of a needs survey: the report of its results (`report`) and the paper form to hand
out (`paper_form`), both laid out and written by `core/documents`."""
