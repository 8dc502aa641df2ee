// make_layout: agents numbered community by community and household by household; household
// sizes 1 + Poisson(mean − 1) drawn by inverse CDF from (kSetupStep, community,
// Purpose::household, household number), the last household of a community cut to fit.
#include <catch2/catch.hpp>

#include <cmath>
#include <numeric>

#include "sim/layout.h"

using namespace fourp;

namespace {

// Poisson inverse CDF written independently of the engine's: the smallest k with F(k) >= u.
uint32_t poisson_quantile(double mean, double u) {
  double p = std::exp(-mean), cdf = p;
  uint32_t k = 0;
  while (cdf < u) {
    ++k;
    p *= mean / k;
    cdf += p;
  }
  return k;
}

// Every structural promise of layout.h.
void check_consistent(const Layout& layout, const std::vector<uint32_t>& sizes) {
  REQUIRE(layout.communities() == sizes.size());
  REQUIRE(layout.agents == std::accumulate(sizes.begin(), sizes.end(), 0u));
  REQUIRE(layout.community.size() == layout.agents);
  REQUIRE(layout.household.size() == layout.agents);
  REQUIRE(layout.community_start.front() == 0);
  REQUIRE(layout.household_start.front() == 0);
  REQUIRE(layout.household_start.back() == layout.agents);
  for (uint32_t c = 0; c < sizes.size(); ++c) {
    REQUIRE(layout.community_size(c) == sizes[c]);
    for (uint32_t i = layout.community_start[c]; i < layout.community_start[c + 1]; ++i)
      REQUIRE(layout.community[i] == c);
  }
  for (uint32_t h = 0; h < layout.households(); ++h) {
    const uint32_t begin = layout.household_start[h], end = layout.household_start[h + 1];
    REQUIRE(begin < end);  // no empty household
    for (uint32_t i = begin; i < end; ++i) {
      REQUIRE(layout.household[i] == h);
      REQUIRE(layout.community[i] == layout.community[begin]);  // a household is in one community
    }
  }
}

}  // namespace

TEST_CASE("layout: communities and households are contiguous ranges", "[unit]") {
  const std::vector<uint32_t> sizes = {37, 0, 120, 1, 58};
  Layout layout = make_layout(sizes, 4.0, Rng(3, 0));
  check_consistent(layout, sizes);
}

TEST_CASE("layout: household sizes are 1 + Poisson(mean - 1) by inverse CDF", "[unit]") {
  const std::vector<uint32_t> sizes = {200, 150};
  const double mean = 3.5;
  Rng rng(11, 2);
  Layout layout = make_layout(sizes, mean, rng);
  for (uint32_t c = 0; c < sizes.size(); ++c) {
    uint32_t h = layout.household[layout.community_start[c]], k = 0;
    uint32_t left = sizes[c];
    for (; left > 0; ++h, ++k) {
      const uint32_t size = layout.household_start[h + 1] - layout.household_start[h];
      const double u = rng.uniform(kSetupStep, c, Purpose::household, k);
      const uint32_t drawn = 1 + poisson_quantile(mean - 1, u);
      // Every household has its drawn size, except the last, which is cut to fit.
      if (size == left)
        REQUIRE(drawn >= size);
      else
        REQUIRE(size == drawn);
      left -= size;
    }
    REQUIRE(layout.household_start[h] == layout.community_start[c + 1]);
  }
}

TEST_CASE("layout: household mean 1 gives one agent per household", "[unit]") {
  Layout layout = make_layout({10, 5}, 1.0, Rng(1, 0));
  REQUIRE(layout.households() == 15);
  for (uint32_t i = 0; i < 15; ++i) REQUIRE(layout.household[i] == i);
}

TEST_CASE("layout: mean household size matches 1 + (mean - 1)", "[unit]") {
  // Households other than the last of a community are untruncated: size − 1 ~ Poisson(4), so
  // their mean is 5 with sd 2/√H; H ≈ 20000 here, and 5 sd is 0.07.
  const double mean = 5;
  Layout layout = make_layout({50000, 50000}, mean, Rng(5, 1));
  uint64_t agents = 0, households = 0;
  for (uint32_t c = 0; c < 2; ++c) {
    const uint32_t first = layout.household[layout.community_start[c]];
    const uint32_t last = layout.household[layout.community_start[c + 1] - 1];
    agents += layout.household_start[last] - layout.household_start[first];
    households += last - first;
  }
  const double sample_mean = static_cast<double>(agents) / households;
  const double sd = std::sqrt(mean - 1) / std::sqrt(static_cast<double>(households));
  REQUIRE(std::abs(sample_mean - mean) < 5 * sd);
}

TEST_CASE("layout: a pure function of the key", "[unit]") {
  const std::vector<uint32_t> sizes = {300, 300};
  Layout a = make_layout(sizes, 4, Rng(9, 0)), b = make_layout(sizes, 4, Rng(9, 0));
  Layout c = make_layout(sizes, 4, Rng(9, 1));
  REQUIRE(a.household_start == b.household_start);
  REQUIRE(a.household == b.household);
  REQUIRE(a.household_start != c.household_start);
}

TEST_CASE("layout: a community's households do not depend on the other communities", "[unit]") {
  // Draws are keyed by community, so resizing community 0 leaves community 1's sizes alone.
  Rng rng(21, 0);
  Layout a = make_layout({100, 400}, 4, rng), b = make_layout({250, 400}, 4, rng);
  auto sizes_of_community_1 = [](const Layout& l) {
    std::vector<uint32_t> s;
    for (uint32_t h = l.household[l.community_start[1]]; h < l.households(); ++h)
      s.push_back(l.household_start[h + 1] - l.household_start[h]);
    return s;
  };
  REQUIRE(sizes_of_community_1(a) == sizes_of_community_1(b));
}
