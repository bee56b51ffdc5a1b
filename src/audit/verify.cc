// Checking the audit log offline (the hash chain and the signed checkpoints), exporting it for
// an outside verifier, and pruning it to the retention period without breaking verifiability.
#include <sodium.h>

#include <boost/json/object.hpp>
#include <boost/json/serialize.hpp>

#include <algorithm>
#include <map>
#include <utility>

#include "audit/audit.h"
#include "audit/internal.h"

namespace pdh::audit {
namespace {

using store::AuditCheckpointRow;
using store::AuditEntryRow;

// How far from its position a moved entry is looked for; farther moves read as changes.
constexpr int64_t kMoveSearch = 1024;

struct Finding {
  int64_t seq = 0;
  std::string problem;
};

std::string Entry(int64_t seq) {
  return "entry " + std::to_string(seq);
}

// The first of `a` and `b` by seq.
std::optional<Finding> First(std::optional<Finding> a, std::optional<Finding> b) {
  if (!a) return b;
  if (!b) return a;
  return b->seq < a->seq ? b : a;
}

// Walks the entries in seq order and keeps the first place where the chain breaks. An entry
// whose hash does not match is diagnosed once the entry after it is seen, because the two
// together tell a swap from a deletion or an insertion whose later entries were renumbered.
class ChainWalk {
 public:
  ChainWalk(const std::map<int64_t, AuditCheckpointRow>& signed_checkpoints, int64_t max_seq)
      : checkpoints_(signed_checkpoints), max_seq_(max_seq) {}

  void Visit(const AuditEntryRow& e) {
    ++entries_;
    if (suspect_) {
      Diagnose(*suspect_, &e);
      suspect_.reset();
    }
    if (finding_) return;
    if (EntryHash(e) != e.hash) {
      suspect_ = e;
      finding_ = Finding{e.seq, ""};  // filled in by Diagnose
      return;
    }
    finding_ = prev_ ? CheckLink(*prev_, e) : CheckStart(e);
    if (!finding_) finding_ = CheckCheckpoint(e);
    prev_ = e;
  }

  // The first problem, once every entry has been visited.
  std::optional<Finding> Finish() {
    if (suspect_) Diagnose(*suspect_, nullptr);
    if (!finding_) finding_ = CheckTruncation();
    return finding_;
  }

  int64_t entries() const { return entries_; }

 private:
  // The first entry left must start the chain, or continue from a signed checkpoint (the log
  // was pruned up to it).
  std::optional<Finding> CheckStart(const AuditEntryRow& e) const {
    if (e.seq == 1) {
      if (e.prev_hash == kZeroHash) return std::nullopt;
      return Finding{1, Entry(1) + " does not start the chain: its previous hash is not zero"};
    }
    auto cp = checkpoints_.find(e.seq - 1);
    if (cp != checkpoints_.end() && cp->second.hash == e.prev_hash) return std::nullopt;
    return Finding{e.seq - 1, Entry(e.seq - 1) +
                                  " is missing (deleted), and no signed checkpoint at it vouches "
                                  "for the previous hash of " +
                                  Entry(e.seq) + ", where the log now starts"};
  }

  static std::optional<Finding> CheckLink(const AuditEntryRow& prev, const AuditEntryRow& e) {
    if (e.seq > prev.seq + 1) {
      const int64_t missing = prev.seq + 1;
      return Finding{missing, e.seq == missing + 1
                                  ? Entry(missing) + " is missing (deleted)"
                                  : "entries " + std::to_string(missing) + " to " +
                                        std::to_string(e.seq - 1) + " are missing (deleted)"};
    }
    if (e.prev_hash != prev.hash) {
      return Finding{e.seq, Entry(e.seq) + " does not follow " + Entry(prev.seq) +
                                ": its previous hash differs, so " + Entry(prev.seq) +
                                " was rewritten or an entry between them was deleted or inserted"};
    }
    return std::nullopt;
  }

  std::optional<Finding> CheckCheckpoint(const AuditEntryRow& e) const {
    auto cp = checkpoints_.find(e.seq);
    if (cp == checkpoints_.end() || cp->second.hash == e.hash) return std::nullopt;
    return Finding{e.seq, Entry(e.seq) +
                              " differs from the signed checkpoint at it: it was "
                              "rewritten (with its hash recomputed)"};
  }

