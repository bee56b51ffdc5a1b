// The SQLite sharing repository (tables of migrations 10 and 11): connected systems, their
// grants and subscriptions, and the open data publications.
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "store/share.h"
#include "store/sql/connections.h"
#include "store/sql/db.h"

namespace pdh::store::sql {
namespace {

constexpr std::string_view kGrantColumns =
    "SELECT id, client, dataset, fields, masks, unit, descendants, period_from, period_to, "
    "purposes, legal_basis, access, expires_at, created_at, created_by, revoked FROM share_grant";

ShareGrantRow ReadGrant(const Statement& st) {
  ShareGrantRow g;
  g.id = st.Int(0);
  g.client = st.Text(1);
  g.dataset = st.Text(2);
  g.fields = st.Text(3);
  g.masks = st.Text(4);
  g.unit = st.Text(5);
  g.descendants = st.Int(6) != 0;
  g.period_from = st.Text(7);
  g.period_to = st.Text(8);
  g.purposes = st.Text(9);
  g.legal_basis = st.Text(10);
  g.access = st.Text(11);
  g.expires_at = st.Text(12);
  g.created_at = st.Text(13);
  g.created_by = st.Text(14);
  g.revoked = st.Int(15) != 0;
  return g;
}

class SqliteShareStore final : public Area<ShareStore> {
 public:
  using Area::Area;

  Status InsertClient(const ShareClientRow& c) override {
    return writer_.Submit([&](Db& db) -> Status {
      auto run = Execute(db,
                         "INSERT INTO share_client (code, name, owner_unit, contact, account, "
                         "state, ip_allow, created_at, created_by, cert_sha256) VALUES (?1,?2,?3,"
                         "?4,?5,?6,?7,?8,?9,?10) ON CONFLICT(code) DO NOTHING",
                         [&](Statement& st) {
                           st.Bind(1, c.code).Bind(2, c.name).Bind(3, c.owner_unit);
                           st.Bind(4, c.contact).Bind(5, c.account).Bind(6, c.state);
                           st.Bind(7, c.ip_allow).Bind(8, c.created_at).Bind(9, c.created_by);
                           st.Bind(10, c.cert_sha256);
                         });
      if (!run) return run;
      if (db.Changes() == 0) {
        return Fail(Error::Conflict("share.client_exists",
                                    "a connected system with code '" + c.code + "' exists"));
      }
      return Ok();
    });
  }

  Status SetClientState(const std::string& code, const std::string& state) override {
    return writer_.Submit([&](Db& db) -> Status {
      auto run = Execute(db, "UPDATE share_client SET state = ?2 WHERE code = ?1",
                         [&](Statement& st) { st.Bind(1, code).Bind(2, state); });
      if (!run) return run;
      if (db.Changes() == 0) {
        return Fail(Error::NotFound("share.client_not_found",
                                    "no connected system has code '" + code + "'"));
      }
      return Ok();
    });
  }

  Status SetClientCertificate(const std::string& code, const std::string& sha256) override {
    return writer_.Submit([&](Db& db) -> Status {
      auto run = Execute(db, "UPDATE share_client SET cert_sha256 = ?2 WHERE code = ?1",
                         [&](Statement& st) { st.Bind(1, code).Bind(2, sha256); });
      if (!run) return run;
      if (db.Changes() == 0) {
        return Fail(Error::NotFound("share.client_not_found",
                                    "no connected system has code '" + code + "'"));
      }
      return Ok();
    });
  }

  Result<std::vector<ShareClientRow>> Clients() override {
    const Sql sql{
        "SELECT code, name, owner_unit, contact, account, state, ip_allow, created_at, "
        "created_by, cert_sha256 FROM share_client ORDER BY code",
        {}};
    return ReadAll<ShareClientRow>(readers_, sql, [](const Statement& st) {
      return ShareClientRow{st.Text(0), st.Text(1), st.Text(2), st.Text(3), st.Text(4),
                            st.Text(5), st.Text(6), st.Text(7), st.Text(8), st.Text(9)};
    });
  }

