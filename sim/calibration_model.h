// The likelihood a calibration samples (issue 12): for parameter values θ (in the order of
// CalibrationPlan::parameters), the calibrated arm (and every other arm a target names, on the
// same world) run `method.replicates` times, each run's
// targets scored by the observation model (sim/observation.h), and the log of their mean
// likelihood — an unbiased estimate of the likelihood when the runs are noisy (pseudo-marginal).
//
//   const CalibrationModel model(plan);              // checks the plan against the scenario
//   double ll = model.log_likelihood(theta, key);    // thread-safe; a pure function of both
//
// The runs of evaluation `key` take the seed splitmix64(method.seed · 2^32 + key) mod 2^32 and
// replicates 0 … R − 1: two evaluations with the same key and θ give the same number, and
// evaluations are independent of the order and the threads they run on. Uncertain parameters
// of the scenario that are not calibrated are drawn per replicate from that seed, as `fourp run`
// draws them.
#pragma once

#include <cstdint>
#include <memory>
#include <span>
#include <vector>

#include "sim/calibration_file.h"
#include "sim/observation.h"
#include "sim/world.h"

namespace fourp {

class CalibrationModel {
 public:
  explicit CalibrationModel(const CalibrationPlan& plan);

  double log_likelihood(std::span<const double> theta, uint64_t key) const;

  // What the model says of each target at θ, averaged over the replicates: a survey's share
  // saying yes, a count's expected number recorded (detection applied). For the posterior
  // predictive bands of the calibration's results.
  std::vector<double> target_values(std::span<const double> theta, uint64_t key) const;

  // The scenario of evaluation `key` with θ's model parameters applied (observation parameters
  // are not the scenario's), before uncertain parameters are drawn.
  Scenario scenario_for(std::span<const double> theta, uint64_t key) const;

 private:
  // Every replicate of evaluation `key` at θ: the runs of arms_ on its world, with its layout.
  template <class F>
  void each_run(std::span<const double> theta, uint64_t key, F&& f) const;
  // The run of target t's arm among a replicate's runs.
  const RunResult& run_of(const CalibrationTarget& t, const std::vector<RunResult>& runs) const;

  const CalibrationPlan& plan_;
  std::shared_ptr<const NetworkFile> network_file_;
  std::vector<size_t> arms_;  // the scenario's arms the data saw: the plan's first
  std::vector<std::string> arm_names_;
};

}  // namespace fourp
