// Runs every (arm, replicate) of a scenario, in parallel across runs and inside runs, and
// gathers the results. Results are identical for any thread count: each run is a pure function
// of (scenario, arm, replicate), and every reduction is done in a fixed order.
//
//   RunOptions opt; opt.threads = 2;
//   Results r = run_scenario(scenario, opt);
#pragma once

#include <atomic>
#include <cstdint>
#include <functional>
#include <vector>

#include "sim/results.h"
#include "sim/scenario.h"

namespace fourp {

struct RunOptions {
  int threads = 0;  // 0: every core
  // Order in which replicates are started; empty: 0, 1, 2, … (tests permute it to show that the
  // schedule does not change the numbers).
  std::vector<uint32_t> replicate_order;
  // Called after every step of every run with (steps done, steps in all); from any thread.
  std::function<void(size_t, size_t)> on_progress;
  // The scenario's network file, read (and checked) once by the caller; when null and the
  // scenario needs one, the runner reads it and throws InputError on bad lines.
  const NetworkFile* network_file = nullptr;
  // Set to true (e.g. by a signal handler) to stop early; run_scenario then throws Cancelled.
  const std::atomic<bool>* cancel = nullptr;
};

struct Cancelled : std::runtime_error {
  Cancelled() : std::runtime_error("cancelled") {}
};

Results run_scenario(const Scenario& scenario, const RunOptions& options);

}  // namespace fourp
