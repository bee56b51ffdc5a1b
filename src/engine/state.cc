// The engine's state: built whole from the store, then kept up batch by batch. Every series is
// computed by the same functions whether for a full build or an update — from exact sources
// (reported values as stored, record contributions as integers) in a fixed order — so an
// update gives bit for bit what a full build would.
#include <algorithm>
#include <charconv>
#include <chrono>
#include <cstring>
#include <exception>
#include <limits>
#include <set>
#include <string>
#include <string_view>
#include <thread>
#include <unordered_set>
#include <utility>

#include "core/date.h"
#include "engine/internal.h"

namespace pdh::engine {
namespace {

// Days since 1970-01-01 of an ISO time's date (0 when it has none); 32 bits hold any year the
// engine reads.
int32_t DayOf(const std::string& iso_time) {
  auto d = Date::Parse(std::string_view(iso_time).substr(0, 10));
  return d ? static_cast<int32_t>(DayNumber(*d)) : 0;
}

// Sums in a fixed order, skipping blanks: none when every term is blank.
struct Acc {
  double sum = 0;
  double min = std::numeric_limits<double>::infinity();
  double max = -std::numeric_limits<double>::infinity();
  int n = 0;
  double last = kNone;
  void Add(double v) {
    if (!Has(v)) return;
    sum += v;
    min = std::min(min, v);
    max = std::max(max, v);
    last = v;
    ++n;
  }
  double Get(UnitAgg a) const {
    if (n == 0) return kNone;
    switch (a) {
      case UnitAgg::kSum:
        return sum;
      case UnitAgg::kAverage:
        return sum / n;
      case UnitAgg::kMin:
        return min;
      case UnitAgg::kMax:
        return max;
      case UnitAgg::kNone:
        return last;
    }
    return kNone;
  }
  double Get(TimeAgg a) const {
    if (n == 0) return kNone;
    switch (a) {
      case TimeAgg::kSum:
        return sum;
      case TimeAgg::kLast:
        return last;
      case TimeAgg::kAverage:
        return sum / n;
    }
    return kNone;
  }
};

bool SameSeries(const Series* a, const Series* b) {
  if (a == b) return true;
  if (!a || !b) return false;
  for (size_t i = 0; i < a->size(); ++i) {
    const double x = (*a)[i];
    const double y = (*b)[i];
    if (Has(x) != Has(y) || (Has(x) && x != y)) return false;
  }
  return true;
}

// Fills the quarters, years and years-to-date of `s` from its months (or the years from its
// quarters, for quarterly elements).
void AggregateTime(const Axis& ax, PeriodKind native, TimeAgg agg, Series& s) {
  auto at = [&s](int k) -> double& { return s[static_cast<size_t>(k)]; };
  for (int y = 0; y < ax.years; ++y) {
    if (native == PeriodKind::kMonth) {
      Acc year;
      for (int q = 0; q < 4; ++q) {
        Acc quarter;
        for (int m = q * 3; m < q * 3 + 3; ++m) {
          const double v = at(y * 12 + m);
          quarter.Add(v);
          year.Add(v);
          at(ax.ytd_at() + y * 12 + m) = year.Get(agg);
        }
        at(ax.quarters_at() + y * 4 + q) = quarter.Get(agg);
      }
      at(ax.years_at() + y) = year.Get(agg);
    } else if (native == PeriodKind::kQuarter) {
      Acc year;
      for (int q = 0; q < 4; ++q) year.Add(at(ax.quarters_at() + y * 4 + q));
      at(ax.years_at() + y) = year.Get(agg);
    }
  }
}

// Sums of millionths: exact, so the order records come in does not matter.
__extension__ typedef __int128 Int128;
__extension__ typedef unsigned __int128 UInt128;

// The saved state's first and last words: a state cut short or of another format is not read.
constexpr std::string_view kSavedMagic = "pdh engine state 2";

// Bytes of the saved state: integers as LEB128 varints (signed ones zigzagged), reals as their
// 8 bytes, texts with their length first.
class Encoder {
 public:
  void Unsigned(uint64_t v) {
    while (v >= 0x80) {
      out_.push_back(static_cast<char>((v & 0x7f) | 0x80));
      v >>= 7;
    }
    out_.push_back(static_cast<char>(v));
  }
  void Signed(int64_t v) {
    Unsigned((static_cast<uint64_t>(v) << 1) ^ static_cast<uint64_t>(v >> 63));
  }
  void Double(double v) {
    char b[sizeof v];
    std::memcpy(b, &v, sizeof v);
    out_.append(b, sizeof b);
  }
  void Text(std::string_view t) {
    Unsigned(t.size());
    out_.append(t);
  }
  std::string Take() { return std::move(out_); }

 private:
  std::string out_;
};

// Reads what an Encoder wrote; past the end or on a malformed value it reads zeros and ok()
// turns false.
class Decoder {
 public:
  explicit Decoder(std::string_view in) : in_(in) {}
  bool ok() const { return ok_; }
  bool done() const { return at_ == in_.size(); }
  uint64_t Unsigned() {
    uint64_t v = 0;
    for (int shift = 0; shift < 64; shift += 7) {
      if (at_ >= in_.size()) return Bad();
      const auto b = static_cast<unsigned char>(in_[at_++]);
      v |= static_cast<uint64_t>(b & 0x7f) << shift;
      if (!(b & 0x80)) return v;
    }
    return Bad();
  }
  int64_t Signed() {
    const uint64_t u = Unsigned();
    return static_cast<int64_t>((u >> 1) ^ (~(u & 1) + 1));
  }
  // A count of items that follow, each at least one byte: more than the bytes left is malformed.
  uint64_t Count() {
    const uint64_t n = Unsigned();
    return n > in_.size() - at_ ? Bad() : n;
  }
  double Double() {
    double v = 0;
    if (in_.size() - at_ < sizeof v) return static_cast<double>(Bad());
    std::memcpy(&v, in_.data() + at_, sizeof v);
    at_ += sizeof v;
    return v;
  }
  std::string Text() { return std::string(View()); }
  // A text as a view into the bytes read.
  std::string_view View() {
    const uint64_t n = Count();
    if (!ok_) return {};
    const std::string_view t = in_.substr(at_, n);
    at_ += n;
    return t;
  }

 private:
  uint64_t Bad() {
    ok_ = false;
    at_ = in_.size();
    return 0;
  }
  std::string_view in_;
  size_t at_ = 0;
  bool ok_ = true;
};

struct Successor {
  int unit = 0;  // current unit index
  double weight = 1;
};

}  // namespace

// The sources behind the state, which only the syncing thread touches: reported values by
// source unit (current units first, then the pre-2025 communes) and the rules' running totals.
// No record is kept: a changed record's previous contribution is computed again from the
// version the store's history gives (DatasetStore::ForEachChangeSince).
class Builder {
 public:
  Builder(Stores stores, std::shared_ptr<const units::Registry> registry, std::string home)
      : stores_(stores), registry_(std::move(registry)), home_(std::move(home)) {}

  void SetRegistry(std::shared_ptr<const units::Registry> r) { registry_ = std::move(r); }

  Result<std::shared_ptr<State>> Full(SyncStats& stats) {
    stats.rebuilt = true;
    auto st = Begin();
    if (!st) return Fail(st.error());
    // Everything committed so far; later batches and values are the next sync's.
    auto seq = stores_.index.LastValueSeq();
    if (!seq) return Fail(seq.error());
    // Sources first, to know the span of years: the reported values read on one core while
    // the records are read on the other.
    std::vector<ReadValue> values;
    int64_t rows = 0;
    int lo = Date::Today().year;
    int hi = lo;
    Status values_read = Ok();
    std::optional<Result<int64_t>> batch;
    {
      // What would end the build on this thread (memory running out) ends it on that one too,
      // as a failed build, rather than ending the process.
      std::jthread reader([&] {
        try {
          values_read = ReadValues(**st, values, rows, lo, hi);
        } catch (const std::exception& e) {
          values_read = Fail(Error::Internal("engine.values_read", e.what()));
        }
      });
      batch = LoadRecords(**st, stats);
    }
    if (!values_read) return Fail(values_read.error());
    if (!*batch) return Fail(batch->error());
    for (const auto& ds : datasets_) {
      for (const auto& [key, g] : ds.presence) {
        const int year = static_cast<int>(key & 0xffffffff) / 12;
        lo = std::min(lo, year);
        hi = std::max(hi, year);
      }
    }
    (*st)->axis = {lo, hi - lo + 1};
    raw_.assign((*st)->model->objs.size(), {});
    arrivals_.assign((*st)->model->objs.size(), {});
    for (const auto& v : values) (void)Place(**st, v, nullptr);
    stats.values += rows;
    batch_mark_ = **batch;
    value_mark_ = *seq;
    Finish(**st, stats);
    return st;
  }

