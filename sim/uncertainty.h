// Uncertain parameters (`uncertainty:` in a scenario): each names a path that `--set` accepts and
// a distribution; replicate r draws its parameter set θ_r once, and every arm of replicate r runs
// with it (common random numbers extend to parameters). Probabilistic sensitivity analysis.
//
//   std::vector<double> theta = draw_parameters(scenario, r);  // one per scenario.uncertainty
//   Scenario s_r = with_parameters(scenario, theta);           // as if --set path=value each
//
// Draws: one uniform per parameter, u from two words of Philox keyed (seed, r), counter
// (kSetupStep, 0, Purpose::parameters, name_index(path)) — a pure function of (seed, r, path), so
// reordering the section or fixing one parameter with --set leaves the others' draws unchanged —
// turned into a value by the distribution's inverse CDF (quantile below).
//
// A joint sample (`uncertainty: {from: calib.h5}`, a calibration's posterior) draws its
// parameters together: replicate r takes one particle i with probability its weight, by the
// uniform of the path "uncertainty.from" (the first i whose cumulative weight exceeds it), and
// each parameter of the sample takes particle i's value, so their correlations are kept.
#pragma once

#include <cstdint>
#include <filesystem>
#include <functional>
#include <memory>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "sim/diagnostics.h"

namespace fourp {

struct Scenario;

// Weighted particles over some parameters: a calibration's posterior.
struct JointSample {
  std::string source;              // where it came from, for messages ("calib.h5")
  std::vector<std::string> paths;  // k parameters
  std::vector<double> theta;       // particle-major: particle i's values at [i k, i k + k)
  std::vector<double> weights;     // one a particle, as given (to_yaml writes them back)
  std::vector<double> cumulative;  // their normalised running sums, the last exactly 1
  size_t particles() const { return weights.size(); }
};

// Computes the weights' normalised running sums. Throws std::invalid_argument for no
// particles, rows of the wrong length, or weights that are negative, not finite or sum to 0.
std::shared_ptr<const JointSample> make_joint_sample(std::string source,
                                                     std::vector<std::string> paths,
                                                     std::vector<double> theta,
                                                     std::vector<double> weights);

// Reading a joint sample from a file is the program's (sim reads no HDF5): it installs a reader
// of calibration results (output/calibration_results.h) before parsing scenarios. The reader
// throws std::exception with a message when the file is not one. Without a reader, a scenario
// naming a file is refused.
using JointSampleReader = std::function<JointSample(const std::filesystem::path&)>;
void set_joint_sample_reader(JointSampleReader reader);
const JointSampleReader& joint_sample_reader();

struct ParameterDistribution {
  enum class Kind { beta, lognormal, gamma, uniform, normal, triangular, discrete };
  Kind kind = Kind::uniform;
  // As the file gave them, in the canonical order of the kind's keys (for to_yaml):
  // beta {mean, sd} or {alpha, beta}; lognormal {median, gsd}; gamma {mean, sd};
  // uniform {min, max}; normal {mean, sd, min?, max?}; triangular {min, mode, max}.
  std::vector<std::pair<std::string, double>> given;
  std::vector<double> values, weights;  // discrete (weights as given; empty: equal)

  // Derived for sampling. beta: a = α, b = β; lognormal: a = ln median, b = ln gsd; gamma:
  // a = shape, b = scale; uniform, triangular: lo, hi (and mode); normal: a = mean, b = sd,
  // truncated to [lo, hi] (±∞ when not given).
  double a = 0, b = 0, lo = 0, hi = 0, mode = 0;
  std::vector<double> cumulative;  // discrete: normalised cumulative weights, last exactly 1

  // Set for a parameter of a joint sample: it is drawn with the sample's others (column
  // `joint_column` of its particles); its marginal, a discrete distribution over the particles'
  // values (sorted), serves quantile() and summaries.
  std::shared_ptr<const JointSample> joint;
  uint32_t joint_column = 0;
};

// Parameter `column` of a joint sample as a distribution (kind discrete, the marginal).
ParameterDistribution joint_marginal(std::shared_ptr<const JointSample> sample, uint32_t column);

struct UncertainParameter {
  std::string path;  // a settable path (settable_paths)
  ParameterDistribution dist;
  SourceLoc loc;
};

// The distribution names, in the order messages list them.
const std::vector<std::string>& distribution_names();

// The p-quantile (0 < p < 1) of the distribution: the inverse CDF, exact or by Boost.Math's
// inverse incomplete beta and gamma functions. Discrete: the first value whose cumulative
// weight exceeds p.
double quantile(const ParameterDistribution& d, double p);

// The uniform behind replicate r's draw of `path`: 53 bits from Philox (see above), in (0, 1).
double parameter_uniform(uint64_t seed, uint32_t replicate, const std::string& path);

// θ_r: the drawn value of every uncertain parameter of the scenario, in its order.
std::vector<double> draw_parameters(const Scenario& scenario, uint32_t replicate);
// The same for a list of parameters and a seed (a sweep's runs: the seed of their sample).
std::vector<double> draw_parameters(const std::vector<UncertainParameter>& parameters,
                                    uint64_t seed, uint32_t replicate);

// The scenario with each uncertain parameter set to its value in `theta` (like --set, so an
// arm's own `set` of a path still wins) and no uncertainty left.
Scenario with_parameters(const Scenario& scenario, const std::vector<double>& theta);

// "beta(mean 0.6, sd 0.1)": the distribution as the file gave it, for messages and validate.
std::string describe(const ParameterDistribution& d);

// YAML comment lines listing every uncertain parameter with its 5%, 50% and 95% points; empty
// without uncertainty. `fourp validate` prints them after the normalised scenario.
std::string uncertainty_summary(const Scenario& scenario);
// The table of those lines alone (a header line, then one line a parameter), each line starting
// with `prefix`: `fourp validate SWEEP.yaml` prints it for the parameters its runs draw.
std::string uncertainty_table(const std::vector<UncertainParameter>& parameters,
                              std::string_view prefix);

}  // namespace fourp
