#include "output/report_scenario.h"

#include <algorithm>
#include <cmath>

#include <fmt/format.h>

#include "output/report_numbers.h"
#include "sim/number_words.h"

namespace fourp::report {

namespace {

// "0–5", "0, 2, 4–6": runs of consecutive ids as ranges.
std::string id_list(std::vector<uint32_t> ids) {
  std::sort(ids.begin(), ids.end());
  ids.erase(std::unique(ids.begin(), ids.end()), ids.end());
  std::vector<std::string> parts;
  for (size_t i = 0; i < ids.size();) {
    size_t j = i;
    while (j + 1 < ids.size() && ids[j + 1] == ids[j] + 1) ++j;
    if (j == i)
      parts.push_back(fmt::format("{}", ids[i]));
    else
      parts.push_back(fmt::format("{}{}{}", ids[i], j == i + 1 ? ", " : "\u2013", ids[j]));
    i = j + 1;
  }
  return fmt::format("{}", fmt::join(parts, ", "));
}

std::string join_and(const std::vector<std::string>& items) {
  if (items.empty()) return "";
  if (items.size() == 1) return items[0];
  std::string out;
  for (size_t i = 0; i + 1 < items.size(); ++i) out += (i ? ", " : "") + items[i];
  return out + " and " + items.back();
}

// Communities a target reaches, as flags; no list reaches every one.
std::vector<bool> targeted(const Target& t, uint32_t communities) {
  if (t.communities.empty()) return std::vector<bool>(communities, true);
  std::vector<bool> out(communities, false);
  for (uint32_t c : t.communities)
    if (c < communities) out[c] = true;
  return out;
}

std::string where(const Target& t, const ModelKind& kind, uint32_t communities) {
  std::string out;
  if (t.communities.empty())
    out =
        communities > 0 ? fmt::format("in all {} communities", communities) : "in all communities";
  else
    out = communities > 0 ? fmt::format("in {} of {} communities ({})", t.communities.size(),
                                        communities, id_list(t.communities))
                          : fmt::format("in communities {}", id_list(t.communities));
  std::vector<std::string> roles;
  for (size_t r = 0; r < kind.roles.size(); ++r)
    if (t.requires_role(r)) roles.push_back(kind.roles[r].label);
  if (!roles.empty()) out += ", among " + join_and(roles) + " only";
  return out;
}

std::string schedule(const InterventionSpec& iv, const Scenario& s) {
  const std::string from = fmt::format("from {} {}", s.step_unit.empty() ? "step" : s.step_unit,
                                       plain_value(static_cast<double>(iv.start)));
  if (!iv.duration) return from + " to the end";
  const double d = static_cast<double>(*iv.duration);
  std::string out = fmt::format("{} for {} {}", from, plain_value(d), unit_words(d, s.step_unit));
  if (iv.start + *iv.duration >= s.steps) out += " (to the end)";
  return out;
}

// "name value" for the given parameters of `values` that `skip` does not cover.
std::vector<std::string> listed(const ParamValues& values, bool given_only,
                                const std::vector<std::string>& skip) {
  std::vector<std::string> out;
  for (size_t i = 0; i < values.size(); ++i) {
    const std::string& name = values.schema().specs()[i].name;
    if (given_only && !values.is_set(i)) continue;
    if (std::find(skip.begin(), skip.end(), name) != skip.end()) continue;
    if (std::isnan(values[i])) continue;
    out.push_back(fmt::format("{} {}", name, plain_value(values[i])));
  }
  return out;
}

// "<noun> “<name>” <schedule>, <where><details>; also <other parameters>": the kind's own words
// for its parameters (InterventionKind::words), then the model parameters it overrides.
std::string intervention_words(const InterventionSpec& iv, const Scenario& s) {
  const ModelKind& kind = *s.kind;
  const InterventionKind* ik = kind.intervention(iv.kind);
  InterventionWords words;
  if (ik && ik->words)
    words = ik->words(iv, WordsContext{s.step_unit, s.currency});
  else
    words.noun = iv.kind.empty() ? "intervention" : iv.kind;
  std::vector<std::string> rest = listed(iv.params, false, words.covered);
  for (std::string& x : listed(iv.model_overrides, true, {})) rest.push_back(std::move(x));
  std::string out = fmt::format("{} \u201c{}\u201d {}, {}{}", words.noun, iv.name, schedule(iv, s),
                                where(iv.target, kind, s.population.communities), words.details);
  if (!rest.empty()) out += fmt::format("; also {}", fmt::join(rest, ", "));
  return out;
}

// The scenario's value at a settable path, before an arm's `set`.
std::optional<double> value_at(const Scenario& s, const std::string& path) {
  const size_t dot = path.find('.');
  if (dot == std::string::npos) return std::nullopt;
  const std::string head = path.substr(0, dot), rest = path.substr(dot + 1);
  const auto get = [](const ParamValues& v, const std::string& name) -> std::optional<double> {
    if (!v.size() || !v.schema().find(name)) return std::nullopt;
    return v.get(name);
  };
  if (head == "interventions") {
    const size_t dot2 = rest.find('.');
    if (dot2 == std::string::npos) return std::nullopt;
    const InterventionSpec* iv = s.intervention(rest.substr(0, dot2));
    if (iv == nullptr) return std::nullopt;
    const std::string p = rest.substr(dot2 + 1);
    if (p == "start") return static_cast<double>(iv->start);
    if (p == "duration")
      return iv->duration ? std::optional<double>(static_cast<double>(*iv->duration))
                          : std::nullopt;
    if (auto v = get(iv->params, p)) return v;
    if (const auto i =
            iv->model_overrides.size() ? iv->model_overrides.schema().find(p) : std::nullopt;
        i && iv->model_overrides.is_set(*i))
      return iv->model_overrides[*i];
    // A model parameter the intervention does not override: the model's value.
    for (const ParamValues& section : s.sections)
      if (auto v = get(section, p)) return v;
    return std::nullopt;
  }
  if (const ParamValues* section = s.section(head)) return get(*section, rest);
  return std::nullopt;
}

ArmPlan arm_plan(const ArmResult& result, const Scenario& s) {
  ArmPlan plan;
  plan.name = result.name;
  const uint32_t C = s.population.communities;
  plan.targeted.assign(C, false);
  const Arm* arm = s.arm(result.name);
  if (arm == nullptr) {
    plan.interventions = result.interventions;
    return plan;
  }
  const ArmConfig config = resolve_arm(s, *arm);  // the arm's own settings applied
  for (const InterventionSpec& iv : config.interventions) {
    plan.interventions.push_back(intervention_words(iv, s));
    const std::vector<bool> t = targeted(iv.target, C);
    for (size_t c = 0; c < t.size(); ++c) plan.targeted[c] = plan.targeted[c] || t[c];
  }
  for (const Setting& set : arm->set) {
    const std::optional<double> before = value_at(s, set.path);
    plan.settings.push_back(before ? fmt::format("{} = {} (instead of {})", set.path,
                                                 plain_value(set.value), plain_value(*before))
                                   : fmt::format("{} = {}", set.path, plain_value(set.value)));
  }
  return plan;
}

// "mean 0.2 (beta 2, 8)" and the like.
std::string distribution_words(const Distribution& d) {
  using K = Distribution::Kind;
  switch (d.kind) {
    case K::beta:
      return fmt::format("{:.3g} (beta {}, {})", d.p1 / (d.p1 + d.p2), plain_value(d.p1),
                         plain_value(d.p2));
    case K::uniform:
      return fmt::format("{:.3g} (uniform {}\u2013{})", (d.p1 + d.p2) / 2, plain_value(d.p1),
                         plain_value(d.p2));
    case K::normal:
      return fmt::format("{} (normal, sd {})", plain_value(d.p1), plain_value(d.p2));
    case K::constant:
      return fmt::format("{} for everyone", plain_value(d.p1));
  }
  return "";
}

// ", but 20% in communities 0–2" for every group overriding one role or initial distribution.
template <class Get>
std::string group_words(const std::vector<Group>& groups, Get text) {
  std::string out;
  for (const Group& g : groups)
    if (const std::optional<std::string> t = text(g))
      out += fmt::format("{} {} in communities {}", out.empty() ? ", but" : " and", *t,
                         id_list(g.communities));
  return out;
}

// The network in words, by kind (its names and keys: sim/scenario.h's one table).
std::string network_words(const NetworkSpec& n) {
  using K = NetworkSpec::Kind;
  switch (n.kind) {
    case K::villages:
      return fmt::format(
          "each household fully connected; inside each community a small world with {} ties per "
          "person, {} of them rewired; and on average {} ties per person to other communities",
          plain_value(n.within_degree), plain_percent(n.rewire), plain_value(n.between_degree));
    case K::erdos_renyi:
      return fmt::format("random ties (Erd\u0151s\u2013R\u00e9nyi), {} per person on average",
                         plain_value(n.mean_degree));
    case K::watts_strogatz:
      return fmt::format("a small world (Watts\u2013Strogatz) with {} ties per person, {} rewired",
                         plain_value(n.degree), plain_percent(n.rewire));
    case K::barabasi_albert:
      return fmt::format(
          "a scale-free network (Barab\u00e1si\u2013Albert), each newcomer tied to {} others",
          plain_value(n.edges_per_node));
    case K::complete:
      return "everyone tied to everyone";
    case K::tree:
      return fmt::format("a tree with branching {} and depth {}", plain_value(n.branching),
                         plain_value(n.depth));
    case K::file:
      return fmt::format("read from the file {}", n.path.string());
  }
  return "";
}

std::string population_words(const Results& r, const Scenario& s) {
  const PopulationSpec& pop = s.population;
  const ModelKind& kind = *s.kind;
  std::vector<std::string> parts;
  std::string sizes;
  if (!r.community_sizes.empty()) {
    const auto [lo, hi] = std::minmax_element(r.community_sizes.begin(), r.community_sizes.end());
    sizes = *lo == *hi ? fmt::format(" of {} people each", plain_value(*lo))
                       : fmt::format(" of {} to {} people", plain_value(*lo), plain_value(*hi));
  }
  parts.push_back(fmt::format("{} people in {} communities{}, in households of about {} people.",
                              plain_value(pop.size), plain_value(pop.communities), sizes,
                              plain_value(pop.household_size)));
  std::vector<std::string> roles;
  for (size_t i = 0; i < kind.roles.size() && i < pop.roles.size(); ++i)
    roles.push_back(fmt::format(
        "{} {} of people{}", kind.roles[i].label, plain_percent(pop.roles[i]),
        group_words(pop.groups, [&](const Group& g) {
          return i < g.roles.size() && g.roles[i] ? std::optional(plain_percent(*g.roles[i]))
                                                  : std::nullopt;
        })));
  if (!roles.empty()) parts.push_back(fmt::format("Roles: {}.", fmt::join(roles, "; ")));
  std::vector<std::string> traits;
  for (size_t i = 0; i < kind.traits.size() && i < pop.initial.size(); ++i)
    traits.push_back(fmt::format("{} {}{}", kind.traits[i].label,
                                 distribution_words(pop.initial[i]),
                                 group_words(pop.groups, [&](const Group& g) {
                                   return i < g.initial.size() && g.initial[i]
                                              ? std::optional(distribution_words(*g.initial[i]))
                                              : std::nullopt;
                                 })));
  if (!traits.empty())
    parts.push_back(
        fmt::format("At the start, means on 0-to-1 scales are: {}.", fmt::join(traits, "; ")));
  std::string stats;
  if (r.network.nodes > 0)
    stats = fmt::format("; {} ties in all, {:.1f} per person on average (section 7)",
                        plain_value(static_cast<double>(r.network.edges)), r.network.mean_degree);
  parts.push_back(fmt::format("The network ({}): {}{}.", network_kind_name(s.network.kind),
                              network_words(s.network), stats));
  return fmt::format("{}", fmt::join(parts, " "));
}

std::optional<double> expected_subgroup(const Results& r, const Scenario& s) {
  const std::optional<size_t> role = s.kind->role_index(r.outputs.subgroup);
  if (!role) return std::nullopt;
  const uint32_t C = s.population.communities;
  double sum = 0;
  for (uint32_t c = 0; c < C; ++c) {
    // The sizes the run had (a file network decides them), else the scenario's.
    const double n =
        r.community_sizes.size() == C ? r.community_sizes[c] : s.population.community_size(c);
    const std::vector<double> p = s.population.roles_of(c);
    if (*role < p.size()) sum += n * p[*role];
  }
  return sum > 0 ? std::optional<double>(sum) : std::nullopt;
}

}  // namespace

ScenarioSummary summarise_scenario(const Results& r, const Scenario* scenario) {
  ScenarioSummary s;
  if (scenario == nullptr || scenario->kind == nullptr) {
    for (const ArmResult& arm : r.arms)
      s.arms.push_back({arm.name, arm.interventions, {}, std::vector<bool>(r.communities, false)});
    return s;
  }
  s.description = scenario->description;
  for (const ArmResult& arm : r.arms) s.arms.push_back(arm_plan(arm, *scenario));
  s.population = population_words(r, *scenario);
  s.expected_subgroup = expected_subgroup(r, *scenario);
  return s;
}

}  // namespace fourp::report
