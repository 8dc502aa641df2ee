// What a sweep's runs say, sample by sample: the mean and standard deviation of every metric of
// each (sample, arm) over its replicates; for every arm and metric the share of the variance that
// is replicate noise; for Sobol' designs the first-order and total indices (of the mean response
// when there are replicates) with their convergence; for Morris designs the elementary effects
// (sensitivity.h). Computed here, from run records, and handed to the writer of the sweep file
// (output/sweep_writer.h) as data.
//
//   SweepSummary s = summarise_sweep(plan.layout, [&](uint32_t sample, auto& records) {
//     records = the sample's records, in run order;
//   });
//   s.rows[sample * arms + arm].mean[metric];  s.sobol[(arm * metrics + metric) * d + parameter];
#pragma once

#include <cstdint>
#include <functional>
#include <span>
#include <vector>

#include "sim/sensitivity.h"
#include "sim/sweep.h"
#include "sim/sweep_runner.h"

namespace fourp {

// Mean and standard deviation of every metric of one (sample, arm) over its replicates.
struct ArmSummary {
  uint32_t ok = 0, failed = 0;   // replicates
  std::vector<double> mean, sd;  // per metric (SweepLayout::metrics); NaN where undefined
  std::vector<uint32_t> count;   // per metric: the replicates behind mean and sd
};

// The summaries of one sample, one per arm, from its records (`records[replicate * arms + arm]`,
// the sample's runs in run order; a failed record counts as missing). Totals metrics: mean and
// sample standard deviation over the replicates that ran (sd NaN below 2). cases_averted:
// over replicates where the arm and the baseline both ran. cost_per_case_averted: mean extra cost
// / mean cases averted over those replicates, NaN unless cases averted are positive; sd NaN.
// Sums run in replicate order: the same records give the same bits.
// With `values`, also each metric's value replicate by replicate: values[(arm · metrics + metric)
// · replicates + replicate], NaN where the run failed (and for ratio metrics, which have no value
// of one replicate).
std::vector<ArmSummary> summarise_sample(const SweepLayout& layout,
                                         const std::vector<MetricSpec>& metrics,
                                         std::span<const RunRecord> records,
                                         std::vector<double>* values = nullptr);

// How much of a metric's variation over the whole sweep is replicate noise (a one-way analysis of
// variance over samples): `share` is the within-sample sum of squares over the total sum of
// squares of every run's value about the grand mean, in [0, 1]; `replicate_variance` the pooled
// within-sample variance, `total_variance` the variance of every run's value. NaN below 2
// replicates, and for ratio metrics.
struct NoiseShare {
  double replicate_variance = 0, total_variance = 0, share = 0;
};

// One Sobol' index pair of an arm, metric and parameter.
struct SobolResult {
  bool read = true;      // false: the arm never reads the parameter; nothing is estimated
  bool of_mean = false;  // the indices of the mean response (≥ 2 replicates; not ratios)
  SobolIndex index;      // the estimate at N base points with bootstrap 95% intervals
  double first_plain = 0, total_plain = 0;  // the plain estimators on the replicate means
  IndexConvergence first, total;            // estimates at N/2, N/4; determined or not
};

// Morris's elementary effects of an arm, metric and parameter.
struct MorrisResult {
  bool read = true;
  MorrisEffect effect;
};

// The summary of a whole sweep.
struct SweepSummary {
  std::vector<ArmSummary> rows;      // [sample · arms + arm]: the /summary table
  std::vector<NoiseShare> noise;     // [arm · metrics + metric]: the /noise table
  std::vector<SobolResult> sobol;    // [(arm · metrics + metric) · parameters + parameter]; empty
                                     // unless the design is sobol: the /sobol table
  std::vector<MorrisResult> morris;  // the same order; empty unless morris: the /morris table
};

// Fills `records` with the records of one sample, in run order (SweepLayout::run numbering).
using SampleRecords = std::function<void(uint32_t sample, std::vector<RunRecord>& records)>;

// Summarises every sample (summarise_sample, samples in order) and the noise shares; for a sobol
// design computes each arm's and metric's indices (of the mean response from the replicates'
// values when there are 2 or more, else of the sample means) at N, N/2 and N/4 base points; for
// a morris design the elementary effects of the sample means; intervals with layout.bootstrap
// resamples seeded by layout.design_seed. Memory grows with samples and arms, and with
// replicates for sobol designs. Throws std::invalid_argument for a metric of the layout that
// resolve_metric does not know.
SweepSummary summarise_sweep(const SweepLayout& layout, const SampleRecords& records_of);

}  // namespace fourp
