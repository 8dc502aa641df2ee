// How the engine drives a model: the runner asks a Model (one per arm, built by the catalog's
// factory) to start a Simulation on a replicate's world, then alternates step and observe.
// The model kind declares its series and totals (ModelKind::outputs); the engine stores them in
// that order without knowing what they mean.
//
//   auto sim = model.start(world, rng);
//   sim->observe(row0);
//   for (uint32_t t = 0; t < steps; ++t) { sim->step(t); sim->observe(row_t_plus_1); }
#pragma once

#include <cstdint>
#include <memory>
#include <span>
#include <string>
#include <vector>

#include "sim/results.h"
#include "sim/rng.h"
#include "sim/world.h"

namespace fourp {

// Where a simulation writes one row of observables; spans point into preallocated storage.
struct Observation {
  std::span<double> series;      // [metric], means/totals over present agents
  std::span<double> subgroup;    // [metric], over the declared subgroup; empty when none
  std::span<float> communities;  // [metric * communities + community]; empty when not kept
};

class Simulation {
 public:
  virtual ~Simulation() = default;
  // Transition t: state at t → state at t + 1.
  virtual void step(uint32_t t) = 0;
  // The current state's observables (row t + 1 after step(t); row 0 before any step).
  virtual void observe(Observation& row) const = 0;
  // Per-replicate totals, after the last step, in the order of the declared outcomes.
  virtual std::vector<double> totals() const = 0;
  // Per-agent state now, for outputs.snapshots.
  virtual std::vector<Column> snapshot() const = 0;
};

class Model {
 public:
  virtual ~Model() = default;
  // `world` outlives the simulation.
  virtual std::unique_ptr<Simulation> start(const World& world, const Rng& rng) const = 0;
};

}  // namespace fourp
