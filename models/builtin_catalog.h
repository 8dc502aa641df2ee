// The catalog of every model kind fourp ships (register.h), built once on first use: the one the
// program, the tests, the verification experiments and the benchmarks read scenarios with.
//
//   Scenario s = parse_scenario_file(path, models::builtin_catalog(), sets, diag);
#pragma once

#include "sim/catalog.h"

namespace fourp::models {

// Thread-safe (a function-local static); never changes once built.
const Catalog& builtin_catalog();

}  // namespace fourp::models
