"""The parts of a notice: each appends its blocks (headings, fields, tables, photos) to the document being
assembled by a template, from what the build context holds."""
