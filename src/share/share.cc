// Connected systems, their grants, and what a grant returns of a record.
#include "share/share.h"

#include <arpa/inet.h>
#include <sodium.h>
#include <cctype>

#include <algorithm>
#include <boost/json.hpp>
#include <set>

#include "core/json_util.h"
#include "core/text.h"

namespace pdh::share {
namespace json = boost::json;
namespace {

Error InvalidGrant(const std::string& what) {
  return Error::Invalid("share.invalid_grant", what);
}

std::vector<std::string> StringList(const std::string& text) {
  std::vector<std::string> out;
  boost::system::error_code ec;
  auto v = json::parse(text, ec);
  if (ec || !v.is_array()) return out;
  for (const auto& x : v.as_array()) {
    if (x.is_string()) out.emplace_back(x.as_string());
  }
  return out;
}

std::optional<Date> OptionalDate(const std::string& s) {
  return s.empty() ? std::nullopt : Date::Parse(s);
}

Client FromRow(const store::ShareClientRow& r) {
  return Client{r.code,
                r.name,
                r.owner_unit,
                r.contact,
                r.account,
                ParseClientState(r.state).value_or(ClientState::kSuspended),
                StringList(r.ip_allow),
                r.created_at,
                r.created_by,
                r.cert_sha256};
}

Grant FromRow(const store::ShareGrantRow& r) {
  Grant g;
  g.id = r.id;
  g.client = r.client;
  g.dataset = r.dataset;
  g.fields = StringList(r.fields);
  boost::system::error_code ec;
  auto masks = json::parse(r.masks, ec);
  if (!ec && masks.is_object()) {
    for (const auto& [field, mask] : masks.as_object()) {
      if (!mask.is_string()) continue;
      if (auto m = ParseMask(mask.as_string())) g.masks[std::string(field)] = *m;
    }
  }
  g.unit = r.unit;
  g.descendants = r.descendants;
  g.period_from = OptionalDate(r.period_from);
  g.period_to = OptionalDate(r.period_to);
  g.purposes = StringList(r.purposes);
  g.legal_basis = r.legal_basis;
  g.write = r.access == "write";
  g.expires = OptionalDate(r.expires_at);
  g.created_at = r.created_at;
  g.created_by = r.created_by;
  g.revoked = r.revoked;
  return g;
}

// Reads an IPv4 address to its 32 bits.
std::optional<uint32_t> Ipv4(std::string_view text) {
  in_addr a{};
  const std::string s(text);
  if (inet_pton(AF_INET, s.c_str(), &a) != 1) return std::nullopt;
  return ntohl(a.s_addr);
}

}  // namespace

std::string_view ClientStateName(ClientState s) {
  switch (s) {
    case ClientState::kActive:
      return "active";
    case ClientState::kSuspended:
      return "suspended";
    case ClientState::kRevoked:
      return "revoked";
  }
  return "revoked";
}

std::optional<ClientState> ParseClientState(std::string_view s) {
  if (s == "active") return ClientState::kActive;
  if (s == "suspended") return ClientState::kSuspended;
  if (s == "revoked") return ClientState::kRevoked;
  return std::nullopt;
}

json::object ToJson(const Client& c) {
  return {{"code", c.code},
          {"name", c.name},
          {"owner_unit", c.owner_unit},
          {"contact", c.contact},
          {"account", c.account},
          {"state", ClientStateName(c.state)},
          {"ip_allow", json_util::Strings(c.ip_allow)},
          {"created_at", c.created_at},
          {"created_by", c.created_by},
          {"cert_sha256", c.cert_sha256}};
}

std::optional<std::string> NormalizeCertDigest(std::string_view text) {
  std::string out;
  for (char ch : text) {
    if (ch == ':' || ch == ' ') continue;
    if (!std::isxdigit(static_cast<unsigned char>(ch))) return std::nullopt;
    out += static_cast<char>(std::tolower(static_cast<unsigned char>(ch)));
  }
  if (!out.empty() && out.size() != 64) return std::nullopt;
  return out;
}

std::string_view MaskName(Mask m) {
  switch (m) {
    case Mask::kLast4:
      return "last4";
    case Mask::kBirthYear:
      return "birth_year";
    case Mask::kInitials:
      return "initials";
  }
  return "last4";
}

std::optional<Mask> ParseMask(std::string_view s) {
  if (s == "last4") return Mask::kLast4;
  if (s == "birth_year") return Mask::kBirthYear;
  if (s == "initials") return Mask::kInitials;
  return std::nullopt;
}

std::string ApplyMask(Mask m, std::string_view value) {
  switch (m) {
    case Mask::kLast4: {
      // Characters, not bytes: a name or a code with diacritics keeps whole letters.
      std::vector<std::string_view> chars;
      for (size_t i = 0; i < value.size();) {
        size_t n = 1;
        while (i + n < value.size() && (static_cast<unsigned char>(value[i + n]) & 0xC0) == 0x80) {
          ++n;
        }
        chars.push_back(value.substr(i, n));
        i += n;
      }
      std::string out;
      for (size_t i = 0; i < chars.size(); ++i) {
        if (i + 4 < chars.size()) {
          out += '*';
        } else {
          out += chars[i];
        }
      }
      return out;
    }
    case Mask::kBirthYear:
      if (auto d = Date::Parse(value.substr(0, std::min<size_t>(value.size(), 10)))) {
        return std::to_string(d->year);
      }
      return value.size() >= 4 ? std::string(value.substr(0, 4)) : "";
    case Mask::kInitials: {
      std::string out;
      bool start = true;
      for (size_t i = 0; i < value.size();) {
        size_t n = 1;
        while (i + n < value.size() && (static_cast<unsigned char>(value[i + n]) & 0xC0) == 0x80) {
          ++n;
        }
        const std::string_view c = value.substr(i, n);
        if (c == " ") {
          start = true;
        } else if (start) {
          if (!out.empty()) out += ' ';
          out += c;
          out += '.';
          start = false;
        }
        i += n;
      }
      return out;
    }
  }
  return "";
}

const std::vector<std::string>& PurposeCodes() {
  // Why a system asks: the purposes the province's sharing rules name.
  static const std::vector<std::string> kCodes = {
      "administrative_procedure",  // giải quyết thủ tục hành chính
      "public_service",            // cung cấp dịch vụ công
      "statistics",                // thống kê, báo cáo
      "inspection",                // thanh tra, kiểm tra
      "planning",                  // xây dựng chính sách, quy hoạch
      "research",                  // nghiên cứu
      "open_data",                 // công bố dữ liệu mở
  };
  return kCodes;
}

json::object ToJson(const Grant& g) {
  json::object masks;
  for (const auto& [field, m] : g.masks) masks[field] = MaskName(m);
  return {{"id", g.id},
          {"client", g.client},
          {"dataset", g.dataset},
          {"fields", json_util::Strings(g.fields)},
          {"masks", std::move(masks)},
          {"unit", g.unit.empty() ? json::value(nullptr) : json::value(g.unit)},
          {"descendants", g.descendants},
          {"period_from", json_util::OptDate(g.period_from)},
          {"period_to", json_util::OptDate(g.period_to)},
          {"purposes", json_util::Strings(g.purposes)},
          {"legal_basis", g.legal_basis},
          {"access", g.write ? "write" : "read"},
          {"expires", json_util::OptDate(g.expires)},
          {"created_at", g.created_at},
          {"created_by", g.created_by},
          {"revoked", g.revoked}};
}

Result<Grant> ParseGrant(const json::value& v, const ingest::Dataset& d) {
  const auto* o = v.if_object();
  if (o == nullptr) return Fail(InvalidGrant("a grant is a JSON object"));
  static const std::set<std::string> kKeys = {"fields",      "masks",     "unit",     "descendants",
                                              "period_from", "period_to", "purposes", "legal_basis",
                                              "access",      "expires"};
  for (const auto& [key, value] : *o) {
    if (!kKeys.count(std::string(key))) {
      return Fail(InvalidGrant("unknown key '" + std::string(key) + "' in the grant"));
    }
  }
  Grant g;
  g.dataset = d.row.code;
  auto has_field = [&d](const std::string& name) {
    return std::any_of(d.schema.fields.begin(), d.schema.fields.end(),
                       [&name](const ingest::Field& f) { return f.name == name; });
  };
  auto unknown = [&d](const std::string& name) {
    return Error::Invalid("share.unknown_field",
                          "dataset " + d.row.code + " has no field '" + name + "'");
  };
  if (const auto* f = o->if_contains("fields")) {
    if (!f->is_array()) return Fail(InvalidGrant("fields is a list of field names"));
    for (const auto& x : f->as_array()) {
      if (!x.is_string()) return Fail(InvalidGrant("fields is a list of field names"));
      const std::string name(x.as_string());
      if (!has_field(name)) return Fail(unknown(name));
      g.fields.push_back(name);
    }
  }
  if (const auto* m = o->if_contains("masks")) {
    if (!m->is_object()) return Fail(InvalidGrant("masks maps a field to a mask"));
    for (const auto& [field, mask] : m->as_object()) {
      const std::string name(field);
      if (!has_field(name)) return Fail(unknown(name));
      const auto parsed = mask.is_string() ? ParseMask(mask.as_string()) : std::nullopt;
      if (!parsed) {
        return Fail(InvalidGrant("masks." + name + " is last4, birth_year or initials"));
      }
      if (std::find(g.fields.begin(), g.fields.end(), name) != g.fields.end()) {
        return Fail(InvalidGrant("field '" + name + "' is granted both as it is and masked"));
      }
      g.masks[name] = *parsed;
    }
  }
  // The index set has no fields: its grant gives its values.
  if (g.fields.empty() && g.masks.empty() && !d.schema.fields.empty()) {
    return Fail(InvalidGrant("a grant names the fields it gives (fields, masks)"));
  }
  if (const auto* u = o->if_contains("unit"); u != nullptr && !u->is_null()) {
    if (!u->is_string()) return Fail(InvalidGrant("unit is a unit's code"));
    g.unit = std::string(u->as_string());
  }
  if (const auto* ds = o->if_contains("descendants")) {
    if (!ds->is_bool()) return Fail(InvalidGrant("descendants is true or false"));
    g.descendants = ds->as_bool();
  }
  auto date = [o](const char* key, std::optional<Date>& out) -> Status {
    const auto* x = o->if_contains(key);
    if (x == nullptr || x->is_null()) return Ok();
    const auto parsed = x->is_string() ? Date::Parse(x->as_string()) : std::nullopt;
    if (!parsed) return Fail(InvalidGrant(std::string(key) + " is a date (YYYY-MM-DD)"));
    out = parsed;
    return Ok();
  };
  for (auto [key, out] : {std::pair{"period_from", &g.period_from},
                          std::pair{"period_to", &g.period_to}, std::pair{"expires", &g.expires}}) {
    if (auto s = date(key, *out); !s) return Fail(s.error());
  }
  const auto* p = o->if_contains("purposes");
  if (p == nullptr || !p->is_array() || p->as_array().empty()) {
    return Fail(InvalidGrant("purposes lists why the system may read (" +
                             json::serialize(json_util::Strings(PurposeCodes())) + ")"));
  }
  for (const auto& x : p->as_array()) {
    const std::string code = x.is_string() ? std::string(x.as_string()) : "";
    const auto& codes = PurposeCodes();
    if (std::find(codes.begin(), codes.end(), code) == codes.end()) {
      return Fail(InvalidGrant("purpose '" + code + "' is not one of " +
                               json::serialize(json_util::Strings(codes))));
    }
    g.purposes.push_back(code);
  }
  const auto* basis = o->if_contains("legal_basis");
  if (basis == nullptr || !basis->is_string() || text::CollapseSpaces(basis->as_string()).empty()) {
    return Fail(InvalidGrant("legal_basis names the text that allows the sharing"));
  }
  g.legal_basis = std::string(basis->as_string());
  if (const auto* a = o->if_contains("access")) {
    if (!a->is_string() || (a->as_string() != "read" && a->as_string() != "write")) {
      return Fail(InvalidGrant("access is read or write"));
    }
    g.write = a->as_string() == "write";
  }
  return g;
}

Projection Project(const Grant& g, const ingest::Dataset& d) {
  Projection p;
  for (const auto& f : d.schema.fields) {
    if (std::find(g.fields.begin(), g.fields.end(), f.name) != g.fields.end()) {
      p.returned.push_back(f.name);
    } else if (auto m = g.masks.find(f.name); m != g.masks.end()) {
      p.masked[f.name] = std::string(MaskName(m->second));
    } else {
      p.withheld[f.name] = f.personal ? "personal" : "not_granted";
    }
  }
  return p;
}

json::object Apply(const Projection& p, const json::object& record) {
  json::object out;
  auto value = [&record](const std::string& field) {
    const auto* v = record.if_contains(field);
    if (v == nullptr || (v->is_string() && v->as_string().empty())) return json::value(nullptr);
    return *v;
  };
  for (const auto& f : p.returned) out[f] = value(f);
  for (const auto& [f, mask] : p.masked) {
    const json::value v = value(f);
    if (v.is_null()) {
      out[f] = nullptr;
    } else {
      const std::string text = v.is_string() ? std::string(v.as_string()) : json::serialize(v);
      out[f] = ApplyMask(*ParseMask(mask), text);
    }
  }
  for (const auto& [f, reason] : p.withheld) out[f] = json::object{{"withheld", reason}};
  return out;
}

Status Service::AddClient(const Client& c) {
  auto bad = [](const std::string& what) {
    return Fail(Error::Invalid("share.invalid_client", what));
  };
  if (c.code.empty() || c.code.size() > 64 ||
      c.code.find_first_not_of("abcdefghijklmnopqrstuvwxyz0123456789_.-") != std::string::npos) {
    return bad("code is 1–64 lower-case letters, digits, '_', '.' or '-'");
  }
  if (text::CollapseSpaces(c.name).empty()) return bad("name says what the system is");
  if (c.owner_unit.empty()) return bad("owner_unit is the unit that runs the system");
  if (text::CollapseSpaces(c.contact).empty()) return bad("contact names who answers for it");
  if (c.account.empty()) return bad("account is the system account whose tokens it uses");
  for (const auto& a : c.ip_allow) {
    const std::string host = a.substr(0, a.find('/'));
    in6_addr v6{};
    if (!Ipv4(host) && inet_pton(AF_INET6, host.c_str(), &v6) != 1) {
      return bad("ip_allow: '" + a + "' is not an address or an IPv4 block");
    }
  }
  const auto digest = NormalizeCertDigest(c.cert_sha256);
  if (!digest) return bad("cert_sha256 is the SHA-256 digest of its certificate (64 hex digits)");
  json::array allow;
  for (const auto& a : c.ip_allow) allow.emplace_back(a);
  return store_.InsertClient({c.code, c.name, c.owner_unit, c.contact, c.account,
                              std::string(ClientStateName(c.state)), json::serialize(allow),
                              c.created_at, c.created_by, *digest});
}

Status Service::SetCertificate(const std::string& code, const std::string& sha256) {
  const auto digest = NormalizeCertDigest(sha256);
  if (!digest) {
    return Fail(Error::Invalid("share.invalid_client",
                               "cert_sha256 is the SHA-256 digest of its certificate (64 hex "
                               "digits), or \"\" for none"));
  }
  return store_.SetClientCertificate(code, *digest);
}

Status Service::SetState(const std::string& code, ClientState state) {
  return store_.SetClientState(code, std::string(ClientStateName(state)));
}

Result<std::vector<Client>> Service::Clients() {
  auto rows = store_.Clients();
  if (!rows) return Fail(rows.error());
  std::vector<Client> out;
  out.reserve(rows->size());
  for (const auto& r : *rows) out.push_back(FromRow(r));
  return out;
}

Result<std::optional<Client>> Service::ClientOfAccount(const std::string& account) {
  auto all = Clients();
  if (!all) return Fail(all.error());
  for (auto& c : *all) {
    if (c.account == account) return std::optional<Client>(std::move(c));
  }
  return std::optional<Client>();
}

Result<int64_t> Service::AddGrant(const Grant& g) {
  auto all = Clients();
  if (!all) return Fail(all.error());
  if (std::none_of(all->begin(), all->end(),
                   [&g](const Client& c) { return c.code == g.client; })) {
    return Fail(Error::NotFound("share.client_not_found",
                                "no connected system has code '" + g.client + "'"));
  }
  json::object masks;
  for (const auto& [field, m] : g.masks) masks[field] = MaskName(m);
  store::ShareGrantRow r;
  r.client = g.client;
  r.dataset = g.dataset;
  r.fields = json::serialize(json_util::Strings(g.fields));
  r.masks = json::serialize(masks);
  r.unit = g.unit;
  r.descendants = g.descendants;
  r.period_from = g.period_from ? g.period_from->ToString() : "";
  r.period_to = g.period_to ? g.period_to->ToString() : "";
  r.purposes = json::serialize(json_util::Strings(g.purposes));
  r.legal_basis = g.legal_basis;
  r.access = g.write ? "write" : "read";
  r.expires_at = g.expires ? g.expires->ToString() : "";
  r.created_at = g.created_at;
  r.created_by = g.created_by;
  return store_.InsertGrant(r);
}

Status Service::RevokeGrant(int64_t id) {
  return store_.RevokeGrant(id);
}

Result<std::vector<Grant>> Service::Grants(const std::string& client) {
  auto rows = store_.Grants(client);
  if (!rows) return Fail(rows.error());
  std::vector<Grant> out;
  out.reserve(rows->size());
  for (const auto& r : *rows) out.push_back(FromRow(r));
  return out;
}

Result<Grant> Service::GrantFor(const std::string& client, const std::string& dataset,
                                const std::string& purpose, bool write, Date today) {
  auto grants = Grants(client);
  if (!grants) return Fail(grants.error());
  bool other_purpose = false;
  // A write grant reads too, but a read is served by the system's read grant when it has one
  // (its fields and masks are the ones meant for reading).
  for (const bool exact : {true, false}) {
    for (auto& g : *grants) {
      if (g.dataset != dataset || !g.Holds(today) || (write && !g.write)) continue;
      if (exact && g.write != write) continue;
      if (std::find(g.purposes.begin(), g.purposes.end(), purpose) == g.purposes.end()) {
        other_purpose = true;
        continue;
      }
      return std::move(g);
    }
  }
  if (other_purpose) {
    return Fail(Error{
        "share.purpose_not_granted",
        "the grant of dataset " + dataset + " does not cover the purpose '" + purpose + "'", 403});
  }
  return Fail(Error{"share.no_grant",
                    "system '" + client + "' has no grant in force to " +
                        (write ? "write" : "read") + " dataset " + dataset,
                    403});
}

bool AddressAllowed(const std::vector<std::string>& allow, std::string_view address) {
  if (allow.empty()) return true;
  const auto ip = Ipv4(address);
  for (const auto& a : allow) {
    const size_t slash = a.find('/');
    if (slash == std::string::npos) {
      if (a == address) return true;
      continue;
    }
    const auto net = Ipv4(std::string_view(a).substr(0, slash));
    const int bits = std::atoi(a.c_str() + slash + 1);
    if (!ip || !net || bits < 0 || bits > 32) continue;
    const uint32_t mask = bits == 0 ? 0 : ~uint32_t{0} << (32 - bits);
    if ((*ip & mask) == (*net & mask)) return true;
  }
  return false;
}

json::object ToJson(const Subscription& s) {
  return {{"id", s.id},
          {"client", s.client},
          {"dataset", s.dataset},
          {"url", s.url},
          {"active", s.active},
          {"created_at", s.created_at},
          {"created_by", s.created_by}};
}

std::vector<notify::Message> BatchNotices(const std::vector<store::ShareSubscriptionRow>& subs,
                                          const std::vector<Client>& clients,
                                          const std::vector<Grant>& grants,
                                          const store::BatchRow& batch, int64_t rows, Date today) {
  std::vector<notify::Message> out;
  for (const auto& s : subs) {
    if (!s.active || s.dataset != batch.dataset) continue;
    const auto client = std::find_if(clients.begin(), clients.end(),
                                     [&](const Client& c) { return c.code == s.client; });
    if (client == clients.end() || client->state != ClientState::kActive) continue;
    const bool granted = std::any_of(grants.begin(), grants.end(), [&](const Grant& g) {
      return g.client == s.client && g.dataset == s.dataset && g.Holds(today);
    });
    if (!granted) continue;
    notify::Message m;
    m.kind = "share.batch";
    m.key = "share.batch:" + std::to_string(s.id) + ":" + std::to_string(batch.id);
    m.subject = "Lô dữ liệu mới: " + batch.dataset + " #" + std::to_string(batch.id);
    m.body = "Bộ dữ liệu " + batch.dataset + " vừa nhận lô " + std::to_string(batch.id) + " (" +
             std::to_string(rows) + " bản ghi).";
    m.data = {{"event", "batch.committed"}, {"client", s.client}, {"subscription", s.id},
              {"dataset", batch.dataset},   {"batch", batch.id},  {"rows", rows},
              {"at", batch.created_at}};
    m.webhook_url = s.url;
    m.signing_secret = s.secret;
    out.push_back(std::move(m));
  }
  return out;
}

Result<std::pair<Subscription, std::string>> Service::Subscribe(Subscription s) {
  if (!s.url.starts_with("http://") && !s.url.starts_with("https://")) {
    return Fail(Error::Invalid("share.invalid_subscription",
                               "url is the system's http:// or https:// address"));
  }
  auto clients = Clients();
  if (!clients) return Fail(clients.error());
  if (std::none_of(clients->begin(), clients->end(),
                   [&](const Client& c) { return c.code == s.client; })) {
    return Fail(Error::NotFound("share.client_not_found",
                                "no connected system has code '" + s.client + "'"));
  }
  unsigned char key[32];
  randombytes_buf(key, sizeof key);
  std::string secret(sizeof key * 2 + 1, '\0');
  sodium_bin2hex(secret.data(), secret.size(), key, sizeof key);
  secret.pop_back();
  store::ShareSubscriptionRow row{0,      s.client, s.dataset,    s.url,
                                  secret, true,     s.created_at, s.created_by};
  auto id = store_.InsertSubscription(row);
  if (!id) return Fail(id.error());
  s.id = *id;
  s.active = true;
  return std::make_pair(std::move(s), std::move(secret));
}

Result<std::vector<Subscription>> Service::Subscriptions(const std::string& client) {
  auto rows = store_.Subscriptions(client);
  if (!rows) return Fail(rows.error());
  std::vector<Subscription> out;
  for (const auto& r : *rows) {
    out.push_back({r.id, r.client, r.dataset, r.url, r.active, r.created_at, r.created_by});
  }
  return out;
}

Status Service::EndSubscription(int64_t id) {
  return store_.EndSubscription(id);
}

Result<std::vector<notify::Message>> Service::NoticesOf(const store::BatchRow& batch, int64_t rows,
                                                        Date today) {
  auto subs = store_.Subscriptions("");
  if (!subs) return Fail(subs.error());
  if (std::none_of(subs->begin(), subs->end(), [&](const store::ShareSubscriptionRow& s) {
        return s.active && s.dataset == batch.dataset;
      })) {
    return std::vector<notify::Message>();
  }
  auto clients = Clients();
  if (!clients) return Fail(clients.error());
  auto grants = Grants("");
  if (!grants) return Fail(grants.error());
  std::erase_if(*grants, [](const Grant& g) { return g.write; });
  return BatchNotices(*subs, *clients, *grants, batch, rows, today);
}

Status Service::Publish(const OpenDataset& d) {
  json::object content = ToJson(d);
  for (const char* key : {"id", "kind", "source", "issued", "modified", "published_by"}) {
    content.erase(key);
  }
  content["licence"] = d.licence;
  return store_.PutOpenDataset({d.id, std::string(OpenKindName(d.kind)), d.source,
                                json::serialize(content), d.issued, d.modified, d.published_by});
}

Status Service::Unpublish(const std::string& id) {
  return store_.DeleteOpenDataset(id);
}

Result<std::vector<OpenDataset>> Service::Published() {
  auto rows = store_.OpenDatasets();
  if (!rows) return Fail(rows.error());
  std::vector<OpenDataset> out;
  for (const auto& r : *rows) {
    boost::system::error_code ec;
    json::value content = json::parse(r.content, ec);
    if (ec || !content.is_object()) continue;
    json::object& o = content.as_object();
    o["kind"] = r.kind;
    o["source"] = r.source;
    o.erase("organization");
    auto d = ParseOpenDataset(r.id, content);
    if (!d) continue;  // written by Publish, so it reads back; a hand-edited row is left out
    d->issued = r.issued_at;
    d->modified = r.modified_at;
    d->published_by = r.published_by;
    out.push_back(std::move(*d));
  }
  return out;
}

Result<std::optional<OpenDataset>> Service::FindPublished(const std::string& id) {
  auto all = Published();
  if (!all) return Fail(all.error());
  for (auto& d : *all) {
    if (d.id == id) return std::optional<OpenDataset>(std::move(d));
  }
  return std::optional<OpenDataset>();
}

const std::vector<std::string>& ExchangeActions() {
  static const std::vector<std::string> kActions = {"share.read", "share.write", "share.notify"};
  return kActions;
}

std::optional<Exchange> ExchangeOf(const store::AuditEntryRow& e) {
  const auto& actions = ExchangeActions();
  if (std::find(actions.begin(), actions.end(), e.action) == actions.end()) return std::nullopt;
  boost::system::error_code ec;
  json::value detail = json::parse(e.detail, ec);
  if (ec || !detail.is_object()) return std::nullopt;
  Exchange x;
  x.detail = std::move(detail.as_object());
  auto text = [&x](const char* k) {
    const auto* v = x.detail.if_contains(k);
    return v != nullptr && v->is_string() ? std::string(v->as_string()) : std::string();
  };
  x.seq = e.seq;
  x.at = e.at;
  x.action = e.action;
  x.dataset = e.target;
  x.client = text("client");
  x.end_user = text("end_user");
  x.purpose = text("purpose");
  x.case_reference = text("case_reference");
  x.unit = text("unit");
  return x;
}

json::object ToJson(const Exchange& x) {
  auto member = [&x](const char* k, const json::value& fallback) {
    const auto* v = x.detail.if_contains(k);
    return v != nullptr ? *v : fallback;
  };
  return {{"seq", x.seq},
          {"at", x.at},
          {"action", x.action},
          {"dataset", x.dataset},
          {"client", x.client},
          {"end_user", x.end_user},
          {"purpose", x.purpose},
          {"case_reference", x.case_reference},
          {"unit", x.unit},
          {"grant", member("grant", nullptr)},
          {"rows", member("rows", nullptr)},
          {"fields", member("fields", json::array())},
          {"withheld", member("withheld", json::object())},
          {"batch", member("batch", nullptr)}};
}

bool ConcernsUnit(const Exchange& x, const std::string& unit, const std::string& owner,
                  const units::Registry& registry) {
  // `code` is `top` or lies below it.
  auto inside = [&registry](const std::string& code, const std::string& top) {
    if (code == top) return true;
    const auto* u = registry.Find(code, Date::Today());
    if (u == nullptr) return false;
    const auto up = registry.Ancestors(*u);
    return std::any_of(up.begin(), up.end(),
                       [&top](const units::Unit* a) { return a->code == top; });
  };
  return x.unit.empty() || inside(x.unit, unit) || inside(unit, x.unit) || owner == unit;
}

std::vector<std::vector<std::string>> ExchangeTable(const std::vector<Exchange>& xs) {
  std::vector<std::vector<std::string>> table{{"seq", "at", "action", "client", "dataset", "unit",
                                               "purpose", "case_reference", "end_user", "rows",
                                               "fields", "withheld"}};
  for (const auto& x : xs) {
    const json::object o = ToJson(x);
    auto str = [&o](const char* k) {
      const auto& v = o.at(k);
      return v.is_string() ? std::string(v.as_string()) : v.is_null() ? "" : json::serialize(v);
    };
    table.push_back({str("seq"), x.at, x.action, x.client, x.dataset, x.unit, x.purpose,
                     x.case_reference, x.end_user, str("rows"), str("fields"), str("withheld")});
  }
  return table;
}

}  // namespace pdh::share
