// Sweeps as plain data and as pure functions: the plan a sweep file gives, run numbering and
// seeds, any run recomputed alone giving the same numbers, common random numbers across arms,
// failed runs recorded without stopping the others, and the per-sample summaries.
#include <catch2/catch.hpp>

#include <cmath>
#include <mutex>
#include <set>

#include "sim/designs.h"
#include "sim/model.h"
#include "sim/runner.h"
#include "sim/sweep.h"
#include "sim/sweep_runner.h"
#include "sim/sweep_summary.h"
#include "tests/support/test_support.h"

using namespace fourp;
using namespace fourp::test;

namespace {

const char* kScenario = R"(name: tiny
seed: 11
replicates: 2
steps: 8
population: {size: 300, communities: 3, roles: {at_risk: 0.3}}
network: {kind: villages, within_degree: 4}
trafficking: {approach_rate: 0.03}
interventions:
  media: {kind: outsider_campaign, reach: 0.5, message: {blame: 0.5}, cost: {fixed_per_step: 10}}
  late: {kind: outsider_campaign, start: 100, reach: 0.5}
  prog: {kind: partnership, recruit_per_step: 2, cost: {fixed_per_step: 5}}
arms: {baseline: [], media: [media], placebo: [late], prog: [prog]}
)";

SweepPlan plan_of(const TempDir& dir, const std::string& sweep, SweepOptions options = {}) {
  write_file(dir / "tiny.yaml", kScenario);
  write_file(dir / "sweep.yaml", sweep);
  Diagnostics diag;
  SweepPlan plan = parse_sweep_file(dir / "sweep.yaml", catalog(), options, diag);
  INFO(diag.format());
  REQUIRE_FALSE(diag.has_errors());
  return plan;
}

const char* kLhs = R"(scenario: tiny.yaml
replicates: 3
design: {kind: latin_hypercube, samples: 5, seed: 7}
parameters:
  model.denial: {min: 0.2, max: 0.9}
  interventions.media.message.blame: {min: 0, max: 1}
  interventions.prog.recruit_per_step: {min: 1, max: 4}
)";

}  // namespace

TEST_CASE("sweep plan: layout - run numbering - defaults", "[unit]") {
  TempDir d;
  const SweepPlan plan = plan_of(d, kLhs);
  const SweepLayout& L = plan.layout;
  CHECK(L.name == "sweep");
  CHECK(L.design == "latin_hypercube");
  CHECK(L.design_seed == 7);
  CHECK(L.replicates == 3);
  CHECK(L.arms == std::vector<std::string>{"baseline", "media", "placebo", "prog"});
  CHECK(L.baseline_arm == "baseline");
  CHECK(L.sample_count() == 5);
  CHECK(L.runs() == 5 * 3 * 4);
  // Metrics default to every total and, with the baseline run, the paired ones.
  CHECK(L.metrics.back() == "cost_per_case_averted");
  // Sweeps keep totals only.
  CHECK(plan.scenario.outputs.snapshots.empty());
  CHECK_FALSE(plan.scenario.outputs.by_community);

  const RunPlan r = L.run(4 * 12 + 2 * 4 + 3);  // sample 4, replicate 2, arm 3
  CHECK(r.sample == 4);
  CHECK(r.replicate == 2);
  CHECK(r.arm == 3);
  CHECK(r.task == 4 * 3 + 2);
  CHECK(r.seed == sample_seed(7, 4));

  // Each parameter's samples fill its strata; whole-number parameters stay whole.
  for (size_t i = 0; i < 2; ++i) {
    std::set<int> strata;
    const double lo = i == 0 ? 0.2 : 0, hi = i == 0 ? 0.9 : 1;
    for (uint32_t j = 0; j < 5; ++j)
      strata.insert(int(std::floor((L.value(j, i) - lo) / (hi - lo) * 5)));
    CHECK(strata.size() == 5);
  }
  for (uint32_t j = 0; j < 5; ++j) CHECK(L.value(j, 2) == std::floor(L.value(j, 2)));

  // The hash changes with anything that changes the numbers.
  const SweepPlan other = plan_of(d, std::string(kLhs) + "metrics: [exploited]\n");
  CHECK(other.layout.hash != L.hash);
  CHECK(plan_of(d, kLhs).layout.hash == L.hash);
}

TEST_CASE("sweep plan: arms in the scenario's order and the baseline added for paired metrics",
          "[unit]") {
  TempDir d;
  write_file(d / "tiny.yaml", kScenario);
  write_file(d / "sweep.yaml", R"(scenario: tiny.yaml
arms: [prog, media]
design: {kind: grid}
parameters:
  model.denial: {values: [0.3, 0.6]}
metrics: [exploited_total, cost_per_case_averted]
)");
  Diagnostics diag;
  const SweepPlan plan = parse_sweep_file(d / "sweep.yaml", catalog(), {}, diag);
  REQUIRE_FALSE(diag.has_errors());
  CHECK(plan.layout.arms == std::vector<std::string>{"baseline", "media", "prog"});
  CHECK_THAT(diag.format(), Catch::Contains("warning: the baseline arm 'baseline' is run too"));
  CHECK(plan.metrics[0].kind == MetricSpec::Kind::total);
  CHECK(plan.metrics[1].kind == MetricSpec::Kind::cost_per_improvement);
}

