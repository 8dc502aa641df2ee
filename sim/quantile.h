// Quantiles of sorted values by R's type 7 (linear interpolation between order statistics; also
// NumPy's default): the one rule behind the comparison's bootstrap interval (comparison.h), the
// Sobol' indices' intervals (sensitivity.h) and the report's bands over replicates.
//
//   std::sort(v.begin(), v.end());
//   double low = quantile_sorted(v, 0.025), high = quantile_sorted(v, 0.975);
#pragma once

#include <span>

namespace fourp {

// The p-quantile (0 <= p <= 1) of `sorted` (ascending): with h = p (n − 1),
//   Q(p) = x[⌊h⌋] + (h − ⌊h⌋) (x[⌊h⌋ + 1] − x[⌊h⌋]).
// NaN when empty. Equal neighbours give their value exactly (so +inf stays +inf rather than
// becoming inf − inf = NaN).
double quantile_sorted(std::span<const double> sorted, double p);

}  // namespace fourp
