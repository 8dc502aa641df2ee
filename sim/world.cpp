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

// Attribute numbers: the index (high 32 bits) of each initial-state draw.
enum Attribute : uint64_t { kRoles, kAwareness, kOtherness, kTrust, kEfficacy, kThreshold };

AgentTraits draw_traits(const Scenario& s, const Layout& L, const Rng& rng) {
  const uint32_t n = L.agents;
  AgentTraits tr;
  tr.at_risk.resize(n), tr.leader.resize(n), tr.survivor.resize(n);
  tr.awareness.resize(n), tr.otherness.resize(n), tr.trust.resize(n), tr.efficacy.resize(n);
  tr.threshold.resize(n);
  std::vector<Roles> roles;
  std::vector<InitialState> initial;
  for (uint32_t c = 0; c < L.communities(); ++c) {
    roles.push_back(s.population.roles_of(c));
    initial.push_back(s.population.initial_of(c));
  }
  tbb::parallel_for(uint32_t{0}, n, [&](uint32_t i) {
    const uint32_t c = L.community[i];
    // Roles are independent draws (MODEL.md).
    const auto u = rng.uniform4(kSetupStep, i, Purpose::initial_state, kRoles << 32);
    tr.at_risk[i] = u[0] < roles[c].at_risk;
    tr.leader[i] = u[1] < roles[c].leader;
    tr.survivor[i] = u[2] < roles[c].survivor;
    auto draw = [&](const Distribution& d, Attribute a) {
      RngStream stream(rng, kSetupStep, i, Purpose::initial_state, a << 32);
      return static_cast<float>(sample_unit(d, stream));
    };
    tr.awareness[i] = draw(initial[c].awareness, kAwareness);
    tr.otherness[i] = draw(initial[c].otherness, kOtherness);
    tr.trust[i] = draw(initial[c].trust, kTrust);
    tr.efficacy[i] = draw(initial[c].efficacy, kEfficacy);
    tr.threshold[i] = draw(initial[c].threshold, kThreshold);
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
