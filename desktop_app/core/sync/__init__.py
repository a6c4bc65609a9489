"""数据同步: a township's records carried to the county as signed packages, and the county's receipts back.

`fields` (what travels, what stays home), `keys` (office signing keys, fingerprints), `package` (the file:
members, manifest, signature, safe reading), `apply` (records written at the county through the journal's
import door: new, updated, unchanged, conflicts). The commands live in `services/sync.py`."""
