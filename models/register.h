// Registers every model kind fourp ships, with its parameter schemas and interventions, in a
// catalog. The program and the tests call this once at start.
#pragma once

#include "sim/catalog.h"

namespace fourp::models {

void register_all(Catalog& catalog);

}  // namespace fourp::models
