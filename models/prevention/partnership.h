// Rule 4 of MODEL.md: a partnership programme in its target communities, with power sharing s.
// Within the rule, in this order: programme end, attrition, recruitment (co-definition on
// joining), dialogue. This file holds the programme's parameters and the pieces of the rule
// that are not per-agent arithmetic in the step: choosing recruits and the effect of joining
// and of one conversation.
#pragma once

#include <cstdint>
#include <string>
#include <utility>
#include <vector>

#include "models/prevention/agent_state.h"
#include "models/prevention/parameters.h"
#include "sim/rng.h"
#include "sim/scenario.h"
#include "sim/world.h"

namespace fourp::models {

struct PartnershipProgramme {
  std::string name;
  uint64_t draw_index = 0;  // stable hash of the name: the same draws in every arm
  InterventionSpec schedule;
  std::vector<uint32_t> communities;  // target communities, ascending
  double power_sharing = 0.5;         // s
  uint32_t recruit_per_step = 2;
  double recruit_max_otherness = 1.0;
  double weight_survivor = 5, weight_leader = 3, weight_family = 2;
  double dialogues = 2;
  double cost_fixed_per_step = 0, cost_per_partner_step = 0;
  PreventionParams params;  // the model's parameters with this programme's overrides

  // Per conversation heard, the factors by which (1 − a), (1 − f), o and (1 − t) shrink:
  //   a ← a + dialogue_a·c·(1 − a)    f ← f + dialogue_f·c·(1 − f)
  //   o ← o − dialogue_o·s·c·o        t ← t + dialogue_t·s·c·(1 − t)
  // with c = peer_credibility. Each is a product over conversations, so their order is immaterial.
  float keep_unaware, keep_unable, keep_other, keep_distrust;

  PartnershipProgramme(const InterventionSpec& spec, const PreventionParams& model,
                       uint32_t communities_total);
  bool active(uint32_t step) const { return schedule.active(step); }
  bool eligible_role(bool at_risk, bool leader, bool survivor) const;
};

// Co-definition, on joining:
//   o ← (1 − s·own_o)·o,  t ← t + s·own_t·(1 − t),  a ← a + own_a·(1 − a),  f ← f + own_f·(1 − f)
void join(const PartnershipProgramme& prog, float& a, float& o, float& tr, float& f);

// Per-community buffers for choosing recruits, allocated once per run.
class RecruitmentScratch {
 public:
  RecruitmentScratch(uint32_t communities, uint32_t capacity);
  std::vector<std::pair<double, uint32_t>>& heap(uint32_t community) { return heaps_[community]; }

 private:
  std::vector<std::vector<std::pair<double, uint32_t>>> heaps_;
};

// Recruitment of programme number k (1-based) at transition `step`: in each target community, up
// to recruit_per_step present non-partners with o ≤ recruit_max_otherness (state at t) who have
// not been chosen by an earlier programme this step. Weighted sampling without replacement by
// exponential keys −ln(U)/w, smallest win (Efraimidis & Spirakis 2006); w is the product of the
// survivor, leader and family weights that apply. Chosen agents get recruit[i] = k.
void choose_recruits(const PartnershipProgramme& prog, uint8_t k, uint32_t step, const World& world,
                     const AgentState& now, const std::vector<uint8_t>& survivor, const Rng& rng,
                     RecruitmentScratch& scratch, std::vector<uint8_t>& recruit);

}  // namespace fourp::models
