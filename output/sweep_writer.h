// Writing the sweep file, or the file of one shard, from a journal holding every run of it (the
// layout of sweep_file.h). The summaries and Sobol' indices are computed beforehand
// (sim/sweep_summary.h) and written as given.
//
//   write_sweep_file(L, journal, summarise_journal(L, journal), "sweep.h5", false);
//   write_shard_file(L, journal, "sweep.shard-1-of-4.h5", false, 1, 4);
#pragma once

#include <cstdint>
#include <filesystem>

#include "output/sweep_journal.h"
#include "sim/sweep.h"
#include "sim/sweep_summary.h"

namespace fourp {

// Writes the file atomically (write_atomically; InputError when `out` exists and not
// `overwrite`). Streams the journal: memory does not grow with the number of runs.
// std::logic_error when a run of the file is missing from the journal.
void write_sweep_file(const SweepLayout& layout, const SweepJournal& journal,
                      const SweepSummary& summary, const std::filesystem::path& out,
                      bool overwrite);
// The same for shard `shard` of `shards` (> 1): its runs only, no summaries.
void write_shard_file(const SweepLayout& layout, const SweepJournal& journal,
                      const std::filesystem::path& out, bool overwrite, uint32_t shard,
                      uint32_t shards);

}  // namespace fourp
