-- Schema version 6: activities (活动记录) with beneficiary counts, named beneficiaries, linked expenses and
-- photos; the goods register (物资台账); charity spaces (慈善阵地) with milestones and the six haves.
-- Existing offices get the default activity types and beneficiary groups (new offices get them from init).

CREATE TABLE charity_space (
	id VARCHAR NOT NULL, 
	office_id VARCHAR NOT NULL, 
	created_at VARCHAR NOT NULL, 
	updated_at VARCHAR NOT NULL, 
	version INTEGER NOT NULL, 
	deleted BOOLEAN NOT NULL, 
	project_id VARCHAR, 
	site_id VARCHAR, 
	name VARCHAR NOT NULL, 
	kind VARCHAR NOT NULL, 
	address VARCHAR NOT NULL, 
	opened_on DATE, 
	progress INTEGER NOT NULL, 
	note VARCHAR NOT NULL, 
	PRIMARY KEY (id), 
	FOREIGN KEY(project_id) REFERENCES project (id), 
	FOREIGN KEY(site_id) REFERENCES site (id)
);

CREATE INDEX ix_charity_space_office_id ON charity_space (office_id);

CREATE TABLE activity (
	id VARCHAR NOT NULL, 
	office_id VARCHAR NOT NULL, 
	created_at VARCHAR NOT NULL, 
	updated_at VARCHAR NOT NULL, 
	version INTEGER NOT NULL, 
	deleted BOOLEAN NOT NULL, 
	project_id VARCHAR NOT NULL, 
	site_id VARCHAR, 
	space_id VARCHAR, 
	activity_type VARCHAR NOT NULL, 
	title VARCHAR NOT NULL, 
	start_date DATE NOT NULL, 
	end_date DATE NOT NULL, 
	place VARCHAR NOT NULL, 
	organisers VARCHAR NOT NULL, 
	partners VARCHAR NOT NULL, 
	participants INTEGER NOT NULL, 
	volunteers INTEGER NOT NULL, 
	volunteer_minutes INTEGER NOT NULL, 
	summary VARCHAR NOT NULL, 
	public BOOLEAN NOT NULL, 
	public_order INTEGER NOT NULL, 
	PRIMARY KEY (id), 
	FOREIGN KEY(project_id) REFERENCES project (id), 
	FOREIGN KEY(site_id) REFERENCES site (id), 
	FOREIGN KEY(space_id) REFERENCES charity_space (id)
);

CREATE INDEX ix_activity_office_id ON activity (office_id);

CREATE INDEX ix_activity_project_id ON activity (project_id);

CREATE INDEX ix_activity_start_date ON activity (start_date);

CREATE TABLE space_have (
	id VARCHAR NOT NULL, 
	office_id VARCHAR NOT NULL, 
	created_at VARCHAR NOT NULL, 
	updated_at VARCHAR NOT NULL, 
	version INTEGER NOT NULL, 
	deleted BOOLEAN NOT NULL, 
	space_id VARCHAR NOT NULL, 
	have VARCHAR NOT NULL, 
	met BOOLEAN NOT NULL, 
	note VARCHAR NOT NULL, 
	PRIMARY KEY (id), 
	FOREIGN KEY(space_id) REFERENCES charity_space (id)
);

CREATE INDEX ix_space_have_office_id ON space_have (office_id);

CREATE INDEX ix_space_have_space_id ON space_have (space_id);

CREATE TABLE space_milestone (
	id VARCHAR NOT NULL, 
	office_id VARCHAR NOT NULL, 
	created_at VARCHAR NOT NULL, 
	updated_at VARCHAR NOT NULL, 
	version INTEGER NOT NULL, 
	deleted BOOLEAN NOT NULL, 
	space_id VARCHAR NOT NULL, 
	milestone_date DATE NOT NULL, 
	percent INTEGER NOT NULL, 
	note VARCHAR NOT NULL, 
	PRIMARY KEY (id), 
	FOREIGN KEY(space_id) REFERENCES charity_space (id)
);

CREATE INDEX ix_space_milestone_office_id ON space_milestone (office_id);

CREATE INDEX ix_space_milestone_space_id ON space_milestone (space_id);

