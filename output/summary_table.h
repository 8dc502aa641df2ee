// The table `fourp run` prints when it is done: one row an arm, the numbers a policy reader looks
// at first (cases of exploitation, prevented approaches, final engaged share, cost) as means over
// replicates, and for each arm other than the baseline its paired differences against the
// baseline with 95% intervals (from Results::comparisons). Columns whose metric or total the
// model does not produce are left out; a model with none of them (the reference models) gets the
// mean of every total instead.
//
//   fmt::print("{}", format_summary(results));
//
// prints (the title line names the baseline, marked *, and the interval):
//   arm          exploited  prevented  engaged (final)  cost (USD)  cases averted      cost per…
//   baseline *        9.50       1.00            11.2%      12,000  -                  -
//   partnership       6.50       1.00            29.1%      17,050  3.00 [2.10, 3.90]  1,683 […]
#pragma once

#include <string>

#include "sim/results.h"

namespace fourp {

// Plain text, aligned columns, ASCII apart from names; ends with a newline.
std::string format_summary(const Results& r);

// A number for people: thousands separators from 1,000 (no decimals), one decimal from 100, two
// from 1, three significant digits below; "n/a" for NaN, "inf" / "-inf".
std::string format_number(double x);

}  // namespace fourp
