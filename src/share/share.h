// Sharing with connected systems (M10): systems registered as clients, each reading (or writing)
// a dataset only under an explicit grant — its fields, masks, units, period, purposes and legal
// basis, until it expires. What a client reads comes back in three states: a value, no value
// (null), or "withheld" with the reason, never a silent null; every exchange is put on the
// audit log by the API with its purpose and the hashes of what was asked and answered.
#pragma once

#include <boost/json/array.hpp>
#include <boost/json/object.hpp>
#include <boost/json/value.hpp>

#include <functional>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/date.h"
#include "core/error.h"
#include "ingest/ingest.h"
#include "notify/notify.h"
#include "store/audit.h"
#include "store/settings.h"
#include "store/share.h"
#include "units/units.h"

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
  // Mutual TLS: the hex SHA-256 of the client certificate it must present with its token (when
  // pdh serves TLS with --tls-client-ca); "" asks for none.
  std::string cert_sha256;
};
boost::json::object ToJson(const Client& c);
// A certificate digest as people copy it ("AB:CD:..." or "abcd..."), lower-case hex without
// separators; nullopt when it is not 64 hex digits. "" stays "" (none asked).
std::optional<std::string> NormalizeCertDigest(std::string_view text);

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

// Whether `address` (the peer's, IPv4 or IPv6 text) is allowed by the list (empty: any).
bool AddressAllowed(const std::vector<std::string>& allow, std::string_view address);

// --- The exchange log ---------------------------------------------------------------------------

// The audit log's actions of exchanges: a system's read, its write (a batch, or another hub's
// values), a notice sent to it.
const std::vector<std::string>& ExchangeActions();  // share.read, share.write, share.notify

// One exchange as the log shows it, read from its audit entry.
struct Exchange {
  int64_t seq = 0;
  std::string at;
  std::string action;
  std::string dataset;
  std::string client;
  std::string end_user;
  std::string purpose;
  std::string case_reference;
  std::string unit;  // the grant's ("" for every unit)
  boost::json::object detail;
};
// nullopt for an entry that is no exchange (or whose detail is not an object).
std::optional<Exchange> ExchangeOf(const store::AuditEntryRow& e);
// {seq, at, action, dataset, client, end_user, purpose, case_reference, unit, grant, rows,
// fields, withheld, batch}.
boost::json::object ToJson(const Exchange& x);
// Whether the exchange concerns `unit`'s data: its grant covered every unit, or a unit above or
// below `unit`, or its dataset is owned by `unit` (`owner`, "" when none).
bool ConcernsUnit(const Exchange& x, const std::string& unit, const std::string& owner,
                  const units::Registry& registry);
// A header and a row per exchange, for CSV and XLSX.
std::vector<std::vector<std::string>> ExchangeTable(const std::vector<Exchange>& xs);

// --- Subscriptions: a connected system told by webhook when a batch lands ----------------------

struct Subscription {
  int64_t id = 0;
  std::string client;
  std::string dataset;
  std::string url;
  bool active = true;
  std::string created_at;
  std::string created_by;
};
boost::json::object ToJson(const Subscription& s);  // without the secret

// The notices of a committed batch: one message per active subscription to its dataset whose
// client is active and holds a read grant on it on `today`, to the subscription's address,
// signed with its secret; keyed "share.batch:<subscription>:<batch>" so a batch is told once.
// The body's data: {"event":"batch.committed","client","dataset","batch","rows","at"}.
std::vector<notify::Message> BatchNotices(const std::vector<store::ShareSubscriptionRow>& subs,
                                          const std::vector<Client>& clients,
                                          const std::vector<Grant>& grants,
                                          const store::BatchRow& batch, int64_t rows, Date today);

// --- Open data ----------------------------------------------------------------------------------

enum class OpenKind {
  kRecords,    // a dataset's records, its personal fields left out
  kAggregate,  // a dataset's counts per unit and month, counts below k suppressed
  kValues,     // the index set's values
};
std::string_view OpenKindName(OpenKind k);  // "records" | "aggregate" | "values"
std::optional<OpenKind> ParseOpenKind(std::string_view s);

struct Licence {
  std::string code;  // "CC-BY-4.0" (SPDX)
  std::string title;
  std::string url;
};
const std::vector<Licence>& Licences();
const Licence* FindLicence(std::string_view code);

struct OpenDataset {
  std::string id;  // 2 to 100 of [a-z0-9_-] (a CKAN package name)
  OpenKind kind = OpenKind::kRecords;
  std::string source;                   // records, aggregate: the dataset's code
  std::vector<std::string> indicators;  // values: the indicators published (empty: all)
  std::string title;
  std::string title_en;
  std::string description;
  std::string description_en;
  std::vector<std::string> keywords;
  std::string licence = "CC-BY-4.0";
  int k = 5;                      // aggregate: a count below k is published as suppressed
  std::string organization;       // the publishing unit's code (the dataset's owner, else the
  std::string organization_name;  // province) and name
  std::string issued;             // ISO 8601 UTC: first published
  std::string modified;           // the latest change of its data or description
  std::string published_by;
};
// A publication from its JSON form {kind, source, indicators, title, title_en, description,
// description_en, keywords, licence, k}. Errors: open.invalid naming the key (an id that is not
// a package name, an unknown kind or licence, a title or description missing, k below 1).
Result<OpenDataset> ParseOpenDataset(const std::string& id, const boost::json::value& v);
// The API's form: every field, the licence as {code,title,url}, organization as {code,name}.
boost::json::object ToJson(const OpenDataset& d);

