#include "sim/sweep_runner.h"

#include <tbb/global_control.h>
#include <tbb/parallel_for.h>
#include <tbb/task_arena.h>

#include <algorithm>
#include <cmath>
#include <limits>

#include <fmt/format.h>

#include "sim/find_name.h"
#include "sim/model.h"
#include "sim/runner.h"
#include "sim/world.h"

namespace fourp {

namespace {

constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();

RunRecord failed(uint64_t run, std::string error) {
  RunRecord r;
  r.run = run;
  r.ok = false;
  r.error = error.empty() ? std::string("unknown error") : std::move(error);
  return r;
}

}  // namespace

std::vector<RunRecord> run_task(const SweepPlan& plan, uint64_t task,
                                std::span<const uint32_t> arms, const TaskHooks& hooks) {
  const SweepLayout& L = plan.layout;
  const uint64_t first_run = task * L.arms.size();
  const uint32_t sample = static_cast<uint32_t>(task / L.replicates);
  const uint32_t replicate = static_cast<uint32_t>(task % L.replicates);
  std::vector<RunRecord> out;
  out.reserve(arms.size());

  std::optional<Scenario> scenario;
  std::optional<World> world;
  std::string world_error;
  try {
    scenario = sample_scenario(plan, sample);
    world = build_world(*scenario, replicate, plan.network_file.get());
  } catch (const std::exception& e) {
    world_error = fmt::format("building the world of sample {} replicate {}: {}", sample, replicate,
                              e.what());
  }

  RunHooks run_hooks;
  run_hooks.cancel = hooks.cancel;
  run_hooks.keep_series = false;  // a sweep keeps totals only
  for (uint32_t a : arms) {
    const uint64_t run = first_run + a;
    if (!world) {
      out.push_back(failed(run, world_error));
      continue;
    }
    try {
      if (hooks.fail && hooks.fail(run))
        throw std::runtime_error("injected failure (FOURP_SWEEP_FAIL_RUNS)");
      const Scenario& s = *scenario;
      const auto model = s.kind->make(s, resolve_arm(s, s.arms.at(plan.arm_index.at(a))));
      RunResult result = run_on_world(s, *model, *world, replicate, run_hooks);
      if (result.totals.size() != L.totals.size())
        throw std::runtime_error(fmt::format("the model returned {} totals, expected {}",
                                             result.totals.size(), L.totals.size()));
      RunRecord r;
      r.run = run;
      r.ok = true;
      r.totals = std::move(result.totals);
      out.push_back(std::move(r));
    } catch (const Cancelled&) {
      throw;
    } catch (const std::exception& e) {
      out.push_back(failed(run, e.what()));
    }
  }
  return out;
}

RunRecord run_single(const SweepPlan& plan, uint64_t run, const TaskHooks& hooks) {
  const RunPlan p = plan.layout.run(run);
  const uint32_t arm[] = {p.arm};
  return run_task(plan, p.task, arm, hooks).front();
}

// --- TaskQueue ------------------------------------------------------------------------------

TaskQueue::TaskQueue(const SweepLayout& layout, uint32_t shard, uint32_t shards,
                     std::function<bool(uint64_t)> done)
    : layout_(layout),
      shard_(shard),
      shards_(shards ? shards : 1),
      done_(std::move(done)),
      cursor_(shard) {
  const uint64_t A = layout_.arms.size();
  for (uint64_t t = shard_; t < layout_.tasks(); t += shards_) {
    uint64_t missing = 0;
    for (uint64_t a = 0; a < A; ++a) missing += done_(t * A + a) ? 0 : 1;
    pending_runs_ += missing;
    pending_tasks_ += missing ? 1 : 0;
  }
}

std::optional<TaskQueue::Task> TaskQueue::scan() {
  const uint64_t A = layout_.arms.size();
  for (; cursor_ < layout_.tasks(); cursor_ += shards_) {
    Task t{cursor_, {}};
    for (uint64_t a = 0; a < A; ++a)
      if (!done_(cursor_ * A + a)) t.arms.push_back(static_cast<uint32_t>(a));
    if (!t.arms.empty()) {
      cursor_ += shards_;
      return t;
    }
  }
  return std::nullopt;
}

std::optional<TaskQueue::Task> TaskQueue::next() {
  std::lock_guard lock(mutex_);
  return scan();
}

// --- Local execution ------------------------------------------------------------------------

void run_tasks(const SweepPlan& plan, const TaskSource& next, const ExecOptions& options,
               const std::function<void(std::vector<RunRecord>)>& sink) {
  std::optional<tbb::global_control> limit;
  if (options.threads > 0)
    limit.emplace(tbb::global_control::max_allowed_parallelism, options.threads);
  const std::atomic<bool>* cancel = options.hooks.cancel;
  const int loops = options.threads > 0 ? options.threads : tbb::this_task_arena::max_concurrency();
  // One loop per thread, each taking tasks until there are none. Isolation keeps a thread that
  // waits inside a run (the model's parallel loops) from starting another task, so at most
  // `threads` worlds exist at once (memory); once the loops run out of tasks, their threads help
  // inside the runs still going.
  tbb::parallel_for(
      0, loops, 1,
      [&](int) {
        while (!(cancel && cancel->load())) {
          const std::optional<TaskQueue::Task> t = next();
          if (!t) return;
          tbb::this_task_arena::isolate([&] {
            try {
              sink(run_task(plan, t->task, t->arms, options.hooks));
            } catch (const Cancelled&) {
              // Unfinished runs leave no record: a resumed sweep runs them again.
            }
          });
        }
      },
      tbb::simple_partitioner{});
}

// --- Summaries ------------------------------------------------------------------------------

std::vector<ArmSummary> summarise_sample(const SweepLayout& L,
                                         const std::vector<MetricSpec>& metrics,
                                         std::span<const RunRecord> records) {
  const size_t A = L.arms.size(), R = L.replicates, M = metrics.size();
  if (records.size() != A * R)
    throw std::invalid_argument(
        fmt::format("summarise_sample: {} records, expected {}", records.size(), A * R));
  const std::optional<size_t> base = find_name(L.arms, L.baseline_arm);
  const std::optional<size_t> exploited = find_name(L.totals, "exploited"),
                              cost = find_name(L.totals, "cost_total");

  auto mean_sd = [](const std::vector<double>& v, double& mean, double& sd) {
    const size_t n = v.size();
    if (n == 0) {
      mean = sd = kNaN;
      return;
    }
    double sum = 0;
    for (double x : v) sum += x;
    mean = sum / static_cast<double>(n);
    if (n < 2) {
      sd = kNaN;
      return;
    }
    double ss = 0;
    for (double x : v) ss += (x - mean) * (x - mean);
    sd = std::sqrt(ss / static_cast<double>(n - 1));
  };

  std::vector<ArmSummary> out(A);
  std::vector<double> values, costs;
  for (size_t a = 0; a < A; ++a) {
    ArmSummary& s = out[a];
    s.mean.assign(M, kNaN);
    s.sd.assign(M, kNaN);
    for (size_t r = 0; r < R; ++r) (records[r * A + a].ok ? s.ok : s.failed) += 1;
    for (size_t m = 0; m < M; ++m) {
      values.clear();
      costs.clear();
      const MetricSpec& spec = metrics[m];
      for (size_t r = 0; r < R; ++r) {
        const RunRecord& run = records[r * A + a];
        if (!run.ok) continue;
        if (spec.kind == MetricSpec::Kind::total) {
          values.push_back(run.totals[spec.total]);
          continue;
        }
        if (!base || !exploited) continue;
        const RunRecord& b = records[r * A + *base];
        if (!b.ok) continue;
        // cases averted = baseline exploited − arm exploited (same replicate: paired draws)
        values.push_back(b.totals[*exploited] - run.totals[*exploited]);
        if (cost) costs.push_back(run.totals[*cost] - b.totals[*cost]);
      }
      if (spec.kind == MetricSpec::Kind::cost_per_case_averted) {
        double averted = kNaN, extra = kNaN, unused = 0;
        mean_sd(values, averted, unused);
        mean_sd(costs, extra, unused);
        // cost per case averted = mean extra cost / mean cases averted
        s.mean[m] = averted > 0 ? extra / averted : kNaN;
        s.sd[m] = kNaN;
      } else {
        mean_sd(values, s.mean[m], s.sd[m]);
      }
    }
  }
  return out;
}

}  // namespace fourp