  // The state saved by Save, brought back without reading the records; null when the saved
  // state is not this model's (the definitions, the units, the datasets or the year changed) or
  // not readable, and only a full build will do.
  Result<std::shared_ptr<State>> Load(std::string bytes, SyncStats& stats) {
    auto st = Begin();
    if (!st) return Fail(st.error());
    if (auto s = PlanRules(**st); !s) return Fail(s.error());
    // Kept: the distinct values' cells point into it until a batch changes them.
    saved_ = std::make_shared<const std::string>(std::move(bytes));
    if (!Decode(**st, *saved_)) {
      datasets_.clear();
      saved_.reset();
      return std::shared_ptr<State>();
    }
    for (const auto& ds : datasets_) {
      for (const auto& [key, n] : ds.presence) {
        if ((key >> 48) == 0) stats.records += n;
      }
    }
    MarkRulesDirty();
    Finish(**st, stats);
    return st;
  }

  // The sources of `st` (the state this builder last made) as bytes for Load.
  std::string Save(const State& st) const {
    Encoder out;
    out.Text(kSavedMagic);
    out.Text(Fingerprint(st));
    out.Signed(batch_mark_);
    out.Signed(value_mark_);
    out.Signed(st.axis.first_year);
    out.Signed(st.axis.years);
    // Two sections, each with its length, read on two threads: the reported values, then the
    // records.
    Encoder raw;
    for (size_t o = 0; o < raw_.size(); ++o) {
      raw.Unsigned(raw_[o].size());
      for (const auto& [src, series] : raw_[o]) {
        raw.Signed(src);
        size_t n = 0;
        for (double v : series) n += Has(v) ? 1 : 0;
        raw.Unsigned(n);
        for (size_t k = 0; k < series.size(); ++k) {
          if (!Has(series[k])) continue;
          raw.Unsigned(k);
          raw.Double(series[k]);
        }
      }
      raw.Unsigned(arrivals_[o].size());
      for (const auto& [unit, days] : arrivals_[o]) {
        raw.Signed(unit);
        size_t n = 0;
        for (int32_t d : days) n += d != 0 ? 1 : 0;
        raw.Unsigned(n);
        for (size_t k = 0; k < days.size(); ++k) {
          if (days[k] == 0) continue;
          raw.Unsigned(k);
          raw.Signed(days[k]);
        }
      }
    }
    out.Text(raw.Take());
    Encoder records;
    for (const auto& ds : datasets_) {
      records.Unsigned(ds.presence.size());
      for (const auto& [key, n] : ds.presence) {
        records.Unsigned(key);
        records.Signed(n);
      }
      for (const auto& rs : ds.rules) {
        records.Unsigned(rs.totals.size());
        for (const auto& [ck, t] : rs.totals) {
          records.Unsigned(ck);
          records.Signed(t.first);
          records.Signed(static_cast<int64_t>(t.second >> 64));
          records.Unsigned(static_cast<uint64_t>(t.second));
        }
        records.Unsigned(rs.distinct.size());
        for (const auto& [ck, cell] : rs.distinct) {
          records.Unsigned(ck);
          records.Unsigned(static_cast<uint64_t>(cell.size));
          if (!cell.saved.empty()) {
            records.Text(cell.saved);  // as loaded: not read since
            continue;
          }
          Encoder values;
          for (const auto& [v, n] : cell.values) {
            values.Signed(v);
            values.Signed(n);
          }
          records.Text(values.Take());
        }
      }
    }
    out.Text(records.Take());
    out.Text(kSavedMagic);
    return out.Take();
  }

  int64_t batch_mark() const { return batch_mark_; }
  int64_t value_mark() const { return value_mark_; }

  // Applies what was committed since the last build or update to a copy of `old`. Returns null
  // when only a full build will do (definitions changed, a period outside the span of years).
  Result<std::shared_ptr<State>> Update(const State& old, SyncStats& stats) {
    auto gen = stores_.settings.GetSetting(std::string(kGenerationSetting));
    if (!gen) return Fail(gen.error());
    if (gen->value_or("") != generation_) return std::shared_ptr<State>();
    auto batch = stores_.datasets.LastCommittedBatch();
    if (!batch) return Fail(batch.error());
    auto seq = stores_.index.LastValueSeq();
    if (!seq) return Fail(seq.error());
    if (*batch == batch_mark_ && *seq == value_mark_) return std::make_shared<State>(old);
    auto st = std::make_shared<State>(old);
    // (obj, source unit) pairs whose sources changed.
    std::set<std::pair<int, int>> touched;
    bool out_of_range = false;
    if (*batch != batch_mark_) {
      auto mark = ReadRecords(*st, batch_mark_, stats, &touched);
      if (!mark) return Fail(mark.error());
      for (auto& ds : datasets_) {
        for (const auto& [key, g] : ds.presence) {
          if (!st->axis.Covers(static_cast<int>(key & 0xffffffff) / 12)) out_of_range = true;
        }
      }
      batch_mark_ = *mark;
    }
    if (*seq != value_mark_) {
      auto s = stores_.index.ForEachValue(value_mark_, [&](const store::DataValueRow& r) {
        if (!TakeValue(*st, r, &touched)) out_of_range = true;
        ++stats.values;
        return Ok();
      });
      if (!s) return Fail(s.error());
      value_mark_ = *seq;
    }
    if (out_of_range) return std::shared_ptr<State>();
    // Leaves whose sources changed: a current unit's own, an old commune's successors'.
    std::map<int, std::set<int>> leaves;  // obj -> current units
    for (const auto& [o, source] : touched) {
      const int src = source;
      auto add = [&](int obj) {
        if (src < static_cast<int>(st->model->units.size())) {
          leaves[obj].insert(src);
        } else {
          for (const auto& s : successors_[static_cast<size_t>(src) - st->model->units.size()]) {
            leaves[obj].insert(s.unit);
          }
        }
      };
      add(o);
      const int total = st->model->objs[static_cast<size_t>(o)].total;
      if (total >= 0) add(total);
    }
    // Roll up: the touched units and their ancestors, children before parents.
    std::map<int, std::set<int>> changed_units;  // obj -> units whose series were recomputed
    for (const auto& [o, units] : leaves) {
      std::set<int> todo;
      for (int u : units) {
        for (int a = u; a >= 0; a = st->model->parent[static_cast<size_t>(a)]) todo.insert(a);
        leaf_[static_cast<size_t>(o)].erase(u);
      }
      auto table = std::make_shared<Table>(*st->element_values[static_cast<size_t>(o)]);
      for (auto it = todo.rbegin(); it != todo.rend(); ++it) {
        (*table)[static_cast<size_t>(*it)] = RollUp(*st, o, *it, *table);
        ++stats.series;
      }
      st->element_values[static_cast<size_t>(o)] = std::move(table);
      st->arrivals[static_cast<size_t>(o)] = MakeArrivals(o);
      changed_units[o] = std::move(todo);
    }
    // Indicators that read what changed, in dependency order.
    std::vector<std::set<int>> ind_units(st->model->set.indicators.size());
    for (const auto& [o, units] : changed_units) {
      for (int i : obj_readers_[static_cast<size_t>(o)]) {
        ind_units[static_cast<size_t>(i)].insert(units.begin(), units.end());
      }
    }
    for (int i : topo_) {
      auto& units = ind_units[static_cast<size_t>(i)];
      if (units.empty()) continue;
      auto table = std::make_shared<Table>(*st->indicator_values[static_cast<size_t>(i)]);
      const auto& ind = st->model->set.indicators[static_cast<size_t>(i)];
      for (int u : units) {
        auto next = Evaluate(*st, i, u);
        const auto& prev = (*table)[static_cast<size_t>(u)];
        if (!SameSeries(prev.get(), next.get())) {
          for (int k = 0; k < st->axis.size(); ++k) {
            const double a = prev ? (*prev)[static_cast<size_t>(k)] : kNone;
            const double b = next ? (*next)[static_cast<size_t>(k)] : kNone;
            if (Has(a) == Has(b) && (!Has(a) || a == b)) continue;
            Change c{ind.code, st->model->units[static_cast<size_t>(u)]->code, st->axis.At(k).Id(),
                     Has(b) ? std::optional<double>(b) : std::nullopt};
            stats.changes.push_back(std::move(c));
          }
        }
        (*table)[static_cast<size_t>(u)] = std::move(next);
        ++stats.series;
      }
      st->indicator_values[static_cast<size_t>(i)] = std::move(table);
      for (int r : ind_readers_[static_cast<size_t>(i)]) {
        ind_units[static_cast<size_t>(r)].insert(units.begin(), units.end());
      }
    }
    return st;
  }

