// The observation model of a calibration (issue 12): how likely the
// targets of a calibration file (sim/calibration_file.h) are given one run of the calibrated arm.
//  - survey: yes ~ Binomial(respondents, p), p the group's mean of the series at the step (a
//    group of communities: their means weighted by community size), kept in [1e-12, 1 − 1e-12];
//  - count: the flow summed over the steps (first, last] (over the group's communities), times
//    the detection parameter when the target names one: μ; count ~ NegBin(mean μ, dispersion k)
//    (variance μ + μ²/k), or Poisson(μ) without k; μ kept ≥ 1e-12.
// Targets are independent given the run: the log-likelihood is the sum over targets. Over several
// runs of the same parameters (replicates), the likelihood is their mean — an unbiased estimate
// of the likelihood, as a pseudo-marginal sampler needs.
//
//   const ObservedLayout layout{results.series_names, results.rows(), results.community_sizes};
//   double ll = log_likelihood(plan, layout, run, theta);   // theta: plan.parameters' values
#pragma once

#include <cstdint>
#include <functional>
#include <span>
#include <string>
#include <vector>

#include "sim/calibration_file.h"
#include "sim/results.h"

namespace fourp {

// Where a run's numbers are: series [metric][row], community series [metric][row][community].
struct ObservedLayout {
  std::vector<std::string> series_names;
  size_t rows = 0;
  std::vector<uint32_t> community_sizes;
};

// The model's value of a target in a run: the survey's p, or the count's μ before detection.
double model_value(const CalibrationTarget& t, const ObservedLayout& layout, const RunResult& run);

// log P(target | run, detection); detection is ignored by surveys and by counts without one.
double target_log_likelihood(const CalibrationTarget& t, double model, double detection);

// The sum over the plan's targets, with each count's detection taken from `theta` (the values
// of plan.parameters, in order), each target scored on the run of its arm (`run_of`).
double log_likelihood(const CalibrationPlan& plan, const ObservedLayout& layout,
                      const std::function<const RunResult&(const CalibrationTarget&)>& run_of,
                      std::span<const double> theta);
// The same with one run for every target (a plan of one arm).
double log_likelihood(const CalibrationPlan& plan, const ObservedLayout& layout,
                      const RunResult& run, std::span<const double> theta);

// log of the mean of exp(values): the log of the mean likelihood over replicates, computed
// without underflow.
double log_mean_exp(std::span<const double> values);

}  // namespace fourp
