// The SQLite schema, one migration per step.
#include "store/sql/migrations.h"

#include <array>
#include <string>
#include <vector>

#include "store/sql/connections.h"

namespace pdh::store::sql {
namespace {

constexpr std::string_view kM1Units = R"sql(
CREATE TABLE setting (
  key   TEXT PRIMARY KEY,
  value TEXT NOT NULL
) STRICT;

CREATE TABLE unit (
  id                   INTEGER PRIMARY KEY,
  code                 TEXT NOT NULL,
  level                TEXT NOT NULL CHECK (level IN ('province','district','commune','agency')),
  type                 TEXT NOT NULL,
  name                 TEXT NOT NULL,
  short_name           TEXT NOT NULL,
  parent_id            INTEGER REFERENCES unit(id),
  population           INTEGER,
  population_estimated INTEGER NOT NULL DEFAULT 0,
  area_km2             REAL,
  lat                  REAL,
  lon                  REAL,
  valid_from           TEXT,
  valid_to             TEXT,
  source               TEXT NOT NULL DEFAULT ''
) STRICT;
-- A code names one unit at a time: old and new units may share a code in different eras.
CREATE UNIQUE INDEX unit_code_era ON unit(code, level, ifnull(valid_from, ''));
CREATE INDEX unit_parent ON unit(parent_id);

CREATE TABLE succession (
  old_id INTEGER NOT NULL REFERENCES unit(id),
  new_id INTEGER NOT NULL REFERENCES unit(id),
  kind   TEXT NOT NULL CHECK (kind IN ('whole','partial')),
  note   TEXT NOT NULL DEFAULT '',
  weight REAL,
  PRIMARY KEY (old_id, new_id)
) STRICT;
CREATE INDEX succession_new ON succession(new_id);
)sql";

constexpr std::string_view kM2Identity = R"sql(
CREATE TABLE account (
  id                INTEGER PRIMARY KEY,
  name              TEXT NOT NULL UNIQUE,
  display_name      TEXT NOT NULL DEFAULT '',
  kind              TEXT NOT NULL CHECK (kind IN ('person','system')),
  password_hash     TEXT,
  totp_secret       TEXT,
  totp_pending      TEXT,
  failed_logins     INTEGER NOT NULL DEFAULT 0,
  locked_until      TEXT,
  disabled          INTEGER NOT NULL DEFAULT 0,
  disabled_reason   TEXT NOT NULL DEFAULT '',
  created_at        TEXT NOT NULL,
  last_active_at    TEXT
) STRICT;

CREATE TABLE grant_ (
  account_id          INTEGER NOT NULL REFERENCES account(id) ON DELETE CASCADE,
  role                TEXT NOT NULL
                      CHECK (role IN ('administrator','officer','leader','auditor','system')),
  unit_id             INTEGER REFERENCES unit(id),
  include_descendants INTEGER NOT NULL DEFAULT 0
) STRICT;
CREATE UNIQUE INDEX grant_unique ON grant_(account_id, role, ifnull(unit_id, 0));

CREATE TABLE session (
  id_hash      TEXT PRIMARY KEY,
  account_id   INTEGER NOT NULL REFERENCES account(id) ON DELETE CASCADE,
  csrf_token   TEXT NOT NULL,
  created_at   TEXT NOT NULL,
  last_seen_at TEXT NOT NULL,
  expires_at   TEXT NOT NULL,
  mfa          INTEGER NOT NULL DEFAULT 0,
  remote       TEXT NOT NULL DEFAULT ''
) STRICT;
CREATE INDEX session_account ON session(account_id);

CREATE TABLE api_token (
  id           INTEGER PRIMARY KEY,
  account_id   INTEGER NOT NULL REFERENCES account(id) ON DELETE CASCADE,
  name         TEXT NOT NULL,
  prefix       TEXT NOT NULL,
  hash         TEXT NOT NULL UNIQUE,
  permissions  TEXT NOT NULL DEFAULT '',
  unit_codes   TEXT NOT NULL DEFAULT '',
  created_at   TEXT NOT NULL,
  expires_at   TEXT NOT NULL,
  revoked_at   TEXT,
  last_used_at TEXT
) STRICT;

-- The audit log is append-only: entries are chained by hash and covered by signed checkpoints.
CREATE TABLE audit_entry (
  seq        INTEGER PRIMARY KEY,
  at         TEXT NOT NULL,
  actor      TEXT NOT NULL,
  action     TEXT NOT NULL,
  target     TEXT NOT NULL DEFAULT '',
  remote     TEXT NOT NULL DEFAULT '',
  request_id TEXT NOT NULL DEFAULT '',
  detail     TEXT NOT NULL DEFAULT '{}',
  prev_hash  TEXT NOT NULL,
  hash       TEXT NOT NULL
) STRICT;
CREATE INDEX audit_entry_at ON audit_entry(at);

CREATE TABLE audit_checkpoint (
  seq       INTEGER PRIMARY KEY,
  hash      TEXT NOT NULL,
  at        TEXT NOT NULL,
  signature TEXT NOT NULL
) STRICT;
)sql";

