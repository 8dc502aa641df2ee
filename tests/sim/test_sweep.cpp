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
  CHECK(r.seed == sample_seed(7, 0));  // common random numbers: every sample, sample 0's seed
  CHECK(L.seed_of(3) == L.seed_of(0));
  CHECK_FALSE(L.independent_seeds);
  // Which arm reads which parameter: the baseline neither campaign's nor programme's values.
  CHECK(L.reads == std::vector<uint8_t>{1, 0, 0,    // baseline
                                        1, 1, 0,    // media
                                        1, 0, 0,    // placebo (runs `late`, not `media`)
                                        1, 0, 1});  // prog

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
  CHECK(s.seed == sample_seed(grid.layout.design_seed, 0));

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
  // Replicates differ; samples differ where the arm reads what changed (media reads the blame).
  CHECK(all[0].totals != all[4].totals);
  CHECK(all[1].totals != all[12 + 1].totals);
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
    d.outcomes.push_back(
        {t, t, Scale::count, t == "exploited" ? Better::fewer : Better::neither, false, {}});
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

namespace {

// Every run of a plan, in run order.
std::vector<RunRecord> run_every(const SweepPlan& plan) {
  std::vector<RunRecord> all(plan.layout.runs());
  TaskQueue queue(plan.layout, 0, 1, [](uint64_t) { return false; });
  std::mutex m;
  run_tasks(
      plan, [&] { return queue.next(); }, {},
      [&](std::vector<RunRecord> records) {
        std::lock_guard lock(m);
        for (auto& r : records) all[r.run] = r;
      });
  return all;
}

SweepSummary summary_of(const SweepPlan& plan, const std::vector<RunRecord>& all) {
  const size_t per_sample = plan.layout.arms.size() * plan.layout.replicates;
  return summarise_sweep(plan.layout, [&](uint32_t j, std::vector<RunRecord>& records) {
    records.assign(all.begin() + j * per_sample, all.begin() + (j + 1) * per_sample);
  });
}

}  // namespace

TEST_CASE(
    "sweep: common random numbers across samples - an arm gives the same bits whatever "
    "the values it does not read",
    "[scenario]") {
  TempDir d;
  auto runs_of = [&](const std::string& extra) {
    const SweepPlan plan = plan_of(d, R"(scenario: tiny.yaml
replicates: 2
design: {kind: latin_hypercube, samples: 4, seed: 3)" +
                                          extra + R"(}
parameters:
  interventions.media.message.blame: {min: 0, max: 1}
  interventions.prog.power_sharing: {min: 0.1, max: 1}
)");
    const std::vector<RunRecord> all = run_every(plan);
    for (const RunRecord& r : all) REQUIRE(r.ok);
    return std::pair(plan.layout, all);
  };
  // Runs: ((sample · 2 + replicate) · 4 + arm); arms baseline, media, placebo, prog.
  const auto [crn, a] = runs_of("");
  for (uint32_t j = 1; j < 4; ++j)
    for (uint32_t r = 0; r < 2; ++r) {
      const size_t first = (0 * 2 + r) * 4, here = (j * 2 + r) * 4;
      CHECK(a[here + 0].totals == a[first + 0].totals);  // baseline reads neither
      CHECK(a[here + 2].totals == a[first + 2].totals);  // nor does the placebo
      CHECK(a[here + 1].totals != a[first + 1].totals);  // media reads the blame
      CHECK(crn.run(here).seed == crn.run(first).seed);
    }
  const auto [own, b] = runs_of(", independent_seeds: true");
  CHECK(own.independent_seeds);
  CHECK(own.hash != crn.hash);
  CHECK(own.run(8).seed == sample_seed(3, 1));
  CHECK(b[8 + 0].totals != b[0].totals);  // each sample's own seeds: the baseline differs
}

