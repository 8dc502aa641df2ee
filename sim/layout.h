// Who is where: agents numbered community by community, and inside a community household by
// household, so that every community and every household is a contiguous range of agent ids.
//
//   Layout layout = make_layout(population_spec, rng);
//   for (uint32_t i = layout.community_start[c]; i < layout.community_start[c + 1]; ++i) ...
#pragma once

#include <cstdint>
#include <span>
#include <vector>

#include "sim/rng.h"

namespace fourp {

struct PopulationSpec;

struct Layout {
  uint32_t agents = 0;
  std::vector<uint32_t> community_start;  // size communities + 1
  std::vector<uint32_t> household_start;  // size households + 1
  std::vector<uint32_t> community;        // per agent
  std::vector<uint32_t> household;        // per agent

  uint32_t communities() const { return static_cast<uint32_t>(community_start.size()) - 1; }
  uint32_t households() const { return static_cast<uint32_t>(household_start.size()) - 1; }
  uint32_t community_size(uint32_t c) const { return community_start[c + 1] - community_start[c]; }
};

// Households inside each community: sizes 1 + Poisson(mean − 1), the last one cut to fit.
// Draws: (kSetupStep, community, Purpose::household, household number).
Layout make_layout(const std::vector<uint32_t>& community_sizes, double household_mean,
                   const Rng& rng);

}  // namespace fourp
