// The table `fourp run` prints when it is done: one row an arm, the numbers a policy reader looks
// at first (cases of exploitation, prevented approaches, final engaged share, cost) as means over
// replicates, and for each arm other than the baseline its paired differences against the
// baseline with 95% intervals (from Results::comparisons). Columns whose metric or total the
// model does not produce are left out; a model with none of them (the reference models) gets the
// mean of every total instead.
//
//   fmt::print("{}", format_summary(results));
//
//   rural-district: 4 replicates, 156 weeks; differences against 'baseline' (95% intervals)
//   arm          exploited  prevented  engaged  cost (USD)  cases averted         cost per case averted (USD)
//   baseline         41.25      10.50    11.2%      12,000  -                     -
//   partnership      30.75      18.00    29.1%      96,500  10.50 [6.20, 14.80]   8,048 [5,120, 15,600]
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
