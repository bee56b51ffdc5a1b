// The register core on its own: codes and problems, text, snapshots compared field by field,
// versions made and read back, and the version in force on a date.
#include <gtest/gtest.h>

#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>

#include <stdexcept>
#include <utility>

#include "register/register.h"

namespace pdh::reg {
namespace {

namespace json = boost::json;

constexpr Codes kVersionedCodes("widget", "widget ");

TEST(Codes, NameTheModuleAndTheField) {
  EXPECT_EQ(kVersionedCodes.Code("not_found"), "widget.not_found");
  const Problem missing = kVersionedCodes.Missing("name", "for every widget");
  EXPECT_EQ(missing.field, "name");
  EXPECT_EQ(missing.error.code, "widget.missing_field");
  EXPECT_EQ(missing.error.message, "name: required for every widget");
  EXPECT_EQ(kVersionedCodes.Invalid("size", "must be 0 or more").error.code,
            "widget.invalid_field");
  EXPECT_EQ(kVersionedCodes.TooManyRows(10).message, "more than 10 rows: split the file");
  EXPECT_EQ(kVersionedCodes.TooManyRows(10, "sheet").code, "widget.bad_file");
  EXPECT_EQ(kVersionedCodes.Corrupt("widget 'W1'").message,
            "a stored widget widget 'W1' cannot be read");
  EXPECT_EQ(kVersionedCodes.WriteFailed("disk full").code, "widget.write_failed");
}

TEST(Text, CodesWordsAndLists) {
  EXPECT_TRUE(ValidCode("CSDL-SYT_01.a"));
  EXPECT_FALSE(ValidCode(""));
  EXPECT_FALSE(ValidCode("a b"));
  EXPECT_FALSE(ValidCode(std::string(65, 'a')));
  EXPECT_EQ(Words("Cơ sở  dữ liệu"), (std::vector<std::string>{"co", "so", "du", "lieu"}));
  EXPECT_TRUE(Words("   ").empty());
  EXPECT_EQ(CollapseText("  Y   tế "), "Y tế");
  EXPECT_EQ(CleanList({" a ", "", "b", "a", "c"}, "c"), (std::vector<std::string>{"a", "b"}));
  EXPECT_EQ(Today(ManualClock(*ParseTime("2025-10-31T23:59:00Z"))), *Date::Parse("2025-10-31"));
}

TEST(Versions, DiffListsChangedAndNewlySetFields) {
  EXPECT_FALSE(IsSet(json::value(nullptr)));
  EXPECT_FALSE(IsSet(json::value("")));
  EXPECT_FALSE(IsSet(json::value(false)));
  EXPECT_FALSE(IsSet(json::parse(R"({"name": "", "position": null})")));
  EXPECT_TRUE(IsSet(json::parse(R"({"name": "A"})")));
  EXPECT_TRUE(IsSet(json::value(0)));

  const json::object before = json::parse(R"({"code": "W1", "name": "A", "tags": []})").as_object();
  const json::object after =
      json::parse(R"({"code": "W1", "name": "B", "tags": [], "size": 3})").as_object();
  const auto changes = Diff(&before, after);
  ASSERT_EQ(changes.size(), 2u);
  EXPECT_EQ(changes[0].field, "name");
  EXPECT_EQ(changes[0].before, json::value("A"));
  EXPECT_EQ(changes[0].after, json::value("B"));
  EXPECT_EQ(changes[1].field, "size");
  EXPECT_TRUE(changes[1].before.is_null());

  // A new record: every set field, nothing unset.
  const auto created = Diff(nullptr, before);
  ASSERT_EQ(created.size(), 2u);
  EXPECT_EQ(created[0].field, "code");
  EXPECT_EQ(created[1].field, "name");
}

struct VersionedWidget {
  std::string code;
  std::string name;
};

Result<VersionedWidget> WidgetFromJson(const json::value& v) {
  const auto* o = v.if_object();
  if (!o) return Fail(Error::Invalid("widget.invalid_field", "not an object"));
  static const FieldReaders<VersionedWidget> readers = {
      {"code",
       [](VersionedWidget& w, const json::value& x) -> Status {
         w.code = std::string(x.as_string());
         return Ok();
       }},
      {"name",
       [](VersionedWidget& w, const json::value& x) -> Status {
         w.name = std::string(x.as_string());
         return Ok();
       }},
  };
  VersionedWidget w;
  if (auto s = ReadFields(*o, readers, json_util::FieldReader("widget.invalid_field"), w); !s) {
    return Fail(s.error());
  }
  return w;
}

struct Row {
  std::string code;
  int64_t number = 0;
  std::string effective_date;
  std::string snapshot;
  std::string changes;
};

TEST(Versions, MadeAndReadBack) {
  const json::object v1 = {{"code", "W1"}, {"name", "A"}};
  const json::object v2 = {{"code", "W1"}, {"name", "B"}};
  const NewVersion first = MakeVersion(nullptr, v1, 0);
  EXPECT_EQ(first.number, 1);
  const NewVersion second = MakeVersion(&v1, v2, 1);
  EXPECT_EQ(second.number, 2);
  EXPECT_EQ(second.changes, R"([{"field":"name","before":"A","after":"B"}])");

  const Row row{"W1", 2, "2025-09-01", second.snapshot, second.changes};
  auto read = ReadVersion(kVersionedCodes, row, &WidgetFromJson);
  ASSERT_TRUE(read) << read.error().message;
  EXPECT_EQ(read->record.name, "B");
  EXPECT_EQ(read->effective, *Date::Parse("2025-09-01"));
  ASSERT_EQ(read->changes.size(), 1u);
  EXPECT_EQ(read->changes[0].after, json::value("B"));
  EXPECT_EQ(json::serialize(ChangesJson(read->changes)), second.changes);

  auto bad_snapshot =
      ReadVersion(kVersionedCodes, Row{"W1", 2, "2025-09-01", "[]", "[]"}, &WidgetFromJson);
  ASSERT_FALSE(bad_snapshot);
  EXPECT_EQ(bad_snapshot.error().code, "widget.corrupt");
  EXPECT_EQ(bad_snapshot.error().message, "a stored widget version 2 of 'W1' cannot be read");
  auto bad_change = ReadVersion(kVersionedCodes, Row{"W1", 2, "2025-09-01", second.snapshot, "[1]"},
                                &WidgetFromJson);
  ASSERT_FALSE(bad_change);
  EXPECT_EQ(bad_change.error().message, "a stored widget change of 'W1' cannot be read");
}

TEST(Versions, ReadFieldsRefusesUnknownKeys) {
  auto w = WidgetFromJson(json::parse(R"({"code": "W1", "colour": "red"})"));
  ASSERT_FALSE(w);
  EXPECT_EQ(w.error().code, "widget.invalid_field");
  EXPECT_EQ(w.error().message, "colour: unknown field");
}

TEST(AsOf, TheVersionInForceOnADate) {
  const std::vector<Row> none;
  EXPECT_EQ(InForce(none, *Date::Parse("2025-01-01")), nullptr);
  const std::vector<Row> rows = {{"W1", 1, "2025-03-01", "", ""}, {"W1", 2, "2025-06-01", "", ""}};
  EXPECT_EQ(InForce(rows, *Date::Parse("2025-01-01"))->number, 1);  // took effect later
  EXPECT_EQ(InForce(rows, *Date::Parse("2025-06-01"))->number, 2);
  EXPECT_EQ(InForce(rows, *Date::Parse("2025-05-31"))->number, 1);

  auto numbers = ReadRows(rows, [](const Row& r) -> Result<int64_t> { return r.number; });
  ASSERT_TRUE(numbers);
  EXPECT_EQ(*numbers, (std::vector<int64_t>{1, 2}));
  auto failed = ReadRows(rows, [](const Row& r) -> Result<int64_t> {
    if (r.number == 2) return Fail(kVersionedCodes.Corrupt("row"));
    return r.number;
  });
  EXPECT_FALSE(failed);
}

TEST(ImportReports, AsJson) {
  ImportReport r;
  r.rows = 2;
  r.rejected = 1;
  r.dry_run = true;
  r.errors.push_back({3, "name", "widget.missing_field", "name: required"});
  EXPECT_EQ(json::serialize(ToJson(r)),
            R"({"rows":2,"created":0,"updated":0,"unchanged":0,"rejected":1,"dry_run":true,)"
            R"("written":false,"errors":[{"row":3,"column":"name","code":"widget.missing_field",)"
            R"("message":"name: required"}]})");
}

enum class Finish { kNone, kMatte };
constexpr EnumNames<Finish, 2> kFinishNames{{"", "matte"}};

struct Gadget {
  std::string code;
  std::vector<std::string> tags;
  std::optional<Date> since;
  Finish finish = Finish::kNone;
  bool spare = false;
};

const FieldReaders<Gadget>& GadgetFields() {
  static const FieldReaders<Gadget> fields = {
      StringField<&Gadget::code>("code"),
      StringsField<&Gadget::tags>("tags"),
      DateField<&Gadget::since>("since"),
      WrittenAs(EnumField<&Gadget::finish, kFinishNames>("finish"),
                [](const Gadget& g) {
                  return g.finish == Finish::kNone ? json::value(nullptr)
                                                   : json::value(kFinishNames.Name(g.finish));
                }),
      {"spare",
       [](Gadget& g, const json::value& v) -> Status {
         g.spare = v.as_bool();
         return Ok();
       },
       [](const Gadget& g) { return json::value(g.spare); }},
  };
  return fields;
}

TEST(Fields, WriteWhatTheyReadInTheirOrder) {
  const json_util::FieldReader reader("gadget.invalid_field");
  Gadget g;
  ASSERT_TRUE(ReadFields(
      json::parse(
          R"({"spare":true,"finish":"matte","since":"2025-01-02","tags":["a","b"],"code":"G-1"})")
          .as_object(),
      GadgetFields(), reader, g));
  EXPECT_EQ(
      json::serialize(WriteFields(GadgetFields(), g)),
      R"({"code":"G-1","tags":["a","b"],"since":"2025-01-02","finish":"matte","spare":true})");
  EXPECT_EQ(json::serialize(WriteFields(GadgetFields(), Gadget{})),
            R"({"code":"","tags":[],"since":null,"finish":null,"spare":false})");

  FieldReaders<Gadget> read_only = {
      {"spare", [](Gadget&, const json::value&) -> Status { return Ok(); }}};
  EXPECT_THROW((void)WriteFields(read_only, g), std::logic_error);
}

TEST(Tally, CountsByNameInTheOrderNamed) {
  Tally t{"platforms", "databases"};
  ++t["databases"];
  t["platforms"] = 35;
  EXPECT_EQ(t["platforms"], 35u);
  EXPECT_EQ(std::as_const(t)["databases"], 1u);
  EXPECT_EQ(json::serialize(t.ToJson()), R"({"platforms":35,"databases":1})");
  EXPECT_THROW(t["tasks"], std::logic_error);
}

}  // namespace
}  // namespace pdh::reg
