// `pdh link dedupe` and `pdh link pair`: record linkage on plain CSV files, without a database
// or a project file. The columns' comparisons are guessed from the headers and values, blocking
// rules chosen (or given), the model trained without labels; the clusters or links are written
// to a CSV file and the fitted model, the blocking counts and the estimated precision and recall
// printed.
#include <boost/json.hpp>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <iomanip>
#include <iostream>
#include <map>
#include <optional>
#include <sstream>

#include "cli/cli.h"
#include "core/csv.h"
#include "core/json_util.h"
#include "link/link.h"

namespace pdh::cli {
namespace {

namespace json = boost::json;

// Rows read before the columns are guessed; they are kept and added first.
constexpr size_t kLinkSampleRows = 2000;

struct LinkInput {
  std::string path;
  std::unique_ptr<std::ifstream> stream;
  std::unique_ptr<CsvReader> reader;
  std::vector<std::string> header;
  std::vector<std::vector<std::string>> sample;
};

LinkInput OpenLinkInput(const std::string& path) {
  LinkInput in;
  in.path = path;
  in.stream = std::make_unique<std::ifstream>(path, std::ios::binary);
  if (!*in.stream) {
    throw Failure(Error::NotFound("link.file_not_found", "cannot read '" + path + "'"));
  }
  in.reader = std::make_unique<CsvReader>(*in.stream);
  if (!in.reader->Next(in.header)) {
    throw Failure(Error::Invalid("link.empty_file", "'" + path + "' has no header row"));
  }
  std::vector<std::string> row;
  while (in.sample.size() < kLinkSampleRows && in.reader->Next(row)) in.sample.push_back(row);
  if (in.reader->error()) throw Failure(*in.reader->error());
  return in;
}

// Adds the sample, then the rest of the file.
uint64_t AddAll(link::Linker& linker, int source, LinkInput& in) {
  uint64_t n = 0;
  for (const auto& row : in.sample) {
    Must(linker.Add(source, row));
    ++n;
  }
  in.sample.clear();
  std::vector<std::string> row;
  while (in.reader->Next(row)) {
    if (auto s = linker.Add(source, row); !s) {
      throw Failure(Error::Invalid(
          s.error().code,
          in.path + " line " + std::to_string(in.reader->line()) + ": " + s.error().message));
    }
    ++n;
  }
  if (in.reader->error()) throw Failure(*in.reader->error());
  return n;
}

std::string CsvField(std::string_view s) {
  if (s.find_first_of(",\"\r\n") == std::string_view::npos) return std::string(s);
  std::string out = "\"";
  for (char c : s) {
    if (c == '"') out.push_back('"');
    out.push_back(c);
  }
  out.push_back('"');
  return out;
}

// `s` and spaces after it up to `width` characters (code points, not bytes: Vietnamese column
// names line up too).
std::string PadRight(std::string_view s, size_t width) {
  size_t chars = 0;
  for (char c : s) chars += (static_cast<unsigned char>(c) & 0xC0) != 0x80 ? 1 : 0;
  std::string out(s);
  if (chars < width) out.append(width - chars, ' ');
  return out;
}

std::string Fixed(double v, int digits) {
  std::ostringstream s;
  s << std::fixed << std::setprecision(digits) << v;
  return s.str();
}

void PrintExplanation(const link::Explanation& e) {
  std::cout << "\nWhy " << e.id_a << " and " << e.id_b << ":\n";
  std::cout << "  " << std::left << std::setw(20) << "prior" << std::right << std::setw(9)
            << Fixed(e.prior_bits, 2) << " bits\n";
  for (const auto& p : e.parts) {
    std::cout << "  " << PadRight(p.column, 20) << std::setw(9) << Fixed(p.bits + p.tf_bits, 2)
              << " bits  " << link::LevelName(p.level);
    if (p.tf_bits != 0) std::cout << " (term frequency " << Fixed(p.tf_bits, 2) << ")";
    std::cout << "  '" << p.value_a << "' / '" << p.value_b << "'\n";
  }
  std::cout << "  " << std::left << std::setw(20) << "match weight" << std::right << std::setw(9)
            << Fixed(e.weight, 2) << " bits, probability " << Fixed(e.probability, 4) << "\n";
}

void PrintModel(const link::Linkage& l, const link::Estimate& est, double seconds) {
  std::cout << "Blocking rules (pairs each generates):\n";
  for (const auto& r : l.rules()) {
    std::cout << "  " << std::left << std::setw(28) << r.rule << std::right << std::setw(12)
              << r.pairs << (r.used ? "" : "  left out: too many pairs") << "\n";
  }
  std::cout << "  " << l.pairs().size() << " distinct pairs compared\n\n";
  const auto& m = l.model();
  std::cout << "Model: prior " << std::setprecision(4) << m.lambda << " (" << m.lambda_blocked
            << " of the compared pairs), EM " << m.iterations << " iterations"
            << (m.converged ? "" : " (not converged)") << "\n";
  for (const auto& c : m.comparisons) {
    std::cout << "  " << c.column.name << " (" << link::KindName(c.column.kind)
              << (c.column.term_frequency ? ", term frequency" : "") << ")\n";
    for (const auto& lv : c.levels) {
      std::cout << "    " << std::left << std::setw(18) << link::LevelName(lv.level) << std::right
                << " m " << std::setw(8) << Fixed(lv.m, 5) << "  u " << std::setw(10)
                << Fixed(lv.u, 7) << "  " << std::setw(7) << Fixed(lv.weight, 2) << " bits  "
                << lv.pairs << " pairs\n";
    }
  }
  std::cout << "\nAt probability " << est.threshold << ": " << est.pairs_above
            << " pairs; estimated precision " << Fixed(est.precision, 4) << ", recall "
            << Fixed(est.recall, 4) << " (" << Fixed(est.expected_matches, 1)
            << " expected matches among the compared pairs)\n";
  std::cout << "Time: " << Fixed(seconds, 2) << " s\n";
}

int RunLink(const Options& o, link::Mode mode) {
  const auto start = std::chrono::steady_clock::now();
  const size_t want = mode == link::Mode::kPair ? 2 : 1;
  if (o.files.size() != want) {
    throw Failure(Error::BadRequest(
        "cli.usage", mode == link::Mode::kPair ? "give two files: A.csv B.csv" : "give one file"));
  }
  if (o.out.empty()) throw Failure(Error::BadRequest("cli.usage", "--out FILE is required"));
  std::vector<LinkInput> inputs;
  for (const auto& f : o.files) inputs.push_back(OpenLinkInput(f));

  link::Options options;
  options.columns = link::GuessColumns(inputs[0].header, inputs[0].sample, o.link_id);
  if (mode == link::Mode::kPair) {
    // Only what both sources hold can be compared.
    const auto in_b = link::GuessColumns(inputs[1].header, inputs[1].sample, o.link_id);
    std::erase_if(options.columns, [&](const link::ColumnSpec& c) {
      return std::none_of(in_b.begin(), in_b.end(),
                          [&](const link::ColumnSpec& b) { return b.name == c.name; });
    });
  }
  options.rules = o.link_rules;
  options.max_pairs_per_rule = o.link_max_pairs;
  options.threads = o.link_threads;
  // With a database at --db, its unit registry maps old commune codes to their new communes.
  std::unique_ptr<store::Store> store;
  std::shared_ptr<const units::Registry> registry;
  if (std::filesystem::exists(o.db)) {
    store = OpenStore(o.db, false);
    registry = LoadRegistry(*store);
    options.registry = registry.get();
  }
  auto linker = Must(link::Linker::Create(
      mode, o.link_id, inputs[0].header, want == 2 ? inputs[1].header : inputs[0].header, options));
  for (size_t s = 0; s < inputs.size(); ++s) AddAll(*linker, static_cast<int>(s), inputs[s]);
  const auto read = std::chrono::steady_clock::now();
  auto linkage = Must(linker->Run());
  const link::Linkage& l = *linkage;
  const auto ran = std::chrono::steady_clock::now();
  // An unknown id is said before anything is written.
  std::optional<link::Explanation> explained;
  if (!o.link_explain.empty()) {
    const auto comma = o.link_explain.find(',');
    if (comma == std::string::npos) {
      throw Failure(Error::BadRequest("cli.usage", "--explain takes ID1,ID2"));
    }
    explained = Must(l.Explain(o.link_explain.substr(0, comma), o.link_explain.substr(comma + 1)));
  }

  std::ofstream out(o.out, std::ios::binary | std::ios::trunc);
  if (!out) throw Failure(Error::BadRequest("link.cannot_write", "cannot write '" + o.out + "'"));
  uint64_t written = 0;
  uint64_t clusters = 0;
  if (mode == link::Mode::kDedupe) {
    out << "id,cluster_id,match_probability\n";
    for (const auto& row : l.Clusters(o.link_threshold)) {
      if (row.cluster == row.record) ++clusters;
      out << CsvField(l.id(row.record)) << ',' << CsvField(l.id(row.cluster)) << ','
          << (row.probability > 0 ? Fixed(row.probability, 6) : "") << '\n';
      ++written;
    }
  } else {
    out << "id_a,id_b,match_weight,match_probability\n";
    for (const auto& p : l.OneToOne(o.link_threshold)) {
      out << CsvField(l.id(p.a)) << ',' << CsvField(l.id(p.b)) << ',' << Fixed(p.weight, 4) << ','
          << Fixed(p.probability, 6) << '\n';
      ++written;
    }
  }
  out.close();
  if (!out) throw Failure(Error::Internal("link.cannot_write", "writing '" + o.out + "' failed"));
  if (!o.link_pairs_out.empty()) {
    // Every compared pair with its match weight, for checking the scores elsewhere.
    std::ofstream pairs(o.link_pairs_out, std::ios::binary | std::ios::trunc);
    if (!pairs) {
      throw Failure(
          Error::BadRequest("link.cannot_write", "cannot write '" + o.link_pairs_out + "'"));
    }
    pairs << "id_a,id_b,match_weight\n";
    for (const auto& p : l.pairs()) {
      pairs << CsvField(l.id(p.a)) << ',' << CsvField(l.id(p.b)) << ',' << Fixed(p.weight, 4)
            << '\n';
    }
    pairs.close();
    if (!pairs) {
      throw Failure(
          Error::Internal("link.cannot_write", "writing '" + o.link_pairs_out + "' failed"));
    }
  }

  const auto est = l.EstimateAt(o.link_threshold);
  const double seconds =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  if (o.json) {
    json::array rules;
    for (const auto& r : l.rules()) {
      rules.push_back({{"rule", r.rule}, {"pairs", r.pairs}, {"used", r.used}});
    }
    json::array histogram;
    for (const auto& b : l.Histogram(2)) {
      histogram.push_back({{"from", b.from}, {"to", b.to}, {"pairs", b.pairs}});
    }
    json::object doc{{"records", l.records()},
                     {"pairs_compared", l.pairs().size()},
                     {"rules", rules},
                     {"model", link::ToJson(l.model())},
                     {"threshold", o.link_threshold},
                     {"estimate",
                      {{"precision", est.precision},
                       {"recall", est.recall},
                       {"expected_matches", est.expected_matches},
                       {"pairs_above", est.pairs_above}}},
                     {"histogram", histogram},
                     {"out", o.out},
                     {"rows_written", written},
                     {"seconds", seconds}};
    const auto& t = l.times();
    auto between = [](auto from, auto to) {
      return std::chrono::duration<double>(to - from).count();
    };
    doc["steps"] = {{"read", between(start, read)},
                    {"block", t.block},
                    {"compare", t.compare},
                    {"train", t.train},
                    {"score", t.score},
                    {"run", between(read, ran)}};
    if (mode == link::Mode::kDedupe) doc["clusters"] = clusters;
    if (explained) doc["explain"] = link::ToJson(*explained);
    std::cout << json_util::Serialize(doc) << "\n";
    return 0;
  }
  std::cout << l.records() << " records; ";
  if (mode == link::Mode::kDedupe) {
    std::cout << clusters << " clusters written to " << o.out << "\n\n";
  } else {
    std::cout << written << " links written to " << o.out << "\n\n";
  }
  PrintModel(l, est, seconds);
  if (explained) PrintExplanation(*explained);
  return 0;
}

// A project file: its sources are CSV files (paths relative to the project file), mapped onto
// the target's fields, linked as one deduplication; writes one row per cluster (the golden
// record, its members and where each value came from) and prints the report.
int RunLinkProject(const Options& o) {
  if (o.files.size() != 1) throw Failure(Error::BadRequest("cli.usage", "give one project file"));
  const std::filesystem::path project_path(o.files[0]);
  std::ifstream in(project_path, std::ios::binary);
  if (!in) {
    throw Failure(
        Error::NotFound("link.file_not_found", "cannot read '" + project_path.string() + "'"));
  }
  std::stringstream text;
  text << in.rdbuf();
  boost::system::error_code ec;
  json::value doc = json::parse(text.str(), ec);
  if (ec) {
    throw Failure(Error::Invalid(std::string(link::kInvalidProject),
                                 project_path.string() + " is not JSON: " + ec.message()));
  }
  auto project = Must(link::ParseProject(doc));
  std::vector<link::SourceTable> tables;
  for (const auto& source : project.sources) {
    if (source.file.empty()) {
      throw Failure(Error::Invalid(std::string(link::kInvalidProject),
                                   "source '" + source.label +
                                       "' names a dataset: on the command line sources are "
                                       "files (\"file\": \"a.csv\"); datasets are the hub's"));
    }
    std::filesystem::path file(source.file);
    if (file.is_relative()) file = project_path.parent_path() / file;
    LinkInput input = OpenLinkInput(file.string());
    link::SourceTable t;
    t.header = std::move(input.header);
    t.rows = std::move(input.sample);
    std::vector<std::string> row;
    while (input.reader->Next(row)) t.rows.push_back(row);
    if (input.reader->error()) throw Failure(*input.reader->error());
    t.batches.assign(t.rows.size(), 0);
    tables.push_back(std::move(t));
  }
  std::unique_ptr<store::Store> store;
  std::shared_ptr<const units::Registry> registry;
  if (std::filesystem::exists(o.db)) {
    store = OpenStore(o.db, false);
    registry = LoadRegistry(*store);
  }
  auto records = Must(link::MapSources(project, tables, registry.get()));
  size_t problems = 0;
  for (const auto& r : records) problems += r.problems.size();
  auto run = Must(
      link::LinkRecords(project, records, registry.get(), {}, std::nullopt, {}, o.link_threads));
  std::vector<std::pair<std::string, std::string>> links;
  size_t review = 0;
  for (size_t i = 0; i < run.keys.size(); ++i) {
    if (run.probability[i] >= project.threshold) {
      links.push_back(run.keys[i]);
    } else {
      ++review;
    }
  }
  std::vector<std::string> keys;
  keys.reserve(records.size());
  for (const auto& r : records) keys.push_back(r.key);
  auto clusters = link::AssignClusters(keys, links, {});
  std::map<std::string, std::vector<const link::MappedRecord*>> members;
  for (size_t i = 0; i < clusters.size(); ++i) members[clusters[i].second].push_back(&records[i]);

  if (o.out.empty()) throw Failure(Error::BadRequest("cli.usage", "--out FILE is required"));
  std::ofstream out(o.out, std::ios::binary | std::ios::trunc);
  if (!out) throw Failure(Error::BadRequest("link.cannot_write", "cannot write '" + o.out + "'"));
  out << "cluster_id";
  for (const auto& f : project.fields) out << ',' << CsvField(f.name);
  out << ",records,sources\n";
  for (const auto& [id, rs] : members) {
    out << CsvField(id);
    for (const auto& g : link::Survive(project, rs, {})) out << ',' << CsvField(g.value);
    std::string from;
    for (const auto* r : rs) from += (from.empty() ? "" : "; ") + r->key;
    out << ',' << rs.size() << ',' << CsvField(from) << '\n';
  }
  out.close();
  if (!out) throw Failure(Error::Internal("link.cannot_write", "writing '" + o.out + "' failed"));

  json::object report = std::move(run.report);
  report["records"] = static_cast<int64_t>(records.size());
  report["mapping_problems"] = static_cast<int64_t>(problems);
  report["clusters"] = static_cast<int64_t>(members.size());
  report["pairs_to_review"] = static_cast<int64_t>(review);
  report["out"] = o.out;
  if (o.json) {
    std::cout << json_util::Serialize(report) << "\n";
    return 0;
  }
  const auto& est = report.at("estimate").as_object();
  std::cout << records.size() << " records of " << tables.size() << " sources (" << problems
            << " values the mapping could not make); " << members.size()
            << " golden records written to " << o.out << "\n"
            << review << " pairs between " << project.review_from << " and " << project.threshold
            << " would wait for review in the hub\n"
            << "Estimated precision " << Fixed(est.at("precision").to_number<double>(), 4)
            << ", recall " << Fixed(est.at("recall").to_number<double>(), 4) << " at "
            << project.threshold << "\n";
  return 0;
}

int RunLinkDedupe(const Options& o) {
  return RunLink(o, link::Mode::kDedupe);
}
int RunLinkPair(const Options& o) {
  return RunLink(o, link::Mode::kPair);
}

}  // namespace

void AddLinkCommands(CLI::App& app, Options& o, int (*&action)(const Options&)) {
  auto* cmd = app.add_subcommand(
      "link",
      "Record linkage: find the same people in CSV files (with a database at --db, old commune "
      "codes are compared through its unit registry)");
  cmd->require_subcommand(1);
  auto common = [&](CLI::App* c) {
    c->add_option("--id", o.link_id, "The column holding each record's id")->required();
    c->add_option("--out", o.out, "CSV file to write")->required();
    c->add_option("--threshold", o.link_threshold,
                  "Match probability at or above which two records are linked")
        ->capture_default_str();
    c->add_option("--rules", o.link_rules,
                  "Blocking rules: ';' between rules, ',' between keys, e.g. "
                  "\"surname,dob_year;given3,postcode\" (default: chosen from the columns)");
    c->add_option("--max-pairs", o.link_max_pairs,
                  "Pairs one blocking rule may generate; a rule over it is refused")
        ->capture_default_str();
    c->add_option("--threads", o.link_threads, "Threads comparing pairs")->capture_default_str();
    c->add_option("--explain", o.link_explain, "ID1,ID2: print why two records match or not");
    c->add_option("--pairs-out", o.link_pairs_out,
                  "CSV file to write every compared pair to, with its match weight");
    c->add_flag("--json", o.json, "Machine-readable output");
    c->add_option("--db", o.db,
                  "A database whose unit registry compares old commune codes with their new "
                  "communes (when the file exists; default $PDH_DB or var/pdh.db)");
  };
  auto* dedupe = cmd->add_subcommand("dedupe", "Find the duplicates within one file");
  dedupe->add_option("file", o.files, "CSV file")->required()->expected(1);
  common(dedupe);
  dedupe->callback([&] { action = RunLinkDedupe; });

  auto* pair = cmd->add_subcommand(
      "pair", "Link two files, each free of duplicates: at most one link per record");
  pair->add_option("files", o.files, "A.csv B.csv")->required()->expected(2);
  common(pair);
  pair->callback([&] { action = RunLinkPair; });

  auto* project = cmd->add_subcommand(
      "project",
      "Run a consolidation project file (JSON: sources as CSV files, their field mapping, the "
      "target's fields and survivorship): one row per golden record");
  project->add_option("file", o.files, "Project file (JSON)")->required()->expected(1);
  project->add_option("--out", o.out, "CSV file to write the golden records to")->required();
  project->add_option("--threads", o.link_threads, "Threads comparing pairs")
      ->capture_default_str();
  project->add_flag("--json", o.json, "Machine-readable output");
  project->add_option("--db", o.db,
                      "A database whose unit registry maps old commune codes (when it exists)");
  project->callback([&] { action = RunLinkProject; });
}

}  // namespace pdh::cli