CREATE TABLE activity_expense (
	id VARCHAR NOT NULL, 
	office_id VARCHAR NOT NULL, 
	created_at VARCHAR NOT NULL, 
	updated_at VARCHAR NOT NULL, 
	version INTEGER NOT NULL, 
	deleted BOOLEAN NOT NULL, 
	activity_id VARCHAR NOT NULL, 
	entry_id VARCHAR NOT NULL, 
	PRIMARY KEY (id), 
	FOREIGN KEY(activity_id) REFERENCES activity (id), 
	FOREIGN KEY(entry_id) REFERENCES ledger_entry (id)
);

CREATE INDEX ix_activity_expense_activity_id ON activity_expense (activity_id);

CREATE INDEX ix_activity_expense_entry_id ON activity_expense (entry_id);

CREATE INDEX ix_activity_expense_office_id ON activity_expense (office_id);

CREATE TABLE beneficiary_count (
	id VARCHAR NOT NULL, 
	office_id VARCHAR NOT NULL, 
	created_at VARCHAR NOT NULL, 
	updated_at VARCHAR NOT NULL, 
	version INTEGER NOT NULL, 
	deleted BOOLEAN NOT NULL, 
	activity_id VARCHAR NOT NULL, 
	group_name VARCHAR NOT NULL, 
	count INTEGER NOT NULL, 
	PRIMARY KEY (id), 
	FOREIGN KEY(activity_id) REFERENCES activity (id)
);

CREATE INDEX ix_beneficiary_count_activity_id ON beneficiary_count (activity_id);

CREATE INDEX ix_beneficiary_count_office_id ON beneficiary_count (office_id);

CREATE TABLE goods_movement (
	id VARCHAR NOT NULL, 
	office_id VARCHAR NOT NULL, 
	created_at VARCHAR NOT NULL, 
	updated_at VARCHAR NOT NULL, 
	version INTEGER NOT NULL, 
	deleted BOOLEAN NOT NULL, 
	fund_id VARCHAR NOT NULL, 
	movement_date DATE NOT NULL, 
	direction VARCHAR NOT NULL, 
	item VARCHAR NOT NULL, 
	unit VARCHAR NOT NULL, 
	quantity_milli INTEGER NOT NULL, 
	source VARCHAR NOT NULL, 
	donor_name VARCHAR NOT NULL, 
	donor_kind VARCHAR NOT NULL, 
	anonymous BOOLEAN NOT NULL, 
	publish_consent BOOLEAN NOT NULL, 
	valuation VARCHAR NOT NULL, 
	value_fen INTEGER NOT NULL, 
	entry_id VARCHAR, 
	activity_id VARCHAR, 
	beneficiary_group VARCHAR NOT NULL, 
	recipients INTEGER NOT NULL, 
	note VARCHAR NOT NULL, 
	PRIMARY KEY (id), 
	FOREIGN KEY(fund_id) REFERENCES fund (id), 
	FOREIGN KEY(entry_id) REFERENCES ledger_entry (id), 
	FOREIGN KEY(activity_id) REFERENCES activity (id)
);

CREATE INDEX ix_goods_movement_activity_id ON goods_movement (activity_id);

CREATE INDEX ix_goods_movement_fund_id ON goods_movement (fund_id);

CREATE INDEX ix_goods_movement_office_id ON goods_movement (office_id);

CREATE TABLE named_beneficiary (
	id VARCHAR NOT NULL, 
	office_id VARCHAR NOT NULL, 
	created_at VARCHAR NOT NULL, 
	updated_at VARCHAR NOT NULL, 
	version INTEGER NOT NULL, 
	deleted BOOLEAN NOT NULL, 
	activity_id VARCHAR NOT NULL, 
	name VARCHAR NOT NULL, 
	group_name VARCHAR NOT NULL, 
	sensitive_facts VARCHAR NOT NULL, 
	phone VARCHAR NOT NULL, 
	publish_consent BOOLEAN NOT NULL, 
	PRIMARY KEY (id), 
	FOREIGN KEY(activity_id) REFERENCES activity (id)
);

CREATE INDEX ix_named_beneficiary_activity_id ON named_beneficiary (activity_id);

CREATE INDEX ix_named_beneficiary_office_id ON named_beneficiary (office_id);

