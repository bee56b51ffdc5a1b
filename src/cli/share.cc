// pdh share: the connected systems, the exchange log a data owner exports (who received the data
// of a unit), what is published as open data, and the DCAT-AP catalogue as a file — on the
// database file, without a server.
#include <boost/json.hpp>
#include <fstream>
#include <iostream>

#include "cli/cli.h"
#include "core/json_util.h"
#include "core/sheet.h"
#include "share/share.h"

namespace pdh::cli {
namespace {

namespace json = boost::json;

// Writes `text` to o.out ("" or "-": standard output).
void Output(const Options& o, const std::string& text) {
  if (o.out.empty() || o.out == "-") {
    std::cout << text;
    return;
  }
  std::ofstream file(o.out, std::ios::binary);
  file << text;
  if (!file) throw Failure(Error::Internal("cli.write_failed", "cannot write '" + o.out + "'"));
  std::cerr << o.out << " (" << text.size() << " bytes)\n";
}

int RunShareClients(const Options& o) {
  auto store = OpenStore(o.db, false);
  share::Service svc(store->share());
  const auto clients = Must(svc.Clients());
  const auto grants = Must(svc.Grants(""));
  json::array items;
  for (const auto& c : clients) {
    json::object item = share::ToJson(c);
    int64_t in_force = 0;
    for (const auto& g : grants) in_force += g.client == c.code && g.Holds(Date::Today());
    item["grants"] = in_force;
    items.push_back(std::move(item));
  }
  if (o.json) {
    std::cout << json_util::Serialize(json::object{{"items", items}}) << "\n";
    return 0;
  }
  if (items.empty()) std::cout << "Chưa có hệ thống kết nối nào.\n";
  for (const auto& i : items) {
    std::cout << i.at("code").as_string().c_str() << "  " << i.at("state").as_string().c_str()
              << "  " << i.at("grants").as_int64() << " quyền  " << i.at("name").as_string().c_str()
              << " (" << i.at("owner_unit").as_string().c_str() << ")\n";
  }
  return 0;
}

// The exchange log as CSV, oldest first: every exchange, or those of a system, a dataset, a
// unit's data (the grant's unit, or the dataset's owner), between two dates.
int RunShareExchanges(const Options& o) {
  auto store = OpenStore(o.db, false);
  auto registry = LoadRegistry(*store);
  std::map<std::string, std::string> owners;
  for (const auto& d : Must(ingest::ListDatasets(store->datasets()))) {
    owners[d.row.code] = d.row.owner_unit;
  }
  std::vector<share::Exchange> rows;
  for (const auto& action : share::ExchangeActions()) {
    store::AuditQuery q;
    q.action = action;
    q.limit = 1000;
    if (!o.from.empty()) q.from = o.from;
    if (!o.to.empty()) {
      const auto day = Date::Parse(o.to);
      q.to = day ? AddDays(*day, 1).ToString() : o.to;
    }
    for (;;) {
      const auto page = Must(store->audit().Query(q));
      for (const auto& e : page) {
        auto x = share::ExchangeOf(e);
        if (!x) continue;
        if (!o.code.empty() && x->client != o.code) continue;
        if (!o.dataset.empty() && x->dataset != o.dataset) continue;
        if (!o.unit.empty() && !share::ConcernsUnit(*x, o.unit, owners[x->dataset], *registry)) {
          continue;
        }
        rows.push_back(std::move(*x));
      }
      if (static_cast<int64_t>(page.size()) < q.limit) break;
      q.after_seq = page.back().seq;
    }
  }
  std::sort(rows.begin(), rows.end(),
            [](const share::Exchange& a, const share::Exchange& b) { return a.seq < b.seq; });
  if (o.json) {
    json::array items;
    for (const auto& x : rows) items.push_back(share::ToJson(x));
    Output(o, json_util::Serialize(json::object{{"items", std::move(items)}}) + "\n");
    return 0;
  }
  std::ostringstream out;
  WriteCsvSheet(out, share::ExchangeTable(rows));
  Output(o, std::move(out).str());
  return 0;
}

std::vector<share::OpenDataset> Publications(store::Store& store, const units::Registry& registry) {
  share::Service svc(store.share());
  auto all = Must(svc.Published());
  for (auto& d : all) share::Complete(d, store.datasets(), registry, HomeProvince(store));
  return all;
}

int RunShareOpen(const Options& o) {
  auto store = OpenStore(o.db, false);
  auto registry = LoadRegistry(*store);
  const auto all = Publications(*store, *registry);
  if (o.json) {
    json::array items;
    for (const auto& d : all) items.push_back(share::ToJson(d));
    std::cout << json_util::Serialize(json::object{{"items", std::move(items)}}) << "\n";
    return 0;
  }
  if (all.empty()) std::cout << "Chưa công bố bộ dữ liệu mở nào.\n";
  for (const auto& d : all) {
    std::cout << d.id << "  " << share::OpenKindName(d.kind) << "  " << d.licence << "  " << d.title
              << " (" << d.organization_name << ")\n";
  }
  return 0;
}

int RunShareCatalog(const Options& o) {
  auto store = OpenStore(o.db, false);
  auto registry = LoadRegistry(*store);
  share::CatalogPage page;
  page.datasets = Publications(*store, *registry);
  page.total = static_cast<int64_t>(page.datasets.size());
  const share::Site site = share::SiteOf(*store, *registry, HomeProvince(*store),
                                         o.base_url.empty() ? "http://127.0.0.1:8080" : o.base_url);
  page.this_page = site.base_url + "/catalog.ttl";
  Output(o, share::CatalogTurtle(site, page));
  return 0;
}

}  // namespace

void AddShareCommands(CLI::App& app, Options& o, int (*&action)(const Options&)) {
  auto* cmd = app.add_subcommand(
      "share", "Connected systems, the exchange log, and what is published as open data");
  cmd->require_subcommand(1);
  auto db = [&o](CLI::App* c) {
    c->add_option("--db", o.db, "Database file")->capture_default_str();
  };
  auto* clients = cmd->add_subcommand("clients", "The connected systems and their grants");
  db(clients);
  clients->add_flag("--json", o.json, "Machine-readable output");
  clients->callback([&] { action = RunShareClients; });

  auto* exchanges = cmd->add_subcommand(
      "exchanges", "The exchange log as CSV: who read, wrote or was told what, for what purpose");
  db(exchanges);
  exchanges->add_option("--client", o.code, "Only this connected system");
  exchanges->add_option("--dataset", o.dataset, "Only this dataset");
  exchanges->add_option("--unit", o.unit,
                        "Only the exchanges of this unit's data (who received it)");
  exchanges->add_option("--from", o.from, "From this date (YYYY-MM-DD)");
  exchanges->add_option("--to", o.to, "To this date, included");
  exchanges->add_option("--out", o.out, "File to write (default: standard output)");
  exchanges->add_flag("--json", o.json, "JSON instead of CSV");
  exchanges->callback([&] { action = RunShareExchanges; });

  auto* open = cmd->add_subcommand("open", "What is published as open data");
  db(open);
  open->add_flag("--json", o.json, "Machine-readable output");
  open->callback([&] { action = RunShareOpen; });

  auto* catalog =
      cmd->add_subcommand("catalog", "The DCAT-AP 3 catalogue of the open data, in Turtle");
  db(catalog);
  catalog->add_option("--base-url", o.base_url,
                      "The portal's address (default: the open.base_url setting)");
  catalog->add_option("--out", o.out, "File to write (default: standard output)");
  catalog->callback([&] { action = RunShareCatalog; });
}

}  // namespace pdh::cli