// The table a publication offers: its columns and rows of text cells ("" for no value).
struct OpenColumn {
  std::string name;
  std::string title;
  std::string title_en;
  std::string type;  // Table Schema: string, integer, number, boolean, date, datetime
};
struct OpenTable {
  std::vector<OpenColumn> columns;
  std::vector<std::vector<std::string>> rows;
};
// A dataset's records as published: every field but the personal ones (pdh:personal).
std::vector<OpenColumn> RecordColumns(const ingest::Dataset& d);
std::vector<std::string> RecordCells(const std::vector<OpenColumn>& columns,
                                     const boost::json::object& record);
// Counts of a dataset's records per unit and month of its period field (the first date field
// when none is marked): unit, unit_name, month (YYYY-MM), count, suppressed; a count below k is
// left empty with suppressed "true". `unit_name` names a unit code.
struct CountKey {
  std::string unit;
  std::string month;
  bool operator<(const CountKey& o) const {
    return unit != o.unit ? unit < o.unit : month < o.month;
  }
};
OpenTable AggregateTable(const std::map<CountKey, int64_t>& counts, int k,
                         const std::function<std::string(const std::string&)>& unit_name);
// The field an aggregate counts by month: the period field, else the first date field; "" when
// the dataset has neither.
std::string MonthField(const ingest::Dataset& d);

std::string TableCsv(const OpenTable& t);
std::string TableJson(const OpenTable& t);  // an array of objects; numbers as numbers
std::string TableXlsx(const OpenTable& t, const std::string& title);

// Where the portal is and who publishes it: the base of every link in the metadata.
struct Site {
  std::string base_url;  // "https://data.tayninh.gov.vn", no trailing '/'
  std::string title;     // the catalogue's, Vietnamese and English
  std::string title_en;
  std::string description;
  std::string description_en;
  std::string publisher;       // the province's name
  std::string publisher_code;  // its unit code
};

// The portal as the settings describe it: open.base_url (else `fallback_base_url`, the address a
// request came to), open.title and open.title_en (else "Dữ liệu mở <province>"), the province as
// the publisher.
Site SiteOf(store::SettingsStore& settings, const units::Registry& registry,
            const std::string& province, const std::string& fallback_base_url);

// Fills in what a publication takes from the data: its organization (the dataset's owner unit,
// else the province) and its last change (its dataset's latest batch when later).
void Complete(OpenDataset& d, store::DatasetStore& datasets, const units::Registry& registry,
              const std::string& province);

// A Frictionless Data Package descriptor (datapackage.json) of a publication: its table as one
// CSV resource with its Table Schema, the licence, the sources.
boost::json::object DataPackage(const Site& site, const OpenDataset& d,
                                const std::vector<OpenColumn>& columns);

// DCAT-AP 3.0.1: the catalogue with its datasets (a page of them), and one dataset, in Turtle
// and JSON-LD; valid against the DCAT-AP 3.0.1 SHACL shapes. `next_page` is the URL of the next
// page ("" when none; a hydra:PartialCollectionView is added when paged).
struct CatalogPage {
  std::vector<OpenDataset> datasets;
  std::string this_page;
  std::string next_page;
  int64_t total = 0;
};
std::string CatalogTurtle(const Site& site, const CatalogPage& page);
boost::json::value CatalogJsonLd(const Site& site, const CatalogPage& page);
std::string DatasetTurtle(const Site& site, const OpenDataset& d);

// CKAN's Action API (2.10) shapes: a package (with its resources and organization), an
// organization, and the envelope {"help","success","result"} or {"help","success":false,
// "error":{"__type","message"}}.
boost::json::object CkanPackage(const Site& site, const OpenDataset& d,
                                const std::vector<OpenColumn>& columns);
boost::json::object CkanOrganization(const Site& site, const std::string& code,
                                     const std::string& name, int64_t packages);
std::string CkanSuccess(const Site& site, const std::string& action, boost::json::value result);
// __type: "Not Found Error" (404), "Validation Error" (409), "Authorization Error" (403).
std::string CkanError(const Site& site, const std::string& action, const std::string& type,
                      const boost::json::object& detail);

