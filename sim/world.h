// A replicate's world: who lives where (layout), who knows whom (network), and each agent's
// roles and initial values drawn from the population's distributions. Built once per replicate
// and shared, read-only, by every arm of that replicate (common random numbers, MODEL.md).
//
//   World w = build_world(scenario, replicate, network_file);
#pragma once

#include <cstdint>
#include <optional>
#include <vector>

#include "sim/diagnostics.h"
#include "sim/layout.h"
#include "sim/network.h"
#include "sim/rng.h"

namespace fourp {

struct Scenario;

// Roles and initial values, one entry an agent (structure of arrays), in the order the model
// kind declares them (ModelKind::roles, ModelKind::traits); the model names the indices.
struct AgentTraits {
  std::vector<std::vector<uint8_t>> roles;  // [role][agent]: 1 when the agent has the role
  std::vector<std::vector<float>> initial;  // [trait][agent]
};

struct World {
  Layout layout;
  Network network;
  AgentTraits traits;
};

// Draws: role r from word r % 4 of (kSetupStep, agent, Purpose::initial_state, r / 4), trait j
// from a stream at (kSetupStep, agent, Purpose::initial_state, (j + 1) << 32),
// households and network as in layout.h and network.h; all keyed by (scenario.seed, replicate).
// `file` is the scenario's network file, read once, when network.kind is `file`.
World build_world(const Scenario& scenario, uint32_t replicate, const NetworkFile* file);

}  // namespace fourp

namespace fourp {
// A file network decides the population: its size and communities come from the file. Sets
// them in the scenario and checks community ids named by groups and targets against them.
void apply_network_file(Scenario& scenario, const NetworkFile& file, Diagnostics& diag);
}  // namespace fourp
