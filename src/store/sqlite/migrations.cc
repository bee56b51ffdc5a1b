// The SQLite schema, one migration per step.
#include "store/sqlite/migrations.h"

#include <array>

namespace pdh::store::sqlite {
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

constexpr std::array<std::string_view, 1> kMigrations = {kM1Units};

}  // namespace

std::span<const std::string_view> Migrations() {
  return kMigrations;
}

}  // namespace pdh::store::sqlite
