// Sobol' indices: the Saltelli (first-order) and Jansen (total) estimators on functions whose
// indices are known analytically.
#include <catch2/catch.hpp>

#include <cmath>
#include <limits>
#include <random>

#include "sim/designs.h"
#include "sim/sensitivity.h"

using namespace fourp;

namespace {

// Ishigami & Homma (1990): f = sin x1 + a sin² x2 + b x3⁴ sin x1, x ~ U(−π, π)³, a = 7, b = 0.1.
// V = a²/8 + bπ⁴/5 + b²π⁸/18 + 1/2; V1 = (1 + bπ⁴/5)²/2, V2 = a²/8, V3 = 0,
// V13 = b²π⁸ (1/18 − 1/50); S_i = V_i / V, ST1 = (V1 + V13)/V, ST2 = S2, ST3 = V13 / V.
struct Ishigami {
  static constexpr double a = 7, b = 0.1;
  static double f(const std::vector<double>& u) {
    const double x1 = -M_PI + 2 * M_PI * u[0], x2 = -M_PI + 2 * M_PI * u[1],
                 x3 = -M_PI + 2 * M_PI * u[2];
    return std::sin(x1) + a * std::sin(x2) * std::sin(x2) + b * std::pow(x3, 4) * std::sin(x1);
  }
  static double V() {
    return a * a / 8 + b * std::pow(M_PI, 4) / 5 + b * b * std::pow(M_PI, 8) / 18 + 0.5;
  }
  static double V1() { return std::pow(1 + b * std::pow(M_PI, 4) / 5, 2) / 2; }
  static double V2() { return a * a / 8; }
  static double V13() { return b * b * std::pow(M_PI, 8) * (1.0 / 18 - 1.0 / 50); }
};

std::vector<double> evaluate(const UnitPoints& x, double (*f)(const std::vector<double>&)) {
  std::vector<double> y;
  for (const auto& row : x) y.push_back(f(row));
  return y;
}

}  // namespace

TEST_CASE("sobol indices of the Ishigami function match the analytic values", "[stat]") {
  // Tolerance 0.02 on every index with N = 8192 base points (40,960 evaluations): the quasi-Monte
  // Carlo error of these estimators at this N is a few thousandths (SALib reports the same).
  const double S1 = Ishigami::V1() / Ishigami::V(), S2 = Ishigami::V2() / Ishigami::V(), S3 = 0;
  const double ST1 = (Ishigami::V1() + Ishigami::V13()) / Ishigami::V(), ST2 = S2,
               ST3 = Ishigami::V13() / Ishigami::V();
  CHECK(S1 == Approx(0.3139).margin(1e-4));  // the published values
  CHECK(ST3 == Approx(0.2437).margin(1e-4));

  const uint32_t N = 8192;
  const auto y = evaluate(saltelli_points(N, 3, 2024), Ishigami::f);
  size_t used = 0;
  const auto s = sobol_indices(y, 3, {1000, 11}, &used);
  CHECK(used == N);
  const double first[] = {S1, S2, S3}, total[] = {ST1, ST2, ST3};
  for (size_t i = 0; i < 3; ++i) {
    INFO("x" << i + 1);
    CHECK(s[i].first == Approx(first[i]).margin(0.02));
    CHECK(s[i].total == Approx(total[i]).margin(0.02));
    // The 95% bootstrap intervals hold the estimate and (with a little slack for the
    // quasi-Monte Carlo design, whose error the i.i.d. bootstrap overstates) the true value.
    CHECK(s[i].first_low <= s[i].first);
    CHECK(s[i].first <= s[i].first_high);
    CHECK(s[i].total_low <= s[i].total);
    CHECK(s[i].total <= s[i].total_high);
    CHECK(first[i] >= s[i].first_low - 0.01);
    CHECK(first[i] <= s[i].first_high + 0.01);
    CHECK(total[i] >= s[i].total_low - 0.01);
    CHECK(total[i] <= s[i].total_high + 0.01);
  }
}

TEST_CASE("sobol indices of an additive function: first order = total = share of variance",
          "[unit]") {
  // f = x1 + 2 x2 with x uniform: V1 : V2 = 1 : 4, no interactions.
  const auto y = evaluate(saltelli_points(4096, 2, 1),
                          [](const std::vector<double>& u) { return u[0] + 2 * u[1]; });
  const auto s = sobol_indices(y, 2, {200, 1});
  CHECK(s[0].first == Approx(0.2).margin(0.01));
  CHECK(s[1].first == Approx(0.8).margin(0.01));
  CHECK(s[0].total == Approx(0.2).margin(0.01));
  CHECK(s[1].total == Approx(0.8).margin(0.01));
}

