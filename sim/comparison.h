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

// For every arm but results.baseline_arm: the paired difference (arm − baseline) of every total;
// when the model declares a headline outcome (results.outputs), its improvement (baseline − arm
// when fewer is better, e.g. cases averted) and, with a cost total, the cost per unit of
// improvement (mean extra cost / mean improvement; interval by a deterministic paired bootstrap,
// NaN when the mean improvement is not positive).
std::vector<Comparison> compare_arms(const Results& results);

}  // namespace fourp