  Result<int64_t> InsertGrant(const ShareGrantRow& g) override {
    int64_t id = 0;
    auto s = writer_.Submit([&](Db& db) -> Status {
      auto run =
          Execute(db,
                  "INSERT INTO share_grant (client, dataset, fields, masks, unit, descendants, "
                  "period_from, period_to, purposes, legal_basis, access, expires_at, created_at, "
                  "created_by) VALUES (?1,?2,?3,?4,?5,?6,?7,?8,?9,?10,?11,?12,?13,?14)",
                  [&](Statement& st) {
                    st.Bind(1, g.client).Bind(2, g.dataset).Bind(3, g.fields).Bind(4, g.masks);
                    st.Bind(5, g.unit).Bind(6, int64_t{g.descendants}).Bind(7, g.period_from);
                    st.Bind(8, g.period_to).Bind(9, g.purposes).Bind(10, g.legal_basis);
                    st.Bind(11, g.access).Bind(12, g.expires_at).Bind(13, g.created_at);
                    st.Bind(14, g.created_by);
                  });
      if (!run) return run;
      auto last_id = db.LastInsertId();
      if (!last_id) return Fail(last_id.error());
      id = *last_id;
      return Ok();
    });
    if (!s) return Fail(s.error());
    return id;
  }

  Status RevokeGrant(int64_t id) override {
    return writer_.Submit([&](Db& db) -> Status {
      auto run = Execute(db, "UPDATE share_grant SET revoked = 1 WHERE id = ?1",
                         [&](Statement& st) { st.Bind(1, id); });
      if (!run) return run;
      if (db.Changes() == 0) {
        return Fail(
            Error::NotFound("share.grant_not_found", "no grant has id " + std::to_string(id)));
      }
      return Ok();
    });
  }

  Result<std::vector<ShareGrantRow>> Grants(const std::string& client) override {
    Sql sql{std::string(kGrantColumns), {}};
    if (!client.empty()) sql.Where("client = ?", client);
    sql.text += " ORDER BY id";
    return ReadAll<ShareGrantRow>(readers_, sql, ReadGrant);
  }

  Result<int64_t> InsertSubscription(const ShareSubscriptionRow& r) override {
    int64_t id = 0;
    auto s = writer_.Submit([&](Db& db) -> Status {
      auto run = Execute(db,
                         "INSERT INTO share_subscription (client, dataset, url, secret, active, "
                         "created_at, created_by) VALUES (?1,?2,?3,?4,?5,?6,?7)",
                         [&](Statement& st) {
                           st.Bind(1, r.client).Bind(2, r.dataset).Bind(3, r.url);
                           st.Bind(4, r.secret).Bind(5, int64_t{r.active});
                           st.Bind(6, r.created_at).Bind(7, r.created_by);
                         });
      if (!run) return run;
      auto last_id = db.LastInsertId();
      if (!last_id) return Fail(last_id.error());
      id = *last_id;
      return Ok();
    });
    if (!s) return Fail(s.error());
    return id;
  }

  Status EndSubscription(int64_t id) override {
    return writer_.Submit([&](Db& db) -> Status {
      auto run = Execute(db, "UPDATE share_subscription SET active = 0 WHERE id = ?1",
                         [&](Statement& st) { st.Bind(1, id); });
      if (!run) return run;
      if (db.Changes() == 0) {
        return Fail(Error::NotFound("share.subscription_not_found",
                                    "no subscription has id " + std::to_string(id)));
      }
      return Ok();
    });
  }

  Result<std::vector<ShareSubscriptionRow>> Subscriptions(const std::string& client) override {
    Sql sql{
        "SELECT id, client, dataset, url, secret, active, created_at, created_by FROM "
        "share_subscription",
        {}};
    if (!client.empty()) sql.Where("client = ?", client);
    sql.text += " ORDER BY id";
    return ReadAll<ShareSubscriptionRow>(readers_, sql, [](const Statement& st) {
      return ShareSubscriptionRow{st.Int(0),  st.Text(1),     st.Text(2), st.Text(3),
                                  st.Text(4), st.Int(5) != 0, st.Text(6), st.Text(7)};
    });
  }

  Status PutOpenDataset(const OpenDatasetRow& r) override {
    return writer_.Submit([&](Db& db) -> Status {
      return Execute(db,
                     "INSERT INTO open_dataset (id, kind, source, content, issued_at, "
                     "modified_at, published_by) VALUES (?1,?2,?3,?4,?5,?6,?7) ON CONFLICT(id) "
                     "DO UPDATE SET kind = excluded.kind, source = excluded.source, content = "
                     "excluded.content, modified_at = excluded.modified_at, published_by = "
                     "excluded.published_by",
                     [&](Statement& st) {
                       st.Bind(1, r.id).Bind(2, r.kind).Bind(3, r.source).Bind(4, r.content);
                       st.Bind(5, r.issued_at).Bind(6, r.modified_at).Bind(7, r.published_by);
                     });
    });
  }

