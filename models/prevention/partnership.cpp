#include "models/prevention/partnership.h"

#include "models/prevention/declarations.h"

#include <tbb/parallel_for.h>
#include <algorithm>
#include <cmath>

#include "models/prevention/unit_interval.h"

namespace fourp::models {

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
      cost_per_community_step(spec.params.get("cost.per_community_step")),
      params(model) {
  if (spec.target.communities.empty()) {
    for (uint32_t c = 0; c < communities_total; ++c) communities.push_back(c);
  } else {
    communities = spec.target.communities;
    std::sort(communities.begin(), communities.end());
    communities.erase(std::unique(communities.begin(), communities.end()), communities.end());
  }
  targets_community.assign(communities_total, 0);
  for (uint32_t c : communities) targets_community[c] = 1;
  const double s = power_sharing, c = params.peer_credibility;
  keep_unaware = static_cast<float>(1.0 - params.dialogue_a * c);
  keep_unable = static_cast<float>(1.0 - params.dialogue_f * c);
  keep_other = static_cast<float>(1.0 - params.dialogue_o * s * c);
  keep_distrust = static_cast<float>(1.0 - params.dialogue_t * s * c);
  for (uint8_t bits = 0; bits < weight_of_class.size(); ++bits) {
    double w = 1.0;
    if (bits & weight_bit::survivor) w *= weight_survivor;
    if (bits & weight_bit::leader) w *= weight_leader;
    if (bits & weight_bit::family) w *= weight_family;
    weight_of_class[bits] = w;
  }
}

bool PartnershipProgramme::eligible_role(bool at_risk, bool leader, bool survivor) const {
  const Target& t = schedule.target;
  return (!t.requires_role(role::at_risk) || at_risk) &&
         (!t.requires_role(role::leader) || leader) &&
         (!t.requires_role(role::survivor) || survivor);
}

void join(const PartnershipProgramme& prog, float& a, float& o, float& tr, float& f) {
  const PreventionParams& p = prog.params;
  const float s = prog.power_sharing, own_o = p.own_o, own_t = p.own_t, own_a = p.own_a,
              own_f = p.own_f;
  o = clamp01((1 - s * own_o) * o);         // o ← (1 − s·own_o)·o
  tr = clamp01(tr + s * own_t * (1 - tr));  // t ← t + s·own_t·(1 − t)
  a = clamp01(a + own_a * (1 - a));         // a ← a + own_a·(1 − a)
  f = clamp01(f + own_f * (1 - f));         // f ← f + own_f·(1 − f)
}

RecruitmentScratch::RecruitmentScratch(size_t ranges, uint32_t communities, uint32_t capacity)
    : capacity_(capacity), range_best_(ranges), community_best_(communities) {
  for (auto& best : range_best_) best.reserve(capacity);
  for (auto& best : community_best_) best.reserve(capacity);
}

namespace {

// Keeps the `want` smallest candidates in a max-heap (the worst of the best on top).
void offer(std::vector<RecruitmentScratch::Candidate>& best, size_t want,
           RecruitmentScratch::Candidate item) {
  if (best.size() < want) {
    best.push_back(item);
    std::push_heap(best.begin(), best.end());
  } else if (item < best.front()) {
    std::pop_heap(best.begin(), best.end());
    best.back() = item;
    std::push_heap(best.begin(), best.end());
  }
}

// Draws are made for agents in chunks of this many, several counters at a time.
constexpr uint32_t kDrawChunk = 256;

// An agent's key −ln(U)/w exceeds (1 − U)/w, so it can beat the k-th best key so far, `best`,
// only if 1 − U < best·w = limit, that is U > 1 − limit. The smallest word whose uniform can pass
// that test, less a margin of 2 for the rounding of this computation: every agent of weight w
// with a smaller word is passed over without reading its state.
uint32_t candidates_from(double limit) {
  if (!(limit < 1.0)) return 0;
  const double x = std::floor((1.0 - limit) * 0x1p32) - 2.0;
  return x <= 0 ? 0 : static_cast<uint32_t>(std::min(x, 4294967295.0));
}

}  // namespace

void choose_recruits(const PartnershipProgramme& prog, uint8_t k, uint32_t step,
                     const std::vector<AgentRange>& ranges, const World& world,
                     const AgentState& now, const std::vector<uint8_t>& weight_class,
                     const Rng& rng, RecruitmentScratch& scratch, std::vector<uint8_t>& recruit) {
  const PreventionTraits tr(world.traits);
  const size_t want = std::min<size_t>(prog.recruit_per_step, scratch.capacity());
  tbb::parallel_for(size_t{0}, ranges.size(), [&](size_t r) {
    auto& best = scratch.range_best(r);
    best.clear();
    const AgentRange& range = ranges[r];
    if (want == 0 || !prog.targets_community[range.community]) return;
    uint32_t words[kDrawChunk];
    // Per weight class, words below this one cannot win (see candidates_from); 0 until `want`
    // keys are held.
    std::array<uint32_t, 8> lowest{};
    for (uint32_t first = range.first; first < range.last; first += kDrawChunk) {
      const uint32_t n = std::min(kDrawChunk, range.last - first);
      rng.uniform_bits(step, first, n, purpose::recruitment, prog.draw_index, words);
      for (uint32_t i = first; i < first + n; ++i) {
        const uint8_t bits = weight_class[i];
        if (words[i - first] < lowest[bits]) continue;  // most agents, once want keys are held
        if (now.status[i] != Status::present || now.programme[i] != 0 || recruit[i] != 0) continue;
        if (now.x[i].lane[lane::o] > prog.recruit_max_otherness) continue;
        if (!prog.eligible_role(tr.at_risk[i], bits & weight_bit::leader,
                                bits & weight_bit::survivor))
          continue;
        // weight = product of weights.survivor, weights.leader, weights.family that apply
        const double w = prog.weight_of_class[bits];
        if (w <= 0) continue;
        // key = −ln(U) / w; the smallest keys win
        const double u = Rng::to_unit(words[i - first]);
        // −ln(U) > 1 − U for U < 1, so key > (1 − U)/w: when that bound already loses to the
        // k-th best key so far, the agent cannot win and its logarithm is not needed.
        if (best.size() == want && (1.0 - u) / w >= best.front().first) continue;
        offer(best, want, {-std::log(u) / w, i});
        if (best.size() == want)
          for (size_t c = 0; c < lowest.size(); ++c)
            lowest[c] = candidates_from(best.front().first * prog.weight_of_class[c]);
      }
    }
  });
  // Each community's winners: the best of its ranges' best (ranges in agent order).
  for (uint32_t c : prog.communities) scratch.community_best(c).clear();
  for (size_t r = 0; r < ranges.size(); ++r)
    for (const auto& item : scratch.range_best(r))
      offer(scratch.community_best(ranges[r].community), want, item);
  for (uint32_t c : prog.communities)
    for (const auto& [key, i] : scratch.community_best(c)) recruit[i] = k;
}

}  // namespace fourp::models
