// The store's sharing area (M10): the connected systems (clients) and what each is granted.
//
// Thread-safety: all methods are thread-safe (see store/store.h).
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "core/error.h"

namespace pdh::store {

struct ShareClientRow {
  std::string code;  // [a-z0-9_.-]+
  std::string name;
  std::string owner_unit;
  std::string contact;
  std::string account;           // the system account whose tokens the client uses
  std::string state = "active";  // "active" | "suspended" | "revoked"
  std::string ip_allow;          // JSON array of addresses or CIDR blocks ("[]": any)
  std::string created_at;
  std::string created_by;
  std::string cert_sha256;  // mutual TLS: its client certificate's hex SHA-256 ("" none asked)
};

struct ShareGrantRow {
  int64_t id = 0;
  std::string client;
  std::string dataset;
  std::string fields;  // JSON array of field names
  std::string masks;   // JSON object: field -> mask
  std::string unit;    // "" for every unit
  bool descendants = true;
  std::string period_from;  // "" or YYYY-MM-DD
  std::string period_to;
  std::string purposes;  // JSON array of purpose codes
  std::string legal_basis;
  std::string access = "read";  // "read" | "write"
  std::string expires_at;       // ISO date; "" never
  std::string created_at;
  std::string created_by;
  bool revoked = false;
};

// A connected system told by webhook when a batch lands in a dataset.
struct ShareSubscriptionRow {
  int64_t id = 0;
  std::string client;
  std::string dataset;
  std::string url;
  std::string secret;  // the HMAC-SHA256 key its notices are signed with
  bool active = true;
  std::string created_at;
  std::string created_by;
};

// What is published as open data: a dataset's records, its counts per unit and month, or the
// index set's values. `content` is the publication's description (JSON object text).
struct OpenDatasetRow {
  std::string id;
  std::string kind;    // "records" | "aggregate" | "values"
  std::string source;  // the dataset's code ("" for values)
  std::string content;
  std::string issued_at;
  std::string modified_at;
  std::string published_by;
};

// An indicator value another hub sent (federation).
struct FederatedValueRow {
  std::string source;  // the sending hub (its connected system's code)
  std::string indicator;
  std::string unit;  // official unit code
  std::string period;
  std::optional<double> value;
  std::string indicator_name;
  std::string unit_name;
  std::string sent_at;
  std::string received_at;
};

struct FederatedCounts {
  int64_t inserted = 0;
  int64_t updated = 0;
  int64_t unchanged = 0;
};

class ShareStore {
 public:
  virtual ~ShareStore() = default;
  // Errors: share.client_exists.
  virtual Status InsertClient(const ShareClientRow& row) = 0;
  // Errors: share.client_not_found.
  virtual Status SetClientState(const std::string& code, const std::string& state) = 0;
  // Errors: share.client_not_found.
  virtual Status SetClientCertificate(const std::string& code, const std::string& sha256) = 0;
  virtual Result<std::vector<ShareClientRow>> Clients() = 0;
  // Returns the new grant's id.
  virtual Result<int64_t> InsertGrant(const ShareGrantRow& row) = 0;
  // Errors: share.grant_not_found.
  virtual Status RevokeGrant(int64_t id) = 0;
  // The client's grants (every client's when `client` is ""), revoked ones included, by id.
  virtual Result<std::vector<ShareGrantRow>> Grants(const std::string& client) = 0;

  // Returns the new subscription's id.
  virtual Result<int64_t> InsertSubscription(const ShareSubscriptionRow& row) = 0;
  // Ends a subscription (kept, inactive). Errors: share.subscription_not_found.
  virtual Status EndSubscription(int64_t id) = 0;
  // The client's subscriptions (every client's when ""), ended ones included, by id.
  virtual Result<std::vector<ShareSubscriptionRow>> Subscriptions(const std::string& client) = 0;

  // Publishes, or changes what is published under the id (issued_at kept).
  virtual Status PutOpenDataset(const OpenDatasetRow& row) = 0;
  // Errors: open.not_found.
  virtual Status DeleteOpenDataset(const std::string& id) = 0;
  // Every publication, by id.
  virtual Result<std::vector<OpenDatasetRow>> OpenDatasets() = 0;

  // Keeps each value by (source, indicator, unit, period), in one transaction: new ones
  // inserted, changed ones updated, equal ones left (received_at too), so sending twice changes
  // nothing.
  virtual Result<FederatedCounts> PutFederatedValues(
      const std::vector<FederatedValueRow>& rows) = 0;
  // The values received from `source` ("" every source) for `indicator` ("" every one), by
  // source, indicator, unit, period; at most `limit`.
  virtual Result<std::vector<FederatedValueRow>> FederatedValues(const std::string& source,
                                                                 const std::string& indicator,
                                                                 int64_t limit) = 0;
};

}  // namespace pdh::store
