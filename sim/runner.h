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
#include "sim/world.h"

namespace fourp {

class Model;

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

// --- Single runs (what sweeps are made of) ---------------------------------------------------

// What one run does besides simulating: called after every step (any thread), a cancel flag
// checked before every step (then Cancelled is thrown), and whether to keep the per-step
// series. Without series only the totals are filled in (Simulation::observe is const, so totals
// do not depend on it); snapshots follow the scenario's outputs.snapshots either way.
struct RunHooks {
  std::function<void()> after_step;
  const std::atomic<bool>* cancel = nullptr;
  bool keep_series = true;
};

// Runs `model` (one arm of `scenario`, made by scenario.kind->make) on `world` (built by
// build_world for `replicate`): a pure function of its arguments. run_scenario is made of these.
RunResult run_on_world(const Scenario& scenario, const Model& model, const World& world,
                       uint32_t replicate, const RunHooks& hooks = {});

// One arm (index into scenario.arms) of one replicate, alone: builds the replicate's world and
// runs the arm on it. Gives exactly the numbers run_scenario gives for that (arm, replicate).
// `file` is the scenario's network file when network.kind is `file` (read by the caller).
RunResult run_replicate(const Scenario& scenario, size_t arm, uint32_t replicate,
                        const NetworkFile* file, const RunHooks& hooks = {});

}  // namespace fourp