 private:
  struct Group {  // rules of a dataset that key records alike
    std::string unit_field;
    std::string date_field;
    int start_day = 1;
    RuleColumns cols;  // unit and date
    const Rule* rule = nullptr;
  };
  // A month's distinct values at a unit, each with the records that hold it. A state loaded from
  // a save keeps each cell's values as saved (`saved`, a view into saved_) until a batch
  // changes the cell: a start reads only how many there are.
  struct DistinctCell {
    int64_t size = 0;
    std::string_view saved;
    std::unordered_map<int64_t, int64_t> values;

    std::unordered_map<int64_t, int64_t>& Values() {
      if (!saved.empty()) {
        Decoder in(saved);
        while (!in.done()) {
          const int64_t v = in.Signed();
          values[v] = in.Signed();
        }
        saved = {};
      }
      return values;
    }
  };
  struct RuleSlot {
    int obj = 0;
    size_t group = 0;
    RuleColumns cols;
    const Rule* rule = nullptr;
    // (unit << 32 | month) -> running totals
    std::unordered_map<uint64_t, std::pair<int64_t, Int128>> totals;
    std::unordered_map<uint64_t, DistinctCell> distinct;
  };
  struct DatasetRules {
    ingest::Dataset dataset;
    std::vector<Group> groups;
    std::vector<RuleSlot> rules;
    size_t stride = 0;  // per record: a (unit, month) per group, a value per rule
    // A record's contributions as it is now and as it was (TakeRecord's scratch space).
    std::vector<int64_t> now;
    std::vector<int64_t> then;
    // (group << 48 | unit << 32 | month) -> records
    std::unordered_map<uint64_t, int64_t> presence;
  };

  static uint64_t CellKey(int unit, int month) {
    return (static_cast<uint64_t>(static_cast<uint32_t>(unit)) << 32) |
           static_cast<uint32_t>(month);
  }
  static uint64_t PresenceKey(size_t group, int unit, int month) {
    return (static_cast<uint64_t>(group) << 48) | CellKey(unit, month);
  }

  // A fresh state's definitions, units and layout, before any source is read.
  Result<std::shared_ptr<State>> Begin() {
    auto gen = stores_.settings.GetSetting(std::string(kGenerationSetting));
    if (!gen) return Fail(gen.error());
    generation_ = gen->value_or("");
    auto set = LoadIndexSet(stores_.index);
    if (!set) return Fail(set.error());
    auto model = std::make_shared<Model>();
    model->set = std::move(*set);
    model->registry = registry_;
    if (auto s = Layout(*model); !s) return Fail(s.error());
    rule_dirty_.assign(model->objs.size(), std::vector<uint8_t>(model->units.size(), 0));
    auto st = std::make_shared<State>();
    st->model = std::move(model);
    return st;
  }

  // Every series from the sources, bottom-up, on both cores: the elements split between two
  // threads (each element's series read only its own sources), then the indicators level by
  // level (an indicator reads only those of lower levels).
  void Finish(State& st, SyncStats& stats) {
    const size_t U = st.model->units.size();
    const size_t objs = st.model->objs.size();
    leaf_.assign(objs, {});
    st.element_values.resize(objs);
    st.arrivals.resize(objs);
    OnBothCores(objs, [&](size_t o) {
      auto table = std::make_shared<Table>(U);
      for (int u = static_cast<int>(U) - 1; u >= 0; --u) {
        (*table)[static_cast<size_t>(u)] = RollUp(st, static_cast<int>(o), u, *table);
      }
      st.element_values[o] = std::move(table);
      st.arrivals[o] = MakeArrivals(static_cast<int>(o));
    });
    stats.series += static_cast<int64_t>(objs);
    const size_t n = st.model->set.indicators.size();
    st.indicator_values.resize(n);
    std::vector<int> level(n, 0);
    std::vector<std::vector<int>> levels;
    for (int i : topo_) {
      for (int r : ind_readers_[static_cast<size_t>(i)]) {
        level[static_cast<size_t>(r)] =
            std::max(level[static_cast<size_t>(r)], level[static_cast<size_t>(i)] + 1);
      }
      const auto l = static_cast<size_t>(level[static_cast<size_t>(i)]);
      if (levels.size() <= l) levels.resize(l + 1);
      levels[l].push_back(i);
    }
    for (const auto& at : levels) {
      OnBothCores(at.size(), [&](size_t k) {
        const int i = at[k];
        auto table = std::make_shared<Table>(U);
        for (size_t u = 0; u < U; ++u) (*table)[u] = Evaluate(st, i, static_cast<int>(u));
        st.indicator_values[static_cast<size_t>(i)] = std::move(table);
      });
      stats.series += static_cast<int64_t>(at.size());
    }
  }

  // fn(0) .. fn(n - 1), the even ones on a second thread when there are enough to pay for it.
  template <class Fn>
  static void OnBothCores(size_t n, const Fn& fn) {
    if (n < 64 || std::thread::hardware_concurrency() < 2) {
      for (size_t k = 0; k < n; ++k) fn(k);
      return;
    }
    std::thread even([&] {
      for (size_t k = 0; k < n; k += 2) fn(k);
    });
    for (size_t k = 1; k < n; k += 2) fn(k);
    even.join();
  }

  // Everything the saved sources' indexes and contents depend on: when it differs, the saved
  // state is another model's. Today's year is in it because a full build spans it.
  std::string Fingerprint(const State& st) const {
    const Model& m = *st.model;
    const Date today = Date::Today();
    std::string f = "generation " + generation_ + "\nhome " + home_ + "\nyear " +
                    std::to_string(today.year) + "\nunits";
    for (size_t u = 0; u < m.units.size(); ++u) {
      f += " " + m.units[u]->code + "<" + std::to_string(m.parent[u]);
    }
    f += "\nold units";
    for (size_t i = 0; i < old_units_.size(); ++i) {
      f += " " + std::to_string(old_units_[i]->id) + ">";
      for (const auto& s : successors_[i]) f += std::to_string(s.unit) + ",";
    }
    // Which unit a reported code stands for today, and which it stood for before the reform.
    f += "\nregistry";
    for (const units::Unit& u : registry_->all()) {
      f += " " + std::to_string(u.id) + ":" + u.code + (u.ValidOn(today) ? "+" : "-") +
           (u.valid_from ? u.valid_from->ToString() : "") + "/" +
           (u.valid_to ? u.valid_to->ToString() : "");
    }
    f += "\nobjects";
    for (const Obj& o : m.objs) f += " " + o.element->code + "." + o.option;
    f += "\ndatasets";
    for (const auto& ds : datasets_) {
      f += " " + ds.dataset.row.code + "@" + std::to_string(ds.dataset.row.version) + ":" +
           std::to_string(ds.stride);
      for (const auto& c : ds.dataset.table.columns) f += "," + c.name;
      for (const auto& r : ds.rules) {
        f += ";" + std::to_string(r.obj) + "/" + std::to_string(r.group);
      }
    }
    return f;
  }

  // Reads what Save wrote into this builder's sources and `st`'s axis; false when the bytes are
  // another model's or cut short.
  bool Decode(State& st, std::string_view bytes) {
    Decoder in(bytes);
    if (in.Text() != kSavedMagic || in.Text() != Fingerprint(st)) return false;
    batch_mark_ = in.Signed();
    value_mark_ = in.Signed();
    st.axis.first_year = static_cast<int>(in.Signed());
    st.axis.years = static_cast<int>(in.Signed());
    if (!in.ok() || st.axis.years < 1 || st.axis.years > 1000 ||
        !st.axis.Covers(Date::Today().year)) {
      return false;
    }
    const std::string_view raw = in.View();
    const std::string_view records = in.View();
    if (!in.ok() || in.Text() != kSavedMagic || !in.done()) return false;
    // Both cores: the reported values on one, the records on the other.
    bool raw_ok = false;
    std::thread values([&] { raw_ok = DecodeValues(st, raw); });
    const bool records_ok = DecodeRecords(records, st.model->units.size());
    values.join();
    return raw_ok && records_ok;
  }