constexpr std::string_view kM3Catalog = R"sql(
-- The catalog (M2): entries' current state, every version of each (the history the as-of
-- figures are computed from), and the links between entries. Owners are unit codes, not ids,
-- because the unit tables are replaced whole on import.
CREATE TABLE catalog_entry (
  id             INTEGER PRIMARY KEY,
  code           TEXT NOT NULL UNIQUE,
  kind           TEXT NOT NULL CHECK (kind IN ('platform','database','national')),
  status         TEXT NOT NULL,
  sector         TEXT NOT NULL,
  owner          TEXT NOT NULL,
  search         TEXT NOT NULL,
  tags           TEXT NOT NULL,
  version        INTEGER NOT NULL,
  effective_date TEXT NOT NULL,
  snapshot       TEXT NOT NULL
) STRICT;
CREATE INDEX catalog_entry_kind ON catalog_entry(kind, status);
CREATE INDEX catalog_entry_owner ON catalog_entry(owner);

CREATE TABLE catalog_version (
  entry_id       INTEGER NOT NULL REFERENCES catalog_entry(id),
  number         INTEGER NOT NULL,
  effective_date TEXT NOT NULL,
  recorded_at    TEXT NOT NULL,
  actor          TEXT NOT NULL,
  reason         TEXT NOT NULL DEFAULT '',
  snapshot       TEXT NOT NULL,
  changes        TEXT NOT NULL,
  PRIMARY KEY (entry_id, number)
) STRICT;
CREATE INDEX catalog_version_effective ON catalog_version(effective_date);

CREATE TABLE catalog_link (
  from_id INTEGER NOT NULL REFERENCES catalog_entry(id),
  kind    TEXT NOT NULL CHECK (kind IN ('runs_on','exchanges_with')),
  to_id   INTEGER NOT NULL REFERENCES catalog_entry(id),
  PRIMARY KEY (from_id, kind, to_id)
) STRICT;
CREATE INDEX catalog_link_to ON catalog_link(to_id);
)sql";

// The Resolution 57 register (M6): programmes; targets and tasks with every version (as the
// catalog: JSON snapshots, with the columns queries filter on); monthly progress reports (one
// per task and month) and their attachments.
constexpr std::string_view kM4Tracker = R"sql(
CREATE TABLE tracker_programme (
  code     TEXT PRIMARY KEY,
  snapshot TEXT NOT NULL
) STRICT;

CREATE TABLE tracker_item (
  id             INTEGER PRIMARY KEY,
  code           TEXT NOT NULL UNIQUE,
  kind           TEXT NOT NULL CHECK (kind IN ('target','task')),
  programme      TEXT NOT NULL REFERENCES tracker_programme(code),
  parent         TEXT NOT NULL DEFAULT '',
  level          TEXT NOT NULL,
  lead_unit      TEXT NOT NULL,
  sector         TEXT NOT NULL,
  state          TEXT NOT NULL,
  deadline       TEXT,
  search         TEXT NOT NULL,
  version        INTEGER NOT NULL,
  effective_date TEXT NOT NULL,
  snapshot       TEXT NOT NULL
) STRICT;
CREATE INDEX tracker_item_programme ON tracker_item(programme, kind);
CREATE INDEX tracker_item_lead ON tracker_item(lead_unit);
CREATE INDEX tracker_item_parent ON tracker_item(parent);

CREATE TABLE tracker_version (
  item_id        INTEGER NOT NULL REFERENCES tracker_item(id),
  number         INTEGER NOT NULL,
  effective_date TEXT NOT NULL,
  recorded_at    TEXT NOT NULL,
  actor          TEXT NOT NULL,
  reason         TEXT NOT NULL DEFAULT '',
  approval       TEXT NOT NULL DEFAULT '',
  adjusted       INTEGER NOT NULL DEFAULT 0,
  changes        TEXT NOT NULL,
  snapshot       TEXT NOT NULL,
  PRIMARY KEY (item_id, number)
) STRICT;
CREATE INDEX tracker_version_effective ON tracker_version(effective_date);

