// What a sweep's runs say, sample by sample: the mean and standard deviation of every metric of
// each (sample, arm) over its replicates, and — for Sobol' designs — the first-order and total
// Sobol' indices of those means (sensitivity.h). Computed here, from run records, and handed to
// the writer of the sweep file (output/sweep_writer.h) as data.
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
};

// The summaries of one sample, one per arm, from its records (`records[replicate * arms + arm]`,
// the sample's runs in run order; a failed record counts as missing). Totals metrics: mean and
// sample standard deviation over the replicates that ran (sd NaN below 2). cases_averted:
// over replicates where the arm and the baseline both ran. cost_per_case_averted: mean extra cost
// / mean cases averted over those replicates, NaN unless cases averted are positive; sd NaN.
// Sums run in replicate order: the same records give the same bits.
std::vector<ArmSummary> summarise_sample(const SweepLayout& layout,
                                         const std::vector<MetricSpec>& metrics,
                                         std::span<const RunRecord> records);

// The summary of a whole sweep.
struct SweepSummary {
  std::vector<ArmSummary> rows;   // [sample · arms + arm]: the /summary table
  std::vector<SobolIndex> sobol;  // [(arm · metrics + metric) · parameters + parameter]; empty
                                  // unless the design is sobol: the /sobol table
};

// Fills `records` with the records of one sample, in run order (SweepLayout::run numbering).
using SampleRecords = std::function<void(uint32_t sample, std::vector<RunRecord>& records)>;

// Summarises every sample (summarise_sample, samples in order) and, for a sobol design, computes
// the indices of each arm's and metric's sample means with layout.bootstrap resamples seeded by
// layout.design_seed. Memory grows with samples and arms, not with replicates. Throws
// std::invalid_argument for a metric of the layout that resolve_metric does not know.
SweepSummary summarise_sweep(const SweepLayout& layout, const SampleRecords& records_of);

}  // namespace fourp