  bool DecodeValues(const State& st, std::string_view bytes) {
    Decoder in(bytes);
    const size_t slots = static_cast<size_t>(st.axis.size());
    const size_t objs = st.model->objs.size();
    const int64_t sources = static_cast<int64_t>(st.model->units.size() + old_units_.size());
    const int64_t units = static_cast<int64_t>(st.model->units.size());
    raw_.assign(objs, {});
    arrivals_.assign(objs, {});
    for (size_t o = 0; o < objs && in.ok(); ++o) {
      for (uint64_t n = in.Count(); n > 0 && in.ok(); --n) {
        const int64_t src = in.Signed();
        if (src < 0 || src >= sources) return false;
        auto& series = raw_[o][static_cast<int>(src)];
        series.assign(slots, kNone);
        for (uint64_t c = in.Count(); c > 0 && in.ok(); --c) {
          const uint64_t k = in.Unsigned();
          const double v = in.Double();
          if (k >= slots) return false;
          series[k] = v;
        }
      }
      for (uint64_t n = in.Count(); n > 0 && in.ok(); --n) {
        const int64_t unit = in.Signed();
        if (unit < 0 || unit >= units) return false;
        auto& days = arrivals_[o][static_cast<int>(unit)];
        days.assign(slots, 0);
        for (uint64_t c = in.Count(); c > 0 && in.ok(); --c) {
          const uint64_t k = in.Unsigned();
          const int64_t d = in.Signed();
          if (k >= slots) return false;
          days[k] = static_cast<int32_t>(d);
        }
      }
    }
    return in.ok() && in.done();
  }

  // The records' part; every unit a contribution or a count names is one of the state's
  // `units`, so that what follows may index by it.
  bool DecodeRecords(std::string_view bytes, size_t units) {
    Decoder in(bytes);
    for (auto& ds : datasets_) {
      for (uint64_t c = in.Count(); c > 0 && in.ok(); --c) {
        const uint64_t key = in.Unsigned();
        if (((key >> 32) & 0xffff) >= units || (key >> 48) >= ds.groups.size()) return false;
        ds.presence[key] = in.Signed();
      }
      for (auto& rs : ds.rules) {
        for (uint64_t c = in.Count(); c > 0 && in.ok(); --c) {
          const uint64_t ck = in.Unsigned();
          const int64_t count = in.Signed();
          const int64_t hi = in.Signed();
          const uint64_t lo = in.Unsigned();
          rs.totals[ck] = {count, static_cast<Int128>(static_cast<UInt128>(hi) << 64 | lo)};
        }
        for (uint64_t c = in.Count(); c > 0 && in.ok(); --c) {
          auto& cell = rs.distinct[in.Unsigned()];
          cell.size = static_cast<int64_t>(in.Unsigned());
          cell.saved = in.View();
          // Read through once, without keeping what it reads: a cell that would not read whole
          // when a batch changes it is a state not to load.
          Decoder values(cell.saved);
          int64_t n = 0;
          while (!values.done() && values.ok()) {
            values.Signed();
            values.Signed();
            ++n;
          }
          if (!values.ok() || n != cell.size || n == 0) return false;
        }
      }
    }
    return in.ok() && in.done();
  }

  // Units, objects, expressions and dependencies of a fresh state.
  Status Layout(Model& m) {
    const Date today = Date::Today();
    m.province = registry_->Find(home_, today);
    if (!m.province) {
      return Fail(Error::Invalid(
          "engine.no_province",
          "the home province " + home_ + " is not among the units: import the units first"));
    }
    m.units.push_back(m.province);
    m.parent.push_back(-1);
    for (size_t i = 0; i < m.units.size(); ++i) {
      for (const units::Unit* c : registry_->Children(*m.units[i], today)) {
        m.units.push_back(c);
        m.parent.push_back(static_cast<int>(i));
      }
    }
    m.children.assign(m.units.size(), {});
    for (size_t i = 0; i < m.units.size(); ++i) {
      m.unit_index[m.units[i]->code] = static_cast<int>(i);
      if (m.parent[i] >= 0)
        m.children[static_cast<size_t>(m.parent[i])].push_back(static_cast<int>(i));
    }
    m.population.assign(m.units.size(), kNone);
    m.area.assign(m.units.size(), kNone);
    for (size_t i = m.units.size(); i-- > 0;) {
      const units::Unit* u = m.units[i];
      auto fill = [&](std::vector<double>& attr, std::optional<double> own) {
        if (own) {
          attr[i] = *own;
          return;
        }
        double sum = 0;
        bool any = false;
        for (int c : m.children[i]) {
          if (Has(attr[static_cast<size_t>(c)])) {
            sum += attr[static_cast<size_t>(c)];
            any = true;
          }
        }
        if (any) attr[i] = sum;
      };
      fill(m.population, u->population ? std::optional<double>(static_cast<double>(*u->population))
                                       : std::nullopt);
      fill(m.area, u->area_km2);
    }
    // Pre-2025 communes whose successors are here, and their shares.
    old_units_.clear();
    old_index_.clear();
    successors_.clear();
    predecessors_.assign(m.units.size(), {});
    auto weights = stores_.index.MergeWeights();
    if (!weights) return Fail(weights.error());
    std::map<std::pair<std::string, std::string>, double> set_weights;
    for (const auto& w : *weights) set_weights[{w.old_code, w.new_code}] = w.weight;
    for (const units::Unit& u : registry_->all()) {
      if (u.level != units::Level::kCommune || u.ValidOn(today)) continue;
      std::vector<Successor> succ;
      double pop_total = 0;
      for (const auto& s : registry_->Resolve(u.code)) {
        if (s.old_unit != &u) continue;
        auto it = m.unit_index.find(s.new_unit->code);
        if (it == m.unit_index.end() || m.units[static_cast<size_t>(it->second)] != s.new_unit)
          continue;
        succ.push_back({it->second, 0});
        pop_total += static_cast<double>(s.new_unit->population.value_or(0));
      }
      if (succ.empty()) continue;
      for (auto& s : succ) {
        const units::Unit* nu = m.units[static_cast<size_t>(s.unit)];
        auto w = set_weights.find({u.code, nu->code});
        if (w != set_weights.end()) {
          s.weight = w->second;
        } else if (succ.size() == 1) {
          s.weight = 1;
        } else {
          s.weight = pop_total > 0 ? static_cast<double>(nu->population.value_or(0)) / pop_total
                                   : 1.0 / static_cast<double>(succ.size());
        }
      }
      const int idx = static_cast<int>(m.units.size() + old_units_.size());
      old_index_[&u] = idx;
      for (const auto& s : succ)
        predecessors_[static_cast<size_t>(s.unit)].push_back({idx, s.weight});
      old_units_.push_back(&u);
      successors_.push_back(std::move(succ));
    }
    // Objects: each element, then each of its options.
    for (const auto& e : m.set.elements) {
      const int total = static_cast<int>(m.objs.size());
      m.obj_index[e.code] = total;
      m.objs.push_back({&e, "", -1, {}});
      for (const auto& o : e.options) {
        const int idx = static_cast<int>(m.objs.size());
        m.obj_index[e.code + "." + o] = idx;
        m.objs.push_back({&e, o, total, {}});
        m.objs[static_cast<size_t>(total)].options.push_back(idx);
      }
    }
    for (const auto& c : m.set.constants) m.constants[c.code] = c.value;
    // Expressions and who reads what.
    const size_t n = m.set.indicators.size();
    for (size_t i = 0; i < n; ++i) m.ind_index[m.set.indicators[i].code] = static_cast<int>(i);
    obj_readers_.assign(m.objs.size(), {});
    ind_readers_.assign(n, {});
    std::vector<std::vector<int>> reads(n);
    for (size_t i = 0; i < n; ++i) {
      const auto& ind = m.set.indicators[i];
      auto expr = Expr::Parse(ind.Formula());
      if (!expr) {
        return Fail(
            Error::Invalid("index.invalid", "indicator " + ind.code + ": " + expr.error().message));
      }
      std::vector<int> refs;
      for (const auto& r : expr->refs()) {
        int target = -1;
        if (r.kind == RefKind::kElement) {
          auto it = m.obj_index.find(r.option.empty() ? r.code : r.code + "." + r.option);
          if (it != m.obj_index.end()) {
            target = it->second;
            obj_readers_[static_cast<size_t>(target)].push_back(static_cast<int>(i));
          }
        } else if (r.kind == RefKind::kIndicator) {
          auto it = m.ind_index.find(r.code);
          if (it != m.ind_index.end()) {
            target = it->second;
            ind_readers_[static_cast<size_t>(target)].push_back(static_cast<int>(i));
            reads[i].push_back(target);
          }
        }
        refs.push_back(target);
      }
      m.exprs.push_back(std::move(*expr));
      m.expr_refs.push_back(std::move(refs));
    }
    // Dependency order (indicators that read none first); a cycle leaves some out, and the
    // checks refuse cycles before they are stored.
    topo_.clear();
    std::vector<int> pending(n, 0);
    for (size_t i = 0; i < n; ++i) pending[i] = static_cast<int>(reads[i].size());
    std::vector<int> ready;
    for (size_t i = n; i-- > 0;) {
      if (pending[i] == 0) ready.push_back(static_cast<int>(i));
    }
    while (!ready.empty()) {
      const int i = ready.back();
      ready.pop_back();
      topo_.push_back(i);
      for (int r : ind_readers_[static_cast<size_t>(i)]) {
        if (--pending[static_cast<size_t>(r)] == 0) ready.push_back(r);
      }
    }
    return Ok();
  }

