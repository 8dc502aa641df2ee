#include "sim/scenario.h"

#include <fmt/format.h>
#include <algorithm>
#include <cmath>
#include <limits>
#include <stdexcept>

namespace fourp {

namespace {

constexpr double kInf = std::numeric_limits<double>::infinity();
constexpr double kMaxU32 = 4294967295.0;

// Steps are stored as int64; beyond 2^53 doubles are no longer whole, and start + duration must
// not overflow, so longer spans are "forever" anyway.
constexpr double kMaxSteps = 9007199254740992.0;  // 2^53

int64_t to_steps(double v) {
  return static_cast<int64_t>(std::min(v, kMaxSteps));
}

}  // namespace

// --- PopulationSpec -------------------------------------------------------------------------

uint32_t PopulationSpec::community_size(uint32_t c) const {
  if (!community_sizes.empty()) return community_sizes.at(c);
  // Equal sizes: the first size % C communities get one agent more.
  return size / communities + (c < size % communities ? 1 : 0);
}

namespace {
bool group_has(const Group& g, uint32_t c) {
  return std::find(g.communities.begin(), g.communities.end(), c) != g.communities.end();
}
}  // namespace

std::vector<double> PopulationSpec::roles_of(uint32_t c) const {
  std::vector<double> r = roles;
  for (const Group& g : groups) {
    if (!group_has(g, c)) continue;
    for (size_t i = 0; i < r.size() && i < g.roles.size(); ++i)
      if (g.roles[i]) r[i] = *g.roles[i];
  }
  return r;
}

std::vector<Distribution> PopulationSpec::initial_of(uint32_t c) const {
  std::vector<Distribution> s = initial;
  for (const Group& g : groups) {
    if (!group_has(g, c)) continue;
    for (size_t i = 0; i < s.size() && i < g.initial.size(); ++i)
      if (g.initial[i]) s[i] = *g.initial[i];
  }
  return s;
}

// --- Scenario lookups -----------------------------------------------------------------------

const InterventionSpec* Scenario::intervention(std::string_view n) const {
  for (const auto& iv : interventions)
    if (iv.name == n) return &iv;
  return nullptr;
}

const Arm* Scenario::arm(std::string_view n) const {
  for (const auto& a : arms)
    if (a.name == n) return &a;
  return nullptr;
}

const ParamValues* Scenario::section(std::string_view n) const {
  if (!kind) return nullptr;
  for (size_t i = 0; i < kind->sections.size() && i < sections.size(); ++i)
    if (kind->sections[i].name == n) return &sections[i];
  return nullptr;
}

// --- Tables shared with the parser ----------------------------------------------------------

const ParamSpec& scenario_number_spec(std::string_view key) {
  static const std::vector<ParamSpec> specs = {
      {"seed", 1, 0, kMaxU32, "", "half of the random-number key (the replicate is the other)",
       true},
      {"replicates", 10, 1, kMaxU32, "", "independent runs of each arm", true},
      {"steps", 156, 1, 1e6, "steps", "transitions simulated", true},
      {"population.size", 10000, 1, kMaxU32, "agents", "number of agents", true},
      {"population.communities", 10, 1, kMaxU32, "", "number of communities", true},
      {"population.community_sizes", 1, 1, kMaxU32, "agents", "agents in one community", true},
      {"population.household_size", 5, 1, kInf, "agents", "mean household size"},
      {"population.roles", 0, 0, 1, "probability", "share of agents with a role"},
      {"population.initial.mean", 0.5, 0, 1, "share",
       "mean of a trait's initial distribution: constant x, beta (alpha + beta kept) or normal "
       "(its mean before truncation to [0, 1])"},
      {"network.within_degree", 8, 0, kInf, "ties", "ring lattice degree inside a community", true},
      {"network.rewire", 0.1, 0, 1, "probability", "probability a far end is rewired"},
      {"network.between_degree", 0.3, 0, kInf, "ties", "tie ends per agent to other communities"},
      {"network.mean_degree", 8, 0, kInf, "ties", "mean degree"},
      {"network.degree", 8, 0, kMaxU32, "ties", "ring lattice degree", true},
      {"network.edges_per_node", 3, 1, kMaxU32, "ties", "ties each new node makes", true},
      {"network.branching", 2, 1, kMaxU32, "ties", "children of every inner node of the tree",
       true},
      {"network.depth", 10, 0, kMaxU32, "levels", "levels of the tree below its root", true},
      {"start", 0, 0, kInf, "steps", "first transition in which the intervention acts", true},
      {"duration", 0, 0, kInf, "steps", "transitions in which the intervention acts", true},
      {"outputs.snapshots", 0, 0, kInf, "step", "a step whose agents are saved", true},
      {"outputs.by_community", 1, 0, 1, "", "1: series per community, 0: not", true},
      {"decision.willingness_to_pay.min", 0, 0, kInf, "currency per unit of effect",
       "lowest willingness to pay of the decision analysis"},
      {"decision.willingness_to_pay.max", 0, 0, kInf, "currency per unit of effect",
       "highest willingness to pay (default: spanning the ICERs)"},
      {"decision.willingness_to_pay.points", 51, 2, 10000, "", "willingness-to-pay values", true},
  };
  for (const auto& s : specs)
    if (s.name == key) return s;
  throw std::logic_error(fmt::format("no scenario number '{}'", key));
}

namespace {
struct NetworkKindInfo {
  NetworkSpec::Kind kind;
  const char* name;
  std::vector<std::string> keys;
};
const std::vector<NetworkKindInfo>& network_kinds() {
  static const std::vector<NetworkKindInfo> kinds = {
      {NetworkSpec::Kind::villages, "villages", {"within_degree", "rewire", "between_degree"}},
      {NetworkSpec::Kind::erdos_renyi, "erdos_renyi", {"mean_degree"}},
      {NetworkSpec::Kind::watts_strogatz, "watts_strogatz", {"degree", "rewire"}},
      {NetworkSpec::Kind::barabasi_albert, "barabasi_albert", {"edges_per_node"}},
      {NetworkSpec::Kind::complete, "complete", {}},
      {NetworkSpec::Kind::tree, "tree", {"branching", "depth"}},
      {NetworkSpec::Kind::file, "file", {}},
  };
  return kinds;
}
const NetworkKindInfo& info(NetworkSpec::Kind kind) {
  for (const auto& k : network_kinds())
    if (k.kind == kind) return k;
  throw std::logic_error("unknown network kind");
}
}  // namespace

std::string_view network_kind_name(NetworkSpec::Kind kind) {
  return info(kind).name;
}

std::optional<NetworkSpec::Kind> network_kind_from_name(std::string_view name) {
  for (const auto& k : network_kinds())
    if (k.name == name) return k.kind;
  return std::nullopt;
}

std::vector<std::string> network_kind_names() {
  std::vector<std::string> out;
  for (const auto& k : network_kinds()) out.push_back(k.name);
  return out;
}

std::vector<std::string> network_number_keys(NetworkSpec::Kind kind) {
  return info(kind).keys;
}

double network_number(const NetworkSpec& n, std::string_view key) {
  if (key == "within_degree") return n.within_degree;
  if (key == "rewire") return n.rewire;
  if (key == "between_degree") return n.between_degree;
  if (key == "mean_degree") return n.mean_degree;
  if (key == "degree") return n.degree;
  if (key == "edges_per_node") return n.edges_per_node;
  if (key == "branching") return n.branching;
  if (key == "depth") return n.depth;
  throw std::logic_error(fmt::format("no network number '{}'", key));
}

void set_network_number(NetworkSpec& n, std::string_view key, double value) {
  if (key == "within_degree")
    n.within_degree = value;
  else if (key == "rewire")
    n.rewire = value;
  else if (key == "between_degree")
    n.between_degree = value;
  else if (key == "mean_degree")
    n.mean_degree = value;
  else if (key == "degree")
    n.degree = static_cast<uint32_t>(value);
  else if (key == "edges_per_node")
    n.edges_per_node = static_cast<uint32_t>(value);
  else if (key == "branching")
    n.branching = static_cast<uint32_t>(value);
  else if (key == "depth")
    n.depth = static_cast<uint32_t>(value);
  else
    throw std::logic_error(fmt::format("no network number '{}'", key));
}

std::optional<uint32_t> tree_nodes(uint32_t branching, uint32_t depth) {
  if (branching == 1)  // a path
    return depth < 4294967295u ? std::optional<uint32_t>(depth + 1) : std::nullopt;
  uint64_t nodes = 1, level = 1;  // level < 2^32 and branching < 2^32: no overflow
  for (uint32_t d = 0; d < depth; ++d) {
    level *= branching;
    nodes += level;
    if (nodes > 4294967295ull) return std::nullopt;
  }
  return static_cast<uint32_t>(nodes);
}

std::string example_setting(const ModelKind* kind) {
  if (kind == nullptr || kind->sections.empty() || kind->sections[0].schema.size() == 0)
    return "steps=52";
  const ParamSpec& p = kind->sections[0].schema.specs()[0];
  return fmt::format("{}.{}={}", kind->sections[0].name, p.name,
                     std::isnan(p.default_value) ? 1.0 : p.default_value);
}

// --- Settable paths -------------------------------------------------------------------------

namespace {

const char* kInterventionsPrefix = "interventions.";

void add_world_paths(const Scenario& s, std::vector<SettablePath>& out) {
  auto add = [&](const std::string& path, const std::string& spec_key) {
    out.push_back({path, scenario_number_spec(spec_key), false});
  };
  for (const char* key : {"seed", "replicates", "steps", "population.size",
                          "population.communities", "population.household_size"})
    add(key, key);
  if (s.kind)
    for (const RoleSpec& r : s.kind->roles)
      add(fmt::format("population.roles.{}", r.name), "population.roles");
  // An initial trait's mean, where its population-wide distribution has one to move (a
  // uniform's does not: its ends are the parameters); groups keep their own distributions.
  if (s.kind)
    for (size_t i = 0; i < s.kind->traits.size() && i < s.population.initial.size(); ++i)
      if (s.population.initial[i].kind != Distribution::Kind::uniform)
        add(fmt::format("population.initial.{}.mean", s.kind->traits[i].name),
            "population.initial.mean");
  for (const auto& key : network_number_keys(s.network.kind))
    add("network." + key, "network." + key);
  add("outputs.by_community", "outputs.by_community");
}

void add_section_paths(const ModelKind& kind, std::vector<SettablePath>& out) {
  for (const auto& section : kind.sections)
    for (const auto& spec : section.schema.specs())
      out.push_back({section.name + "." + spec.name, spec, true});
}

void add_intervention_paths(const ModelKind& kind, const InterventionSpec& iv,
                            std::vector<SettablePath>& out) {
  std::string prefix = kInterventionsPrefix + iv.name + ".";
  out.push_back({prefix + "start", scenario_number_spec("start"), true});
  out.push_back({prefix + "duration", scenario_number_spec("duration"), true});
  const InterventionKind* ik = kind.intervention(iv.kind);
  if (!ik) return;  // an unknown kind was reported by the parser
  for (const auto& spec : ik->params.specs()) out.push_back({prefix + spec.name, spec, true});
  if (!ik->accepts_model_overrides) return;
  for (const auto& spec : kind.all_params.specs())
    if (!ik->params.find(spec.name))  // the kind's own key wins over a model key of that name
      out.push_back({prefix + spec.name, spec, true});
}

// Sets `key` (a path below interventions.<name>.) on one intervention; false if no such key.
bool set_intervention_key(InterventionSpec& iv, std::string_view key, double value,
                          const SourceLoc& loc) {
  if (key == "start") {
    iv.start = to_steps(value);
    return true;
  }
  if (key == "duration") {
    iv.duration = to_steps(value);
    return true;
  }
  if (iv.params.size() > 0)
    if (auto i = iv.params.schema().find(key)) {
      iv.params.set(*i, value, loc);
      return true;
    }
  if (iv.model_overrides.size() > 0)
    if (auto i = iv.model_overrides.schema().find(key)) {
      iv.model_overrides.set(*i, value, loc);
      return true;
    }
  return false;
}

// Applies a model-side path (a section parameter or an intervention key) to the given copies.
// Intervention names may not contain '.', so the name ends at the next dot.
bool apply_model_setting(const ModelKind& kind, std::vector<ParamValues>& sections,
                         std::vector<InterventionSpec>& interventions, const Setting& s) {
  auto dot = s.path.find('.');
  if (dot == std::string::npos) return false;
  std::string head = s.path.substr(0, dot), rest = s.path.substr(dot + 1);
  for (size_t i = 0; i < kind.sections.size() && i < sections.size(); ++i)
    if (kind.sections[i].name == head) {
      auto p = sections[i].schema().find(rest);
      if (p) sections[i].set(*p, s.value, s.loc);
      return p.has_value();
    }
  if (head + "." != kInterventionsPrefix) return false;
  auto dot2 = rest.find('.');
  if (dot2 == std::string::npos) return false;
  std::string name = rest.substr(0, dot2), key = rest.substr(dot2 + 1);
  for (auto& iv : interventions)
    if (iv.name == name) return set_intervention_key(iv, key, s.value, s.loc);
  return false;  // an intervention the arm does not run: the setting has nothing to act on
}

// Moves an initial distribution's mean to m: a constant becomes m, a beta keeps its concentration
// α + β (a mean of 0 or 1 leaves no beta: the constant m), a normal moves its μ.
void set_mean(Distribution& d, double m) {
  using K = Distribution::Kind;
  if (d.kind == K::beta && m > 0 && m < 1) {
    const double n = d.p1 + d.p2;
    d.p1 = m * n, d.p2 = (1 - m) * n;
  } else if (d.kind == K::normal) {
    d.p1 = m;
  } else {
    d.kind = K::constant, d.p1 = m, d.p2 = 0;
  }
}

bool apply_world_setting(Scenario& sc, const Setting& s) {
  const std::string& p = s.path;
  if (p == "seed")
    sc.seed = static_cast<uint64_t>(s.value);
  else if (p == "replicates")
    sc.replicates = static_cast<uint32_t>(s.value);
  else if (p == "steps")
    sc.steps = to_steps(s.value);
  else if (p == "population.size")
    sc.population.size = static_cast<uint32_t>(s.value);
  else if (p == "population.communities")
    sc.population.communities = static_cast<uint32_t>(s.value);
  else if (p == "population.household_size")
    sc.population.household_size = s.value;
  else if (p == "outputs.by_community")
    sc.outputs.by_community = s.value != 0;
  else if (p.rfind("network.", 0) == 0) {
    set_network_number(sc.network, p.substr(8), s.value);
    // A tree decides the population's size (the parser reports a tree too big for it).
    if (sc.network.kind == NetworkSpec::Kind::tree && sc.population.community_sizes.empty())
      if (auto n = tree_nodes(sc.network.branching, sc.network.depth)) sc.population.size = *n;
  } else if (p.rfind("population.roles.", 0) == 0) {
    const std::optional<size_t> r = sc.kind ? sc.kind->role_index(p.substr(17)) : std::nullopt;
    if (!r || *r >= sc.population.roles.size()) return false;
    sc.population.roles[*r] = s.value;
  } else if (p.rfind("population.initial.", 0) == 0 && p.ends_with(".mean")) {
    const std::string trait = p.substr(19, p.size() - 19 - 5);
    const auto& traits = sc.kind ? sc.kind->traits : std::vector<TraitSpec>{};
    auto t = std::find_if(traits.begin(), traits.end(),
                          [&](const TraitSpec& x) { return x.name == trait; });
    const size_t i = static_cast<size_t>(t - traits.begin());
    if (t == traits.end() || i >= sc.population.initial.size()) return false;
    set_mean(sc.population.initial[i], s.value);
  } else
    return false;
  return true;
}

std::vector<std::string> path_names(const std::vector<SettablePath>& paths) {
  std::vector<std::string> out;
  for (const auto& p : paths) out.push_back(p.path);
  return out;
}

}  // namespace

std::vector<SettablePath> settable_paths(const Scenario& scenario) {
  std::vector<SettablePath> out;
  add_world_paths(scenario, out);
  if (!scenario.kind) return out;
  add_section_paths(*scenario.kind, out);
  for (const auto& iv : scenario.interventions) add_intervention_paths(*scenario.kind, iv, out);
  return out;
}

void apply_setting(Scenario& scenario, const Setting& setting, Diagnostics& diag) {
  auto paths = settable_paths(scenario);
  auto it = std::find_if(paths.begin(), paths.end(),
                         [&](const SettablePath& p) { return p.path == setting.path; });
  if (it == paths.end()) {
    std::string hint = did_you_mean(setting.path, path_names(paths));
    diag.error(setting.loc,
               fmt::format("unknown path '{}'{}", setting.path,
                           hint.empty() ? "" : fmt::format(" (did you mean '{}'?)", hint)));
    return;
  }
  if (!in_range(it->spec, setting.value)) {
    diag.error(setting.loc, fmt::format("{} = {} is out of range ({})", setting.path, setting.value,
                                        describe_range(it->spec)));
    return;
  }
  if (apply_world_setting(scenario, setting)) return;
  apply_model_setting(*scenario.kind, scenario.sections, scenario.interventions, setting);
}

ArmConfig resolve_arm(const Scenario& scenario, const Arm& arm) {
  ArmConfig cfg{arm.name, scenario.sections, {}};
  for (const auto& name : arm.interventions)
    if (const InterventionSpec* iv = scenario.intervention(name)) cfg.interventions.push_back(*iv);
  if (scenario.kind)
    for (const Setting& s : arm.set)
      apply_model_setting(*scenario.kind, cfg.sections, cfg.interventions, s);
  return cfg;
}

}  // namespace fourp
