// `fourp calibrate` checked through a fourp world (docs/verification.md, issue 12): the whole
// chain — calibration file, a world path set per evaluation, the world built and run, the group's
// mean read from the series, the binomial observation model, the SMC sampler — against
//   1. an exact posterior: a survey at step 0 informs the initial awareness mean μ of a world
//      whose awareness starts at the constant μ (so the population mean is μ to float rounding),
//      under a uniform prior: the posterior is Beta(1 + yes, 1 + respondents − yes);
//   2. simulation-based calibration (Talts et al. 2018) on a small world whose initial traits
//      are beta-distributed, so the surveyed mean is itself random (the likelihood of each
//      evaluation is a simulation's: pseudo-marginal).
// Tolerances as in test_smc.cpp: means within 4 σ_post / √(N/4), sds within a relative
// 4 / √(N/2).
#include <catch2/catch.hpp>

#include <algorithm>
#include <boost/math/distributions/chi_squared.hpp>
#include <cmath>
#include <string>

#include "sim/calibration_model.h"
#include "sim/rng.h"
#include "sim/runner.h"
#include "sim/smc.h"
#include "tests/support/test_support.h"

using namespace fourp;
using test::TempDir;

namespace {

CalibrationPlan plan_from(const TempDir& d, const std::string& scenario,
                          const std::string& calibration) {
  test::write_file(d / "world.yaml", scenario);
  test::write_file(d / "calibration.yaml", calibration);
  Diagnostics diag;
  CalibrationPlan plan = parse_calibration_file(d / "calibration.yaml", test::catalog(), diag);
  INFO(diag.format());
  REQUIRE_FALSE(diag.has_errors());
  return plan;
}

std::vector<ParameterDistribution> priors_of(const CalibrationPlan& plan) {
  std::vector<ParameterDistribution> priors;
  for (const UncertainParameter& p : plan.parameters) priors.push_back(p.dist);
  return priors;
}

SmcGeneration calibrate(const CalibrationPlan& plan) {
  const CalibrationModel model(plan);
  SmcSettings settings;
  settings.particles = plan.method.particles;
  settings.seed = plan.method.seed;
  return SmcSampler(priors_of(plan), settings,
                    [&](std::span<const double> theta, uint64_t key) {
                      return model.log_likelihood(theta, key);
                    })
      .run()
      .back();
}

struct Moments {
  double mean = 0, sd = 0;
};
Moments moments(const SmcGeneration& g, uint32_t j) {
  const auto w = smc_weights(g);
  Moments m;
  for (size_t i = 0; i < w.size(); ++i) m.mean += w[i] * g.theta[i * g.dimension + j];
  for (size_t i = 0; i < w.size(); ++i) {
    const double d = g.theta[i * g.dimension + j] - m.mean;
    m.sd += w[i] * d * d;
  }
  m.sd = std::sqrt(m.sd);
  return m;
}

}  // namespace

TEST_CASE("calibration through a world: a survey of the initial awareness gives Beta(97, 305)",
          "[stat][many_runs]") {
  TempDir d;
  const CalibrationPlan plan = plan_from(d, R"(name: exact-posterior
seed: 3
steps: 1
population:
  size: 500
  communities: 2
  roles: {survivor: 0}  # survivors would start at awareness 0.9 (MODEL.md rule 6)
  initial: {awareness: {constant: 0.5}}
uncertainty:
  population.initial.awareness.mean: {uniform: {min: 0, max: 1}}
)",
                                         R"(scenario: world.yaml
parameters: [population.initial.awareness.mean]
targets:
  - {metric: awareness, group: all, step: 0, respondents: 400, yes: 96}
method: {particles: 1000, seed: 11}
)");
  // The path reaches the world: its population mean at step 0 is μ.
  const CalibrationModel model(plan);
  for (double mu : {0.1, 0.3, 0.75}) {
    const Scenario s = model.scenario_for(std::vector<double>{mu}, 5);
    const RunResult run = run_replicate(s, 0, 0, nullptr);
    const auto& names = s.kind->outputs.series_names();
    const size_t k = std::find(names.begin(), names.end(), "awareness") - names.begin();
    REQUIRE(k < names.size());
    CHECK(run.series.at(k * (s.steps + 1)) == Approx(mu).margin(1e-6));  // [series][row]
  }

  const SmcGeneration g = calibrate(plan);
  const double a = 97, b = 305, n = 1000;
  const Moments want{a / (a + b), std::sqrt(a * b / ((a + b) * (a + b) * (a + b + 1)))};
  const Moments got = moments(g, 0);
  INFO("posterior mean " << got.mean << " (exact " << want.mean << "), sd " << got.sd << " (exact "
                         << want.sd << ")");
  CHECK(std::abs(got.mean - want.mean) < 4 * want.sd / std::sqrt(n / 4));
  CHECK(std::abs(got.sd / want.sd - 1) < 4 / std::sqrt(n / 2));
}

