// `fourp merge SHARD.h5 ... -o sweep.h5`: the shard files of one sweep (`fourp sweep --shard
// I/N`) into the sweep file a single run writes — refused for shards of different sweeps (hash),
// missing or repeated shards.
#include <fmt/format.h>

#include <filesystem>

#include "app/scenario_input.h"
#include "app/signals.h"
#include "app/sweep_commands.h"
#include "output/sweep_merge.h"
#include "output/sweep_reader.h"
#include "sim/input_files.h"

namespace fourp::app {

int merge_command(const MergeArgs& args) {
  const std::vector<std::filesystem::path> inputs(args.shards.begin(), args.shards.end());
  // Ctrl-C or kill: remove the temporary sweep file and leave at once (the shards are untouched;
  // the temporary journal next to the output is left behind and removed by the next merge).
  catch_signals(OnSignal::leave);
  for (const auto& shard : inputs) note_input_file(shard);  // -o may not name one of them
  // The model's declarations (derived metrics) and the uncertain parameters the runs drew (their
  // values in /runs are computed again), from the scenario the first shard stores; the merge
  // itself checks that every shard is of the same sweep.
  OutputDeclarations outputs;
  std::vector<UncertainParameter> drawn;
  if (!inputs.empty())
    if (auto s = stored_scenario(read_sweep_info(inputs.front()).layout.scenario_yaml)) {
      outputs = s->kind->outputs;
      drawn = s->uncertainty;
    }
  merge_shard_files(inputs, args.output, args.overwrite, outputs, drawn);
  const SweepFileInfo info = read_sweep_info(args.output);
  if (!args.quiet)
    fmt::print("wrote {}: {} runs from {} shards{}\n", args.output, info.runs, inputs.size(),
               info.failed_runs
                   ? fmt::format(", {} failed (see /runs: ok = 0, error)", info.failed_runs)
                   : "");
  return info.failed_runs ? 3 : 0;
}

}  // namespace fourp::app
