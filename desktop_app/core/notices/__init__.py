"""Public disclosure notices (信息公示), read-only over the data: the commands that record them live in
core/services/notices.py.

Building one, in order: `request` (what to build, its defaults, the entries it covers) → `context` (what
every part reads) → `sections/` (the parts) → `templates` (the three notices; `edits` puts the wording
edits in, `redaction` is the privacy pass run last). `document` is the notice as a printable document,
`wording` its editable texts. Then `sealing` gives it its code (`codes`), and `correction` builds the
更正说明. Afterwards: `lookup` (lists and labels), `entries` (what a notice disclosed, what changed behind
the app's back), `diff` (what changed, in words), `verify` (a code or a file) and `clock` (what is due).
"""
