// Arms against the baseline over paired replicates: replicate r of an arm and of the baseline
// share network, initial state and draws, so per-replicate differences isolate the arm's effect.
//
//   results.comparisons = compare_arms(results);
#pragma once

#include <span>
#include <vector>

#include "sim/results.h"

namespace fourp {

struct Interval {
  double mean = 0, low = 0, high = 0;
};

// Mean and two-sided 95% Student-t interval of the values (n − 1 degrees of freedom).
// One value: low = high = mean. No values: NaN.
Interval mean_interval(std::span<const double> values);

// For every arm but results.baseline_arm: the paired difference (arm − baseline) of every total,
// "cases_averted" (baseline exploited − arm exploited) and "cost_per_case_averted" (mean extra
// cost / mean cases averted; interval by a deterministic paired bootstrap, NaN when cases
// averted is not positive).
std::vector<Comparison> compare_arms(const Results& results);

}  // namespace fourp