CREATE TABLE photo (
	id VARCHAR NOT NULL, 
	office_id VARCHAR NOT NULL, 
	created_at VARCHAR NOT NULL, 
	updated_at VARCHAR NOT NULL, 
	version INTEGER NOT NULL, 
	deleted BOOLEAN NOT NULL, 
	attachment_id VARCHAR NOT NULL, 
	sha256 VARCHAR NOT NULL, 
	project_id VARCHAR, 
	activity_id VARCHAR, 
	space_id VARCHAR, 
	caption VARCHAR NOT NULL, 
	position INTEGER NOT NULL, 
	in_notice BOOLEAN NOT NULL, 
	width INTEGER NOT NULL, 
	height INTEGER NOT NULL, 
	taken_at VARCHAR NOT NULL, 
	original_name VARCHAR NOT NULL, 
	PRIMARY KEY (id), 
	FOREIGN KEY(attachment_id) REFERENCES attachment (id), 
	FOREIGN KEY(project_id) REFERENCES project (id), 
	FOREIGN KEY(activity_id) REFERENCES activity (id), 
	FOREIGN KEY(space_id) REFERENCES charity_space (id)
);

CREATE INDEX ix_photo_activity_id ON photo (activity_id);

CREATE INDEX ix_photo_office_id ON photo (office_id);

CREATE INDEX ix_photo_sha256 ON photo (sha256);

CREATE INDEX ix_photo_space_id ON photo (space_id);

CREATE TABLE space_evidence (
	id VARCHAR NOT NULL, 
	office_id VARCHAR NOT NULL, 
	created_at VARCHAR NOT NULL, 
	updated_at VARCHAR NOT NULL, 
	version INTEGER NOT NULL, 
	deleted BOOLEAN NOT NULL, 
	have_id VARCHAR NOT NULL, 
	kind VARCHAR NOT NULL, 
	record_id VARCHAR NOT NULL, 
	PRIMARY KEY (id), 
	FOREIGN KEY(have_id) REFERENCES space_have (id)
);

CREATE INDEX ix_space_evidence_have_id ON space_evidence (have_id);

CREATE INDEX ix_space_evidence_office_id ON space_evidence (office_id);


-- The project gallery pages through a project's photos in order; the activity list by date.
CREATE INDEX ix_photo_gallery ON photo (project_id, deleted, position, created_at);

CREATE INDEX ix_activity_live ON activity (deleted, start_date);

INSERT INTO category (id, office_id, created_at, updated_at, version, deleted, name, kind, position, active)
  SELECT lower(hex(randomblob(4))||'-'||hex(randomblob(2))||'-4'||substr(hex(randomblob(2)),2)||'-'||substr('89ab',1+(abs(random())%4),1)||substr(hex(randomblob(2)),2)||'-'||hex(randomblob(6))), id, strftime('%Y-%m-%dT%H:%M:%fZ','now'), strftime('%Y-%m-%dT%H:%M:%fZ','now'), 1, 0, '工作会议', 'activity_type', 0, 1
  FROM office WHERE is_local = 1;

INSERT INTO category (id, office_id, created_at, updated_at, version, deleted, name, kind, position, active)
  SELECT lower(hex(randomblob(4))||'-'||hex(randomblob(2))||'-4'||substr(hex(randomblob(2)),2)||'-'||substr('89ab',1+(abs(random())%4),1)||substr(hex(randomblob(2)),2)||'-'||hex(randomblob(6))), id, strftime('%Y-%m-%dT%H:%M:%fZ','now'), strftime('%Y-%m-%dT%H:%M:%fZ','now'), 1, 0, '培训', 'activity_type', 1, 1
  FROM office WHERE is_local = 1;

INSERT INTO category (id, office_id, created_at, updated_at, version, deleted, name, kind, position, active)
  SELECT lower(hex(randomblob(4))||'-'||hex(randomblob(2))||'-4'||substr(hex(randomblob(2)),2)||'-'||substr('89ab',1+(abs(random())%4),1)||substr(hex(randomblob(2)),2)||'-'||hex(randomblob(6))), id, strftime('%Y-%m-%dT%H:%M:%fZ','now'), strftime('%Y-%m-%dT%H:%M:%fZ','now'), 1, 0, '慈善服务', 'activity_type', 2, 1
  FROM office WHERE is_local = 1;

