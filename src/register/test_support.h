// What the registers' tests share: a new record's first version, records each missing one
// field, and the check that the error an edit of one raises names that field.
#pragma once

#include <gtest/gtest.h>

#include <string>
#include <utility>
#include <vector>

#include "core/date.h"

namespace pdh::reg::testing {

// A record without one field it needs.
template <class T>
struct Without {
  std::string field;
  T record;
};

// `record` with `clear` applied to it: `field` gone.
template <class T, class Clear>
Without<T> Missing(std::string field, T record, Clear clear) {
  clear(record);
  return {std::move(field), std::move(record)};
}

// Each record refused by `create` with `code`, the message starting with the field's name.
template <class T, class Create>
void ExpectEachRefusedNamingTheField(const std::vector<Without<T>>& cases, const std::string& code,
                                     Create create) {
  for (const auto& c : cases) {
    auto r = create(c.record);
    ASSERT_FALSE(r) << c.field;
    EXPECT_EQ(r.error().code, code) << c.field;
    EXPECT_EQ(r.error().message.rfind(c.field + ": ", 0), 0u) << r.error().message;
  }
}

// A record just created: version 1, in force from `effective`.
template <class R>
void ExpectCreated(const R& created, Date effective) {
  ASSERT_TRUE(created) << created.error().message;
  EXPECT_EQ(created->version, 1);
  EXPECT_EQ(created->effective, effective);
}

}  // namespace pdh::reg::testing