TEST_CASE("calibration through a world: simulation-based calibration gives uniform ranks",
          "[stat][slow]") {
  // D = 100 datasets. Each draws (μ_a*, μ_o*) from the priors, builds and runs the world once at
  // them (its own seed), and asks 30 people about awareness and 30 about otherness at step 0:
  // yes ~ Binomial(30, the world's realised mean), a mean that varies around μ* from world to
  // world (beta initial traits of concentration 10 over 150 agents). The calibration (300
  // particles, one simulation per evaluation) must then give posteriors in which the truth's
  // rank among L = 9 draws is uniform on 0 … 9: χ² with 9 degrees of freedom, fail if p < 0.001
  // (expected 10 a bin). The histograms: docs/verification.md.
  constexpr uint32_t kDatasets = 100, kDraws = 9, kRespondents = 30;
  const std::string world = R"(name: sbc-world
seed: 1
steps: 1
population:
  size: 150
  communities: 1
  roles: {survivor: 0}
  initial: {awareness: {beta: [3, 7]}, otherness: {beta: [6, 4]}}
uncertainty:
  population.initial.awareness.mean: {beta: {alpha: 2, beta: 5}}
  population.initial.otherness.mean: {beta: {alpha: 5, beta: 3}}
)";
  std::vector<std::vector<uint32_t>> histogram(2, std::vector<uint32_t>(kDraws + 1, 0));
  for (uint32_t dset = 0; dset < kDatasets; ++dset) {
    TempDir d;
    // The truth and the data: the test's own draws, Rng(0x5BC, dset), purpose sweep.
    const Rng rng(0x5BC, dset);
    CalibrationPlan plan = plan_from(d, world, R"(scenario: world.yaml
parameters: [population.initial.awareness.mean, population.initial.otherness.mean]
targets:
  - {metric: awareness, group: all, step: 0, respondents: 30, yes: 0}
  - {metric: otherness, group: all, step: 0, respondents: 30, yes: 0}
method: {particles: 300, seed: 1}
)");
    std::vector<double> truth;
    for (uint32_t j = 0; j < 2; ++j)
      truth.push_back(quantile(plan.parameters[j].dist, rng.uniform(0, j, Purpose::sweep, 0)));
    Scenario s = CalibrationModel(plan).scenario_for(truth, 0);
    s.seed = 0x5BC0000 + dset;
    const RunResult run = run_replicate(s, 0, 0, nullptr);
    const auto& names = s.kind->outputs.series_names();
    for (uint32_t j = 0; j < 2; ++j) {
      const size_t k =
          std::find(names.begin(), names.end(), plan.targets[j].metric) - names.begin();
      const double p = run.series.at(k * (s.steps + 1));  // row 0
      uint64_t yes = 0;
      for (uint32_t r = 0; r < kRespondents; ++r)
        yes += rng.uniform(1 + j, r, Purpose::sweep, 0) < p;
      plan.targets[j].yes = yes;
    }
    plan.method.seed = 1000 + dset;
    const SmcGeneration g = calibrate(plan);
    for (uint32_t j = 0; j < 2; ++j) {
      uint32_t rank = 0;
      for (uint32_t l = 0; l < kDraws; ++l) {
        const auto i =
            static_cast<uint32_t>(rng.uniform(3, l, Purpose::sweep, 0) * plan.method.particles);
        rank += g.theta[i * g.dimension + j] < truth[j];  // final weights are equal
      }
      ++histogram[j][rank];
    }
  }
  const double expected = double(kDatasets) / (kDraws + 1);
  for (uint32_t j = 0; j < 2; ++j) {
    double chi2 = 0;
    std::string shown;
    for (uint32_t b = 0; b <= kDraws; ++b) {
      chi2 += (histogram[j][b] - expected) * (histogram[j][b] - expected) / expected;
      shown += std::to_string(histogram[j][b]) + " ";
    }
    const double p =
        boost::math::cdf(boost::math::complement(boost::math::chi_squared(kDraws), chi2));
    INFO("parameter " << j << ": SBC rank histogram (ranks 0 … " << kDraws << "): " << shown
                      << "χ² = " << chi2 << ", p = " << p);
    WARN("parameter " << j << ": SBC rank histogram " << shown << "χ² = " << chi2 << ", p = " << p);
    CHECK(p >= 0.001);
  }
}
