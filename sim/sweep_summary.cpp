// Sweep summaries (sweep_summary.h): per (sample, arm) means and standard deviations, and the
// Sobol' indices of those means.
#include "sim/sweep_summary.h"

#include <algorithm>
#include <cmath>
#include <limits>
#include <optional>
#include <stdexcept>

#include <fmt/format.h>

#include "sim/find_name.h"

namespace fourp {

namespace {

constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();

}  // namespace

std::vector<ArmSummary> summarise_sample(const SweepLayout& L,
                                         const std::vector<MetricSpec>& metrics,
                                         std::span<const RunRecord> records) {
  const size_t A = L.arms.size(), R = L.replicates, M = metrics.size();
  if (records.size() != A * R)
    throw std::invalid_argument(
        fmt::format("summarise_sample: {} records, expected {}", records.size(), A * R));
  const std::optional<size_t> base = find_name(L.arms, L.baseline_arm);

  auto mean_sd = [](const std::vector<double>& v, double& mean, double& sd) {
    const size_t n = v.size();
    if (n == 0) {
      mean = sd = kNaN;
      return;
    }
    double sum = 0;
    for (double x : v) sum += x;
    mean = sum / static_cast<double>(n);
    if (n < 2) {
      sd = kNaN;
      return;
    }
    double ss = 0;
    for (double x : v) ss += (x - mean) * (x - mean);
    sd = std::sqrt(ss / static_cast<double>(n - 1));
  };

  std::vector<ArmSummary> out(A);
  std::vector<double> values, costs;
  for (size_t a = 0; a < A; ++a) {
    ArmSummary& s = out[a];
    s.mean.assign(M, kNaN);
    s.sd.assign(M, kNaN);
    for (size_t r = 0; r < R; ++r) (records[r * A + a].ok ? s.ok : s.failed) += 1;
    for (size_t m = 0; m < M; ++m) {
      values.clear();
      costs.clear();
      const MetricSpec& spec = metrics[m];
      for (size_t r = 0; r < R; ++r) {
        const RunRecord& run = records[r * A + a];
        if (!run.ok) continue;
        if (spec.kind == MetricSpec::Kind::total) {
          values.push_back(run.totals[spec.total]);
          continue;
        }
        if (!base) continue;
        const RunRecord& b = records[r * A + *base];
        if (!b.ok) continue;
        // improvement = sign · (baseline − arm) of the headline (same replicate: paired draws)
        values.push_back(spec.sign * (b.totals[spec.total] - run.totals[spec.total]));
        if (spec.kind == MetricSpec::Kind::cost_per_improvement)
          costs.push_back(run.totals[spec.cost] - b.totals[spec.cost]);
      }
      if (spec.kind == MetricSpec::Kind::cost_per_improvement) {
        double averted = kNaN, extra = kNaN, unused = 0;
        mean_sd(values, averted, unused);
        mean_sd(costs, extra, unused);
        // cost per unit = mean extra cost / mean improvement
        s.mean[m] = averted > 0 ? extra / averted : kNaN;
        s.sd[m] = kNaN;
      } else {
        mean_sd(values, s.mean[m], s.sd[m]);
      }
    }
  }
  return out;
}

SweepSummary summarise_sweep(const SweepLayout& L, const SampleRecords& records_of) {
  std::vector<MetricSpec> metrics;
  for (const auto& m : L.metrics) {
    auto spec = resolve_metric(m, L.outputs);
    if (!spec) throw std::invalid_argument(fmt::format("summarise_sweep: unknown metric '{}'", m));
    metrics.push_back(*spec);
  }
  const size_t A = L.arms.size(), M = metrics.size(), P = L.parameters.size();
  const uint32_t S = L.sample_count();
  SweepSummary out;
  out.rows.reserve(size_t{S} * A);
  std::vector<RunRecord> records;
  for (uint32_t j = 0; j < S; ++j) {
    records_of(j, records);
    for (ArmSummary& s : summarise_sample(L, metrics, records)) out.rows.push_back(std::move(s));
  }
  if (L.sobol_base == 0) return out;
  // Sobol' indices need every sample's mean of an arm and metric, in design order.
  std::vector<double> y(S);
  out.sobol.reserve(A * M * P);
  for (size_t a = 0; a < A; ++a)
    for (size_t m = 0; m < M; ++m) {
      for (uint32_t j = 0; j < S; ++j) y[j] = out.rows[size_t{j} * A + a].mean[m];
      const auto idx = sobol_indices(y, P, {L.bootstrap, L.design_seed});
      out.sobol.insert(out.sobol.end(), idx.begin(), idx.end());
    }
  return out;
}

}  // namespace fourp