INSERT INTO category (id, office_id, created_at, updated_at, version, deleted, name, kind, position, active)
  SELECT lower(hex(randomblob(4))||'-'||hex(randomblob(2))||'-4'||substr(hex(randomblob(2)),2)||'-'||substr('89ab',1+(abs(random())%4),1)||substr(hex(randomblob(2)),2)||'-'||hex(randomblob(6))), id, strftime('%Y-%m-%dT%H:%M:%fZ','now'), strftime('%Y-%m-%dT%H:%M:%fZ','now'), 1, 0, '慈善活动/募捐活动', 'activity_type', 3, 1
  FROM office WHERE is_local = 1;

INSERT INTO category (id, office_id, created_at, updated_at, version, deleted, name, kind, position, active)
  SELECT lower(hex(randomblob(4))||'-'||hex(randomblob(2))||'-4'||substr(hex(randomblob(2)),2)||'-'||substr('89ab',1+(abs(random())%4),1)||substr(hex(randomblob(2)),2)||'-'||hex(randomblob(6))), id, strftime('%Y-%m-%dT%H:%M:%fZ','now'), strftime('%Y-%m-%dT%H:%M:%fZ','now'), 1, 0, '需求调研', 'activity_type', 4, 1
  FROM office WHERE is_local = 1;

INSERT INTO category (id, office_id, created_at, updated_at, version, deleted, name, kind, position, active)
  SELECT lower(hex(randomblob(4))||'-'||hex(randomblob(2))||'-4'||substr(hex(randomblob(2)),2)||'-'||substr('89ab',1+(abs(random())%4),1)||substr(hex(randomblob(2)),2)||'-'||hex(randomblob(6))), id, strftime('%Y-%m-%dT%H:%M:%fZ','now'), strftime('%Y-%m-%dT%H:%M:%fZ','now'), 1, 0, '阵地建设', 'activity_type', 5, 1
  FROM office WHERE is_local = 1;

INSERT INTO category (id, office_id, created_at, updated_at, version, deleted, name, kind, position, active)
  SELECT lower(hex(randomblob(4))||'-'||hex(randomblob(2))||'-4'||substr(hex(randomblob(2)),2)||'-'||substr('89ab',1+(abs(random())%4),1)||substr(hex(randomblob(2)),2)||'-'||hex(randomblob(6))), id, strftime('%Y-%m-%dT%H:%M:%fZ','now'), strftime('%Y-%m-%dT%H:%M:%fZ','now'), 1, 0, '宣传', 'activity_type', 6, 1
  FROM office WHERE is_local = 1;

INSERT INTO category (id, office_id, created_at, updated_at, version, deleted, name, kind, position, active)
  SELECT lower(hex(randomblob(4))||'-'||hex(randomblob(2))||'-4'||substr(hex(randomblob(2)),2)||'-'||substr('89ab',1+(abs(random())%4),1)||substr(hex(randomblob(2)),2)||'-'||hex(randomblob(6))), id, strftime('%Y-%m-%dT%H:%M:%fZ','now'), strftime('%Y-%m-%dT%H:%M:%fZ','now'), 1, 0, '其他', 'activity_type', 7, 1
  FROM office WHERE is_local = 1;

INSERT INTO category (id, office_id, created_at, updated_at, version, deleted, name, kind, position, active)
  SELECT lower(hex(randomblob(4))||'-'||hex(randomblob(2))||'-4'||substr(hex(randomblob(2)),2)||'-'||substr('89ab',1+(abs(random())%4),1)||substr(hex(randomblob(2)),2)||'-'||hex(randomblob(6))), id, strftime('%Y-%m-%dT%H:%M:%fZ','now'), strftime('%Y-%m-%dT%H:%M:%fZ','now'), 1, 0, '老年人', 'beneficiary_group', 0, 1
  FROM office WHERE is_local = 1;

