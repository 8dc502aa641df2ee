// The numbers the report shows, derived from Results in one place so that the findings, the
// charts and the tables (and the tests that check them) agree: bands over replicates, means of
// totals, lookups of comparisons, the number of at-risk people, the horizon in words, and how
// numbers and intervals are written in sentences.
//
//   const AtRisk at_risk = count_at_risk(results, summary.expected_at_risk);
//   Band b = series_band(results, arm, results.metric_index("engaged"), false);
//   // b.mean[t], b.low[t] (5th percentile), b.high[t] (95th percentile) for rows t = 0..steps
//   horizon_words(156, "week");   // "156 weeks (3 years)"
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "sim/find_name.h"  // find_name, used with the results' names
#include "sim/results.h"

namespace fourp::report {

// Per row (0..steps): mean over replicates and the middle 90% of replicates (5th and 95th
// percentiles, R's type 7). NaN values are left out; a row with none is NaN.
struct Band {
  std::vector<double> mean, low, high;
};
// One metric of an arm. `cumulative`: each replicate's running sum over rows first (flows such
// as exploited per step become cases so far).
Band series_band(const Results& r, const ArmResult& arm, size_t metric, bool cumulative);

// Mean over replicates of one community series, [community][row]; empty without community data.
std::vector<double> community_mean(const Results& r, const ArmResult& arm, size_t metric);

// Mean over an arm's replicates of a total, and the values themselves.
std::vector<double> total_values(const ArmResult& arm, size_t total);
double total_mean(const ArmResult& arm, size_t total);

const ArmResult* find_arm(const Results& r, std::string_view name);
const Difference* find_difference(const Results& r, std::string_view arm,
                                  std::string_view quantity);

// The people of the model's declared subgroup (a role, e.g. at-risk people): the denominator of
// "cases per 10,000 at-risk people". Results do not store it: it is counted in the first
// snapshot at step 0 that has a column of the role's name (replicate 0; roles are drawn per
// replicate, so other replicates differ by a few people), else taken from the scenario
// (community size × the role's probability, `expected`).
struct Subgroup {
  enum class Source { none, snapshot, scenario };
  double people = 0;
  Source source = Source::none;
  std::string label;  // the role's plural noun: "at-risk people"
  bool known() const { return source != Source::none && people > 0; }
  double per_10k(double cases) const { return cases * 10000.0 / people; }
};
Subgroup count_subgroup(const Results& r, std::string label, std::optional<double> expected);

// Plural of a step unit for a count ("1 week", "2 weeks"); "step" when the unit is empty.
std::string unit_words(double count, std::string_view unit);
// "156 weeks (3 years)", "100 weeks (about 1.9 years)", "8 weeks", "36 months (3 years)".
std::string horizon_words(int64_t steps, std::string_view unit);
// The shortest form: "3 years", "about 1.9 years", "8 weeks".
std::string horizon_short(int64_t steps, std::string_view unit);

// A numeric range as read in a sentence: "81–133" (en dash) when both ends are non-negative,
// "-7.49 to -5.41" otherwise, so a minus sign is never mistaken for a dash. Ends are formatted
// with format_number; "inf" upper ends read "81 or more".
std::string range_words(double low, double high);

// Shares as percentages with one decimal: "24.6%". Differences of shares as signed percentage
// points: "+13.5", "-1.8".
std::string percent(double share);
// A number of people: whole, with thousands separators ("3,412", "250").
std::string people(double n);
std::string points(double share_difference);

// Text with its first letter in upper case ("Cases averted"), or every letter in lower case.
std::string capitalised(std::string s);
std::string lower(std::string s);

}  // namespace fourp::report