TEST_CASE("sweep plan: grids - lists - CSV rows - levels - fixed settings", "[unit]") {
  TempDir d;
  const SweepPlan grid = plan_of(d, R"(scenario: tiny.yaml
set: {steps: 5, population.size: 240}
design: {kind: grid}
parameters:
  model.denial: {min: 0.2, max: 0.8, levels: 3}
  population.communities: {values: [2, 4]}
)");
  CHECK(grid.scenario.steps == 5);
  CHECK(grid.scenario.population.size == 240);
  CHECK(grid.layout.sample_count() == 6);
  CHECK(grid.layout.value(0, 0) == Approx(0.2));
  CHECK(grid.layout.value(1, 1) == 4);
  CHECK(grid.layout.value(2, 0) == Approx(0.5));
  CHECK(grid.parameters[1].world);
  const Scenario s = sample_scenario(grid, 3);
  CHECK(s.population.communities == 4);
  CHECK(s.sections[0].get("denial") == Approx(0.5));
  CHECK(s.seed == sample_seed(grid.layout.design_seed, 3));

  const SweepPlan list = plan_of(d, R"(scenario: tiny.yaml
design: {kind: list, seed: 4}
parameters:
  model.denial: {values: [0.2, 0.5, 0.9]}
  model.social_weight: {values: [0.1, 0.3, 0.2]}
)");
  CHECK(list.layout.sample_count() == 3);
  CHECK(list.layout.value(2, 1) == Approx(0.2));

  write_file(d / "rows.csv",
             "# rows chosen by hand\nmodel.denial,model.social_weight\n0.2,0.1\n"
             "\"0.5\", 0.3\r\n0.9,0.2\n");
  const SweepPlan csv =
      plan_of(d, "scenario: tiny.yaml\ndesign: {kind: list, seed: 4, file: rows.csv}\n");
  CHECK(csv.layout.parameters == list.layout.parameters);
  CHECK(csv.layout.samples == list.layout.samples);
}

TEST_CASE("run_replicate gives run_scenario's numbers for one arm and replicate", "[scenario]") {
  Scenario s = scenario_from_yaml(kScenario);
  const Results all = run_scenario(s, {});
  for (size_t arm : {0u, 3u})
    for (uint32_t rep : {0u, 1u}) {
      const RunResult one = run_replicate(s, arm, rep, nullptr);
      CHECK(one.totals == all.arms[arm].replicates[rep].totals);
      CHECK(one.series == all.arms[arm].replicates[rep].series);
    }
}

TEST_CASE("any run of a sweep recomputes alone to the same numbers", "[scenario]") {
  TempDir d;
  const SweepPlan plan = plan_of(d, kLhs);
  TaskQueue queue(plan.layout, 0, 1, [](uint64_t) { return false; });
  CHECK(queue.pending_runs() == plan.layout.runs());
  std::mutex m;
  std::vector<RunRecord> all(plan.layout.runs());
  run_tasks(
      plan, [&] { return queue.next(); }, {},
      [&](std::vector<RunRecord> records) {
        std::lock_guard lock(m);
        for (auto& r : records) all[r.run] = r;
      });
  for (const RunRecord& r : all) REQUIRE(r.ok);
  for (uint64_t run : {0u, 5u, 17u, 42u, 59u}) {
    const RunRecord alone = run_single(plan, run);
    CHECK(alone.totals == all[run].totals);
  }
  // Common random numbers: an arm whose campaign starts after the horizon is the baseline.
  for (uint64_t task = 0; task < plan.layout.tasks(); ++task)
    CHECK(all[task * 4 + 2].totals == all[task * 4 + 0].totals);
  // Samples and replicates differ.
  CHECK(all[0].totals != all[4].totals);
  CHECK(all[0].totals != all[12].totals);
  // The same as one thread.
  TaskQueue again(plan.layout, 0, 1, [](uint64_t) { return false; });
  ExecOptions one;
  one.threads = 1;
  run_tasks(
      plan, [&] { return again.next(); }, one,
      [&](std::vector<RunRecord> records) {
        for (auto& r : records) CHECK(r.totals == all[r.run].totals);
      });
}

TEST_CASE("task queues: shards partition the tasks and done runs are skipped", "[unit]") {
  TempDir d;
  const SweepPlan plan = plan_of(d, kLhs);
  const SweepLayout& L = plan.layout;
  std::set<uint64_t> seen;
  for (uint32_t shard = 0; shard < 4; ++shard) {
    TaskQueue q(L, shard, 4, [](uint64_t) { return false; });
    while (auto t = q.next()) {
      CHECK(t->task % 4 == shard);
      CHECK(t->arms.size() == 4);
      CHECK(seen.insert(t->task).second);
    }
  }
  CHECK(seen.size() == L.tasks());
  // Runs 1 and 2 (task 0) and every run of task 1 done: task 0 keeps arms 0 and 3.
  TaskQueue q(L, 0, 1, [](uint64_t run) { return run == 1 || run == 2 || (run >= 4 && run < 8); });
  CHECK(q.pending_runs() == L.runs() - 6);
  auto t = q.next();
  REQUIRE(t);
  CHECK(t->task == 0);
  CHECK(t->arms == std::vector<uint32_t>{0, 3});
  CHECK(q.next()->task == 2);
}

