// R's type 7 quantile (quantile.h).
#include "sim/quantile.h"

#include <algorithm>
#include <cmath>
#include <limits>

namespace fourp {

double quantile_sorted(std::span<const double> sorted, double p) {
  if (sorted.empty()) return std::numeric_limits<double>::quiet_NaN();
  const double h = p * static_cast<double>(sorted.size() - 1);
  const size_t lo = static_cast<size_t>(std::floor(h));
  const size_t hi = std::min(lo + 1, sorted.size() - 1);
  const double a = sorted[lo], b = sorted[hi];
  if (a == b) return a;  // also keeps inf rather than inf − inf = NaN
  return a + (h - static_cast<double>(lo)) * (b - a);
}

}  // namespace fourp