// package_search: q (words, diacritic-insensitive, over title, description, keywords, id), fq
// (space-separated clauses field:value — organization:, tags:, res_format:, license_id:, name:,
// and metadata_modified:[FROM TO *]/[* TO TO]), sort ("metadata_modified desc", "name asc",
// "title_string asc", "score desc"), rows (default 10, at most 1000), start. Errors:
// ckan.validation naming the parameter.
struct PackageSearch {
  std::string q;
  std::vector<std::pair<std::string, std::string>> fq;
  std::string sort = "score desc, metadata_modified desc";
  int64_t rows = 10;
  int64_t start = 0;
};
Result<PackageSearch> ParsePackageSearch(const std::map<std::string, std::string>& params);
// The matching publications in order: {count, results (packages), sort, facets: {},
// search_facets: {}}.
boost::json::object SearchPackages(
    const Site& site, const PackageSearch& s, const std::vector<OpenDataset>& all,
    const std::function<std::vector<OpenColumn>(const OpenDataset&)>& columns_of);

// datastore_search over a publication's table: resource_id, filters (a JSON object
// column -> value or list), q (text anywhere in a row, or a JSON object column -> text),
// limit (default 100, at most 32000), offset, fields (comma-separated), sort ("col asc, col2
// desc"), include_total. Answers CKAN's result: {resource_id, fields [{id,type}], records,
// total, limit, offset, _links {start, next}}. Errors: ckan.validation naming the parameter.
Result<boost::json::object> DatastoreSearch(const std::string& resource_id, const OpenTable& t,
                                            const std::map<std::string, std::string>& params);

class Service {
 public:
  explicit Service(store::ShareStore& store) : store_(store) {}

  // Errors: share.invalid_client (code, name, owner unit, contact, account), share.client_exists.
  Status AddClient(const Client& c);
  // Errors: share.client_not_found.
  Status SetState(const std::string& code, ClientState state);
  // Errors: share.client_not_found, share.invalid_client (not a SHA-256 digest).
  Status SetCertificate(const std::string& code, const std::string& sha256);
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

  // A new subscription and the secret its notices are signed with (shown once). Errors:
  // share.client_not_found, share.invalid_subscription (an address that is not http(s)://).
  Result<std::pair<Subscription, std::string>> Subscribe(Subscription s);
  Result<std::vector<Subscription>> Subscriptions(const std::string& client);
  Status EndSubscription(int64_t id);
  // The notices of a batch just committed (see BatchNotices).
  Result<std::vector<notify::Message>> NoticesOf(const store::BatchRow& batch, int64_t rows,
                                                 Date today);

  // Publishes `d` (replacing what is published under its id; issued kept).
  Status Publish(const OpenDataset& d);
  Status Unpublish(const std::string& id);  // Errors: open.not_found.
  Result<std::vector<OpenDataset>> Published();
  Result<std::optional<OpenDataset>> FindPublished(const std::string& id);

 private:
  store::ShareStore& store_;
};

// --- Federation: one hub sends indicator values to another -----------------------------------

// The grants of a system that sends (write) or reads (read) indicator values are on this name,
// as on a dataset without fields.
inline constexpr const char* kIndicatorSet = "indicators";
ingest::Dataset IndicatorSetDataset();

// Where this hub sends its values: another pdh's address, the token of the connected system this
// hub is there, the indicators sent (empty: those of the open "values" publications, all of the
// index set when one publishes them all), and how often (minutes; 0: only when asked).
struct FederationTarget {
  std::string url;
  std::string token;
  std::vector<std::string> indicators;
  int64_t every_minutes = 1440;
};
// From {"url","token","indicators","every_minutes"}. Errors: share.invalid_federation.
Result<FederationTarget> ParseFederationTarget(const boost::json::value& v);
boost::json::object ToJson(const FederationTarget& t);  // the token left out ("token_set")

// One value as hubs exchange it: official codes, the period's id ("2025-10", "2025Q3", "2025").
struct FederatedValue {
  std::string indicator;
  std::string indicator_name;
  std::string unit;
  std::string unit_name;
  std::string period;
  std::optional<double> value;
};
// The body a hub sends: {"source": its province's code, "sent_at", "values": [...]}.
std::string FederationBody(const std::string& source, const std::string& sent_at,
                           const std::vector<FederatedValue>& values);
// What a receiving hub keeps of a body, from `client` (the sending system's code). Errors:
// share.invalid_federation naming the value at fault (at most 50,000 values in one body).
Result<std::vector<store::FederatedValueRow>> ReadFederationBody(const boost::json::value& body,
                                                                 const std::string& client,
                                                                 const std::string& received_at);

// The demo province's sharing (see demo.cc): two connected systems using the accounts below,
// three grants, and three open datasets; the datasets "dossiers" and "feedback_1022" exist.
inline constexpr const char* kDemoProcedureAccount = "he-thong-tthc";
inline constexpr const char* kDemoPortalAccount = "cong-thong-tin";
struct DemoSummary {
  int64_t clients = 0;
  int64_t grants = 0;
  int64_t open = 0;
};
Result<DemoSummary> GenerateDemo(store::ShareStore& store, const std::string& province,
                                 const std::string& at);

}  // namespace pdh::share
