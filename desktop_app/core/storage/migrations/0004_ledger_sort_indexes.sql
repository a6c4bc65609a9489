-- Schema version 4: an index behind every sort the ledger page offers, so sorting 1,000,000 entries
-- walks an index to the first 200 rows instead of sorting them all (seconds → milliseconds).
CREATE INDEX ix_ledger_sort_voucher ON ledger_entry (voucher_year, voucher_seq);
CREATE INDEX ix_ledger_sort_type ON ledger_entry (entry_type, entry_date);
CREATE INDEX ix_ledger_sort_category ON ledger_entry (category, entry_date);
CREATE INDEX ix_ledger_sort_status ON ledger_entry (status, entry_date);
CREATE INDEX ix_ledger_sort_summary ON ledger_entry (summary);
