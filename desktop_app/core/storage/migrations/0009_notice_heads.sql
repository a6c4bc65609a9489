-- Schema version 9: a published notice keeps the chain heads of its project's funds at publication
-- (fund, chain length, hash at that length), which its archived PDF and its QR code carry too, so the books
-- as they stood witness a chain rewritten end to end since. Notices published before carry none ('').

ALTER TABLE notice ADD COLUMN heads_json VARCHAR NOT NULL DEFAULT '';

-- the notices' journal rows say the same, so every record's last journal row is the record as the table
-- holds it (json.dumps sorts the keys: "heads_json" comes right before "id", never the first key; a quote
-- inside a text value is escaped, so the pattern is only ever the key itself)
UPDATE change_journal SET payload = replace(payload, ', "id": ', ', "heads_json": "", "id": ')
  WHERE table_name = 'notice' AND payload NOT LIKE '%"heads_json": %';
