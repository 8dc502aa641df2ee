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
                                         std::span<const RunRecord> records,
                                         std::vector<double>* replicate_values) {
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
  if (replicate_values) replicate_values->assign(A * M * R, kNaN);
  for (size_t a = 0; a < A; ++a) {
    ArmSummary& s = out[a];
    s.mean.assign(M, kNaN);
    s.sd.assign(M, kNaN);
    s.count.assign(M, 0);
    for (size_t r = 0; r < R; ++r) (records[r * A + a].ok ? s.ok : s.failed) += 1;
    for (size_t m = 0; m < M; ++m) {
      values.clear();
      costs.clear();
      const MetricSpec& spec = metrics[m];
      for (size_t r = 0; r < R; ++r) {
        const RunRecord& run = records[r * A + a];
        if (!run.ok) continue;
        double* keep = replicate_values && spec.kind != MetricSpec::Kind::cost_per_improvement
                           ? &(*replicate_values)[(a * M + m) * R + r]
                           : nullptr;
        if (spec.kind == MetricSpec::Kind::total) {
          values.push_back(run.totals[spec.total]);
          if (keep) *keep = values.back();
          continue;
        }
        if (!base) continue;
        const RunRecord& b = records[r * A + *base];
        if (!b.ok) continue;
        // improvement = sign · (baseline − arm) of the headline (same replicate: paired draws)
        values.push_back(spec.sign * (b.totals[spec.total] - run.totals[spec.total]));
        if (keep) *keep = values.back();
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
        s.count[m] = static_cast<uint32_t>(values.size());
      } else {
        mean_sd(values, s.mean[m], s.sd[m]);
        s.count[m] = static_cast<uint32_t>(values.size());
      }
    }
  }
  return out;
}

namespace {

// Noise shares of every arm and metric from the rows' means, standard deviations and counts: the
// within-sample sum of squares Σ_j (n_j − 1) sd_j² against the total Σ_j [(n_j − 1) sd_j² + n_j
// (mean_j − grand mean)²] (a one-way analysis of variance over samples).
std::vector<NoiseShare> noise_shares(const std::vector<ArmSummary>& rows, size_t A, size_t M) {
  const size_t S = A == 0 ? 0 : rows.size() / A;
  std::vector<NoiseShare> out(A * M, {kNaN, kNaN, kNaN});
  for (size_t a = 0; a < A; ++a)
    for (size_t m = 0; m < M; ++m) {
      double n = 0, sum = 0, groups = 0;
      bool ok = true;
      for (size_t j = 0; j < S; ++j) {
        const ArmSummary& r = rows[j * A + a];
        if (r.count[m] == 0) continue;
        if (r.count[m] < 2 || std::isnan(r.sd[m])) ok = false;
        n += r.count[m];
        sum += r.count[m] * r.mean[m];
        groups += 1;
      }
      if (!ok || n <= groups) continue;
      const double grand = sum / n;
      double within = 0, between = 0;
      for (size_t j = 0; j < S; ++j) {
        const ArmSummary& r = rows[j * A + a];
        if (r.count[m] == 0) continue;
        const double dm = r.mean[m] - grand;
        within += (r.count[m] - 1) * r.sd[m] * r.sd[m];
        between += r.count[m] * dm * dm;
      }
      NoiseShare& x = out[a * M + m];
      x.replicate_variance = within / (n - groups);  // pooled within-sample variance
      x.total_variance = (within + between) / (n - 1);
      x.share = within + between > 0 ? within / (within + between) : kNaN;
    }
  return out;
}

}  // namespace

