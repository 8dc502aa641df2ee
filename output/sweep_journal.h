// The journal that makes a sweep survive being killed (`<output>.journal`): every run's record,
// on the disk as soon as the run ends, from which the sweep file is written at the end.
//
//   SweepJournal j = SweepJournal::create("out.h5.journal", plan.layout, 0, 1);
//   j.write(record);  j.sync();                 // or through a JournalWriter (journal_writer.h)
//   std::vector<RunStatus> done = SweepJournal::open("out.h5.journal", plan.layout, 0, 1).scan();
//
// A header (magic, layout hash, runs, shard) and one fixed-size slot per run at offset
// 4096 + run · slot_size, written with pwrite and made durable with fdatasync as runs complete.
// A slot holds the run number + 1, ok or failed, the totals, the error (first 200 bytes) and a
// checksum; an empty (hole) or torn slot reads as "not recorded", so a sweep killed at any moment
// — SIGKILL, node failure — loses at most the runs that were not yet synced, and `--resume`
// reruns exactly those. Native byte order: a journal belongs to the machine (or cluster) that
// wrote it.
#pragma once

#include <cstdint>
#include <filesystem>
#include <vector>

#include "sim/sweep.h"
#include "sim/sweep_runner.h"
#include "sim/sweep_summary.h"

namespace fourp {

inline constexpr size_t kJournalErrorBytes = 200;  // errors are cut to this length in journals

// The journal of one sweep (or one shard of it). Move-only; closes its file when destroyed.
class SweepJournal {
 public:
  // A new journal; InputError when the file exists or cannot be created.
  static SweepJournal create(const std::filesystem::path& path, const SweepLayout& layout,
                             uint32_t shard, uint32_t shards);
  // An existing journal, to resume: InputError when it is not a journal, or belongs to another
  // sweep (hash), another shard, or another number of runs.
  static SweepJournal open(const std::filesystem::path& path, const SweepLayout& layout,
                           uint32_t shard, uint32_t shards);
  SweepJournal(SweepJournal&& other) noexcept;
  SweepJournal& operator=(SweepJournal&&) = delete;
  ~SweepJournal();

  // Per run: not recorded (or torn), ok or failed. `damaged`, when given, receives the number
  // of slots that hold bytes but no valid record (a torn write, a damaged disk): those runs are
  // not recorded, and a resumed sweep runs them again.
  std::vector<RunStatus> scan(uint64_t* damaged = nullptr) const;
  // Writes a run's slot (pwrite; safe from several threads for different runs). Not yet durable.
  void write(const RunRecord& record);
  void sync();  // fdatasync: every slot written so far is on the disk
  // Slots [first, first + count): records[i] and present[i] (false: not recorded or torn);
  // with `written`, written[i] is whether slot i holds any byte other than zero.
  void read(uint64_t first, uint64_t count, std::vector<RunRecord>& records,
            std::vector<bool>& present, std::vector<bool>* written = nullptr) const;
  const std::filesystem::path& path() const { return path_; }
  void remove();  // closes and deletes the file

 private:
  SweepJournal(std::filesystem::path path, int fd, const SweepLayout& layout);
  std::filesystem::path path_;
  int fd_ = -1;
  uint64_t runs_ = 0;
  size_t totals_ = 0, slot_size_ = 0;
};

// The summaries and Sobol' indices of a whole sweep (sim/sweep_summary.h) from a journal holding
// every run, read one sample at a time; a run not in the journal counts as failed.
SweepSummary summarise_journal(const SweepLayout& layout, const SweepJournal& journal);

}  // namespace fourp
