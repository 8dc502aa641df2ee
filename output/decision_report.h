// The report's Decision section (issue 11) and the line `fourp run` prints under its summary:
// which arm to choose at what price, how sure that choice is, and which evidence is worth
// collecting — from Results::decision (sim/decision_analysis.h). Words and charts only; the
// numbers are the analysis's.
//
//   out += decision_section(results, 5);   // "<section id="decision"><h2>5. Decision …"
//   fmt::print("{}", decision_line(results));
#pragma once

#include <string>
#include <vector>

#include "sim/results.h"

namespace fourp::report {

// The willingness to pay the findings speak of: the middle of the grid (a grid value).
size_t focus_lambda(const DecisionAnalysis& d);

// Findings in plain words, e.g. "At USD 5,000 per case averted, partnership is the best choice in
// 87% of the 200 draws; the most valuable evidence to collect is on model.denial (USD 41,000 per
// district)." Empty without an analysis.
std::vector<std::string> decision_findings(const Results& r);

// The whole <section id="decision">, numbered `number`; a line saying why when there is no
// analysis (one arm, no baseline, a model without costs).
std::string decision_section(const Results& r, int number);

// A few lines for the terminal ("" without an analysis): the arm of highest expected net benefit
// along the willingness-to-pay grid, the probability each arm is best at the focus willingness
// to pay, and a note when no parameter was drawn.
std::string decision_line(const Results& r);

}  // namespace fourp::report
