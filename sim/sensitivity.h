// Variance-based sensitivity analysis: first-order and total Sobol' indices of a model output
// from a Saltelli design (designs.h), with bootstrap 95% intervals.
//
//   UnitPoints x = saltelli_points(N, d, seed);
//   std::vector<double> y;  for (auto& row : x) y.push_back(f(row));
//   std::vector<SobolIndex> s = sobol_indices(y, d, {.resamples = 1000, .seed = 7});
//
// Estimators (Saltelli et al. 2010, "Variance based sensitivity analysis of model output. Design
// and estimator for the total sensitivity index", Comput. Phys. Commun. 181, 259-270), over the
// N base points j, with V the variance of the 2N values f(A_j), f(B_j):
//   first order  S_i  = (1/N) Σ_j f(B_j) · (f(AB_i,j) − f(A_j)) / V            (Saltelli 2010)
//   total        ST_i = (1/2N) Σ_j (f(A_j) − f(AB_i,j))² / V                    (Jansen 1999)
// Intervals: percentile bootstrap over base points (whole blocks j resampled with replacement),
// a deterministic function of the data and the seed.
#pragma once

#include <cstdint>
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
};

// `y` holds one output per row of a Saltelli design of d inputs (length N(d + 2), rows in the
// order of saltelli_points). Base points whose block has a non-finite value (a failed run, an
// undefined ratio) are left out; the count used is returned in `used` when given. One index per
// input, in input order; NaN when fewer than 2 base points are usable or the output does not vary.
std::vector<SobolIndex> sobol_indices(std::span<const double> y, size_t d,
                                      const SobolOptions& options, size_t* used = nullptr);

}  // namespace fourp
