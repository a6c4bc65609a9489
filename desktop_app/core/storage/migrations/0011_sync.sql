-- Schema version 11: 数据同步. Local tables, never journalled or synced: this office's signing keys, the
-- keys of the offices it exchanges packages with, the packages it sent (township) or received (county), the
-- county's review notes (sent in receipts; to-dos in the township) and the receipts a township imported.

CREATE TABLE sync_key (
	key_id VARCHAR NOT NULL,
	office_id VARCHAR NOT NULL,
	private_key VARCHAR NOT NULL,
	public_key VARCHAR NOT NULL,
	created_at VARCHAR NOT NULL,
	retired_at VARCHAR NOT NULL,
	PRIMARY KEY (key_id)
);

CREATE TABLE office_key (
	key_id VARCHAR NOT NULL,
	office_id VARCHAR NOT NULL,
	office_name VARCHAR NOT NULL,
	public_key VARCHAR NOT NULL,
	valid_from VARCHAR NOT NULL,
	valid_to VARCHAR NOT NULL,
	enrolled_at VARCHAR NOT NULL,
	enrolled_by VARCHAR NOT NULL,
	PRIMARY KEY (key_id)
);
CREATE INDEX ix_office_key_office_id ON office_key (office_id);

CREATE TABLE sync_sent (
	id INTEGER NOT NULL,
	number INTEGER NOT NULL,
	epoch_id VARCHAR NOT NULL,
	"full" BOOLEAN NOT NULL,
	first_seq INTEGER NOT NULL,
	last_seq INTEGER NOT NULL,
	file_name VARCHAR NOT NULL,
	sha256 VARCHAR NOT NULL,
	records INTEGER NOT NULL,
	files INTEGER NOT NULL,
	made_at VARCHAR NOT NULL,
	PRIMARY KEY (id)
);

CREATE TABLE sync_received (
	id INTEGER NOT NULL,
	office_id VARCHAR NOT NULL,
	number INTEGER NOT NULL,
	epoch_id VARCHAR NOT NULL,
	"full" BOOLEAN NOT NULL,
	first_seq INTEGER NOT NULL,
	last_seq INTEGER NOT NULL,
	sha256 VARCHAR NOT NULL,
	archived_name VARCHAR NOT NULL,
	status VARCHAR NOT NULL,
	made_at VARCHAR NOT NULL,
	received_at VARCHAR NOT NULL,
	applied_at VARCHAR NOT NULL,
	summary VARCHAR NOT NULL,
	PRIMARY KEY (id)
);
CREATE INDEX ix_sync_received_sha256 ON sync_received (sha256);
CREATE INDEX ix_sync_received_office_id ON sync_received (office_id);

CREATE TABLE review_note (
	id VARCHAR NOT NULL,
	office_id VARCHAR NOT NULL,
	table_name VARCHAR NOT NULL,
	record_id VARCHAR NOT NULL,
	label VARCHAR NOT NULL,
	text VARCHAR NOT NULL,
	written_at VARCHAR NOT NULL,
	written_by VARCHAR NOT NULL,
	received_at VARCHAR NOT NULL,
	done_at VARCHAR NOT NULL,
	PRIMARY KEY (id)
);
CREATE INDEX ix_review_note_office_id ON review_note (office_id);

CREATE TABLE sync_receipt (
	id INTEGER NOT NULL,
	sha256 VARCHAR NOT NULL,
	county_office_id VARCHAR NOT NULL,
	county_name VARCHAR NOT NULL,
	made_at VARCHAR NOT NULL,
	imported_at VARCHAR NOT NULL,
	packages VARCHAR NOT NULL,
	heads_json VARCHAR NOT NULL,
	PRIMARY KEY (id)
);
CREATE INDEX ix_sync_receipt_sha256 ON sync_receipt (sha256);
