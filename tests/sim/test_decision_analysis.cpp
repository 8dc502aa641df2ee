// The decision analysis of a run (sim/decision_analysis.h) on a world small enough to work by
// hand: three arms, four replicates, costs and cases fixed per replicate.
#include <catch2/catch.hpp>

#include <cmath>
#include <vector>

#include "sim/decision_analysis.h"

using namespace fourp;

namespace {

// baseline, cheap and dear over 4 replicates. Cases averted against the baseline per replicate:
// cheap 10, 10, 5, 15 (mean 10) at USD 1,000; dear 30, 30, 20, 40 (mean 30) at USD 5,000.
// ICERs: cheap against baseline 100, dear against cheap 4,000 / 20 = 200.
Results three_arms() {
  Results r;
  r.total_names = {"exploited", "cost_total"};
  r.outputs.outcomes = {{"exploited", "cases", Scale::count, Better::fewer},
                        {"cost_total", "cost", Scale::money, Better::neither}};
  r.outputs.headline = "exploited";
  r.outputs.improvement = {"cases_averted", "cases averted", "cost_per_case_averted",
                           "cost per case averted"};
  r.outputs.cost_outcome = "cost_total";
  r.baseline_arm = "baseline";
  r.replicates = 4;
  const std::vector<std::pair<std::string, std::vector<double>>> exploited = {
      {"baseline", {100, 110, 90, 100}}, {"cheap", {90, 100, 85, 85}}, {"dear", {70, 80, 70, 60}}};
  const double cost[] = {0, 1000, 5000};
  for (size_t a = 0; a < 3; ++a) {
    ArmResult arm;
    arm.name = exploited[a].first;
    for (double e : exploited[a].second) arm.replicates.push_back({{}, {}, {}, {e, cost[a]}, {}});
    r.arms.push_back(std::move(arm));
  }
  return r;
}

}  // namespace

TEST_CASE("decision analysis: draws, frontier and grid of a hand-worked world", "[unit]") {
  const Results r = three_arms();
  const auto d = analyse_decision(r, WillingnessToPay{});
  REQUIRE(d.has_value());
  CHECK(d->effect == "cases_averted");
  CHECK(d->baseline == "baseline");
  CHECK_FALSE(d->parameters_drawn);
  CHECK(d->mean_cost == std::vector<double>{0, 1000, 5000});
  CHECK(d->mean_effect == std::vector<double>{0, 10, 30});
  for (const FrontierArm& f : d->frontier) CHECK(f.status == FrontierArm::Status::frontier);
  CHECK(d->frontier[1].icer == Approx(100));
  CHECK(d->frontier[2].icer == Approx(200));
  CHECK(d->frontier[2].previous == 1);
  CHECK(d->probability_most_effective == std::vector<double>{0, 0, 1});
  // Default grid: 51 points from 0 to the round number above 1.5 × the largest ICER (300): 500.
  REQUIRE(d->lambdas.size() == 51);
  CHECK(d->lambdas.front() == 0);
  CHECK(d->lambdas.back() == Approx(500));
  CHECK(d->lambdas[15] == Approx(150));

  // At λ = 150 the NMB per replicate: cheap 500, 500, −250, 1250; dear −500, −500, −2000, 1000;
  // baseline 0. Best: cheap, cheap, baseline, cheap. E[NMB] = 0, 500, −500.
  const Acceptability& x = d->acceptability[15];
  CHECK(x.probability_best == std::vector<double>{0.25, 0.75, 0});
  CHECK(x.expected_nmb[1] == Approx(500));
  CHECK(x.expected_nmb[2] == Approx(-500));
  CHECK(x.best_expected == 1);
  CHECK(x.evpi == Approx(62.5));  // (500 + 500 + 0 + 1250) / 4 − 500
}

TEST_CASE("decision analysis: EVPPI and PRCC read each parameter's own column", "[unit]") {
  Results r = three_arms();
  // Parameter a sorts the replicates 0,1 | 2,3; parameter b sorts them 0,3 | 1,2.
  r.parameter_names = {"a", "b"};
  r.parameters = {{1, 1}, {2, 3}, {3, 4}, {4, 2}};
  const auto d = analyse_decision(r, WillingnessToPay{0, 500, 51});
  REQUIRE(d.has_value());
  CHECK(d->parameters_drawn);
  CHECK(d->parameters == r.parameter_names);
  CHECK(d->prcc_arms == std::vector<std::string>{"cheap", "dear"});
  REQUIRE(d->evppi.size() == 2);
  // λ = 100: cheap's NMB 0, 0, −500, 500; dear's all negative; E[NMB] 0 for baseline and cheap.
  // EVPI = (0 + 0 + 0 + 500) / 4 = 125. Knowing a (bins {0,1}, {2,3}): cheap's bin means 0 and 0,
  // no gain. Knowing b (bins {0,3}, {1,2}): cheap 250 in one, baseline 0 in the other: 125.
  const size_t i = 10;
  REQUIRE(d->lambdas[i] == Approx(100));
  CHECK(d->acceptability[i].evpi == Approx(125));
  CHECK(d->evppi[0][i] == Approx(0).margin(1e-9));
  CHECK(d->evppi[1][i] == Approx(125));
}

TEST_CASE("decision analysis: nothing to decide without two arms, a baseline or costs", "[unit]") {
  Results one = three_arms();
  one.arms.resize(1);
  CHECK_FALSE(analyse_decision(one, {}).has_value());
  Results no_baseline = three_arms();
  no_baseline.baseline_arm = "none";
  CHECK_FALSE(analyse_decision(no_baseline, {}).has_value());
  Results no_cost = three_arms();
  no_cost.outputs.cost_outcome.clear();
  CHECK_FALSE(analyse_decision(no_cost, {}).has_value());
  Results no_headline = three_arms();
  no_headline.outputs.headline.clear();
  CHECK_FALSE(analyse_decision(no_headline, {}).has_value());
}

TEST_CASE("willingness-to-pay grid: given, or spanning the frontier's ICERs", "[unit]") {
  const std::vector<FrontierArm> none(2);  // no ICERs: first arm only, NaN-free defaults
  CHECK(willingness_to_pay_grid({0, 1000, 5}, {0, 1}, {0, 1}, none) ==
        std::vector<double>{0, 250, 500, 750, 1000});
  // An arm that saves money and averts cases has no ICER: twice |cost/effect| = 20.
  std::vector<FrontierArm> f(2);
  f[0].icer = f[1].icer = std::nan("");
  CHECK(willingness_to_pay_grid({0, {}, 3}, {0, -100}, {0, 10}, f).back() == Approx(20));
  // Nothing has a ratio: up to 1.
  CHECK(willingness_to_pay_grid({0, {}, 3}, {0, 0}, {0, 0}, f).back() == Approx(1));
  // ICER 4,682 (the flagship's hybrid): 1.5 × 4,682 = 7,023, rounded up to 10,000.
  f[1].icer = 4682;
  f[1].previous = 0;
  CHECK(willingness_to_pay_grid({0, {}, 51}, {0, 1e6}, {0, 213.6}, f).back() == Approx(10000));
  // A minimum above every ICER: up to twice the minimum.
  CHECK(willingness_to_pay_grid({8000, {}, 2}, {0, 1e6}, {0, 213.6}, f) ==
        std::vector<double>{8000, 20000});
}
