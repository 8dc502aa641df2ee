#include "sim/runner.h"

#include <tbb/global_control.h>
#include <tbb/parallel_for.h>
#include <tbb/task_arena.h>

#include <numeric>

#include "sim/comparison.h"
#include "sim/decision_analysis.h"
#include "sim/model.h"
#include "sim/scenario_parse.h"
#include "sim/uncertainty.h"
#include "sim/world.h"

namespace fourp {

namespace {

struct ArmRun {
  ArmConfig config;
  std::unique_ptr<Model> model;
};

}  // namespace

RunResult run_on_world(const Scenario& s, const Model& model, const World& world,
                       uint32_t replicate, const RunHooks& hooks) {
  const size_t rows = static_cast<size_t>(s.steps) + 1, C = world.layout.communities();
  const size_t metrics = hooks.keep_series ? s.kind->outputs.series.size() : 0;
  const bool subgroup = !s.kind->outputs.subgroup.empty();
  RunResult r;
  r.series.assign(metrics * rows, 0.0);
  if (subgroup) r.subgroup.assign(metrics * rows, 0.0);
  if (s.outputs.by_community) r.communities.assign(metrics * rows * C, 0.0f);
  std::vector<double> series_row(metrics), subgroup_row(subgroup ? metrics : 0);
  std::vector<float> community_row(s.outputs.by_community ? metrics * C : 0);
  Observation obs{series_row, subgroup_row, community_row};

  auto sim = model.start(world, Rng(s.seed, replicate));
  auto record = [&](size_t row) {
    if (hooks.keep_series) {
      sim->observe(obs);
      for (size_t m = 0; m < metrics; ++m) {
        r.series[m * rows + row] = series_row[m];
        if (subgroup) r.subgroup[m * rows + row] = subgroup_row[m];
        for (size_t c = 0; c < community_row.size() / std::max<size_t>(metrics, 1); ++c)
          r.communities[(m * rows + row) * C + c] = community_row[m * C + c];
      }
    }
    if (replicate == 0)
      for (int64_t k : s.outputs.snapshots)
        if (k == static_cast<int64_t>(row)) r.snapshots.push_back({k, sim->snapshot()});
  };
  record(0);
  for (uint32_t t = 0; t < static_cast<uint32_t>(s.steps); ++t) {
    if (hooks.cancel && hooks.cancel->load()) throw Cancelled();
    sim->step(t);
    record(t + 1);
    if (hooks.after_step) hooks.after_step();
  }
  r.totals = sim->totals();
  return r;
}

RunResult run_replicate(const Scenario& s, size_t arm, uint32_t replicate, const NetworkFile* file,
                        const RunHooks& hooks) {
  std::optional<NetworkFile> own_file;
  if (!file && s.network.kind == NetworkSpec::Kind::file) {
    Diagnostics diag;
    own_file = read_network_file(s.network, diag);
    if (diag.has_errors()) throw InputError(diag.format());
    file = &*own_file;
  }
  if (!s.uncertainty.empty()) {  // replicate r's parameters, as run_scenario draws them
    const Scenario drawn = with_parameters(s, draw_parameters(s, replicate));
    return run_replicate(drawn, arm, replicate, file, hooks);
  }
  const ArmConfig cfg = resolve_arm(s, s.arms.at(arm));
  const auto model = s.kind->make(s, cfg);
  const World world = build_world(s, replicate, file);
  return run_on_world(s, *model, world, replicate, hooks);
}

Results run_scenario(const Scenario& s, const RunOptions& opt) {
  std::optional<tbb::global_control> limit;
  if (opt.threads > 0) limit.emplace(tbb::global_control::max_allowed_parallelism, opt.threads);

  std::optional<NetworkFile> own_file;
  const NetworkFile* file = opt.network_file;
  if (!file && s.network.kind == NetworkSpec::Kind::file) {
    Diagnostics diag;
    own_file = read_network_file(s.network, diag);
    if (diag.has_errors()) throw InputError(diag.format());
    file = &*own_file;
  }

  std::vector<ArmRun> arms;
  for (const Arm& arm : s.arms) {
    ArmConfig cfg = resolve_arm(s, arm);
    auto model = s.kind->make(s, cfg);
    arms.push_back({std::move(cfg), std::move(model)});
  }

  Results res;
  res.fourp_version = FOURP_VERSION;
  res.scenario_name = s.name;
  res.scenario_yaml = to_yaml(s);
  res.seed = s.seed;
  res.replicates = s.replicates;
  res.steps = s.steps;
  res.step_unit = s.step_unit;
  res.currency = s.currency;
  res.outputs = s.kind->outputs;
  res.series_names = res.outputs.series_names();
  res.total_names = res.outputs.outcome_names();
  res.baseline_arm = s.baseline_arm;
  for (size_t a = 0; a < arms.size(); ++a) {
    ArmResult ar;
    ar.name = s.arms[a].name;
    ar.interventions = s.arms[a].interventions;
    ar.replicates.resize(s.replicates);
    res.arms.push_back(std::move(ar));
  }
  for (const UncertainParameter& u : s.uncertainty) res.parameter_names.push_back(u.path);
  if (!s.uncertainty.empty()) res.parameters.resize(s.replicates);

  std::vector<uint32_t> order = opt.replicate_order;
  if (order.empty()) {
    order.resize(s.replicates);
    std::iota(order.begin(), order.end(), 0u);
  }
  const size_t steps_total = arms.size() * order.size() * static_cast<size_t>(s.steps);
  std::atomic<size_t> steps_done{0};

  // Across replicates in parallel; inside each run in parallel too. Isolation keeps a thread
  // that waits inside a run from starting another replicate, so at most `threads` worlds exist
  // at once (memory), while both one big run and many small runs use every core.
  tbb::parallel_for(
      size_t{0}, order.size(), size_t{1},
      [&](size_t k) {
        tbb::this_task_arena::isolate([&] {
          const uint32_t rep = order[k];
          // With uncertain parameters, replicate r runs every arm on θ_r: its world and its
          // arms' models come from the scenario with θ_r applied (an arm's own `set` wins).
          std::optional<Scenario> drawn;
          std::vector<ArmRun> drawn_arms;
          if (!s.uncertainty.empty()) {
            res.parameters[rep] = draw_parameters(s, rep);
            drawn.emplace(with_parameters(s, res.parameters[rep]));
            for (const Arm& arm : drawn->arms) {
              ArmConfig cfg = resolve_arm(*drawn, arm);
              auto model = drawn->kind->make(*drawn, cfg);
              drawn_arms.push_back({std::move(cfg), std::move(model)});
            }
          }
          const Scenario& sr = drawn ? *drawn : s;
          const std::vector<ArmRun>& run_arms = drawn ? drawn_arms : arms;
          const World world = build_world(sr, rep, file);
          if (rep == 0) {
            res.network = network_stats(world.network);
            res.communities = world.layout.communities();
            res.community_sizes.clear();
            for (uint32_t c = 0; c < world.layout.communities(); ++c)
              res.community_sizes.push_back(world.layout.community_size(c));
          }
          RunHooks hooks;
          hooks.cancel = opt.cancel;
          hooks.after_step = [&] {
            const size_t done = ++steps_done;
            if (opt.on_progress) opt.on_progress(done, steps_total);
          };
          for (size_t a = 0; a < run_arms.size(); ++a)
            res.arms[a].replicates[rep] = run_on_world(sr, *run_arms[a].model, world, rep, hooks);
        });
      },
      tbb::simple_partitioner{});

  res.comparisons = compare_arms(res);
  res.decision = analyse_decision(res, s.willingness_to_pay);
  return res;
}

}  // namespace fourp