  // The datasets the rules read, their groups of rules keyed alike, and where each rule finds
  // its fields; no record is read.
  Status PlanRules(const State& st) {
    datasets_.clear();
    saved_.reset();
    std::map<std::string, size_t> by_code;
    for (size_t o = 0; o < st.model->objs.size(); ++o) {
      const Obj& obj = st.model->objs[o];
      if (obj.total >= 0 || !obj.element->rule) continue;
      const Rule& rule = *obj.element->rule;
      auto it = by_code.find(rule.dataset);
      if (it == by_code.end()) {
        auto d = ingest::LoadDataset(stores_.datasets, rule.dataset);
        if (!d) return Fail(d.error());
        datasets_.push_back({std::move(*d), {}, {}, 0, {}, {}, {}});
        it = by_code.emplace(rule.dataset, datasets_.size() - 1).first;
      }
      DatasetRules& ds = datasets_[it->second];
      auto cols = RuleFields(rule, ds.dataset.schema);
      if (!cols) return Fail(cols.error());
      size_t g = 0;
      while (g < ds.groups.size() &&
             (ds.groups[g].cols.unit != cols->unit || ds.groups[g].cols.date != cols->date ||
              ds.groups[g].start_day != rule.period_start_day)) {
        ++g;
      }
      if (g == ds.groups.size()) {
        ds.groups.push_back(
            {rule.unit_field, rule.date_field, rule.period_start_day, *cols, &rule});
      }
      RuleSlot slot;
      slot.obj = static_cast<int>(o);
      slot.group = g;
      slot.cols = std::move(*cols);
      slot.rule = &rule;
      ds.rules.push_back(std::move(slot));
    }
    for (auto& ds : datasets_) {
      ds.stride = ds.groups.size() * 2 + ds.rules.size();
      ds.now.assign(ds.stride, kOut);
      ds.then.assign(ds.stride, kOut);
    }
    return Ok();
  }

  // Every record; returns the batch they are as of.
  Result<int64_t> LoadRecords(State& st, SyncStats& stats) {
    if (auto s = PlanRules(st); !s) return Fail(s.error());
    auto mark = ReadRecords(st, 0, stats, nullptr);
    if (!mark) return mark;
    MarkRulesDirty();
    return mark;
  }

  // What the batches after `after_batch` changed in the rules' datasets, each record's
  // contributions as it was taken away and as it is added; returns the batch that is as of.
  Result<int64_t> ReadRecords(const State& st, int64_t after_batch, SyncStats& stats,
                              std::set<std::pair<int, int>>* touched) {
    std::vector<const store::DatasetTable*> tables;
    for (const auto& ds : datasets_) tables.push_back(&ds.dataset.table);
    return stores_.datasets.ForEachChangeSince(
        tables, after_batch,
        [&](size_t t, const std::vector<store::Cell>& now,
            const std::vector<store::Cell>* before) -> Status {
          TakeRecord(st, datasets_[t], now, before, touched);
          ++stats.records;
          return Ok();
        });
  }

  // Every rule's leaves are to be computed from its totals.
  void MarkRulesDirty() {
    for (auto& ds : datasets_) {
      for (const auto& [key, n] : ds.presence) {
        const size_t unit = (key >> 32) & 0xffff;
        for (const auto& r : ds.rules) rule_dirty_[static_cast<size_t>(r.obj)][unit] = 1;
      }
    }
  }

  // Takes a record's contribution as it was (`before`, when it was there) away and adds its
  // current one; notes what it touched.
  void TakeRecord(const State& st, DatasetRules& ds, const std::vector<store::Cell>& row,
                  const std::vector<store::Cell>* before, std::set<std::pair<int, int>>* touched) {
    if (before) {
      Contributions(st, ds, *before, ds.then);
      Apply(ds, ds.then, -1, touched);
    }
    Contributions(st, ds, row, ds.now);
    Apply(ds, ds.now, +1, touched);
  }

  // What `row` adds: (unit, month) per group, then a value per rule.
  static void Contributions(const State& st, const DatasetRules& ds,
                            const std::vector<store::Cell>& row, std::vector<int64_t>& out) {
    for (size_t g = 0; g < ds.groups.size(); ++g) {
      const Group& grp = ds.groups[g];
      int unit = -1;
      if (const auto* code = std::get_if<std::string>(&row[grp.cols.unit]))
        unit = st.model->UnitIndex(*code);
      auto month = RecordMonth(*grp.rule, grp.cols, row);
      out[g * 2] = unit;
      out[g * 2 + 1] = (unit >= 0 && month) ? *month : -1;
    }
    for (size_t r = 0; r < ds.rules.size(); ++r) {
      out[ds.groups.size() * 2 + r] = Contribution(*ds.rules[r].rule, ds.rules[r].cols, row);
    }
  }

  void Apply(DatasetRules& ds, const std::vector<int64_t>& contrib, int sign,
             std::set<std::pair<int, int>>* touched) {
    for (size_t g = 0; g < ds.groups.size(); ++g) {
      const int unit = static_cast<int>(contrib[g * 2]);
      const int month = static_cast<int>(contrib[g * 2 + 1]);
      if (unit < 0 || month < 0) continue;
      int64_t& n = ds.presence[PresenceKey(g, unit, month)];
      n += sign;
      if (n == 0) ds.presence.erase(PresenceKey(g, unit, month));
      for (size_t r = 0; r < ds.rules.size(); ++r) {
        RuleSlot& rs = ds.rules[r];
        if (rs.group != g) continue;
        rule_dirty_[static_cast<size_t>(rs.obj)][static_cast<size_t>(unit)] = 1;
        if (touched) touched->insert({rs.obj, unit});
        const int64_t v = contrib[ds.groups.size() * 2 + r];
        if (v == kOut) continue;
        const uint64_t ck = CellKey(unit, month);
        if (rs.rule->op == "distinct") {
          auto& cell = rs.distinct[ck];
          auto& m = cell.Values();
          if ((m[v] += sign) == 0) m.erase(v);
          cell.size = static_cast<int64_t>(m.size());
          if (m.empty()) rs.distinct.erase(ck);
        } else {
          auto& t = rs.totals[ck];
          t.first += sign;
          t.second += static_cast<Int128>(sign) * v;
          if (t.first == 0) rs.totals.erase(ck);
        }
      }
    }
  }

  // The rule's value per month for a unit, from its running totals.
  void RuleMonths(const State& st, const RuleSlot& rs, const DatasetRules& ds, int unit,
                  Series& out) const {
    for (int y = 0; y < st.axis.years; ++y) {
      for (int m = 0; m < 12; ++m) {
        const int month = MonthNumber(st.axis.first_year + y, m + 1);
        if (!ds.presence.count(PresenceKey(rs.group, unit, month))) continue;
        double v = 0;
        const uint64_t ck = CellKey(unit, month);
        if (rs.rule->op == "distinct") {
          auto it = rs.distinct.find(ck);
          v = it == rs.distinct.end() ? 0 : static_cast<double>(it->second.size);
        } else {
          auto it = rs.totals.find(ck);
          const int64_t n = it == rs.totals.end() ? 0 : it->second.first;
          const Int128 sum = it == rs.totals.end() ? 0 : it->second.second;
          if (rs.rule->op == "count") {
            v = static_cast<double>(n);
          } else if (rs.rule->op == "sum") {
            v = static_cast<double>(sum) / 1e6;
          } else {
            v = n == 0 ? kNone : static_cast<double>(sum) / 1e6 / static_cast<double>(n);
          }
        }
        const int k = y * 12 + m;
        out[static_cast<size_t>(k)] = v;
      }
    }
  }

  // Which source a reported unit code is for the period: a current unit, a pre-2025 commune
  // (whose values go to its successors), or none.
  int SourceUnit(const State& st, const std::string& code, const Period& p) const {
    const units::Unit* now = registry_->Find(code, Date::Today());
    if (p.Last() < kReform2025) {
      const units::Unit* then = registry_->Find(code, p.Last());
      if (then && then != now) {
        auto it = old_index_.find(then);
        if (it != old_index_.end()) return it->second;
      }
    }
    if (now) {
      auto it = st.model->unit_index.find(now->code);
      if (it != st.model->unit_index.end() &&
          st.model->units[static_cast<size_t>(it->second)] == now)
        return it->second;
    }
    for (const units::Unit* u : registry_->FindAllEras(code)) {
      auto it = old_index_.find(u);
      if (it != old_index_.end()) return it->second;
    }
    return -1;
  }

