// Tests for the JSON helpers the modules share: values written, and one field read with the
// module's error code.
#include "core/json_util.h"

#include <gtest/gtest.h>

#include <boost/json/serialize.hpp>

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

}  // namespace
}  // namespace pdh::json_util
