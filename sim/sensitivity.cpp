#include "sim/sensitivity.h"

#include <algorithm>
#include <bit>
#include <cmath>
#include <limits>
#include <numeric>
#include <stdexcept>
#include <tuple>

#include "sim/designs.h"
#include "sim/quantile.h"
#include "sim/rng.h"

namespace fourp {

namespace {

constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();
constexpr uint32_t kBootstrapStream = 0x30000000u;  // the `step` word of the bootstrap draws
constexpr uint32_t kMorrisBootstrapStream = 0x50000000u;
constexpr uint32_t kReplicateStream = 0x60000000u;  // replicates of the mean response's bootstrap

// The blocks of usable base points: f(A_j), f(AB_1,j) … f(AB_d,j), f(B_j) of each.
struct Blocks {
  size_t d;
  std::vector<const double*> rows;  // start of each usable block
};

// Point estimates over the blocks picked by `pick` (indices into blocks.rows), into out[i].
void estimate(const Blocks& b, const std::vector<size_t>& pick, std::vector<double>& first,
              std::vector<double>& total) {
  const size_t n = pick.size(), d = b.d;
  // V: variance of the 2n values f(A_j), f(B_j) (divisor 2n), in two passes for accuracy.
  double sum = 0;
  for (size_t k : pick) sum += b.rows[k][0] + b.rows[k][d + 1];
  const double mean = sum / static_cast<double>(2 * n);
  double ss = 0;
  for (size_t k : pick) {
    const double a = b.rows[k][0] - mean, bb = b.rows[k][d + 1] - mean;
    ss += a * a + bb * bb;
  }
  const double var = ss / static_cast<double>(2 * n);
  for (size_t i = 0; i < d; ++i) {
    double s1 = 0, st = 0;
    for (size_t k : pick) {
      const double* r = b.rows[k];
      const double fa = r[0], fab = r[1 + i], fb = r[d + 1];
      s1 += (fb - mean) * (fab - fa);  // Saltelli 2010, on outputs centred by their mean
      st += (fa - fab) * (fa - fab);   // Jansen 1999
    }
    const bool ok = var > 0;
    first[i] = ok ? s1 / static_cast<double>(n) / var : kNaN;
    total[i] = ok ? st / static_cast<double>(2 * n) / var : kNaN;
  }
}

// Percentile bootstrap: `stat(pick, out, resample)` computes k statistics of the units in `pick`;
// resample r draws its n units from counter (stream + r, unit, sweep, 0) of Rng(seed, 1). Returns
// the 2.5% and 97.5% quantiles of each statistic over the resamples where it is not NaN.
template <class Stat>
std::vector<std::pair<double, double>> bootstrap(size_t n, size_t k, const SobolOptions& options,
                                                 uint32_t stream, Stat stat) {
  const Rng rng(options.seed, 1);
  std::vector<std::vector<double>> boot(k);
  std::vector<size_t> pick(n);
  std::vector<double> out(k);
  for (uint32_t r = 0; r < options.resamples; ++r) {
    for (size_t u = 0; u < n; ++u) {
      const double x = rng.uniform(stream + r, static_cast<uint32_t>(u), Purpose::sweep, u >> 32);
      pick[u] = std::min(static_cast<size_t>(x * static_cast<double>(n)), n - 1);
    }
    stat(pick, out, r);
    for (size_t i = 0; i < k; ++i)
      if (!std::isnan(out[i])) boot[i].push_back(out[i]);
  }
  std::vector<std::pair<double, double>> q(k);
  for (size_t i = 0; i < k; ++i) {
    std::sort(boot[i].begin(), boot[i].end());
    q[i] = {quantile_sorted(boot[i], 0.025), quantile_sorted(boot[i], 0.975)};
  }
  return q;
}

// Indices from point estimates `first`, `total` (filled by estimate(pick, first, total)) with
// bootstrap intervals over n units.
template <class Estimate>
std::vector<SobolIndex> indices_with_intervals(size_t n, size_t d, const SobolOptions& options,
                                               Estimate estimate) {
  std::vector<SobolIndex> out(d);
  if (n < 2) {
    for (auto& s : out) s = {kNaN, kNaN, kNaN, kNaN, kNaN, kNaN};
    return out;
  }
  std::vector<size_t> all(n);
  for (size_t k = 0; k < n; ++k) all[k] = k;
  std::vector<double> first(d), total(d);
  estimate(all, first, total);
  for (size_t i = 0; i < d; ++i)
    out[i] = {first[i], first[i], first[i], total[i], total[i], total[i]};
  if (options.resamples == 0) return out;
  const auto q = bootstrap(n, 2 * d, options, kBootstrapStream,
                           [&](const std::vector<size_t>& pick, std::vector<double>& v, uint32_t) {
                             estimate(pick, first, total);
                             std::copy(first.begin(), first.end(), v.begin());
                             std::copy(total.begin(), total.end(), v.begin() + d);
                           });
  for (size_t i = 0; i < d; ++i) {
    std::tie(out[i].first_low, out[i].first_high) = q[i];
    std::tie(out[i].total_low, out[i].total_high) = q[d + i];
  }
  return out;
}

}  // namespace

std::vector<SobolIndex> sobol_indices(std::span<const double> y, size_t d,
                                      const SobolOptions& options, size_t* used) {
  if (d == 0 || y.size() % (d + 2) != 0)
    throw std::invalid_argument("sobol_indices: the outputs are not whole Saltelli blocks");
  Blocks b{d, {}};
  for (size_t j = 0; j < y.size() / (d + 2); ++j) {
    const double* r = y.data() + j * (d + 2);
    if (std::all_of(r, r + d + 2, [](double v) { return std::isfinite(v); })) b.rows.push_back(r);
  }
  if (used) *used = b.rows.size();
  return indices_with_intervals(
      b.rows.size(), d, options,
      [&](const std::vector<size_t>& pick, std::vector<double>& first, std::vector<double>& total) {
        estimate(b, pick, first, total);
      });
}

std::vector<SobolIndex> sobol_indices_of_mean(std::span<const double> y, size_t replicates,
                                              size_t d, const SobolOptions& options, size_t* used) {
  const size_t R = replicates, width = (d + 2) * R;
  if (d == 0 || R == 0 || y.size() % width != 0)
    throw std::invalid_argument(
        "sobol_indices_of_mean: the outputs are not whole Saltelli blocks of replicates");
  std::vector<const double*> blocks;  // usable blocks: [matrix · R + replicate]
  for (size_t j = 0; R >= 2 && j < y.size() / width; ++j) {
    const double* blk = y.data() + j * width;
    if (std::all_of(blk, blk + width, [](double v) { return std::isfinite(v); }))
      blocks.push_back(blk);
  }
  if (used) *used = blocks.size();
  const size_t n = blocks.size();
  std::vector<SobolIndex> out(d, {kNaN, kNaN, kNaN, kNaN, kNaN, kNaN});
  if (n < 2) return out;

  // The estimators with replicate o weighted by c[o], its multiplicity in a bootstrap resample
  // (1 for the estimate itself): a U-statistic over pairs of positions holding different
  // replicates, U_c(x, z) = [(Σ c x)(Σ c z) − Σ c² x z] / [(Σ c)² − Σ c²].
  // The first-order term is centred by the mean of every f(A) and f(B), a constant: its
  // expectation is unchanged (E[f(AB_i) − f(A)] = 0) and its variance no longer grows with the
  // output's mean². (The plain estimator's centre, so that without noise the two agree.)
  double centre = 0;
  for (const double* blk : blocks)
    centre +=
        std::accumulate(blk, blk + R, 0.0) + std::accumulate(blk + (d + 1) * R, blk + width, 0.0);
  centre /= static_cast<double>(n * 2 * R);
  std::vector<double> diff(R), m(R), bc(R);
  auto estimate = [&](const std::vector<size_t>& pick, const std::vector<double>& c,
                      std::vector<double>& first, std::vector<double>& total) {
    double sc = 0, sc2 = 0;
    for (double w : c) sc += w, sc2 += w * w;
    const double pairs = sc * sc - sc2;
    auto U = [&](const double* x, const double* z) {
      double cx = 0, cz = 0, c2xz = 0;
      for (size_t r = 0; r < R; ++r)
        cx += c[r] * x[r], cz += c[r] * z[r], c2xz += c[r] * c[r] * x[r] * z[r];
      return (cx * cz - c2xz) / pairs;
    };
    std::fill(first.begin(), first.end(), 0.0);
    std::fill(total.begin(), total.end(), 0.0);
    std::fill(m.begin(), m.end(), 0.0);
    double q = 0;
    for (size_t k : pick) {
      const double *a = blocks[k], *b = blocks[k] + (d + 1) * R;
      q += U(a, a) + U(b, b);
      for (size_t r = 0; r < R; ++r) m[r] += a[r] + b[r], bc[r] = b[r] - centre;
      for (size_t i = 0; i < d; ++i) {
        const double* ab = blocks[k] + (1 + i) * R;
        for (size_t r = 0; r < R; ++r) diff[r] = ab[r] - a[r];
        first[i] += U(bc.data(), diff.data());
        total[i] += U(diff.data(), diff.data());
      }
    }
    const double np = static_cast<double>(pick.size());
    for (double& x : m) x /= 2 * np;
    const double var = pairs > 0 ? q / (2 * np) - U(m.data(), m.data()) : kNaN;
    for (size_t i = 0; i < d; ++i) {
      first[i] = var > 0 ? first[i] / np / var : kNaN;
      total[i] = var > 0 ? total[i] / (2 * np) / var : kNaN;
    }
  };

  std::vector<size_t> all(n);
  for (size_t k = 0; k < n; ++k) all[k] = k;
  const std::vector<double> ones(R, 1.0);
  std::vector<double> first(d), total(d);
  estimate(all, ones, first, total);
  for (size_t i = 0; i < d; ++i)
    out[i] = {first[i], first[i], first[i], total[i], total[i], total[i]};
  if (options.resamples == 0) return out;
  // Resample r: base points as sobol_indices does; with options.resample_replicates also R
  // replicates from counter (kReplicateStream + r, k, sweep, 0).
  const Rng rng(options.seed, 1);
  std::vector<double> c(R);
  const auto q =
      bootstrap(n, 2 * d, options, kBootstrapStream,
                [&](const std::vector<size_t>& pick, std::vector<double>& v, uint32_t resample) {
                  std::fill(c.begin(), c.end(), options.resample_replicates ? 0.0 : 1.0);
                  for (size_t k = 0; options.resample_replicates && k < R; ++k) {
                    const double u = rng.uniform(kReplicateStream + resample,
                                                 static_cast<uint32_t>(k), Purpose::sweep, 0);
                    c[std::min(static_cast<size_t>(u * static_cast<double>(R)), R - 1)] += 1;
                  }
                  estimate(pick, c, first, total);
                  std::copy(first.begin(), first.end(), v.begin());
                  std::copy(total.begin(), total.end(), v.begin() + d);
                });
  for (size_t i = 0; i < d; ++i) {
    std::tie(out[i].first_low, out[i].first_high) = q[i];
    std::tie(out[i].total_low, out[i].total_high) = q[d + i];
  }
  return out;
}

IndexConvergence judge_index(double estimate, double low, double high, double half, double quarter,
                             uint32_t base, double points_width, uint32_t replicates) {
  IndexConvergence c{half, quarter, false, 0, 0};
  if (!std::isfinite(estimate) || !std::isfinite(low) || !std::isfinite(high)) return c;
  const double width = high - low;
  const double moved = std::isfinite(half) ? std::abs(estimate - half) : kNaN;
  c.determined = width <= kMaxIntervalWidth && std::isfinite(moved) && moved <= kMaxMovement &&
                 base >= kMinBase;
  if (c.determined) return c;
  const double wp = std::isfinite(points_width) ? std::min(points_width, width) : width;
  const double wr = replicates > 0 ? std::sqrt(std::max(0.0, width * width - wp * wp)) : 0;
  const double t = wr > 0 ? kMaxIntervalWidth / std::sqrt(2.0) : kMaxIntervalWidth;
  double factor = (wp / t) * (wp / t);
  if (std::isfinite(moved))
    factor = std::max(factor, (moved / kMaxMovement) * (moved / kMaxMovement));
  if (!std::isfinite(moved) && wr == 0) factor = std::max(factor, 2.0);  // no N/2 estimate
  c.needed_base = std::max(base, kMinBase);
  if (factor > 1) {
    const double needed = std::min(std::ceil(std::max(2.0, factor) * base), 0x1p62);
    c.needed_base = std::max<uint64_t>(kMinBase, std::bit_ceil(static_cast<uint64_t>(needed)));
  }
  c.needed_replicates = replicates;
  if (replicates > 0 && wr > t)
    c.needed_replicates = static_cast<uint32_t>(
        std::min(std::ceil(replicates * (wr / t) * (wr / t) - 1e-9), 4294967295.0));
  return c;
}

std::vector<MorrisEffect> morris_effects(std::span<const double> y, const MorrisPoints& design,
                                         size_t d, const SobolOptions& options, size_t* used) {
  if (d == 0 || y.size() != design.points.size() || y.size() % (d + 1) != 0)
    throw std::invalid_argument("morris_effects: the outputs are not the design's points");
  const size_t T = y.size() / (d + 1);
  // ee[k · d + i]: the elementary effect of parameter i on usable trajectory k.
  std::vector<double> ee;
  for (size_t t = 0; t < T; ++t) {
    const double* p = y.data() + t * (d + 1);
    if (!std::all_of(p, p + d + 1, [](double v) { return std::isfinite(v); })) continue;
    const size_t k = ee.size() / d;
    ee.resize(ee.size() + d);
    for (size_t s = 0; s < d; ++s)
      ee[k * d + design.moved[t * d + s]] = design.up[t * d + s] * (p[s + 1] - p[s]) / design.delta;
  }
  const size_t n = ee.size() / d;
  if (used) *used = n;
  // μ*, μ, σ of each parameter over the trajectories in `pick`: out[3i], out[3i + 1], out[3i + 2].
  auto stat = [&](const std::vector<size_t>& pick, std::vector<double>& out, uint32_t = 0) {
    const double m = static_cast<double>(pick.size());
    for (size_t i = 0; i < d; ++i) {
      double sum = 0, abs = 0;
      for (size_t k : pick) sum += ee[k * d + i], abs += std::abs(ee[k * d + i]);
      const double mu = sum / m;
      double ss = 0;
      for (size_t k : pick) ss += (ee[k * d + i] - mu) * (ee[k * d + i] - mu);
      out[3 * i] = abs / m;
      out[3 * i + 1] = mu;
      out[3 * i + 2] = pick.size() > 1 ? std::sqrt(ss / (m - 1)) : kNaN;
    }
  };
  std::vector<MorrisEffect> out(d);
  if (n == 0) {
    for (auto& e : out) e = {kNaN, kNaN, kNaN, kNaN, kNaN, kNaN, kNaN, kNaN, kNaN};
    return out;
  }
  std::vector<size_t> all(n);
  for (size_t k = 0; k < n; ++k) all[k] = k;
  std::vector<double> v(3 * d);
  stat(all, v);
  std::vector<std::pair<double, double>> q(3 * d, {kNaN, kNaN});
  if (options.resamples > 0 && n >= 2)
    q = bootstrap(n, 3 * d, options, kMorrisBootstrapStream, stat);
  else
    for (size_t k = 0; k < 3 * d; ++k) q[k] = {v[k], v[k]};
  for (size_t i = 0; i < d; ++i)
    out[i] = {v[3 * i],     q[3 * i].first,     q[3 * i].second,
              v[3 * i + 1], q[3 * i + 1].first, q[3 * i + 1].second,
              v[3 * i + 2], q[3 * i + 2].first, q[3 * i + 2].second};
  return out;
}

}  // namespace fourp
