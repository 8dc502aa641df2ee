// Decision analysis against published worked examples and closed forms: the efficiency frontier
// (dominance, extended dominance, ICERs), acceptability and EVPI for two options whose NMB
// difference is Normal, EVPPI on a linear-Gaussian case, partial rank correlations.
#include <catch2/catch.hpp>

#include <algorithm>
#include <cmath>
#include <numeric>
#include <random>

#include "sim/decision.h"

using namespace fourp;
using Status = FrontierArm::Status;

namespace {

// A standard normal from a fixed-seed engine (Box-Muller): the same numbers on every platform.
struct Normal {
  std::mt19937_64 engine;
  explicit Normal(uint64_t seed) : engine(seed) {}
  double operator()() {
    const double u1 = (static_cast<double>(engine() >> 11) + 0.5) * 0x1p-53;
    const double u2 = (static_cast<double>(engine() >> 11) + 0.5) * 0x1p-53;
    return std::sqrt(-2 * std::log(u1)) * std::cos(2 * M_PI * u2);
  }
};

double Phi(double x) {
  return 0.5 * std::erfc(-x / std::sqrt(2.0));
}
double phi(double x) {
  return std::exp(-x * x / 2) / std::sqrt(2 * M_PI);
}

}  // namespace

TEST_CASE("efficiency frontier: a published table of screening strategies", "[unit]") {
  // Colorectal cancer screening, Australia and New Zealand Health Policy 2005, 2:10, table 7
  // (doi 10.1186/1743-8462-2-10): cost (AUD) and life-years gained of the strategies on the
  // frontier, with their published ICERs 39,459, 43,687, 80,616, 185,054 and 235,859. Added here:
  // a strategy dominated by DCBE5 (dearer, less effective) and one between FOBT2 and DCBE5 whose
  // ICER (63,098) exceeds the next one's (31,590): extendedly dominated.
  const std::vector<double> cost = {0,         140117791, 248112291, 304301903,
                                    370181240, 422777702, 300000000, 200000000};
  const std::vector<double> effect = {0, 3551, 6023, 6720, 7076, 7299, 6000, 4500};
  const auto f = efficiency_frontier(cost, effect);
  CHECK(f[6].status == Status::dominated);
  CHECK(f[7].status == Status::extendedly_dominated);
  const double published[] = {39459, 43687, 80616, 185054, 235859};
  for (size_t k = 1; k <= 5; ++k) {
    INFO("strategy " << k);
    CHECK(f[k].status == Status::frontier);
    CHECK(f[k].previous == k - 1);
    CHECK(f[k].icer == Approx(published[k - 1]).margin(1.0));
  }
  CHECK(f[0].status == Status::frontier);
  CHECK(std::isnan(f[0].icer));
}

TEST_CASE("efficiency frontier: absolute dominance in a published table", "[unit]") {
  // Radiotherapy strategies, JNCI Cancer Spectrum 2020;4:pkaa004, table 1: strategy 2 (test all)
  // is absolutely dominated; strategy 3's ICER against strategy 1 is 529,366 per QALY.
  const std::vector<double> cost = {1695.865, 12224.17, 12118.17},
                            effect = {8.570992, 8.583273, 8.590681};
  const auto f = efficiency_frontier(cost, effect);
  CHECK(f[1].status == Status::dominated);
  CHECK(f[2].status == Status::frontier);
  CHECK(f[2].previous == 0);
  CHECK(f[2].icer == Approx(529365.8).epsilon(1e-3));
  // Twins: the second of two identical arms is dominated, the first stays.
  const auto t = efficiency_frontier(std::vector<double>{1, 1}, std::vector<double>{2, 2});
  CHECK(t[0].status == Status::frontier);
  CHECK(t[1].status == Status::dominated);
}

TEST_CASE("acceptability and EVPI: two options whose NMB difference is Normal", "[stat]") {
  // Option 1 against option 0 (NMB 0): D ~ Normal(μ, σ). Then P(1 best) = Φ(μ/σ) and
  // EVPI = σ φ(μ/σ) − |μ| Φ(−|μ|/σ). 200,000 draws: tolerance 0.005 on P (4 standard errors)
  // and 0.01 σ on EVPI.
  for (double mu : {-0.4, 0.3, 1.2}) {
    INFO("μ = " << mu);
    const double sigma = 1.5;
    Normal normal(17);
    Draws d{2, 200000, {}, {}};
    for (size_t r = 0; r < d.draws; ++r) {
      d.cost.insert(d.cost.end(), {0.0, 0.0});
      d.effect.insert(d.effect.end(), {0.0, mu + sigma * normal()});
    }
    const auto a = acceptability(d, std::vector<double>{1.0});
    CHECK(a[0].probability_best[1] == Approx(Phi(mu / sigma)).margin(0.005));
    CHECK(a[0].probability_best[0] + a[0].probability_best[1] == Approx(1.0));
    CHECK(a[0].best_expected == (mu > 0 ? 1u : 0u));
    const double evpi = sigma * phi(mu / sigma) - std::fabs(mu) * Phi(-std::fabs(mu) / sigma);
    CHECK(a[0].evpi == Approx(evpi).margin(0.01 * sigma));
  }
}