  // A reported value as read: its object, source unit and period, its value (kNone when
  // withdrawn) and the day it first arrived.
  struct ReadValue {
    int obj = 0;
    int src = 0;
    Period period;
    double value = kNone;
    int32_t day = 0;
  };

  // What a reported value is for; nullopt when it is for nothing here (an element or a unit the
  // model does not have, a period that is not one). Reads only the model and the registry.
  std::optional<ReadValue> Read(const State& st, const store::DataValueRow& r) const {
    auto oi = st.model->obj_index.find(r.option.empty() ? r.element : r.element + "." + r.option);
    if (oi == st.model->obj_index.end()) return std::nullopt;
    auto p = Period::Parse(r.period);
    if (!p) return std::nullopt;
    const int src = SourceUnit(st, r.unit, *p);
    if (src < 0) return std::nullopt;
    return ReadValue{oi->second, src, *p, r.value.value_or(kNone),
                     r.value ? DayOf(r.created_at) : 0};
  }

  // Every reported value, read: `rows` counts them all, [lo, hi] widened to the year of each
  // that has a period. Touches nothing but its arguments, so that it can run beside LoadRecords.
  Status ReadValues(const State& st, std::vector<ReadValue>& out, int64_t& rows, int& lo,
                    int& hi) const {
    return stores_.index.ForEachValue(0, [&](const store::DataValueRow& r) {
      ++rows;
      std::optional<int> year;
      if (auto v = Read(st, r)) {
        out.push_back(*v);
        year = v->period.year;
      } else if (auto p = Period::Parse(r.period)) {
        year = p->year;
      }
      if (year) {
        lo = std::min(lo, *year);
        hi = std::max(hi, *year);
      }
      return Ok();
    });
  }

  // Stores a reported value; false when its period is outside the span of years.
  bool TakeValue(const State& st, const store::DataValueRow& r,
                 std::set<std::pair<int, int>>* touched) {
    auto v = Read(st, r);
    return !v || Place(st, *v, touched);
  }

  bool Place(const State& st, const ReadValue& v, std::set<std::pair<int, int>>* touched) {
    auto slot = st.axis.Slot(v.period);
    if (!slot) return false;
    const int src = v.src;
    const int o = v.obj;
    auto& series = raw_[static_cast<size_t>(o)][src];
    if (series.empty()) series.assign(static_cast<size_t>(st.axis.size()), kNone);
    series[static_cast<size_t>(*slot)] = v.value;
    // Arrivals count for the unit that reports now: an old commune's reports are its
    // successors' (the latest of them, when several old communes make one new).
    auto arrive = [&](int unit, bool replace) {
      auto& arr = arrivals_[static_cast<size_t>(o)][unit];
      if (arr.empty()) arr.assign(static_cast<size_t>(st.axis.size()), 0);
      int32_t& at = arr[static_cast<size_t>(*slot)];
      at = replace ? v.day : std::max(at, v.day);
    };
    const int current = static_cast<int>(st.model->units.size());
    if (src < current) {
      arrive(src, true);
    } else {
      for (const auto& s : successors_[static_cast<size_t>(src - current)]) arrive(s.unit, false);
    }
    if (touched) touched->insert({o, src});
    return true;
  }

  std::shared_ptr<const std::unordered_map<int, std::shared_ptr<const Arrivals>>> MakeArrivals(
      int o) {
    auto m = std::make_shared<std::unordered_map<int, std::shared_ptr<const Arrivals>>>();
    for (const auto& [u, a] : arrivals_[static_cast<size_t>(o)]) {
      (*m)[u] = std::make_shared<const Arrivals>(a);
    }
    return m;
  }

  // A source's value at a slot: its own, or for an element with options reported only by
  // option, the options' values combined.
  double RawAt(const State& st, int o, int src, size_t k) const {
    const auto& raw = raw_[static_cast<size_t>(o)];
    if (auto it = raw.find(src); it != raw.end() && Has(it->second[k])) return it->second[k];
    const Obj& obj = st.model->objs[static_cast<size_t>(o)];
    if (obj.options.empty()) return kNone;
    Acc acc;
    for (int opt : obj.options) {
      const auto& r = raw_[static_cast<size_t>(opt)];
      if (auto it = r.find(src); it != r.end()) acc.Add(it->second[k]);
    }
    return acc.Get(obj.element->unit_agg == UnitAgg::kSum ? UnitAgg::kSum : UnitAgg::kAverage);
  }

  // A current unit's own series: its reports, its predecessors' (by their shares), its records.
  std::shared_ptr<const Series> Leaf(const State& st, int o, int u) {
    auto& cache = leaf_[static_cast<size_t>(o)];
    auto& dirty = rule_dirty_[static_cast<size_t>(o)][static_cast<size_t>(u)];
    if (auto it = cache.find(u); it != cache.end() && !dirty) return it->second;
    const Obj& obj = st.model->objs[static_cast<size_t>(o)];
    const Element& e = *obj.element;
    Series rule(static_cast<size_t>(st.axis.size()), kNone);
    bool has_rule = false;
    if (e.rule) {
      // The total of an element with options has the rule too (options cannot have rules).
      for (const auto& ds : datasets_) {
        for (const auto& rs : ds.rules) {
          if (rs.obj == o) {
            RuleMonths(st, rs, ds, u, rule);
            has_rule = true;
          }
        }
      }
      dirty = 0;
    }
    Series s(static_cast<size_t>(st.axis.size()), kNone);
    const auto [from, to] = st.axis.Native(e.periodicity);
    const bool additive = e.unit_agg == UnitAgg::kSum;
    const auto& preds = predecessors_[static_cast<size_t>(u)];
    bool any = false;
    for (int k = from; k < to; ++k) {
      const size_t kk = static_cast<size_t>(k);
      const double own = RawAt(st, o, u, kk);
      const double rec = has_rule ? rule[kk] : kNone;
      double v = kNone;
      if (additive) {
        Acc acc;
        acc.Add(own);
        for (const auto& p : preds) {
          const double x = RawAt(st, o, p.unit, kk);
          if (Has(x)) acc.Add(x * p.weight);
        }
        acc.Add(rec);
        v = acc.Get(UnitAgg::kSum);
      } else if (Has(own)) {
        v = own;
      } else if (Has(rec)) {
        v = rec;
      } else {
        double sum = 0;
        double weights = 0;
        for (const auto& p : preds) {
          const double x = RawAt(st, o, p.unit, kk);
          if (Has(x)) {
            sum += x * p.weight;
            weights += p.weight;
          }
        }
        if (weights > 0) v = sum / weights;
      }
      s[kk] = v;
      any = any || Has(v);
    }
    std::shared_ptr<const Series> out;
    if (any) {
      AggregateTime(st.axis, e.periodicity, e.time_agg, s);
      out = std::make_shared<const Series>(std::move(s));
    }
    cache[u] = out;
    return out;
  }

  // A unit's series rolled up from its own and its children's (already in `table`).
  std::shared_ptr<const Series> RollUp(const State& st, int o, int u, const Table& table) {
    auto own = Leaf(st, o, u);
    const auto& kids = st.model->children[static_cast<size_t>(u)];
    const UnitAgg agg = st.model->objs[static_cast<size_t>(o)].element->unit_agg;
    if (agg == UnitAgg::kNone || kids.empty()) return own;
    bool any_kid = false;
    for (int c : kids) any_kid = any_kid || table[static_cast<size_t>(c)] != nullptr;
    if (!any_kid) return own;
    Series s(static_cast<size_t>(st.axis.size()), kNone);
    bool any = false;
    for (size_t k = 0; k < s.size(); ++k) {
      Acc acc;
      if (own) acc.Add((*own)[k]);
      for (int c : kids) {
        if (const auto& cs = table[static_cast<size_t>(c)]) acc.Add((*cs)[k]);
      }
      s[k] = acc.Get(agg);
      any = any || Has(s[k]);
    }
    return any ? std::make_shared<const Series>(std::move(s)) : nullptr;
  }