TEST_CASE(
    "sobol sweep of the prevention model: the baseline's indices for campaign and "
    "partnership parameters are exactly 0 and reported as not used",
    "[scenario]") {
  TempDir d;
  const SweepPlan plan = plan_of(d, R"(scenario: tiny.yaml
replicates: 2
design: {kind: sobol, samples: 16, seed: 5, bootstrap: 50}
parameters:
  interventions.media.message.blame: {min: 0, max: 1}
  interventions.prog.power_sharing: {min: 0.1, max: 1}
  model.denial: {min: 0.2, max: 0.9}
metrics: [exploited_total, engaged_final, cases_averted]
)");
  const SweepLayout& L = plan.layout;
  const auto all = run_every(plan);
  const SweepSummary s = summary_of(plan, all);
  const size_t A = L.arms.size(), M = L.metrics.size(), P = 3;
  REQUIRE(L.arms[0] == "baseline");
  // Computed from the baseline's sample means, the indices of the two unread parameters are 0
  // exactly: common random numbers make f(A) and f(AB_i) the same bits.
  for (size_t m = 0; m < 2; ++m) {
    std::vector<double> y;
    for (uint32_t j = 0; j < L.sample_count(); ++j) y.push_back(s.rows[j * A + 0].mean[m]);
    const auto idx = sobol_indices(y, P, {0, 1});
    for (size_t i = 0; i < 2; ++i) {
      CHECK(idx[i].first == 0.0);
      CHECK(idx[i].total == 0.0);
    }
  }
  // The summary does not estimate them: "not used by this arm".
  for (size_t m = 0; m < M; ++m) {
    const SobolResult& blame = s.sobol[(0 * M + m) * P + 0];
    CHECK_FALSE(blame.read);
    CHECK(std::isnan(blame.index.total));
    CHECK(s.sobol[(0 * M + m) * P + 2].read);  // the baseline reads model.denial
    // The media arm reads the blame, not the programme's power sharing.
    CHECK(s.sobol[(1 * M + m) * P + 0].read);
    CHECK_FALSE(s.sobol[(1 * M + m) * P + 1].read);
  }
  // With 2 replicates the indices are of the mean response, with estimates at N/2 and N/4 (the
  // media arm's engagement against the campaign's blame).
  const SobolResult& blame = s.sobol[(1 * M + 1) * P + 0];
  CHECK(blame.of_mean);
  INFO("media, engaged_final, blame: " << blame.index.total << " [" << blame.index.total_low << ", "
                                       << blame.index.total_high << "] half " << blame.total.half
                                       << " quarter " << blame.total.quarter);
  CHECK(std::isfinite(blame.index.total));
  CHECK(std::isfinite(blame.total.half));
  CHECK(std::isfinite(blame.total.quarter));
  // 16 base points and 2 replicates do not determine it: it says what it would need.
  CHECK_FALSE(blame.total.determined);
  CHECK((blame.total.needed_base > 16 || blame.total.needed_replicates > 2));
  // Noise shares: one per arm and metric, between 0 and 1 for totals.
  REQUIRE(s.noise.size() == A * M);
  CHECK(s.noise[0].share >= 0);
  CHECK(s.noise[0].share <= 1);
}

TEST_CASE("morris sweep: trajectories on the parameters' grid and effects per arm", "[scenario]") {
  TempDir d;
  const SweepPlan plan = plan_of(d, R"(scenario: tiny.yaml
replicates: 2
design: {kind: morris, trajectories: 4, levels: 4, seed: 2, bootstrap: 50}
parameters:
  interventions.media.message.blame: {min: 0, max: 1}
  interventions.prog.recruit_per_step: {min: 1, max: 4}
  model.denial: {min: 0.2, max: 0.8}
metrics: [exploited_total, engaged_final]
)");
  const SweepLayout& L = plan.layout;
  CHECK(L.design == "morris");
  CHECK(L.sample_count() == 4 * (3 + 1));
  // Whole-number levels 1, 2, 3, 4; real levels a third of the range apart.
  for (uint32_t j = 0; j < L.sample_count(); ++j) {
    const double r = L.value(j, 1), denial = L.value(j, 2);
    CHECK(r == std::round(r));
    CHECK(((denial - 0.2) / 0.2) == Approx(std::round((denial - 0.2) / 0.2)).margin(1e-9));
  }
  const auto all = run_every(plan);
  const SweepSummary s = summary_of(plan, all);
  const size_t M = 2, P = 3;
  REQUIRE(s.morris.size() == L.arms.size() * M * P);
  CHECK(s.sobol.empty());
  // The baseline does not read the blame: not estimated. The media arm does, and with common
  // random numbers its effects on the baseline-only parameter... the programme's are unread.
  CHECK_FALSE(s.morris[(0 * M + 0) * P + 0].read);
  CHECK(std::isnan(s.morris[(0 * M + 0) * P + 0].effect.mu_star));
  CHECK(s.morris[(1 * M + 0) * P + 0].read);
  CHECK(std::isfinite(s.morris[(1 * M + 0) * P + 0].effect.mu_star));
  CHECK(s.morris[(1 * M + 0) * P + 0].effect.mu_star >= 0);
}

TEST_CASE("arm_reads: interventions' parameters by the arms that run them - not what an arm sets",
          "[unit]") {
  Arm tokenistic{
      "tokenistic", {"prog"}, {Setting{"interventions.prog.power_sharing", 0.1, {}}}, {}};
  CHECK(arm_reads(tokenistic, "model.denial"));
  CHECK(arm_reads(tokenistic, "population.size"));
  CHECK(arm_reads(tokenistic, "interventions.prog.recruit_per_step"));
  CHECK_FALSE(arm_reads(tokenistic, "interventions.prog.power_sharing"));  // its own value
  CHECK_FALSE(arm_reads(tokenistic, "interventions.media.reach"));         // does not run media
  CHECK_FALSE(arm_reads(tokenistic, "interventions.programme.reach"));     // a prefix is not a name
  Arm denial{"denial", {}, {Setting{"model.denial", 0.3, {}}}, {}};
  CHECK_FALSE(arm_reads(denial, "model.denial"));
  CHECK(arm_reads(denial, "model.social_weight"));
}
