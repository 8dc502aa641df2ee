// The model's mechanisms over paired arms with replicates (MODEL.md: "Tests check mechanisms,
// not winners"). Arms share network, initial state and draws in each replicate, so the paired
// difference isolates the intervention; a claim passes when its 95% interval excludes zero.
#include <catch2/catch.hpp>

#include <cmath>

#include "sim/comparison.h"
#include "sim/runner.h"
#include "tests/support/test_support.h"

using namespace fourp;
using namespace fourp::test;

namespace {

// 2,000 agents in 4 villages, 8 replicates, one year.
std::string world_yaml(int steps = 52, int replicates = 8,
                       const std::string& population_extra = "") {
  return "seed: 11\nreplicates: " + std::to_string(replicates) +
         "\nsteps: " + std::to_string(steps) +
         "\npopulation: {size: 2000, communities: 4, household_size: 4" + population_extra + "}\n" +
         R"(
network: {kind: villages, within_degree: 8, rewire: 0.1, between_degree: 0.2}
outputs: {by_community: true}
)";
}

Results run(const std::string& yaml) {
  Scenario s = scenario_from_yaml(yaml);
  RunOptions opt;
  return run_scenario(s, opt);
}

size_t arm_index(const Results& r, const std::string& name) {
  for (size_t a = 0; a < r.arms.size(); ++a)
    if (r.arms[a].name == name) return a;
  FAIL("no arm " << name);
  return 0;
}

// Per replicate: the value of `metric` at row `row` (row −1: the last).
std::vector<double> at(const Results& r, const std::string& arm, const std::string& metric,
                       long row = -1) {
  const size_t m = r.metric_index(metric), rows = r.rows();
  const size_t k = row < 0 ? rows - 1 : static_cast<size_t>(row);
  std::vector<double> v;
  for (const RunResult& rr : r.arms[arm_index(r, arm)].replicates)
    v.push_back(rr.series[m * rows + k]);
  return v;
}

// Per replicate: the mean of `metric` at the last row over the given communities.
std::vector<double> in_communities(const Results& r, const std::string& arm,
                                   const std::string& metric, std::vector<uint32_t> cs) {
  const size_t m = r.metric_index(metric), rows = r.rows(), C = r.communities;
  std::vector<double> v;
  for (const RunResult& rr : r.arms[arm_index(r, arm)].replicates) {
    double s = 0;
    for (uint32_t c : cs) s += rr.communities[(m * rows + rows - 1) * C + c];
    v.push_back(s / cs.size());
  }
  return v;
}

Interval paired(const std::vector<double>& arm, const std::vector<double>& base) {
  std::vector<double> d;
  for (size_t i = 0; i < arm.size(); ++i) d.push_back(arm[i] - base[i]);
  return mean_interval(d);
}

}  // namespace

TEST_CASE("a blaming, sensational campaign raises otherness and lowers trust", "[stat]") {
  Results r = run(world_yaml(26) + R"(
interventions:
  media: {kind: outsider_campaign, reach: 0.5,
          message: {blame: 0.8, sensational: 0.8, local_relevance: 0.1, efficacy: 0.1}}
arms: {baseline: [], media: [media]}
)");
  Interval o = paired(at(r, "media", "otherness"), at(r, "baseline", "otherness"));
  Interval t = paired(at(r, "media", "trust"), at(r, "baseline", "trust"));
  Interval a = paired(at(r, "media", "awareness"), at(r, "baseline", "awareness"));
  INFO("otherness " << o.mean << " [" << o.low << ", " << o.high << "], trust " << t.mean);
  CHECK(o.low > 0);
  CHECK(t.high < 0);
  CHECK(a.low > 0);  // it still teaches
}

TEST_CASE("a locally relevant message without blame lowers otherness", "[stat]") {
  Results r = run(world_yaml(26) + R"(
interventions:
  media: {kind: outsider_campaign, reach: 0.5,
          message: {blame: 0, sensational: 0, local_relevance: 0.9, efficacy: 0.8}}
arms: {baseline: [], media: [media]}
)");
  Interval o = paired(at(r, "media", "otherness"), at(r, "baseline", "otherness"));
  Interval t = paired(at(r, "media", "trust"), at(r, "baseline", "trust"));
  CHECK(o.high < 0);
  CHECK(t.low > 0);
}

