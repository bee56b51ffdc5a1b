// Appending to the audit log: the canonical bytes and hash of an entry, the signing key on disk,
// and the checkpoints signed as the log grows.
#include <fcntl.h>
#include <sodium.h>
#include <unistd.h>

#include <boost/json/array.hpp>
#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>
#include <boost/json/value.hpp>

#include <cctype>
#include <cerrno>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <utility>

#include "audit/audit.h"
#include "audit/internal.h"
#include "store/store.h"

namespace pdh::audit {
namespace {

Error KeyError(std::string code, const std::string& path, const std::string& what) {
  return Error::Internal(std::move(code), "audit signing key '" + path + "': " + what);
}

// The raw secret key in the file at `path` (hex of libsodium's 64-byte Ed25519 secret key).
Result<std::string> ReadKeyFile(const std::string& path) {
  std::ifstream in(path);
  if (!in) return Fail(KeyError("audit.key_unreadable", path, std::strerror(errno)));
  std::stringstream text;
  text << in.rdbuf();
  std::string hex = text.str();
  while (!hex.empty() && std::isspace(static_cast<unsigned char>(hex.back()))) hex.pop_back();
  auto key = FromHex(hex, crypto_sign_SECRETKEYBYTES);
  if (!key) {
    return Fail(KeyError("audit.key_invalid", path,
                         "not a hex Ed25519 secret key (" +
                             std::to_string(crypto_sign_SECRETKEYBYTES * 2) + " hex digits)"));
  }
  return *key;
}

// Creates the key file readable by its owner only; never overwrites one.
Result<std::string> CreateKeyFile(const std::string& path) {
  unsigned char pk[crypto_sign_PUBLICKEYBYTES];
  std::string sk(crypto_sign_SECRETKEYBYTES, '\0');
  crypto_sign_keypair(pk, reinterpret_cast<unsigned char*>(sk.data()));
  const std::string text = ToHex(sk) + "\n";
  if (const auto dir = std::filesystem::path(path).parent_path(); !dir.empty()) {
    std::error_code ignored;  // a directory that cannot be made fails the open below
    std::filesystem::create_directories(dir, ignored);
  }
  int fd = ::open(path.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
  if (fd < 0) return Fail(KeyError("audit.key_unwritable", path, std::strerror(errno)));
  const bool written = ::write(fd, text.data(), text.size()) == static_cast<ssize_t>(text.size()) &&
                       ::fsync(fd) == 0;
  const int err = errno;
  ::close(fd);
  if (!written) {
    std::filesystem::remove(path);
    return Fail(KeyError("audit.key_unwritable", path, std::strerror(err)));
  }
  return sk;
}

std::string PublicKeyHex(const std::string& secret_key) {
  unsigned char pk[crypto_sign_PUBLICKEYBYTES];
  crypto_sign_ed25519_sk_to_pk(pk, reinterpret_cast<const unsigned char*>(secret_key.data()));
  return ToHex(std::string_view(reinterpret_cast<const char*>(pk), sizeof pk));
}

// The secret key at `key_path`, created when neither it nor a recorded public key exists, and
// checked against the recorded public key otherwise.
Result<std::string> LoadKey(store::AuditStore& audit, const std::string& key_path) {
  auto recorded = audit.PublicKey();
  if (!recorded) return Fail(recorded.error());
  const bool exists = std::filesystem::exists(key_path);
  if (!exists && *recorded) {
    return Fail(KeyError("audit.key_missing", key_path,
                         "missing, but this database's audit log was signed with public key " +
                             **recorded +
                             ": restore the key file to that path (from backup) or "
                             "pass its location"));
  }
  auto key = exists ? ReadKeyFile(key_path) : CreateKeyFile(key_path);
  if (!key) return key;
  const std::string public_hex = PublicKeyHex(*key);
  if (!*recorded) {
    if (auto s = audit.SetPublicKey(public_hex); !s) return Fail(s.error());
  } else if (**recorded != public_hex) {
    return Fail(Error::Conflict(
        "audit.key_mismatch", "audit signing key '" + key_path + "' has public key " + public_hex +
                                  " but this database's audit log was signed with " + **recorded +
                                  ": use the key file that belongs to this database"));
  }
  return key;
}

}  // namespace

boost::json::value DetailValue(const std::string& detail) {
  boost::system::error_code ec;
  boost::json::value v = boost::json::parse(detail, ec);
  if (ec) return boost::json::string(detail);
  return v;
}

std::string CanonicalBytes(const store::AuditEntryRow& e) {
  boost::json::array a{e.seq,    e.at,     e.actor,      e.action,
                       e.target, e.remote, e.request_id, DetailValue(e.detail)};
  return boost::json::serialize(a);
}

std::string EntryHash(const store::AuditEntryRow& e) {
  return Sha256Hex(e.prev_hash + "\n" + CanonicalBytes(e));
}

std::string Log::DefaultKeyPath(const std::string& db_path) {
  if (const char* given = std::getenv("PDH_AUDIT_KEY"); given != nullptr && *given) return given;
  if (!store::Store::IsServer(db_path)) return db_path + ".audit-key";
  // A PostgreSQL database: a file in var/ named after the database, whichever of its servers
  // (a primary, a standby) the connection string lists.
  std::string_view dbname;
  if (const auto scheme = db_path.find("://"); scheme != std::string::npos) {
    const auto slash = db_path.find('/', scheme + 3);
    if (slash != std::string::npos) {
      dbname = std::string_view(db_path).substr(slash + 1);
      dbname = dbname.substr(0, dbname.find('?'));
    }
  } else if (const auto at = db_path.find("dbname="); at != std::string::npos) {
    dbname = std::string_view(db_path).substr(at + 7);
    dbname = dbname.substr(0, dbname.find(' '));
  }
  std::string name = "postgresql-";
  for (char c : dbname) {
    const bool keep = std::isalnum(static_cast<unsigned char>(c)) != 0 || c == '.' || c == '-';
    name += keep ? c : '_';
  }
  return "var/" + name + ".audit-key";
}

Result<std::unique_ptr<Log>> Log::Open(store::AuditStore& store, const Clock& clock,
                                       const std::string& key_path, Options options) {
  if (auto s = InitSodium(); !s) return Fail(s.error());
  auto key = LoadKey(store, key_path);
  if (!key) return Fail(key.error());
  auto last = store.Last();
  if (!last) return Fail(last.error());
  auto checkpoints = store.Checkpoints();
  if (!checkpoints) return Fail(checkpoints.error());

  std::unique_ptr<Log> log(new Log(store, clock, std::move(*key), options));
  const int64_t covered = checkpoints->empty() ? 0 : checkpoints->back().seq;
  log->since_checkpoint_ = *last ? (*last)->seq - covered : 0;
  log->last_checkpoint_ = clock.Now();
  if (!checkpoints->empty()) {
    if (auto at = ParseTime(checkpoints->back().at)) log->last_checkpoint_ = *at;
  }
  return log;
}

Log::Log(store::AuditStore& store, const Clock& clock, std::string secret_key, Options options)
    : store_(store), clock_(clock), secret_key_(std::move(secret_key)), options_(options) {}

store::AuditEntryRow Log::MakeEntry(const Event& e,
                                    const std::optional<store::AuditEntryRow>& last) {
  store::AuditEntryRow r{last ? last->seq + 1 : 1,
                         FormatTime(clock_.Now(), true),
                         e.actor,
                         e.action,
                         e.target,
                         e.remote,
                         e.request_id,
                         boost::json::serialize(e.detail),
                         last ? last->hash : std::string(kZeroHash),
                         ""};
  r.hash = EntryHash(r);
  return r;
}

Result<store::AuditEntryRow> Log::Append(const Event& e) {
  std::lock_guard lock(mu_);
  auto appended = store_.Append(
      [this, &e](const std::optional<store::AuditEntryRow>& last) { return MakeEntry(e, last); });
  if (!appended) return appended;
  if (auto s = CountedLocked(*appended, clock_.Now()); !s) return Fail(s.error());
  return appended;
}

Status Log::Counted(const store::AuditEntryRow& entry) {
  std::lock_guard lock(mu_);
  return CountedLocked(entry, clock_.Now());
}

Status Log::CountedLocked(const store::AuditEntryRow& entry, TimePoint now) {
  ++since_checkpoint_;
  if (since_checkpoint_ >= options_.checkpoint_every ||
      now - last_checkpoint_ >= options_.checkpoint_interval) {
    return CheckpointAt(entry, now);
  }
  return Ok();
}

Status Log::Checkpoint() {
  std::lock_guard lock(mu_);
  if (since_checkpoint_ == 0) return Ok();
  auto last = store_.Last();
  if (!last) return Fail(last.error());
  if (!*last) return Ok();
  return CheckpointAt(**last, clock_.Now());
}

Result<std::vector<store::AuditEntryRow>> Log::Entries(const store::AuditQuery& q) {
  return store_.Query(q);
}

Status Log::CheckpointAt(const store::AuditEntryRow& last, TimePoint now) {
  store::AuditCheckpointRow c{last.seq, last.hash, FormatTime(now, true), ""};
  c.signature = Sign(secret_key_, CheckpointMessage(c.seq, c.hash, c.at));
  if (auto s = store_.InsertCheckpoint(c); !s) return s;
  since_checkpoint_ = 0;
  last_checkpoint_ = now;
  return Ok();
}

Scope::Scope(Log& log, std::function<Event()> event) : log_(log), event_(std::move(event)) {
  store_scope_.emplace([this](const std::optional<store::AuditEntryRow>& last) {
    return log_.MakeEntry(event_(), last);
  });
}

Scope::Scope(Log& log, Event event) : Scope(log, [e = std::move(event)] { return e; }) {}

Scope::~Scope() {
  if (auto s = Close(); !s) {
    // The entry is in the log; only the checkpoint that was due failed: the next one covers it.
    std::fprintf(stderr, "pdh: audit checkpoint failed: %s\n", s.error().message.c_str());
  }
}

Status Scope::Close() {
  if (!store_scope_) return Ok();
  entry_ = store_scope_->appended();
  store_scope_.reset();
  if (!entry_) return Ok();
  return log_.Counted(*entry_);
}

Result<store::AuditEntryRow> Scope::Finish() {
  if (auto s = Close(); !s) return Fail(s.error());
  if (entry_) return *entry_;
  auto appended = log_.Append(event_());
  if (appended) entry_ = *appended;
  return appended;
}

}  // namespace pdh::audit
