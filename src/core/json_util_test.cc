// Tests for the JSON helpers the modules share: values written, and one field read with the
// module's error code.
#include "core/json_util.h"

#include <gtest/gtest.h>

#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>

#include <cmath>
#include <cstdint>
#include <limits>

namespace pdh::json_util {
namespace {

namespace json = boost::json;

enum class Colour { kRed, kGreen };
constexpr std::array<std::string_view, 2> kColourNames = {"red", "green"};

std::optional<Colour> ParseColour(std::string_view s) {
  return ParseName<Colour>(kColourNames, s);
}

constexpr FieldReader kFields("demo.invalid_field");

TEST(JsonUtilTest, WritesOptionalDatesAndLists) {
  EXPECT_EQ(OptDate(Date{2025, 10, 31}), json::value("2025-10-31"));
  EXPECT_TRUE(OptDate(std::nullopt).is_null());
  EXPECT_EQ(json::serialize(Strings({"a", "b"})), "[\"a\",\"b\"]");
  EXPECT_EQ(Parse("{\"a\": 1}").as_object().at("a"), json::value(1));
  EXPECT_TRUE(Parse("{not json").is_null());
}

TEST(JsonUtilTest, ReadsFieldsNamingThemInErrors) {
  EXPECT_EQ(*kFields.String(nullptr, "name"), "");
  EXPECT_EQ(*kFields.Strings(json::array{"x", "y"}, "tags"), (std::vector<std::string>{"x", "y"}));
  EXPECT_EQ(*kFields.OptionalDate(json::value("2025-10-31"), "due"), (Date{2025, 10, 31}));
  EXPECT_EQ(*kFields.Enum<Colour>(json::value("green"), "colour", ParseColour), Colour::kGreen);

  auto bad = kFields.Strings(json::array{"x", 1}, "tags");
  ASSERT_FALSE(bad);
  EXPECT_EQ(bad.error().code, "demo.invalid_field");
  EXPECT_EQ(bad.error().message, "tags: must be a list of strings");
  EXPECT_EQ(bad.error().status, 422);
  EXPECT_EQ(kFields.Enum<Colour>(json::value("blue"), "colour", ParseColour).error().message,
            "colour: 'blue' is not one of the allowed values");
  EXPECT_EQ(kFields.OptionalDate(json::value(3), "due").error().message,
            "due: must be a date such as 2025-10-31");
}

TEST(JsonUtilTest, AssignPassesErrorsOn) {
  std::string out = "before";
  EXPECT_TRUE(Assign(out, kFields.String(json::value("after"), "f")));
  EXPECT_EQ(out, "after");
  EXPECT_FALSE(Assign(out, kFields.String(json::value(1), "f")));
  EXPECT_EQ(out, "after");
}

TEST(JsonUtilTest, SerializeWritesNumbersAsPeopleWriteThem) {
  // What Boost.JSON writes, for the record: the reason Serialize exists.
  EXPECT_EQ(json::serialize(json::value(70.81081)), "7.081081E1");
  EXPECT_EQ(Serialize(json::value(70.81081)), "70.81081");
  EXPECT_EQ(Serialize(json::value(99.6)), "99.6");
  EXPECT_EQ(Serialize(json::value(0.5)), "0.5");
  EXPECT_EQ(Serialize(json::value(-2.25)), "-2.25");
  EXPECT_EQ(Serialize(json::value(100.0)), "100");
  EXPECT_EQ(Serialize(json::value(0.0)), "0");
  EXPECT_EQ(Serialize(json::value(1e-7)), "1e-07");
  EXPECT_EQ(Serialize(json::value(1.5e300)), "1.5e+300");
  EXPECT_EQ(Serialize(json::value(3254170.0)), "3254170");
  EXPECT_EQ(Serialize(json::value(0.1 + 0.2)), "0.30000000000000004");  // reads back exactly
  EXPECT_EQ(Serialize(json::value(std::numeric_limits<double>::infinity())), "null");
  EXPECT_EQ(Serialize(json::value(std::nan(""))), "null");
  EXPECT_EQ(Serialize(json::value(int64_t{-9007199254740993})), "-9007199254740993");
  EXPECT_EQ(Serialize(json::value(uint64_t{18446744073709551615u})), "18446744073709551615");
}

TEST(JsonUtilTest, SerializeWritesTheRestAsBoostDoes) {
  const json::value v = json::parse(
      R"({"tên":"Nguyễn Văn An","q":"a\"b\\c/\b\f\n\r\t\u0001\u001f\u007f","xs":[1,true,)"
      R"(false,null,{},[]],"n":-3,"nested":{"a":[{"b":"c"}]}})");
  EXPECT_EQ(Serialize(v), json::serialize(v));
  EXPECT_EQ(Serialize(json::value("")), "\"\"");
  std::string out = "x=";
  SerializeTo(out, json::array{1.25, "y"});
  EXPECT_EQ(out, "x=[1.25,\"y\"]");
  // Whatever it writes reads back to the same value.
  const json::value rates = {{"online", 99.6}, {"paid", 99.73}, {"tiny", 1e-7}, {"third", 1.0 / 3}};
  EXPECT_EQ(json::parse(Serialize(rates)), rates);
}

}  // namespace
}  // namespace pdh::json_util
