// Conditions over a record's fields, in the indicators' expression language (engine/expr.h):
// the data-quality rules a steward writes for a dataset.
#include <string>
#include <vector>

#include "engine/engine.h"
#include "engine/expr.h"

namespace pdh::engine {

struct RecordCondition::Compiled {
  Expr expr;
  std::vector<size_t> field_of_ref;  // by index into expr.refs()
};

namespace {

class RecordInputs final : public Inputs {
 public:
  RecordInputs(const std::vector<size_t>& field_of_ref,
               const std::vector<std::optional<double>>& values)
      : field_of_ref_(field_of_ref), values_(values) {}
  std::optional<double> Value(size_t ref, TimeSpec when) const override {
    if (when.offset != 0 || when.ytd) return std::nullopt;  // a record has no other periods
    const size_t f = field_of_ref_[ref];
    return f < values_.size() ? values_[f] : std::nullopt;
  }

 private:
  const std::vector<size_t>& field_of_ref_;
  const std::vector<std::optional<double>>& values_;
};

}  // namespace

Result<RecordCondition> RecordCondition::Parse(std::string_view text,
                                               const std::vector<std::string>& fields) {
  auto expr = Expr::Parse(text);
  if (!expr) return Fail(expr.error());
  auto compiled = std::make_shared<Compiled>(Compiled{std::move(*expr), {}});
  RecordCondition c;
  c.text_ = std::string(text);
  for (const auto& ref : compiled->expr.refs()) {
    if (ref.kind != RefKind::kElement || !ref.option.empty()) {
      return Fail(Error::Invalid("expression.not_a_field",
                                 "'" + RefText(ref) +
                                     "' is not a field: a record's condition reads its fields "
                                     "as #{field}"));
    }
    size_t f = 0;
    while (f < fields.size() && fields[f] != ref.code) ++f;
    if (f == fields.size()) {
      std::string names;
      for (const auto& n : fields) {
        if (!names.empty()) names += ", ";
        names += n;
      }
      return Fail(Error::Invalid(
          "expression.unknown_field",
          "#{" + ref.code + "} is not a field of the dataset (its fields: " + names + ")"));
    }
    compiled->field_of_ref.push_back(f);
    c.reads_.push_back(f);
  }
  c.compiled_ = std::move(compiled);
  return c;
}

std::optional<bool> RecordCondition::Holds(const std::vector<std::optional<double>>& values) const {
  const RecordInputs in(compiled_->field_of_ref, values);
  auto v = compiled_->expr.Eval(in);
  if (!v) return std::nullopt;
  return *v != 0;
}

}  // namespace pdh::engine
