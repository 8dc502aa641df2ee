// The likelihood a calibration samples (sim/calibration_model.h): a pure function of (θ, key),
// the same number as scoring runs made by hand, and θ reaching the simulation.
#include <catch2/catch.hpp>

#include <cmath>
#include <filesystem>

#include "sim/calibration_model.h"
#include "sim/model.h"
#include "sim/runner.h"
#include "sim/uncertainty.h"
#include "tests/support/test_support.h"

using namespace fourp;
namespace fs = std::filesystem;

namespace {

CalibrationPlan good_plan() {
  Diagnostics diag;
  CalibrationPlan p = parse_calibration_file(fs::path(FOURP_TEST_DATA) / "calibration/good.yaml",
                                             test::catalog(), diag);
  INFO(diag.format());
  REQUIRE_FALSE(diag.has_errors());
  return p;
}

}  // namespace

TEST_CASE("calibration likelihood: a pure function of theta and key, runs scored by hand",
          "[unit]") {
  const CalibrationPlan plan = good_plan();  // replicates: 2; denial, approach rate, detection
  const CalibrationModel model(plan);
  const std::vector<double> theta = {0.6, 0.01, 0.3};
  const double ll = model.log_likelihood(theta, 17);
  CHECK(std::isfinite(ll));
  CHECK(model.log_likelihood(theta, 17) == ll);
  CHECK(model.log_likelihood(theta, 18) != ll);  // another key, other runs

  // By hand: the scenario of key 17 with θ applied, each replicate's uncertain parameters
  // drawn, the arm run alone, its targets scored; the log of the mean likelihood.
  const Scenario s = model.scenario_for(theta, 17);
  CHECK(s.section("model")->get("denial") == 0.6);
  CHECK(s.section("trafficking")->get("approach_rate") == 0.01);
  std::vector<double> by_hand;
  for (uint32_t r = 0; r < 2; ++r) {
    const Scenario drawn = with_parameters(s, draw_parameters(s, r));
    const RunResult run = run_replicate(drawn, 0, r, nullptr);
    ObservedLayout layout{drawn.kind->outputs.series_names(), 53, {200, 200, 200}};
    by_hand.push_back(log_likelihood(plan, layout, run, theta));
  }
  CHECK(ll == Approx(log_mean_exp(by_hand)).epsilon(1e-12));
}

TEST_CASE("calibration likelihood: the parameters reach the simulation and the observation",
          "[unit]") {
  CalibrationPlan plan = good_plan();
  plan.method.replicates = 1;
  // Only the recorded cases: 41 recorded over a year at detection 0.3 means about 137 cases,
  // far more than this world has at an approach rate of 0.002 (a few), so the likelihood rises
  // with the approach rate.
  plan.targets = {plan.targets[2]};
  const CalibrationModel model(plan);
  const double low = model.log_likelihood(std::vector<double>{0.6, 0.002, 0.3}, 1);
  const double high = model.log_likelihood(std::vector<double>{0.6, 0.02, 0.3}, 1);
  CHECK(high > low + 5);
  // Detection thins the cases: recording all of them makes 41 likelier than recording 5%.
  const double all = model.log_likelihood(std::vector<double>{0.6, 0.002, 1.0}, 1);
  const double few = model.log_likelihood(std::vector<double>{0.6, 0.002, 0.05}, 1);
  CHECK(all > few);
  CHECK_THROWS_AS(model.log_likelihood(std::vector<double>{0.6}, 1), std::invalid_argument);
}

TEST_CASE("calibration likelihood: each target scored on the run of its own arm, one world",
          "[unit]") {
  // Data from two districts' histories: a survey of the arm without a programme and one of the
  // arm with a campaign. Each evaluation runs both arms on the same world (common random
  // numbers) and scores each target on its arm's run.
  test::TempDir d;
  test::write_file(d / "two.yaml", R"(name: two-arms
seed: 4
steps: 20
population: {size: 300, communities: 2}
interventions:
  media: {kind: outsider_campaign, reach: 0.3, message: {blame: 0.8}}
arms:
  baseline: []
  campaign: [media]
uncertainty:
  model.denial: {beta: {mean: 0.6, sd: 0.15}}
)");
  test::write_file(d / "c.yaml", R"(scenario: two.yaml
parameters: [model.denial]
targets:
  - {metric: otherness, group: all, step: 20, respondents: 200, yes: 150}
  - {metric: otherness, group: all, step: 20, respondents: 200, yes: 170, arm: campaign}
method: {particles: 20, seed: 2, replicates: 2}
)");
  Diagnostics diag;
  const CalibrationPlan plan = parse_calibration_file(d / "c.yaml", test::catalog(), diag);
  INFO(diag.format());
  REQUIRE_FALSE(diag.has_errors());
  REQUIRE(plan.targets[0].arm.empty());
  REQUIRE(plan.targets[1].arm == "campaign");
  const CalibrationModel model(plan);
  const std::vector<double> theta = {0.5};
  const Scenario s = model.scenario_for(theta, 9);
  std::vector<double> by_hand;
  for (uint32_t r = 0; r < 2; ++r) {
    const World world = build_world(s, r, nullptr);
    ObservedLayout layout{s.kind->outputs.series_names(), 21, {150, 150}};
    double ll = 0;
    for (size_t a = 0; a < 2; ++a) {
      const auto m = s.kind->make(s, resolve_arm(s, s.arms[a]));
      const RunResult run = run_on_world(s, *m, world, r, {});
      const CalibrationTarget& t = plan.targets[a];
      ll += target_log_likelihood(t, model_value(t, layout, run), 1);
    }
    by_hand.push_back(ll);
  }
  CHECK(model.log_likelihood(theta, 9) == Approx(log_mean_exp(by_hand)).epsilon(1e-12));
  // The campaign's blame raised otherness: scoring its survey on the baseline's run differs.
  const std::vector<double> values = model.target_values(theta, 9);
  CHECK(values[1] != values[0]);
}