TEST_CASE("sobol indices: deterministic - failed blocks left out - constant output is NaN",
          "[unit]") {
  auto y = evaluate(saltelli_points(64, 3, 9), Ishigami::f);
  const auto a = sobol_indices(y, 3, {100, 5}), b = sobol_indices(y, 3, {100, 5});
  for (size_t i = 0; i < 3; ++i) {
    CHECK(a[i].first_low == b[i].first_low);
    CHECK(a[i].total_high == b[i].total_high);
  }
  y[7] = std::numeric_limits<double>::quiet_NaN();  // block 1 (rows 5 … 9)
  size_t used = 0;
  sobol_indices(y, 3, {0, 5}, &used);
  CHECK(used == 63);
  const std::vector<double> flat(5 * 10, 1.0);
  const auto c = sobol_indices(flat, 3, {10, 5});
  CHECK(std::isnan(c[0].first));
  CHECK(std::isnan(c[2].total_high));
  CHECK_THROWS_AS(sobol_indices(std::vector<double>(7, 1.0), 3, {}), std::invalid_argument);
}

namespace {

// Sobol's g-function g(x) = Π_i (|4 x_i − 2| + a_i) / (1 + a_i) on [0, 1]^d, with analytic
// V_i = 1 / (3 (1 + a_i)²), V = Π (1 + V_i) − 1, S_i = V_i / V, ST_i = V_i Π_{j≠i} (1 + V_j) / V
// (Saltelli et al. 2010, section 5). A smaller a_i is a more important x_i.
struct GFunction {
  std::vector<double> a;
  double operator()(const std::vector<double>& u) const {
    double g = 1;
    for (size_t i = 0; i < a.size(); ++i) g *= (std::fabs(4 * u[i] - 2) + a[i]) / (1 + a[i]);
    return g;
  }
  double Vi(size_t i) const { return 1 / (3 * (1 + a[i]) * (1 + a[i])); }
  double V() const {
    double p = 1;
    for (size_t i = 0; i < a.size(); ++i) p *= 1 + Vi(i);
    return p - 1;
  }
  double S(size_t i) const { return Vi(i) / V(); }
  double ST(size_t i) const {
    double p = Vi(i);
    for (size_t j = 0; j < a.size(); ++j)
      if (j != i) p *= 1 + Vi(j);
    return p / V();
  }
};

// A standard normal from two uniforms (Box-Muller), from a fixed-seed engine: the same numbers on
// every platform.
struct Normal {
  std::mt19937_64 engine;
  explicit Normal(uint64_t seed) : engine(seed) {}
  double operator()() {
    const double u1 = (static_cast<double>(engine() >> 11) + 0.5) * 0x1p-53;
    const double u2 = (static_cast<double>(engine() >> 11) + 0.5) * 0x1p-53;
    return std::sqrt(-2 * std::log(u1)) * std::cos(2 * M_PI * u2);
  }
};

}  // namespace

TEST_CASE("sobol indices of the g-function match the analytic values", "[stat][verification]") {
  // a = (0, 1, 4.5, 9, 99, 99) (Saltelli et al. 2010): S = 0.716, 0.179, 0.024, 0.007, 0, 0.
  // Tolerance 0.02 with N = 8192 base points.
  const GFunction g{{0, 1, 4.5, 9, 99, 99}};
  const uint32_t N = 8192;
  std::vector<double> y;
  for (const auto& row : saltelli_points(N, 6, 77)) y.push_back(g(row));
  const auto s = sobol_indices(y, 6, {200, 3});
  for (size_t i = 0; i < 6; ++i) {
    INFO("x" << i + 1);
    CHECK(s[i].first == Approx(g.S(i)).margin(0.02));
    CHECK(s[i].total == Approx(g.ST(i)).margin(0.02));
  }
}

