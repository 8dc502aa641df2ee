// Sweeps of a scenario with `uncertainty:` (sim/sweep.h): each sample fixes the swept paths and
// the sweep's `set`, as `--set` would; every other uncertain parameter is drawn per replicate
// exactly as `fourp run --seed <the run's seed>` draws it, so under common random numbers
// replicate r of every sample runs with the same drawn values — whatever the thread count.
#include <catch2/catch.hpp>

#include <fmt/format.h>

#include <mutex>

#include "sim/runner.h"
#include "sim/scenario_parse.h"
#include "sim/sweep.h"
#include "sim/sweep_runner.h"
#include "sim/uncertainty.h"
#include "tests/support/test_support.h"

using namespace fourp;
using namespace fourp::test;

namespace {

// Four uncertain parameters: one swept, one fixed by the sweep's set, two drawn (one of them
// structural: the at-risk share changes the world, which each task builds from its draws).
const char* kScenario = R"(name: psa
seed: 11
replicates: 2
steps: 8
population: {size: 300, communities: 3, roles: {at_risk: 0.3}}
network: {kind: villages, within_degree: 4}
trafficking: {approach_rate: 0.03}
interventions:
  media: {kind: outsider_campaign, reach: 0.5, message: {blame: 0.5}, cost: {fixed_per_step: 10}}
arms: {baseline: [], media: [media]}
uncertainty:
  model.denial: {beta: {mean: 0.6, sd: 0.15}}
  trafficking.approach_rate: {uniform: {min: 0.01, max: 0.05}}
  interventions.media.reach: {triangular: {min: 0.2, mode: 0.5, max: 0.9}}
  population.roles.at_risk: {normal: {mean: 0.3, sd: 0.1, min: 0.1, max: 0.5}}
)";

const std::vector<double> kDenial = {0.2, 0.8};  // the swept values, one a sample
constexpr uint32_t kReplicates = 3;

std::string sweep_text(bool independent_seeds) {
  return fmt::format(R"(scenario: psa.yaml
replicates: {}
set: {{interventions.media.reach: 0.4}}
design: {{kind: grid, seed: 5, independent_seeds: {}}}
parameters:
  model.denial: {{values: [{}]}}
)",
                     kReplicates, independent_seeds, fmt::join(kDenial, ", "));
}

SweepPlan plan_of(const TempDir& dir, bool independent_seeds, Diagnostics& diag) {
  write_file(dir / "psa.yaml", kScenario);
  write_file(dir / "sweep.yaml", sweep_text(independent_seeds));
  SweepPlan plan = parse_sweep_file(dir / "sweep.yaml", catalog(), {}, diag);
  INFO(diag.format());
  REQUIRE_FALSE(diag.has_errors());
  return plan;
}

SweepPlan plan_of(const TempDir& dir, bool independent_seeds = false) {
  Diagnostics diag;
  return plan_of(dir, independent_seeds, diag);
}

std::vector<RunRecord> run_all(const SweepPlan& plan, int threads) {
  std::vector<RunRecord> all(plan.layout.runs());
  std::mutex m;
  TaskQueue q(plan.layout, 0, 1, [](uint64_t) { return false; });
  ExecOptions options;
  options.threads = threads;
  run_tasks(
      plan, [&] { return q.next(); }, options,
      [&](std::vector<RunRecord> rs) {
        std::lock_guard lock(m);
        for (auto& r : rs) all[r.run] = std::move(r);
      });
  return all;
}

// `fourp run psa.yaml --set interventions.media.reach=0.4 --set model.denial=<sample's value>
// --seed <sample's seed> --replicates 3`, as the program reads it.
Results fourp_run(const SweepLayout& L, uint32_t sample) {
  Diagnostics diag;
  Scenario s = parse_scenario_text(
      kScenario, "psa.yaml", catalog(),
      {"interventions.media.reach=0.4", fmt::format("model.denial={}", L.value(sample, 0))}, diag);
  INFO(diag.format());
  REQUIRE_FALSE(diag.has_errors());
  s.seed = L.seed_of(sample);
  s.replicates = kReplicates;
  return run_scenario(s, {});
}

}  // namespace

