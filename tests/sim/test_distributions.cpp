// sim/distributions.h against the distributions it claims to sample: for each case, the mean
// (and the variance) within k·sd/√n of the exact value, and a one-sample Kolmogorov–Smirnov test
// against the exact CDF (Boost.Math: Φ, the regularised incomplete beta and gamma functions,
// Poisson partial sums of the pmf).
//
// Statistics: n = 20,000 draws a case, one RngStream per draw as the world builder makes them
// (sim/world.cpp: counter (kSetupStep, agent, initial_state, attribute << 32)), fixed seeds, so
// every result is deterministic. Tolerances: k = 4 standard errors for moments (two-sided
// p ≈ 6·10⁻⁵ each); KS at significance α = 0.001, critical value √(−ln(α/2)/2)/√n = 1.9495/√n
// (Kolmogorov's limit; for a discrete law the test is conservative). A correct sampler fails
// one of these checks by chance about once in a thousand seeds; the seeds are fixed, so it
// either always passes or always fails.
#include <catch2/catch.hpp>

#include <boost/math/distributions/normal.hpp>
#include <boost/math/special_functions/beta.hpp>
#include <boost/math/special_functions/gamma.hpp>

#include <algorithm>
#include <cmath>
#include <functional>
#include <vector>

#include "sim/distributions.h"
#include "sim/rng.h"

using namespace fourp;

namespace {

constexpr uint32_t kDraws = 20000;
constexpr double kSigmas = 4;             // moments: k in k·sd/√n
constexpr double kKsCritical = 1.949466;  // √(−ln(0.0005)/2): KS at α = 0.001

// Mean, variance and fourth central moment of a sample, for tolerances of the variance:
// sd(s²) ≈ √((m₄ − s⁴)/n).
struct Moments {
  double mean = 0, var = 0, m4 = 0;
};
Moments moments(const std::vector<double>& x) {
  Moments m;
  for (double v : x) m.mean += v;
  m.mean /= static_cast<double>(x.size());
  for (double v : x) {
    const double d = (v - m.mean) * (v - m.mean);
    m.var += d, m.m4 += d * d;
  }
  m.var /= static_cast<double>(x.size() - 1);
  m.m4 /= static_cast<double>(x.size());
  return m;
}

// The sample mean and variance agree with the exact ones within kSigmas standard errors.
void check_moments(const std::vector<double>& x, double mean, double var) {
  const Moments m = moments(x);
  const double n = static_cast<double>(x.size());
  INFO("sample mean " << m.mean << ", exact " << mean << "; sample variance " << m.var << ", exact "
                      << var);
  CHECK(std::abs(m.mean - mean) <= kSigmas * std::sqrt(var / n));
  CHECK(std::abs(m.var - var) <= kSigmas * std::sqrt((m.m4 - m.var * m.var) / n));
}

// Kolmogorov–Smirnov statistic D = sup |F_n − F| of a continuous sample against the CDF F.
double ks_statistic(std::vector<double> x, const std::function<double(double)>& cdf) {
  std::sort(x.begin(), x.end());
  const double n = static_cast<double>(x.size());
  double d = 0;
  for (size_t i = 0; i < x.size(); ++i) {
    const double f = cdf(x[i]);
    d = std::max({d, f - static_cast<double>(i) / n, static_cast<double>(i + 1) / n - f});
  }
  return d;
}

void check_ks(const std::vector<double>& x, const std::function<double(double)>& cdf) {
  const double d = ks_statistic(x, cdf), critical = kKsCritical / std::sqrt(double(x.size()));
  INFO("KS D = " << d << ", critical value at α = 0.001: " << critical);
  CHECK(d < critical);
}

// kDraws values of sample_unit(dist), one stream per draw as the world builder makes them.
std::vector<double> draw_unit(const Distribution& dist, uint64_t seed) {
  const Rng rng(seed, 0);
  std::vector<double> x(kDraws);
  for (uint32_t i = 0; i < kDraws; ++i) {
    RngStream s(rng, kSetupStep, i, Purpose::initial_state, 2ull << 32);
    x[i] = sample_unit(dist, s);
  }
  return x;
}

std::vector<double> draw_gamma(double shape, uint64_t seed) {
  const Rng rng(seed, 0);
  std::vector<double> x(kDraws);
  for (uint32_t i = 0; i < kDraws; ++i) {
    RngStream s(rng, kSetupStep, i, Purpose::initial_state, 0);
    x[i] = sample_gamma(shape, s);
  }
  return x;
}

Distribution dist(Distribution::Kind kind, double p1, double p2) {
  return {kind, p1, p2, {}};
}

}  // namespace

