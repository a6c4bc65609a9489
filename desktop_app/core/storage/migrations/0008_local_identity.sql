-- Identity for many offices. A county workspace will hold every township's records, so:
-- * which office is this workspace's own leaves the synced office table (is_local) for local_identity,
--   a one-row table that is never journalled or synced;
-- * every journal row says which operation, which operator and which workspace epoch made it;
-- * an epoch record starts the journal's history: a restore from backup begins a new one;
-- * the categories migration 0006 inserted without journal rows get them, so every record is journalled;
-- * the offices' journal rows stop carrying is_local, so every record's last journal row is the record as
--   the table holds it (nothing has been synced yet: no package ever carried them).
-- Journal payloads are written as json.dumps(sort_keys=True, ensure_ascii=False) writes them, and times as
-- models.utc_now writes them (microseconds: '%f' gives milliseconds, so three zeros follow).

ALTER TABLE change_journal ADD COLUMN operation VARCHAR NOT NULL DEFAULT '';
ALTER TABLE change_journal ADD COLUMN operator VARCHAR NOT NULL DEFAULT '';
ALTER TABLE change_journal ADD COLUMN epoch_id VARCHAR NOT NULL DEFAULT '';

CREATE TABLE workspace_epoch (
	id VARCHAR NOT NULL,
	office_id VARCHAR NOT NULL,
	created_at VARCHAR NOT NULL,
	updated_at VARCHAR NOT NULL,
	version INTEGER NOT NULL,
	deleted BOOLEAN NOT NULL,
	reason VARCHAR NOT NULL,
	started_at VARCHAR NOT NULL,
	previous_epoch_id VARCHAR NOT NULL,
	restored_from VARCHAR NOT NULL,
	abandoned_seq INTEGER NOT NULL,
	resumed_seq INTEGER NOT NULL,
	PRIMARY KEY (id)
);

CREATE INDEX ix_workspace_epoch_office_id ON workspace_epoch (office_id);

CREATE TEMP TABLE upgraded_office AS SELECT id, level FROM office WHERE is_local = 1 LIMIT 1;

INSERT INTO workspace_epoch (id, office_id, created_at, updated_at, version, deleted, reason, started_at,
                             previous_epoch_id, restored_from, abandoned_seq, resumed_seq)
  SELECT lower(hex(randomblob(4))||'-'||hex(randomblob(2))||'-4'||substr(hex(randomblob(2)),2)||'-'||substr('89ab',1+(abs(random())%4),1)||substr(hex(randomblob(2)),2)||'-'||hex(randomblob(6))),
         id, strftime('%Y-%m-%dT%H:%M:%f000Z','now'), strftime('%Y-%m-%dT%H:%M:%f000Z','now'), 1, 0, 'upgrade',
         strftime('%Y-%m-%dT%H:%M:%f000Z','now'), '', '', 0, (SELECT COALESCE(MAX(seq), 0) FROM change_journal)
  FROM upgraded_office;

-- office without is_local (rebuilt: DROP COLUMN needs SQLite 3.35; nothing references office yet)
CREATE TABLE office_rebuilt (
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
	PRIMARY KEY (id)
);
INSERT INTO office_rebuilt SELECT id, office_id, created_at, updated_at, version, deleted, name, level,
                                  division_code, code_year, association_name FROM office;
DROP TABLE office;
ALTER TABLE office_rebuilt RENAME TO office;
CREATE INDEX ix_office_office_id ON office (office_id);

CREATE TABLE local_identity (
	id INTEGER NOT NULL,
	office_id VARCHAR NOT NULL,
	level VARCHAR NOT NULL,
	epoch_id VARCHAR NOT NULL,
	PRIMARY KEY (id),
	FOREIGN KEY(office_id) REFERENCES office (id)
);

INSERT INTO local_identity (id, office_id, level, epoch_id)
  SELECT 1, id, level, (SELECT id FROM workspace_epoch LIMIT 1) FROM upgraded_office;

DROP TABLE upgraded_office;

INSERT INTO change_journal (table_name, record_id, op, version, office_id, changed_at, payload, operation, operator, epoch_id)
  SELECT 'workspace_epoch', id, 'insert', version, office_id, updated_at,
         '{"abandoned_seq": ' || abandoned_seq || ', "created_at": ' || json_quote(created_at)
         || ', "deleted": false, "id": ' || json_quote(id) || ', "office_id": ' || json_quote(office_id)
         || ', "previous_epoch_id": "", "reason": "upgrade", "restored_from": "", "resumed_seq": ' || resumed_seq
         || ', "started_at": ' || json_quote(started_at) || ', "updated_at": ' || json_quote(updated_at)
         || ', "version": 1}',
         'migration.local_identity', '', id
  FROM workspace_epoch;

-- migration 0006 wrote its categories' times in milliseconds; they were never journalled, so never seen
UPDATE category SET created_at = substr(created_at, 1, 23) || '000Z', updated_at = substr(updated_at, 1, 23) || '000Z'
  WHERE length(created_at) = 24 AND length(updated_at) = 24
    AND NOT EXISTS (SELECT 1 FROM change_journal j WHERE j.table_name = 'category' AND j.record_id = category.id);

INSERT INTO change_journal (table_name, record_id, op, version, office_id, changed_at, payload, operation, operator, epoch_id)
  SELECT 'category', c.id, CASE WHEN c.deleted THEN 'delete' ELSE 'insert' END, c.version, c.office_id, c.updated_at,
         '{"active": ' || CASE WHEN c.active THEN 'true' ELSE 'false' END || ', "created_at": ' || json_quote(c.created_at)
         || ', "deleted": ' || CASE WHEN c.deleted THEN 'true' ELSE 'false' END || ', "id": ' || json_quote(c.id)
         || ', "kind": ' || json_quote(c.kind) || ', "name": ' || json_quote(c.name)
         || ', "office_id": ' || json_quote(c.office_id) || ', "position": ' || c.position
         || ', "updated_at": ' || json_quote(c.updated_at) || ', "version": ' || c.version || '}',
         'migration.local_identity', '', COALESCE((SELECT epoch_id FROM local_identity), '')
  FROM category c
  WHERE NOT EXISTS (SELECT 1 FROM change_journal j WHERE j.table_name = 'category' AND j.record_id = c.id);

-- is_local left the office table: its journal rows say the same (json.dumps puts ", " before every key
-- but the first, and "is_local" is never the first)
UPDATE change_journal SET payload = replace(replace(payload, ', "is_local": true', ''), ', "is_local": false', '')
  WHERE table_name = 'office';

-- settings belong to an office: one row per office and key
CREATE UNIQUE INDEX ux_setting_office_key ON setting (office_id, "key");
