-- Schema version 1: the initial tables. Frozen: never edit, add a new migration instead.

CREATE TABLE attachment (
	id VARCHAR NOT NULL, 
	office_id VARCHAR NOT NULL, 
	created_at VARCHAR NOT NULL, 
	updated_at VARCHAR NOT NULL, 
	version INTEGER NOT NULL, 
	deleted BOOLEAN NOT NULL, 
	sha256 VARCHAR NOT NULL, 
	original_name VARCHAR NOT NULL, 
	size INTEGER NOT NULL, 
	PRIMARY KEY (id)
);

CREATE INDEX ix_attachment_office_id ON attachment (office_id);

CREATE INDEX ix_attachment_sha256 ON attachment (sha256);

CREATE TABLE category (
	id VARCHAR NOT NULL, 
	office_id VARCHAR NOT NULL, 
	created_at VARCHAR NOT NULL, 
	updated_at VARCHAR NOT NULL, 
	version INTEGER NOT NULL, 
	deleted BOOLEAN NOT NULL, 
	name VARCHAR NOT NULL, 
	kind VARCHAR NOT NULL, 
	position INTEGER NOT NULL, 
	active BOOLEAN NOT NULL, 
	PRIMARY KEY (id)
);

CREATE INDEX ix_category_office_id ON category (office_id);

CREATE TABLE change_journal (
	seq INTEGER NOT NULL, 
	table_name VARCHAR NOT NULL, 
	record_id VARCHAR NOT NULL, 
	op VARCHAR NOT NULL, 
	version INTEGER NOT NULL, 
	office_id VARCHAR NOT NULL, 
	changed_at VARCHAR NOT NULL, 
	payload VARCHAR NOT NULL, 
	PRIMARY KEY (seq)
);

CREATE INDEX ix_change_journal_record_id ON change_journal (record_id);

CREATE TABLE office (
	id VARCHAR NOT NULL, 
	office_id VARCHAR NOT NULL, 
	created_at VARCHAR NOT NULL, 
	updated_at VARCHAR NOT NULL, 
	version INTEGER NOT NULL, 
	deleted BOOLEAN NOT NULL, 
	name VARCHAR NOT NULL, 
	level VARCHAR NOT NULL, 
	division_code VARCHAR NOT NULL, 
	code_year INTEGER NOT NULL, 
	association_name VARCHAR NOT NULL, 
	is_local BOOLEAN NOT NULL, 
	PRIMARY KEY (id)
);

CREATE INDEX ix_office_office_id ON office (office_id);

CREATE TABLE project (
	id VARCHAR NOT NULL, 
	office_id VARCHAR NOT NULL, 
	created_at VARCHAR NOT NULL, 
	updated_at VARCHAR NOT NULL, 
	version INTEGER NOT NULL, 
	deleted BOOLEAN NOT NULL, 
	name VARCHAR NOT NULL, 
	goals VARCHAR NOT NULL, 
	start_date DATE NOT NULL, 
	end_date DATE NOT NULL, 
	budget_fen INTEGER NOT NULL, 
	completion VARCHAR NOT NULL, 
	status VARCHAR NOT NULL, 
	PRIMARY KEY (id)
);

CREATE INDEX ix_project_office_id ON project (office_id);

CREATE TABLE setting (
	id VARCHAR NOT NULL, 
	office_id VARCHAR NOT NULL, 
	created_at VARCHAR NOT NULL, 
	updated_at VARCHAR NOT NULL, 
	version INTEGER NOT NULL, 
	deleted BOOLEAN NOT NULL, 
	"key" VARCHAR NOT NULL, 
	value VARCHAR NOT NULL, 
	PRIMARY KEY (id)
);

CREATE INDEX ix_setting_key ON setting ("key");

CREATE INDEX ix_setting_office_id ON setting (office_id);

