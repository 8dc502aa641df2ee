// Scenario files → Scenario (every problem collected, never stopping at the first). The way
// back, Scenario → normalised YAML, is in scenario_yaml.cpp.
//
// Reading happens in three passes so that `--set` overrides are validated like the file:
//   1. read: types and ranges of each value, where it stands in the file;
//   2. apply the `--set` overrides;
//   3. cross-check what depends on several values (community ids against communities,
//      snapshots against steps, sizes against community_sizes), and warn about legitimate but
//      unusual input (an intervention that never acts, one no arm uses).
#include "sim/scenario_parse.h"

#include <yaml-cpp/yaml.h>

#include <fmt/format.h>
#include <algorithm>
#include <array>
#include <cmath>
#include <fstream>
#include <functional>
#include <limits>
#include <memory>
#include <optional>
#include <sstream>
#include <tuple>

#include "sim/yaml_input.h"

namespace fourp {

namespace {

using namespace yaml_input;

namespace fs = std::filesystem;

// --- Small pure helpers ---------------------------------------------------------------------

// Beyond 2^53 steps doubles are no longer whole and start + duration could overflow; such spans
// mean "forever" anyway.
int64_t to_steps(double v) {
  return static_cast<int64_t>(std::min(v, 9007199254740992.0));
}

// " (did you mean 'x'? known kinds: a, b)" or " (known kinds: a, b)".
// The next path components below `prefix` in a schema: for "message." the keys "blame", ...
std::vector<std::string> keys_under(const ParamSchema& schema, const std::string& prefix) {
  std::vector<std::string> out;
  for (const auto& spec : schema.specs()) {
    if (spec.name.rfind(prefix, 0) != 0) continue;
    std::string rest = spec.name.substr(prefix.size());
    std::string key = rest.substr(0, rest.find('.'));
    if (std::find(out.begin(), out.end(), key) == out.end()) out.push_back(key);
  }
  return out;
}

bool is_group(const ParamSchema& schema, const std::string& name) {
  return !keys_under(schema, name + ".").empty();
}

// Probability that normal(mean, sd) falls in [0, 1], computed from the nearer tail so that it
// stays accurate when both ends are far out.
double normal_mass_in_unit(double mean, double sd) {
  auto upper_tail = [](double z) { return 0.5 * std::erfc(z / std::sqrt(2.0)); };  // P(Z > z)
  if (mean > 0.5) return upper_tail((mean - 1) / sd) - upper_tail(mean / sd);
  return upper_tail(-mean / sd) - upper_tail((1 - mean) / sd);
}

struct Field {
  std::string key;
  std::function<void(const Value&)> read;
};

// Where a value later checked against other values (possibly changed by --set) stood.
struct CommunityRef {
  uint32_t id;
  std::string path;
  SourceLoc loc;
};
struct StepRef {
  int64_t step;
  std::string path;
  SourceLoc loc;
};

const ParamSpec& spec(std::string_view key) {
  return scenario_number_spec(key);
}

ParamSpec unit_spec(double min, double max) {
  ParamSpec s;
  s.min = min, s.max = max;
  return s;
}

// --- The parser -----------------------------------------------------------------------------

class Parser : public YamlReader {
 public:
  Parser(std::string label, fs::path dir, const Catalog& catalog, Diagnostics& diag,
         bool look_for_files = true)
      : YamlReader(std::move(label), diag, Style{"", true, 8}),
        dir_(std::move(dir)),
        catalog_(catalog),
        look_for_files_(look_for_files) {}

  void read(const YAML::Node& root, Scenario& s);
  void apply_overrides(const std::vector<std::string>& overrides, Scenario& s);
  void cross_check(Scenario& s);
  std::optional<ParameterDistribution> read_parameter_distribution(const Value& v,
                                                                   const SettablePath& p);
  // The section a distribution's messages name before its parameter ("uncertainty.model.denial").
  std::string distribution_section_ = "uncertainty.";

 private:
  // Generic reading (the rest is YamlReader's): each reports its own errors and returns nothing
  // on failure.
  void dispatch(const std::vector<Entry>& entries, const std::string& path,
                const std::vector<Field>& fields);
  void read_fields(const Value& map, const std::vector<Field>& fields) {
    dispatch(entries(map), map.path, fields);
  }
  template <class T>
  bool read_whole(const Value& v, const ParamSpec& spec, T& out);
  std::optional<std::string> text(const Value& v, bool allow_empty = false);
  bool read_param(const Entry& e, const std::string& prefix, ParamValues& values);

  // The scenario's parts.
  void read_model_kind(const std::vector<Entry>& top, Scenario& s);
  std::vector<Field> top_fields(Scenario& s);
  void read_section(const Value& v, size_t i, Scenario& s);
  void read_population(const Value& v, PopulationSpec& p);
  void derive_population_sizes(PopulationSpec& p);
  void read_community_sizes(const Value& v, PopulationSpec& p);
  std::vector<uint32_t> community_ids(const Value& v, std::string_view expected);
  std::vector<std::optional<double>> read_roles(const Value& v);
  std::vector<std::optional<Distribution>> read_initial(const Value& v);
  std::optional<Distribution> read_distribution(const Value& v);
  std::optional<std::pair<double, double>> read_pair(const Value& v, std::string_view names);
  bool check_distribution(const Value& v, const std::string& kind, Distribution& d);
  void read_groups(const Value& v, PopulationSpec& p);
  void read_network(const Value& v, NetworkSpec& n);
  void read_network_key(const Entry& e, NetworkSpec& n, bool& has_path);
  fs::path network_file(const Entry& e);
  void read_outputs(const Value& v, Outputs& o);
  void read_interventions(const Value& v, Scenario& s);
  InterventionSpec read_intervention(const Entry& e, const ModelKind& kind);
  const InterventionKind* read_intervention_kind(const std::vector<Entry>& fields, const Value& v,
                                                 const ModelKind& kind, InterventionSpec& iv);
  void read_intervention_key(const Entry& f, const ModelKind& kind, const InterventionKind* ik,
                             InterventionSpec& iv);
  void read_target(const Value& v, Target& t);
  void read_arms(const std::optional<Value>& v, Scenario& s);
  void default_arms(Scenario& s);
  Arm read_arm(const Entry& e, const Scenario& s, const std::vector<SettablePath>& paths);
  void read_arm_interventions(const Value& v, const Scenario& s, Arm& a);
  void read_arm_set(const Value& v, const Scenario& s, const std::vector<SettablePath>& paths,
                    Arm& a);
  void warn_arm_sets_absent(const Arm& a);
  void warn_unused_interventions(const Scenario& s);
  void read_baseline_arm(const std::optional<Value>& v, Scenario& s);
  void read_uncertainty(const Value& v, Scenario& s);
  void read_decision(const Value& v, WillingnessToPay& w);
  bool read_distribution_numbers(const Value& v, ParameterDistribution& d, SourceLoc& bad_at);
  bool read_discrete(const Value& v, ParameterDistribution& d, const ParamSpec& spec);
  bool check_support(const Value& v, const ParameterDistribution& d, const SettablePath& p);
  void read_joint_sample(const Value& v, Scenario& s, const std::vector<SettablePath>& paths);
  std::shared_ptr<const JointSample> inline_joint_sample(const Value& v,
                                                         std::vector<SourceLoc>& value_locs);
  void reject_from(const SourceLoc& loc);

  // Cross-checks after --set.
  void check_population(const Scenario& s);
  void derive_tree_size(Scenario& s);
  void check_network(const Scenario& s);
  SourceLoc network_loc(const NetworkSpec& n) const {
    return n.loc.line ? n.loc : SourceLoc{file_};
  }
  void check_community_ids(const Scenario& s);
  void check_snapshots(const Scenario& s);
  void warn_inactive_interventions(const Scenario& s);

  fs::path dir_;
  const Catalog& catalog_;

  bool look_for_files_;  // false for a stored scenario: its network file may have moved since
  const ModelKind* kind_ = nullptr;  // the scenario's, once read_model_kind found it