  // Entries removed from the end leave signed checkpoints beyond the last entry.
  std::optional<Finding> CheckTruncation() const {
    if (checkpoints_.empty()) return std::nullopt;
    const int64_t covered = checkpoints_.rbegin()->first;
    const int64_t last = prev_ ? prev_->seq : 0;
    if (covered <= last) return std::nullopt;
    return Finding{last + 1, "entries " + std::to_string(last + 1) + " to " +
                                 std::to_string(covered) +
                                 " are missing (deleted): a signed checkpoint covers them"};
  }

  // The position whose hash `e` carries when that is not its own (it was moved there).
  std::optional<int64_t> MovedFrom(const AuditEntryRow& e) const {
    AuditEntryRow probe = e;
    for (int64_t d = 1; d <= kMoveSearch; ++d) {
      for (int64_t seq : {e.seq + d, e.seq - d}) {
        if (seq < 1 || seq > max_seq_) continue;
        probe.seq = seq;
        if (EntryHash(probe) == e.hash) return seq;
      }
    }
    return std::nullopt;
  }

  // Where the contents of `e` belong: its own position, another one, or none (changed).
  std::optional<int64_t> Origin(const AuditEntryRow& e) const {
    return EntryHash(e) == e.hash ? std::optional<int64_t>(e.seq) : MovedFrom(e);
  }

  void Diagnose(const AuditEntryRow& s, const AuditEntryRow* next) {
    const auto moved = MovedFrom(s);
    const auto next_origin = next ? Origin(*next) : std::nullopt;
    const std::string at = Entry(s.seq);
    if (moved && *moved < s.seq) {
      finding_ = Finding{*moved, Entry(*moved) +
                                     " was inserted: the entries after it were "
                                     "renumbered (" +
                                     at + " holds what was " + Entry(*moved) + ")"};
    } else if (moved && next_origin == s.seq) {
      finding_ = Finding{s.seq, at + " and " + Entry(*moved) + " were swapped (moved)"};
    } else if (moved && next_origin == *moved + 1) {
      finding_ = Finding{s.seq, at + " is missing (deleted): the entries after it were "
                                     "renumbered"};
    } else if (moved) {
      finding_ = Finding{
          s.seq, at + " holds the entry that belongs at " + std::to_string(*moved) + " (moved)"};
    } else if (next_origin == s.seq) {
      finding_ = Finding{s.seq, at + " was inserted: the entries after it were renumbered"};
    } else {
      finding_ = Finding{s.seq, at + " was changed: its contents no longer match its hash"};
    }
  }