INSERT INTO category (id, office_id, created_at, updated_at, version, deleted, name, kind, position, active)
  SELECT lower(hex(randomblob(4))||'-'||hex(randomblob(2))||'-4'||substr(hex(randomblob(2)),2)||'-'||substr('89ab',1+(abs(random())%4),1)||substr(hex(randomblob(2)),2)||'-'||hex(randomblob(6))), id, strftime('%Y-%m-%dT%H:%M:%fZ','now'), strftime('%Y-%m-%dT%H:%M:%fZ','now'), 1, 0, '儿童', 'beneficiary_group', 1, 1
  FROM office WHERE is_local = 1;

INSERT INTO category (id, office_id, created_at, updated_at, version, deleted, name, kind, position, active)
  SELECT lower(hex(randomblob(4))||'-'||hex(randomblob(2))||'-4'||substr(hex(randomblob(2)),2)||'-'||substr('89ab',1+(abs(random())%4),1)||substr(hex(randomblob(2)),2)||'-'||hex(randomblob(6))), id, strftime('%Y-%m-%dT%H:%M:%fZ','now'), strftime('%Y-%m-%dT%H:%M:%fZ','now'), 1, 0, '困境儿童青少年', 'beneficiary_group', 2, 1
  FROM office WHERE is_local = 1;

INSERT INTO category (id, office_id, created_at, updated_at, version, deleted, name, kind, position, active)
  SELECT lower(hex(randomblob(4))||'-'||hex(randomblob(2))||'-4'||substr(hex(randomblob(2)),2)||'-'||substr('89ab',1+(abs(random())%4),1)||substr(hex(randomblob(2)),2)||'-'||hex(randomblob(6))), id, strftime('%Y-%m-%dT%H:%M:%fZ','now'), strftime('%Y-%m-%dT%H:%M:%fZ','now'), 1, 0, '妇女', 'beneficiary_group', 3, 1
  FROM office WHERE is_local = 1;

INSERT INTO category (id, office_id, created_at, updated_at, version, deleted, name, kind, position, active)
  SELECT lower(hex(randomblob(4))||'-'||hex(randomblob(2))||'-4'||substr(hex(randomblob(2)),2)||'-'||substr('89ab',1+(abs(random())%4),1)||substr(hex(randomblob(2)),2)||'-'||hex(randomblob(6))), id, strftime('%Y-%m-%dT%H:%M:%fZ','now'), strftime('%Y-%m-%dT%H:%M:%fZ','now'), 1, 0, '残疾人', 'beneficiary_group', 4, 1
  FROM office WHERE is_local = 1;

INSERT INTO category (id, office_id, created_at, updated_at, version, deleted, name, kind, position, active)
  SELECT lower(hex(randomblob(4))||'-'||hex(randomblob(2))||'-4'||substr(hex(randomblob(2)),2)||'-'||substr('89ab',1+(abs(random())%4),1)||substr(hex(randomblob(2)),2)||'-'||hex(randomblob(6))), id, strftime('%Y-%m-%dT%H:%M:%fZ','now'), strftime('%Y-%m-%dT%H:%M:%fZ','now'), 1, 0, '低保/困难家庭', 'beneficiary_group', 5, 1
  FROM office WHERE is_local = 1;

INSERT INTO category (id, office_id, created_at, updated_at, version, deleted, name, kind, position, active)
  SELECT lower(hex(randomblob(4))||'-'||hex(randomblob(2))||'-4'||substr(hex(randomblob(2)),2)||'-'||substr('89ab',1+(abs(random())%4),1)||substr(hex(randomblob(2)),2)||'-'||hex(randomblob(6))), id, strftime('%Y-%m-%dT%H:%M:%fZ','now'), strftime('%Y-%m-%dT%H:%M:%fZ','now'), 1, 0, '社区居民', 'beneficiary_group', 6, 1
  FROM office WHERE is_local = 1;

INSERT INTO category (id, office_id, created_at, updated_at, version, deleted, name, kind, position, active)
  SELECT lower(hex(randomblob(4))||'-'||hex(randomblob(2))||'-4'||substr(hex(randomblob(2)),2)||'-'||substr('89ab',1+(abs(random())%4),1)||substr(hex(randomblob(2)),2)||'-'||hex(randomblob(6))), id, strftime('%Y-%m-%dT%H:%M:%fZ','now'), strftime('%Y-%m-%dT%H:%M:%fZ','now'), 1, 0, '其他', 'beneficiary_group', 7, 1
  FROM office WHERE is_local = 1;