CREATE TABLE budgetline (
	id VARCHAR NOT NULL, 
	office_id VARCHAR NOT NULL, 
	created_at VARCHAR NOT NULL, 
	updated_at VARCHAR NOT NULL, 
	version INTEGER NOT NULL, 
	deleted BOOLEAN NOT NULL, 
	project_id VARCHAR NOT NULL, 
	category VARCHAR NOT NULL, 
	amount_fen INTEGER NOT NULL, 
	PRIMARY KEY (id), 
	FOREIGN KEY(project_id) REFERENCES project (id)
);

CREATE INDEX ix_budgetline_office_id ON budgetline (office_id);

CREATE INDEX ix_budgetline_project_id ON budgetline (project_id);

CREATE TABLE fund (
	id VARCHAR NOT NULL, 
	office_id VARCHAR NOT NULL, 
	created_at VARCHAR NOT NULL, 
	updated_at VARCHAR NOT NULL, 
	version INTEGER NOT NULL, 
	deleted BOOLEAN NOT NULL, 
	name VARCHAR NOT NULL, 
	project_id VARCHAR, 
	association_name VARCHAR NOT NULL, 
	agreement_no VARCHAR NOT NULL, 
	agreement_date DATE, 
	purpose VARCHAR NOT NULL, 
	status VARCHAR NOT NULL, 
	chain_length INTEGER NOT NULL, 
	chain_head VARCHAR NOT NULL, 
	PRIMARY KEY (id), 
	FOREIGN KEY(project_id) REFERENCES project (id)
);

CREATE INDEX ix_fund_office_id ON fund (office_id);

CREATE TABLE projectleader (
	id VARCHAR NOT NULL, 
	office_id VARCHAR NOT NULL, 
	created_at VARCHAR NOT NULL, 
	updated_at VARCHAR NOT NULL, 
	version INTEGER NOT NULL, 
	deleted BOOLEAN NOT NULL, 
	project_id VARCHAR NOT NULL, 
	name VARCHAR NOT NULL, 
	role VARCHAR NOT NULL, 
	phone VARCHAR NOT NULL, 
	position INTEGER NOT NULL, 
	PRIMARY KEY (id), 
	FOREIGN KEY(project_id) REFERENCES project (id)
);

CREATE INDEX ix_projectleader_office_id ON projectleader (office_id);

CREATE INDEX ix_projectleader_project_id ON projectleader (project_id);

CREATE TABLE site (
	id VARCHAR NOT NULL, 
	office_id VARCHAR NOT NULL, 
	created_at VARCHAR NOT NULL, 
	updated_at VARCHAR NOT NULL, 
	version INTEGER NOT NULL, 
	deleted BOOLEAN NOT NULL, 
	project_id VARCHAR NOT NULL, 
	name VARCHAR NOT NULL, 
	division_code VARCHAR NOT NULL, 
	position INTEGER NOT NULL, 
	PRIMARY KEY (id), 
	FOREIGN KEY(project_id) REFERENCES project (id)
);

CREATE INDEX ix_site_office_id ON site (office_id);

CREATE INDEX ix_site_project_id ON site (project_id);

CREATE TABLE closed_month (
	id VARCHAR NOT NULL, 
	office_id VARCHAR NOT NULL, 
	created_at VARCHAR NOT NULL, 
	updated_at VARCHAR NOT NULL, 
	version INTEGER NOT NULL, 
	deleted BOOLEAN NOT NULL, 
	fund_id VARCHAR NOT NULL, 
	month VARCHAR NOT NULL, 
	PRIMARY KEY (id), 
	FOREIGN KEY(fund_id) REFERENCES fund (id)
);

CREATE INDEX ix_closed_month_fund_id ON closed_month (fund_id);

CREATE INDEX ix_closed_month_office_id ON closed_month (office_id);

CREATE TABLE committeemember (
	id VARCHAR NOT NULL, 
	office_id VARCHAR NOT NULL, 
	created_at VARCHAR NOT NULL, 
	updated_at VARCHAR NOT NULL, 
	version INTEGER NOT NULL, 
	deleted BOOLEAN NOT NULL, 
	fund_id VARCHAR NOT NULL, 
	name VARCHAR NOT NULL, 
	role VARCHAR NOT NULL, 
	is_supervisor BOOLEAN NOT NULL, 
	PRIMARY KEY (id), 
	FOREIGN KEY(fund_id) REFERENCES fund (id)
);