CREATE TABLE tracker_report (
  id           INTEGER PRIMARY KEY,
  item_id      INTEGER NOT NULL REFERENCES tracker_item(id),
  month        TEXT NOT NULL,
  unit         TEXT NOT NULL,
  percent      INTEGER NOT NULL CHECK (percent BETWEEN 0 AND 100),
  submitted_at TEXT NOT NULL,
  updated_at   TEXT NOT NULL,
  submitted_by TEXT NOT NULL,
  snapshot     TEXT NOT NULL,
  UNIQUE (item_id, month)
) STRICT;
CREATE INDEX tracker_report_month ON tracker_report(month, unit);

CREATE TABLE tracker_attachment (
  id           INTEGER PRIMARY KEY,
  report_id    INTEGER NOT NULL REFERENCES tracker_report(id),
  name         TEXT NOT NULL,
  content_type TEXT NOT NULL,
  size         INTEGER NOT NULL,
  data         BLOB NOT NULL,
  uploaded_at  TEXT NOT NULL,
  uploaded_by  TEXT NOT NULL
) STRICT;
CREATE INDEX tracker_attachment_report ON tracker_attachment(report_id);
)sql";

// The notification outbox: messages added once (by key), delivered by webhook and e-mail with
// retries.
constexpr std::string_view kM5Outbox = R"sql(
CREATE TABLE outbox (
  id              INTEGER PRIMARY KEY,
  key             TEXT NOT NULL UNIQUE,
  kind            TEXT NOT NULL,
  unit            TEXT NOT NULL,
  subject         TEXT NOT NULL,
  body            TEXT NOT NULL,
  data            TEXT NOT NULL,
  created_at      TEXT NOT NULL,
  state           TEXT NOT NULL DEFAULT 'pending' CHECK (state IN ('pending','delivered','failed')),
  attempts        INTEGER NOT NULL DEFAULT 0,
  next_attempt_at TEXT NOT NULL,
  delivered_at    TEXT NOT NULL DEFAULT '',
  last_error      TEXT NOT NULL DEFAULT '',
  webhook_done    INTEGER NOT NULL DEFAULT 0,
  email_done      INTEGER NOT NULL DEFAULT 0
) STRICT;
CREATE INDEX outbox_due ON outbox(state, next_attempt_at);
)sql";

// Datasets (M3): their schemas and versions, the batches that fed them with their rejected rows.
// Each dataset's records live in a typed table of its own ("ds_<code>", made by the store when
// the dataset is created) with a history table beside it.
constexpr std::string_view kM6Datasets = R"sql(
CREATE TABLE dataset (
  code        TEXT PRIMARY KEY,
  title       TEXT NOT NULL,
  title_en    TEXT NOT NULL DEFAULT '',
  description TEXT NOT NULL DEFAULT '',
  owner_unit  TEXT NOT NULL DEFAULT '',
  template    TEXT NOT NULL DEFAULT '',
  version     INTEGER NOT NULL,
  schema_json TEXT NOT NULL,
  created_at  TEXT NOT NULL,
  updated_at  TEXT NOT NULL
) STRICT;
CREATE TABLE dataset_version (
  dataset     TEXT NOT NULL REFERENCES dataset(code),
  version     INTEGER NOT NULL,
  schema_json TEXT NOT NULL,
  created_at  TEXT NOT NULL,
  created_by  TEXT NOT NULL,
  note        TEXT NOT NULL DEFAULT '',
  PRIMARY KEY (dataset, version)
) STRICT;
CREATE TABLE ingest_batch (
  id          INTEGER PRIMARY KEY,
  dataset     TEXT NOT NULL REFERENCES dataset(code),
  client_id   TEXT NOT NULL DEFAULT '',
  sha256      TEXT NOT NULL,
  status      TEXT NOT NULL CHECK (status IN ('committed','dry_run','rejected')),
  created_at  TEXT NOT NULL,
  created_by  TEXT NOT NULL,
  report_json TEXT NOT NULL
) STRICT;
CREATE INDEX ingest_batch_dataset ON ingest_batch(dataset, id);
CREATE INDEX ingest_batch_sha ON ingest_batch(dataset, sha256) WHERE status = 'committed';
CREATE UNIQUE INDEX ingest_batch_client ON ingest_batch(dataset, client_id)
  WHERE status = 'committed' AND client_id <> '';
