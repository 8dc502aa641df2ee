// `fourp sweep` and `fourp merge` (SCENARIO.md "Sweep file"): their options, registered on the
// program's command line by add_sweep_commands so that main.cpp only wires them in.
//
//   auto run_sweep_commands = add_sweep_commands(app);   // before app.parse
//   if (auto status = run_sweep_commands()) return *status;
//
// Exit status: 0 done, 2 bad input, 3 the sweep file was written but some runs failed (each is
// in /runs with its error), 1 any other failure; 128 + signal when interrupted (the journal keeps
// every finished run: continue with --resume).
#pragma once

#include <functional>
#include <optional>
#include <string>
#include <vector>

namespace CLI {
class App;
}

namespace fourp::app {

struct SweepArgs {
  std::string sweep;
  std::string output;  // empty: <sweep file stem>.h5 (a shard: <stem>.shard-I-of-N.h5) here
  std::string shard;   // "I/N", 0 <= I < N; empty: the whole sweep
  int threads = 0;     // per process (MPI: per rank)
  bool resume = false;
  bool retry_failed = false;
  bool overwrite = false;
  bool force = false;
  bool quiet = false;
};
int sweep_command(const SweepArgs& args);

struct MergeArgs {
  std::vector<std::string> shards;
  std::string output;
  bool overwrite = false;
  bool quiet = false;
};
int merge_command(const MergeArgs& args);

// Adds the `sweep` and `merge` subcommands; the returned function runs the one chosen on the
// command line (after parsing) and returns its exit status, or nothing when neither was chosen.
std::function<std::optional<int>()> add_sweep_commands(CLI::App& app);

}  // namespace fourp::app
