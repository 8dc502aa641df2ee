// The observation model of a calibration (sim/observation.h) against probabilities worked by
// hand: binomial, Poisson and negative binomial, groups of communities, windows of steps.
#include <catch2/catch.hpp>

#include <cmath>
#include <vector>

#include "sim/observation.h"

using namespace fourp;

namespace {

// Two series ("share", "flow") over rows 0..3 and two communities of 100 and 300 people.
ObservedLayout layout() {
  return {{"share", "flow"}, 4, {100, 300}};
}
RunResult run() {
  RunResult r;
  r.series = {0.1, 0.2, 0.3, 0.4,  // share
              0,   1,   2,   3};   // flow
  // [metric][row][community]
  r.communities = {0.0f, 0.0f, 0.2f, 0.6f, 0.0f, 0.0f, 0.0f, 0.0f,  // share, rows 0-3
                   0,    0,    1,    0,    0,    2,    3,    0};    // flow
  return r;
}

}  // namespace

TEST_CASE("observation: binomial, Poisson and negative binomial by hand", "[unit]") {
  CalibrationTarget s;
  s.kind = CalibrationTarget::Kind::survey;
  s.respondents = 10;
  s.yes = 3;
  // C(10,3) 0.25^3 0.75^7 = 120 · 0.015625 · 0.13348389 = 0.25028229
  CHECK(std::exp(target_log_likelihood(s, 0.25, 1)) == Approx(0.25028229).epsilon(1e-7));
  CalibrationTarget c;
  c.kind = CalibrationTarget::Kind::count;
  c.count = 2;
  // Poisson(3) at 2: e^−3 · 9 / 2 = 0.22404181
  CHECK(std::exp(target_log_likelihood(c, 3, 1)) == Approx(0.22404181).epsilon(1e-7));
  // Thinned: detection 0.5 of 6 is a mean of 3 again.
  c.detection = "detection";
  CHECK(std::exp(target_log_likelihood(c, 6, 0.5)) == Approx(0.22404181).epsilon(1e-7));
  // Negative binomial k = 2, mean 3, at 1: Γ(3)/(Γ(2)Γ(2)) (2/5)² (3/5) = 0.192
  c.detection.clear();
  c.count = 1;
  c.dispersion = 2;
  CHECK(std::exp(target_log_likelihood(c, 3, 1)) == Approx(0.192).epsilon(1e-9));
  // A survey answer the model cannot give (p = 0) is very unlikely, not an error.
  s.yes = 0;
  CHECK(target_log_likelihood(s, 0, 1) == Approx(0).margin(1e-9));
  s.yes = 1;
  CHECK(target_log_likelihood(s, 0, 1) < -20);
}

TEST_CASE("observation: the model's value of a target, for everyone and for groups", "[unit]") {
  CalibrationTarget s;
  s.kind = CalibrationTarget::Kind::survey;
  s.metric = "share";
  s.step = 2;
  CHECK(model_value(s, layout(), run()) == Approx(0.3));
  s.step = 1;
  s.communities = {0, 1};  // (100 · 0.2 + 300 · 0.6) / 400
  CHECK(model_value(s, layout(), run()) == Approx(0.5));
  CalibrationTarget c;
  c.kind = CalibrationTarget::Kind::count;
  c.metric = "flow";
  c.first = 1;
  c.last = 3;  // rows 2 and 3: 2 + 3
  CHECK(model_value(c, layout(), run()) == Approx(5));
  c.first = 0;
  c.communities = {0};  // community 0 over rows 1-3: 1 + 0 + 3
  CHECK(model_value(c, layout(), run()) == Approx(4));
  c.communities = {1};  // community 1: 0 + 2 + 0
  CHECK(model_value(c, layout(), run()) == Approx(2));
  c.communities = {0, 1};  // counts add over communities: every case of rows 1-3
  CHECK(model_value(c, layout(), run()) == Approx(6));
}

TEST_CASE("observation: targets add up, with detection from the calibrated parameters", "[unit]") {
  CalibrationPlan plan;
  plan.parameters = {{"model.x", {}, {}}, {"observation.detection", {}, {}}};
  CalibrationTarget s;
  s.kind = CalibrationTarget::Kind::survey;
  s.metric = "share";
  s.step = 3;
  s.respondents = 4;
  s.yes = 1;
  CalibrationTarget c;
  c.kind = CalibrationTarget::Kind::count;
  c.metric = "flow";
  c.first = 0;
  c.last = 3;  // 6 cases, half recorded: Poisson(3) at 2
  c.count = 2;
  c.detection = "detection";
  plan.targets = {s, c};
  const std::vector<double> theta = {7, 0.5};
  // 4 · 0.4 · 0.6³ = 0.3456; times 0.22404181
  CHECK(std::exp(log_likelihood(plan, layout(), run(), theta)) ==
        Approx(0.3456 * 0.22404181).epsilon(1e-7));
  CHECK_THROWS_AS(log_likelihood(plan, layout(), run(), std::vector<double>{0.5}),
                  std::invalid_argument);
}

TEST_CASE("log_mean_exp: the log of a mean of likelihoods without underflow", "[unit]") {
  const std::vector<double> small = {-1000, -1000 + std::log(3.0)};  // mean of e^−1000 · (1, 3)
  CHECK(log_mean_exp(small) == Approx(-1000 + std::log(2.0)));
  CHECK(log_mean_exp(std::vector<double>{std::log(0.2), std::log(0.6)}) == Approx(std::log(0.4)));
}
