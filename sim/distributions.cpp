#include "sim/distributions.h"

#include <algorithm>
#include <boost/math/distributions/normal.hpp>
#include <cmath>

namespace fourp {

double standard_normal(RngStream& s) {
  double u1 = s.uniform(), u2 = s.uniform();
  return std::sqrt(-2.0 * std::log(u1)) * std::cos(2.0 * M_PI * u2);
}

double sample_gamma(double shape, RngStream& s) {
  if (shape < 1.0) {
    // Gamma(a) = Gamma(a + 1) · U^(1/a)  (Marsaglia & Tsang, section 6)
    double g = sample_gamma(shape + 1.0, s);
    return g * std::pow(s.uniform(), 1.0 / shape);
  }
  const double d = shape - 1.0 / 3.0, c = 1.0 / std::sqrt(9.0 * d);
  for (;;) {
    double x, v;
    do {
      x = standard_normal(s);
      v = 1.0 + c * x;
    } while (v <= 0.0);
    v = v * v * v;
    double u = s.uniform();
    if (u < 1.0 - 0.0331 * x * x * x * x) return d * v;
    if (std::log(u) < 0.5 * x * x + d * (1.0 - v + std::log(v))) return d * v;
  }
}

double sample_unit(const Distribution& dist, RngStream& s) {
  switch (dist.kind) {
    case Distribution::Kind::constant:
      return dist.p1;
    case Distribution::Kind::uniform: {
      double lo = std::max(0.0, dist.p1), hi = std::min(1.0, dist.p2);
      return lo + (hi - lo) * s.uniform();
    }
    case Distribution::Kind::normal: {
      // Inverse CDF restricted to [Φ((0−μ)/σ), Φ((1−μ)/σ)]: exact truncation, one draw.
      boost::math::normal_distribution<double> n(dist.p1, dist.p2);
      double a = boost::math::cdf(n, 0.0), b = boost::math::cdf(n, 1.0);
      double x = boost::math::quantile(n, a + (b - a) * s.uniform());
      return std::clamp(x, 0.0, 1.0);  // guards rounding only
    }
    case Distribution::Kind::beta: {
      double x = sample_gamma(dist.p1, s), y = sample_gamma(dist.p2, s);
      return x / (x + y);
    }
  }
  return 0;
}

uint32_t sample_poisson(double mean, double u) {
  // Inversion: the smallest k with P(X ≤ k) ≥ u. Means here are small (household sizes).
  double p = std::exp(-mean), cdf = p;
  uint32_t k = 0;
  while (u > cdf && k < 10000) {
    ++k;
    p *= mean / k;
    cdf += p;
  }
  return k;
}

}  // namespace fourp
