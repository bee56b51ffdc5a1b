// pdh report: the monthly report to the People's Committee as PDF, XLSX, HTML or JSON; the
// reports issued.
#include <boost/json.hpp>
#include <fstream>
#include <iostream>

#include "cli/cli.h"
#include "core/json_util.h"
#include "report/report.h"
#include "tracker/tracker.h"

namespace pdh::cli {
namespace {

namespace json = boost::json;

int RunReportMonthly(const Options& o) {
  const auto format = report::ParseFormat(o.format.empty() ? "pdf" : o.format);
  if (!format) {
    throw Failure(Error::BadRequest("cli.usage", "--format must be pdf, xlsx, html or json"));
  }
  auto store = OpenStore(o.db, false);
  auto registry = LoadRegistry(*store);
  auto engine = Must(engine::Engine::Open(EngineStores(*store), registry, HomeProvince(*store)));
  const auto snap = engine->snapshot();
  SystemClock clock;
  tracker::Tracker tracker(
      store->tracker(), *store, [registry] { return registry; }, clock);
  catalog::Catalog catalog(store->catalog(), registry, clock);
  const report::Sources sources{snap, tracker, catalog, [&](Date d) {
                                  return ProvinceScoreboard(*store, registry, snap, d);
                                }};
  report::Archive archive(store->reports());
  json::object content;
  if (o.force) {
    // --issue: the report kept for the month, issued now when it has not been.
    bool fresh = false;
    content = Must(archive.Issue(sources, o.code, CliActor(), FormatTime(clock.Now()), &fresh));
    std::cerr << (fresh ? "Đã phát hành báo cáo tháng " : "Báo cáo đã phát hành trước đó, tháng ")
              << o.code << "\n";
  } else if (auto kept = Must(archive.Get(o.code))) {
    content = std::move(*kept);
  } else {
    content = Must(report::Monthly(sources, o.code));
  }
  const std::string bytes = Must(report::Render(content, *format));
  const std::string out = o.out.empty() ? report::FileName(content, *format) : o.out;
  if (out == "-") {
    std::cout << bytes;
    return 0;
  }
  std::ofstream file(out, std::ios::binary);
  file << bytes;
  if (!file) throw Failure(Error::Internal("cli.write_failed", "cannot write '" + out + "'"));
  std::cout << out << " (" << bytes.size() << " bytes)\n";
  return 0;
}

int RunReportList(const Options& o) {
  auto store = OpenStore(o.db, false);
  report::Archive archive(store->reports());
  const auto items = Must(archive.List());
  if (o.json) {
    std::cout << json_util::Serialize(json::object{{"items", items}}) << "\n";
    return 0;
  }
  if (items.empty()) std::cout << "Chưa có báo cáo nào được phát hành.\n";
  for (const auto& i : items) {
    std::cout << i.at("month").as_string().c_str() << "  phát hành "
              << i.at("issued_at").as_string().c_str() << " bởi "
              << i.at("issued_by").as_string().c_str() << "\n";
  }
  return 0;
}

}  // namespace

void AddReportCommands(CLI::App& app, Options& o, int (*&action)(const Options&)) {
  auto* cmd = app.add_subcommand("report", "The monthly report to the People's Committee");
  cmd->require_subcommand(1);
  auto* monthly = cmd->add_subcommand(
      "monthly", "The report of a month: the issued one when there is one, else a draft");
  monthly->add_option("--month", o.code, "YYYY-MM")->required();
  monthly->add_option("--format", o.format, "pdf, xlsx, html or json (default pdf)");
  monthly->add_option("--out", o.out,
                      "File to write ('-': standard output; default "
                      "bao-cao-thang-YYYY-MM.<format>)");
  monthly->add_flag("--issue", o.force,
                    "Issue the report (kept as it is now, and read the same later)");
  monthly->add_option("--db", o.db, "Database file")->capture_default_str();
  monthly->callback([&] { action = RunReportMonthly; });

  auto* list = cmd->add_subcommand("list", "The reports issued, newest first");
  list->add_option("--db", o.db, "Database file")->capture_default_str();
  list->add_flag("--json", o.json, "Machine-readable output");
  list->callback([&] { action = RunReportList; });
}

}  // namespace pdh::cli
