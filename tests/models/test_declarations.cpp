// Every model kind of the catalog keeps the promises of its declarations: what it reports is
// what it declares, in the declared order, and the writers read the declarations, not names.
#include <catch2/catch.hpp>

#include <fmt/format.h>

#include "output/summary_table.h"
#include "sim/runner.h"
#include "tests/support/test_support.h"

using namespace fourp;
using fourp::test::catalog;
using fourp::test::scenario_from_yaml;

TEST_CASE("every kind reports the series and outcomes it declares", "[scenario]") {
  for (const ModelKind& kind : catalog().kinds()) {  // the catalog, not a list of names
    INFO(kind.name);
    const Scenario s = scenario_from_yaml(fmt::format(
        "model: {{kind: {}}}\npopulation: {{size: 300, communities: 3}}\nsteps: 4\nreplicates: 2\n",
        kind.name));
    const Results r = run_scenario(s, {});
    CHECK(r.series_names == kind.outputs.series_names());
    CHECK(r.total_names == kind.outputs.outcome_names());
    for (const ArmResult& arm : r.arms)
      for (const RunResult& run : arm.replicates) {
        CHECK(run.totals.size() == kind.outputs.outcomes.size());
        CHECK(run.series.size() == kind.outputs.series.size() * r.rows());
        CHECK(run.subgroup.size() ==
              (kind.outputs.subgroup.empty() ? 0 : kind.outputs.series.size() * r.rows()));
      }
    // The summary table's columns are the declared summary outcomes, in their own words.
    const std::string table = format_summary(r);
    for (const OutcomeSpec& o : kind.outputs.outcomes)
      if (o.summary) CHECK(table.find(o.column.empty() ? o.name : o.column) != std::string::npos);
    // The world drew exactly the declared roles and traits.
    CHECK(s.population.roles.size() == kind.roles.size());
    CHECK(s.population.initial.size() == kind.traits.size());
  }
}

TEST_CASE("the prevention model declares SCENARIO.md's metric and total names", "[unit]") {
  const OutputDeclarations& d = catalog().find("prevention")->outputs;
  CHECK(d.series_names() == std::vector<std::string>{"awareness", "otherness", "trust", "efficacy",
                                                     "engaged", "partners", "exposures",
                                                     "approaches", "prevented", "exploited", "away",
                                                     "lost", "reports", "approach_rate", "cost"});
  CHECK(d.outcome_names() == std::vector<std::string>{"exploited", "prevented", "approaches",
                                                      "protection_rate", "engaged_final",
                                                      "engaged_peak", "cost_total"});
  CHECK(d.headline == "exploited");
  CHECK(d.improvement_sign() == 1);  // fewer cases is better: cases averted = baseline − arm
  CHECK(d.improvement.name == "cases_averted");
  CHECK(d.improvement.cost_name == "cost_per_case_averted");
  CHECK(d.cost_outcome == "cost_total");
  CHECK(d.subgroup == "at_risk");
}

TEST_CASE("SIR arms that differ by their set are compared on its declared headline", "[scenario]") {
  // The same worlds and draws; a far larger beta infects more: infections averted < 0.
  const Scenario s = scenario_from_yaml(R"(
model: {kind: sir, beta: 0.05, gamma: 0.2, seeds: {count: 5}}
population: {size: 2000, communities: 1}
network: {kind: erdos_renyi, mean_degree: 6}
steps: 60
replicates: 6
arms: {baseline: [], contagious: {set: {model.beta: 0.6}}}
)");
  const Results r = run_scenario(s, {});
  REQUIRE(r.comparisons.size() == 1);
  const Comparison& c = r.comparisons[0];
  const auto find = [&](const std::string& q) -> const Difference& {
    for (const Difference& d : c.differences)
      if (d.quantity == q) return d;
    FAIL("no " << q);
    throw;
  };
  const Difference& averted = find("infections_averted");
  CHECK(averted.high < 0);
  CHECK(averted.mean == Approx(-find("final_size").mean));  // baseline − arm
  // No cost is declared: no cost per unit.
  for (const Difference& d : c.differences) CHECK(d.quantity.find("cost") == std::string::npos);
}
