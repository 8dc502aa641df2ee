// A calibration file (`fourp calibrate CALIBRATION.yaml`, issue 12): the scenario and arm whose
// history the data saw, the parameters to fit with their priors, how the data relate to the
// model (observation parameters), the data themselves (targets), and the method.
//
//   scenario: ../rural-district.yaml   # relative to this file; its `uncertainty:` holds priors
//   arm: baseline                      # default: the scenario's baseline arm
//   parameters: [model.denial, trafficking.approach_rate, observation.detection]
//   observation:
//     detection: {beta: {mean: 0.25, sd: 0.08}}   # share of cases recorded
//   targets:
//     - {metric: awareness, group: all, step: 0, respondents: 400, yes: 96}
//     - {metric: otherness, group: {communities: [0, 1, 2]}, step: 0, respondents: 200, yes: 161}
//     - {metric: recorded_cases, group: all, steps: [0, 52], count: 41, dispersion: 10}
//   method: {kind: smc, particles: 1000, seed: 7, replicates: 1}
//
// Each parameter's prior is its distribution in the scenario's `uncertainty:` section, or for
// `observation.<name>` the file's `observation:` section. Uncertain parameters of the scenario
// that are not calibrated stay uncertain: each simulation draws them (they are marginalised).
// Targets:
//  - a *survey*: `respondents` people asked at `step`, `yes` of them said yes; the model's
//    answer is the group's mean of `metric`, a share series the model declares (awareness,
//    otherness, trust, efficacy, engaged): yes ~ Binomial(respondents, mean).
//  - a *count* over the steps (first, last] of `steps: [first, last]`: the sum of `metric`, a
//    flow series the model declares (e.g. exploited), times the observation parameter named by
//    `detection:` when given; `recorded_cases` is the model's headline flow thinned by
//    `observation.detection`. count ~ negative binomial with that mean and `dispersion` k
//    (variance μ + μ²/k), or Poisson without `dispersion`.
//  - `group`: `all`, or `{communities: [ids]}` (means weighted by community size).
//  - `arm` (optional): the arm whose history this target saw, when the data span several (e.g. a
//    district without a programme and one with it): every arm named runs on the same world in
//    each evaluation (common random numbers).
// Every problem is reported as file:line:col (unknown keys, metrics, groups and communities, a
// step past the horizon, yes > respondents, negative counts, a parameter without a prior, a
// prior outside the parameter's range).
#pragma once

#include <cstdint>
#include <filesystem>
#include <optional>
#include <string>
#include <vector>

#include "sim/catalog.h"
#include "sim/diagnostics.h"
#include "sim/scenario.h"

namespace fourp {

struct CalibrationTarget {
  enum class Kind { survey, count };
  Kind kind = Kind::survey;
  std::string metric;                 // a declared series
  std::vector<uint32_t> communities;  // the group; empty: everyone
  int64_t step = 0;                   // survey: when asked
  uint64_t respondents = 0, yes = 0;  // survey
  int64_t first = 0, last = 0;        // count: the steps (first, last]
  double count = 0;                   // count: recorded
  std::optional<double> dispersion;   // count: negative binomial k; none: Poisson
  std::string detection;              // count: the observation parameter thinning it, or ""
  std::string arm;                    // the arm whose history it saw ("": the plan's arm)
  SourceLoc loc;
};

struct CalibrationMethod {
  uint32_t particles = 1000;
  uint64_t seed = 1;
  uint32_t replicates = 1;  // simulations averaged per likelihood evaluation
  // At most this many generations (`generations:`): the sampler picks its temperatures
  // adaptively, and a calibration that has not reached temperature 1 by then stops with an error.
  uint32_t max_generations = 200;
};

struct CalibrationPlan {
  std::filesystem::path file;
  std::string text;   // the file as read (stored with the results)
  Scenario scenario;  // uncertain parameters that are calibrated removed from its uncertainty
  std::string arm;
  // The calibrated parameters in the file's order, each with its prior; observation
  // parameters are named "observation.<name>".
  std::vector<UncertainParameter> parameters;
  std::vector<CalibrationTarget> targets;
  CalibrationMethod method;
};

// The observation parameters fourp knows, with their ranges: "detection" (a probability).
const std::vector<ParamSpec>& observation_parameter_specs();

CalibrationPlan parse_calibration_file(const std::filesystem::path& file, const Catalog& catalog,
                                       Diagnostics& diag);
CalibrationPlan parse_calibration_text(const std::string& yaml, const std::filesystem::path& name,
                                       const Catalog& catalog, Diagnostics& diag);

}  // namespace fourp
