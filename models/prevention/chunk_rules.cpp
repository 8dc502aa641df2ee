#include "models/prevention/chunk_rules.h"
#include "models/prevention/declarations.h"

#include "models/prevention/agent_state.h"
#include "models/prevention/unit_interval.h"
#include "sim/rng.h"
#include "sim/simd_clones.h"

namespace fourp::models {

// Each loop is compiled for AVX-512, AVX2 and baseline x86-64 (sim/simd_clones.h): same bits.

FOURP_SIMD_CLONES void unpack_chunk(const ChunkInputs& in, int32_t t, Chunk& c) {
  const NeighbourRecord* __restrict records = in.records;
  const NeighbourRecord* __restrict sums = in.sums;
  // Counts are far below 2³¹: through int32 they convert to float in one vector instruction.
  auto count = [](uint32_t n) { return static_cast<float>(static_cast<int32_t>(n)); };
  c.hearers = 0;
  for (uint32_t k = 0; k < c.size; ++k) {
    const float* own = records[k].lane;
    c.a[k] = own[lane::a], c.o[k] = own[lane::o], c.t[k] = own[lane::t], c.f[k] = own[lane::f];
    c.present[k] = in.status[k] == Status::present, c.engaged[k] = in.engaged[k];
    const float* sum = sums[k].lane;
    c.sum_a[k] = sum[lane::a], c.sum_o[k] = sum[lane::o];
    c.sum_t[k] = sum[lane::t], c.sum_f[k] = sum[lane::f];
    c.present_nb[k] = count(in.present_nb[k]), c.engaged_nb[k] = count(in.engaged_nb[k]);
    c.case_nearby[k] = in.near_until[k] >= t;
  }
}

FOURP_SIMD_CLONES void social_learning(const PreventionParams& p, const ChunkTraits& tr, Chunk& c) {
  const float kappa_a = p.kappa_a, forget = p.forget, kappa_f = p.kappa_f,
              efficacy_relax = p.efficacy_relax, kappa_o = p.kappa_o, kappa_t = p.kappa_t,
              trust_relax = p.trust_relax;
  for (uint32_t k = 0; k < c.size; ++k) {
    const float n = c.present_nb[k];
    const bool alone = n == 0;
    const float per = 1.0f / (alone ? 1.0f : n);  // one division for the four means
    const float a = c.a[k], o = c.o[k], t = c.t[k], f = c.f[k];
    const float ma = alone ? a : c.sum_a[k] * per, mf = alone ? f : c.sum_f[k] * per;
    const float mo = alone ? o : c.sum_o[k] * per, mt = alone ? t : c.sum_t[k] * per;
    const float gap_a = ma - a, gap_f = mf - f;
    // a ← a + kappa_a · max(0, āᵢ − a) − forget · a
    c.a[k] = clamp01(a + kappa_a * (gap_a > 0.0f ? gap_a : 0.0f) - forget * a);
    // f ← f + kappa_f · max(0, f̄ᵢ − f) + efficacy_relax · (f0 − f)
    c.f[k] = clamp01(f + kappa_f * (gap_f > 0.0f ? gap_f : 0.0f) + efficacy_relax * (tr.f0[k] - f));
    // o ← o + kappa_o · (ōᵢ − o)
    c.o[k] = clamp01(o + kappa_o * (mo - o));
    // t ← t + kappa_t · (t̄ᵢ − t) + trust_relax · (trust0 − t)
    c.t[k] = clamp01(t + kappa_t * (mt - t) + trust_relax * (tr.trust0[k] - t));
  }
}

FOURP_SIMD_CLONES void proximity(const PreventionParams& p, Chunk& c) {
  const float eta_o = p.eta_o, denial = p.denial, eta_a = p.eta_a;
  for (uint32_t k = 0; k < c.size; ++k) {
    const float o = c.o[k], a = c.a[k];
    const float o2 = clamp01(o - eta_o * (1 - denial * o) * o);  // o ← o − eta_o·(1 − denial·o)·o
    const float a2 = clamp01(a + eta_a * (1 - a));               // a ← a + eta_a·(1 − a)
    c.o[k] = c.case_nearby[k] ? o2 : o;
    c.a[k] = c.case_nearby[k] ? a2 : a;
  }
}

FOURP_SIMD_CLONES Exposures campaign_exposure(const OutsiderCampaign& campaign,
                                              const uint32_t* words, const ChunkTraits& tr,
                                              Chunk& c) {
  const Target& target = campaign.schedule.target;
  const uint32_t need_at_risk = target.requires_role(role::at_risk),
                 need_leader = target.requires_role(role::leader),
                 need_survivor = target.requires_role(role::survivor);
  const uint64_t reached_below = Rng::words_below(campaign.reach);  // u < reach ⇔ word < this
  uint32_t all = 0, at_risk = 0;
  for (uint32_t k = 0; k < c.size; ++k) {
    const uint32_t at_risk_k = tr.at_risk[k];
    const uint32_t targeted = c.present[k] & (at_risk_k | (need_at_risk ^ 1)) &
                              (uint32_t{tr.leader[k]} | (need_leader ^ 1)) &
                              (uint32_t{tr.survivor[k]} | (need_survivor ^ 1));
    const uint32_t hit = targeted & (words[k] < reached_below);
    all += hit;
    at_risk += hit & at_risk_k;
    float a = c.a[k], o = c.o[k], t = c.t[k], f = c.f[k];
    expose(campaign, a, o, t, f);
    c.a[k] = hit ? a : c.a[k], c.o[k] = hit ? o : c.o[k];
    c.t[k] = hit ? t : c.t[k], c.f[k] = hit ? f : c.f[k];
  }
  return {all, at_risk};
}

// Scalar: a few agents of a chunk, at most, hear anyone.
void dialogue_heard(Chunk& c) {
  for (uint32_t n = 0; n < c.hearers; ++n) {
    const uint32_t k = c.hearer[n];
    c.a[k] = clamp01(1 - (1 - c.a[k]) * c.keep_unaware[k]);  // a ← a + dialogue_a·c·(1 − a)
    c.f[k] = clamp01(1 - (1 - c.f[k]) * c.keep_unable[k]);   // f ← f + dialogue_f·c·(1 − f)
    c.o[k] = clamp01(c.o[k] * c.keep_other[k]);              // o ← o − dialogue_o·s·c·o
    c.t[k] = clamp01(1 - (1 - c.t[k]) * c.keep_distrust[k]);  // t ← t + dialogue_t·s·c·(1 − t)
  }
}

FOURP_SIMD_CLONES void action_decision(const PreventionParams& p, const ChunkTraits& tr, Chunk& c) {
  const float social_weight = p.social_weight, hysteresis = p.hysteresis;
  for (uint32_t k = 0; k < c.size; ++k) {
    // m = a·(1 − o)·f + social_weight·ēᵢ, ēᵢ the engaged share of N(i) (0 when N(i) is empty)
    const float n = c.present_nb[k];
    const float share = c.engaged_nb[k] / (n == 0 ? 1.0f : n);
    const float engaged_share = n == 0 ? 0.0f : share;
    const float motive = c.a[k] * (1 - c.o[k]) * c.f[k] + social_weight * engaged_share;
    const float theta = tr.threshold[k];
    // e ← 1 if m ≥ θ; e ← 0 if e = 1 and m < θ − hysteresis; partners: e = 1
    const uint32_t act = motive >= theta;
    const uint32_t stop = motive < theta - hysteresis;
    c.engaged[k] = c.partner[k] | act | (c.engaged[k] & (stop ^ 1));
  }
}

}  // namespace fourp::models