TEST_CASE("a failed run is recorded with its error and the others complete", "[scenario]") {
  TempDir d;
  const SweepPlan plan = plan_of(d, kLhs);
  TaskHooks hooks;
  hooks.fail = [](uint64_t run) { return run == 5 || run == 30; };
  const uint32_t arms[] = {0, 1, 2, 3};
  const auto records = run_task(plan, 1, arms, hooks);
  REQUIRE(records.size() == 4);
  CHECK(records[0].ok);
  CHECK_FALSE(records[1].ok);
  CHECK(records[1].run == 5);
  CHECK_THAT(records[1].error, Catch::Contains("injected failure"));
  CHECK(records[1].totals.empty());
  CHECK(records[2].ok);
  CHECK(records[3].totals == run_single(plan, 7).totals);
}

// Declarations like the prevention model's: `exploited` the headline (fewer is better, improved
// as cases averted), `cost_total` the cost.
static OutputDeclarations declared(const std::vector<std::string>& totals) {
  OutputDeclarations d;
  for (const std::string& t : totals)
    d.outcomes.push_back({t, t, Scale::count, t == "exploited" ? Better::fewer : Better::neither});
  if (d.find_outcome("exploited")) {
    d.headline = "exploited";
    d.improvement = {"cases_averted", "cases averted", "cost_per_case_averted",
                     "cost per case averted"};
  }
  if (d.find_outcome("cost_total")) d.cost_outcome = "cost_total";
  return d;
}

TEST_CASE("sample summaries: means - standard deviations - paired metrics", "[unit]") {
  SweepLayout L;
  L.arms = {"baseline", "arm"};
  L.baseline_arm = "baseline";
  L.replicates = 3;
  L.totals = {"exploited", "cost_total"};
  L.metrics = {"exploited_total", "cases_averted", "cost_per_case_averted", "cost_total"};
  std::vector<MetricSpec> metrics;
  L.outputs = declared(L.totals);
  for (const auto& m : L.metrics) metrics.push_back(*resolve_metric(m, L.outputs));
  auto ok = [](double exploited, double cost) {
    RunRecord r;
    r.ok = true;
    r.totals = {exploited, cost};
    return r;
  };
  RunRecord failed;
  failed.error = "boom";
  // [replicate][arm]: the arm's replicate 2 failed.
  const std::vector<RunRecord> records = {ok(10, 0),  ok(6, 100), ok(8, 0),
                                          ok(5, 120), ok(9, 0),   failed};
  const auto s = summarise_sample(L, metrics, records);
  REQUIRE(s.size() == 2);
  CHECK(s[0].ok == 3);
  CHECK(s[1].ok == 2);
  CHECK(s[1].failed == 1);
  CHECK(s[0].mean[0] == Approx(9));
  CHECK(s[0].sd[0] == Approx(1));
  CHECK(s[1].mean[0] == Approx(5.5));
  // cases averted over replicates 0 and 1: 4 and 3.
  CHECK(s[1].mean[1] == Approx(3.5));
  CHECK(s[1].sd[1] == Approx(std::sqrt(0.5)));
  // cost per case averted = mean extra cost 110 / mean cases averted 3.5
  CHECK(s[1].mean[2] == Approx(110 / 3.5));
  CHECK(std::isnan(s[1].sd[2]));
  CHECK(s[0].mean[1] == 0);         // the baseline averts nothing against itself
  CHECK(std::isnan(s[0].mean[2]));  // … so its cost per case averted is undefined
  CHECK(s[1].mean[3] == Approx(110));
}

TEST_CASE("resolve_metric: totals - SCENARIO.md aliases - paired metrics", "[unit]") {
  const OutputDeclarations totals =
      declared({"exploited", "prevented", "engaged_final", "cost_total"});
  CHECK(resolve_metric("exploited_total", totals)->total == 0);
  CHECK(resolve_metric("prevented_total", totals)->total == 1);
  CHECK(resolve_metric("engaged_final", totals)->total == 2);
  CHECK_FALSE(resolve_metric("engaged_final_total", totals));
  CHECK(resolve_metric("cost_per_case_averted", totals)->paired());
  CHECK_FALSE(resolve_metric("cost_per_case_averted", declared({"exploited"})));
  CHECK_FALSE(resolve_metric("cases_averted", declared({"infected"})));
  // The names come from the declarations: another model's improvement resolves by its name.
  OutputDeclarations sir = declared({"final_size"});
  sir.outcomes[0].better = Better::fewer;
  sir.headline = "final_size";
  sir.improvement = {"infections_averted", "infections averted", "", ""};
  CHECK(resolve_metric("infections_averted", sir)->kind == MetricSpec::Kind::improvement);
  CHECK_FALSE(resolve_metric("cases_averted", sir));
}