TEST_CASE("indices of the mean response: a stochastic Ishigami function", "[stat][verification]") {
  // Y_r(x) = f(x) + σ ε_r(x) with replicate noise as large as the signal (σ² = V). The mean
  // response is f, with the analytic indices. The plain estimators on R replicate means divide
  // by V + σ²/R and count the noise in every difference; the noise-corrected estimators recover
  // the analytic values within 0.04, and their 95% intervals hold them.
  //   independent noise at every point and replicate (independent seeds): R = 4, N = 4096;
  //   noise half shared by every point of a replicate (common random numbers: a slope in x3
  //   drawn once per replicate, and an independent half): R = 32, N = 1024 — the shared half
  //   does not average out over points, only over replicates.
  const double S1 = Ishigami::V1() / Ishigami::V(), S2 = Ishigami::V2() / Ishigami::V(),
               ST3 = Ishigami::V13() / Ishigami::V(),
               ST1 = (Ishigami::V1() + Ishigami::V13()) / Ishigami::V();
  const double sigma = std::sqrt(Ishigami::V());
  const double first[] = {S1, S2, 0}, total[] = {ST1, S2, ST3};
  for (bool common : {false, true}) {
    INFO((common ? "common random numbers" : "independent noise"));
    const uint32_t N = common ? 1024 : 4096, R = common ? 32 : 4;
    const auto x = saltelli_points(N, 3, 31);
    Normal normal(common ? 5 : 6);
    std::vector<double> slope(R);
    for (auto& z : slope) z = normal();
    std::vector<double> reps, means;
    for (const auto& row : x) {
      double sum = 0;
      for (uint32_t r = 0; r < R; ++r) {
        const double e =
            common ? (slope[r] * (2 * row[2] - 1) * std::sqrt(3.0) + normal()) / std::sqrt(2.0)
                   : normal();
        reps.push_back(Ishigami::f(row) + sigma * e);
        sum += reps.back();
      }
      means.push_back(sum / R);
    }
    const auto plain = sobol_indices(means, 3, {0, 1});
    const auto mean = sobol_indices_of_mean(reps, R, 3, {300, 1});
    for (size_t i = 0; i < 3; ++i) {
      INFO("x" << i + 1);
      CHECK(mean[i].first == Approx(first[i]).margin(0.04));
      CHECK(mean[i].total == Approx(total[i]).margin(0.04));
      CHECK(mean[i].first_low <= first[i]);
      CHECK(first[i] <= mean[i].first_high);
      CHECK(mean[i].total_low <= total[i]);
      CHECK(total[i] <= mean[i].total_high);
    }
    if (!common) {  // the plain estimators are off by more than the tolerance
      CHECK(std::fabs(plain[1].first - S2) > 0.06);
      CHECK(std::fabs(plain[2].total - ST3) > 0.06);
    }
  }
}

TEST_CASE(
    "indices of the mean response: under common random numbers few replicates give wide "
    "intervals",
    "[stat]") {
  // Noise mostly shared by the points of a replicate (a random slope in x3 per replicate):
  // with R = 3 the estimate rests on 3 draws of the slope, whatever N. The two-way bootstrap's
  // interval is wider than the base points' alone, and judge_index asks for replicates.
  const uint32_t N = 1024, R = 3;
  const auto x = saltelli_points(N, 3, 8);
  Normal normal(9);
  std::vector<double> slope(R);
  for (auto& z : slope) z = 0.5 * normal();
  std::vector<double> reps;
  for (const auto& row : x)
    for (uint32_t r = 0; r < R; ++r)
      reps.push_back(Ishigami::f(row) + std::sqrt(Ishigami::V()) * slope[r] * (2 * row[2] - 1));
  SobolOptions both{300, 1}, points{300, 1, false};
  const auto w = sobol_indices_of_mean(reps, R, 3, both);
  const auto p = sobol_indices_of_mean(reps, R, 3, points);
  const double wide = w[2].total_high - w[2].total_low, narrow = p[2].total_high - p[2].total_low;
  INFO("two-way " << wide << ", points only " << narrow);
  CHECK(wide > 2 * narrow);
  const IndexConvergence c = judge_index(w[2].total, w[2].total_low, w[2].total_high, w[2].total,
                                         w[2].total, N, narrow, R);
  CHECK_FALSE(c.determined);
  CHECK(c.needed_replicates > R);
}

TEST_CASE("indices of the mean response: without noise they are the plain indices", "[unit]") {
  // With every replicate equal, U(x, z) = x z exactly: the estimators reduce to the plain ones.
  const auto x = saltelli_points(64, 3, 2);
  std::vector<double> once, thrice;
  for (const auto& row : x) {
    once.push_back(Ishigami::f(row));
    for (int r = 0; r < 3; ++r) thrice.push_back(once.back());
  }
  const auto a = sobol_indices(once, 3, {0, 1}), b = sobol_indices_of_mean(thrice, 3, 3, {0, 1});
  for (size_t i = 0; i < 3; ++i) {
    CHECK(b[i].first == Approx(a[i].first).margin(1e-9));
    CHECK(b[i].total == Approx(a[i].total).margin(1e-9));
  }
  // One replicate cannot separate noise: NaN. A failed replicate leaves its block out.
  CHECK(std::isnan(sobol_indices_of_mean(once, 1, 3, {0, 1})[0].first));
  thrice[3 * 7 + 1] = std::numeric_limits<double>::quiet_NaN();
  size_t used = 0;
  sobol_indices_of_mean(thrice, 3, 3, {0, 1}, &used);
  CHECK(used == 63);
  CHECK_THROWS_AS(sobol_indices_of_mean(std::span(thrice).first(3 * 5 * 3 - 1), 3, 3, {}),
                  std::invalid_argument);
}

