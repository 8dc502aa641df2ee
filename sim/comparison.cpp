#include "sim/comparison.h"

#include <algorithm>
#include <cmath>
#include <limits>
#include <optional>
#include <stdexcept>

#include <fmt/format.h>
#include <boost/math/distributions/students_t.hpp>

#include "sim/find_name.h"
#include "sim/quantile.h"
#include "sim/rng.h"

namespace fourp {

namespace {

constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();

// The cost-per-improvement interval (e.g. cost per case averted) is a percentile bootstrap over
// replicates, resampled in pairs (arm and baseline of the same replicate together, to keep the
// common random numbers). It is a pure function of the data: resample b draws its n indices from a
// fixed key, counter (b, i, sweep, 0), so the same results give the same interval on every run and
// machine, and every arm is resampled with the same indices.
constexpr uint64_t kBootstrapSeed = 0x5EED;
constexpr uint32_t kBootstrapResamples = 2000;

double mean_of(std::span<const double> v) {
  double sum = 0;
  for (double x : v) sum += x;  // fixed order: deterministic
  return sum / static_cast<double>(v.size());
}

// cost per unit = mean extra cost / mean improvement (e.g. cases averted). Undefined (NaN) when
// the arm improves nothing on average; in a bootstrap resample that case counts as +inf ("no
// improvement bought at any price") so that such resamples widen the interval instead of vanishing
// from it.
double ratio(double extra_cost, double averted) {
  if (!(averted > 0)) return std::numeric_limits<double>::infinity();
  return extra_cost / averted;
}

Interval cost_per_improvement(std::span<const double> extra_cost, std::span<const double> averted) {
  const size_t n = averted.size();
  if (n == 0) return {kNaN, kNaN, kNaN};
  const double mean_averted = mean_of(averted);
  if (!(mean_averted > 0)) return {kNaN, kNaN, kNaN};
  Interval out;
  out.mean = mean_of(extra_cost) / mean_averted;

  const Rng rng(kBootstrapSeed, 0);
  std::vector<double> ratios(kBootstrapResamples);
  for (uint32_t b = 0; b < kBootstrapResamples; ++b) {
    double cost_sum = 0, averted_sum = 0;
    for (size_t i = 0; i < n; ++i) {
      const double u = rng.uniform(b, static_cast<uint32_t>(i), Purpose::sweep, 0);
      const size_t k = std::min(static_cast<size_t>(u * static_cast<double>(n)), n - 1);
      cost_sum += extra_cost[k];
      averted_sum += averted[k];
    }
    ratios[b] = ratio(cost_sum / static_cast<double>(n), averted_sum / static_cast<double>(n));
  }
  std::sort(ratios.begin(), ratios.end());
  out.low = quantile_sorted(ratios, 0.025);
  out.high = quantile_sorted(ratios, 0.975);
  return out;
}

const ArmResult* find_arm(const Results& results, std::string_view name) {
  for (const ArmResult& arm : results.arms)
    if (arm.name == name) return &arm;
  return nullptr;
}

Difference difference(std::string quantity, std::span<const double> values) {
  const Interval i = mean_interval(values);
  return {std::move(quantity), i.mean, i.low, i.high};
}

}  // namespace

Interval mean_interval(std::span<const double> values) {
  const size_t n = values.size();
  if (n == 0) return {kNaN, kNaN, kNaN};
  const double mean = mean_of(values);
  if (n == 1) return {mean, mean, mean};
  double ss = 0;
  for (double x : values) ss += (x - mean) * (x - mean);
  const double sd = std::sqrt(ss / static_cast<double>(n - 1));
  // half-width = t(0.975, n − 1) · s / √n
  const boost::math::students_t dist(static_cast<double>(n - 1));
  const double half = boost::math::quantile(dist, 0.975) * sd / std::sqrt(static_cast<double>(n));
  return {mean, mean - half, mean + half};
}

std::vector<Comparison> compare_arms(const Results& results) {
  std::vector<Comparison> out;
  // A run of selected arms without the baseline (--arms) has nothing to compare against.
  const ArmResult* base = find_arm(results, results.baseline_arm);
  if (base == nullptr) return out;

  const size_t n_totals = results.total_names.size();
  // What the model declares: its headline outcome, which way is better, and its cost total.
  const OutputDeclarations& decl = results.outputs;
  const int sign = decl.improvement_sign();
  const std::optional<size_t> headline =
      sign != 0 ? find_name(results.total_names, decl.headline) : std::nullopt;
  const std::optional<size_t> cost =
      decl.cost_outcome.empty() ? std::nullopt : find_name(results.total_names, decl.cost_outcome);

  const auto check = [&](const ArmResult& arm) {
    if (arm.replicates.size() != base->replicates.size())
      throw std::invalid_argument(
          fmt::format("compare_arms: arm '{}' has {} replicates, baseline '{}' has {}", arm.name,
                      arm.replicates.size(), base->name, base->replicates.size()));
    for (size_t r = 0; r < arm.replicates.size(); ++r)
      if (arm.replicates[r].totals.size() != n_totals)
        throw std::invalid_argument(
            fmt::format("compare_arms: arm '{}' replicate {} has {} totals, expected {}", arm.name,
                        r, arm.replicates[r].totals.size(), n_totals));
  };
  check(*base);

  const size_t n = base->replicates.size();
  std::vector<double> d(n), averted(n), extra_cost(n);
  for (const ArmResult& arm : results.arms) {
    if (&arm == base) continue;
    check(arm);
    Comparison c{arm.name, base->name, {}};
    // Paired: replicate r of the arm against replicate r of the baseline (same draws).
    for (size_t k = 0; k < n_totals; ++k) {
      for (size_t r = 0; r < n; ++r)
        d[r] = arm.replicates[r].totals[k] - base->replicates[r].totals[k];
      c.differences.push_back(difference(results.total_names[k], d));
    }
    if (headline) {
      // improvement = baseline − arm of the headline when fewer is better (cases averted),
      // arm − baseline when more is
      const size_t h = *headline;
      for (size_t r = 0; r < n; ++r)
        averted[r] = sign * (base->replicates[r].totals[h] - arm.replicates[r].totals[h]);
      c.differences.push_back(difference(decl.improvement.name, averted));
      if (cost && !decl.improvement.cost_name.empty()) {
        for (size_t r = 0; r < n; ++r)
          extra_cost[r] = arm.replicates[r].totals[*cost] - base->replicates[r].totals[*cost];
        const Interval i = cost_per_improvement(extra_cost, averted);
        c.differences.push_back({decl.improvement.cost_name, i.mean, i.low, i.high});
      }
    }
    out.push_back(std::move(c));
  }
  return out;
}

}  // namespace fourp
