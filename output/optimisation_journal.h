// The journal of an optimisation (`<output>.journal`): every candidate evaluated, with its
// evaluation, in the order evaluated, appended and synced after each batch, so that `fourp
// optimise --resume` after Ctrl-C, kill -9 or a power cut takes them as evaluated and the search
// — deterministic given its evaluations — replays to the file an uninterrupted one writes.
//
// Format: a record journal (output/record_journal.h) of magic "FOURPOJ1" and the optimisation's
// hash, one record a candidate: evaluator u32 (0: the search's replicates, 1: the fresh ones),
// subsets u32, each its size u32 and ids u32, numbers u32 and values f64, ok u8, error length u32
// and bytes, objective, objective_half, cost, cost_half f64, replicates u32 and per replicate the
// objective and the cost f64; little endian.
#pragma once

#include <cstdint>
#include <filesystem>
#include <vector>

#include "output/record_journal.h"
#include "sim/optimiser.h"

namespace fourp {

struct JournalEntry {
  uint32_t evaluator = 0;
  Candidate candidate;
  Evaluation evaluation;
};

// The entries of an existing journal, in order, up to the first damaged record. Throws
// InputError when the file is not an optimisation journal or belongs to another optimisation.
std::vector<JournalEntry> read_optimisation_journal(const std::filesystem::path& path,
                                                    uint64_t hash);

class OptimisationJournal {
 public:
  // A new journal (InputError if the file exists), its header synced.
  static OptimisationJournal create(const std::filesystem::path& path, uint64_t hash);
  // An existing journal holding `entries` (as read): anything after them is cut off.
  static OptimisationJournal reopen(const std::filesystem::path& path, size_t entries);
  // Appends one entry and syncs it to the disk.
  void write(const JournalEntry& e);

 private:
  explicit OptimisationJournal(RecordJournal journal) : journal_(std::move(journal)) {}
  RecordJournal journal_;
};

}  // namespace fourp
