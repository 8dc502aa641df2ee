#include "output/report_numbers.h"

#include <algorithm>
#include <cctype>
#include <cmath>
#include <limits>

#include <fmt/format.h>

#include "output/summary_table.h"
#include "sim/quantile.h"

namespace fourp::report {

namespace {

constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();

// Years in a horizon, or NaN when the unit has no fixed length in years.
double years(int64_t steps, std::string_view unit) {
  const double n = static_cast<double>(steps);
  if (unit == "week" || unit == "weeks") return n / 52.0;
  if (unit == "day" || unit == "days") return n / 365.0;
  if (unit == "month" || unit == "months") return n / 12.0;
  if (unit == "year" || unit == "years") return n;
  return kNaN;
}

std::string years_words(double y) {
  const double whole = std::round(y);
  if (std::fabs(y - whole) < 1e-9) return fmt::format("{} year{}", whole, whole == 1 ? "" : "s");
  return fmt::format("about {:.1f} years", y);
}

// "156 weeks", "3,000 days".
std::string steps_words(int64_t steps, std::string_view unit) {
  const double n = static_cast<double>(steps);
  return fmt::format("{} {}", n >= 1000 ? format_number(n) : fmt::format("{}", steps),
                     unit_words(n, unit));
}

}  // namespace

Band series_band(const Results& r, const ArmResult& arm, size_t metric, bool cumulative) {
  const size_t rows = r.rows();
  Band b{std::vector<double>(rows, kNaN), std::vector<double>(rows, kNaN),
         std::vector<double>(rows, kNaN)};
  std::vector<double> sums(arm.replicates.size(), 0.0);
  std::vector<double> values;
  for (size_t t = 0; t < rows; ++t) {
    values.clear();
    for (size_t k = 0; k < arm.replicates.size(); ++k) {
      const std::vector<double>& s = arm.replicates[k].series;
      const size_t at = metric * rows + t;
      if (at >= s.size()) continue;
      double v = s[at];
      if (cumulative) {
        if (!std::isnan(v)) sums[k] += v;
        v = sums[k];
      }
      if (!std::isnan(v)) values.push_back(v);
    }
    if (values.empty()) continue;
    double sum = 0;
    for (double v : values) sum += v;
    b.mean[t] = sum / static_cast<double>(values.size());
    std::sort(values.begin(), values.end());
    b.low[t] = quantile_sorted(values, 0.05);
    b.high[t] = quantile_sorted(values, 0.95);
  }
  return b;
}

std::vector<double> community_mean(const Results& r, const ArmResult& arm, size_t metric) {
  const size_t rows = r.rows(), c = r.communities;
  if (c == 0 || arm.replicates.empty() || arm.replicates.front().communities.empty()) return {};
  std::vector<double> sum(c * rows, 0.0), n(c * rows, 0.0);
  for (const RunResult& run : arm.replicates) {
    if (run.communities.size() < (metric + 1) * rows * c) continue;
    for (size_t t = 0; t < rows; ++t)
      for (size_t k = 0; k < c; ++k) {
        const double v = run.communities[(metric * rows + t) * c + k];
        if (std::isnan(v)) continue;
        sum[k * rows + t] += v;
        n[k * rows + t] += 1;
      }
  }
  for (size_t i = 0; i < sum.size(); ++i) sum[i] = n[i] > 0 ? sum[i] / n[i] : kNaN;
  return sum;
}

std::vector<double> total_values(const ArmResult& arm, size_t total) {
  std::vector<double> v;
  for (const RunResult& run : arm.replicates)
    if (total < run.totals.size()) v.push_back(run.totals[total]);
  return v;
}

double total_mean(const ArmResult& arm, size_t total) {
  const std::vector<double> v = total_values(arm, total);
  if (v.empty()) return kNaN;
  double sum = 0;
  for (double x : v) sum += x;
  return sum / static_cast<double>(v.size());
}

const ArmResult* find_arm(const Results& r, std::string_view name) {
  for (const ArmResult& a : r.arms)
    if (a.name == name) return &a;
  return nullptr;
}

const Difference* find_difference(const Results& r, std::string_view arm,
                                  std::string_view quantity) {
  for (const Comparison& c : r.comparisons)
    if (c.arm == arm)
      for (const Difference& d : c.differences)
        if (d.quantity == quantity) return &d;
  return nullptr;
}

Subgroup count_subgroup(const Results& r, std::string label, std::optional<double> expected) {
  if (r.outputs.subgroup.empty()) return {};
  for (const ArmResult& arm : r.arms) {
    if (arm.replicates.empty()) continue;
    for (const Snapshot& s : arm.replicates.front().snapshots) {
      if (s.step != 0) continue;
      for (const Column& c : s.columns)
        if (c.name == r.outputs.subgroup) {
          double n = 0;
          for (double v : c.values) n += v != 0 ? 1 : 0;
          if (n > 0) return {n, Subgroup::Source::snapshot, label};
        }
    }
  }
  if (expected && *expected > 0) return {*expected, Subgroup::Source::scenario, label};
  return {};
}

std::string unit_words(double count, std::string_view unit) {
  std::string u = unit.empty() ? "step" : std::string(unit);
  if (count != 1 && u.back() != 's') u += 's';
  return u;
}

std::string horizon_words(int64_t steps, std::string_view unit) {
  const std::string base = steps_words(steps, unit);
  const double y = years(steps, unit);
  if (std::isnan(y) || y < 1 || unit == "year" || unit == "years") return base;
  return fmt::format("{} ({})", base, years_words(y));
}

std::string horizon_short(int64_t steps, std::string_view unit) {
  const double y = years(steps, unit);
  if (std::isnan(y) || y < 1) return steps_words(steps, unit);
  return years_words(y);
}

std::string range_words(double low, double high) {
  if (std::isinf(high) && high > 0) return fmt::format("{} or more", format_number(low));
  if (low < 0 || high < 0) return fmt::format("{} to {}", format_number(low), format_number(high));
  return fmt::format("{}\u2013{}", format_number(low), format_number(high));
}

std::string percent(double share) {
  if (std::isnan(share)) return "n/a";
  return fmt::format("{:.1f}%", 100 * share);
}

std::string people(double n) {
  if (std::isnan(n)) return "n/a";
  return std::fabs(n) >= 999.5 ? format_number(n) : fmt::format("{:.0f}", n);
}

std::string points(double d) {
  if (std::isnan(d)) return "n/a";
  const std::string s = fmt::format("{:+.1f}", 100 * d);
  return s == "-0.0" || s == "+0.0" ? "0.0" : s;
}

std::string capitalised(std::string s) {
  if (!s.empty()) s[0] = static_cast<char>(std::toupper(static_cast<unsigned char>(s[0])));
  return s;
}

std::string lower(std::string s) {
  for (char& c : s) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return s;
}

}  // namespace fourp::report