TEST_CASE("sample_unit: a constant is its value", "[unit]") {
  const Rng rng(1, 0);
  RngStream s(rng, kSetupStep, 0, Purpose::initial_state, 0);
  for (double c : {0.0, 0.35, 1.0})
    CHECK(sample_unit(dist(Distribution::Kind::constant, c, 0), s) == c);
}

TEST_CASE("sample_unit: uniform on [lo, hi] ∩ [0, 1], moments and KS", "[unit]") {
  // [0.2, 0.7]: mean 0.45, variance 0.5²/12; [−0.5, 0.5] is uniform on [0, 0.5]: mean 0.25,
  // variance 0.5²/12 (truncated, so no mass piles up at 0).
  struct Case {
    double lo, hi, a, b;  // given bounds; the interval after intersecting with [0, 1]
  };
  for (const Case c : {Case{0.2, 0.7, 0.2, 0.7}, Case{-0.5, 0.5, 0.0, 0.5}, Case{0, 1, 0, 1}}) {
    INFO("uniform [" << c.lo << ", " << c.hi << "]");
    const auto x = draw_unit(dist(Distribution::Kind::uniform, c.lo, c.hi), 11);
    CHECK(*std::min_element(x.begin(), x.end()) >= c.a);
    CHECK(*std::max_element(x.begin(), x.end()) <= c.b);
    check_moments(x, (c.a + c.b) / 2, (c.b - c.a) * (c.b - c.a) / 12);
    check_ks(x, [&](double v) { return (v - c.a) / (c.b - c.a); });
  }
}

TEST_CASE("sample_unit: normal truncated to [0, 1] (not clipped), moments and KS", "[unit]") {
  // Truncated normal on [0, 1] with α = (0 − μ)/σ, β = (1 − μ)/σ, Z = Φ(β) − Φ(α):
  //   F(x) = (Φ((x − μ)/σ) − Φ(α)) / Z
  //   mean = μ + σ·(φ(α) − φ(β))/Z
  //   var  = σ²·[1 + (α·φ(α) − β·φ(β))/Z − ((φ(α) − φ(β))/Z)²]
  // (0.35, 0.1) is the default threshold (barely truncated); (0.9, 0.3) loses 37% of its mass
  // above 1, which clipping would pile up at exactly 1.
  const boost::math::normal_distribution<double> unit;
  const auto Phi = [&](double z) { return boost::math::cdf(unit, z); };
  const auto phi = [&](double z) { return boost::math::pdf(unit, z); };
  for (auto [mu, sigma] : {std::pair{0.35, 0.1}, std::pair{0.9, 0.3}, std::pair{0.1, 0.5}}) {
    INFO("normal(" << mu << ", " << sigma << ") on [0, 1]");
    const auto x = draw_unit(dist(Distribution::Kind::normal, mu, sigma), 12);
    CHECK(*std::min_element(x.begin(), x.end()) > 0);
    CHECK(*std::max_element(x.begin(), x.end()) < 1);  // no atom at a bound
    const double al = (0 - mu) / sigma, be = (1 - mu) / sigma, Z = Phi(be) - Phi(al);
    const double shift = (phi(al) - phi(be)) / Z;
    const double mean = mu + sigma * shift;
    const double var = sigma * sigma * (1 + (al * phi(al) - be * phi(be)) / Z - shift * shift);
    check_moments(x, mean, var);
    check_ks(x, [&](double v) { return (Phi((v - mu) / sigma) - Phi(al)) / Z; });
  }
}

