// fourp_verify: runs the verification experiments (verification/experiments.h) and prints
// docs/verification.md — theory against simulation — on stdout; progress goes to stderr.
// Exit status 0 when every checked row passes, 1 otherwise, 2 for bad arguments.
//
//   build/verification/fourp_verify > docs/verification.md          every experiment
//   build/verification/fourp_verify sir watts                        some of them
//   build/verification/fourp_verify --threads 2 --suite-seconds 300  (scripts/verify.sh)
#include <fmt/format.h>
#include <tbb/global_control.h>

#include <chrono>
#include <cstdlib>
#include <cstring>
#include <optional>
#include <stdexcept>
#include <thread>

#include "verification/experiments.h"

int main(int argc, char** argv) {
  using namespace fourp::verification;
  std::vector<std::string> ids;
  int threads = 0;
  double suite_seconds = -1;
  for (int i = 1; i < argc; ++i) {
    if (!std::strcmp(argv[i], "--threads") && i + 1 < argc) {
      threads = std::atoi(argv[++i]);
    } else if (!std::strcmp(argv[i], "--suite-seconds") && i + 1 < argc) {
      suite_seconds = std::atof(argv[++i]);
    } else if (!std::strcmp(argv[i], "--help") || !std::strcmp(argv[i], "-h")) {
      fmt::print(
          "usage: fourp_verify [--threads N] [--suite-seconds S] [EXPERIMENT ...]\n"
          "experiments: {}\n",
          fmt::join(experiment_ids(), " "));
      return 0;
    } else if (argv[i][0] == '-') {
      fmt::print(stderr, "fourp_verify: unknown option '{}' (see --help)\n", argv[i]);
      return 2;
    } else {
      ids.push_back(argv[i]);
    }
  }
  if (ids.empty()) ids = experiment_ids();
  std::optional<tbb::global_control> limit;
  if (threads > 0) limit.emplace(tbb::global_control::max_allowed_parallelism, threads);

  const auto t0 = std::chrono::steady_clock::now();
  std::vector<Experiment> done;
  try {
    for (const auto& id : ids) {
      fmt::print(stderr, "fourp_verify: {} ...", id);
      done.push_back(run_experiment(id));
      fmt::print(stderr, " {} ({:.1f} s)\n", done.back().pass() ? "pass" : "FAIL",
                 done.back().seconds);
    }
  } catch (const std::invalid_argument& e) {
    fmt::print(stderr, "\nfourp_verify: {}\n", e.what());
    return 2;
  }
  const double total = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
  const unsigned cores = std::thread::hardware_concurrency();
  std::string extra = fmt::format(
      "Machine: {} cores{}.{}\n", cores,
      threads > 0 ? fmt::format(", {} threads", threads) : std::string(),
      suite_seconds >= 0
          ? fmt::format(" The test suite's label (`ctest -L verification`, the same experiments "
                        "and the model tests tagged `[verification]`) took {:.0f} s "
                        "(limit: 600 s).",
                        suite_seconds)
          : std::string());
  fmt::print("{}", markdown(done, total, extra));
  bool pass = true;
  for (const Experiment& e : done) pass = pass && e.pass();
  return pass ? 0 : 1;
}