CREATE INDEX ix_committeemember_fund_id ON committeemember (fund_id);

CREATE INDEX ix_committeemember_office_id ON committeemember (office_id);

CREATE TABLE entry_batch (
	id VARCHAR NOT NULL, 
	office_id VARCHAR NOT NULL, 
	created_at VARCHAR NOT NULL, 
	updated_at VARCHAR NOT NULL, 
	version INTEGER NOT NULL, 
	deleted BOOLEAN NOT NULL, 
	fund_id VARCHAR NOT NULL, 
	title VARCHAR NOT NULL, 
	declared_count INTEGER NOT NULL, 
	declared_total_fen INTEGER NOT NULL, 
	PRIMARY KEY (id), 
	FOREIGN KEY(fund_id) REFERENCES fund (id)
);

CREATE INDEX ix_entry_batch_office_id ON entry_batch (office_id);

CREATE TABLE ledger_entry (
	id VARCHAR NOT NULL, 
	office_id VARCHAR NOT NULL, 
	created_at VARCHAR NOT NULL, 
	updated_at VARCHAR NOT NULL, 
	version INTEGER NOT NULL, 
	deleted BOOLEAN NOT NULL, 
	fund_id VARCHAR NOT NULL, 
	entry_date DATE NOT NULL, 
	entry_type VARCHAR NOT NULL, 
	flow VARCHAR NOT NULL, 
	amount_fen INTEGER NOT NULL, 
	summary VARCHAR NOT NULL, 
	category VARCHAR NOT NULL, 
	expense_class VARCHAR NOT NULL, 
	restriction VARCHAR NOT NULL, 
	counterparty_name VARCHAR NOT NULL, 
	counterparty_kind VARCHAR NOT NULL, 
	anonymous BOOLEAN NOT NULL, 
	publish_consent BOOLEAN NOT NULL, 
	counterparty_contact VARCHAR NOT NULL, 
	payment_method VARCHAR NOT NULL, 
	receipt_code VARCHAR NOT NULL, 
	receipt_no VARCHAR NOT NULL, 
	status VARCHAR NOT NULL, 
	voucher_year INTEGER, 
	voucher_seq INTEGER, 
	posted_at VARCHAR, 
	reverses_id VARCHAR, 
	reversal_reason VARCHAR NOT NULL, 
	override_reason VARCHAR NOT NULL, 
	batch_id VARCHAR, 
	chain_seq INTEGER, 
	chain_hash VARCHAR, 
	PRIMARY KEY (id), 
	FOREIGN KEY(fund_id) REFERENCES fund (id), 
	FOREIGN KEY(reverses_id) REFERENCES ledger_entry (id), 
	FOREIGN KEY(batch_id) REFERENCES entry_batch (id)
);

CREATE INDEX ix_ledger_entry_entry_date ON ledger_entry (entry_date);

CREATE INDEX ix_ledger_entry_fund_id ON ledger_entry (fund_id);

CREATE INDEX ix_ledger_entry_office_id ON ledger_entry (office_id);

CREATE TABLE entry_attachment (
	id VARCHAR NOT NULL, 
	office_id VARCHAR NOT NULL, 
	created_at VARCHAR NOT NULL, 
	updated_at VARCHAR NOT NULL, 
	version INTEGER NOT NULL, 
	deleted BOOLEAN NOT NULL, 
	entry_id VARCHAR NOT NULL, 
	attachment_id VARCHAR NOT NULL, 
	PRIMARY KEY (id), 
	FOREIGN KEY(entry_id) REFERENCES ledger_entry (id), 
	FOREIGN KEY(attachment_id) REFERENCES attachment (id)
);

CREATE INDEX ix_entry_attachment_entry_id ON entry_attachment (entry_id);

CREATE INDEX ix_entry_attachment_office_id ON entry_attachment (office_id);
