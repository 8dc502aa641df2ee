// Sensitivity analysis of a model output: first-order and total Sobol' indices from a Saltelli
// design (designs.h), plain or of the mean response of a stochastic model, how well converged
// they are, and Morris's elementary effects; all with bootstrap 95% intervals.
//
//   UnitPoints x = saltelli_points(N, d, seed);
//   std::vector<double> y;  for (auto& row : x) y.push_back(f(row));
//   std::vector<SobolIndex> s = sobol_indices(y, d, {.resamples = 1000, .seed = 7});
//
// Estimators (Saltelli et al. 2010, "Variance based sensitivity analysis of model output. Design
// and estimator for the total sensitivity index", Comput. Phys. Commun. 181, 259-270), over the
// N base points j, with V the variance of the 2N values f(A_j), f(B_j):
//   first order  S_i  = (1/N) Σ_j (f(B_j) − f̄) · (f(AB_i,j) − f(A_j)) / V       (Saltelli 2010)
//   total        ST_i = (1/2N) Σ_j (f(A_j) − f(AB_i,j))² / V                    (Jansen 1999)
// with f̄ the mean of the 2N values f(A_j), f(B_j) (of every replicate's, for the mean response
// below): centring leaves
// the estimator's expectation unchanged and keeps its variance from growing with the mean's
// square (SALib standardises outputs for the same reason).
// Intervals: percentile bootstrap over base points (whole blocks j resampled with replacement),
// a deterministic function of the data and the seed.
//
// A stochastic model gives at each point x a random output Y(x) = m(x) + ε(x); with R replicates
// a point's mean carries noise of variance Var ε(x) / R, which the plain estimators on means take
// for sensitivity (a parameter that cannot matter gets a total index of the noise's share).
// sobol_indices_of_mean estimates the indices of the mean response m(x) instead: every product
// of two outputs in the estimators above is replaced by its average over pairs of *different*
// replicates r ≠ s (a U-statistic, Hoeffding 1948). Replicates are independent, so
// E[Y_r(x) Y_s(x')] = m(x) m(x') whatever the noise, and every bilinear estimator becomes unbiased
// for the one computed on m — with independent seeds per point or with common random numbers
// alike. Per base point, with d_i = f(AB_i) − f(A) replicate by replicate, U(x, z) =
// (Σ_{r≠s} x_r z_s) / (R (R − 1)) = (R² x̄ z̄ − Σ_r x_r z_r) / (R (R − 1)):
//   first order  S_i  = (1/N) Σ_j U(f(B_j) − f̄, d_i,j) / V
//   total        ST_i = (1/2N) Σ_j U(d_i,j, d_i,j) / V
//   V = (1/2N) Σ_j [U(f(A_j), f(A_j)) + U(f(B_j), f(B_j))] − U-average over r ≠ s of m_r m_s,
//       m_r the mean of the 2N values of replicate r.
// This is the correction of the replicate-mean noise that Marrel et al. (2012, Reliab. Eng.
// Syst. Saf. 100, 125-132) and Zhu & Sudret (2021, Reliab. Eng. Syst. Saf. 206) make with
// emulators, made here without one; it needs R ≥ 2.
#pragma once

#include <cstdint>
#include <limits>
#include <span>
#include <vector>

namespace fourp {

struct SobolIndex {
  double first = 0, first_low = 0, first_high = 0;  // S_i and its 95% interval
  double total = 0, total_low = 0, total_high = 0;  // ST_i and its 95% interval
};

struct SobolOptions {
  uint32_t resamples = 1000;  // bootstrap resamples; 0: no intervals (low = high = estimate)
  uint64_t seed = 0;          // of the bootstrap draws: Rng(seed, 1), Purpose::sweep
  // sobol_indices_of_mean: resample the replicates too (two-way bootstrap), so that the
  // intervals include what R replicates leave unknown of the mean response; false: base points
  // only (how much more base points would help).
  bool resample_replicates = true;
};

// `y` holds one output per row of a Saltelli design of d inputs (length N(d + 2), rows in the
// order of saltelli_points). Base points whose block has a non-finite value (a failed run, an
// undefined ratio) are left out; the count used is returned in `used` when given. One index per
// input, in input order; NaN when fewer than 2 base points are usable or the output does not vary.
std::vector<SobolIndex> sobol_indices(std::span<const double> y, size_t d,
                                      const SobolOptions& options, size_t* used = nullptr);

// The indices of the mean response (above) from `replicates` outputs per row: y[row · R + r].
// A base point whose block has a non-finite value in any replicate is left out. R < 2: NaN.
// Intervals: a two-way percentile bootstrap, resampling base points and replicates (the
// U-statistics then run over pairs of positions holding different replicates). Under common
// random numbers the noise of replicate r is shared by every point, so it does not average out
// over points: only more replicates narrow that part of the interval.
std::vector<SobolIndex> sobol_indices_of_mean(std::span<const double> y, size_t replicates,
                                              size_t d, const SobolOptions& options,
                                              size_t* used = nullptr);

// When an index is known well enough to be shown: its 95% interval is at most kMaxIntervalWidth
// wide and it moved by at most kMaxMovement from the estimate at N/2 base points to that at N.
// Below kMinBase base points nothing is determined: a bootstrap over so few points says little
// about its own reliability, and the N/4 estimate needs points of its own.
inline constexpr double kMaxIntervalWidth = 0.2;
inline constexpr double kMaxMovement = 0.05;
inline constexpr uint32_t kMinBase = 32;

// One index with what is known about its convergence.
struct IndexConvergence {
  double half = 0, quarter = 0;  // the estimates at N/2 and N/4 base points (NaN below 2)
  bool determined = false;
  // What an undetermined index would need (0 when determined, or when nothing can be said: a
  // NaN estimate). The interval's width w splits into the part from the base points, w_p (the
  // interval with base points resampled alone), and the part from the replicates, w_r² = w² −
  // w_p²; each part narrows as 1/√(count). Base points: N · max((w_p / t)², (movement / 0.05)²),
  // at least 2N and kMinBase, rounded up to a power of 2, when that exceeds N (else N, or
  // kMinBase when N is below it); replicates: R ·
  // (w_r / t)² rounded up when that exceeds R (else R); t = 0.2, or 0.2/√2 when both parts
  // count.
  uint64_t needed_base = 0;
  uint32_t needed_replicates = 0;
};
// `points_width`: the width of the interval from base points alone (NaN: the whole width, as for
// the plain estimators); `replicates`: R (0 for the plain estimators).
IndexConvergence judge_index(double estimate, double low, double high, double half, double quarter,
                             uint32_t base,
                             double points_width = std::numeric_limits<double>::quiet_NaN(),
                             uint32_t replicates = 0);

// Morris's elementary effects (Morris 1991; μ* of Campolongo, Cariboni & Saltelli 2007) of a
// design from morris_points: EE_i = (f(x + Δ e_i) − f(x)) / Δ for each trajectory, in output units
// per whole range of the parameter. μ = mean EE, μ* = mean |EE|, σ = standard deviation of EE
// (divisor n − 1), with percentile bootstrap 95% intervals over trajectories (resampled whole).
// A trajectory with a non-finite output is left out.
struct MorrisEffect {
  double mu_star = 0, mu_star_low = 0, mu_star_high = 0;
  double mu = 0, mu_low = 0, mu_high = 0;
  double sigma = 0, sigma_low = 0, sigma_high = 0;
};
struct MorrisPoints;
std::vector<MorrisEffect> morris_effects(std::span<const double> y, const MorrisPoints& design,
                                         size_t d, const SobolOptions& options,
                                         size_t* used = nullptr);

}  // namespace fourp
