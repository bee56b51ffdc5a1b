// What the IOC reads off a snapshot: targets and traffic lights, freshness and expected reports,
// outliers and projections.
#include <algorithm>
#include <cmath>
#include <string>
#include <vector>

#include "core/date.h"
#include "engine/internal.h"

namespace pdh::engine {
namespace {

double Median(std::vector<double> v) {
  std::sort(v.begin(), v.end());
  const size_t n = v.size();
  return n % 2 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2;
}

const Series* IndSeries(const State& st, const Indicator& ind, int unit) {
  auto it = st.model->ind_index.find(ind.code);
  if (it == st.model->ind_index.end() || unit < 0) return nullptr;
  return st.IndicatorSeries(it->second, unit);
}

double At(const State& st, const Series* s, const Period& p) {
  if (!s) return kNone;
  auto slot = st.axis.Slot(p);
  return slot ? (*s)[static_cast<size_t>(*slot)] : kNone;
}

}  // namespace

Date DefaultAsOf(store::SettingsStore& settings) {
  auto v = settings.GetSetting(std::string(kAsOfSetting));
  if (v && *v) {
    if (auto d = Date::Parse(**v)) return *d;
  }
  return Date::Today();
}

std::string_view LightName(Light l) {
  switch (l) {
    case Light::kGreen:
      return "green";
    case Light::kYellow:
      return "yellow";
    case Light::kRed:
      return "red";
    case Light::kNone:
      return "none";
  }
  return "none";
}

std::optional<double> TargetFor(const Indicator& ind, std::string_view unit, int year,
                                std::string_view province) {
  std::optional<double> fallback;
  for (const auto& t : ind.targets) {
    if (t.year != year) continue;
    if (t.unit == unit) return t.value;
    if (t.unit == province) fallback = t.value;
  }
  return fallback;
}

Light Judge(const Indicator& ind, std::optional<double> value, std::optional<double> target) {
  if (!value || !target) return Light::kNone;
  double achieved = 0;
  if (ind.higher_is_better) {
    if (*target == 0) return *value >= 0 ? Light::kGreen : Light::kRed;
    achieved = *value / *target * 100;
  } else {
    if (*value <= *target) return Light::kGreen;
    if (*value == 0) return Light::kGreen;
    achieved = *target / *value * 100;
  }
  if (achieved >= ind.green - 1e-9) return Light::kGreen;
  if (achieved >= ind.yellow - 1e-9) return Light::kYellow;
  return Light::kRed;
}

Date DueDate(const Period& p, int due_days) {
  return AddDays(p.Last(), due_days);
}

Period DuePeriod(PeriodKind periodicity, int due_days, Date as_of) {
  Period p =
      Period::Containing(as_of, periodicity == PeriodKind::kYtd ? PeriodKind::kMonth : periodicity);
  while (DueDate(p, due_days) > as_of) p = p.Shift(-1);
  return p;
}

std::optional<Period> LatestPeriod(const Snapshot& snap, const Indicator& ind,
                                   std::string_view unit, Date as_of) {
  const State& st = snap.state();
  const Series* s = IndSeries(st, ind, st.model->UnitIndex(unit));
  if (!s) return std::nullopt;
  Period p = Period::Containing(as_of, ind.periodicity);
  for (int guard = 0; guard < 600 && p.year >= st.axis.first_year; ++guard, p = p.Shift(-1)) {
    if (Has(At(st, s, p))) return p;
  }
  return std::nullopt;
}

std::vector<Freshness> IndicatorFreshness(const Snapshot& snap, Date as_of, std::string_view unit) {
  const State& st = snap.state();
  const std::string u = unit.empty() ? st.model->province->code : std::string(unit);
  std::vector<Freshness> out;
  out.reserve(st.model->set.indicators.size());
  for (const auto& ind : st.model->set.indicators) {
    Freshness f;
    f.indicator = &ind;
    f.due = DuePeriod(ind.periodicity, ind.due_days, as_of);
    f.last = LatestPeriod(snap, ind, u, as_of);
    f.updated = f.last && *f.last >= f.due;
    if (!f.updated) {
      // The first period due without a value, and how many are due since.
      Period first = f.last ? f.last->Shift(1) : f.due;
      if (!f.last) {
        // Never reported: stale since the first period the engine holds.
        first = Period::Containing(Date{st.axis.first_year, 1, 1}, ind.periodicity);
      }
      f.stale_since = DueDate(first, ind.due_days);
      int n = 0;
      for (Period p = first; p <= f.due && n < 1000; p = p.Shift(1)) ++n;
      f.stale_periods = n;
    }
    out.push_back(f);
  }
  return out;
}

std::vector<UnitReports> ReportingByUnit(const Snapshot& snap, Date as_of) {
  const State& st = snap.state();
  const Model& m = *st.model;
  std::vector<UnitReports> out(m.units.size());
  std::vector<bool> reports(m.units.size(), false);
  for (size_t u = 0; u < m.units.size(); ++u) out[u].unit = m.units[u];
  const int64_t today = DayNumber(as_of);
  for (size_t o = 0; o < m.objs.size(); ++o) {
    const Obj& obj = m.objs[o];
    const Element& e = *obj.element;
    if (obj.total >= 0 || e.reporting.empty()) continue;
    // The units expected to report it.
    std::vector<int> expected;
    for (size_t u = 0; u < m.units.size(); ++u) {
      const units::Unit* unit = m.units[u];
      bool yes = false;
      if (e.reporting == "province") yes = u == 0;
      if (e.reporting == "communes") yes = unit->level == units::Level::kCommune;
      if (e.reporting == "agencies") yes = unit->level == units::Level::kAgency;
      if (e.reporting == "units") {
        yes = std::find(e.reporting_units.begin(), e.reporting_units.end(), unit->code) !=
              e.reporting_units.end();
      }
      if (yes) expected.push_back(static_cast<int>(u));
    }
    const auto& arrivals = *st.arrivals[o];
    const Period due = DuePeriod(e.periodicity, e.due_days, as_of);
    for (int u : expected) {
      UnitReports& r = out[static_cast<size_t>(u)];
      reports[static_cast<size_t>(u)] = true;
      auto it = arrivals.find(u);
      const Arrivals* a = it == arrivals.end() ? nullptr : it->second.get();
      // This year's periods due by the as-of date.
      for (Period p = Period::Containing(Date{as_of.year, 1, 1}, e.periodicity);
           p <= due && p.year == as_of.year; p = p.Shift(1)) {
        ++r.expected;
        auto slot = st.axis.Slot(p);
        const int32_t day = (a && slot) ? (*a)[static_cast<size_t>(*slot)] : 0;
        if (day == 0 || day > today) continue;
        ++r.received;
        if (day <= DayNumber(DueDate(p, e.due_days))) ++r.on_time;
      }
      // The latest period reported, whatever the year.
      if (a) {
        for (int k = st.axis.quarters_at() - 1; k >= 0; --k) {
          const int32_t day = (*a)[static_cast<size_t>(k)];
          if (day != 0 && day <= today) {
            Period p = st.axis.At(k);
            if (!r.last || p > *r.last) r.last = p;
            break;
          }
        }
        for (int k = st.axis.ytd_at() - 1; k >= st.axis.quarters_at(); --k) {
          const int32_t day = (*a)[static_cast<size_t>(k)];
          if (day != 0 && day <= today) {
            Period p = st.axis.At(k);
            Period as_month{PeriodKind::kMonth, p.year, p.kind == PeriodKind::kYear ? 12 : p.n * 3};
            if (!r.last || as_month > *r.last) r.last = as_month;
            break;
          }
        }
      }
    }
  }
  std::vector<UnitReports> result;
  for (size_t u = 0; u < out.size(); ++u) {
    if (!reports[u]) continue;
    UnitReports& r = out[u];
    // Silent since the first month due after its latest report (none when that is not due yet).
    const Period first = r.last ? r.last->Shift(1) : Period{PeriodKind::kMonth, as_of.year, 1};
    if (DueDate(first, 15) <= as_of) r.stale_since = DueDate(first, 15);
    result.push_back(r);
  }
  return result;
}

std::vector<Outlier> Outliers(const Snapshot& snap, Date as_of) {
  const State& st = snap.state();
  const Model& m = *st.model;
  std::vector<Outlier> out;
  const Period now = Period::Containing(as_of, PeriodKind::kMonth);
  for (size_t i = 0; i < m.set.indicators.size(); ++i) {
    const Indicator& ind = m.set.indicators[i];
    if (ind.periodicity != PeriodKind::kMonth) continue;
    for (size_t u = 0; u < m.units.size(); ++u) {
      const Series* s = st.IndicatorSeries(static_cast<int>(i), static_cast<int>(u));
      if (!s) continue;
      // The latest month with a value, up to the as-of date.
      std::optional<Period> last;
      for (Period p = now; p.year >= st.axis.first_year; p = p.Shift(-1)) {
        if (Has(At(st, s, p))) {
          last = p;
          break;
        }
      }
      if (!last) continue;
      std::vector<double> history;
      for (int k = 1; k <= 24; ++k) {
        const double v = At(st, s, last->Shift(-k));
        if (Has(v)) history.push_back(v);
      }
      if (history.size() < 6) continue;
      const double med = Median(history);
      std::vector<double> dev;
      dev.reserve(history.size());
      for (double v : history) dev.push_back(std::fabs(v - med));
      const double mad = Median(dev);
      // A flat history (up to rounding) has no spread to judge by.
      if (mad <= 1e-9 * std::max(1.0, std::fabs(med))) continue;
      const double x = At(st, s, *last);
      const double z = 0.6745 * (x - med) / mad;
      if (std::fabs(z) > 3.5) out.push_back({&ind, m.units[u], *last, x, med, z});
    }
  }
  std::sort(out.begin(), out.end(), [](const Outlier& a, const Outlier& b) {
    return std::fabs(a.score) > std::fabs(b.score);
  });
  return out;
}

std::vector<RateOver100> RatesOver100(const Snapshot& snap, Date as_of) {
  const State& st = snap.state();
  const Model& m = *st.model;
  std::vector<RateOver100> out;
  const Period now = Period::Containing(as_of, PeriodKind::kMonth);
  for (size_t i = 0; i < m.set.indicators.size(); ++i) {
    const Indicator& ind = m.set.indicators[i];
    if (ind.measure != "%" || ind.periodicity != PeriodKind::kMonth ||
        !CountRateOf(ind, m.set).numerator) {
      continue;
    }
    for (size_t u = 0; u < m.units.size(); ++u) {
      const Series* s = st.IndicatorSeries(static_cast<int>(i), static_cast<int>(u));
      if (!s) continue;
      RateOver100 r{&ind, m.units[u], now, 0, 0};
      for (int k = 0; k < 12; ++k) {
        const Period p = now.Shift(-k);
        const double v = At(st, s, p);
        // Above 100 by more than rounding.
        if (!Has(v) || v <= 100 * (1 + 1e-9)) continue;
        if (r.months++ == 0) {
          r.period = p;
          r.value = v;
        }
      }
      if (r.months > 0) out.push_back(r);
    }
  }
  std::sort(out.begin(), out.end(),
            [](const RateOver100& a, const RateOver100& b) { return a.value > b.value; });
  return out;
}

std::optional<Projection> Project(const Snapshot& snap, const Indicator& ind, std::string_view unit,
                                  Date as_of) {
  const State& st = snap.state();
  const std::string& province = st.model->province->code;
  auto target = TargetFor(ind, unit, as_of.year, province);
  if (!target) return std::nullopt;
  Projection p;
  p.indicator = &ind;
  p.unit = std::string(unit);
  p.year = as_of.year;
  p.target = *target;
  const Series* s = IndSeries(st, ind, st.model->UnitIndex(unit));
  const Period year{PeriodKind::kYear, as_of.year, 0};
  if (ind.periodicity == PeriodKind::kYear) {
    // A linear trend over the past years.
    std::vector<std::pair<double, double>> pts;
    for (int y = as_of.year - 5; y < as_of.year; ++y) {
      const double v = At(st, s, {PeriodKind::kYear, y, 0});
      if (Has(v)) pts.emplace_back(y, v);
    }
    const double cur = At(st, s, year);
    if (Has(cur)) {
      p.current = cur;
      p.projected = cur;
      p.method = "latest";
    } else if (pts.size() >= 2) {
      double mx = 0, my = 0;
      for (auto [x, y] : pts) mx += x, my += y;
      mx /= static_cast<double>(pts.size());
      my /= static_cast<double>(pts.size());
      double sxy = 0, sxx = 0;
      for (auto [x, y] : pts) sxy += (x - mx) * (y - my), sxx += (x - mx) * (x - mx);
      p.projected = my + (sxx > 0 ? sxy / sxx : 0) * (as_of.year - mx);
      p.method = "trend";
    } else if (!pts.empty()) {
      p.projected = pts.back().second;
      p.method = "latest";
    }
  } else {
    // The year-to-date so far, carried to December by the shape of last year's year-to-date
    // (seasonality), or by the trend of this year's months when last year is missing.
    std::optional<Period> last;
    for (int mth = as_of.month; mth >= 1; --mth) {
      Period ytd{PeriodKind::kYtd, as_of.year, mth};
      if (Has(At(st, s, ytd))) {
        last = ytd;
        break;
      }
    }
    if (last) {
      const double cur = At(st, s, *last);
      p.current = cur;
      const double ly_now = At(st, s, {PeriodKind::kYtd, as_of.year - 1, last->n});
      const double ly_end = At(st, s, {PeriodKind::kYtd, as_of.year - 1, 12});
      if (last->n == 12) {
        p.projected = cur;
        p.method = "latest";
      } else if (Has(ly_now) && Has(ly_end) && ly_now != 0) {
        p.projected = cur * (ly_end / ly_now);
        p.method = "seasonal";
      } else {
        std::vector<std::pair<double, double>> pts;
        for (int mth = 1; mth <= last->n; ++mth) {
          const double v = At(st, s, {PeriodKind::kMonth, as_of.year, mth});
          if (Has(v)) pts.emplace_back(mth, v);
        }
        p.projected = cur;
        p.method = "latest";
        if (pts.size() >= 3 && ind.periodicity == PeriodKind::kMonth) {
          double mx = 0, my = 0;
          for (auto [x, y] : pts) mx += x, my += y;
          mx /= static_cast<double>(pts.size());
          my /= static_cast<double>(pts.size());
          double sxy = 0, sxx = 0;
          for (auto [x, y] : pts) sxy += (x - mx) * (y - my), sxx += (x - mx) * (x - mx);
          const double slope = sxx > 0 ? sxy / sxx : 0;
          // The year-to-date moves as its months do: the December month's value against now's.
          const double dec = my + slope * (12 - mx);
          const double now_v = my + slope * (last->n - mx);
          if (now_v != 0) {
            p.projected = cur * (dec / now_v);
            p.method = "trend";
          }
        }
      }
    }
  }
  // A share cannot be carried past 100 % or below 0: a "%" indicator whose year so far is a share
  // (within 0–100) is projected within them too.
  if (p.projected && ind.measure == "%" && (!p.current || (*p.current >= 0 && *p.current <= 100))) {
    p.projected = std::clamp(*p.projected, 0.0, 100.0);
  }
  if (p.projected) p.on_track = Judge(ind, p.projected, p.target) == Light::kGreen;
  return p;
}

std::vector<Projection> Projections(const Snapshot& snap, Date as_of) {
  std::vector<Projection> out;
  const State& st = snap.state();
  for (const auto& ind : st.model->set.indicators) {
    std::vector<std::string> units;
    for (const auto& t : ind.targets) {
      if (t.year == as_of.year && std::find(units.begin(), units.end(), t.unit) == units.end()) {
        units.push_back(t.unit);
      }
    }
    for (const auto& u : units) {
      if (auto p = Project(snap, ind, u, as_of)) out.push_back(std::move(*p));
    }
  }
  return out;
}

}  // namespace pdh::engine
