// Reproducibility (MODEL.md): the same scenario and seed give identical numbers for any thread
// count and any order in which runs are scheduled.
#include <catch2/catch.hpp>

#include "sim/runner.h"
#include "tests/support/test_support.h"

using namespace fourp;
using namespace fourp::test;

namespace {
const char* kScenario = R"(
seed: 99
replicates: 4
steps: 30
population: {size: 3000, communities: 3, household_size: 4, roles: {at_risk: 0.3}}
network: {kind: villages, within_degree: 6, rewire: 0.2, between_degree: 0.5}
trafficking: {approach_rate: 0.01}
interventions:
  media: {kind: outsider_campaign, reach: 0.4, message: {blame: 0.5}}
  prog: {kind: partnership, target: {communities: [0, 1]}, recruit_per_step: 5}
arms: {baseline: [], media: [media], both: [prog, media]}
outputs: {snapshots: [0, 30]}
)";

void require_identical(const Results& x, const Results& y) {
  REQUIRE(x.arms.size() == y.arms.size());
  for (size_t a = 0; a < x.arms.size(); ++a)
    for (size_t r = 0; r < x.arms[a].replicates.size(); ++r) {
      const RunResult &p = x.arms[a].replicates[r], &q = y.arms[a].replicates[r];
      CHECK(p.series == q.series);
      CHECK(p.subgroup == q.subgroup);
      CHECK(p.communities == q.communities);
      CHECK(p.totals == q.totals);
      REQUIRE(p.snapshots.size() == q.snapshots.size());
      for (size_t k = 0; k < p.snapshots.size(); ++k)
        for (size_t c = 0; c < p.snapshots[k].columns.size(); ++c)
          CHECK(p.snapshots[k].columns[c].values == q.snapshots[k].columns[c].values);
    }
  CHECK(x.network.edges == y.network.edges);
  CHECK(x.network.clustering == y.network.clustering);
}
}  // namespace

TEST_CASE("1 and 2 threads give identical results", "[scenario]") {
  Scenario s = scenario_from_yaml(kScenario);
  RunOptions one, two;
  one.threads = 1;
  two.threads = 2;
  Results a = run_scenario(s, one), b = run_scenario(s, two);
  require_identical(a, b);
  // Something happened, so equality means something.
  CHECK(a.arms[2].replicates[0].totals != a.arms[0].replicates[0].totals);
}

TEST_CASE("runs scheduled in another order give identical results", "[scenario]") {
  Scenario s = scenario_from_yaml(kScenario);
  RunOptions forward, backward;
  backward.replicate_order = {3, 1, 2, 0};
  require_identical(run_scenario(s, forward), run_scenario(s, backward));
}

TEST_CASE("different replicates differ, same replicate in another run does not", "[scenario]") {
  Scenario s = scenario_from_yaml(kScenario);
  Results a = run_scenario(s, {});
  CHECK(a.arms[0].replicates[0].series != a.arms[0].replicates[1].series);
}
