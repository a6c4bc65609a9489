-- Schema version 10: needs surveys (需求调查). A survey belongs to a project; its questionnaire lives in
-- versions (one JSON document each, frozen once answers exist); each filled form is one response whose
-- answers are one JSON document (question code -> answer), so a county's tens of thousands of responses stay
-- one row each and travel in sync packages as they were entered.

CREATE TABLE survey (
	id VARCHAR NOT NULL,
	office_id VARCHAR NOT NULL,
	created_at VARCHAR NOT NULL,
	updated_at VARCHAR NOT NULL,
	version INTEGER NOT NULL,
	deleted BOOLEAN NOT NULL,
	name VARCHAR NOT NULL,
	project_id VARCHAR NOT NULL,
	site_ids VARCHAR NOT NULL,
	method VARCHAR NOT NULL,
	rules VARCHAR NOT NULL,
	PRIMARY KEY (id),
	FOREIGN KEY(project_id) REFERENCES project (id)
);
CREATE INDEX ix_survey_office_id ON survey (office_id);
CREATE INDEX ix_survey_project_id ON survey (project_id);

CREATE TABLE survey_version (
	id VARCHAR NOT NULL,
	office_id VARCHAR NOT NULL,
	created_at VARCHAR NOT NULL,
	updated_at VARCHAR NOT NULL,
	version INTEGER NOT NULL,
	deleted BOOLEAN NOT NULL,
	survey_id VARCHAR NOT NULL,
	number INTEGER NOT NULL,
	definition VARCHAR NOT NULL,
	origin VARCHAR NOT NULL,
	PRIMARY KEY (id),
	FOREIGN KEY(survey_id) REFERENCES survey (id)
);
CREATE INDEX ix_survey_version_office_id ON survey_version (office_id);
CREATE INDEX ix_survey_version_survey_id ON survey_version (survey_id);

CREATE TABLE survey_response (
	id VARCHAR NOT NULL,
	office_id VARCHAR NOT NULL,
	created_at VARCHAR NOT NULL,
	updated_at VARCHAR NOT NULL,
	version INTEGER NOT NULL,
	deleted BOOLEAN NOT NULL,
	survey_id VARCHAR NOT NULL,
	version_id VARCHAR NOT NULL,
	source VARCHAR NOT NULL,
	source_no VARCHAR NOT NULL,
	entry_pass INTEGER NOT NULL,
	site_id VARCHAR,
	entered_by VARCHAR NOT NULL,
	submitted_at VARCHAR NOT NULL,
	seconds INTEGER,
	complete BOOLEAN NOT NULL,
	answers VARCHAR NOT NULL,
	import_file VARCHAR NOT NULL,
	PRIMARY KEY (id),
	FOREIGN KEY(survey_id) REFERENCES survey (id),
	FOREIGN KEY(version_id) REFERENCES survey_version (id),
	FOREIGN KEY(site_id) REFERENCES site (id)
);
CREATE INDEX ix_survey_response_survey_id ON survey_response (survey_id);
CREATE INDEX ix_survey_response_office_id ON survey_response (office_id);

-- An activity may be the needs survey it carried out (需求调研): a notice's item for it then states the
-- survey's result from the responses, not typed figures. Existing activities' journal rows say the same, so
-- every record's last journal row is the record as the table holds it (json.dumps sorts the keys: "survey_id"
-- comes right before "title", never the first key; a quote inside a text value is escaped, so the pattern is
-- only ever the key itself).
ALTER TABLE activity ADD COLUMN survey_id VARCHAR REFERENCES survey (id);
UPDATE change_journal SET payload = replace(payload, ', "title": ', ', "survey_id": null, "title": ')
  WHERE table_name = 'activity' AND payload NOT LIKE '%"survey_id": %';
