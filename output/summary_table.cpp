#include "output/summary_table.h"

#include <algorithm>
#include <cmath>
#include <functional>
#include <optional>

#include <fmt/format.h>

#include "sim/number_words.h"

namespace fourp {

namespace {

// Mean over an arm's replicates of one value of each run; NaN without replicates or values.
double mean_over(const ArmResult& arm,
                 const std::function<std::optional<double>(const RunResult&)>& get) {
  double sum = 0;
  size_t n = 0;
  for (const RunResult& run : arm.replicates)
    if (std::optional<double> v = get(run)) {
      sum += *v;
      ++n;
    }
  return n > 0 ? sum / static_cast<double>(n) : std::nan("");
}

const Difference* find_difference(const Results& r, const std::string& arm,
                                  std::string_view quantity) {
  for (const Comparison& c : r.comparisons)
    if (c.arm == arm)
      for (const Difference& d : c.differences)
        if (d.quantity == quantity) return &d;
  return nullptr;
}

bool any_difference(const Results& r, std::string_view quantity) {
  for (const Comparison& c : r.comparisons)
    for (const Difference& d : c.differences)
      if (d.quantity == quantity) return true;
  return false;
}

// Display width of UTF-8 text: code points (continuation bytes 10xxxxxx do not count).
size_t width(const std::string& s) {
  return static_cast<size_t>(std::count_if(
      s.begin(), s.end(), [](char c) { return (static_cast<unsigned char>(c) & 0xC0) != 0x80; }));
}

// "4.00 [2.10, 5.90]"; a difference of shares in percentage points: "+42.1 [+28.1, +56.2] pts".
std::string with_interval(const Difference& d, bool share) {
  if (std::isnan(d.mean)) return "n/a";
  if (share)
    return fmt::format("{:+.1f} [{:+.1f}, {:+.1f}] pts", 100 * d.mean, 100 * d.low, 100 * d.high);
  return fmt::format("{} [{}, {}]", format_number(d.mean), format_number(d.low),
                     format_number(d.high));
}

struct ColumnSpec {
  std::string header;
  bool left = false;
  std::vector<std::string> cells;  // one an arm
};

}  // namespace

std::string format_number(double x) {
  if (std::isnan(x)) return "n/a";
  if (std::isinf(x)) return x > 0 ? "inf" : "-inf";
  const double a = std::fabs(x);
  if (a >= 999.5) return thousands(x);  // thresholds where rounding would reach the next format
  if (a >= 99.95) return fmt::format("{:.1f}", x);
  if (a >= 0.9995) return fmt::format("{:.2f}", x);
  if (a == 0) return "0";
  return fmt::format("{:.3g}", x);
}

std::string format_summary(const Results& r) {
  std::vector<ColumnSpec> cols;
  ColumnSpec arm_col{"arm", true, {}};
  for (const ArmResult& arm : r.arms)
    arm_col.cells.push_back(arm.name == r.baseline_arm ? arm.name + " *" : arm.name);
  cols.push_back(std::move(arm_col));

  const auto total_column = [&](const std::string& header, size_t k,
                                const std::function<std::string(double)>& fmt_value) {
    ColumnSpec c{header, false, {}};
    for (const ArmResult& arm : r.arms)
      c.cells.push_back(
          fmt_value(mean_over(arm, [k](const RunResult& run) -> std::optional<double> {
            if (k < run.totals.size()) return run.totals[k];
            return std::nullopt;
          })));
    cols.push_back(std::move(c));
  };

  // The outcomes the model marks for the summary (all of them when it marks none), each read
  // as its scale says.
  const std::string currency = r.currency.empty() ? "" : fmt::format(" ({})", r.currency);
  const OutputDeclarations& decl = r.outputs;
  bool any = false;
  for (size_t k = 0; k < r.total_names.size(); ++k) {
    const OutcomeSpec* o = decl.find_outcome(r.total_names[k]);
    if (o == nullptr || !o->summary) continue;
    any = true;
    const std::string header = o->column.empty() ? o->name : o->column;
    if (o->scale == Scale::share)
      total_column(header, k, [](double m) {
        return std::isnan(m) ? "n/a" : fmt::format("{:.1f}%", 100 * m);
      });
    else
      total_column(o->scale == Scale::money ? header + currency : header, k, format_number);
  }
  if (!any)
    for (size_t k = 0; k < r.total_names.size(); ++k)
      total_column(r.total_names[k], k, format_number);

  bool differences = false;
  const auto difference_column = [&](const std::string& header, std::string_view quantity,
                                     bool share) {
    if (quantity.empty() || !any_difference(r, quantity)) return;
    differences = true;
    ColumnSpec c{header, true, {}};
    for (const ArmResult& arm : r.arms) {
      const Difference* d = find_difference(r, arm.name, quantity);
      c.cells.push_back(d != nullptr ? with_interval(*d, share) : "-");
    }
    cols.push_back(std::move(c));
  };
  // An improvement of a share (a final size) reads in percentage points.
  const OutcomeSpec* headline = decl.headline_outcome();
  difference_column(decl.improvement.label, decl.improvement.name,
                    headline != nullptr && headline->scale == Scale::share);
  difference_column(decl.improvement.cost_label + currency, decl.improvement.cost_name, false);

  const std::string unit = r.step_unit.empty() ? "step" : r.step_unit;
  std::string out =
      fmt::format("{}: {} replicate{}, {} {}{}", r.scenario_name, r.replicates,
                  r.replicates == 1 ? "" : "s", r.steps, unit, r.steps == 1 ? "" : "s");
  if (!r.baseline_arm.empty()) out += fmt::format("; * baseline '{}'", r.baseline_arm);
  if (differences) out += ", differences against it over paired replicates [95% interval]";
  out += '\n';

  std::vector<size_t> widths;
  for (const ColumnSpec& c : cols) {
    size_t w = width(c.header);
    for (const std::string& s : c.cells) w = std::max(w, width(s));
    widths.push_back(w);
  }
  const auto line = [&](const std::function<const std::string&(const ColumnSpec&)>& text) {
    std::string l;
    for (size_t i = 0; i < cols.size(); ++i) {
      const std::string& s = text(cols[i]);
      const std::string pad(widths[i] - width(s), ' ');
      if (i > 0) l += "  ";
      l += cols[i].left ? s + pad : pad + s;
    }
    while (!l.empty() && l.back() == ' ') l.pop_back();
    return l + '\n';
  };
  out += line([](const ColumnSpec& c) -> const std::string& { return c.header; });
  for (size_t row = 0; row < r.arms.size(); ++row)
    out += line([row](const ColumnSpec& c) -> const std::string& { return c.cells[row]; });
  return out;
}

}  // namespace fourp
