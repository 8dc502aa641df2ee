// The names the prevention model gives to what it declares (prevention_kind.cpp): its draws'
// purposes, and the positions of its roles and initial traits in the world's AgentTraits.
#pragma once

#include <cstdint>
#include <vector>

#include "sim/rng.h"
#include "sim/world.h"

namespace fourp::models {

// Random-number purposes of rules 3, 4 and 6 (MODEL.md "Randomness and reproducibility").
namespace purpose {
inline constexpr Purpose exposure{4};
inline constexpr Purpose recruitment{5};
inline constexpr Purpose attrition{6};
inline constexpr Purpose dialogue{7};
inline constexpr Purpose approach{8};
inline constexpr Purpose protection{9};
inline constexpr Purpose report{10};
inline constexpr Purpose return_home{11};
}  // namespace purpose
inline constexpr uint32_t kFirstPurpose = 4, kLastPurpose = 11;

// `population.roles`, in this order.
namespace role {
enum : uint32_t { at_risk, leader, survivor };
}
// `population.initial`, in this order.
namespace trait {
enum : uint32_t { awareness, otherness, trust, efficacy, threshold };
}

// The world's roles and initial traits by their names in MODEL.md.
struct PreventionTraits {
  explicit PreventionTraits(const AgentTraits& t)
      : at_risk(t.roles.at(role::at_risk)),
        leader(t.roles.at(role::leader)),
        survivor(t.roles.at(role::survivor)),
        awareness(t.initial.at(trait::awareness)),
        otherness(t.initial.at(trait::otherness)),
        trust(t.initial.at(trait::trust)),
        efficacy(t.initial.at(trait::efficacy)),
        threshold(t.initial.at(trait::threshold)) {}
  const std::vector<uint8_t>&at_risk, &leader, &survivor;
  const std::vector<float>&awareness, &otherness, &trust, &efficacy, &threshold;
};

}  // namespace fourp::models