TEST_CASE(
    "partnership lowers otherness and raises engagement where it works, power sharing "
    "matters",
    "[stat]") {
  Results r = run(world_yaml(52) + R"(
interventions:
  prog: {kind: partnership, target: {communities: [0, 1]}, power_sharing: 1, recruit_per_step: 3}
arms:
  baseline: []
  shared: [prog]
  token:
    interventions: [prog]
    set: {interventions.prog.power_sharing: 0}
)");
  const std::vector<uint32_t> target{0, 1}, other{2, 3};
  Interval o = paired(in_communities(r, "shared", "otherness", target),
                      in_communities(r, "baseline", "otherness", target));
  Interval e = paired(in_communities(r, "shared", "engaged", target),
                      in_communities(r, "baseline", "engaged", target));
  Interval e_other = paired(in_communities(r, "shared", "engaged", other),
                            in_communities(r, "baseline", "engaged", other));
  CHECK(o.high < 0);
  CHECK(e.low > 0);
  CHECK(e.mean > e_other.mean);  // the effect is where the programme works
  Interval share = paired(in_communities(r, "shared", "otherness", target),
                          in_communities(r, "token", "otherness", target));
  CHECK(share.high < 0);  // power_sharing 1 lowers otherness more than 0
}

TEST_CASE("awareness alone does not produce action when otherness is near 1", "[stat]") {
  Results r = run(world_yaml(26, 8, ", initial: {otherness: {constant: 0.99}}") + R"(
model: {kappa_o: 0, eta_o: 0}
interventions:
  media: {kind: outsider_campaign, reach: 0.8, gain_a: 0.5,
          message: {blame: 0, sensational: 0, local_relevance: 0, efficacy: 0.5}}
arms: {baseline: [], media: [media]}
)");
  Interval a = paired(at(r, "media", "awareness"), at(r, "baseline", "awareness"));
  CHECK(a.low > 0.3);
  for (double e : at(r, "media", "engaged")) CHECK(e < 0.01);
}

TEST_CASE("no approaches, no exploitation", "[scenario]") {
  Results r = run(world_yaml(26, 3) + R"(
trafficking: {approach_rate: 0}
interventions:
  media: {kind: outsider_campaign}
arms: {baseline: [], media: [media]}
)");
  const size_t k = r.total_index("exploited");
  for (const ArmResult& a : r.arms)
    for (const RunResult& rr : a.replicates) CHECK(rr.totals[k] == 0);
}

TEST_CASE("guardians protect", "[stat]") {
  Results r = run(world_yaml(52, 8, ", roles: {at_risk: 0.3}") + R"(
trafficking: {approach_rate: 0.02, self_protection: 0.2}
model: {social_weight: 0.5}
arms:
  none: {interventions: [], set: {trafficking.guardian_protection: 0}}
  strong: {interventions: [], set: {trafficking.guardian_protection: 0.9}}
baseline_arm: none
)");
  const size_t k = r.total_index("protection_rate");
  std::vector<double> none, strong;
  for (const RunResult& rr : r.arms[arm_index(r, "none")].replicates) none.push_back(rr.totals[k]);
  for (const RunResult& rr : r.arms[arm_index(r, "strong")].replicates)
    strong.push_back(rr.totals[k]);
  CHECK(paired(strong, none).low > 0);
}

TEST_CASE("deterrence lowers the approach rate, without it λ stays at approach_rate",
          "[scenario]") {
  Results r = run(world_yaml(52, 3, ", roles: {at_risk: 0.3}") + R"(
trafficking: {approach_rate: 0.02, report_probability: 0.5}
model: {social_weight: 0.5}
arms:
  none: {interventions: [], set: {trafficking.deterrence: 0}}
  deter: {interventions: [], set: {trafficking.deterrence: 0.3}}
baseline_arm: none
)");
  const auto none = at(r, "none", "approach_rate"), deter = at(r, "deter", "approach_rate");
  for (size_t i = 0; i < none.size(); ++i) {
    CHECK(none[i] == 0.02);
    CHECK(deter[i] < 0.02);
  }
}

TEST_CASE(
    "common random numbers: an arm whose intervention starts after the horizon is "
    "identical to the baseline",
    "[scenario]") {
  Results r = run(world_yaml(20, 3) + R"(
interventions:
  placebo: {kind: outsider_campaign, start: 100, reach: 1}
  prog: {kind: partnership, start: 100}
arms: {baseline: [], placebo: [placebo, prog]}
)");
  const ArmResult &b = r.arms[arm_index(r, "baseline")], &p = r.arms[arm_index(r, "placebo")];
  for (size_t k = 0; k < b.replicates.size(); ++k) {
    CHECK(b.replicates[k].series == p.replicates[k].series);
    CHECK(b.replicates[k].communities == p.replicates[k].communities);
    CHECK(b.replicates[k].totals == p.replicates[k].totals);
  }
  // ... and the arms do differ once the intervention acts (so the test can fail).
  Results r2 = run(world_yaml(20, 3) + R"(
interventions:
  placebo: {kind: outsider_campaign, start: 0, reach: 1}
arms: {baseline: [], placebo: [placebo]}
)");
  CHECK(r2.arms[0].replicates[0].series != r2.arms[1].replicates[0].series);
}
