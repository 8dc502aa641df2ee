// A scenario, parsed once from YAML into typed, validated values (SCENARIO.md). The engine
// reads only these structs, never YAML or strings.
//
//   Diagnostics diag;
//   Scenario s = parse_scenario_file("scenarios/rural-district.yaml", catalog, {}, diag);
//   for (const Arm& arm : s.arms) { ArmConfig cfg = resolve_arm(s, arm); ... }
#pragma once

#include <cstdint>
#include <filesystem>
#include <optional>
#include <string>
#include <vector>

#include "sim/catalog.h"
#include "sim/decision.h"
#include "sim/diagnostics.h"
#include "sim/params.h"
#include "sim/uncertainty.h"

namespace fourp {

// Overrides for some communities; unset entries keep the population's values. Roles and
// initial distributions are aligned with the model kind's declarations (ModelKind::roles,
// ModelKind::traits).
struct Group {
  std::vector<uint32_t> communities;
  std::vector<std::optional<double>> roles;
  std::vector<std::optional<Distribution>> initial;
  SourceLoc loc;
};

struct PopulationSpec {
  uint32_t size = 10000;
  uint32_t communities = 10;
  std::vector<uint32_t> community_sizes;  // empty: equal sizes (the first size % C get one more)
  double household_size = 5;              // mean; sizes are 1 + Poisson(mean - 1)
  // The probability of each role and the initial distribution of each trait the model kind
  // declares (ModelKind::roles, ModelKind::traits, in their order), its defaults unless given.
  std::vector<double> roles;
  std::vector<Distribution> initial;
  std::vector<Group> groups;

  uint32_t community_size(uint32_t c) const;
  // Roles and initial distributions of community c after applying the groups in order.
  std::vector<double> roles_of(uint32_t c) const;
  std::vector<Distribution> initial_of(uint32_t c) const;
};

struct NetworkSpec {
  // complete: every pair of agents (at most kMaxCompleteAgents); tree: the complete k-ary tree,
  // whose node count decides population.size (tree_nodes below).
  enum class Kind { villages, erdos_renyi, watts_strogatz, barabasi_albert, complete, tree, file };
  Kind kind = Kind::villages;
  double within_degree = 8;     // villages: ring lattice degree inside a community (even)
  double rewire = 0.1;          // villages, watts_strogatz: probability a far end is rewired
  double between_degree = 0.3;  // villages: tie ends per agent to other communities, on average
  double mean_degree = 8;       // erdos_renyi
  uint32_t degree = 8;          // watts_strogatz: ring lattice degree (even)
  uint32_t edges_per_node = 3;  // barabasi_albert
  uint32_t branching = 2;       // tree: children of every inner node (1: a path)
  uint32_t depth = 10;          // tree: levels below the root
  std::filesystem::path path;   // file: edge list (absolute after parsing)
  std::filesystem::path communities;  // file: optional node -> community table
  SourceLoc loc;                      // of the `network:` section, for file errors
};

// Where an intervention acts.
struct Target {
  std::vector<uint32_t> communities;  // empty: all communities
  // `roles: [...]`: bit r set means only agents with the kind's role r (ModelKind::roles).
  uint32_t roles = 0;
  bool requires_role(size_t r) const { return (roles >> r) & 1u; }
};

struct InterventionSpec {
  std::string name;  // its key under `interventions:`
  std::string kind;  // a registered InterventionKind
  int64_t start = 0;
  std::optional<int64_t> duration;  // none: to the end of the run
  Target target;
  ParamValues params;           // the kind's own parameters
  ParamValues model_overrides;  // on ModelKind::all_params; is_set() marks what this one overrides
  SourceLoc loc;

  bool active(int64_t t) const {  // MODEL.md: active in transitions start <= t < start + duration
    return t >= start && (!duration || t < start + *duration);
  }
};

// One `set` of an arm, or one `--set` of the command line: a dotted path and a number.
struct Setting {
  std::string path;
  double value = 0;
  SourceLoc loc;
};

struct Arm {
  std::string name;
  std::vector<std::string> interventions;  // names, in the order they apply
  std::vector<Setting> set;
  SourceLoc loc;
};

struct Outputs {
  bool by_community = true;
  std::vector<int64_t> snapshots;  // steps (0..steps) at which replicate 0's agents are saved
};

struct Scenario {
  std::string name = "scenario";
  std::string description;
  uint64_t seed = 1;  // < 2^32: it is half of the Philox key (the replicate is the other half)
  uint32_t replicates = 10;
  int64_t steps = 156;
  std::string step_unit = "week";
  std::string currency = "USD";
  std::filesystem::path file;  // where it was read from; file network paths are relative to it

