// Sharing with connected systems (M10): systems registered as clients, each reading (or writing)
// a dataset only under an explicit grant — its fields, masks, units, period, purposes and legal
// basis, until it expires. What a client reads comes back in three states: a value, no value
// (null), or "withheld" with the reason, never a silent null; every exchange is put on the
// audit log by the API with its purpose and the hashes of what was asked and answered.
#pragma once

#include <boost/json/array.hpp>
#include <boost/json/object.hpp>
#include <boost/json/value.hpp>

#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/date.h"
#include "core/error.h"
#include "ingest/ingest.h"
#include "store/share.h"

namespace pdh::share {

enum class ClientState { kActive, kSuspended, kRevoked };
std::string_view ClientStateName(ClientState s);  // "active" | "suspended" | "revoked"
std::optional<ClientState> ParseClientState(std::string_view s);

struct Client {
  std::string code;
  std::string name;
  std::string owner_unit;
  std::string contact;
  std::string account;  // the system account whose tokens it uses
  ClientState state = ClientState::kActive;
  std::vector<std::string> ip_allow;  // addresses or IPv4 CIDR blocks; empty: any
  std::string created_at;
  std::string created_by;
};
boost::json::object ToJson(const Client& c);

// What may stand in for a value instead of it.
enum class Mask {
  kLast4,      // the last four characters, the rest as '*' (a citizen ID: ********1234)
  kBirthYear,  // a date's year only
  kInitials,   // a name's initials: "Nguyễn Văn An" -> "N. V. A."
};
std::string_view MaskName(Mask m);  // "last4" | "birth_year" | "initials"
std::optional<Mask> ParseMask(std::string_view s);
std::string ApplyMask(Mask m, std::string_view value);

// The purposes a request may state (with a case or document reference beside it).
const std::vector<std::string>& PurposeCodes();

struct Grant {
  int64_t id = 0;
  std::string client;
  std::string dataset;
  std::vector<std::string> fields;    // granted as they are
  std::map<std::string, Mask> masks;  // granted masked
  std::string unit;                   // "" for every unit
  bool descendants = true;
  std::optional<Date> period_from;  // of the dataset's period field
  std::optional<Date> period_to;
  std::vector<std::string> purposes;
  std::string legal_basis;
  bool write = false;
  std::optional<Date> expires;  // the last day it holds
  std::string created_at;
  std::string created_by;
  bool revoked = false;

  bool Holds(Date today) const { return !revoked && (!expires || today <= *expires); }
};
boost::json::object ToJson(const Grant& g);

// A grant from its JSON form, checked against the dataset: fields and masks name fields the
// dataset has (a field is granted as it is or masked, not both), at least one purpose from
// PurposeCodes, a legal basis, dates as dates. Errors: share.invalid_grant naming the key,
// share.unknown_field naming the field.
Result<Grant> ParseGrant(const boost::json::value& v, const ingest::Dataset& d);

// How a client's read of records comes back.
struct Projection {
  std::vector<std::string> returned;            // fields with their values
  std::map<std::string, std::string> masked;    // field -> mask name
  std::map<std::string, std::string> withheld;  // field -> reason
};
// Which fields of `d` a grant returns, masks or withholds, and why: "personal" for a personal
// field (pdh:personal) not granted, "not_granted" for another.
Projection Project(const Grant& g, const ingest::Dataset& d);
// One record under the projection: returned fields as they are (null when empty), masked ones
// masked, withheld ones as {"withheld": reason}.
boost::json::object Apply(const Projection& p, const boost::json::object& record);

class Service {
 public:
  explicit Service(store::ShareStore& store) : store_(store) {}

  // Errors: share.invalid_client (code, name, owner unit, contact, account), share.client_exists.
  Status AddClient(const Client& c);
  // Errors: share.client_not_found.
  Status SetState(const std::string& code, ClientState state);
  Result<std::vector<Client>> Clients();
  // The client a system account is (nullopt when none).
  Result<std::optional<Client>> ClientOfAccount(const std::string& account);
  // Errors: share.client_not_found.
  Result<int64_t> AddGrant(const Grant& g);
  Status RevokeGrant(int64_t id);
  Result<std::vector<Grant>> Grants(const std::string& client);
  // The grant that lets `client` read (or write) `dataset` for `purpose` on `today`. Errors:
  // share.no_grant (none for the dataset, or only expired or revoked ones),
  // share.purpose_not_granted (the purpose is not among the grant's).
  Result<Grant> GrantFor(const std::string& client, const std::string& dataset,
                         const std::string& purpose, bool write, Date today);

 private:
  store::ShareStore& store_;
};

// Whether `address` (the peer's, IPv4 or IPv6 text) is allowed by the list (empty: any).
bool AddressAllowed(const std::vector<std::string>& allow, std::string_view address);

}  // namespace pdh::share
