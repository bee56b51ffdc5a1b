// A register's names, problems, text and versions: error codes, the rules' problems, codes and
// free-text words, snapshots compared field by field and stored versions read back.
#include <boost/json/serialize.hpp>

#include <algorithm>
#include <cctype>

#include "core/text.h"
#include "register/register.h"

namespace pdh::reg {

namespace json = boost::json;

Problem MakeProblem(std::string code, std::string field, std::string message) {
  return {Error::Invalid(std::move(code), field + ": " + std::move(message)), std::move(field)};
}

std::string Codes::Code(std::string_view name) const {
  return std::string(module_) + "." + std::string(name);
}

Problem Codes::Missing(const std::string& field, const std::string& why) const {
  return MakeProblem(Code("missing_field"), field, "required " + why);
}

Problem Codes::Invalid(const std::string& field, const std::string& why) const {
  return MakeProblem(Code("invalid_field"), field, why);
}

Error Codes::BadFile(const std::string& why) const {
  return Error::BadRequest(Code("bad_file"), why);
}

Error Codes::TooManyRows(size_t max, std::string_view what) const {
  return BadFile("more than " + std::to_string(max) + " rows: split the " + std::string(what));
}

Error Codes::Corrupt(const std::string& what) const {
  return Error::Internal(Code("corrupt"),
                         "a stored " + std::string(stored_) + what + " cannot be read");
}

Error Codes::WriteFailed(const std::string& message) const {
  return Error::Internal(Code("write_failed"), message);
}

bool ValidCode(std::string_view code) {
  return !code.empty() && code.size() <= 64 && std::all_of(code.begin(), code.end(), [](char c) {
    return std::isalnum(static_cast<unsigned char>(c)) || c == '.' || c == '-' || c == '_';
  });
}

std::optional<Problem> CheckCode(const Codes& codes, const std::string& code,
                                 std::string_view record, std::string_view example) {
  if (code.empty()) return codes.Missing("code", "for every " + std::string(record));
  if (!ValidCode(code)) {
    return codes.Invalid("code", "use up to 64 letters, digits, '.', '-' or '_' (e.g. " +
                                     std::string(example) + ")");
  }
  return std::nullopt;
}

std::string CollapseText(const std::string& s) {
  return text::CollapseSpaces(text::Nfc(s));
}

std::vector<std::string> CleanList(const std::vector<std::string>& items, std::string_view drop) {
  std::vector<std::string> out;
  for (const auto& item : items) {
    std::string s = CollapseText(item);
    if (s.empty() || (!drop.empty() && s == drop)) continue;
    if (std::find(out.begin(), out.end(), s) == out.end()) out.push_back(std::move(s));
  }
  return out;
}

std::vector<std::string> Words(const std::string& q) {
  std::vector<std::string> words;
  const std::string folded = text::Fold(q);
  size_t start = 0;
  while (start < folded.size()) {
    size_t end = folded.find(' ', start);
    if (end == std::string::npos) end = folded.size();
    if (end > start) words.push_back(folded.substr(start, end - start));
    start = end + 1;
  }
  return words;
}

Date Today(const Clock& clock) {
  return *Date::Parse(FormatTime(clock.Now()).substr(0, 10));
}

bool IsSet(const json::value& v) {
  if (v.is_null()) return false;
  if (v.is_string()) return !v.get_string().empty();
  if (v.is_array()) return !v.get_array().empty();
  if (v.is_bool()) return v.get_bool();
  if (v.is_object()) {
    const auto& o = v.get_object();
    return std::any_of(o.begin(), o.end(), [](const auto& kv) { return IsSet(kv.value()); });
  }
  return true;
}

std::vector<FieldChange> Diff(const json::object* before, const json::object& after) {
  std::vector<FieldChange> out;
  for (const auto& [key, value] : after) {
    const json::value* old = before ? before->if_contains(key) : nullptr;
    if (old ? *old == value : !IsSet(value)) continue;
    out.push_back({std::string(key), old ? *old : json::value(nullptr), value});
  }
  return out;
}

json::array ChangesJson(const std::vector<FieldChange>& changes) {
  json::array a;
  for (const auto& c : changes) {
    a.push_back(json::object{{"field", c.field}, {"before", c.before}, {"after", c.after}});
  }
  return a;
}

NewVersion MakeVersion(const json::object* before, const json::object& after, int64_t current) {
  return {before ? current + 1 : 1, json::serialize(after),
          json::serialize(ChangesJson(Diff(before, after)))};
}

Result<std::pair<Date, std::vector<FieldChange>>> ReadVersionParts(
    const Codes& codes, const std::string& code, int64_t number, bool snapshot_ok,
    const std::string& effective_date, const std::string& changes) {
  auto effective = Date::Parse(effective_date);
  const json::value list = json_util::Parse(changes);
  if (!snapshot_ok || !effective || !list.is_array()) {
    return Fail(codes.Corrupt("version " + std::to_string(number) + " of '" + code + "'"));
  }
  std::vector<FieldChange> out;
  for (const auto& c : list.get_array()) {
    const auto* o = c.if_object();
    const auto* field = o ? o->if_contains("field") : nullptr;
    if (!field || !field->is_string()) return Fail(codes.Corrupt("change of '" + code + "'"));
    out.push_back({std::string(field->get_string()),
                   o->contains("before") ? o->at("before") : nullptr,
                   o->contains("after") ? o->at("after") : nullptr});
  }
  return std::pair<Date, std::vector<FieldChange>>(*effective, std::move(out));
}

json::object ToJson(const ImportReport& r) {
  json::array errors;
  for (const auto& e : r.errors) {
    errors.push_back(json::object{
        {"row", e.row}, {"column", e.column}, {"code", e.code}, {"message", e.message}});
  }
  return {{"rows", r.rows},           {"created", r.created},       {"updated", r.updated},
          {"unchanged", r.unchanged}, {"rejected", r.rejected},     {"dry_run", r.dry_run},
          {"written", r.written},     {"errors", std::move(errors)}};
}

}  // namespace pdh::reg