CREATE TABLE ingest_reject (
  batch_id  INTEGER NOT NULL REFERENCES ingest_batch(id),
  row       INTEGER NOT NULL,
  col       TEXT NOT NULL,
  value     TEXT NOT NULL,
  code      TEXT NOT NULL,
  message   TEXT NOT NULL
) STRICT;
CREATE INDEX ingest_reject_batch ON ingest_reject(batch_id, row);
)sql";

// The index set (M5): data elements, indicators, constants and sectors stored whole as JSON
// definitions; the values units report, each write numbered (seq) so the engine can take just
// what changed; the weights the province sets for partial merges. Dataset tables get an index
// on their batch column so the engine reads a new batch's rows without a scan.
constexpr std::string_view kM7Index = R"sql(
CREATE TABLE index_object (
  kind        TEXT NOT NULL CHECK (kind IN ('sector','element','indicator','constant')),
  code        TEXT NOT NULL,
  definition  TEXT NOT NULL,
  updated_at  TEXT NOT NULL,
  updated_by  TEXT NOT NULL,
  PRIMARY KEY (kind, code)
) STRICT;
CREATE TABLE data_value (
  element     TEXT NOT NULL,
  option      TEXT NOT NULL DEFAULT '',
  unit        TEXT NOT NULL,
  period      TEXT NOT NULL,
  value       REAL,
  seq         INTEGER NOT NULL,
  created_at  TEXT NOT NULL,
  updated_at  TEXT NOT NULL,
  by          TEXT NOT NULL,
  source      TEXT NOT NULL DEFAULT '',
  PRIMARY KEY (element, option, unit, period)
) STRICT;
CREATE UNIQUE INDEX data_value_seq ON data_value(seq);
CREATE TABLE merge_weight (
  old_code    TEXT NOT NULL,
  new_code    TEXT NOT NULL,
  weight      REAL NOT NULL CHECK (weight >= 0 AND weight <= 1),
  PRIMARY KEY (old_code, new_code)
) STRICT;
)sql";

// Consolidation (M4): record-linkage projects, their versions and runs, scored pairs with their
// review decisions, clusters and hand-chosen golden values.
constexpr std::string_view kM8Link = R"sql(
CREATE TABLE link_project (
  code         TEXT PRIMARY KEY,
  title        TEXT NOT NULL,
  version      INTEGER NOT NULL,
  definition   TEXT NOT NULL,
  created_at   TEXT NOT NULL,
  updated_at   TEXT NOT NULL,
  committed_at TEXT NOT NULL DEFAULT '',
  commit_batch INTEGER NOT NULL DEFAULT 0
) STRICT;
CREATE TABLE link_project_version (
  project    TEXT NOT NULL REFERENCES link_project(code),
  version    INTEGER NOT NULL,
  definition TEXT NOT NULL,
  at         TEXT NOT NULL,
  by         TEXT NOT NULL,
  note       TEXT NOT NULL DEFAULT '',
  PRIMARY KEY (project, version)
) STRICT;
CREATE TABLE link_run (
  id          INTEGER PRIMARY KEY,
  project     TEXT NOT NULL REFERENCES link_project(code),
  version     INTEGER NOT NULL,
  at          TEXT NOT NULL,
  by          TEXT NOT NULL,
  incremental INTEGER NOT NULL,
  last_batch  INTEGER NOT NULL,
  model       TEXT NOT NULL,
  report      TEXT NOT NULL
) STRICT;
CREATE INDEX link_run_project ON link_run(project, id);
CREATE TABLE link_pair (
  id          INTEGER PRIMARY KEY,
  project     TEXT NOT NULL REFERENCES link_project(code),
  key_a       TEXT NOT NULL,
  key_b       TEXT NOT NULL,
  probability REAL NOT NULL,
  weight      REAL NOT NULL,
  status      TEXT NOT NULL
              CHECK (status IN ('auto','pending','accepted','rejected','skipped')),
  run         INTEGER NOT NULL,
  decided_by  TEXT NOT NULL DEFAULT '',
  decided_at  TEXT NOT NULL DEFAULT '',
  explanation TEXT NOT NULL DEFAULT '',
  UNIQUE (project, key_a, key_b)
) STRICT;
CREATE INDEX link_pair_status ON link_pair(project, status, id);
CREATE TABLE link_member (
  project TEXT NOT NULL REFERENCES link_project(code),
  record  TEXT NOT NULL,
  cluster TEXT NOT NULL,
  PRIMARY KEY (project, record)
) STRICT;
CREATE TABLE link_choice (
  project TEXT NOT NULL REFERENCES link_project(code),
  cluster TEXT NOT NULL,
  field   TEXT NOT NULL,
  record  TEXT NOT NULL,
  by      TEXT NOT NULL,
  at      TEXT NOT NULL,
  PRIMARY KEY (project, cluster, field)
) STRICT;
)sql";

