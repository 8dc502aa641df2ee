// Sample designs: grids in nested-loop order, Latin hypercubes that fill every stratum once,
// Sobol' points equal to the reference sequence (Joe & Kuo, as Boost.Random generates it), their
// scrambled versions keeping the net property, and the Saltelli layout.
#include <catch2/catch.hpp>

#include <boost/random/sobol.hpp>

#include <algorithm>
#include <cmath>
#include <set>

#include "sim/designs.h"

using namespace fourp;

TEST_CASE("grid: every combination with the first parameter varying slowest", "[unit]") {
  const auto g = grid_points({{1, 2}, {10, 20, 30}});
  REQUIRE(g.size() == 6);
  CHECK(g[0] == std::vector<double>{1, 10});
  CHECK(g[1] == std::vector<double>{1, 20});
  CHECK(g[2] == std::vector<double>{1, 30});
  CHECK(g[3] == std::vector<double>{2, 10});
  CHECK(g[5] == std::vector<double>{2, 30});
}

TEST_CASE("latin hypercube: each parameter's samples occupy each of the n strata once", "[unit]") {
  for (uint32_t n : {1u, 2u, 7u, 100u, 1000u}) {
    const size_t d = 5;
    const UnitPoints x = latin_hypercube(n, d, 42);
    REQUIRE(x.size() == n);
    for (size_t i = 0; i < d; ++i) {
      std::vector<int> hits(n, 0);
      for (uint32_t j = 0; j < n; ++j) {
        REQUIRE(x[j][i] > 0);
        REQUIRE(x[j][i] < 1);
        ++hits[static_cast<size_t>(std::floor(x[j][i] * n))];
      }
      INFO("n = " << n << ", dimension " << i);
      CHECK(std::all_of(hits.begin(), hits.end(), [](int h) { return h == 1; }));
    }
  }
}

TEST_CASE("latin hypercube: a pure function of the seed with dimensions permuted independently",
          "[unit]") {
  CHECK(latin_hypercube(50, 3, 7) == latin_hypercube(50, 3, 7));
  CHECK(latin_hypercube(50, 3, 7) != latin_hypercube(50, 3, 8));
  const UnitPoints x = latin_hypercube(50, 2, 7);
  size_t same_stratum = 0;
  for (const auto& p : x) same_stratum += std::floor(p[0] * 50) == std::floor(p[1] * 50);
  CHECK(same_stratum < 10);  // not the identity pairing
}

TEST_CASE("sobol: unscrambled points are the Joe-Kuo sequence (Boost.Random's)", "[unit]") {
  const size_t d = kMaxSobolDimensions;
  const uint32_t n = 600;
  const UnitPoints x = sobol_points(n, d, 0, false);
  // Point 0 is the origin (as (0.5)/2^32); Boost's engine starts at point 1.
  CHECK(x[0][0] == Approx(0).margin(1e-9));
  CHECK(x[1][0] == Approx(0.5));
  CHECK(x[2][0] == Approx(0.75));
  CHECK(x[3][0] == Approx(0.25));
  boost::random::sobol_engine<uint32_t, 32> reference(d);
  size_t mismatches = 0;
  for (uint32_t j = 1; j < n; ++j)
    for (size_t i = 0; i < d; ++i)
      mismatches += (static_cast<double>(reference()) + 0.5) * 0x1p-32 != x[j][i];
  CHECK(mismatches == 0);
}

TEST_CASE("sobol: scrambled points keep one point per elementary interval of 2^m", "[unit]") {
  for (uint64_t seed : {1u, 2u, 99u}) {
    const uint32_t n = 256;
    const UnitPoints x = sobol_points(n, 6, seed, true);
    for (size_t i = 0; i < 6; ++i) {
      std::set<int> cells;
      for (const auto& p : x) cells.insert(static_cast<int>(p[i] * n));
      CHECK(cells.size() == n);
    }
    // Two-dimensional projection of the first two dimensions: a (0, m, 2)-net in base 2 — every
    // 16 × 16 grid cell holds exactly one of the 256 points.
    std::set<int> cells;
    for (const auto& p : x)
      cells.insert(static_cast<int>(p[0] * 16) * 16 + static_cast<int>(p[1] * 16));
    CHECK(cells.size() == n);
  }
  CHECK(sobol_points(64, 3, 1) != sobol_points(64, 3, 2));
  CHECK(sobol_points(64, 3, 1) == sobol_points(64, 3, 1));
}

