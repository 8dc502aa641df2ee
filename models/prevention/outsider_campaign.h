// Rule 3 of MODEL.md: an outsider-led awareness campaign. Each active campaign exposes each
// targeted present agent with probability `reach`; the message's effect depends on the agent's
// trust in outsiders (source credibility) and on the message's blame, sensationalism, local
// relevance and efficacy.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "models/prevention/parameters.h"
#include "sim/layout.h"
#include "sim/scenario.h"

namespace fourp::models {

struct Message {
  double blame = 0, sensational = 0, local_relevance = 0.5, efficacy = 0.5;
};

struct OutsiderCampaign {
  std::string name;
  uint64_t draw_index = 0;  // stable hash of the name: the same draws in every arm
  InterventionSpec schedule;
  std::vector<uint8_t> targets_community;  // [community] 1 if targeted
  double reach = 0.3;
  Message message;
  double cost_fixed_per_step = 0, cost_per_contact = 0;
  PreventionParams params;  // the model's parameters with this campaign's overrides

  OutsiderCampaign(const InterventionSpec& spec, const PreventionParams& model,
                   uint32_t communities);
  bool active(uint32_t step) const { return schedule.active(step); }
  bool targets(uint32_t community, bool at_risk, bool leader, bool survivor) const;
};

// One exposure of an agent with awareness a, otherness o, trust tr and efficacy f (updated in
// place). Acceptance A is the agent's trust before the exposure.
void expose(const OutsiderCampaign& campaign, float& a, float& o, float& tr, float& f);

}  // namespace fourp::models