TEST_CASE("judge_index: determined when narrow and settled - else the base points it needs",
          "[unit]") {
  const IndexConvergence ok = judge_index(0.5, 0.45, 0.6, 0.52, 0.4, 256);
  CHECK(ok.determined);
  CHECK(ok.needed_base == 0);
  // Interval 0.3 wide: (0.3 / 0.2)² = 2.25 → 2.25 · 256 = 576 → 1024 (a power of 2).
  const IndexConvergence wide = judge_index(0.5, 0.3, 0.6, 0.5, 0.5, 256);
  CHECK_FALSE(wide.determined);
  CHECK(wide.needed_base == 1024);
  // Narrow but moved 0.15 since N/2: (0.15 / 0.05)² = 9 → 2304 → 4096.
  const IndexConvergence moving = judge_index(0.5, 0.45, 0.55, 0.35, 0.5, 256);
  CHECK_FALSE(moving.determined);
  CHECK(moving.needed_base == 4096);
  // Narrow and settled but just past the movement: still at least twice the base points.
  CHECK(judge_index(0.5, 0.45, 0.55, 0.44, 0.5, 256).needed_base == 512);
  // Replicates: width 0.3 of which 0.1 from points: w_r = √(0.09 − 0.01) = 0.283 > 0.2/√2;
  // R · (0.283 / 0.1414)² = 4 · 4 = 16 replicates; the points' part is narrow: N unchanged.
  const IndexConvergence reps = judge_index(0.5, 0.35, 0.65, 0.5, 0.5, 256, 0.1, 4);
  CHECK_FALSE(reps.determined);
  CHECK(reps.needed_replicates == 16);
  CHECK(reps.needed_base == 256);
  // Below 32 base points nothing is determined, however narrow: it needs 32 at least.
  const IndexConvergence few = judge_index(0.5, 0.49, 0.51, 0.5, 0.5, 8);
  CHECK_FALSE(few.determined);
  CHECK(few.needed_base == 32);
  // Nothing to say about NaN, nor about an estimate without a half.
  CHECK_FALSE(judge_index(NAN, NAN, NAN, 0, 0, 256).determined);
  CHECK(judge_index(NAN, NAN, NAN, 0, 0, 256).needed_base == 0);
  CHECK_FALSE(judge_index(0.5, 0.45, 0.55, NAN, NAN, 2).determined);
}

TEST_CASE("morris effects of a linear function are its slopes - sigma 0", "[unit]") {
  // f = 3 x1 − 2 x2 + 0 x3 on the unit cube: every elementary effect of x_i is exactly c_i.
  const MorrisPoints design = morris_points(12, 3, 4, 8);
  std::vector<double> y;
  for (const auto& p : design.points) y.push_back(3 * p[0] - 2 * p[1]);
  size_t used = 0;
  const auto e = morris_effects(y, design, 3, {100, 2}, &used);
  CHECK(used == 12);
  const double c[] = {3, -2, 0};
  for (size_t i = 0; i < 3; ++i) {
    CHECK(e[i].mu == Approx(c[i]).margin(1e-12));
    CHECK(e[i].mu_star == Approx(std::fabs(c[i])).margin(1e-12));
    CHECK(e[i].sigma == Approx(0).margin(1e-12));
    CHECK(e[i].mu_star_low == Approx(std::fabs(c[i])).margin(1e-12));
  }
  // A failed run drops its trajectory.
  y[4] = std::numeric_limits<double>::quiet_NaN();  // trajectory 1 (points 4 … 7)
  morris_effects(y, design, 3, {0, 2}, &used);
  CHECK(used == 11);
  CHECK_THROWS_AS(morris_effects(std::vector<double>(5, 1.0), design, 3, {}),
                  std::invalid_argument);
}

TEST_CASE("morris mu* ranks the g-function's parameters in their analytic order",
          "[stat][verification]") {
  // a = (0, 1, 4.5, 9, 99): importance falls with a. 50 trajectories, 4 levels: μ* strictly
  // decreasing, and the last (S ≈ 0.0001) below a tenth of the first.
  const GFunction g{{0, 1, 4.5, 9, 99}};
  const MorrisPoints design = morris_points(50, 5, 4, 13);
  std::vector<double> y;
  for (const auto& p : design.points) y.push_back(g(p));
  const auto e = morris_effects(y, design, 5, {200, 4});
  for (size_t i = 0; i + 1 < 5; ++i) {
    INFO("x" << i + 1 << " μ* " << e[i].mu_star << " against x" << i + 2 << " μ* "
             << e[i + 1].mu_star);
    CHECK(e[i].mu_star > e[i + 1].mu_star);
  }
  CHECK(e[4].mu_star < 0.1 * e[0].mu_star);
}
