// Executing a sweep: the runs of a SweepPlan as pure functions of (plan, run number), a queue of
// the tasks still to do (resume, shards) and a parallel executor for one process. Knows no file
// format: records go to a sink the caller provides (the journal of output/sweep_journal.h, or an
// MPI rank that forwards them); sweep_summary.h summarises them.
//
//   TaskQueue queue(plan.layout, 0, 1, [](uint64_t) { return false; });  // everything, one shard
//   run_tasks(plan, [&] { return queue.next(); }, {},
//             [&](std::vector<RunRecord> task) { for (auto& r : task) journal.write(r); });
//
// A task is one (sample, replicate): its world is built once and every arm of the sweep runs on
// it (common random numbers). A run that throws is recorded as failed with its error; the
// others go on.
#pragma once

#include <atomic>
#include <cstdint>
#include <functional>
#include <mutex>
#include <optional>
#include <span>
#include <string>
#include <vector>

#include "sim/sweep.h"

namespace fourp {

// What one run leaves: its totals (SweepLayout::totals order), or the error that stopped it.
struct RunRecord {
  uint64_t run = 0;
  bool ok = false;
  std::vector<double> totals;  // empty when failed
  std::string error;           // empty when ok
};

// Where a run of a sweep stands: no record yet (to run, or rerun after a torn write), or
// recorded and ok or failed. (The journal stores ok and failed as numbers: sweep_journal.cpp.)
enum class RunStatus : uint8_t { not_recorded, ok, failed };
inline RunStatus status_of(const RunRecord& r) {
  return r.ok ? RunStatus::ok : RunStatus::failed;
}

struct TaskHooks {
  const std::atomic<bool>* cancel = nullptr;  // checked before every step; then Cancelled is thrown
  // Fault injection (tests, `FOURP_SWEEP_FAIL_RUNS`): runs for which it returns true fail with
  // "injected failure".
  std::function<bool(uint64_t run)> fail;
};

// Runs the given arms (positions in layout.arms, ascending) of one task. One record per arm, in
// that order. Throws only Cancelled.
std::vector<RunRecord> run_task(const SweepPlan& plan, uint64_t task,
                                std::span<const uint32_t> arms, const TaskHooks& hooks = {});

// One run alone (builds its world): the same record as inside run_task.
RunRecord run_single(const SweepPlan& plan, uint64_t run, const TaskHooks& hooks = {});

// Shard `shard` of `shards` holds the tasks t with t mod shards = shard (every arm of a task:
// they share a world), so shards are deterministic, equal to within one task, and interleaved
// over samples (each shard sees early and late samples alike).
inline bool in_shard(uint64_t task, uint32_t shard, uint32_t shards) {
  return task % shards == shard;
}

// The tasks still to do, in ascending order: those of the shard with at least one run not done
// (`done(run)`, e.g. from a journal), each with its arms not done. next() is thread-safe.
class TaskQueue {
 public:
  struct Task {
    uint64_t task = 0;
    std::vector<uint32_t> arms;
  };
  TaskQueue(const SweepLayout& layout, uint32_t shard, uint32_t shards,
            std::function<bool(uint64_t run)> done);
  std::optional<Task> next();
  uint64_t pending_tasks() const { return pending_tasks_; }  // at construction
  uint64_t pending_runs() const { return pending_runs_; }

 private:
  std::optional<Task> scan();  // the next pending task from cursor_, under the lock
  const SweepLayout& layout_;
  uint32_t shard_, shards_;
  std::function<bool(uint64_t)> done_;
  std::mutex mutex_;
  uint64_t cursor_;
  uint64_t pending_tasks_ = 0, pending_runs_ = 0;
};

struct ExecOptions {
  int threads = 0;  // 0: every core
  TaskHooks hooks;
};

// Where tasks come from: a TaskQueue here, or rank 0 of an MPI job. Called from any thread (the
// function serialises itself); nothing (nullopt) means no more tasks.
using TaskSource = std::function<std::optional<TaskQueue::Task>()>;

// Runs tasks from `next` until it has none (or hooks.cancel is set) with oneTBB: one loop per
// thread across tasks, and inside runs when tasks run out (the model's own parallel loops).
// `sink` receives the records of each task as it ends, from any thread, and must be thread-safe.
void run_tasks(const SweepPlan& plan, const TaskSource& next, const ExecOptions& options,
               const std::function<void(std::vector<RunRecord>)>& sink);

}  // namespace fourp
