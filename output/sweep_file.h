// The files of a sweep: the journal that makes a sweep survive being killed, and the HDF5 sweep
// file (and shard files) assembled from it.
//
//   SweepJournal j = SweepJournal::create("out.h5.journal", plan.layout, 0, 1);
//   JournalWriter w(j);                                    // writes + syncs on its own thread
//   run_tasks(plan, queue, {}, [&](RunRecord r) { w.push(std::move(r)); });
//   w.finish();
//   write_sweep_file(plan.layout, j, "out.h5", false);    // atomic; then
//   j.remove();
//
// Journal (`<output>.journal`): a header (magic, layout hash, runs, shard) and one fixed-size
// slot per run at offset 4096 + run · slot_size, written with pwrite and made durable with
// fdatasync as runs complete (group commit: one sync for all records that arrived meanwhile).
// A slot holds the run number + 1, ok or failed, the totals, the error (first 200 bytes) and a
// checksum; an empty (hole) or torn slot reads as "not done", so a sweep killed at any moment —
// SIGKILL, node failure — loses at most the runs that were not yet synced, and `--resume` reruns
// exactly those. Native byte order: a journal belongs to the machine (or cluster) that wrote it.
//
// Sweep file layout (kind "fourp sweep", sweep_format_version 1):
//   /            attrs kind, sweep_format_version (i64 = 1), fourp_version, name, sweep (the sweep
//                file's text), sweep_file (its name), hash (16 hex digits), scenario (the base
//                scenario, normalised YAML), design, design_seed (u64), samples (u32),
//                sobol_base_samples and bootstrap (u32, sobol designs), replicates (u32), arms,
//                baseline_arm, parameters, totals, metrics (strings / string arrays), runs (u64),
//                failed_runs (u64), created_utc (ISO 8601; SOURCE_DATE_EPOCH when set)
//   /samples     table [sample]: sample (u32), seed (u32), one f64 column per parameter (named by
//                its path); sobol designs also sobol_point (u32) and sobol_matrix ("A", "B" or
//                "AB:<parameter>")
//   /runs        table [run]: run (u64), sample (u32), arm (string), replicate (u32), seed (u32),
//                ok (u8), one f64 column per total (NaN when failed), error (string)
//   /summary     table [sample × arm]: sample (u32), arm (string), the parameters (f64),
//                replicates_ok, replicates_failed (u32), then <metric>_mean, <metric>_sd (f64)
//                for every metric — one row per sample and arm, samples in order
//   /sobol       (sobol designs) table: arm, metric, parameter (strings), first, first_low,
//                first_high, total, total_low, total_high (f64): first-order and total indices of
//                the (sample, arm) means with bootstrap 95% intervals (sim/sensitivity.h)
// A shard file (kind "fourp sweep shard") has the same attributes plus shard_index and
// shard_count (u32), /samples, and /runs with its runs only. Tables are chunked and compressed;
// strings in tables are fixed-length UTF-8 (pandas shows bytes), attributes variable-length.
// The same records always give the same bytes (apart from created_utc): whatever wrote them —
// one process, MPI ranks, shards merged, a resumed sweep.
#pragma once

#include <atomic>
#include <condition_variable>
#include <cstdint>
#include <deque>
#include <exception>
#include <filesystem>
#include <functional>
#include <mutex>
#include <thread>
#include <vector>

#include "output/h5.h"
#include "sim/sweep.h"
#include "sim/sweep_runner.h"

namespace fourp {

inline constexpr int64_t kSweepFormatVersion = 1;
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

  // Per run: not recorded (or torn), ok or failed.
  std::vector<RunStatus> scan() const;
  // Writes a run's slot (pwrite; safe from several threads for different runs). Not yet durable.
  void write(const RunRecord& record);
  void sync();  // fdatasync: every slot written so far is on the disk
  // Slots [first, first + count): records[i] and present[i] (false: not recorded or torn).
  void read(uint64_t first, uint64_t count, std::vector<RunRecord>& records,
            std::vector<bool>& present) const;
  const std::filesystem::path& path() const { return path_; }
  void remove();  // closes and deletes the file

 private:
  SweepJournal(std::filesystem::path path, int fd, const SweepLayout& layout);
  std::filesystem::path path_;
  int fd_ = -1;
  uint64_t runs_ = 0;
  size_t totals_ = 0, slot_size_ = 0;
};

// Writes and syncs records pushed from any thread on a thread of its own (group commit), so runs
// never wait for the disk. `on_durable` is called (on that thread) for each record once synced.
// A write error stops the writer, sets `cancel` (if given) and is rethrown by finish().
class JournalWriter {
 public:
  explicit JournalWriter(SweepJournal& journal,
                         std::function<void(const RunRecord&)> on_durable = {},
                         std::atomic<bool>* cancel = nullptr);
  ~JournalWriter();
  JournalWriter(const JournalWriter&) = delete;
  JournalWriter& operator=(const JournalWriter&) = delete;
  void push(RunRecord record);
  void finish();  // everything pushed is written and synced; then the thread ends

 private:
  void loop();
  SweepJournal& journal_;
  std::function<void(const RunRecord&)> on_durable_;
  std::atomic<bool>* cancel_;
  std::mutex mutex_;
  std::condition_variable cv_;
  std::deque<RunRecord> queue_;
  bool stop_ = false;
  std::exception_ptr error_;
  std::thread thread_;
};

// Writes the sweep file — or with shards > 1 the file of shard `shard` — from a journal holding
// every run of it, atomically (write_atomically; InputError when `out` exists and not
// `overwrite`). Streams the journal: memory does not grow with the number of runs (only the
// per-sample means kept for Sobol' indices grow, with samples). std::logic_error when a run of
// the file is missing from the journal.
void write_sweep_file(const SweepLayout& layout, const SweepJournal& journal,
                      const std::filesystem::path& out, bool overwrite, uint32_t shard = 0,
                      uint32_t shards = 1);

// What a sweep or shard file is.
struct SweepFileInfo {
  SweepLayout layout;
  bool is_shard = false;
  uint32_t shard = 0, shards = 1;
  uint64_t runs = 0, failed_runs = 0;  // in this file
};
// Reads a sweep or shard file's attributes and samples; InputError "path: error: …" when it is
// not one, or its layout does not match its hash (damaged, or written by another fourp version).
SweepFileInfo read_sweep_info(const std::filesystem::path& path);

// True when `path` is a fourp sweep file (not a shard, not a results file).
bool is_sweep_file(const std::filesystem::path& path);

// `fourp merge`: checks that the shard files are of one sweep (same hash) and together hold
// every shard exactly once, then writes the sweep file a single run would have written.
// InputError for shards of different sweeps, missing or repeated shards, or an existing `out`.
void merge_shard_files(const std::vector<std::filesystem::path>& shards,
                       const std::filesystem::path& out, bool overwrite);

// A sweep file read back, for the report and tests.
struct SweepResults {
  SweepFileInfo info;
  h5::Table samples, summary;
  h5::Table sobol;  // no fields for designs without indices
};
SweepResults read_sweep_results(const std::filesystem::path& path);

}  // namespace fourp