  class CellInputs final : public Inputs {
   public:
    CellInputs(const State& st, int ind, int unit) : st_(st), ind_(ind), unit_(unit) {}
    void At(int slot) { period_ = st_.axis.At(slot); }
    std::optional<double> Value(size_t ref, TimeSpec when) const override {
      const Ref& r = st_.model->exprs[static_cast<size_t>(ind_)].refs()[ref];
      if (r.kind == RefKind::kConstant) {
        auto it = st_.model->constants.find(r.code);
        return it == st_.model->constants.end() ? std::nullopt : std::optional<double>(it->second);
      }
      if (r.kind == RefKind::kUnitAttribute) {
        const auto& attr = r.code == "population" ? st_.model->population : st_.model->area;
        const double v = attr[static_cast<size_t>(unit_)];
        return Has(v) ? std::optional<double>(v) : std::nullopt;
      }
      // Offsets count months, so offset(x, -12) is the same period last year for a month, a
      // quarter or a year alike; an offset that is not whole periods of the cell's kind has no
      // value.
      Period p = period_;
      if (when.offset != 0) {
        int n = when.offset;
        if (p.kind == PeriodKind::kQuarter) {
          if (n % 3 != 0) return std::nullopt;
          n /= 3;
        } else if (p.kind == PeriodKind::kYear) {
          if (n % 12 != 0) return std::nullopt;
          n /= 12;
        }
        p = p.Shift(n);
      }
      if (when.ytd) p = p.Ytd();
      auto slot = st_.axis.Slot(p);
      if (!slot) return std::nullopt;
      const int target = st_.model->expr_refs[static_cast<size_t>(ind_)][ref];
      if (target < 0) return std::nullopt;
      const Series* s = r.kind == RefKind::kElement ? st_.ElementSeries(target, unit_)
                                                    : st_.IndicatorSeries(target, unit_);
      if (!s) return std::nullopt;
      const double v = (*s)[static_cast<size_t>(*slot)];
      return Has(v) ? std::optional<double>(v) : std::nullopt;
    }

   private:
    const State& st_;
    int ind_;
    int unit_;
    Period period_;
  };

  // An indicator's series at a unit, over the periods of its periodicity and coarser ones.
  std::shared_ptr<const Series> Evaluate(const State& st, int i, int u) const {
    const auto& refs = st.model->expr_refs[static_cast<size_t>(i)];
    const auto& expr = st.model->exprs[static_cast<size_t>(i)];
    bool any_input = false;
    for (size_t r = 0; r < refs.size() && !any_input; ++r) {
      if (refs[r] < 0) continue;
      const Ref& ref = expr.refs()[r];
      if (ref.kind == RefKind::kElement) any_input = st.ElementSeries(refs[r], u) != nullptr;
      if (ref.kind == RefKind::kIndicator) any_input = st.IndicatorSeries(refs[r], u) != nullptr;
    }
    if (!any_input) return nullptr;
    const Indicator& ind = st.model->set.indicators[static_cast<size_t>(i)];
    int from = 0;
    if (ind.periodicity == PeriodKind::kQuarter) from = st.axis.quarters_at();
    if (ind.periodicity == PeriodKind::kYear) from = st.axis.years_at();
    const int to = ind.periodicity == PeriodKind::kMonth ? st.axis.size() : st.axis.ytd_at();
    Series s(static_cast<size_t>(st.axis.size()), kNone);
    CellInputs in(st, i, u);
    bool any = false;
    for (int k = from; k < to; ++k) {
      in.At(k);
      if (auto v = expr.Eval(in)) {
        s[static_cast<size_t>(k)] = *v;
        any = true;
      }
    }
    return any ? std::make_shared<const Series>(std::move(s)) : nullptr;
  }