TEST_CASE("EVPPI: a linear-Gaussian case against its closed form", "[stat]") {
  // D = m + β θ + ε, θ and ε standard normal and independent: knowing θ leaves the choice to
  // the sign of m + β θ, so EVPPI(θ) = |β| φ(m/|β|) − |m| Φ(−|m|/|β|) = 0.1978 for m = 0.5,
  // β = 1; a parameter D does not depend on has EVPPI 0. 100,000 draws, ⌊√n⌋ = 316 bins;
  // tolerance 0.01 (the binning's positive bias is a few thousandths here).
  const double m = 0.5, beta = 1;
  Normal normal(23);
  Draws d{2, 100000, {}, {}};
  std::vector<double> theta(d.draws), other(d.draws);
  for (size_t r = 0; r < d.draws; ++r) {
    theta[r] = normal();
    other[r] = normal();
    d.cost.insert(d.cost.end(), {0.0, 0.0});
    d.effect.insert(d.effect.end(), {0.0, m + beta * theta[r] + normal()});
  }
  const double expected = std::fabs(beta) * phi(m / beta) - std::fabs(m) * Phi(-m / beta);
  CHECK(expected == Approx(0.1978).margin(1e-4));
  CHECK(evppi(d, theta, 1.0) == Approx(expected).margin(0.01));
  CHECK(evppi(d, other, 1.0) < 0.01);
  // EVPPI never exceeds EVPI (0.350 here: σ = √2).
  CHECK(evppi(d, theta, 1.0) <= acceptability(d, std::vector<double>{1.0})[0].evpi);
}

TEST_CASE("PRCC: a monotone outcome's drivers, signs and a parameter that does not matter",
          "[stat]") {
  // y = exp(2 x1) − x2³ + small noise, x3 irrelevant; 2,000 draws. Ranks make the monotone
  // nonlinearity near-linear: PRCC(x1) > 0.8 (0.86 here), PRCC(x2) < −0.5, and x3's 95%
  // interval holds 0.
  Normal normal(5);
  std::vector<std::vector<double>> x(3, std::vector<double>(2000));
  std::vector<double> y(2000);
  for (size_t i = 0; i < 2000; ++i) {
    for (auto& col : x) col[i] = normal();
    y[i] = std::exp(2 * x[0][i]) - std::pow(x[1][i], 3) + 0.1 * normal();
  }
  const Prcc p = prcc(x, y);
  CHECK(p.r[0] > 0.8);
  CHECK(p.r[1] < -0.5);
  CHECK(p.low[2] < 0);
  CHECK(p.high[2] > 0);
  CHECK(p.low[0] < p.r[0]);
  CHECK(p.r[0] < p.high[0]);
  // Ranks: ties share their mean rank.
  CHECK(ranks(std::vector<double>{3, 1, 3, 2}) == std::vector<double>{3.5, 1, 3.5, 2});
}

TEST_CASE("EVPPI over a grid of λ is sort-and-bin at each λ, and expected NMB per arm", "[unit]") {
  // Three arms, 9 draws with costs and effects that cross as λ grows.
  Normal normal(11);
  Draws d{3, 9, {}, {}};
  std::vector<double> theta(d.draws);
  for (size_t r = 0; r < d.draws; ++r) {
    theta[r] = normal();
    d.cost.insert(d.cost.end(), {0.0, 100 + 10 * normal(), 400 + 30 * normal()});
    d.effect.insert(d.effect.end(), {0.0, 1 + theta[r] + normal(), 3 + 0.5 * normal()});
  }
  const std::vector<double> lambdas = {0, 50, 120, 200, 400};
  const std::vector<double> grid = evppi(d, theta, lambdas);
  const auto acc = acceptability(d, lambdas);
  REQUIRE(grid.size() == lambdas.size());
  for (size_t i = 0; i < lambdas.size(); ++i) {
    INFO("lambda " << lambdas[i]);
    // By hand: 9 draws sorted by θ into ⌊√9⌋ = 3 bins of 3; mean over bins of the best arm's
    // mean NMB in the bin, less the best overall mean.
    std::vector<size_t> order(d.draws);
    std::iota(order.begin(), order.end(), 0);
    std::sort(order.begin(), order.end(), [&](size_t a, size_t b) { return theta[a] < theta[b]; });
    double binned = 0, best_overall = -1e300;
    for (size_t b = 0; b < 3; ++b) {
      double best = -1e300;
      for (size_t a = 0; a < 3; ++a) {
        double m = 0;
        for (size_t k = 3 * b; k < 3 * b + 3; ++k) m += d.nmb(order[k], a, lambdas[i]) / 3;
        best = std::max(best, m);
      }
      binned += best / 3;
    }
    for (size_t a = 0; a < 3; ++a) {
      double m = 0;
      for (size_t r = 0; r < d.draws; ++r) m += d.nmb(r, a, lambdas[i]) / 9;
      best_overall = std::max(best_overall, m);
    }
    CHECK(grid[i] == Approx(std::max(0.0, binned - best_overall)).margin(1e-9));
    for (size_t a = 0; a < d.arms; ++a) {
      double sum = 0;
      for (size_t r = 0; r < d.draws; ++r) sum += d.nmb(r, a, lambdas[i]);
      CHECK(acc[i].expected_nmb[a] == Approx(sum / 9));
    }
  }
  // Arm 2's effect is the largest in every draw where 3 + noise beats 1 + θ + noise: counted.
  std::vector<double> most(3, 0.0);
  for (size_t r = 0; r < d.draws; ++r) {
    const double* e = &d.effect[r * 3];
    most[std::max_element(e, e + 3) - e] += 1.0 / 9;
  }
  const auto p = probability_most_effective(d);
  for (size_t a = 0; a < 3; ++a) CHECK(p[a] == Approx(most[a]));
}
