#include "models/prevention/outsider_campaign.h"

#include <algorithm>

#include "sim/rng.h"

namespace fourp::models {

namespace {
std::vector<uint8_t> community_mask(const Target& target, uint32_t communities) {
  std::vector<uint8_t> mask(communities, target.communities.empty() ? 1 : 0);
  for (uint32_t c : target.communities) mask[c] = 1;
  return mask;
}
}  // namespace

OutsiderCampaign::OutsiderCampaign(const InterventionSpec& spec, const PreventionParams& model,
                                   uint32_t communities)
    : name(spec.name),
      draw_index(name_index(spec.name)),
      schedule(spec),
      targets_community(community_mask(spec.target, communities)),
      reach(spec.params.get("reach")),
      message{spec.params.get("message.blame"), spec.params.get("message.sensational"),
              spec.params.get("message.local_relevance"), spec.params.get("message.efficacy")},
      cost_fixed_per_step(spec.params.get("cost.fixed_per_step")),
      cost_per_contact(spec.params.get("cost.per_contact")),
      cost_per_community_step(spec.params.get("cost.per_community_step")),
      target_communities(static_cast<uint32_t>(
          std::count(targets_community.begin(), targets_community.end(), uint8_t{1}))),
      params(model) {}

}  // namespace fourp::models
