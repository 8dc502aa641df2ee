// The results file of `fourp run` (SCENARIO.md "Results file (HDF5)"): written atomically — to a
// temporary file in the target's directory, fsync'ed, then renamed over the target — so a failed
// or interrupted run leaves no partial file and an existing file is replaced only on request;
// and read back, checked, by `fourp report`.
//
//   check_output_path(out, overwrite);      // before a long run: fail in a second, not an hour
//   Results r = run_scenario(scenario, opt);
//   r.comparisons = compare_arms(r);
//   write_results(r, out, overwrite);
//   Results again = read_results(out);
//
//   // In a SIGINT/SIGTERM handler, before _exit:
//   remove_pending_outputs();
//
// Layout (format_version 1), datasets in the order the Results lists them (creation order is
// tracked, so h5py/HDFView list arms and metrics as written):
//   /                               attrs format_version (int64 = 1), fourp_version, name,
//                                   scenario (normalised YAML), seed (u64), replicates (u32),
//                                   steps (i64), step_unit, currency, baseline_arm,
//                                   communities (u32), series_names, total_names (string
//                                   arrays), created_utc (ISO 8601, "…Z")
//   /arms/<arm>                     attr interventions (string array, the arm's order)
//   /arms/<arm>/series/<metric>     float64 [replicate, step]  chunked, shuffle + deflate
//   /arms/<arm>/<subgroup>/<metric> float64 [replicate, step]  (when the model declares a
//                                   subgroup: a role, e.g. at_risk)
//   /arms/<arm>/communities/<metric> float32 [replicate, step, community] (outputs.by_community)
//   /arms/<arm>/totals              table [replicate]: replicate (u32), then every total (f64)
//   /arms/<arm>/snapshots/step_<k>  table [agent]: the snapshot's columns in their types;
//                                   attrs step (i64), replicate (u32 = 0)
//   /comparison/<arm>               table [quantity]: quantity (fixed string), mean, low, high
//                                   (f64); attr baseline
//   /parameters                     table [replicate]: replicate (u32), then one f64 column per
//                                   uncertain parameter, named by its path ("model.denial"):
//                                   the value every arm of that replicate ran with. Only when
//                                   the scenario has `uncertainty:` (sim/uncertainty.h)
//   /decision                       which arm to choose at what price (output/decision_file.h):
//                                   the frontier, acceptability and EVPI over willingness to
//                                   pay, EVPPI and PRCC with uncertain parameters. Only with
//                                   two or more arms and a model that declares a cost
//   /network                        attrs nodes (u32), edges (u64), mean_degree, clustering
//                                   (f64); datasets community_sizes (u32), degree_histogram (u64)
// Series datasets also carry an attr `axes` ("replicate,step" or "replicate,step,community").
// Strings are UTF-8: attributes variable-length (h5py: str), table fields fixed-length (bytes).
// The file is in HDF5's newest 1.10 format (superblock 3): every metadata object has a checksum.
// read_results refuses files without (fourp's before 2026-12-02: run the scenario again).
#pragma once

#include <cstdint>
#include <filesystem>
#include <functional>
#include <string_view>

#include "sim/results.h"

namespace fourp {

// Readers refuse other versions; bump it when the layout changes incompatibly.
inline constexpr int64_t kResultsFormatVersion = 1;

// Checks, before any work, that `path` can be written: throws InputError
// ("out.h5: error: file exists (use --overwrite to replace it)") when it exists and `overwrite`
// is false, when it is a directory, or when its directory does not exist or is not writable.
void check_output_path(const std::filesystem::path& path, bool overwrite);

// Writes `results` to `path` atomically. Throws InputError as check_output_path (before anything
// is written; an existing file is never replaced without `overwrite`, even by a concurrent run),
// std::invalid_argument when the results are inconsistent (sizes, names), std::runtime_error
// ("out.h5: error: …") when writing fails (full disk, I/O). After any failure no temporary file
// is left and the target is as it was.
void write_results(const Results& results, const std::filesystem::path& path, bool overwrite);

// Reads a file written by write_results. Throws InputError "path: error: …" when it is missing,
// not an HDF5 file, of another format_version, or lacks a dataset or attribute (named) or has
// one of the wrong shape. Arms, metrics, snapshots and comparisons come back in file order.
// `first_initial` reads only the first snapshot at step 0 (of the first arm that has one): the
// report needs no more, and a run of millions of agents has millions of rows per snapshot.
enum class SnapshotScope { all, first_initial };
Results read_results(const std::filesystem::path& path,
                     SnapshotScope snapshots = SnapshotScope::all);

// The atomic write itself, for any output file (report, CSV, sweep): checks the target as
// check_output_path, calls `write` with a temporary path `.<name>.tmp-<pid>` in the target's
// directory, fsyncs it, then moves it to the target (a hard link when `overwrite` is false, so an
// existing file — even one created meanwhile — is never replaced; rename otherwise) and fsyncs the
// directory. The temporary file is removed on every failure, including exceptions from `write`.
// It is created before `write` is called, and locked (flock) while it exists: temporary files of
// the same target that a killed process left behind (SIGKILL runs no handler) are unlocked, and
// are removed by the next write to that target. One atomic write at a time per process
// (std::logic_error otherwise).
void write_atomically(const std::filesystem::path& target, bool overwrite,
                      const std::function<void(const std::filesystem::path& temp)>& write);

// Writes a report's text to `path` with write_atomically: "path: error: cannot write the report"
// when the disk refuses it.
void write_report_text(const std::filesystem::path& path, bool overwrite, std::string_view text);

// Deletes the temporary file of the write in progress, if any. Only unlink(2) on a path kept in a
// static buffer, so it may be called from a signal handler (then _exit; the interrupted write
// must not continue). Paths longer than 4095 bytes are not registered and not removed.
void remove_pending_outputs() noexcept;

}  // namespace fourp