  Stores stores_;
  std::shared_ptr<const units::Registry> registry_;
  std::string home_;
  std::shared_ptr<const std::string> saved_;  // the state loaded, while cells point into it
  std::string generation_;
  int64_t batch_mark_ = 0;
  int64_t value_mark_ = 0;
  std::vector<const units::Unit*> old_units_;
  std::unordered_map<const units::Unit*, int> old_index_;
  std::vector<std::vector<Successor>> successors_;    // by old index - units.size()
  std::vector<std::vector<Successor>> predecessors_;  // by current unit: source index, share
  std::vector<std::unordered_map<int, Series>> raw_;  // by obj: source unit -> reported
  std::vector<std::unordered_map<int, Arrivals>> arrivals_;
  std::vector<std::unordered_map<int, std::shared_ptr<const Series>>> leaf_;
  // By obj and current unit: whether a rule's totals changed since its leaf was computed.
  std::vector<std::vector<uint8_t>> rule_dirty_;
  std::vector<DatasetRules> datasets_;
  std::vector<std::vector<int>> obj_readers_;  // obj -> indicators reading it
  std::vector<std::vector<int>> ind_readers_;  // indicator -> indicators reading it
  std::vector<int> topo_;
};

// --- Engine ----------------------------------------------------------------------------------

Engine::Engine(Stores stores, std::shared_ptr<const units::Registry> registry, std::string home)
    : stores_(stores),
      registry_(std::move(registry)),
      home_(std::move(home)),
      builder_(std::make_unique<Builder>(stores_, registry_, home_)) {}

Engine::~Engine() = default;

Result<std::unique_ptr<Engine>> Engine::Open(Stores stores,
                                             std::shared_ptr<const units::Registry> registry,
                                             const std::string& home_province, Start start,
                                             SyncStats* stats) {
  const auto began = std::chrono::steady_clock::now();
  std::unique_ptr<Engine> e(new Engine(stores, std::move(registry), home_province));
  std::lock_guard lock(e->sync_mu_);
  SyncStats opened;
  bool loaded = false;
  if (start == Start::kSaved && stores.saved) {
    auto l = e->LoadLocked(opened);
    if (!l) return Fail(l.error());
    loaded = *l;
  }
  if (!loaded) {
    auto s = e->RebuildLocked();
    if (!s) return Fail(s.error());
    opened = std::move(*s);
  }
  opened.duration_us = std::chrono::duration_cast<std::chrono::microseconds>(
                           std::chrono::steady_clock::now() - began)
                           .count();
  if (stats) *stats = std::move(opened);
  return e;
}

Result<bool> Engine::LoadLocked(SyncStats& stats) {
  auto bytes = stores_.saved->LoadEngineState();
  if (!bytes) return Fail(bytes.error());
  if (!*bytes) return false;
  SyncStats taken;
  auto st = builder_->Load(std::move(**bytes), taken);
  if (!st) return Fail(st.error());
  if (!*st) {
    builder_ = std::make_unique<Builder>(stores_, registry_, home_);
    return false;
  }
  // What was committed after the save (a kill before the next save, another process's writes).
  SyncStats since;
  auto next = builder_->Update(**st, since);
  if (!next) return Fail(next.error());
  if (!*next) {
    builder_ = std::make_unique<Builder>(stores_, registry_, home_);
    return false;
  }
  (*next)->version = 1;
  state_ = std::move(*next);
  loaded_ = true;
  saved_version_ = since.records == 0 && since.values == 0 ? 1 : 0;
  stats.loaded = true;
  stats.records = since.records;
  stats.values = since.values;
  stats.series = taken.series + since.series;
  return true;
}

Snapshot Engine::snapshot() const {
  std::lock_guard lock(snap_mu_);
  return Snapshot(state_);
}

void Engine::OnChange(std::function<void(const SyncStats&)> fn) {
  std::lock_guard lock(sync_mu_);
  on_change_ = std::move(fn);
}

Result<SyncStats> Engine::RebuildLocked() {
  const auto start = std::chrono::steady_clock::now();
  SyncStats stats;
  builder_ = std::make_unique<Builder>(stores_, registry_, home_);
  auto st = builder_->Full(stats);
  if (!st) return Fail(st.error());
  {
    std::lock_guard lock(snap_mu_);
    (*st)->version = state_ ? state_->version + 1 : 1;
    state_ = std::move(*st);
  }
  stats.duration_us = std::chrono::duration_cast<std::chrono::microseconds>(
                          std::chrono::steady_clock::now() - start)
                          .count();
  return stats;
}

Result<SyncStats> Engine::Rebuild() {
  std::lock_guard lock(sync_mu_);
  auto s = RebuildLocked();
  if (s && on_change_) on_change_(*s);
  return s;
}

Status Engine::SetRegistry(std::shared_ptr<const units::Registry> registry) {
  std::lock_guard lock(sync_mu_);
  registry_ = std::move(registry);
  auto s = RebuildLocked();
  if (!s) return Fail(s.error());
  if (on_change_) on_change_(*s);
  return Ok();
}

Result<SyncStats> Engine::Sync() {
  std::lock_guard lock(sync_mu_);
  return SyncLocked();
}

Result<SyncStats> Engine::SyncLocked() {
  const auto start = std::chrono::steady_clock::now();
  std::shared_ptr<const State> old;
  {
    std::lock_guard lock2(snap_mu_);
    old = state_;
  }
  SyncStats stats;
  auto next = builder_->Update(*old, stats);
  if (!next) return Fail(next.error());
  if (!*next) {
    auto rebuilt = RebuildLocked();
    if (rebuilt && on_change_) on_change_(*rebuilt);
    return rebuilt;
  }
  if (stats.records == 0 && stats.values == 0) return stats;
  {
    std::lock_guard lock2(snap_mu_);
    (*next)->version = old->version + 1;
    state_ = std::move(*next);
  }
  stats.duration_us = std::chrono::duration_cast<std::chrono::microseconds>(
                          std::chrono::steady_clock::now() - start)
                          .count();
  if (on_change_ && !stats.changes.empty()) on_change_(stats);
  return stats;
}

Status Engine::Save() {
  if (!stores_.saved) return Ok();
  std::string bytes;
  uint64_t version = 0;
  {
    std::lock_guard lock(sync_mu_);
    if (state_->version == saved_version_) return Ok();
    bytes = builder_->Save(*state_);
    version = state_->version;
  }
  if (auto s = stores_.saved->SaveEngineState(bytes); !s) return s;
  std::lock_guard lock(sync_mu_);
  saved_version_ = version;
  return Ok();
}

namespace {

// Compares two states cell by cell, naming the first differences.
void Compare(const State& held, const State& fresh, Verification& v) {
  auto differ = [&v](std::string what) {
    if (++v.differing <= 20) v.first.push_back(std::move(what));
  };
  const Model& a = *held.model;
  const Model& b = *fresh.model;
  if (held.axis.first_year != fresh.axis.first_year || held.axis.years != fresh.axis.years) {
    differ("the years held: " + std::to_string(held.axis.first_year) + "+" +
           std::to_string(held.axis.years) + " against " + std::to_string(fresh.axis.first_year) +
           "+" + std::to_string(fresh.axis.years) + " rebuilt");
    return;
  }
  if (a.units.size() != b.units.size() || a.objs.size() != b.objs.size() ||
      a.set.indicators.size() != b.set.indicators.size()) {
    differ("the units, elements or indicators held are not those rebuilt");
    return;
  }
  auto value = [](const Series* s, int k) { return s ? (*s)[static_cast<size_t>(k)] : kNone; };
  auto same = [](double x, double y) { return Has(x) == Has(y) && (!Has(x) || x == y); };
  auto text = [](double x) {
    if (!Has(x)) return std::string("none");
    char buf[32];
    auto r = std::to_chars(buf, buf + sizeof buf, x);
    return std::string(buf, r.ptr);
  };
  auto series = [&](const std::string& what, const Series* x, const Series* y, size_t u) {
    for (int k = 0; k < held.axis.size(); ++k) {
      ++v.cells;
      const double p = value(x, k);
      const double q = value(y, k);
      if (same(p, q)) continue;
      differ(what + " " + a.units[u]->code + " " + held.axis.At(k).Id() + ": " + text(p) +
             " held, " + text(q) + " rebuilt");
    }
  };
  for (size_t o = 0; o < a.objs.size(); ++o) {
    const Obj& obj = a.objs[o];
    const std::string name =
        "element " + obj.element->code + (obj.option.empty() ? "" : "." + obj.option);
    for (size_t u = 0; u < a.units.size(); ++u) {
      series(name, held.ElementSeries(static_cast<int>(o), static_cast<int>(u)),
             fresh.ElementSeries(static_cast<int>(o), static_cast<int>(u)), u);
    }
    const auto& x = *held.arrivals[o];
    const auto& y = *fresh.arrivals[o];
    for (size_t u = 0; u < a.units.size(); ++u) {
      auto i = x.find(static_cast<int>(u));
      auto j = y.find(static_cast<int>(u));
      const bool has_x = i != x.end();
      const bool has_y = j != y.end();
      if (has_x != has_y || (has_x && *i->second != *j->second)) {
        differ(name + " " + a.units[u]->code + ": when its reports arrived");
      }
    }
  }
  for (size_t i = 0; i < a.set.indicators.size(); ++i) {
    for (size_t u = 0; u < a.units.size(); ++u) {
      series("indicator " + a.set.indicators[i].code,
             held.IndicatorSeries(static_cast<int>(i), static_cast<int>(u)),
             fresh.IndicatorSeries(static_cast<int>(i), static_cast<int>(u)), u);
    }
  }
}

}  // namespace

Result<Verification> Engine::Verify() {
  std::shared_ptr<const units::Registry> registry;
  {
    std::lock_guard lock(sync_mu_);
    registry = registry_;
  }
  // The full build runs beside the syncs; then both are brought to what is committed now.
  Builder fresh(stores_, registry, home_);
  SyncStats stats;
  auto built = fresh.Full(stats);
  if (!built) return Fail(built.error());
  std::shared_ptr<const State> rebuilt = std::move(*built);
  std::lock_guard lock(sync_mu_);
  const Error moved =
      Error::Conflict("engine.moved",
                      "the definitions or the units changed while the state was verified: "
                      "verify again");
  if (registry != registry_) return Fail(moved);
  for (int round = 0;; ++round) {
    auto held = SyncLocked();
    if (!held) return Fail(held.error());
    if (held->rebuilt) return Fail(moved);
    SyncStats more;
    auto next = fresh.Update(*rebuilt, more);
    if (!next) return Fail(next.error());
    if (!*next) return Fail(moved);
    rebuilt = std::move(*next);
    if (fresh.batch_mark() == builder_->batch_mark() &&
        fresh.value_mark() == builder_->value_mark()) {
      break;
    }
    if (round == 5) return Fail(moved);
  }
  Verification v;
  v.loaded = loaded_;
  const Snapshot held = snapshot();
  Compare(held.state(), *rebuilt, v);
  return v;
}

// --- Snapshot --------------------------------------------------------------------------------

const IndexSet& Snapshot::set() const {
  return state_->model->set;
}
const units::Registry& Snapshot::registry() const {
  return *state_->model->registry;
}
const units::Unit& Snapshot::province() const {
  return *state_->model->province;
}
uint64_t Snapshot::version() const {
  return state_->version;
}

std::optional<double> Snapshot::Value(std::string_view indicator, std::string_view unit,
                                      const Period& p) const {
  auto it = state_->model->ind_index.find(std::string(indicator));
  const int u = state_->model->UnitIndex(unit);
  auto slot = state_->axis.Slot(p);
  if (it == state_->model->ind_index.end() || u < 0 || !slot) return std::nullopt;
  const Series* s = state_->IndicatorSeries(it->second, u);
  if (!s || !Has((*s)[static_cast<size_t>(*slot)])) return std::nullopt;
  return (*s)[static_cast<size_t>(*slot)];
}

std::optional<double> Snapshot::ElementValue(std::string_view element, std::string_view option,
                                             std::string_view unit, const Period& p) const {
  std::string key(element);
  if (!option.empty()) key += "." + std::string(option);
  auto it = state_->model->obj_index.find(key);
  const int u = state_->model->UnitIndex(unit);
  auto slot = state_->axis.Slot(p);
  if (it == state_->model->obj_index.end() || u < 0 || !slot) return std::nullopt;
  const Series* s = state_->ElementSeries(it->second, u);
  if (!s || !Has((*s)[static_cast<size_t>(*slot)])) return std::nullopt;
  return (*s)[static_cast<size_t>(*slot)];
}

std::vector<Period> Snapshot::Periods(PeriodKind kind) const {
  std::vector<Period> out;
  const Axis& ax = state_->axis;
  for (int k = 0; k < ax.size(); ++k) {
    Period p = ax.At(k);
    if (p.kind == kind) out.push_back(p);
  }
  return out;
}

std::vector<const units::Unit*> Snapshot::Units() const {
  return state_->model->units;
}

void Snapshot::ForEachValue(const std::function<void(const Indicator&, const units::Unit&,
                                                     const Period&, double)>& fn) const {
  const State& st = *state_;
  for (size_t i = 0; i < st.model->set.indicators.size(); ++i) {
    for (size_t u = 0; u < st.model->units.size(); ++u) {
      const Series* s = st.IndicatorSeries(static_cast<int>(i), static_cast<int>(u));
      if (!s) continue;
      for (int k = 0; k < st.axis.size(); ++k) {
        const double v = (*s)[static_cast<size_t>(k)];
        if (Has(v)) fn(st.model->set.indicators[i], *st.model->units[u], st.axis.At(k), v);
      }
    }
  }
}

}  // namespace pdh::engine
