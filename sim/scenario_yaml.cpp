// Scenario → normalised YAML (to_yaml, declared in scenario_parse.h): every value, defaults
// filled in, in a form that parses back to the same scenario. `fourp validate` prints it and
// results files store it. Roles, traits and targets by the names the model kind declares.
#include <fmt/format.h>
#include <yaml-cpp/yaml.h>

#include <algorithm>
#include <string>
#include <vector>

#include "sim/scenario_parse.h"

namespace fourp {

namespace {

// Shortest text that reads back as the same double.
std::string num(double v) {
  return fmt::format("{}", v);
}

// Names as map keys: quoted only where YAML would otherwise read them as something else.
YAML::Emitter& name_key(YAML::Emitter& out, const std::string& name) {
  static const std::vector<std::string> nulls = {"", "~", "null", "Null", "NULL"};
  out << YAML::Key;
  if (std::find(nulls.begin(), nulls.end(), name) != nulls.end()) out << YAML::DoubleQuoted;
  return out << name << YAML::Value;
}

YAML::Emitter& key(YAML::Emitter& out, const char* k) {
  return out << YAML::Key << k << YAML::Value;
}

void emit_empty_map(YAML::Emitter& out) {
  out << YAML::Flow << YAML::BeginMap << YAML::EndMap;
}

template <class T>
void emit_numbers(YAML::Emitter& out, const std::vector<T>& xs) {
  out << YAML::Flow << YAML::BeginSeq;
  for (const T& x : xs) out << fmt::format("{}", x);
  out << YAML::EndSeq;
}

void emit_distribution(YAML::Emitter& out, const Distribution& d) {
  static const char* names[] = {"beta", "uniform", "normal", "constant"};
  out << YAML::Flow << YAML::BeginMap << YAML::Key << names[static_cast<int>(d.kind)]
      << YAML::Value;
  if (d.kind == Distribution::Kind::constant)
    out << num(d.p1);
  else
    out << YAML::Flow << YAML::BeginSeq << num(d.p1) << num(d.p2) << YAML::EndSeq;
  out << YAML::EndMap;
}

// Dotted parameter names back as nested maps ("message.blame" under "message:"); `keep` picks
// which parameters to print.
void emit_params(YAML::Emitter& out, const ParamValues& v, const std::string& prefix,
                 const std::function<bool(size_t)>& keep) {
  const auto& specs = v.schema().specs();
  // An optional parameter that was not given has nothing to print.
  auto shown = [&](size_t i) { return keep(i) && !(specs[i].optional && std::isnan(v[i])); };
  std::vector<std::string> done;
  for (size_t i = 0; i < specs.size(); ++i) {
    const std::string& name = specs[i].name;
    if (!shown(i) || name.rfind(prefix, 0) != 0) continue;
    std::string rest = name.substr(prefix.size());
    auto dot = rest.find('.');
    if (dot == std::string::npos) {
      out << YAML::Key << rest << YAML::Value << num(v[i]);
      continue;
    }
    std::string head = rest.substr(0, dot);
    if (std::find(done.begin(), done.end(), head) != done.end()) continue;
    done.push_back(head);
    out << YAML::Key << head << YAML::Value << YAML::Flow << YAML::BeginMap;
    emit_params(out, v, prefix + head + ".", keep);
    out << YAML::EndMap;
  }
}

void emit_roles(YAML::Emitter& out, const ModelKind& kind,
                const std::vector<std::optional<double>>& roles) {
  out << YAML::Flow << YAML::BeginMap;
  for (size_t i = 0; i < roles.size() && i < kind.roles.size(); ++i)
    if (roles[i]) out << YAML::Key << kind.roles[i].name << YAML::Value << num(*roles[i]);
  out << YAML::EndMap;
}

void emit_initial(YAML::Emitter& out, const ModelKind& kind,
                  const std::vector<std::optional<Distribution>>& dists) {
  out << YAML::BeginMap;
  for (size_t i = 0; i < dists.size() && i < kind.traits.size(); ++i)
    if (dists[i]) {
      out << YAML::Key << kind.traits[i].name << YAML::Value;
      emit_distribution(out, *dists[i]);
    }
  out << YAML::EndMap;
}

bool any_given(const auto& values) {
  return std::any_of(values.begin(), values.end(), [](const auto& v) { return v.has_value(); });
}

void emit_group(YAML::Emitter& out, const ModelKind& kind, const Group& g) {
  out << YAML::BeginMap;
  key(out, "communities");
  emit_numbers(out, g.communities);
  if (any_given(g.roles)) {
    key(out, "roles");
    emit_roles(out, kind, g.roles);
  }
  if (any_given(g.initial)) {
    key(out, "initial");
    emit_initial(out, kind, g.initial);
  }
  out << YAML::EndMap;
}

void emit_population(YAML::Emitter& out, const ModelKind& kind, const PopulationSpec& p) {
  key(out, "population") << YAML::BeginMap;
  key(out, "size") << fmt::format("{}", p.size);
  key(out, "communities") << fmt::format("{}", p.communities);
  if (!p.community_sizes.empty()) {
    key(out, "community_sizes");
    emit_numbers(out, p.community_sizes);
  }
  key(out, "household_size") << num(p.household_size);
  if (!kind.roles.empty()) {
    key(out, "roles");
    emit_roles(out, kind, {p.roles.begin(), p.roles.end()});
  }
  if (!kind.traits.empty()) {
    key(out, "initial");
    emit_initial(out, kind, {p.initial.begin(), p.initial.end()});
  }
  if (!p.groups.empty()) {
    key(out, "groups") << YAML::BeginSeq;
    for (const Group& g : p.groups) emit_group(out, kind, g);
    out << YAML::EndSeq;
  }
  out << YAML::EndMap;
}

void emit_network(YAML::Emitter& out, const NetworkSpec& n) {
  key(out, "network") << YAML::BeginMap;
  key(out, "kind") << std::string(network_kind_name(n.kind));
  for (const auto& k : network_number_keys(n.kind))
    out << YAML::Key << k << YAML::Value << num(network_number(n, k));
  if (n.kind == NetworkSpec::Kind::file) {
    key(out, "path") << YAML::DoubleQuoted << n.path.string();
    if (!n.communities.empty())
      key(out, "communities") << YAML::DoubleQuoted << n.communities.string();
  }
  out << YAML::EndMap;
}

void emit_sections(YAML::Emitter& out, const Scenario& s) {
  auto all = [](size_t) { return true; };
  for (size_t i = 0; i < s.sections.size(); ++i) {
    out << YAML::Key << s.kind->sections[i].name << YAML::Value << YAML::BeginMap;
    if (i == 0) key(out, "kind") << s.model_kind;
    emit_params(out, s.sections[i], "", all);
    out << YAML::EndMap;
  }
}

void emit_target(YAML::Emitter& out, const ModelKind& kind, const Target& t) {
  key(out, "target") << YAML::Flow << YAML::BeginMap;
  key(out, "communities");
  if (t.communities.empty())
    out << "all";
  else
    emit_numbers(out, t.communities);
  key(out, "roles") << YAML::Flow << YAML::BeginSeq;
  for (size_t i = 0; i < kind.roles.size(); ++i)
    if (t.requires_role(i)) out << kind.roles[i].name;
  out << YAML::EndSeq << YAML::EndMap;
}

void emit_intervention(YAML::Emitter& out, const ModelKind& kind, const InterventionSpec& iv) {
  name_key(out, iv.name) << YAML::BeginMap;
  key(out, "kind") << iv.kind;
  key(out, "start") << fmt::format("{}", iv.start);
  // Without a duration it runs to the end; there is no number to print for that.
  if (iv.duration) key(out, "duration") << fmt::format("{}", *iv.duration);
  emit_target(out, kind, iv.target);
  emit_params(out, iv.params, "", [](size_t) { return true; });
  const ParamValues& m = iv.model_overrides;
  emit_params(out, m, "", [&m](size_t i) { return m.is_set(i); });
  out << YAML::EndMap;
}

void emit_arm(YAML::Emitter& out, const Arm& a) {
  name_key(out, a.name) << YAML::BeginMap;
  key(out, "interventions") << YAML::Flow << YAML::BeginSeq;
  for (const auto& name : a.interventions) out << name;
  out << YAML::EndSeq;
  key(out, "set");
  if (a.set.empty()) {
    emit_empty_map(out);
  } else {
    out << YAML::BeginMap;
    for (const Setting& st : a.set) out << YAML::Key << st.path << YAML::Value << num(st.value);
    out << YAML::EndMap;
  }
  out << YAML::EndMap;
}

void emit_outputs(YAML::Emitter& out, const Outputs& o) {
  key(out, "outputs") << YAML::BeginMap;
  key(out, "by_community") << (o.by_community ? "true" : "false");
  key(out, "snapshots");
  emit_numbers(out, o.snapshots);
  out << YAML::EndMap;
}

// A joint sample inline, with the columns of the parameters still drawn from it (a --set may
// have fixed others): `from: {source, parameters, particles, weights}`.
void emit_joint_sample(YAML::Emitter& out, const std::vector<UncertainParameter>& params) {
  const JointSample* sample = nullptr;
  std::vector<const UncertainParameter*> drawn;
  for (const UncertainParameter& u : params)
    if (u.dist.joint) sample = u.dist.joint.get(), drawn.push_back(&u);
  if (!sample) return;
  key(out, "from") << YAML::BeginMap;
  key(out, "source") << YAML::DoubleQuoted << sample->source;
  key(out, "parameters") << YAML::Flow << YAML::BeginSeq;
  for (const UncertainParameter* u : drawn) out << u->path;
  out << YAML::EndSeq;
  key(out, "particles") << YAML::BeginSeq;
  const size_t k = sample->paths.size();
  for (size_t i = 0; i < sample->particles(); ++i) {
    std::vector<std::string> row;
    for (const UncertainParameter* u : drawn)
      row.push_back(num(sample->theta[i * k + u->dist.joint_column]));
    emit_numbers(out, row);
  }
  out << YAML::EndSeq;
  key(out, "weights");
  std::vector<std::string> w;
  for (double x : sample->weights) w.push_back(num(x));
  emit_numbers(out, w);
  out << YAML::EndMap;
}

// `uncertainty:` as the file gave each distribution (beta by {mean, sd} or {alpha, beta}).
void emit_uncertainty(YAML::Emitter& out, const std::vector<UncertainParameter>& params) {
  key(out, "uncertainty") << YAML::BeginMap;
  emit_joint_sample(out, params);
  for (const UncertainParameter& u : params) {
    if (u.dist.joint) continue;  // in from:
    const ParameterDistribution& d = u.dist;
    out << YAML::Key << u.path << YAML::Value << YAML::Flow << YAML::BeginMap << YAML::Key
        << distribution_names()[static_cast<size_t>(d.kind)] << YAML::Value << YAML::Flow
        << YAML::BeginMap;
    if (d.kind == ParameterDistribution::Kind::discrete) {
      key(out, "values");
      std::vector<std::string> v;
      for (double x : d.values) v.push_back(num(x));
      emit_numbers(out, v);
      if (!d.weights.empty()) {
        key(out, "weights");
        std::vector<std::string> w;
        for (double x : d.weights) w.push_back(num(x));
        emit_numbers(out, w);
      }
    } else {
      for (const auto& [k, x] : d.given) out << YAML::Key << k << YAML::Value << num(x);
    }
    out << YAML::EndMap << YAML::EndMap;
  }
  out << YAML::EndMap;
}

void emit_decision(YAML::Emitter& out, const WillingnessToPay& w) {
  key(out, "decision") << YAML::BeginMap;
  key(out, "willingness_to_pay") << YAML::Flow << YAML::BeginMap;
  key(out, "min") << num(w.min);
  if (w.max) key(out, "max") << num(*w.max);
  key(out, "points") << fmt::format("{}", w.points);
  out << YAML::EndMap << YAML::EndMap;
}

}  // namespace

std::string to_yaml(const Scenario& s) {
  YAML::Emitter out;
  out << YAML::BeginMap;
  key(out, "name") << YAML::DoubleQuoted << s.name;
  key(out, "description") << YAML::DoubleQuoted << s.description;
  key(out, "seed") << fmt::format("{}", s.seed);
  key(out, "replicates") << fmt::format("{}", s.replicates);
  key(out, "steps") << fmt::format("{}", s.steps);
  key(out, "step_unit") << YAML::DoubleQuoted << s.step_unit;
  key(out, "currency") << YAML::DoubleQuoted << s.currency;
  static const ModelKind kNoKind;
  emit_population(out, s.kind ? *s.kind : kNoKind, s.population);
  emit_network(out, s.network);
  if (s.kind) emit_sections(out, s);
  key(out, "interventions");
  if (s.interventions.empty()) {
    emit_empty_map(out);
  } else {
    out << YAML::BeginMap;
    for (const auto& iv : s.interventions) emit_intervention(out, *s.kind, iv);
    out << YAML::EndMap;
  }
  key(out, "arms") << YAML::BeginMap;
  for (const Arm& a : s.arms) emit_arm(out, a);
  out << YAML::EndMap;
  key(out, "baseline_arm") << s.baseline_arm;
  emit_outputs(out, s.outputs);
  if (!s.uncertainty.empty()) emit_uncertainty(out, s.uncertainty);
  emit_decision(out, s.willingness_to_pay);
  out << YAML::EndMap;
  return std::string(out.c_str()) + "\n";
}

}  // namespace fourp
