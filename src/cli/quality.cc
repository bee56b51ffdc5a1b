// `pdh quality scoreboard|scores|checks`: data quality on the database file — the units and
// datasets ranked as of a date, the scores behind them, and each dataset's checks (shown, or
// replaced from a JSON file).
#include <boost/json.hpp>

#include <chrono>
#include <fstream>
#include <iomanip>
#include <iostream>
#include <sstream>

#include "cli/cli.h"
#include "core/json_util.h"
#include "quality/quality.h"

namespace pdh::cli {
namespace {

namespace json = boost::json;

Date QualityAsOf(const Options& o) {
  if (o.as_of.empty()) return Date::Today();
  auto d = Date::Parse(o.as_of);
  if (!d) {
    throw Failure(
        Error::BadRequest("cli.usage", "--as-of '" + o.as_of + "' is not a date: use YYYY-MM-DD"));
  }
  return *d;
}

std::string Score(const json::value& v) {
  if (!v.is_number()) return "—";
  std::ostringstream s;
  s << std::fixed << std::setprecision(1) << v.to_number<double>();
  std::string out = s.str();
  for (char& c : out) {
    if (c == '.') c = ',';
  }
  return out;
}

}  // namespace

Result<json::object> ProvinceScoreboard(store::Store& store,
                                        const std::shared_ptr<const units::Registry>& registry,
                                        const engine::Snapshot& snap, Date as_of) {
  quality::Service service(store.datasets(), store);
  auto evaluations = service.Evaluations(*registry, as_of);
  if (!evaluations) return Fail(evaluations.error());
  SystemClock clock;
  catalog::Catalog catalog(store.catalog(), registry, clock);
  auto entries = catalog.EntriesAsOf(as_of);
  if (!entries) return Fail(entries.error());
  return quality::Scoreboard(
      **evaluations, [&snap](Date d) { return engine::ReportingByUnit(snap, d); }, *registry, as_of,
      [](const std::string&) { return true; }, &*entries);
}

namespace {

int RunQualityScoreboard(const Options& o) {
  auto store = OpenStore(o.db, false);
  auto registry = LoadRegistry(*store);
  auto engine = Must(engine::Engine::Open(EngineStores(*store), registry, HomeProvince(*store)));
  const auto board = Must(ProvinceScoreboard(*store, registry, engine->snapshot(), QualityAsOf(o)));
  if (o.json) {
    std::cout << json_util::Serialize(board) << "\n";
    return 0;
  }
  const auto& p = board.at("province").as_object();
  std::cout << "Chất lượng dữ liệu tháng " << board.at("month").as_string().c_str() << ": tổng "
            << Score(p.at("overall")) << " — đúng " << Score(p.at("correct")) << ", đủ "
            << Score(p.at("sufficient")) << ", sạch " << Score(p.at("clean")) << ", sống "
            << Score(p.at("alive")) << "\n\nĐơn vị (thấp nhất):\n";
  const auto& units = board.at("units").as_array();
  const size_t shown = std::min<size_t>(units.size(), static_cast<size_t>(o.limit));
  for (size_t i = units.size() - shown; i < units.size(); ++i) {
    const auto& u = units[i].as_object();
    std::cout << "  " << std::left << std::setw(8) << u.at("unit").as_string().c_str() << " "
              << std::setw(6) << Score(u.at("overall")) << " " << u.at("name").as_string() << "\n";
  }
  std::cout << "\nCơ sở dữ liệu trong danh mục (thấp nhất):\n";
  const auto& databases = board.at("databases").as_array();
  const size_t listed = std::min<size_t>(databases.size(), static_cast<size_t>(o.limit));
  for (size_t i = databases.size() - listed; i < databases.size(); ++i) {
    const auto& db = databases[i].as_object();
    std::cout << "  " << std::left << std::setw(16) << db.at("code").as_string().c_str() << " "
              << std::setw(6) << Score(db.at("overall")) << " " << db.at("name").as_string()
              << "\n";
  }
  std::cout << "\nKiểm tra nhiều lỗi nhất:\n";
  for (const auto& c : board.at("checks").as_array()) {
    const auto& co = c.as_object();
    std::cout << "  " << co.at("dataset").as_string() << "." << co.at("check").as_string() << ": "
              << co.at("failed").as_int64() << " / " << co.at("total").as_int64() << " — "
              << co.at("title").as_string() << "\n";
  }
  return 0;
}

int RunQualityScores(const Options& o) {
  auto store = OpenStore(o.db, false);
  auto registry = LoadRegistry(*store);
  quality::Service service(store->datasets(), *store);
  auto evaluations = Must(service.Evaluations(*registry, QualityAsOf(o)));
  std::optional<quality::Dimension> dimension;
  if (!o.kind.empty()) {
    dimension = quality::ParseDimension(o.kind);
    if (!dimension) {
      throw Failure(Error::BadRequest("cli.usage",
                                      "--dimension must be correct, sufficient, clean or alive"));
    }
  }
  auto items = quality::Scores(*evaluations, *registry, o.dataset, o.unit, o.code, dimension);
  if (o.json) {
    std::cout << json_util::Serialize(json::object{{"items", items}}) << "\n";
    return 0;
  }
  for (const auto& item : items) {
    const auto& i = item.as_object();
    std::cout << i.at("dataset").as_string().c_str() << "  " << std::left << std::setw(8)
              << i.at("unit").as_string().c_str() << " " << i.at("month").as_string().c_str()
              << "  " << std::setw(11) << i.at("dimension").as_string().c_str()
              << Score(i.at("score")) << "  (" << i.at("rows").as_int64() << " bản ghi)\n";
  }
  return 0;
}

int RunQualityChecks(const Options& o) {
  auto store = OpenStore(o.db, false);
  auto d = Must(ingest::LoadDataset(store->datasets(), o.dataset));
  if (!o.file.empty()) {
    std::ifstream in(o.file, std::ios::binary);
    if (!in) throw Failure(Error::NotFound("cli.file_not_found", "cannot read '" + o.file + "'"));
    std::stringstream text;
    text << in.rdbuf();
    boost::system::error_code ec;
    json::value v = json::parse(text.str(), ec);
    if (ec) {
      throw Failure(Error::Invalid(std::string(quality::kInvalidCheck),
                                   o.file + " is not JSON: " + ec.message()));
    }
    quality::CheckSet set;
    set.checks = Must(quality::ParseChecks(v, d));
    set.stored = true;
    if (v.is_object()) {
      if (const auto* entry = v.as_object().if_contains("catalog_entry");
          entry && entry->is_string())
        set.catalog_entry = std::string(entry->as_string());
    }
    SystemClock clock;
    auto log = OpenAuditLog(*store, clock);
    audit::Scope audit(*log, CommandEvent("quality.checks", o.dataset));
    Must(quality::SaveChecks(*store, d, set, CliActor(), FormatTime(clock.Now())));
    Must(audit.Finish());
  }
  auto set = Must(quality::LoadChecks(*store, d));
  if (o.json) {
    std::cout << json_util::Serialize(json::object{{"dataset", o.dataset},
                                                   {"stored", set.stored},
                                                   {"catalog_entry", set.catalog_entry},
                                                   {"checks", quality::ToJson(set.checks)}})
              << "\n";
    return 0;
  }
  std::cout << o.dataset << ": " << set.checks.size() << " checks"
            << (set.stored ? "" : " (the defaults its schema implies)") << "\n";
  for (const auto& c : set.checks) {
    std::cout << "  " << std::left << std::setw(24) << c.id << " " << std::setw(12)
              << std::string(quality::CheckTypeName(c.type)) << " " << std::setw(11)
              << std::string(quality::DimensionName(c.dimension)) << " " << c.title << "\n";
  }
  return 0;
}

// One dataset evaluated against its checks: each check's failures over all its records, and how
// long the scan took (what bench/quality.sh compares with the same checks in SQL).
int RunQualityEvaluate(const Options& o) {
  auto store = OpenStore(o.db, false);
  auto registry = LoadRegistry(*store);
  auto d = Must(ingest::LoadDataset(store->datasets(), o.dataset));
  auto set = Must(quality::LoadChecks(*store, d));
  quality::EvaluateOptions options;
  options.as_of = QualityAsOf(o);
  options.max_failures = 0;
  options.keys_of = [&store](const std::string& dataset, const std::string& field) {
    return quality::DatasetKeys(store->datasets(), dataset, field);
  };
  // Timed: reading the records, checking them and scoring the cells (not freeing the
  // evaluation's memory afterwards, which the whole process's time includes).
  const auto start = std::chrono::steady_clock::now();
  auto evaluator =
      Must(quality::Evaluator::Build(store->datasets(), *registry, d, set.checks, options));
  const auto e = evaluator->Snapshot(true);
  const double seconds =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  evaluator.reset();
  json::array checks;
  checks.reserve(e.checks.size());
  for (size_t i = 0; i < e.checks.size(); ++i) {
    // Every cell's counts: a unit check counts once per unit and month scored.
    int64_t failed = 0;
    int64_t total = 0;
    for (const auto& cell : e.cells) {
      for (const auto& c : cell.checks) {
        if (c.check != i) continue;
        failed += c.failed;
        total += c.total;
      }
    }
    checks.push_back(json::object{{"id", e.checks[i].id},
                                  {"type", quality::CheckTypeName(e.checks[i].type)},
                                  {"failed", failed},
                                  {"total", total}});
  }
  if (o.json) {
    std::cout << json_util::Serialize(json::object{{"dataset", o.dataset},
                                                   {"rows", e.rows},
                                                   {"cells", e.cells.size()},
                                                   {"seconds", seconds},
                                                   {"checks", std::move(checks)}})
              << "\n";
    return 0;
  }
  std::cout << o.dataset << ": " << e.rows << " records, " << e.cells.size() << " units × months, "
            << std::fixed << std::setprecision(3) << seconds << " s\n";
  for (const auto& c : checks) {
    const auto& co = c.as_object();
    std::cout << "  " << std::left << std::setw(24) << co.at("id").as_string().c_str() << " "
              << co.at("failed").as_int64() << " / " << co.at("total").as_int64() << "\n";
  }
  return 0;
}

}  // namespace

void AddQualityCommands(CLI::App& app, Options& o, int (*&action)(const Options&)) {
  auto* cmd = app.add_subcommand("quality", "Data quality: correct, sufficient, clean, alive");
  cmd->require_subcommand(1);
  auto* board = cmd->add_subcommand("scoreboard", "Units and datasets ranked as of a date");
  board->add_option("--as-of", o.as_of, "YYYY-MM-DD (default today)");
  board->add_option("--limit", o.limit, "The lowest units to print")->capture_default_str();
  board->add_option("--db", o.db, "Database file")->capture_default_str();
  board->add_flag("--json", o.json, "Machine-readable output (the whole scoreboard)");
  board->callback([&] { action = RunQualityScoreboard; });

  auto* scores = cmd->add_subcommand("scores", "Scores per dataset, unit, month and dimension");
  scores->add_option("--as-of", o.as_of, "YYYY-MM-DD (default today)");
  scores->add_option("--dataset", o.dataset, "A dataset's code");
  scores->add_option("--unit", o.unit, "A unit's code");
  scores->add_option("--period", o.code, "A month, YYYY-MM");
  scores->add_option("--dimension", o.kind, "correct, sufficient, clean or alive");
  scores->add_option("--db", o.db, "Database file")->capture_default_str();
  scores->add_flag("--json", o.json, "Machine-readable output");
  scores->callback([&] { action = RunQualityScores; });

  auto* checks = cmd->add_subcommand("checks", "A dataset's checks; --set replaces them");
  checks->add_option("dataset", o.dataset, "The dataset's code")->required();
  checks->add_option("--set", o.file, "A JSON file: {\"checks\": [...]}");
  checks->add_option("--db", o.db, "Database file")->capture_default_str();
  checks->add_flag("--json", o.json, "Machine-readable output");
  checks->callback([&] { action = RunQualityChecks; });

  auto* evaluate =
      cmd->add_subcommand("evaluate", "One dataset's checks over all its records, timed");
  evaluate->add_option("dataset", o.dataset, "The dataset's code")->required();
  evaluate->add_option("--as-of", o.as_of, "YYYY-MM-DD (default today)");
  evaluate->add_option("--db", o.db, "Database file")->capture_default_str();
  evaluate->add_flag("--json", o.json, "Machine-readable output");
  evaluate->callback([&] { action = RunQualityEvaluate; });
}

}  // namespace pdh::cli
