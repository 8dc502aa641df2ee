// The community prevention model of MODEL.md: awareness, otherness, trust and efficacy on a
// social network; outsider-led campaigns and partnership programmes; action by threshold; and
// trafficking risk with guardians and deterrence.
#pragma once

#include <memory>

#include "sim/model.h"
#include "sim/scenario.h"

namespace fourp::models {

std::unique_ptr<Model> make_prevention_model(const Scenario& scenario, const ArmConfig& arm);

}  // namespace fourp::models
