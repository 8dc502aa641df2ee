// The HDF5 sweep file and its shard files: their layout, kinds and format version — what the
// writer (sweep_writer.h), the reader (sweep_reader.h) and the merger (sweep_merge.h) agree on.
// Runs reach the file through the sweep's journal (sweep_journal.h):
//
//   SweepJournal j = SweepJournal::create("out.h5.journal", plan.layout, 0, 1);
//   JournalWriter w(j);                                    // writes + syncs on its own thread
//   run_tasks(plan, queue, {}, [&](RunRecord r) { w.push(std::move(r)); });
//   w.finish();
//   write_sweep_file(plan.layout, j, summarise_journal(plan.layout, j), "out.h5", false);
//   j.remove();                                            // the file is written atomically
//
// Sweep file layout (kind "fourp sweep", sweep_format_version 2):
//   /            attrs kind, sweep_format_version (i64 = 2), fourp_version, name, sweep (the sweep
//                file's text), sweep_file (its name), hash (16 hex digits), scenario (the base
//                scenario, normalised YAML), design, design_seed (u64), independent_seeds (u32:
//                1 when each sample has seeds of its own, 0 for common random numbers), samples
//                (u32), sobol_base_samples (u32, sobol designs), morris_trajectories and
//                morris_levels (u32, morris designs), bootstrap (u32, sobol and morris),
//                replicates (u32), arms, baseline_arm, parameters, drawn_parameters (only when
//                the scenario has uncertain parameters the sweep does not fix: their paths),
//                totals, metrics (strings / string arrays), arm_reads (one string per arm, one
//                '1' or '0' per parameter: whether the arm reads it), runs (u64), failed_runs
//                (u64), created_utc (ISO 8601; SOURCE_DATE_EPOCH when set)
//   /samples     table [sample]: sample (u32), seed (u32), one f64 column per parameter (named by
//                its path); sobol designs also sobol_point (u32) and sobol_matrix ("A", "B" or
//                "AB:<parameter>")
//   /runs        table [run]: run (u64), sample (u32), arm (string), replicate (u32), seed (u32),
//                one f64 column per drawn parameter (named by its path: the value the run drew,
//                the same for every arm of a (sample, replicate); none without drawn_parameters),
//                ok (u8), one f64 column per total (NaN when failed), error (string). The drawn
//                values are a pure function of (seed, replicate, path) (sim/uncertainty.h): the
//                writer computes them from the layout, the journal does not carry them.
//   /summary     table [sample × arm]: sample (u32), arm (string), the parameters (f64),
//                replicates_ok, replicates_failed (u32), then <metric>_mean, <metric>_sd (f64)
//                for every metric — one row per sample and arm, samples in order
//   /noise       table [arm × metric]: arm, metric (strings), replicate_variance (the pooled
//                within-sample variance), total_variance (of every run's value), stochastic_share
//                (the within-sample sum of squares over the total, in [0, 1]) (f64); NaN below 2
//                replicates and for ratio metrics (sim/sweep_summary.h NoiseShare)
//   /sobol       (sobol designs) table [arm × metric × parameter]: arm, metric, parameter
//                (strings), read (u8), estimator ("mean_response": the indices of the mean
//                response, noise-corrected; "sample_means": plain, on the replicate means — one
//                replicate, or a ratio metric; "not_read": the arm never reads the parameter, all
//                NaN), first, first_low, first_high, total, total_low, total_high (f64: estimates
//                at N base points and bootstrap 95% intervals), first_half, first_quarter,
//                total_half, total_quarter (at N/2 and N/4), first_plain, total_plain (the plain
//                estimators on the means), first_determined, total_determined (u8: interval at
//                most 0.2 wide and moved at most 0.05 from N/2), needed_base_samples (u64) and
//                needed_replicates (u32): what an undetermined index would need, the larger of
//                first and total; 0 when both are determined (sim/sensitivity.h judge_index)
//   /morris      (morris designs) table [arm × metric × parameter]: arm, metric, parameter
//                (strings), read (u8), mu_star, mu_star_low, mu_star_high, mu, mu_low, mu_high,
//                sigma, sigma_low, sigma_high (f64): elementary effects of the sample means per
//                whole range of the parameter, with bootstrap 95% intervals
// A shard file (kind "fourp sweep shard") has the same attributes plus shard_index and
// shard_count (u32), /samples, and /runs with its runs only. Tables are chunked and compressed;
// strings in tables are fixed-length UTF-8 (pandas shows bytes), attributes variable-length.
// The same records always give the same bytes (apart from created_utc): whatever wrote them —
// one process, MPI ranks, shards merged, a resumed sweep. drawn_parameters and its columns came
// with sweeps of uncertain scenarios; files without them are read as before (same version).
#pragma once

#include <cstdint>

namespace fourp {

inline constexpr int64_t kSweepFormatVersion = 2;
inline constexpr const char* kSweepKind = "fourp sweep";        // attribute `kind` of a sweep file
inline constexpr const char* kShardKind = "fourp sweep shard";  // … and of a shard file

}  // namespace fourp
