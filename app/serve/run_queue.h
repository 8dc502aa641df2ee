// The web app's runs: queued, run one at a time on a worker thread with the engine in-process
// (sim/runner.h), their progress readable at any moment, each one cancellable. A finished run
// writes its results file and its report into the workspace's `results/` atomically; a cancelled
// or failed one writes nothing, and the queue goes on with the next.
#pragma once

#include <atomic>
#include <condition_variable>
#include <cstdint>
#include <deque>
#include <filesystem>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <thread>
#include <vector>

#include <nlohmann/json.hpp>

#include "app/scenario_input.h"

namespace fourp::serve {

class Workspace;

struct RunLimits {
  // Agents × steps × replicates × arms of one run: the most one click may ask of the machine.
  double max_agent_steps = 5e9;
  int max_threads = 0;  // 0: every core
};

struct RunRequest {
  std::string scenario;                // workspace-relative name
  std::optional<uint32_t> replicates;  // the scenario's own when none
  int threads = 0;                     // 0: the limit's
};

class RunQueue {
 public:
  // `write_lock` is held while any file is written (one atomic write at a time per process).
  RunQueue(const Workspace& workspace, RunLimits limits, std::mutex& write_lock);
  ~RunQueue();  // cancels what runs and waits for the worker
  RunQueue(const RunQueue&) = delete;
  RunQueue& operator=(const RunQueue&) = delete;

  // Reads and checks the scenario now, so that bad input is refused at once: throws InputError
  // with every diagnostic (file:line:col), or when the run exceeds the limits. The run's id.
  int submit(const RunRequest& request);
  // Asks the run to stop; false when there is no such run or it has already ended.
  bool cancel(int id);
  // {"id", "scenario", "state": queued|running|done|failed|cancelled, "done", "total", "elapsed",
  //  "results", "report", "error", "version"}; none for an unknown id.
  std::optional<nlohmann::json> status(int id) const;
  nlohmann::json all() const;
  // Blocks until the run's state changes from `version` (or `timeout_ms` passes); its status.
  std::optional<nlohmann::json> wait(int id, uint64_t version, int timeout_ms) const;

 private:
  struct Job;
  void work();
  void run(Job& job);
  nlohmann::json describe(const Job& job) const;

  const Workspace& workspace_;
  RunLimits limits_;
  std::mutex& write_lock_;
  mutable std::mutex mutex_;
  mutable std::condition_variable changed_;
  std::deque<std::shared_ptr<Job>> jobs_;  // every run since the server started
  int next_id_ = 1;
  bool stopping_ = false;
  std::thread worker_;
};

}  // namespace fourp::serve
