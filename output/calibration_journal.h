// The journal of a calibration (`<output>.journal`): every finished generation of the sampler,
// appended and synced as it is made, so that `fourp calibrate --resume` after Ctrl-C, kill -9 or
// a power cut continues from the last one and writes the file an uninterrupted calibration
// writes (the sampler's next generation is a pure function of the previous one, sim/smc.h).
//
// Format: a record journal (output/record_journal.h) of magic "FOURPCJ1" and the plan's hash,
// one record a generation. A payload is one
// SmcGeneration: generation u32, dimension u32, particles u64, temperature, ess,
// acceptance_rate f64, move_rounds u32, evaluations, failed_evaluations u64, then z, theta
// (particles × dimension f64 each), log_likelihood, log_weight (particles f64 each); little
// endian. A record cut short or failing its checksum ends the journal (the generation is made
// again).
#pragma once

#include <cstdint>
#include <filesystem>
#include <string_view>
#include <vector>

#include "output/record_journal.h"
#include "sim/smc.h"

namespace fourp {

// FNV-1a of text: what a journal's header holds of the calibration it belongs to.
uint64_t calibration_hash(std::string_view text);

// The generations of an existing journal, in order, up to the first damaged record. Throws
// InputError when the file is not a calibration journal or belongs to another calibration
// (another hash): resuming it would mix two calibrations.
std::vector<SmcGeneration> read_calibration_journal(const std::filesystem::path& path,
                                                    uint64_t hash);

class CalibrationJournal {
 public:
  // A new journal (fails with InputError if the file exists), its header synced.
  static CalibrationJournal create(const std::filesystem::path& path, uint64_t hash);
  // An existing journal holding `generations` (as read): anything after them is cut off.
  static CalibrationJournal reopen(const std::filesystem::path& path,
                                   const std::vector<SmcGeneration>& generations);
  // Appends one generation and syncs it to the disk.
  void write(const SmcGeneration& g);

 private:
  explicit CalibrationJournal(RecordJournal journal) : journal_(std::move(journal)) {}
  RecordJournal journal_;
};

}  // namespace fourp