  PopulationSpec population;
  NetworkSpec network;
  std::string model_kind;             // `model.kind`, or the catalog's default kind
  std::vector<ParamValues> sections;  // aligned with ModelKind::sections; [0] is `model`
  std::vector<InterventionSpec> interventions;
  std::vector<Arm>
      arms;  // at least one; a scenario without `arms` has one arm of every intervention
  std::string baseline_arm;
  Outputs outputs;
  // `uncertainty:`: parameters drawn per replicate (sim/uncertainty.h), in the file's order;
  // a path fixed by --set is removed from it.
  std::vector<UncertainParameter> uncertainty;
  // `decision: {willingness_to_pay: {min, max, points}}`: the λ grid of the decision analysis
  // (sim/decision_analysis.h); without max, one spanning the frontier's ICERs.
  WillingnessToPay willingness_to_pay;

  const ModelKind* kind = nullptr;  // into the catalog the scenario was parsed with

  const InterventionSpec* intervention(std::string_view name) const;
  const Arm* arm(std::string_view name) const;
  const ParamValues* section(std::string_view name) const;
};

// What one arm runs: the scenario's model sections and interventions with the arm's `set`
// applied, interventions in the arm's order.
struct ArmConfig {
  std::string name;
  std::vector<ParamValues> sections;
  std::vector<InterventionSpec> interventions;
};

// Applies an arm's settings. The scenario has been validated, so every path resolves.
ArmConfig resolve_arm(const Scenario& scenario, const Arm& arm);

// Paths a `set`, `--set` or sweep parameter may name, with their allowed ranges:
// `model.<p>`, `<section>.<p>`, `interventions.<name>.<p>` (start, duration, and the kind's and
// model's parameters), and — for `--set` and sweeps only — `seed`, `replicates`, `steps`,
// `population.size`, `population.communities`, `population.household_size`,
// `population.roles.<r>`, and the network's numeric keys.
struct SettablePath {
  std::string path;
  ParamSpec spec;
  bool arm_may_set;  // only model sections and interventions: arms share the world
};
std::vector<SettablePath> settable_paths(const Scenario& scenario);

// An example for messages: "model.<first parameter>=<its default>" of the kind (the first
// parameter of its `model:` section), "steps=52" for a kind without parameters or none.
std::string example_setting(const ModelKind* kind);

// Applies one setting (already validated against settable_paths) to the scenario.
// Reports an unknown path or an out-of-range value into diag and leaves the scenario unchanged.
// Setting a `tree` network's branching or depth also sets population.size to its node count.
void apply_setting(Scenario& scenario, const Setting& setting, Diagnostics& diag);

// --- Shared by the parser, settable_paths and to_yaml (one table each, so they cannot drift) ---

// The allowed range of a scenario number that is not a model parameter, by key: "seed",
// "replicates", "steps", "population.size", "population.communities",
// "population.community_sizes" (each entry), "population.household_size", "population.roles"
// (each role), "network.<key>", "start", "duration" (of an intervention), "outputs.snapshots"
// (each step), "outputs.by_community" (0 or 1). Throws std::logic_error for other keys.
const ParamSpec& scenario_number_spec(std::string_view key);

// Network kinds by their YAML name, and the numeric keys each takes (in the order printed).
std::string_view network_kind_name(NetworkSpec::Kind kind);
std::optional<NetworkSpec::Kind> network_kind_from_name(std::string_view name);
std::vector<std::string> network_kind_names();
std::vector<std::string> network_number_keys(NetworkSpec::Kind kind);
double network_number(const NetworkSpec& network, std::string_view key);  // a key listed above
void set_network_number(NetworkSpec& network, std::string_view key, double value);

// A `tree` network decides the population size: 1 + b + b² + … + b^depth agents, numbered
// breadth first (the root is agent 0, the children of v are b·v + 1 … b·v + b). None when the
// count exceeds 2^32 − 1 agents.
std::optional<uint32_t> tree_nodes(uint32_t branching, uint32_t depth);
// A `complete` network has N(N − 1)/2 ties; beyond this many agents it would need gigabytes.
inline constexpr uint32_t kMaxCompleteAgents = 5000;

}  // namespace fourp
