-- Schema version 7: public disclosure notices (信息公示). A notice is recorded when exported (draft) and
-- becomes immutable when published (number, archived PDF with its SHA-256, the entries as disclosed);
-- a correction is a new notice referring to the one it corrects.

CREATE TABLE notice (
	id VARCHAR NOT NULL, 
	office_id VARCHAR NOT NULL, 
	created_at VARCHAR NOT NULL, 
	updated_at VARCHAR NOT NULL, 
	version INTEGER NOT NULL, 
	deleted BOOLEAN NOT NULL, 
	project_id VARCHAR NOT NULL, 
	template VARCHAR NOT NULL, 
	date_from DATE NOT NULL, 
	date_to DATE NOT NULL, 
	status VARCHAR NOT NULL, 
	number VARCHAR NOT NULL, 
	number_year INTEGER, 
	number_seq INTEGER, 
	title VARCHAR NOT NULL, 
	written_on DATE, 
	notice_start DATE, 
	notice_end DATE, 
	verification_code VARCHAR NOT NULL, 
	content_hash VARCHAR NOT NULL, 
	entries_hash VARCHAR NOT NULL, 
	entry_count INTEGER NOT NULL, 
	entries_json VARCHAR NOT NULL, 
	pdf_sha256 VARCHAR NOT NULL, 
	pdf_name VARCHAR NOT NULL, 
	published_on DATE, 
	published_at VARCHAR, 
	corrects_id VARCHAR, 
	correction_text VARCHAR NOT NULL, 
	request_json VARCHAR NOT NULL, 
	document_json VARCHAR NOT NULL, 
	PRIMARY KEY (id), 
	FOREIGN KEY(project_id) REFERENCES project (id), 
	FOREIGN KEY(corrects_id) REFERENCES notice (id)
);

CREATE INDEX ix_notice_office_id ON notice (office_id);

CREATE INDEX ix_notice_project_id ON notice (project_id);

CREATE INDEX ix_notice_verification_code ON notice (verification_code);

CREATE TABLE notice_entry (
	id VARCHAR NOT NULL, 
	office_id VARCHAR NOT NULL, 
	created_at VARCHAR NOT NULL, 
	updated_at VARCHAR NOT NULL, 
	version INTEGER NOT NULL, 
	deleted BOOLEAN NOT NULL, 
	notice_id VARCHAR NOT NULL, 
	entry_id VARCHAR NOT NULL, 
	chain_hash VARCHAR NOT NULL, 
	PRIMARY KEY (id), 
	FOREIGN KEY(notice_id) REFERENCES notice (id), 
	FOREIGN KEY(entry_id) REFERENCES ledger_entry (id)
);

CREATE INDEX ix_notice_entry_entry_id ON notice_entry (entry_id);

CREATE INDEX ix_notice_entry_notice_id ON notice_entry (notice_id);

CREATE INDEX ix_notice_entry_office_id ON notice_entry (office_id);

-- Publication numbers are gapless per office and year: never two notices with the same number.
CREATE UNIQUE INDEX ux_notice_number ON notice (office_id, number_year, number_seq)
    WHERE number_seq IS NOT NULL;
