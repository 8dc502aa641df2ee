#include "sim/sweep_runner.h"

#include <tbb/global_control.h>
#include <tbb/parallel_for.h>
#include <tbb/task_arena.h>

#include <algorithm>

#include <fmt/format.h>

#include "sim/model.h"
#include "sim/runner.h"
#include "sim/world.h"

namespace fourp {

namespace {

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
    // The sample's values, and the uncertain parameters it does not fix drawn for this replicate
    // as `fourp run` draws them: the world and every arm of the task share them.
    scenario = task_scenario(plan, sample, replicate);
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

}  // namespace fourp
