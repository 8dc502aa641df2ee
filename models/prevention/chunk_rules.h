// Rules 1, 2, 3, the dialogue of rule 4, and rule 5 of MODEL.md for a chunk of agents at once,
// each rule one loop over the chunk's arrays (structure of arrays), in the words of MODEL.md.
// Each loop computes every agent of the chunk without branches and is vectorised by the
// compiler; the step keeps an agent's old values where a rule does not apply to it (agents
// not present, not exposed, not near a case). The parts of the rules that concern few agents
// (joining, attrition, approaches, returns) are in the step (prevention_model.cpp), per agent.
#pragma once

#include <cstdint>

#include "models/prevention/agent_state.h"
#include "models/prevention/outsider_campaign.h"
#include "models/prevention/parameters.h"
#include "sim/neighbour_sums.h"

namespace fourp::models {

inline constexpr uint32_t kChunk = 256;  // agents a chunk: its arrays stay in the L1 cache

struct Chunk {
  uint32_t size = 0;
  // Own attitudes, the state at t on entry, updated rule by rule.
  alignas(64) float a[kChunk], o[kChunk], t[kChunk], f[kChunk];
  // Over N(i), the present neighbours at t: sums of a, o, t, f, their number deg*(i), and how
  // many of them are engaged.
  alignas(64) float sum_a[kChunk], sum_o[kChunk], sum_t[kChunk], sum_f[kChunk];
  alignas(64) float present_nb[kChunk], engaged_nb[kChunk];
  // Dialogue heard this step: the agents who heard at least one conversation (few: those with a
  // partner among their neighbours), and for each the products of the per-conversation factors
  // (partnership.h), at the same position k as the agent.
  uint32_t hearers = 0;
  alignas(64) uint32_t hearer[kChunk];
  alignas(64) float keep_unaware[kChunk], keep_unable[kChunk], keep_other[kChunk],
      keep_distrust[kChunk];
  // Flags, 0 or 1, as 32-bit integers: the loops then mix only 32- and 64-bit lanes, which the
  // compiler vectorises.
  alignas(64) uint32_t present[kChunk];      // status present at t
  alignas(64) uint32_t case_nearby[kChunk];  // rule 2 applies
  alignas(64) uint32_t engaged[kChunk];      // e, at t on entry; after rule 5 on exit
  alignas(64) uint32_t partner[kChunk];      // p after rule 4's end, attrition and joining
};

// Per-agent traits of the chunk's agents (pointers to their first agent's entries).
struct ChunkTraits {
  const float *trust0, *f0, *threshold;
  const uint8_t *at_risk, *leader, *survivor;
};

// The chunk's slice of the state at t, from agent `first` on, and the sums over its ties.
struct ChunkInputs {
  const NeighbourRecord* records;  // own record (attitudes when present)
  const NeighbourRecord* sums;     // sums of the records over N(i)
  const Status* status;
  const uint8_t* engaged;      // e
  const uint32_t* present_nb;  // deg*(i): present neighbours
  const uint32_t* engaged_nb;  // engaged present neighbours
  const int32_t* near_until;   // rule 2 applies while near_until ≥ t
};

// The chunk's arrays from its slice of the state at t (agent_state.h lanes and the counts over
// N(i)), and the proximity marks (a case near i in t − window ≤ τ < t ⇔ near_until[i] ≥ t). Absent
// agents' records are zeros: their own values are filled in by the caller. No one has heard any
// dialogue yet.
void unpack_chunk(const ChunkInputs& in, int32_t t, Chunk& c);

// 1. Social learning (terms with neighbour means skipped when N(i) is empty).
void social_learning(const PreventionParams& p, const ChunkTraits& tr, Chunk& c);
// 2. Proximity: a case close to home, where case_nearby.
void proximity(const PreventionParams& p, Chunk& c);
// 3. One campaign's exposure: who is reached follows from the draws (words of
//    Rng::uniform_bits) and the campaign's targets (present agents only); the message applies to
//    them. Returns the exposures, all and of at-risk agents.
struct Exposures {
  uint32_t all = 0, at_risk = 0;
};
Exposures campaign_exposure(const OutsiderCampaign& campaign, const uint32_t* words,
                            const ChunkTraits& tr, Chunk& c);
// 4. Dialogue: the conversations heard, by the hearers only (keep_* factors).
void dialogue_heard(Chunk& c);
// 5. Action decision.
void action_decision(const PreventionParams& p, const ChunkTraits& tr, Chunk& c);

}  // namespace fourp::models
