#include "models/prevention/partnership.h"

#include <tbb/parallel_for.h>
#include <algorithm>
#include <cmath>

namespace fourp::models {

namespace {
float clamp01(double x) {
  return static_cast<float>(std::clamp(x, 0.0, 1.0));
}
}  // namespace

PartnershipProgramme::PartnershipProgramme(const InterventionSpec& spec,
                                           const PreventionParams& model,
                                           uint32_t communities_total)
    : name(spec.name),
      draw_index(name_index(spec.name)),
      schedule(spec),
      power_sharing(spec.params.get("power_sharing")),
      recruit_per_step(static_cast<uint32_t>(spec.params.get("recruit_per_step"))),
      recruit_max_otherness(spec.params.get("recruit_max_otherness")),
      weight_survivor(spec.params.get("weights.survivor")),
      weight_leader(spec.params.get("weights.leader")),
      weight_family(spec.params.get("weights.family")),
      dialogues(spec.params.get("dialogues")),
      cost_fixed_per_step(spec.params.get("cost.fixed_per_step")),
      cost_per_partner_step(spec.params.get("cost.per_partner_step")),
      params(model) {
  if (spec.target.communities.empty()) {
    for (uint32_t c = 0; c < communities_total; ++c) communities.push_back(c);
  } else {
    communities = spec.target.communities;
    std::sort(communities.begin(), communities.end());
    communities.erase(std::unique(communities.begin(), communities.end()), communities.end());
  }
  const double s = power_sharing, c = params.peer_credibility;
  keep_unaware = static_cast<float>(1.0 - params.dialogue_a * c);
  keep_unable = static_cast<float>(1.0 - params.dialogue_f * c);
  keep_other = static_cast<float>(1.0 - params.dialogue_o * s * c);
  keep_distrust = static_cast<float>(1.0 - params.dialogue_t * s * c);
}

bool PartnershipProgramme::eligible_role(bool at_risk, bool leader, bool survivor) const {
  const Target& t = schedule.target;
  return (!t.at_risk_only || at_risk) && (!t.leaders_only || leader) &&
         (!t.survivors_only || survivor);
}

void join(const PartnershipProgramme& prog, float& a, float& o, float& tr, float& f) {
  const PreventionParams& p = prog.params;
  const double s = prog.power_sharing;
  o = clamp01((1.0 - s * p.own_o) * o);         // o ← (1 − s·own_o)·o
  tr = clamp01(tr + s * p.own_t * (1.0 - tr));  // t ← t + s·own_t·(1 − t)
  a = clamp01(a + p.own_a * (1.0 - a));         // a ← a + own_a·(1 − a)
  f = clamp01(f + p.own_f * (1.0 - f));         // f ← f + own_f·(1 − f)
}

RecruitmentScratch::RecruitmentScratch(uint32_t communities, uint32_t capacity)
    : heaps_(communities) {
  for (auto& h : heaps_) h.reserve(capacity);
}

void choose_recruits(const PartnershipProgramme& prog, uint8_t k, uint32_t step, const World& world,
                     const AgentState& now, const std::vector<uint8_t>& survivor, const Rng& rng,
                     RecruitmentScratch& scratch, std::vector<uint8_t>& recruit) {
  const Layout& L = world.layout;
  const AgentTraits& tr = world.traits;
  tbb::parallel_for(size_t{0}, prog.communities.size(), [&](size_t ci) {
    const uint32_t c = prog.communities[ci];
    auto& heap = scratch.heap(c);  // max-heap on (key, id): the worst of the best k on top
    heap.clear();
    const size_t want = std::min<size_t>(prog.recruit_per_step, heap.capacity());
    if (want == 0) return;
    uint32_t h = L.household[L.community_start[c]];
    for (; h < L.households() && L.household_start[h] < L.community_start[c + 1]; ++h) {
      uint32_t first = L.household_start[h], last = L.household_start[h + 1];
      uint32_t survivors = 0;
      for (uint32_t i = first; i < last; ++i) survivors += survivor[i];
      for (uint32_t i = first; i < last; ++i) {
        if (now.status[i] != Status::present || now.programme[i] != 0 || recruit[i] != 0) continue;
        if (now.x[i].o > prog.recruit_max_otherness) continue;
        if (!prog.eligible_role(tr.at_risk[i], tr.leader[i], survivor[i])) continue;
        // weight = product of weights.survivor, weights.leader, weights.family that apply
        double w = 1.0;
        if (survivor[i]) w *= prog.weight_survivor;
        if (tr.leader[i]) w *= prog.weight_leader;
        if (survivors > survivor[i]) w *= prog.weight_family;  // another member is a survivor
        if (w <= 0) continue;
        // key = −ln(U) / w; the smallest keys win
        const double u = rng.uniform(step, i, Purpose::recruitment, prog.draw_index);
        // −ln(U) > 1 − U for U < 1, so key > (1 − U)/w: when that bound already loses to the
        // k-th best key so far, the agent cannot win and its logarithm is not needed.
        if (heap.size() == want && (1.0 - u) / w >= heap.front().first) continue;
        std::pair<double, uint32_t> item{-std::log(u) / w, i};
        if (heap.size() < want) {
          heap.push_back(item);
          std::push_heap(heap.begin(), heap.end());
        } else if (item < heap.front()) {
          std::pop_heap(heap.begin(), heap.end());
          heap.back() = item;
          std::push_heap(heap.begin(), heap.end());
        }
      }
    }
    for (const auto& [key, i] : heap) recruit[i] = k;
  });
}

}  // namespace fourp::models