  const std::map<int64_t, AuditCheckpointRow>& checkpoints_;
  int64_t max_seq_;
  int64_t entries_ = 0;
  std::optional<AuditEntryRow> prev_;
  std::optional<AuditEntryRow> suspect_;
  std::optional<Finding> finding_;
};

// The public key to check signatures with: the auditor's own copy, else the recorded one.
Result<std::optional<std::string>> PublicKey(store::AuditStore& store,
                                             const std::optional<std::string>& given) {
  std::optional<std::string> hex = given;
  if (!hex) {
    auto recorded = store.PublicKey();
    if (!recorded) return Fail(recorded.error());
    hex = *recorded;
  }
  if (!hex) return std::optional<std::string>();
  auto key = FromHex(*hex, crypto_sign_PUBLICKEYBYTES);
  if (!key) {
    return Fail(Error::Invalid("audit.invalid_public_key",
                               "the audit public key must be " +
                                   std::to_string(crypto_sign_PUBLICKEYBYTES * 2) + " hex digits"));
  }
  return key;
}

}  // namespace

boost::json::object EntryJson(const AuditEntryRow& e) {
  return {{"seq", e.seq},
          {"at", e.at},
          {"actor", e.actor},
          {"action", e.action},
          {"target", e.target},
          {"remote", e.remote},
          {"request_id", e.request_id},
          {"detail", DetailValue(e.detail)},
          {"prev_hash", e.prev_hash},
          {"hash", e.hash}};
}

namespace {

boost::json::object CheckpointJson(const AuditCheckpointRow& c) {
  return {{"seq", c.seq}, {"hash", c.hash}, {"at", c.at}, {"signature", c.signature}};
}

}  // namespace

Result<VerifyReport> Verify(store::AuditStore& store,
                            const std::optional<std::string>& public_key_hex) {
  if (auto s = InitSodium(); !s) return Fail(s.error());
  auto key = PublicKey(store, public_key_hex);
  if (!key) return Fail(key.error());
  auto checkpoints = store.Checkpoints();
  if (!checkpoints) return Fail(checkpoints.error());
  if (!checkpoints->empty() && !*key) {
    return Fail(Error::NotFound("audit.no_public_key",
                                "no audit public key is recorded in this database: give the "
                                "auditor's copy of the key to verify the checkpoints"));
  }
  auto last = store.Last();
  if (!last) return Fail(last.error());

  // Only checkpoints with a valid signature vouch for anything.
  std::optional<Finding> bad_signature;
  std::map<int64_t, AuditCheckpointRow> signed_checkpoints;
  for (const auto& c : *checkpoints) {
    if (SignatureValid(**key, CheckpointMessage(c.seq, c.hash, c.at), c.signature)) {
      signed_checkpoints.emplace(c.seq, c);
    } else if (!bad_signature) {
      bad_signature = Finding{c.seq, "the checkpoint at entry " + std::to_string(c.seq) +
                                         " has an invalid signature: it was forged or altered, or "
                                         "the public key is not this log's"};
    }
  }

  ChainWalk walk(signed_checkpoints, *last ? (*last)->seq : 0);
  auto s = store.ForEach([&walk](const AuditEntryRow& e) -> Status {
    walk.Visit(e);
    return Ok();
  });
  if (!s) return Fail(s.error());

  VerifyReport report;
  report.entries = walk.entries();
  report.checkpoints = static_cast<int64_t>(checkpoints->size());
  if (auto f = First(bad_signature, walk.Finish())) {
    report.first_bad_seq = f->seq;
    report.problem = std::move(f->problem);
  } else {
    report.ok = true;
  }
  return report;
}

Result<VerifyReport> Log::Verify() {
  return audit::Verify(store_);
}

Status Export(store::AuditStore& store, std::ostream& out) {
  auto key = store.PublicKey();
  if (!key) return Fail(key.error());
  boost::json::object header{
      {"format", "pdh-audit-1"},
      {"public_key", *key ? boost::json::value(**key) : boost::json::value(nullptr)},
      {"hash", "sha256"},
      {"canonical",
       "hash = hex sha256(prev_hash + \"\\n\" + compact JSON [seq,at,actor,action,target,remote,"
       "request_id,detail]); the first prev_hash is 64 zeros"},
      {"signature", "ed25519"},
      {"checkpoint_message", "pdh-audit-checkpoint\\n<seq>\\n<hash>\\n<at>"}};
  out << boost::json::serialize(header) << '\n';
  auto s = store.ForEach([&out](const AuditEntryRow& e) -> Status {
    out << boost::json::serialize(boost::json::object{{"entry", EntryJson(e)}}) << '\n';
    return Ok();
  });
  if (!s) return s;
  auto checkpoints = store.Checkpoints();
  if (!checkpoints) return Fail(checkpoints.error());
  for (const auto& c : *checkpoints) {
    out << boost::json::serialize(boost::json::object{{"checkpoint", CheckpointJson(c)}}) << '\n';
  }
  if (!out) return Fail(Error::Internal("audit.export_failed", "could not write the export"));
  return Ok();
}

Result<int64_t> Prune(store::AuditStore& store, const Clock& clock, std::chrono::days keep) {
  constexpr std::chrono::days kMinimum{90};
  if (keep < kMinimum) {
    return Fail(Error::Invalid("audit.retention_too_short", "audit entries must be kept at least " +
                                                                std::to_string(kMinimum.count()) +
                                                                " days, not " +
                                                                std::to_string(keep.count())));
  }
  // Pruning a tampered log would destroy the evidence.
  auto report = Verify(store);
  if (!report) return Fail(report.error());
  if (!report->ok) {
    return Fail(Error::Conflict("audit.verify_failed",
                                "the audit log does not verify (" + report->problem +
                                    "): investigate before pruning; nothing was deleted"));
  }
  auto last = store.Last();
  if (!last) return Fail(last.error());
  auto checkpoints = store.Checkpoints();
  if (!checkpoints) return Fail(checkpoints.error());
  if (!*last) return 0;
  // The newest checkpoint signed before the cutoff covers only older entries. The last entry
  // always stays, so the next append still has an entry to chain from.
  const std::string cutoff = FormatTime(clock.Now() - keep, true);
  auto cut = std::find_if(checkpoints->rbegin(), checkpoints->rend(),
                          [&](const auto& c) { return c.at < cutoff && c.seq < (*last)->seq; });
  if (cut == checkpoints->rend()) return 0;
  return store.Prune(cut->seq);
}

}  // namespace pdh::audit