TEST_CASE("saltelli: blocks of A then AB_1 … AB_d then B", "[unit]") {
  const size_t d = 3;
  const uint32_t n = 16;
  const UnitPoints x = saltelli_points(n, d, 5);
  const UnitPoints base = sobol_points(n, 2 * d, 5, true);
  REQUIRE(x.size() == n * (d + 2));
  for (uint32_t j = 0; j < n; ++j) {
    const auto& a = x[j * (d + 2)];
    const auto& b = x[j * (d + 2) + d + 1];
    CHECK(saltelli_matrix(j * (d + 2), d) == 0);
    CHECK(saltelli_matrix(j * (d + 2) + d + 1, d) == d + 1);
    for (size_t k = 0; k < d; ++k) {
      CHECK(a[k] == base[j][k]);
      CHECK(b[k] == base[j][d + k]);
    }
    for (size_t i = 0; i < d; ++i) {
      const auto& ab = x[j * (d + 2) + 1 + i];
      for (size_t k = 0; k < d; ++k) CHECK(ab[k] == (k == i ? b[k] : a[k]));
    }
  }
}

TEST_CASE("scale_unit: ranges and whole numbers equally likely", "[unit]") {
  CHECK(scale_unit(0.5, 0.2, 0.8, false) == Approx(0.5));
  CHECK(scale_unit(0.0001, 1, 3, true) == 1);
  CHECK(scale_unit(0.34, 1, 3, true) == 2);
  CHECK(scale_unit(0.9999, 1, 3, true) == 3);
  std::vector<int> counts(3, 0);
  for (const auto& p : latin_hypercube(300, 1, 3))
    ++counts[size_t(scale_unit(p[0], 1, 3, true) - 1)];
  CHECK(counts == std::vector<int>{100, 100, 100});
}

TEST_CASE("sample seeds: a pure function of design seed and sample and distinct", "[unit]") {
  CHECK(sample_seed(7, 3) == sample_seed(7, 3));
  std::set<uint32_t> seeds;
  for (uint32_t j = 0; j < 1000; ++j) seeds.insert(sample_seed(7, j));
  CHECK(seeds.size() == 1000);
  CHECK(sample_seed(7, 0) != sample_seed(8, 0));
}

TEST_CASE("morris: trajectories on the grid move every coordinate once by delta", "[unit]") {
  const uint32_t r = 20, p = 6;
  const size_t d = 4;
  const MorrisPoints m = morris_points(r, d, p, 5);
  const double delta = p / (2.0 * (p - 1));
  CHECK(m.delta == Approx(delta));
  REQUIRE(m.points.size() == r * (d + 1));
  std::set<int> bases;
  for (uint32_t t = 0; t < r; ++t) {
    std::set<uint32_t> moved;
    for (size_t k = 0; k <= d; ++k)
      for (size_t i = 0; i < d; ++i) {
        const double level = m.points[t * (d + 1) + k][i] * (p - 1);
        CHECK(level == Approx(std::round(level)).margin(1e-9));  // on the grid
        CHECK(m.points[t * (d + 1) + k][i] >= 0);
        CHECK(m.points[t * (d + 1) + k][i] <= 1);
      }
    for (size_t k = 0; k < d; ++k) {
      const auto &a = m.points[t * (d + 1) + k], &b = m.points[t * (d + 1) + k + 1];
      const uint32_t i = m.moved[t * d + k];
      moved.insert(i);
      CHECK(b[i] - a[i] == Approx(m.up[t * d + k] * delta));
      for (size_t j = 0; j < d; ++j)
        if (j != i) CHECK(b[j] == a[j]);
    }
    CHECK(moved.size() == d);
    bases.insert(static_cast<int>(std::round(m.points[t * (d + 1)][0] * (p - 1))));
  }
  CHECK(bases.size() > 2);  // base points vary
  // A pure function of the seed.
  CHECK(morris_points(r, d, p, 5).points == m.points);
  CHECK(morris_points(r, d, p, 6).points != m.points);
  CHECK_THROWS_AS(morris_points(2, 2, 3, 1), std::invalid_argument);
}

TEST_CASE("scale_grid: ends exact - whole numbers rounded and distinct", "[unit]") {
  CHECK(scale_grid(0, 0.2, 0.8, false) == 0.2);
  CHECK(scale_grid(1, 0.3, 0.9, false) == 0.9);  // exactly (0.3 + 0.6 is 0.9000000000000001)
  std::set<double> v;
  for (int k = 0; k < 4; ++k) v.insert(scale_grid(k / 3.0, 1, 4, true));
  CHECK(v == std::set<double>{1, 2, 3, 4});
}

TEST_CASE("run seeds: common to every sample unless independent", "[unit]") {
  CHECK(run_seed(7, 5, false) == sample_seed(7, 0));
  CHECK(run_seed(7, 5, true) == sample_seed(7, 5));
}
