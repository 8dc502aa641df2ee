#include "sim/layout.h"

#include <algorithm>
#include <stdexcept>

#include "sim/distributions.h"

namespace fourp {

namespace {

// Household sizes of one community of n agents, in order.
// MODEL.md: "households inside a community (size 1 + Poisson(mean−1))"; the last one is cut so
// that the sizes add up to n. Household k of community c draws
// (kSetupStep, c, Purpose::household, k), so a community's households do not depend on the
// sizes of the other communities.
std::vector<uint32_t> household_sizes(uint32_t c, uint32_t n, double household_mean,
                                      const Rng& rng) {
  const double extra_mean = std::max(0.0, household_mean - 1.0);
  std::vector<uint32_t> sizes;
  uint32_t left = n;
  for (uint64_t k = 0; left > 0; ++k) {
    double u = rng.uniform(kSetupStep, c, Purpose::household, k);
    uint32_t size = std::min<uint64_t>(left, 1ull + sample_poisson(extra_mean, u));
    sizes.push_back(size);
    left -= size;
  }
  return sizes;
}

}  // namespace

Layout make_layout(const std::vector<uint32_t>& community_sizes, double household_mean,
                   const Rng& rng) {
  uint64_t total = 0;
  for (uint32_t n : community_sizes) total += n;
  if (total > 0xFFFFFFFFull) throw std::invalid_argument("make_layout: more than 2^32 - 1 agents");

  Layout layout;
  layout.agents = static_cast<uint32_t>(total);
  layout.community.reserve(total);
  layout.household.reserve(total);
  layout.community_start.push_back(0);
  layout.household_start.push_back(0);

  // Agents numbered community by community, and household by household inside a community.
  uint32_t next_agent = 0;
  for (uint32_t c = 0; c < community_sizes.size(); ++c) {
    for (uint32_t size : household_sizes(c, community_sizes[c], household_mean, rng)) {
      const uint32_t h = layout.households();
      next_agent += size;
      layout.household_start.push_back(next_agent);
      layout.community.insert(layout.community.end(), size, c);
      layout.household.insert(layout.household.end(), size, h);
    }
    layout.community_start.push_back(next_agent);
  }
  return layout;
}

}  // namespace fourp
