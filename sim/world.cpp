#include "sim/world.h"

#include <fmt/format.h>
#include <tbb/parallel_for.h>

#include "sim/distributions.h"
#include "sim/scenario.h"

namespace fourp {

namespace {

std::vector<uint32_t> community_sizes(const Scenario& s, const NetworkFile* file) {
  if (file) return file->community_sizes;
  std::vector<uint32_t> sizes;
  for (uint32_t c = 0; c < s.population.communities; ++c)
    sizes.push_back(s.population.community_size(c));
  return sizes;
}

AgentTraits draw_traits(const Scenario& s, const Layout& L, const Rng& rng) {
  const uint32_t n = L.agents;
  const size_t roles = s.population.roles.size(), traits = s.population.initial.size();
  AgentTraits tr;
  tr.roles.assign(roles, std::vector<uint8_t>(n));
  tr.initial.assign(traits, std::vector<float>(n));
  std::vector<std::vector<double>> role_p;
  std::vector<std::vector<Distribution>> initial;
  for (uint32_t c = 0; c < L.communities(); ++c) {
    role_p.push_back(s.population.roles_of(c));
    initial.push_back(s.population.initial_of(c));
  }
  tbb::parallel_for(uint32_t{0}, n, [&](uint32_t i) {
    const uint32_t c = L.community[i];
    // Roles are independent draws (MODEL.md), four from one counter.
    for (size_t r = 0; r < roles; r += 4) {
      const auto u = rng.uniform4(kSetupStep, i, Purpose::initial_state, r / 4);
      for (size_t k = r; k < roles && k < r + 4; ++k) tr.roles[k][i] = u[k - r] < role_p[c][k];
    }
    // Trait j draws from its own stream, index (j + 1) << 32 (0 is the roles').
    for (size_t j = 0; j < traits; ++j) {
      RngStream stream(rng, kSetupStep, i, Purpose::initial_state, uint64_t{j + 1} << 32);
      tr.initial[j][i] = static_cast<float>(sample_unit(initial[c][j], stream));
    }
  });
  return tr;
}

}  // namespace

World build_world(const Scenario& scenario, uint32_t replicate, const NetworkFile* file) {
  const Rng rng(scenario.seed, replicate);
  World w;
  w.layout = make_layout(community_sizes(scenario, file), scenario.population.household_size, rng);
  w.network =
      file ? Network(w.layout.agents, file->ties) : build_network(scenario.network, w.layout, rng);
  w.traits = draw_traits(scenario, w.layout, rng);
  return w;
}

}  // namespace fourp

namespace fourp {

void apply_network_file(Scenario& s, const NetworkFile& file, Diagnostics& diag) {
  PopulationSpec& pop = s.population;
  pop.community_sizes = file.community_sizes;
  pop.communities = static_cast<uint32_t>(file.community_sizes.size());
  pop.size = static_cast<uint32_t>(file.node_ids.size());
  auto check = [&](const std::vector<uint32_t>& ids, const SourceLoc& loc, const char* what) {
    for (uint32_t c : ids)
      if (c >= pop.communities)
        diag.error(loc, fmt::format("{} names community {}, but the network file has {} "
                                    "(ids 0 to {})",
                                    what, c, pop.communities, pop.communities - 1));
  };
  for (const Group& g : pop.groups) check(g.communities, g.loc, "a group");
  for (const InterventionSpec& i : s.interventions)
    check(i.target.communities, i.loc, "an intervention's target");
}

}  // namespace fourp