  // Values read now and checked in pass 3.
  std::optional<Value> interventions_, arms_, baseline_arm_, uncertainty_;
  SourceLoc population_loc_{file_}, size_loc_, communities_loc_, sizes_loc_;
  bool size_given_ = false, communities_given_ = false;
  SourceLoc within_degree_loc_, degree_loc_;
  std::vector<CommunityRef> community_refs_;
  std::vector<StepRef> snapshot_refs_;
  std::vector<SourceLoc> start_locs_;  // aligned with Scenario::interventions
};

void Parser::dispatch(const std::vector<Entry>& entries, const std::string& path,
                      const std::vector<Field>& fields) {
  for (const Entry& e : entries) {
    auto f =
        std::find_if(fields.begin(), fields.end(), [&](const Field& f) { return f.key == e.key; });
    if (f != fields.end()) {
      f->read(e.value);
      continue;
    }
    std::vector<std::string> keys;
    for (const auto& field : fields) keys.push_back(field.key);
    unknown_key(e, path, keys);
  }
}

template <class T>
bool Parser::read_whole(const Value& v, const ParamSpec& spec, T& out) {
  auto x = number(v, spec);
  if (!x) return false;
  if constexpr (std::is_same_v<T, int64_t>)
    out = to_steps(*x);
  else
    out = static_cast<T>(*x);  // the spec's range fits T
  return true;
}

std::optional<std::string> Parser::text(const Value& v, bool allow_empty) {
  if (v.node.IsNull() && allow_empty) return std::string();
  if (!v.node.IsScalar()) {
    diag_.error(v.loc, fmt::format("{}: expected text, got {}", v.path, describe(v.node)));
    return std::nullopt;
  }
  return v.node.Scalar();
}

// Reads one key of a parameter map, descending into nested maps (`message: {blame: 0.6}` is the
// parameter "message.blame"). False when the key names neither a parameter nor a group of them.
bool Parser::read_param(const Entry& e, const std::string& prefix, ParamValues& values) {
  const ParamSchema& schema = values.schema();
  std::string name = prefix + e.key;
  if (auto i = schema.find(name)) {
    if (values.is_set(*i)) {  // once nested, once dotted
      diag_.error(e.value.key_loc, fmt::format("{} is given twice", e.value.path));
      return true;
    }
    if (auto x = number(e.value, schema.specs()[*i])) values.set(*i, *x, e.value.loc);
    return true;
  }
  if (!is_group(schema, name)) return false;
  if (!e.value.node.IsMap()) {
    diag_.error(e.value.loc,
                fmt::format("{}: expected a map of {}, got {}", e.value.path,
                            list_words(keys_under(schema, name + ".")), describe(e.value.node)));
    return true;
  }
  for (const Entry& sub : entries(e.value))
    if (!read_param(sub, name + ".", values))
      unknown_key(sub, e.value.path, keys_under(schema, name + "."));
  return true;
}

// --- Top level ------------------------------------------------------------------------------

void Parser::read(const YAML::Node& root, Scenario& s) {
  Value top{root, "", at(root.Mark()), at(root.Mark())};
  std::vector<Entry> all = entries(top);
  read_model_kind(all, s);  // first: it decides which sections and interventions are valid
  dispatch(all, "", top_fields(s));
  if (s.kind && interventions_) read_interventions(*interventions_, s);
  if (!s.kind) return;  // arms name interventions that could not be read
  read_arms(arms_, s);
  read_baseline_arm(baseline_arm_, s);
  if (uncertainty_) read_uncertainty(*uncertainty_, s);  // its paths include the interventions'
}

void Parser::read_model_kind(const std::vector<Entry>& top, Scenario& s) {
  s.model_kind = catalog_.default_kind();
  std::optional<Value> kind_value;
  if (const Entry* model = find_entry(top, "model"); model && model->value.node.IsMap())
    for (auto it = model->value.node.begin(); it != model->value.node.end(); ++it)
      if (const YAML::Node key = it->first; key.IsScalar() && key.Scalar() == "kind") {
        kind_value = child(model->value, key, it->second, "kind");
        break;
      }
  if (kind_value) {
    auto name = text(*kind_value);
    if (!name) return;
    s.model_kind = *name;
  }
  s.kind = catalog_.find(s.model_kind);
  if (!s.kind) {
    SourceLoc loc = kind_value ? kind_value->loc : SourceLoc{file_};
    diag_.error(loc, fmt::format("unknown model kind '{}'{}", s.model_kind,
                                 hint_and_list(s.model_kind, catalog_.names(), "known kinds")));
    return;
  }
  kind_ = s.kind;
  s.sections.clear();
  for (const auto& section : s.kind->sections) s.sections.emplace_back(section.schema);
  // The kind's roles and traits with their defaults; `population:` may change them.
  s.population.roles.clear();
  s.population.initial.clear();
  for (const RoleSpec& r : s.kind->roles) s.population.roles.push_back(r.probability);
  for (const TraitSpec& t : s.kind->traits) s.population.initial.push_back(t.initial);
}

std::vector<Field> Parser::top_fields(Scenario& s) {
  auto text_into = [this](std::string& out, bool allow_empty) {
    return [this, &out, allow_empty](const Value& v) {
      if (auto t = text(v, allow_empty)) out = *t;
    };
  };
  std::vector<Field> fields = {
      {"name", text_into(s.name, false)},
      {"description", text_into(s.description, true)},
      {"seed", [&](const Value& v) { read_whole(v, spec("seed"), s.seed); }},
      {"replicates", [&](const Value& v) { read_whole(v, spec("replicates"), s.replicates); }},
      {"steps", [&](const Value& v) { read_whole(v, spec("steps"), s.steps); }},
      {"step_unit", text_into(s.step_unit, false)},
      {"currency", text_into(s.currency, false)},
      {"population", [&](const Value& v) { read_population(v, s.population); }},
      {"network", [&](const Value& v) { read_network(v, s.network); }},
      {"model", [&](const Value& v) { read_section(v, 0, s); }},
      {"interventions", [&](const Value& v) { interventions_ = v; }},
      {"arms", [&](const Value& v) { arms_ = v; }},
      {"baseline_arm", [&](const Value& v) { baseline_arm_ = v; }},
      {"outputs", [&](const Value& v) { read_outputs(v, s.outputs); }},
      {"uncertainty", [&](const Value& v) { uncertainty_ = v; }},
      {"decision", [&](const Value& v) { read_decision(v, s.willingness_to_pay); }},
  };
  // The model kind's other sections are top-level keys. With an unknown kind, accept every
  // kind's sections without reading them: the kind's error says what is wrong.
  if (s.kind) {
    for (size_t i = 1; i < s.kind->sections.size(); ++i)
      fields.push_back(
          {s.kind->sections[i].name, [&, i](const Value& v) { read_section(v, i, s); }});
  } else {
    for (const auto& kind : catalog_.kinds())
      for (size_t i = 1; i < kind.sections.size(); ++i)
        fields.push_back({kind.sections[i].name, [](const Value&) {}});
  }
  return fields;
}

void Parser::read_section(const Value& v, size_t i, Scenario& s) {
  if (!s.kind) return;
  const ModelKind& kind = *s.kind;
  const ParamSection& section = kind.sections[i];
  for (const Entry& e : entries(v)) {
    if (i == 0 && e.key == "kind") continue;  // read first, by read_model_kind
    if (read_param(e, "", s.sections[i])) continue;
    auto home = std::find_if(kind.sections.begin(), kind.sections.end(),
                             [&](const ParamSection& p) { return p.schema.find(e.key); });
    if (home != kind.sections.end()) {
      diag_.error(e.value.key_loc, fmt::format("'{}' is a parameter of section '{}', not '{}'",
                                               e.key, home->name, section.name));
      continue;
    }
    std::vector<std::string> keys = keys_under(section.schema, "");
    if (i == 0) keys.insert(keys.begin(), "kind");
    unknown_key(e, section.name, keys);
  }
}

// --- Population -----------------------------------------------------------------------------

void Parser::read_population(const Value& v, PopulationSpec& p) {
  population_loc_ = v.key_loc;
  read_fields(v, {
                     {"size",
                      [&](const Value& x) {
                        size_loc_ = x.loc;
                        size_given_ = read_whole(x, spec("population.size"), p.size);
                      }},
                     {"communities",
                      [&](const Value& x) {
                        communities_loc_ = x.loc;
                        communities_given_ =
                            read_whole(x, spec("population.communities"), p.communities);
                      }},
                     {"community_sizes", [&](const Value& x) { read_community_sizes(x, p); }},
                     {"household_size",
                      [&](const Value& x) {
                        if (auto h = number(x, spec("population.household_size")))
                          p.household_size = *h;
                      }},
                     {"roles",
                      [&](const Value& x) {
                        auto r = read_roles(x);
                        for (size_t i = 0; i < r.size() && i < p.roles.size(); ++i)
                          if (r[i]) p.roles[i] = *r[i];
                      }},
                     {"initial",
                      [&](const Value& x) {
                        auto d = read_initial(x);
                        for (size_t i = 0; i < d.size() && i < p.initial.size(); ++i)
                          if (d[i]) p.initial[i] = *d[i];
                      }},
                     {"groups", [&](const Value& x) { read_groups(x, p); }},
                 });
  derive_population_sizes(p);
}

// With only community_sizes given, they define size and communities; given both ways they must
// agree (checked after --set, in check_population).
void Parser::derive_population_sizes(PopulationSpec& p) {
  if (p.community_sizes.empty()) return;
  uint64_t sum = 0;
  for (uint32_t n : p.community_sizes) sum += n;
  if (sum > 4294967295ull) {
    diag_.error(sizes_loc_, fmt::format("population.community_sizes add up to {} agents, more "
                                        "than 4294967295",
                                        sum));
    p.community_sizes.clear();
    return;
  }
  if (!size_given_) p.size = static_cast<uint32_t>(sum);
  if (!communities_given_) p.communities = static_cast<uint32_t>(p.community_sizes.size());
}

void Parser::read_community_sizes(const Value& v, PopulationSpec& p) {
  sizes_loc_ = v.loc;
  auto list = items(v, "a list of community sizes");
  if (!list) return;
  if (list->empty()) {
    diag_.error(v.loc, fmt::format("{}: expected at least one community size", v.path));
    return;
  }
  std::vector<uint32_t> sizes;
  for (const Value& item : *list) {
    uint32_t n = 0;
    if (!read_whole(item, spec("population.community_sizes"), n)) return;
    sizes.push_back(n);
  }
  p.community_sizes = std::move(sizes);
}

// A non-empty list of community ids; their range is checked after --set (check_community_ids).
std::vector<uint32_t> Parser::community_ids(const Value& v, std::string_view expected) {
  static const ParamSpec id{"community id", 0, 0, 4294967295.0, "", "", true};
  std::vector<uint32_t> ids;
  auto list = items(v, expected);
  if (!list) return ids;
  if (list->empty()) diag_.error(v.loc, fmt::format("{}: expected {}, got []", v.path, expected));
  for (const Value& item : *list) {
    uint32_t c = 0;
    if (!read_whole(item, id, c)) continue;
    if (std::find(ids.begin(), ids.end(), c) != ids.end()) {
      diag_.error(item.loc, fmt::format("{}: community {} is listed twice", v.path, c));
      continue;
    }
    ids.push_back(c);
    community_refs_.push_back({c, v.path, item.loc});
  }
  return ids;
}

// The roles the model kind declares, by name (others are unknown keys).
std::vector<std::optional<double>> Parser::read_roles(const Value& v) {
  std::vector<std::optional<double>> out(kind_ ? kind_->roles.size() : 0);
  std::vector<Field> fields;
  for (size_t i = 0; i < out.size(); ++i)
    fields.push_back({kind_->roles[i].name,
                      [&, i](const Value& x) { out[i] = number(x, spec("population.roles")); }});
  read_fields(v, fields);
  return out;
}

// The traits the model kind declares, by name (others are unknown keys).
std::vector<std::optional<Distribution>> Parser::read_initial(const Value& v) {
  std::vector<std::optional<Distribution>> out(kind_ ? kind_->traits.size() : 0);
  std::vector<Field> fields;
  for (size_t i = 0; i < out.size(); ++i)
    fields.push_back(
        {kind_->traits[i].name, [&, i](const Value& x) { out[i] = read_distribution(x); }});
  read_fields(v, fields);
  return out;
}

// `{beta: [a, b]}`, `{uniform: [lo, hi]}`, `{normal: [mean, sd]}` or `{constant: x}`.
std::optional<Distribution> Parser::read_distribution(const Value& v) {
  static const std::vector<std::string> kinds = {"beta", "uniform", "normal", "constant"};
  const char* expected =
      "a distribution: {beta: [a, b]}, {uniform: [lo, hi]}, {normal: [mean, sd]} or "
      "{constant: x}";
  if (!v.node.IsMap()) {
    diag_.error(v.loc, fmt::format("{}: expected {}, got {}", v.path, expected, describe(v.node)));
    return std::nullopt;
  }
  std::vector<Entry> given;
  for (const Entry& e : entries(v)) {
    if (std::find(kinds.begin(), kinds.end(), e.key) == kinds.end())
      unknown_key(e, v.path, kinds);
    else
      given.push_back(e);
  }
  if (given.size() != 1) {
    if (given.empty())
      diag_.error(v.loc, fmt::format("{}: expected {}", v.path, expected));
    else
      diag_.error(given[1].value.key_loc,
                  fmt::format("{}: give one distribution, not both '{}' and '{}'", v.path,
                              given[0].key, given[1].key));
    return std::nullopt;
  }
  Distribution d;
  d.loc = v.loc;
  if (!check_distribution(given[0].value, given[0].key, d)) return std::nullopt;
  return d;
}

std::optional<std::pair<double, double>> Parser::read_pair(const Value& v, std::string_view names) {
  static const ParamSpec any = unit_spec(-HUGE_VAL, HUGE_VAL);
  auto fail = [&] {
    diag_.error(v.loc, fmt::format("{}: expected two numbers [{}], got {}", v.path, names,
                                   v.node.IsSequence() ? fmt::format("a list of {}", v.node.size())
                                                       : describe(v.node)));
    return std::nullopt;
  };
  if (!v.node.IsSequence() || v.node.size() != 2) return fail();
  auto list = items(v, "");
  auto a = number((*list)[0], any), b = number((*list)[1], any);
  if (!a || !b) return std::nullopt;
  return std::pair{*a, *b};
}

// Reads one distribution's parameters and checks that truncating it to [0, 1] makes sense.
bool Parser::check_distribution(const Value& v, const std::string& kind, Distribution& d) {
  auto bad = [&](std::string why) {
    diag_.error(v.loc, fmt::format("{}: {}", v.path, why));
    return false;
  };
  if (kind == "constant") {
    auto x = number(v, unit_spec(0, 1));
    if (!x) return false;
    d.kind = Distribution::Kind::constant;
    d.p1 = *x;
    return true;
  }
  const char* names = kind == "beta" ? "a, b" : kind == "uniform" ? "lo, hi" : "mean, sd";
  auto pair = read_pair(v, names);
  if (!pair) return false;
  auto [p1, p2] = *pair;
  d.p1 = p1, d.p2 = p2;
  if (kind == "beta") {
    d.kind = Distribution::Kind::beta;
    if (!(p1 > 0 && p2 > 0))
      return bad(
          fmt::format("both parameters of a beta distribution must be > 0, got [{}, {}]", p1, p2));
  } else if (kind == "uniform") {
    d.kind = Distribution::Kind::uniform;
    if (p1 > p2) return bad(fmt::format("lo must not exceed hi, got [{}, {}]", p1, p2));
    if (p2 < 0 || p1 > 1)
      return bad(
          fmt::format("[{}, {}] does not overlap [0, 1] (values are truncated to [0, 1])", p1, p2));
  } else {
    d.kind = Distribution::Kind::normal;
    if (!(p2 > 0))
      return bad(fmt::format("the sd of a normal distribution must be > 0, got {}", p2));
    // Truncation to [0, 1] needs mass there to sample from (and to mean anything).
    if (normal_mass_in_unit(p1, p2) < 1e-6)
      return bad(
          fmt::format("normal [{}, {}] has almost no probability in [0, 1] (values are "
                      "truncated to [0, 1])",
                      p1, p2));
  }
  return true;
}

void Parser::read_groups(const Value& v, PopulationSpec& p) {
  auto list = items(v, "a list of groups such as {communities: [0, 1], roles: {...}}");
  if (!list) return;
  for (const Value& item : *list) {
    Group g;
    g.loc = item.loc;
    bool has_communities = false;
    read_fields(item, {
                          {"communities",
                           [&](const Value& x) {
                             has_communities = true;
                             g.communities = community_ids(x, "a list of community ids");
                           }},
                          {"roles", [&](const Value& x) { g.roles = read_roles(x); }},
                          {"initial", [&](const Value& x) { g.initial = read_initial(x); }},
                      });
    if (!has_communities && item.node.IsMap())
      diag_.error(item.loc, fmt::format("{}: a group needs 'communities'", item.path));
    p.groups.push_back(std::move(g));
  }
}

// --- Network --------------------------------------------------------------------------------

void Parser::read_network(const Value& v, NetworkSpec& n) {
  n.loc = v.key_loc;
  std::vector<Entry> all = entries(v);
  if (const Entry* k = find_entry(all, "kind")) {
    auto name = text(k->value);
    if (!name) return;
    auto kind = network_kind_from_name(*name);
    if (!kind) {
      diag_.error(k->value.loc,
                  fmt::format("unknown network kind '{}'{}", *name,
                              hint_and_list(*name, network_kind_names(), "known kinds")));
      return;  // the other keys cannot be judged without the kind
    }
    n.kind = *kind;
  }
  bool has_path = false;
  for (const Entry& e : all)
    if (e.key != "kind") read_network_key(e, n, has_path);
  if (n.kind == NetworkSpec::Kind::file && !has_path)
    diag_.error(v.key_loc, "network: kind 'file' needs 'path' (an edge list)");
}

void Parser::read_network_key(const Entry& e, NetworkSpec& n, bool& has_path) {
  std::vector<std::string> keys = network_number_keys(n.kind);
  bool is_file = n.kind == NetworkSpec::Kind::file;
  if (is_file) keys = {"path", "communities"};
  if (std::find(keys.begin(), keys.end(), e.key) != keys.end()) {
    if (is_file) {
      fs::path p = network_file(e);
      (e.key == "path" ? n.path : n.communities) = p;
      has_path = has_path || e.key == "path";
      return;
    }
    if (auto x = number(e.value, spec("network." + e.key))) set_network_number(n, e.key, *x);
    if (e.key == "within_degree") within_degree_loc_ = e.value.loc;
    if (e.key == "degree") degree_loc_ = e.value.loc;
    return;
  }
  std::vector<std::string> other;  // keys of every kind
  for (const auto& name : network_kind_names())
    for (const auto& k : network_number_keys(*network_kind_from_name(name))) other.push_back(k);
  other.insert(other.end(), {"path", "communities"});
  if (std::find(other.begin(), other.end(), e.key) != other.end()) {
    diag_.error(e.value.key_loc, fmt::format("'{}' is not a key of network kind '{}'", e.key,
                                             network_kind_name(n.kind)));
    return;
  }
  keys.insert(keys.begin(), "kind");
  unknown_key(e, "network", keys);
}

// A file named relative to the scenario's folder, made absolute; it must exist now so that a
// typo is reported with the scenario's other errors rather than when the run starts.
fs::path Parser::network_file(const Entry& e) {
  auto name = text(e.value);
  if (!name) return {};
  fs::path p = fs::path(*name).is_absolute() ? fs::path(*name) : dir_ / *name;
  p = p.lexically_normal();
  std::error_code ec;
  if (look_for_files_ && !fs::is_regular_file(p, ec))
    diag_.error(e.value.key_loc,
                fmt::format("network.{}: cannot find the file '{}' (looked for {})", e.key, *name,
                            p.string()));
  return p;
}

// --- Outputs --------------------------------------------------------------------------------

void Parser::read_outputs(const Value& v, Outputs& o) {
  read_fields(v, {
                     {"by_community",
                      [&](const Value& x) {
                        if (auto b = boolean(x)) o.by_community = *b;
                      }},
                     {"snapshots",
                      [&](const Value& x) {
                        auto list = items(x, "a list of steps");
                        if (!list) return;
                        for (const Value& item : *list) {
                          int64_t step = 0;
                          if (!read_whole(item, spec("outputs.snapshots"), step)) continue;
                          o.snapshots.push_back(step);
                          snapshot_refs_.push_back({step, item.path, item.loc});
                        }
                      }},
                 });
}

// `decision: {willingness_to_pay: {min, max, points}}`. A grid must run upwards: max > min.
void Parser::read_decision(const Value& v, WillingnessToPay& w) {
  read_fields(v,
              {{"willingness_to_pay", [&](const Value& x) {
                  std::optional<Value> max_value;
                  read_fields(
                      x, {
                             {"min",
                              [&](const Value& y) {
                                if (auto n = number(y, spec("decision.willingness_to_pay.min")))
                                  w.min = *n;
                              }},
                             {"max",
                              [&](const Value& y) {
                                if (auto n = number(y, spec("decision.willingness_to_pay.max"))) {
                                  w.max = *n;
                                  max_value = y;
                                }
                              }},
                             {"points",
                              [&](const Value& y) {
                                read_whole(y, spec("decision.willingness_to_pay.points"), w.points);
                              }},
                         });
                  if (max_value && w.max && *w.max <= w.min)
                    diag_.error(max_value->loc,
                                fmt::format("{}: the highest willingness to pay ({}) must exceed "
                                            "the lowest ({})",
                                            max_value->path, *w.max, w.min));
                }}});
}

// --- Interventions --------------------------------------------------------------------------

void Parser::read_interventions(const Value& v, Scenario& s) {
  std::vector<Entry> all = entries(v);
  if (!all.empty() && s.kind->interventions.empty()) {
    diag_.error(v.key_loc, fmt::format("model kind '{}' takes no interventions", s.kind->name));
    return;
  }
  for (const Entry& e : all) {
    // Paths such as interventions.<name>.reach end the name at the first dot.
    if (e.key.find('.') != std::string::npos)
      diag_.error(e.value.key_loc,
                  fmt::format("intervention name '{}' may not contain '.' (it separates the parts "
                              "of paths such as interventions.<name>.start)",
                              e.key));
    s.interventions.push_back(read_intervention(e, *s.kind));
  }
}

InterventionSpec Parser::read_intervention(const Entry& e, const ModelKind& kind) {
  InterventionSpec iv;
  iv.name = e.key;
  iv.loc = e.value.key_loc;
  iv.model_overrides = ParamValues(kind.all_params);
  start_locs_.push_back(iv.loc);
  if (!e.value.node.IsMap() && !e.value.node.IsNull()) {
    entries(e.value);  // reports the wrong type
    return iv;
  }
  std::vector<Entry> fields = entries(e.value);
  const InterventionKind* ik = read_intervention_kind(fields, e.value, kind, iv);
  for (const Entry& f : fields)
    if (f.key != "kind") read_intervention_key(f, kind, ik, iv);
  return iv;
}

// The kind comes first: it decides which other keys are valid.
const InterventionKind* Parser::read_intervention_kind(const std::vector<Entry>& fields,
                                                       const Value& v, const ModelKind& kind,
                                                       InterventionSpec& iv) {
  std::vector<std::string> known;
  for (const auto& k : kind.interventions) known.push_back(k.name);
  const Entry* k = find_entry(fields, "kind");
  if (!k) {
    diag_.error(v.key_loc,
                fmt::format("{}: missing 'kind' (one of {})", v.path, list_words(known)));
    return nullptr;
  }
  auto name = text(k->value);
  if (!name) return nullptr;
  iv.kind = *name;
  const InterventionKind* ik = kind.intervention(*name);
  if (!ik) {
    diag_.error(k->value.loc, fmt::format("unknown intervention kind '{}'{}", *name,
                                          hint_and_list(*name, known, "known kinds")));
    return nullptr;
  }
  iv.params = ParamValues(ik->params);
  return ik;
}

void Parser::read_intervention_key(const Entry& f, const ModelKind& kind,
                                   const InterventionKind* ik, InterventionSpec& iv) {
  if (f.key == "start") {
    if (read_whole(f.value, spec("start"), iv.start)) start_locs_.back() = f.value.loc;
    return;
  }
  if (f.key == "duration") {
    int64_t d = 0;
    if (read_whole(f.value, spec("duration"), d)) iv.duration = d;
    return;
  }
  if (f.key == "target") return read_target(f.value, iv.target);
  if (ik && read_param(f, "", iv.params)) return;
  bool overrides = !ik || ik->accepts_model_overrides;
  if (overrides && read_param(f, "", iv.model_overrides)) return;
  if (!ik) return;  // an unknown kind: its own keys cannot be judged
  std::vector<std::string> keys = {"kind", "start", "duration", "target"};
  for (const auto& k : keys_under(ik->params, "")) keys.push_back(k);
  if (overrides)
    for (const auto& k : keys_under(kind.all_params, "")) keys.push_back(k);
  unknown_key(f, fmt::format("interventions.{}", iv.name), keys);
}

void Parser::read_target(const Value& v, Target& t) {
  read_fields(
      v, {
             {"communities",
              [&](const Value& x) {
                if (x.node.IsScalar() && !quoted(x.node) && x.node.Scalar() == "all")
                  t.communities.clear();
                else
                  t.communities = community_ids(x, "'all' or a list of community ids");
              }},
             {"roles",
              [&](const Value& x) {
                std::vector<std::string> names;
                if (kind_)
                  for (const RoleSpec& r : kind_->roles) names.push_back(r.name);
                auto list = items(x, fmt::format("a list of roles ({})", fmt::join(names, ", ")));
                if (!list) return;
                for (const Value& item : *list) {
                  auto name = text(item);
                  if (!name) continue;
                  auto r = std::find(names.begin(), names.end(), *name);
                  if (r == names.end())
                    diag_.error(item.loc, fmt::format("{}: unknown role '{}'{}", x.path, *name,
                                                      hint_and_list(*name, names, "roles")));
                  else
                    t.roles |= 1u << (r - names.begin());
                }
              }},
         });
}

// --- Arms -----------------------------------------------------------------------------------

void Parser::read_arms(const std::optional<Value>& v, Scenario& s) {
  if (!v) return default_arms(s);
  std::vector<Entry> all = entries(*v);
  if (all.empty() && (v->node.IsMap() || v->node.IsNull()))
    diag_.error(v->loc, "arms: expected at least one arm");
  std::vector<SettablePath> paths = settable_paths(s);
  for (const Entry& e : all) s.arms.push_back(read_arm(e, s, paths));
  warn_unused_interventions(s);
}

// Without `arms`: a baseline without interventions, then one arm of each intervention.
void Parser::default_arms(Scenario& s) {
  s.arms.push_back(Arm{"baseline", {}, {}, SourceLoc{file_}});
  for (const auto& iv : s.interventions) {
    if (iv.name == "baseline")
      diag_.error(iv.loc,
                  "an intervention named 'baseline' needs an 'arms:' section (the "
                  "default arms would have two arms named 'baseline')");
    s.arms.push_back(Arm{iv.name, {iv.name}, {}, iv.loc});
  }
}

Arm Parser::read_arm(const Entry& e, const Scenario& s, const std::vector<SettablePath>& paths) {
  Arm a;
  a.name = e.key;
  a.loc = e.value.key_loc;
  // Arm names become results-file groups (/arms/<arm>) and `--arms a,b` items.
  if (a.name.empty() || a.name.find_first_of("/,") != std::string::npos)
    diag_.error(a.loc, fmt::format("arm name '{}' may not be empty or contain '/' or ','", a.name));
  const Value& v = e.value;
  if (v.node.IsNull()) return a;
  if (v.node.IsSequence()) {
    read_arm_interventions(v, s, a);
  } else if (v.node.IsMap()) {
    read_fields(v, {
                       {"interventions", [&](const Value& x) { read_arm_interventions(x, s, a); }},
                       {"set", [&](const Value& x) { read_arm_set(x, s, paths, a); }},
                   });
    warn_arm_sets_absent(a);
  } else {
    diag_.error(v.loc, fmt::format("{}: expected a list of interventions or {{interventions: "
                                   "[...], set: {{...}}}}, got {}",
                                   v.path, describe(v.node)));
  }
  return a;
}

void Parser::read_arm_interventions(const Value& v, const Scenario& s, Arm& a) {
  std::vector<std::string> known;
  for (const auto& iv : s.interventions) known.push_back(iv.name);
  auto list = items(v, "a list of intervention names");
  if (!list) return;
  for (const Value& item : *list) {
    auto name = text(item);
    if (!name) continue;
    if (!s.intervention(*name))
      diag_.error(item.loc, fmt::format("unknown intervention '{}' in {}{}", *name, v.path,
                                        hint(*name, known)));
    else if (std::find(a.interventions.begin(), a.interventions.end(), *name) !=
             a.interventions.end())
      diag_.error(item.loc, fmt::format("intervention '{}' is listed twice in {}", *name, v.path));
    else
      a.interventions.push_back(*name);
  }
}

// Whether a path names a key of an intervention whose kind is not registered: its keys are
// unknown, so they can be neither checked nor reported.
bool of_unknown_kind(const std::string& path, const Scenario& s) {
  const std::string prefix = "interventions.";
  if (path.rfind(prefix, 0) != 0) return false;
  std::string name = path.substr(prefix.size());
  const InterventionSpec* iv = s.intervention(name.substr(0, name.find('.')));
  return iv && !s.kind->intervention(iv->kind);
}

// An arm may change the model and the interventions, never the world: arms share the network,
// the population and the seed so that they share random numbers (MODEL.md).
void Parser::read_arm_set(const Value& v, const Scenario& s, const std::vector<SettablePath>& paths,
                          Arm& a) {
  std::vector<std::string> heads, arm_paths;
  for (const auto& section : s.kind->sections) heads.push_back(section.name);
  for (const auto& p : paths)
    if (p.arm_may_set) arm_paths.push_back(p.path);
  std::string allowed;
  for (const auto& h : heads) allowed += h + ".*, ";
  allowed = allowed.substr(0, allowed.size() - 2) + " and interventions.*";
  for (const Entry& e : entries(v)) {
    std::string head = e.key.substr(0, e.key.find('.'));
    if (head != "interventions" && std::find(heads.begin(), heads.end(), head) == heads.end()) {
      diag_.error(e.value.key_loc,
                  fmt::format("'{}': an arm may set only {} (arms share the world so that they "
                              "share random numbers)",
                              e.key, allowed));
      continue;
    }
    auto p = std::find_if(paths.begin(), paths.end(),
                          [&](const SettablePath& p) { return p.arm_may_set && p.path == e.key; });
    if (p == paths.end() && of_unknown_kind(e.key, s)) continue;  // that kind's error suffices
    if (p == paths.end()) {
      diag_.error(e.value.key_loc,
                  fmt::format("unknown path '{}' in {}{}", e.key, v.path, hint(e.key, arm_paths)));
      continue;
    }
    Value value = e.value;
    value.path = e.key;  // messages name the path being set
    if (auto x = number(value, p->spec)) a.set.push_back(Setting{e.key, *x, e.value.key_loc});
  }
}

// Legitimate (the arm runs without it) but most likely a slip.
void Parser::warn_arm_sets_absent(const Arm& a) {
  const std::string prefix = "interventions.";
  for (const Setting& st : a.set) {
    if (st.path.rfind(prefix, 0) != 0) continue;
    std::string name = st.path.substr(prefix.size());
    name = name.substr(0, name.find('.'));
    if (std::find(a.interventions.begin(), a.interventions.end(), name) == a.interventions.end())
      diag_.warning(st.loc, fmt::format("arm '{}' sets {} but does not run '{}': the setting has "
                                        "no effect",
                                        a.name, st.path, name));
  }
}

void Parser::warn_unused_interventions(const Scenario& s) {
  for (const auto& iv : s.interventions) {
    bool used = std::any_of(s.arms.begin(), s.arms.end(), [&](const Arm& a) {
      return std::find(a.interventions.begin(), a.interventions.end(), iv.name) !=
             a.interventions.end();
    });
    if (!used) diag_.warning(iv.loc, fmt::format("intervention '{}' is used by no arm", iv.name));
  }
}

void Parser::read_baseline_arm(const std::optional<Value>& v, Scenario& s) {
  // Default: the arm named `baseline`, else the first (MODEL.md).
  if (s.arm("baseline"))
    s.baseline_arm = "baseline";
  else if (!s.arms.empty())
    s.baseline_arm = s.arms.front().name;
  if (!v) return;
  auto name = text(*v);
  if (!name) return;
  if (s.arm(*name)) {
    s.baseline_arm = *name;
    return;
  }
  std::vector<std::string> names;
  for (const auto& a : s.arms) names.push_back(a.name);
  diag_.error(v->loc, fmt::format("baseline_arm: unknown arm '{}'{}", *name, hint(*name, names)));
}

// --- Uncertainty ----------------------------------------------------------------------------

namespace {

// Paths of the world that may be uncertain: each replicate builds its world anyway, and these
// change neither the layout (agents, communities) nor the shape of the results.
bool world_path_may_be_uncertain(const std::string& path) {
  return path.rfind("population.roles.", 0) == 0 || path.rfind("population.initial.", 0) == 0 ||
         path == "population.household_size" || path == "network.rewire" ||
         path == "network.between_degree" || path == "network.mean_degree";
}

// The keys of each distribution (ParameterDistribution::Kind order), in their canonical order;
// beta takes either its first two or its last two.
const std::vector<std::vector<std::string>>& distribution_keys() {
  static const std::vector<std::vector<std::string>> keys = {
      {"mean", "sd", "alpha", "beta"}, {"median", "gsd"},      {"mean", "sd"},       {"min", "max"},
      {"mean", "sd", "min", "max"},    {"min", "mode", "max"}, {"values", "weights"}};
  return keys;
}

// Normal(0, 1) probability of [a, b], from the nearer tail.
double standard_normal_mass(double a, double b) {
  auto upper = [](double z) { return 0.5 * std::erfc(z / std::sqrt(2.0)); };  // P(Z > z)
  if (a > 0) return upper(a) - upper(b);
  return upper(-b) - upper(-a);
}

std::string interval(double lo, double hi, bool open) {
  auto end = [](double x) {
    return std::isinf(x) ? std::string(x > 0 ? "∞" : "−∞") : fmt::format("{}", x);
  };
  return fmt::format("{}{}, {}{}", open || std::isinf(lo) ? "(" : "[", end(lo), end(hi),
                     open || std::isinf(hi) ? ")" : "]");
}

}  // namespace

void Parser::reject_from(const SourceLoc& loc) {
  diag_.error(loc,
              "uncertainty: 'from' names a joint sample for the whole section "
              "(uncertainty: {from: calib.h5}), not one parameter's distribution");
}

// `from: calib.h5` (a calibration's results, read by the program's reader; relative to this
// file) or inline `from: {source, parameters, particles, weights}` (what to_yaml writes, so a
// stored scenario needs no other file). Each parameter of the sample must be one `uncertainty:`
// accepts; the calibration's observation parameters are not the scenario's and are left out.
void Parser::read_joint_sample(const Value& v, Scenario& s,
                               const std::vector<SettablePath>& paths) {
  std::shared_ptr<const JointSample> sample;
  std::vector<SourceLoc> value_locs;  // inline: where each particle's value stands
  if (v.node.IsMap()) {
    sample = inline_joint_sample(v, value_locs);
  } else if (auto name = text(v)) {
    const fs::path file = fs::path(*name).is_absolute() ? fs::path(*name) : dir_ / *name;
    if (!joint_sample_reader()) {
      diag_.error(v.loc, fmt::format("{}: this program cannot read a calibration's results ('{}')",
                                     v.path, *name));
      return;
    }
    try {
      JointSample j = joint_sample_reader()(file);
      sample =
          make_joint_sample(*name, std::move(j.paths), std::move(j.theta), std::move(j.weights));
    } catch (const std::exception& e) {
      diag_.error(v.loc, fmt::format("{}: cannot draw from '{}': {}", v.path, *name, e.what()));
      return;
    }
  }
  if (!sample) return;
  const size_t k = sample->paths.size();
  for (uint32_t c = 0; c < k; ++c) {
    const std::string& path = sample->paths[c];
    if (path.rfind("observation.", 0) == 0) {
      diag_.warning(v.loc, fmt::format("{}: {} is the calibration's observation parameter, not "
                                       "the scenario's: not drawn",
                                       v.path, path));
      continue;
    }
    auto p = std::find_if(paths.begin(), paths.end(),
                          [&](const SettablePath& x) { return x.path == path; });
    if (p == paths.end() || !(p->arm_may_set || world_path_may_be_uncertain(path))) {
      std::vector<std::string> allowed;
      for (const auto& x : paths)
        if (x.arm_may_set || world_path_may_be_uncertain(x.path)) allowed.push_back(x.path);
      diag_.error(
          v.loc, fmt::format("{}: the sample's parameter '{}' is not one this scenario "
                             "may draw{}",
                             v.path, path, p == paths.end() ? hint(path, allowed) : std::string()));
      continue;
    }
    bool in = true;
    for (size_t i = 0; i < sample->particles() && in; ++i) {
      const double x = sample->theta[i * k + c];
      if (!in_range(p->spec, x)) {
        diag_.error(value_locs.empty() ? v.loc : value_locs[i * k + c],
                    fmt::format("{}: particle {} has {} = {}, out of its range ({})", v.path, i,
                                path, x, describe_range(p->spec)));
        in = false;
      }
    }
    if (!in) continue;
    s.uncertainty.push_back({path, joint_marginal(sample, c), v.loc});
  }
}

std::shared_ptr<const JointSample> Parser::inline_joint_sample(const Value& v,
                                                               std::vector<SourceLoc>& value_locs) {
  std::string source = "an inline sample";
  std::vector<std::string> names;
  std::vector<double> theta, weights;
  bool ok = true;
  std::optional<Value> particles_at, weights_at;
  constexpr double inf = std::numeric_limits<double>::infinity();
  const ParamSpec any{"value", 0, -inf, inf, "", ""};
  const ParamSpec weight{"weight", 1, 0, inf, "", ""};
  for (const Entry& e : entries(v)) {
    if (e.key == "source") {
      if (auto t = text(e.value)) source = *t;
    } else if (e.key == "parameters") {
      auto list = items(e.value, "a list of parameter paths");
      if (!list) return nullptr;
      for (const Value& x : *list)
        if (auto t = text(x))
          names.push_back(*t);
        else
          ok = false;
    } else if (e.key == "particles") {
      particles_at = e.value;
    } else if (e.key == "weights") {
      weights_at = e.value;
      auto list = items(e.value, "a list of weights");
      if (!list) return nullptr;
      for (const Value& x : *list)
        if (auto w = number(x, weight))
          weights.push_back(*w);
        else
          ok = false;
    } else {
      unknown_key(e, v.path, {"source", "parameters", "particles", "weights"});
      ok = false;
    }
  }
  if (names.empty() || !particles_at) {
    diag_.error(v.loc, fmt::format("{}: a joint sample needs parameters: [paths] and particles: "
                                   "[[values], ...] (and weights: [...], default equal)",
                                   v.path));
    return nullptr;
  }
  auto rows = items(*particles_at, "a list of particles, each a list of values");
  if (!rows) return nullptr;
  for (const Value& row : *rows) {
    auto values = items(row, "a particle: a list of one value a parameter");
    if (!values) return nullptr;
    if (values->size() != names.size()) {
      diag_.error(row.loc, fmt::format("{}: a particle has {} values for {} parameters", row.path,
                                       values->size(), names.size()));
      return nullptr;
    }
    for (const Value& x : *values) {
      value_locs.push_back(x.loc);
      if (auto n = number(x, any))
        theta.push_back(*n);
      else
        ok = false;
    }
  }
  if (!weights_at) {
    weights.assign(rows->size(), 1.0);
  } else if (ok && weights.size() != rows->size()) {
    diag_.error(weights_at->loc, fmt::format("{}: {} weights for {} particles (give one weight "
                                             "per particle)",
                                             weights_at->path, weights.size(), rows->size()));
    return nullptr;
  }
  if (!ok) return nullptr;
  try {
    return make_joint_sample(source, names, theta, weights);
  } catch (const std::invalid_argument& e) {
    diag_.error(v.loc, fmt::format("{}: {}", v.path, e.what()));
    return nullptr;
  }
}

// `uncertainty: {<path>: {<distribution>: {...}}, ...}`: any path `--set` accepts that an arm may
// set, and the world's continuous keys that leave its layout alone.
void Parser::read_uncertainty(const Value& v, Scenario& s) {
  const std::vector<SettablePath> paths = settable_paths(s);
  std::vector<std::string> allowed;
  for (const auto& p : paths)
    if (p.arm_may_set || world_path_may_be_uncertain(p.path)) allowed.push_back(p.path);
  for (const Entry& e : entries(v)) {
    if (e.key == "from") {
      Value value = e.value;
      value.path = "uncertainty.from";
      read_joint_sample(value, s, paths);
      continue;
    }
    auto p = std::find_if(paths.begin(), paths.end(),
                          [&](const SettablePath& p) { return p.path == e.key; });
    if (p == paths.end()) {
      if (of_unknown_kind(e.key, s)) continue;  // that kind's error suffices
      auto below = std::find_if(allowed.begin(), allowed.end(),
                                [&](const std::string& a) { return a.rfind(e.key + ".", 0) == 0; });
      if (below != allowed.end())
        diag_.error(e.value.key_loc,
                    fmt::format("uncertainty: '{}' is not a parameter; name each parameter by its "
                                "dotted path, e.g. {}",
                                e.key, *below));
      else
        diag_.error(e.value.key_loc,
                    fmt::format("unknown path '{}' in uncertainty{}", e.key, hint(e.key, allowed)));
      continue;
    }
    if (!p->arm_may_set && !world_path_may_be_uncertain(p->path)) {
      diag_.error(
          e.value.key_loc,
          fmt::format(
              "uncertainty on '{}' is not supported yet (it would change the "
              "run's shape or layout; uncertain may be the parameters of the "
              "model and the interventions, population.roles.*, "
              "population.initial.*.mean, population.household_size and the network's rewire, "
              "between_degree and mean_degree)",
              e.key));
      continue;
    }
    Value value = e.value;
    value.path = "uncertainty." + e.key;
    if (auto d = read_parameter_distribution(value, *p))
      s.uncertainty.push_back({e.key, std::move(*d), e.value.key_loc});
  }
  // A parameter of the joint sample given its own distribution too: one must go.
  for (size_t i = 0; i < s.uncertainty.size(); ++i)
    for (size_t j = 0; j < i; ++j)
      if (s.uncertainty[i].path == s.uncertainty[j].path)
        diag_.error(s.uncertainty[i].dist.joint ? s.uncertainty[j].loc : s.uncertainty[i].loc,
                    fmt::format("uncertainty: {} is drawn from the joint sample of 'from' and "
                                "given a distribution here: give it one or the other",
                                s.uncertainty[i].path));
}

std::optional<ParameterDistribution> Parser::read_parameter_distribution(const Value& v,
                                                                         const SettablePath& p) {
  const std::vector<std::string>& names = distribution_names();
  if (!v.node.IsMap()) {
    diag_.error(v.loc, fmt::format("{}: expected a distribution such as {{beta: {{mean: 0.6, sd: "
                                   "0.1}}}}, got {}",
                                   v.path, describe(v.node)));
    return std::nullopt;
  }
  std::vector<Entry> given = entries(v);
  if (given.size() != 1) {
    if (given.empty())
      diag_.error(v.loc,
                  fmt::format("{}: expected a distribution ({})", v.path, list_words(names)));
    else
      diag_.error(given[1].value.key_loc,
                  fmt::format("{}: give one distribution, not both '{}' and '{}'", v.path,
                              given[0].key, given[1].key));
    return std::nullopt;
  }
  const Entry& e = given[0];
  if (e.key == "from") {
    reject_from(e.value.key_loc);
    return std::nullopt;
  }
  auto it = std::find(names.begin(), names.end(), e.key);
  if (it == names.end()) {
    diag_.error(e.value.key_loc, fmt::format("unknown distribution '{}' in {}{}", e.key, v.path,
                                             hint_and_list(e.key, names, "known distributions")));
    return std::nullopt;
  }
  ParameterDistribution d;
  d.kind = static_cast<ParameterDistribution::Kind>(it - names.begin());
  const bool discrete = d.kind == ParameterDistribution::Kind::discrete;
  if (p.spec.integer && !discrete) {
    diag_.error(e.value.key_loc,
                fmt::format("{}{}: the parameter is {}: only a discrete distribution "
                            "of whole numbers fits it",
                            distribution_section_, p.path, describe_range(p.spec)));
    return std::nullopt;
  }
  SourceLoc bad_at;
  if (discrete ? !read_discrete(e.value, d, p.spec)
               : !read_distribution_numbers(e.value, d, bad_at))
    return std::nullopt;
  if (!check_support(e.value, d, p)) return std::nullopt;
  return d;
}

// Reads and checks the numbers of a continuous distribution, and derives its sampling
// parameters.
bool Parser::read_distribution_numbers(const Value& v, ParameterDistribution& d,
                                       SourceLoc& bad_at) {
  using K = ParameterDistribution::Kind;
  static const ParamSpec any = unit_spec(-HUGE_VAL, HUGE_VAL);
  const std::vector<std::string>& keys = distribution_keys()[static_cast<size_t>(d.kind)];
  std::vector<std::optional<double>> x(keys.size());
  std::vector<SourceLoc> at(keys.size(), v.loc);
  bool ok = true;
  if (!v.node.IsMap()) {
    diag_.error(v.loc, fmt::format("{}: expected a map of {}, got {}", v.path, list_words(keys),
                                   describe(v.node)));
    return false;
  }
  for (const Entry& e : entries(v)) {
    auto k = std::find(keys.begin(), keys.end(), e.key);
    if (k == keys.end()) {
      unknown_key(e, v.path, keys);
      ok = false;
      continue;
    }
    const size_t i = k - keys.begin();
    at[i] = e.value.loc;
    x[i] = number(e.value, any);
    if (!x[i]) ok = false;
  }
  if (!ok) return false;
  auto has = [&](size_t i) { return x[i].has_value(); };
  auto bad = [&](size_t i, std::string why) {
    bad_at = at[i];
    diag_.error(at[i], fmt::format("{}: {}", v.path, why));
    return false;
  };
  // The keys every form needs; beta: one of its two forms, whole.
  std::vector<size_t> need;
  if (d.kind == K::beta) {
    const bool moments = has(0) || has(1), shapes = has(2) || has(3);
    if (moments && shapes)
      return bad(has(2) ? 2 : 3, "give a beta either {mean, sd} or {alpha, beta}, not both");
    need = shapes ? std::vector<size_t>{2, 3} : std::vector<size_t>{0, 1};
  } else if (d.kind == K::normal) {
    need = {0, 1};
  } else {
    for (size_t i = 0; i < keys.size(); ++i) need.push_back(i);
  }
  for (size_t i : need)
    if (!has(i)) {
      diag_.error(v.loc, fmt::format("{}: missing '{}' (a {} needs {})", v.path, keys[i],
                                     distribution_names()[static_cast<size_t>(d.kind)], [&] {
                                       std::vector<std::string> n;
                                       for (size_t j : need) n.push_back(keys[j]);
                                       return list_words(n);
                                     }()));
      return false;
    }
  for (size_t i = 0; i < keys.size(); ++i)
    if (has(i)) d.given.emplace_back(keys[i], *x[i]);

  switch (d.kind) {
    case K::beta:
      if (has(0)) {
        const double mean = *x[0], sd = *x[1];
        if (!(mean > 0 && mean < 1))
          return bad(0, fmt::format("the mean of a beta must be in (0, 1), got {}", mean));
        if (!(sd > 0)) return bad(1, fmt::format("sd must be > 0, got {}", sd));
        const double limit = mean * (1 - mean);
        if (!(sd * sd < limit))
          return bad(1, fmt::format("sd = {} is too large for a beta with mean {} (sd² must be "
                                    "below mean·(1 − mean) = {:.4g}, so sd < {:.4g})",
                                    sd, mean, limit, std::sqrt(limit)));
        const double k = limit / (sd * sd) - 1;
        d.a = mean * k, d.b = (1 - mean) * k;
      } else {
        d.a = *x[2], d.b = *x[3];
        if (!(d.a > 0)) return bad(2, fmt::format("alpha must be > 0, got {}", d.a));
        if (!(d.b > 0)) return bad(3, fmt::format("beta must be > 0, got {}", d.b));
      }
      return true;
    case K::lognormal:
      if (!(*x[0] > 0)) return bad(0, fmt::format("the median must be > 0, got {}", *x[0]));
      if (!(*x[1] > 1))
        return bad(1, fmt::format("the geometric sd (gsd) must be > 1, got {}", *x[1]));
      d.a = std::log(*x[0]), d.b = std::log(*x[1]);
      return true;
    case K::gamma:
      if (!(*x[0] > 0))
        return bad(0, fmt::format("the mean of a gamma must be > 0, got {}", *x[0]));
      if (!(*x[1] > 0)) return bad(1, fmt::format("sd must be > 0, got {}", *x[1]));
      d.a = (*x[0] / *x[1]) * (*x[0] / *x[1]), d.b = *x[1] * *x[1] / *x[0];
      return true;
    case K::uniform:
      d.lo = *x[0], d.hi = *x[1];
      if (!(d.lo < d.hi))
        return bad(0, fmt::format("min must be below max, got min {} and max {}", d.lo, d.hi));
      return true;
    case K::normal: {
      d.a = *x[0], d.b = *x[1];
      d.lo = x[2].value_or(-HUGE_VAL), d.hi = x[3].value_or(HUGE_VAL);
      if (!(d.b > 0)) return bad(1, fmt::format("sd must be > 0, got {}", d.b));
      if (!(d.lo < d.hi))
        return bad(2, fmt::format("min must be below max, got min {} and max {}", d.lo, d.hi));
      if (standard_normal_mass((d.lo - d.a) / d.b, (d.hi - d.a) / d.b) < 1e-6)
        return bad(has(2) ? 2 : 3,
                   fmt::format("normal(mean {}, sd {}) has almost no probability in {}", d.a, d.b,
                               interval(d.lo, d.hi, false)));
      return true;
    }
    case K::triangular:
      d.lo = *x[0], d.mode = *x[1], d.hi = *x[2];
      if (!(d.lo < d.hi))
        return bad(0, fmt::format("min must be below max, got min {} and max {}", d.lo, d.hi));
      if (!(d.mode >= d.lo && d.mode <= d.hi))
        return bad(1, fmt::format("the mode must be in [min, max] = {}, got {}",
                                  interval(d.lo, d.hi, false), d.mode));
      return true;
    case K::discrete:
      break;
  }
  return false;
}

bool Parser::read_discrete(const Value& v, ParameterDistribution& d, const ParamSpec& spec) {
  static const ParamSpec any = unit_spec(-HUGE_VAL, HUGE_VAL);
  bool ok = true, has_values = false;
  std::optional<Value> weights_value;
  for (const Entry& e : entries(v)) {
    if (e.key == "values") {
      has_values = true;
      auto list = items(e.value, "a list of numbers");
      if (!list) return false;
      if (list->empty()) {
        diag_.error(e.value.loc, fmt::format("{}: expected at least one value", e.value.path));
        return false;
      }
      for (const Value& item : *list) {
        auto x = number(item, any);
        if (!x) {
          ok = false;
          continue;
        }
        if (!in_range(spec, *x)) {
          diag_.error(item.loc, fmt::format("{} = {} is out of range for the parameter ({})",
                                            item.path, *x, describe_range(spec)));
          ok = false;
          continue;
        }
        d.values.push_back(*x);
      }
    } else if (e.key == "weights") {
      weights_value = e.value;
      auto list = items(e.value, "a list of positive numbers");
      if (!list) return false;
      for (const Value& item : *list) {
        auto x = number(item, any);
        if (!x) {
          ok = false;
          continue;
        }
        if (!(*x > 0)) {
          diag_.error(item.loc,
                      fmt::format("{}: a weight must be positive, got {}", item.path, *x));
          ok = false;
          continue;
        }
        d.weights.push_back(*x);
      }
    } else {
      unknown_key(e, v.path, {"values", "weights"});
      ok = false;
    }
  }
  if (!ok) return false;
  if (!has_values) {
    diag_.error(v.loc, fmt::format("{}: missing 'values' (a discrete distribution needs values "
                                   "and, optionally, weights)",
                                   v.path));
    return false;
  }
  if (weights_value && d.weights.size() != d.values.size()) {
    diag_.error(weights_value->loc,
                fmt::format("{}: {} weights for {} values (give one weight "
                            "per value)",
                            weights_value->path, d.weights.size(), d.values.size()));
    return false;
  }
  double total = 0;
  for (size_t i = 0; i < d.values.size(); ++i) total += d.weights.empty() ? 1 : d.weights[i];
  double sum = 0;
  for (size_t i = 0; i < d.values.size(); ++i) {
    sum += d.weights.empty() ? 1 : d.weights[i];
    d.cumulative.push_back(sum / total);
  }
  d.cumulative.back() = 1;
  return true;
}

// The values a distribution can take must be values the parameter may take.
bool Parser::check_support(const Value& v, const ParameterDistribution& d, const SettablePath& p) {
  using K = ParameterDistribution::Kind;
  double lo = 0, hi = 0;
  bool open = false;
  std::string advice;
  switch (d.kind) {
    case K::beta:
      lo = 0, hi = 1, open = true;
      break;
    case K::lognormal:
    case K::gamma:
      lo = 0, hi = HUGE_VAL, open = true;
      advice = "; a beta, uniform, triangular or truncated normal fits a bounded parameter";
      break;
    case K::uniform:
    case K::triangular:
    case K::normal:
      lo = d.lo, hi = d.hi;
      if (d.kind == K::normal && (std::isinf(lo) || std::isinf(hi)))
        advice = "; give the normal min and max to truncate it";
      break;
    case K::discrete:
      return true;  // each value was checked
  }
  if (lo >= p.spec.min && hi <= p.spec.max) return true;
  diag_.error(v.key_loc, fmt::format("{}{}: a {} distribution takes values in {}, but the "
                                     "parameter is {}{}",
                                     distribution_section_, p.path,
                                     distribution_names()[static_cast<size_t>(d.kind)],
                                     interval(lo, hi, open), describe_range(p.spec), advice));
  return false;
}

// --- --set ----------------------------------------------------------------------------------

void Parser::apply_overrides(const std::vector<std::string>& overrides, Scenario& s) {
  auto trim = [](std::string t) {
    auto b = t.find_first_not_of(" \t"), e = t.find_last_not_of(" \t");
    return b == std::string::npos ? std::string() : t.substr(b, e - b + 1);
  };
  for (const std::string& o : overrides) {
    SourceLoc loc{"--set " + o};
    auto eq = o.find('=');
    std::string path = trim(o.substr(0, eq)),
                value = eq == std::string::npos ? "" : trim(o.substr(eq + 1));
    if (eq == std::string::npos || path.empty() || value.empty()) {
      diag_.error(loc, "expected path=value, for example --set " + example_setting(kind_));
      continue;
    }
    std::optional<double> x = parse_number(value);
    if (path == "outputs.by_community")
      if (auto b = parse_bool(value)) x = *b ? 1 : 0;
    if (!x) {
      diag_.error(loc, fmt::format("{}: expected a number, got '{}'", path, value));
      continue;
    }
    if (path == "population.size") size_given_ = true, size_loc_ = loc;
    apply_setting(s, Setting{path, *x, loc}, diag_);
    auto u = std::find_if(s.uncertainty.begin(), s.uncertainty.end(),
                          [&](const UncertainParameter& p) { return p.path == path; });
    if (u != s.uncertainty.end()) {
      s.uncertainty.erase(u);
      diag_.warning(loc, fmt::format("{} is fixed by --set; its uncertainty is not drawn", path));
    }
  }
}

// --- Cross-checks ---------------------------------------------------------------------------

void Parser::cross_check(Scenario& s) {
  // A file network brings its own size and communities (the program fills them in).
  if (s.network.kind != NetworkSpec::Kind::file) {
    derive_tree_size(s);
    check_population(s);
    check_community_ids(s);
  }
  check_network(s);
  check_snapshots(s);
  warn_inactive_interventions(s);
  if (s.kind && s.kind->check) s.kind->check(s, diag_);
}

// A tree has as many agents as nodes: population.size follows from branching and depth, and
// may be given only if it agrees.
void Parser::derive_tree_size(Scenario& s) {
  const NetworkSpec& n = s.network;
  if (n.kind != NetworkSpec::Kind::tree) return;
  PopulationSpec& p = s.population;
  const std::optional<uint32_t> nodes = tree_nodes(n.branching, n.depth);
  if (!nodes) {
    diag_.error(network_loc(n), fmt::format("network: a tree with branching {} and depth {} has "
                                            "more than 4294967295 nodes",
                                            n.branching, n.depth));
    return;
  }
  const bool given = size_given_ || !p.community_sizes.empty();
  if (given && p.size != *nodes) {
    diag_.error(size_given_ ? size_loc_ : sizes_loc_,
                fmt::format("population.size is {} but the network, a tree with branching {} and "
                            "depth {}, has {} nodes (leave population.size out: the tree decides "
                            "it)",
                            p.size, n.branching, n.depth, *nodes));
    return;
  }
  p.size = *nodes;
  if (!communities_given_ && p.community_sizes.empty())
    p.communities = std::min(p.communities, p.size);  // every community needs an agent
}

void Parser::check_population(const Scenario& s) {
  const PopulationSpec& p = s.population;
  if (!p.community_sizes.empty()) {
    uint64_t sum = 0;
    for (uint32_t n : p.community_sizes) sum += n;
    if (p.community_sizes.size() != p.communities)
      diag_.error(sizes_loc_, fmt::format("population.community_sizes lists {} communities but "
                                          "population.communities is {}",
                                          p.community_sizes.size(), p.communities));
    if (sum != p.size)
      diag_.error(sizes_loc_, fmt::format("population.community_sizes add up to {} agents but "
                                          "population.size is {}",
                                          sum, p.size));
    return;
  }
  if (p.communities > p.size) {
    SourceLoc loc = communities_given_ ? communities_loc_
                    : size_given_      ? size_loc_
                                       : population_loc_;
    diag_.error(loc, fmt::format("population.communities = {} is more than population.size = {} "
                                 "(every community needs at least one agent)",
                                 p.communities, p.size));
  }
}

void Parser::check_network(const Scenario& s) {
  const NetworkSpec& n = s.network;
  // A ring lattice has degree / 2 ties on each side.
  if (n.kind == NetworkSpec::Kind::villages && std::fmod(n.within_degree, 2) != 0)
    diag_.error(within_degree_loc_.line ? within_degree_loc_ : network_loc(n),
                fmt::format("network.within_degree = {} must be even (a ring lattice has "
                            "within_degree / 2 ties on each side)",
                            n.within_degree));
  if (n.kind == NetworkSpec::Kind::complete && s.population.size > kMaxCompleteAgents)
    diag_.error(size_given_ ? size_loc_ : network_loc(n),
                fmt::format("network: a complete network of {} agents would have {} ties; it "
                            "may have at most {} agents (for dense mixing of more, use "
                            "erdos_renyi with a large mean_degree)",
                            s.population.size,
                            static_cast<uint64_t>(s.population.size) * (s.population.size - 1) / 2,
                            kMaxCompleteAgents));
  if (n.kind == NetworkSpec::Kind::watts_strogatz && n.degree % 2 != 0)
    diag_.error(degree_loc_.line ? degree_loc_ : network_loc(n),
                fmt::format("network.degree = {} must be even (a ring lattice has degree / 2 ties "
                            "on each side)",
                            n.degree));
}

void Parser::check_community_ids(const Scenario& s) {
  uint32_t c = s.population.communities;
  for (const CommunityRef& r : community_refs_)
    if (r.id >= c)
      diag_.error(r.loc, fmt::format("{}: community {} does not exist (community ids are in "
                                     "[0, {}])",
                                     r.path, r.id, c - 1));
}

void Parser::check_snapshots(const Scenario& s) {
  for (const StepRef& r : snapshot_refs_)
    if (r.step > s.steps)
      diag_.error(r.loc, fmt::format("{} = {} is out of range (a whole number in [0, {}]; steps "
                                     "is {})",
                                     r.path, r.step, s.steps, s.steps));
}

// Legitimate (an arm of it is a placebo) but worth saying.
void Parser::warn_inactive_interventions(const Scenario& s) {
  for (size_t i = 0; i < s.interventions.size(); ++i) {
    const InterventionSpec& iv = s.interventions[i];
    if (iv.start >= s.steps)
      diag_.warning(start_locs_[i],
                    fmt::format("intervention '{}' starts at step {}, at or after the end of the "
                                "run (steps = {}): it never acts, so an arm of it alone is a "
                                "placebo",
                                iv.name, iv.start, s.steps));
    else if (iv.duration && *iv.duration == 0)
      diag_.warning(iv.loc,
                    fmt::format("intervention '{}' has duration 0: it never acts", iv.name));
  }
}

}  // namespace

// --- Entry points ---------------------------------------------------------------------------

namespace {

Scenario parse_text(const std::string& yaml, const std::filesystem::path& name,
                    const Catalog& catalog, const std::vector<std::string>& overrides,
                    Diagnostics& diag, bool look_for_files) {
  Scenario s;
  s.file = name;
  const std::string label = name.string();
  Diagnostics local;
  Parser parser(label, fs::absolute(name).parent_path(), catalog, local, look_for_files);
  try {
    std::vector<YAML::Node> docs = load_yaml_documents(yaml);
    if (docs.empty() || docs[0].IsNull())
      local.error(SourceLoc{label},
                  "the file is empty: expected a map of scenario keys "
                  "(name, population, network, model, interventions, ...)");
    else if (docs.size() > 1)
      local.error(parser.at(docs[1].Mark()),
                  fmt::format("expected one YAML document, found {}", docs.size()));
    else if (!docs[0].IsMap())
      local.error(parser.at(docs[0].Mark()),
                  fmt::format("expected a map of scenario keys (name, population, network, ...) "
                              "at the top level, got {}",
                              describe(docs[0])));
    else {
      parser.read(docs[0], s);
      parser.apply_overrides(overrides, s);
      parser.cross_check(s);
    }
  } catch (const YAML::Exception& e) {  // syntax errors carry where they are
    local.error(parser.at(e.mark), e.msg);
  }
  emit_sorted(local, label, diag);
  return s;
}

}  // namespace

Scenario parse_scenario_text(const std::string& yaml, const std::filesystem::path& name,
                             const Catalog& catalog, const std::vector<std::string>& overrides,
                             Diagnostics& diag) {
  return parse_text(yaml, name, catalog, overrides, diag, true);
}

Scenario parse_stored_scenario(const std::string& yaml, const Catalog& catalog, Diagnostics& diag) {
  return parse_text(yaml, "stored scenario", catalog, {}, diag, false);
}

Scenario parse_scenario_file(const std::filesystem::path& file, const Catalog& catalog,
                             const std::vector<std::string>& overrides, Diagnostics& diag) {
  std::optional<std::string> text = read_input_file(file, diag);  // bounded (sim/yaml_document.h)
  if (!text) {
    Scenario s;
    s.file = file;
    return s;
  }
  return parse_scenario_text(*text, file, catalog, overrides, diag);
}

std::optional<Scenario> parse_named_scenario(const yaml_input::Value& v, const std::string& name,
                                             const std::string& file, const Catalog& catalog,
                                             Diagnostics& diag, std::string_view what) {
  // Named relative to the file that names it, as that file is named (messages read like the
  // user's paths).
  std::filesystem::path path(name);
  if (path.is_relative())
    path = (std::filesystem::path(file).parent_path() / path).lexically_normal();
  Diagnostics sd;
  Scenario s = parse_scenario_file(path, catalog, {}, sd);
  for (const Diagnostic& d : sd.all()) {
    if (d.severity == Diagnostic::Severity::error)
      diag.error(d.loc, d.message);
    else
      diag.warning(d.loc, d.message);
  }
  if (sd.has_errors()) {
    diag.error(v.loc, fmt::format("scenario '{}' has errors; the {} cannot be checked further",
                                  name, what));
    return std::nullopt;
  }
  return s;
}

std::optional<ParameterDistribution> read_distribution(const yaml_input::Value& v,
                                                       const SettablePath& parameter,
                                                       const std::string& file, Diagnostics& diag) {
  static const Catalog kNoKinds;
  Parser p(file, fs::path(file).parent_path(), kNoKinds, diag);
  const size_t dot = v.path.rfind('.');
  p.distribution_section_ = dot == std::string::npos ? "" : v.path.substr(0, dot + 1);
  return p.read_parameter_distribution(v, parameter);
}

}  // namespace fourp