TEST_CASE("sweep of an uncertain scenario: swept and set paths are fixed, the others drawn",
          "[unit]") {
  TempDir d;
  Diagnostics diag;
  const SweepPlan plan = plan_of(d, false, diag);
  const SweepLayout& L = plan.layout;
  CHECK(plan.fixed_uncertain ==
        std::vector<std::string>{"interventions.media.reach", "model.denial"});
  REQUIRE(L.drawn.size() == 2);
  CHECK(L.drawn[0].path == "trafficking.approach_rate");
  CHECK(L.drawn[1].path == "population.roles.at_risk");
  CHECK_THAT(diag.format(), Catch::Contains("warning: set: interventions.media.reach is fixed by "
                                            "the sweep's set; its uncertainty is not drawn"));
  CHECK_THAT(diag.format(), Catch::Contains("warning: model.denial is swept: each sample fixes "
                                            "it, so its uncertainty in the scenario is not drawn"));
  // The stored scenario keeps the drawn ones only (it is hashed: other distributions, other
  // sweep), and each sample's scenario leaves them to draw.
  CHECK(L.scenario_yaml.find("approach_rate: {uniform") != std::string::npos);
  CHECK(L.scenario_yaml.find("denial: {beta") == std::string::npos);
  CHECK(sample_scenario(plan, 1).uncertainty.size() == 2);
  CHECK(task_scenario(plan, 1, 0).uncertainty.empty());
}

TEST_CASE(
    "sweep of an uncertain scenario: every run is `fourp run --set` of its sample with "
    "the same draws",
    "[scenario]") {
  for (const bool independent : {false, true}) {
    INFO((independent ? "independent seeds" : "common random numbers"));
    TempDir d;
    const SweepPlan plan = plan_of(d, independent);
    const SweepLayout& L = plan.layout;
    const std::vector<RunRecord> all = run_all(plan, 0);
    std::vector<Results> runs;
    for (uint32_t j = 0; j < L.sample_count(); ++j) runs.push_back(fourp_run(L, j));
    for (uint32_t j = 0; j < L.sample_count(); ++j) {
      const Results& res = runs[j];
      // `fourp run` fixes the paths given by --set and draws the others, as the sweep does.
      REQUIRE(res.parameter_names ==
              std::vector<std::string>{"trafficking.approach_rate", "population.roles.at_risk"});
      for (uint32_t r = 0; r < kReplicates; ++r) {
        CHECK(L.draws(j, r) == res.parameters[r]);
        for (uint32_t a = 0; a < L.arms.size(); ++a) {
          INFO("sample " << j << ", replicate " << r << ", arm " << L.arms[a]);
          const RunRecord& rec = all[(uint64_t{j} * kReplicates + r) * L.arms.size() + a];
          REQUIRE(rec.ok);
          CHECK(rec.totals == res.arms[a].replicates[r].totals);
        }
      }
    }
    // Replicates draw different values; samples the same ones exactly under common random
    // numbers (and their swept denial still makes a difference).
    CHECK(runs[0].parameters[0] != runs[0].parameters[1]);
    for (uint32_t r = 0; r < kReplicates; ++r)
      CHECK((runs[0].parameters[r] == runs[1].parameters[r]) == !independent);
    CHECK(all[0].totals != all[kReplicates * L.arms.size()].totals);
  }
}

TEST_CASE("sweep of an uncertain scenario: 1 and 2 threads give the same runs", "[scenario]") {
  TempDir d;
  const SweepPlan plan = plan_of(d);
  const std::vector<RunRecord> one = run_all(plan, 1), two = run_all(plan, 2);
  REQUIRE(one.size() == two.size());
  for (size_t k = 0; k < one.size(); ++k) {
    INFO("run " << k);
    REQUIRE(one[k].ok);
    CHECK(one[k].totals == two[k].totals);
  }
}
