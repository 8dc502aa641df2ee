// Sweep benchmark (docs/performance.md, "Sweeps"): what scheduling, the journal and the HDF5
// output cost on top of the runs themselves, how two cores compare with one, and whether peak
// memory grows with the number of runs.
//
//   build/bench/fourp_bench_sweep [--runs 1000] [--big 10000] [--repeat 3] [--dir /tmp/x]
//
// The sweep: the flagship scenario (scenarios/rural-district.yaml) at 2,000 agents and 52 steps,
// its five arms, 2 replicates, a Latin hypercube over three parameters with runs / 10 samples.
//  - pure: the same runs in this process (run_tasks, records discarded) — the work itself;
//  - sweep: `fourp sweep` as a user runs it (parse, plan, journal synced per batch, HDF5 file),
//    wall time and peak resident memory of the process (wait4);
//  overhead = (sweep − pure) / sweep, for 1 and 2 threads; speed-up = sweep(1) / sweep(2).
// Each figure is the minimum over --repeat runs (the machine may be shared).
#include <fmt/format.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <cstring>
#include <filesystem>
#include <fstream>

#include "models/builtin_catalog.h"
#include "sim/sweep.h"
#include "sim/sweep_runner.h"

namespace fs = std::filesystem;
using namespace fourp;

namespace {

double seconds_since(std::chrono::steady_clock::time_point t0) {
  return std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
}

std::string sweep_text(uint64_t runs) {
  return fmt::format(R"(# bench/bench_sweep.cpp: {} runs = {} samples x 5 arms x 2 replicates
scenario: {}
set: {{population.size: 2000, steps: 52}}
replicates: 2
design: {{kind: latin_hypercube, samples: {}, seed: 11}}
parameters:
  model.denial: {{min: 0.3, max: 0.9}}
  interventions.media.message.blame: {{min: 0.0, max: 1.0}}
  interventions.partnership.power_sharing: {{min: 0.1, max: 1.0}}
metrics: [exploited_total, prevented_total, engaged_final, cost_total, cost_per_case_averted]
)",
                     runs, runs / 10,
                     (fs::path(FOURP_SOURCE_DIR) / "scenarios" / "rural-district.yaml").string(),
                     runs / 10);
}

// Runs `fourp sweep` and returns (wall seconds, peak RSS in MB).
std::pair<double, double> run_fourp_sweep(const fs::path& sweep, const fs::path& out, int threads) {
  fs::remove(out);
  const std::string threads_arg = std::to_string(threads);
  const auto t0 = std::chrono::steady_clock::now();
  const pid_t pid = fork();
  if (pid == 0) {
    execl(FOURP_EXE, FOURP_EXE, "sweep", sweep.c_str(), "-o", out.c_str(), "--threads",
          threads_arg.c_str(), "-q", static_cast<char*>(nullptr));
    _exit(127);
  }
  int status = 0;
  rusage ru{};
  wait4(pid, &status, 0, &ru);
  const double wall = seconds_since(t0);
  if (!WIFEXITED(status) || WEXITSTATUS(status) != 0) {
    fmt::print(stderr, "fourp sweep failed (status {})\n", status);
    std::exit(1);
  }
  return {wall, static_cast<double>(ru.ru_maxrss) / 1024.0};
}

double pure_runs(const SweepPlan& plan, int threads) {
  TaskQueue queue(plan.layout, 0, 1, [](uint64_t) { return false; });
  ExecOptions opt;
  opt.threads = threads;
  std::atomic<uint64_t> count{0};
  const auto t0 = std::chrono::steady_clock::now();
  run_tasks(
      plan, [&] { return queue.next(); }, opt,
      [&](std::vector<RunRecord> r) { count += r.size(); });
  const double s = seconds_since(t0);
  if (count != plan.layout.runs()) std::exit(1);
  return s;
}

}  // namespace

int main(int argc, char** argv) {
  uint64_t runs = 1000, big = 10000;
  int repeat = 3;
  fs::path dir = fs::temp_directory_path() / "fourp-bench-sweep";
  for (int i = 1; i + 1 < argc; i += 2) {
    if (!std::strcmp(argv[i], "--runs")) runs = std::stoull(argv[i + 1]);
    if (!std::strcmp(argv[i], "--big")) big = std::stoull(argv[i + 1]);
    if (!std::strcmp(argv[i], "--repeat")) repeat = std::atoi(argv[i + 1]);
    if (!std::strcmp(argv[i], "--dir")) dir = argv[i + 1];
  }
  fs::create_directories(dir);
  const fs::path small_sweep = dir / "sweep-small.yaml", big_sweep = dir / "sweep-big.yaml";
  std::ofstream(small_sweep) << sweep_text(runs);
  std::ofstream(big_sweep) << sweep_text(big);

  const Catalog& catalog = models::builtin_catalog();
  Diagnostics diag;
  const SweepPlan plan = parse_sweep_file(small_sweep, catalog, {}, diag);
  if (diag.has_errors()) {
    fmt::print(stderr, "{}", diag.format());
    return 2;
  }
  fmt::print(
      "sweep               {} runs ({} samples x {} arms x {} replicates), {} agents, {} "
      "steps\n",
      plan.layout.runs(), plan.layout.sample_count(), plan.layout.arms.size(),
      plan.layout.replicates, plan.scenario.population.size, plan.scenario.steps);

  double pure[3] = {1e9, 1e9, 1e9}, wall[3] = {1e9, 1e9, 1e9}, rss_small = 0;
  for (int k = 0; k < repeat; ++k)
    for (int threads : {1, 2}) {
      pure[threads] = std::min(pure[threads], pure_runs(plan, threads));
      const auto [w, rss] = run_fourp_sweep(small_sweep, dir / "small.h5", threads);
      wall[threads] = std::min(wall[threads], w);
      rss_small = std::max(rss_small, threads == 2 ? rss : 0.0);
    }
  for (int threads : {1, 2})
    fmt::print(
        "{} thread{}           runs alone {:.2f} s; fourp sweep {:.2f} s; overhead {:.1f}%\n",
        threads, threads == 1 ? " " : "s", pure[threads], wall[threads],
        100.0 * (wall[threads] - pure[threads]) / wall[threads]);
  fmt::print("speed-up 2 vs 1     {:.2f}x (fourp sweep), {:.2f}x (runs alone)\n", wall[1] / wall[2],
             pure[1] / pure[2]);
  const auto [big_wall, rss_big] = run_fourp_sweep(big_sweep, dir / "big.h5", 2);
  fmt::print("peak memory         {:.1f} MB for {} runs, {:.1f} MB for {} runs ({:.1f} s)\n",
             rss_small, runs, rss_big, big, big_wall);
  return 0;
}
