// `fourp merge`: the shard files of one sweep (`fourp sweep --shard I/N`) into the sweep file a
// single run would have written.
//
//   merge_shard_files({"s.shard-0-of-2.h5", "s.shard-1-of-2.h5"}, "s.h5", false, outputs, drawn);
#pragma once

#include <filesystem>
#include <vector>

#include "sim/declarations.h"
#include "sim/uncertainty.h"

namespace fourp {

// Checks that the shard files are of one sweep (same hash) and together hold every shard exactly
// once, then writes the sweep file. InputError for shards of different sweeps, missing or
// repeated shards, or an existing `out`. `outputs` are the declarations of the sweep's model
// kind: the derived metrics (an improvement, its cost per unit) are summarised again with them.
// `drawn` are the uncertain parameters the runs drew (the stored scenario's `uncertainty:`; empty
// without): their values in /runs are computed again from them, and their paths must be the
// shards' drawn_parameters (else InputError).
void merge_shard_files(const std::vector<std::filesystem::path>& shards,
                       const std::filesystem::path& out, bool overwrite,
                       const OutputDeclarations& outputs,
                       const std::vector<UncertainParameter>& drawn);

}  // namespace fourp
