// `fourp merge SHARD.h5 ... -o sweep.h5`: the shard files of one sweep (`fourp sweep --shard
// I/N`) into the sweep file a single run writes — refused for shards of different sweeps (hash),
// missing or repeated shards.
#include <fmt/format.h>

#include <unistd.h>
#include <csignal>
#include <filesystem>

#include "app/sweep_commands.h"
#include "output/results_file.h"
#include "output/sweep_file.h"
#include "sim/input_files.h"

namespace fourp::app {

namespace {

// Ctrl-C or kill: remove the temporary sweep file and leave at once (the shards are untouched;
// the temporary journal next to the output is left behind and removed by the next merge).
extern "C" void merge_on_signal(int sig) {
  remove_pending_outputs();
  _exit(128 + sig);
}

}  // namespace

int merge_command(const MergeArgs& args) {
  const std::vector<std::filesystem::path> inputs(args.shards.begin(), args.shards.end());
  for (const auto& shard : inputs) note_input_file(shard);  // -o may not name one of them
  std::signal(SIGINT, merge_on_signal);
  std::signal(SIGTERM, merge_on_signal);
  merge_shard_files(inputs, args.output, args.overwrite);
  const SweepFileInfo info = read_sweep_info(args.output);
  if (!args.quiet)
    fmt::print("wrote {}: {} runs from {} shards{}\n", args.output, info.runs, inputs.size(),
               info.failed_runs
                   ? fmt::format(", {} failed (see /runs: ok = 0, error)", info.failed_runs)
                   : "");
  return info.failed_runs ? 3 : 0;
}

}  // namespace fourp::app
