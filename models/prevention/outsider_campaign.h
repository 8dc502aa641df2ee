// Rule 3 of MODEL.md: an outsider-led awareness campaign. Each active campaign exposes each
// targeted present agent with probability `reach`; the message's effect depends on the agent's
// trust in outsiders (source credibility) and on the message's blame, sensationalism, local
// relevance and efficacy.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "models/prevention/declarations.h"
#include "models/prevention/parameters.h"
#include "models/prevention/unit_interval.h"
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
  double cost_per_community_step = 0;
  uint32_t target_communities = 0;  // how many communities it targets (for its cost)
  PreventionParams params;          // the model's parameters with this campaign's overrides

  OutsiderCampaign(const InterventionSpec& spec, const PreventionParams& model,
                   uint32_t communities);
  bool active(uint32_t step) const { return schedule.active(step); }
  bool targets(uint32_t community, bool at_risk, bool leader, bool survivor) const {
    const Target& t = schedule.target;
    return targets_community[community] && (!t.requires_role(role::at_risk) || at_risk) &&
           (!t.requires_role(role::leader) || leader) &&
           (!t.requires_role(role::survivor) || survivor);
  }
};

// One exposure of an agent with awareness a, otherness o, trust tr and efficacy f (updated in
// place). Acceptance A is the agent's trust before the exposure. Inline: a third of the agents of
// a targeted community are exposed every step.
inline void expose(const OutsiderCampaign& c, float& a, float& o, float& tr, float& f) {
  const PreventionParams& p = c.params;
  const Message& m = c.message;
  const float gain_a = p.gain_a, gain_f = p.gain_f, backlash_blame = p.backlash_blame,
              backlash_sensational = p.backlash_sensational, relevance_o = p.relevance_o,
              distrust_blame = p.distrust_blame, trust_relevance = p.trust_relevance;
  const float blame = m.blame, sensational = m.sensational, local_relevance = m.local_relevance,
              efficacy = m.efficacy;
  const float A = tr;  // acceptance: credibility of an outside source, trust before exposure
  // a ← a + gain_a · A · (1 − a)
  a = clamp01(a + gain_a * A * (1 - a));
  // f ← f + gain_f · A · efficacy · (1 − f)
  f = clamp01(f + gain_f * A * efficacy * (1 - f));
  // o ← o + (backlash_blame·blame + backlash_sensational·sensational·(1 − efficacy))·(1 − o)
  //       − relevance_o · local_relevance · A · o
  o = clamp01(
      o + (backlash_blame * blame + backlash_sensational * sensational * (1 - efficacy)) * (1 - o) -
      relevance_o * local_relevance * A * o);
  // t ← t − distrust_blame · blame · t + trust_relevance · local_relevance · (1 − t)
  tr = clamp01(tr - distrust_blame * blame * tr + trust_relevance * local_relevance * (1 - tr));
}

}  // namespace fourp::models