  Status DeleteOpenDataset(const std::string& id) override {
    return writer_.Submit([&](Db& db) -> Status {
      auto run = Execute(db, "DELETE FROM open_dataset WHERE id = ?1",
                         [&](Statement& st) { st.Bind(1, id); });
      if (!run) return run;
      if (db.Changes() == 0) {
        return Fail(Error::NotFound("open.not_found", "nothing is published as '" + id + "'"));
      }
      return Ok();
    });
  }

  Result<std::vector<OpenDatasetRow>> OpenDatasets() override {
    const Sql sql{
        "SELECT id, kind, source, content, issued_at, modified_at, published_by FROM "
        "open_dataset ORDER BY id",
        {}};
    return ReadAll<OpenDatasetRow>(readers_, sql, [](const Statement& st) {
      return OpenDatasetRow{st.Text(0), st.Text(1), st.Text(2), st.Text(3),
                            st.Text(4), st.Text(5), st.Text(6)};
    });
  }

  Result<FederatedCounts> PutFederatedValues(const std::vector<FederatedValueRow>& rows) override {
    FederatedCounts counts;
    auto s = writer_.Submit([&](Db& db) -> Status {
      counts = {};
      auto find = db.Prepare(
          "SELECT value, indicator_name, unit_name FROM federated_value WHERE source = ?1 AND "
          "indicator = ?2 AND unit = ?3 AND period = ?4");
      if (!find) return Fail(find.error());
      auto put = db.Prepare(
          "INSERT INTO federated_value (source, indicator, unit, period, value, indicator_name, "
          "unit_name, sent_at, received_at) VALUES (?1,?2,?3,?4,?5,?6,?7,?8,?9) ON "
          "CONFLICT(source, indicator, unit, period) DO UPDATE SET value = excluded.value, "
          "indicator_name = excluded.indicator_name, unit_name = excluded.unit_name, sent_at = "
          "excluded.sent_at, received_at = excluded.received_at");
      if (!put) return Fail(put.error());
      for (const auto& r : rows) {
        find->Bind(1, r.source).Bind(2, r.indicator).Bind(3, r.unit).Bind(4, r.period);
        auto step = find->Step();
        if (!step) return Fail(step.error());
        bool same = false;
        const bool found = *step;
        if (found) {
          const std::optional<double> old =
              find->IsNull(0) ? std::nullopt : std::optional<double>(find->Double(0));
          same =
              old == r.value && find->Text(1) == r.indicator_name && find->Text(2) == r.unit_name;
        }
        find->Reset();
        if (same) {
          ++counts.unchanged;
          continue;
        }
        put->Bind(1, r.source).Bind(2, r.indicator).Bind(3, r.unit).Bind(4, r.period);
        put->Bind(5, r.value).Bind(6, r.indicator_name).Bind(7, r.unit_name).Bind(8, r.sent_at);
        put->Bind(9, r.received_at);
        if (auto run = put->Run(); !run) return run;
        ++(found ? counts.updated : counts.inserted);
      }
      return Ok();
    });
    if (!s) return Fail(s.error());
    return counts;
  }

  Result<std::vector<FederatedValueRow>> FederatedValues(const std::string& source,
                                                         const std::string& indicator,
                                                         int64_t limit) override {
    Sql sql{
        "SELECT source, indicator, unit, period, value, indicator_name, unit_name, sent_at, "
        "received_at FROM federated_value",
        {}};
    if (!source.empty()) sql.Where("source = ?", source);
    if (!indicator.empty()) sql.Where("indicator = ?", indicator);
    sql.text += " ORDER BY source, indicator, unit, period LIMIT " + std::to_string(limit);
    return ReadAll<FederatedValueRow>(readers_, sql, [](const Statement& st) {
      return FederatedValueRow{st.Text(0),
                               st.Text(1),
                               st.Text(2),
                               st.Text(3),
                               st.IsNull(4) ? std::nullopt : std::optional<double>(st.Double(4)),
                               st.Text(5),
                               st.Text(6),
                               st.Text(7),
                               st.Text(8)};
    });
  }
};

}  // namespace

std::unique_ptr<ShareStore> MakeShareStore(Writer& writer, ReadPool& readers) {
  return std::make_unique<SqliteShareStore>(writer, readers);
}

}  // namespace pdh::store::sql