// The monthly reports as issued (M13), and files sent with a notification (a report's PDF): a
// JSON array of {"name","content_type","base64"}.
constexpr std::string_view kM9Reports = R"sql(
CREATE TABLE monthly_report (
  month     TEXT PRIMARY KEY,
  issued_at TEXT NOT NULL,
  issued_by TEXT NOT NULL,
  content   TEXT NOT NULL
) STRICT;
ALTER TABLE outbox ADD COLUMN attachments TEXT NOT NULL DEFAULT '[]';
)sql";

// Sharing (M10): connected systems and their grants.
constexpr std::string_view kM10Share = R"sql(
CREATE TABLE share_client (
  code       TEXT PRIMARY KEY,
  name       TEXT NOT NULL,
  owner_unit TEXT NOT NULL,
  contact    TEXT NOT NULL,
  account    TEXT NOT NULL,
  state      TEXT NOT NULL CHECK (state IN ('active','suspended','revoked')),
  ip_allow   TEXT NOT NULL DEFAULT '[]',
  created_at TEXT NOT NULL,
  created_by TEXT NOT NULL
) STRICT;
CREATE TABLE share_grant (
  id          INTEGER PRIMARY KEY,
  client      TEXT NOT NULL REFERENCES share_client(code),
  dataset     TEXT NOT NULL,
  fields      TEXT NOT NULL,
  masks       TEXT NOT NULL,
  unit        TEXT NOT NULL,
  descendants INTEGER NOT NULL,
  period_from TEXT NOT NULL,
  period_to   TEXT NOT NULL,
  purposes    TEXT NOT NULL,
  legal_basis TEXT NOT NULL,
  access      TEXT NOT NULL CHECK (access IN ('read','write')),
  expires_at  TEXT NOT NULL,
  created_at  TEXT NOT NULL,
  created_by  TEXT NOT NULL,
  revoked     INTEGER NOT NULL DEFAULT 0
) STRICT;
CREATE INDEX share_grant_client ON share_grant(client, dataset);
)sql";

// Sharing, continued: systems told of batches by webhook (a message of the outbox goes to its
// own address, signed), and what is published as open data.
constexpr std::string_view kM11Open = R"sql(
CREATE TABLE share_subscription (
  id         INTEGER PRIMARY KEY,
  client     TEXT NOT NULL REFERENCES share_client(code),
  dataset    TEXT NOT NULL,
  url        TEXT NOT NULL,
  secret     TEXT NOT NULL,
  active     INTEGER NOT NULL DEFAULT 1,
  created_at TEXT NOT NULL,
  created_by TEXT NOT NULL
) STRICT;
CREATE INDEX share_subscription_dataset ON share_subscription(dataset);
CREATE TABLE open_dataset (
  id           TEXT PRIMARY KEY,
  kind         TEXT NOT NULL CHECK (kind IN ('records','aggregate','values')),
  source       TEXT NOT NULL,
  content      TEXT NOT NULL,
  issued_at    TEXT NOT NULL,
  modified_at  TEXT NOT NULL,
  published_by TEXT NOT NULL
) STRICT;
-- Indicator values another hub sent (federation), by its name for itself and official codes.
CREATE TABLE federated_value (
  source         TEXT NOT NULL,
  indicator      TEXT NOT NULL,
  unit           TEXT NOT NULL,
  period         TEXT NOT NULL,
  value          REAL,
  indicator_name TEXT NOT NULL,
  unit_name      TEXT NOT NULL,
  sent_at        TEXT NOT NULL,
  received_at    TEXT NOT NULL,
  PRIMARY KEY (source, indicator, unit, period)
) STRICT;
ALTER TABLE share_client ADD COLUMN cert_sha256 TEXT NOT NULL DEFAULT '';
ALTER TABLE outbox ADD COLUMN webhook_url TEXT NOT NULL DEFAULT '';
ALTER TABLE outbox ADD COLUMN webhook_secret TEXT NOT NULL DEFAULT '';
)sql";

