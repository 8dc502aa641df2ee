// The report's key findings: three to six sentences generated from the numbers of a results
// file, each with its 95% interval, none claiming more than the interval supports. From
// Results::comparisons (paired differences against the baseline), the per-arm totals and the
// model's declarations (Results::outputs), in the model's own words:
//
//   1. the baseline's headline outcome over the horizon, per 10,000 people of the declared
//      subgroup when their number is known (for the prevention model: cases of exploitation per
//      10,000 at-risk people);
//   2. one sentence per arm (at most four, in the scenario's order): its improvement against the
//      baseline (cases averted), with the cost per unit (per case averted) where it improved;
//   3. every other share the model puts in its summary (the engaged share at the end) against
//      the baseline, in percentage points.
//
// The wording follows the interval: "averted" only when its lower end is above zero, "more
// cases" only when its upper end is below zero, and otherwise "not distinguishable from zero".
// A model that declares neither a headline nor summary shares gets a sentence per arm on its
// first total.
//
//   const Subgroup group = count_subgroup(results, "at-risk people", summary.expected_subgroup);
//   for (const std::string& s : key_findings(results, group)) fmt::print("- {}\n", s);
//
// prints, for the flagship (scenarios/rural-district.yaml):
//   - With no programme, 694.4 cases of exploitation occurred among 3,412 at-risk people over
//     156 weeks (3 years): 2,035 per 10,000 at-risk people (95% interval 2,010–2,060).
//   - Outsider led to 101.6 more cases per 10,000 at-risk people over 3 years than no programme
//     (95% interval 89.97–113.1; 34.65 more cases in all).
//   - Partnership averted 325.8 cases per 10,000 at-risk people over 3 years compared with no
//     programme (95% interval 311.3–340.2; 111.2 cases in all), at USD 9,352 per case averted
//     (95% interval 8,987–9,747).
//   - …
//   - With no programme, the engaged share at the end was 10.5% over 3 years; the difference
//     was -1.5 percentage points with outsider (95% interval -1.7 to -1.4), …
#pragma once

#include <string>
#include <vector>

#include "output/report_numbers.h"
#include "sim/results.h"

namespace fourp::report {

// At most this many arms are named in the findings; the others are in the report's tables.
inline constexpr size_t kMaxFindingArms = 4;

// Plain-text sentences (not HTML-escaped), each ending with a full stop.
std::vector<std::string> key_findings(const Results& r, const Subgroup& group);

// How the report names the baseline arm: "no programme" when it has no intervention, else
// "the <name> arm".
std::string baseline_words(const Results& r);

}  // namespace fourp::report
