// Rule 4 of MODEL.md: a partnership programme in its target communities, with power sharing s.
// Within the rule, in this order: programme end, attrition, recruitment (co-definition on
// joining), dialogue. This file holds the programme's parameters and the pieces of the rule
// that are not per-agent arithmetic in the step: choosing recruits and the effect of joining
// and of one conversation.
#pragma once

#include <algorithm>
#include <array>
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
  std::vector<uint32_t> communities;       // target communities, ascending
  std::vector<uint8_t> targets_community;  // [community] 1 if a target
  double power_sharing = 0.5;              // s
  uint32_t recruit_per_step = 2;
  double recruit_max_otherness = 1.0;
  double weight_survivor = 5, weight_leader = 3, weight_family = 2;
  double dialogues = 2;
  double cost_fixed_per_step = 0, cost_per_partner_step = 0, cost_per_community_step = 0;
  PreventionParams params;  // the model's parameters with this programme's overrides

  // Per conversation heard, the factors by which (1 − a), (1 − f), o and (1 − t) shrink:
  //   a ← a + dialogue_a·c·(1 − a)    f ← f + dialogue_f·c·(1 − f)
  //   o ← o − dialogue_o·s·c·o        t ← t + dialogue_t·s·c·(1 − t)
  // with c = peer_credibility. Each is a product over conversations, so their order is immaterial.
  float keep_unaware, keep_unable, keep_other, keep_distrust;

  // The recruitment weight of each weight class (weight_class below): the product of
  // weights.survivor, weights.leader, weights.family that apply, in that order.
  std::array<double, 8> weight_of_class;

  PartnershipProgramme(const InterventionSpec& spec, const PreventionParams& model,
                       uint32_t communities_total);
  bool active(uint32_t step) const { return schedule.active(step); }
  bool eligible_role(bool at_risk, bool leader, bool survivor) const;
};

// What an agent's recruitment weight depends on, as bits: a survivor, a leader, another member of
// its household a survivor. Survivors stay survivors, so an agent's bits are only ever set.
namespace weight_bit {
inline constexpr uint8_t survivor = 1, leader = 2, family = 4;
}

// Co-definition, on joining:
//   o ← (1 − s·own_o)·o,  t ← t + s·own_t·(1 − t),  a ← a + own_a·(1 − a),  f ← f + own_f·(1 − f)
void join(const PartnershipProgramme& prog, float& a, float& o, float& tr, float& f);

// A contiguous range of agents inside one community: the model's unit of parallel work.
struct AgentRange {
  uint32_t first, last, community;
};

// Buffers for choosing recruits, allocated once per run: the best keys of each range of agents
// and of each community.
class RecruitmentScratch {
 public:
  using Candidate = std::pair<double, uint32_t>;  // (key, agent)
  RecruitmentScratch(size_t ranges, uint32_t communities, uint32_t capacity);
  std::vector<Candidate>& range_best(size_t r) { return range_best_[r]; }
  std::vector<Candidate>& community_best(uint32_t c) { return community_best_[c]; }
  size_t capacity() const { return capacity_; }

 private:
  size_t capacity_;
  std::vector<std::vector<Candidate>> range_best_, community_best_;
};

// Recruitment of programme number k (1-based) at transition `step`: in each target community, up
// to recruit_per_step present non-partners with o ≤ recruit_max_otherness (state at t) who have
// not been chosen by an earlier programme this step. Weighted sampling without replacement by
// exponential keys −ln(U)/w, smallest win (Efraimidis & Spirakis 2006); w is the product of the
// survivor, leader and family weights that apply. Chosen agents get recruit[i] = k.
// Each range keeps its own best keys in parallel; a community's winners are the best of its
// ranges' best. Keys are ordered by (key, agent), a total order, so the winners do not depend on
// how the community is cut into ranges or on threads.
// `weight_class` holds each agent's weight_bit flags at t (survivor among them).
void choose_recruits(const PartnershipProgramme& prog, uint8_t k, uint32_t step,
                     const std::vector<AgentRange>& ranges, const World& world,
                     const AgentState& now, const std::vector<uint8_t>& weight_class,
                     const Rng& rng, RecruitmentScratch& scratch, std::vector<uint8_t>& recruit);

}  // namespace fourp::models
