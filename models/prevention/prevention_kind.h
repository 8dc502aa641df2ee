// The prevention model as a catalog entry: its parameters, interventions, roles, initial
// traits, outputs and random-number purposes, declared in one place (sim/declarations.h).
#pragma once

#include "sim/catalog.h"

namespace fourp::models {

ModelKind prevention_kind();

}  // namespace fourp::models