SweepSummary summarise_sweep(const SweepLayout& L, const SampleRecords& records_of) {
  std::vector<MetricSpec> metrics;
  for (const auto& m : L.metrics) {
    auto spec = resolve_metric(m, L.outputs);
    if (!spec) throw std::invalid_argument(fmt::format("summarise_sweep: unknown metric '{}'", m));
    metrics.push_back(*spec);
  }
  const size_t A = L.arms.size(), M = metrics.size(), P = L.parameters.size(), R = L.replicates;
  const uint32_t S = L.sample_count();
  const bool sobol = L.sobol_base > 0, morris = L.morris_trajectories > 0;
  SweepSummary out;
  out.rows.reserve(size_t{S} * A);
  std::vector<RunRecord> records;
  // Sobol' designs keep every replicate's value: [arm · metrics + metric][sample · R + replicate].
  std::vector<std::vector<double>> by_replicate(sobol ? A * M : 0);
  std::vector<double> values;
  for (uint32_t j = 0; j < S; ++j) {
    records_of(j, records);
    for (ArmSummary& s : summarise_sample(L, metrics, records, sobol ? &values : nullptr))
      out.rows.push_back(std::move(s));
    if (sobol)
      for (size_t k = 0; k < A * M; ++k)
        by_replicate[k].insert(by_replicate[k].end(), values.begin() + k * R,
                               values.begin() + (k + 1) * R);
  }
  out.noise = noise_shares(out.rows, A, M);
  if (!sobol && !morris) return out;

  const SobolOptions options{L.bootstrap, L.design_seed};
  std::vector<double> y(S);
  if (morris) {
    const MorrisPoints design =
        morris_points(L.morris_trajectories, P, L.morris_levels, L.design_seed);
    out.morris.reserve(A * M * P);
    for (size_t a = 0; a < A; ++a)
      for (size_t m = 0; m < M; ++m) {
        for (uint32_t j = 0; j < S; ++j) y[j] = out.rows[size_t{j} * A + a].mean[m];
        const auto effects = morris_effects(y, design, P, options);
        for (size_t i = 0; i < P; ++i) {
          MorrisResult r{L.arm_reads(a, i), effects[i]};
          if (!r.read) r.effect = {kNaN, kNaN, kNaN, kNaN, kNaN, kNaN, kNaN, kNaN, kNaN};
          out.morris.push_back(r);
        }
      }
    return out;
  }

  // Sobol': estimates at N, N/2 and N/4 base points (prefixes of whole blocks are designs too).
  const uint32_t N = L.sobol_base;
  const size_t block = P + 2;
  const SobolOptions no_intervals{0, L.design_seed};
  out.sobol.reserve(A * M * P);
  for (size_t a = 0; a < A; ++a)
    for (size_t m = 0; m < M; ++m) {
      for (uint32_t j = 0; j < S; ++j) y[j] = out.rows[size_t{j} * A + a].mean[m];
      const std::vector<double>& reps = by_replicate[a * M + m];
      const bool of_mean = R >= 2 && metrics[m].kind != MetricSpec::Kind::cost_per_improvement;
      auto at = [&](uint32_t base, const SobolOptions& o) {
        if (of_mean)
          return sobol_indices_of_mean(std::span(reps).first(size_t{base} * block * R), R, P, o);
        return sobol_indices(std::span(y).first(size_t{base} * block), P, o);
      };
      const auto full = at(N, options);
      const auto half = at(N / 2, no_intervals), quarter = at(N / 4, no_intervals);
      const auto plain = sobol_indices(y, P, no_intervals);
      // How much of the intervals' width the base points alone make (the rest: replicates).
      SobolOptions points_only = options;
      points_only.resample_replicates = false;
      const auto by_points = of_mean ? at(N, points_only) : full;
      for (size_t i = 0; i < P; ++i) {
        SobolResult r;
        r.read = L.arm_reads(a, i);
        r.of_mean = of_mean;
        if (!r.read) {
          r.index = {kNaN, kNaN, kNaN, kNaN, kNaN, kNaN};
          r.first_plain = r.total_plain = kNaN;
          r.first = r.total = {kNaN, kNaN, false, 0, 0};
        } else {
          r.index = full[i];
          r.first_plain = plain[i].first;
          r.total_plain = plain[i].total;
          const uint32_t reps_judged = of_mean ? static_cast<uint32_t>(R) : 0;
          r.first = judge_index(full[i].first, full[i].first_low, full[i].first_high, half[i].first,
                                quarter[i].first, N,
                                by_points[i].first_high - by_points[i].first_low, reps_judged);
          r.total = judge_index(full[i].total, full[i].total_low, full[i].total_high, half[i].total,
                                quarter[i].total, N,
                                by_points[i].total_high - by_points[i].total_low, reps_judged);
        }
        out.sobol.push_back(r);
      }
    }
  return out;
}

}  // namespace fourp
