#include "sim/sensitivity.h"

#include <algorithm>
#include <cmath>
#include <limits>
#include <stdexcept>

#include "sim/quantile.h"
#include "sim/rng.h"

namespace fourp {

namespace {

constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();
constexpr uint32_t kBootstrapStream = 0x30000000u;  // the `step` word of the bootstrap draws

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
      s1 += fb * (fab - fa);          // Saltelli 2010
      st += (fa - fab) * (fa - fab);  // Jansen 1999
    }
    const bool ok = var > 0;
    first[i] = ok ? s1 / static_cast<double>(n) / var : kNaN;
    total[i] = ok ? st / static_cast<double>(2 * n) / var : kNaN;
  }
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
  std::vector<SobolIndex> out(d);
  const size_t n = b.rows.size();
  if (n < 2) {
    for (auto& s : out) s = {kNaN, kNaN, kNaN, kNaN, kNaN, kNaN};
    return out;
  }
  std::vector<size_t> all(n);
  for (size_t k = 0; k < n; ++k) all[k] = k;
  std::vector<double> first(d), total(d);
  estimate(b, all, first, total);
  for (size_t i = 0; i < d; ++i)
    out[i] = {first[i], first[i], first[i], total[i], total[i], total[i]};
  if (options.resamples == 0) return out;

  // Resample r draws its n block indices from counter (stream + r, k, sweep, 0).
  const Rng rng(options.seed, 1);
  std::vector<std::vector<double>> boot_first(d), boot_total(d);
  std::vector<size_t> pick(n);
  for (uint32_t r = 0; r < options.resamples; ++r) {
    for (size_t k = 0; k < n; ++k) {
      const double u =
          rng.uniform(kBootstrapStream + r, static_cast<uint32_t>(k), Purpose::sweep, k >> 32);
      pick[k] = std::min(static_cast<size_t>(u * static_cast<double>(n)), n - 1);
    }
    estimate(b, pick, first, total);
    for (size_t i = 0; i < d; ++i) {
      if (!std::isnan(first[i])) boot_first[i].push_back(first[i]);
      if (!std::isnan(total[i])) boot_total[i].push_back(total[i]);
    }
  }
  for (size_t i = 0; i < d; ++i) {
    std::sort(boot_first[i].begin(), boot_first[i].end());
    std::sort(boot_total[i].begin(), boot_total[i].end());
    out[i].first_low = quantile_sorted(boot_first[i], 0.025);
    out[i].first_high = quantile_sorted(boot_first[i], 0.975);
    out[i].total_low = quantile_sorted(boot_total[i], 0.025);
    out[i].total_high = quantile_sorted(boot_total[i], 0.975);
  }
  return out;
}

}  // namespace fourp