TEST_CASE("sample_unit: beta, moments and KS against the regularised incomplete beta", "[unit]") {
  // Beta(α, β): mean α/(α + β), variance αβ/((α + β)²(α + β + 1)), F(x) = I_x(α, β). The
  // defaults of MODEL.md (2, 8), (6, 2), (3, 3), and shapes below 1 (U-shaped).
  for (auto [a, b] : {std::pair{2.0, 8.0}, std::pair{6.0, 2.0}, std::pair{3.0, 3.0},
                      std::pair{0.5, 0.5}, std::pair{0.3, 2.0}}) {
    INFO("beta(" << a << ", " << b << ")");
    const auto x = draw_unit(dist(Distribution::Kind::beta, a, b), 13);
    CHECK(*std::min_element(x.begin(), x.end()) >= 0);
    CHECK(*std::max_element(x.begin(), x.end()) <= 1);
    check_moments(x, a / (a + b), a * b / ((a + b) * (a + b) * (a + b + 1)));
    check_ks(x, [&](double v) { return boost::math::ibeta(a, b, v); });
  }
}

TEST_CASE("sample_gamma: Gamma(k, 1), moments and KS against the regularised gamma P(k, x)",
          "[unit]") {
  // Mean k and variance k; F(x) = P(k, x). Shapes k < 1 take Marsaglia–Tsang's boost,
  // Gamma(k + 1)·U^(1/k).
  for (double k : {0.3, 1.0, 2.0, 7.5, 40.0}) {
    INFO("shape " << k);
    const auto x = draw_gamma(k, 14);
    CHECK(*std::min_element(x.begin(), x.end()) > 0);
    check_moments(x, k, k);
    check_ks(x, [&](double v) { return boost::math::gamma_p(k, v); });
  }
}

TEST_CASE("sample_poisson: inversion gives the smallest k with P(X ≤ k) ≥ u", "[unit]") {
  // Exact: on a fine grid of u, and just below and at each partial sum of the pmf
  // P(X ≤ k) = Σ_{j ≤ k} e^(−λ) λ^j / j!, summed the same way.
  for (double mean : {0.0, 0.5, 4.0, 20.0}) {
    INFO("mean " << mean);
    std::vector<double> cdf;  // cdf[k] = P(X ≤ k) until it reaches 1 − 1e-12
    double p = std::exp(-mean), sum = p;
    cdf.push_back(sum);
    for (uint32_t k = 1; sum < 1 - 1e-12 && k < 200; ++k) {
      p *= mean / k;
      sum += p;
      cdf.push_back(sum);
    }
    const auto expected = [&](double u) {
      return static_cast<uint32_t>(std::lower_bound(cdf.begin(), cdf.end(), u) - cdf.begin());
    };
    for (int j = 1; j < 1000; ++j) {
      const double u = j / 1000.0;
      INFO("u = " << u);
      CHECK(sample_poisson(mean, u) == expected(u));
    }
    for (size_t k = 0; k + 1 < cdf.size() && cdf[k] < 1 - 1e-9; ++k) {
      INFO("k = " << k);
      CHECK(sample_poisson(mean, cdf[k]) == k);  // P(X ≤ k) ≥ u holds with equality
      CHECK(sample_poisson(mean, std::nextafter(cdf[k], 1.0)) == k + 1);
    }
  }
}

TEST_CASE("sample_poisson: moments and KS against the Poisson CDF with Philox uniforms", "[unit]") {
  // Mean λ, variance λ. The draws of the layout (sim/layout.cpp): u = uniform(kSetupStep, c,
  // household, k). The KS statistic of a discrete law is taken at its support points,
  // sup_k |F_n(k) − F(k)|, against the continuous critical value (conservative).
  for (double mean : {0.5, 4.0, 20.0}) {
    INFO("mean " << mean);
    const Rng rng(15, 0);
    std::vector<double> x(kDraws);
    uint32_t most = 0;
    for (uint32_t k = 0; k < kDraws; ++k) {
      const uint32_t v = sample_poisson(mean, rng.uniform(kSetupStep, 0, Purpose::household, k));
      x[k] = v, most = std::max(most, v);
    }
    check_moments(x, mean, mean);
    std::vector<double> count(most + 1, 0);
    for (double v : x) count[static_cast<size_t>(v)] += 1;
    double d = 0, empirical = 0;
    for (uint32_t k = 0; k <= most; ++k) {
      empirical += count[k] / kDraws;
      const double exact = boost::math::gamma_q(k + 1.0, mean);  // P(X ≤ k)
      d = std::max(d, std::abs(empirical - exact));
    }
    INFO("KS D = " << d);
    CHECK(d < kKsCritical / std::sqrt(double(kDraws)));
  }
}
