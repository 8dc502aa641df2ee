#include "models/prevention/outsider_campaign.h"

#include <algorithm>

#include "sim/rng.h"

namespace fourp::models {

namespace {
float clamp01(double x) {
  return static_cast<float>(std::clamp(x, 0.0, 1.0));
}

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
      params(model) {}

bool OutsiderCampaign::targets(uint32_t community, bool at_risk, bool leader, bool survivor) const {
  const Target& t = schedule.target;
  return targets_community[community] && (!t.at_risk_only || at_risk) &&
         (!t.leaders_only || leader) && (!t.survivors_only || survivor);
}

void expose(const OutsiderCampaign& c, float& a, float& o, float& tr, float& f) {
  const PreventionParams& p = c.params;
  const Message& m = c.message;
  const double A = tr;  // acceptance: credibility of an outside source, trust before exposure
  // a ← a + gain_a · A · (1 − a)
  a = clamp01(a + p.gain_a * A * (1.0 - a));
  // f ← f + gain_f · A · efficacy · (1 − f)
  f = clamp01(f + p.gain_f * A * m.efficacy * (1.0 - f));
  // o ← o + (backlash_blame·blame + backlash_sensational·sensational·(1 − efficacy))·(1 − o)
  //       − relevance_o · local_relevance · A · o
  o = clamp01(
      o +
      (p.backlash_blame * m.blame + p.backlash_sensational * m.sensational * (1 - m.efficacy)) *
          (1.0 - o) -
      p.relevance_o * m.local_relevance * A * o);
  // t ← t − distrust_blame · blame · t + trust_relevance · local_relevance · (1 − t)
  tr = clamp01(tr - p.distrust_blame * m.blame * tr +
               p.trust_relevance * m.local_relevance * (1.0 - tr));
}

}  // namespace fourp::models