// The index set engine's saved state (store/engine.h): the parts of each save, and the saves
// written whole (the newest is the state).
constexpr std::string_view kM12Engine = R"sql(
CREATE TABLE engine_state (
  id   INTEGER PRIMARY KEY,
  save INTEGER NOT NULL,
  part INTEGER NOT NULL,
  data BLOB NOT NULL,
  UNIQUE (save, part)
) STRICT;
CREATE TABLE engine_save (
  save  INTEGER PRIMARY KEY,
  parts INTEGER NOT NULL,
  bytes INTEGER NOT NULL
) STRICT;
)sql";

// Several servers on one database: the last TOTP step each account used (a code is used once,
// whichever server it is sent to), and the leases of the jobs one server runs for all.
constexpr std::string_view kM13Servers = R"sql(
ALTER TABLE account ADD COLUMN totp_last_step INTEGER;
CREATE TABLE lease (
  name   TEXT PRIMARY KEY,
  holder TEXT NOT NULL,
  until  TEXT NOT NULL
) STRICT;
)sql";

// When each dataset row was made (its table's _created: the batch that inserted it) and the
// history by batch, so that what the batches after one changed can be read with each row as it
// was then (DatasetStore::ForEachChangeSince). The datasets' own tables get them in code
// (DatasetTablesM14); the rows already there count as made before any batch. A saved engine
// state kept each record's contributions, which it no longer does: it is dropped, and the next
// start builds it again.
constexpr std::string_view kM14Changes = R"sql(
DELETE FROM engine_save;
DELETE FROM engine_state;
)sql";

Status DatasetTablesM14(Db& db) {
  std::vector<std::string> codes;
  {
    auto st = db.Prepare("SELECT code FROM dataset");
    if (!st) return Fail(st.error());
    for (;;) {
      auto r = st->Step();
      if (!r) return Fail(r.error());
      if (!*r) break;
      codes.push_back(st->Text(0));
    }
  }
  for (const auto& code : codes) {
    const std::string ddl = "ALTER TABLE " + Quote("ds_" + code) +
                            " ADD COLUMN _created INTEGER NOT NULL DEFAULT 0;\n" +
                            DatasetHistoryBatchIndex(code) + ";";
    if (auto s = db.Exec(ddl); !s) return s;
  }
  return Ok();
}

struct Migration {
  std::string_view sql;
  Status (*code)(Db& db) = nullptr;  // run after the SQL, in the same transaction
};

constexpr std::array<Migration, 14> kMigrations = {{{kM1Units},
                                                    {kM2Identity},
                                                    {kM3Catalog},
                                                    {kM4Tracker},
                                                    {kM5Outbox},
                                                    {kM6Datasets},
                                                    {kM7Index},
                                                    {kM8Link},
                                                    {kM9Reports},
                                                    {kM10Share},
                                                    {kM11Open},
                                                    {kM12Engine},
                                                    {kM13Servers},
                                                    {kM14Changes, &DatasetTablesM14}}};

}  // namespace

std::string DatasetHistoryBatchIndex(std::string_view dataset) {
  const std::string code(dataset);
  return "CREATE INDEX " + Quote("ds_" + code + "__history_batch") + " ON " +
         Quote("ds_" + code + "__history") + "(batch)";
}

size_t MigrationCount() {
  return kMigrations.size();
}

Status Migrate(Db& db, const SchemaVersion& version) {
  auto st = db.Prepare(version.read);
  if (!st) return Fail(st.error());
  if (auto r = st->Step(); !r) return Fail(r.error());
  const auto current = static_cast<size_t>(st->Int(0));
  st->Reset();
  if (current > kMigrations.size()) {
    return Fail(Error::Conflict("store.newer_schema",
                                "the database has schema version " + std::to_string(current) +
                                    " but this pdh knows " + std::to_string(kMigrations.size()) +
                                    ": upgrade pdh to open it"));
  }
  for (size_t v = current; v < kMigrations.size(); ++v) {
    const Migration& m = kMigrations[v];
    auto step = [&]() -> Status {
      if (auto s = db.Exec(std::string(version.begin) + ";\n" + std::string(m.sql)); !s) return s;
      if (m.code) {
        if (auto s = m.code(db); !s) return s;
      }
      return db.Exec(version.write(v + 1) + ";\nCOMMIT;");
    };
    if (auto s = step(); !s) {
      (void)db.Exec("ROLLBACK");  // the migration's error is the one to report
      return Fail(Error::Internal("store.migration_failed", "migration " + std::to_string(v + 1) +
                                                                " failed: " + s.error().message));
    }
  }
  return Ok();
}

}  // namespace pdh::store::sql
