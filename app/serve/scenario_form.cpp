#include "app/serve/scenario_form.h"

#include <fmt/format.h>
#include <yaml-cpp/yaml.h>

#include <cmath>
#include <map>
#include <optional>

#include "models/builtin_catalog.h"
#include "sim/network.h"
#include "sim/number_words.h"
#include "sim/scenario_parse.h"
#include "sim/world.h"

namespace fourp::serve {

namespace fs = std::filesystem;
using nlohmann::json;

namespace {

// The node at a dotted path of a YAML document; an undefined node when it is not there.
YAML::Node at(YAML::Node node, const std::string& dotted) {
  size_t start = 0;
  for (;;) {
    const size_t dot = dotted.find('.', start);
    const std::string key = dotted.substr(start, dot == std::string::npos ? dot : dot - start);
    if (!node.IsMap() || !node[key]) return YAML::Node(YAML::NodeType::Undefined);
    node.reset(node[key]);  // rebinds (operator= would overwrite the node it refers to)
    if (dot == std::string::npos) return node;
    start = dot + 1;
  }
}

std::string value_text(const YAML::Node& node) {
  if (!node.IsDefined() || node.IsNull()) return "";
  if (node.IsScalar()) return node.Scalar();
  YAML::Emitter out;
  out << YAML::Flow << node;
  return out.c_str();
}

json number_or_null(double x) {
  return std::isfinite(x) ? json(x) : json(nullptr);
}

json field(const std::string& path, const ParamSpec& spec, const YAML::Node& normalised) {
  return {{"path", path},
          {"value", value_text(at(normalised, path))},
          {"default", number_or_null(spec.default_value)},
          {"min", number_or_null(spec.min)},
          {"max", number_or_null(spec.max)},
          {"integer", spec.integer},
          {"unit", spec.unit},
          {"meaning", spec.meaning},
          {"source", spec.source},
          {"range", describe_range(spec)}};
}

// Every key of the raw text by its place (line, column; from 1), with its dotted path.
using KeyPlaces = std::map<std::pair<int, int>, std::string>;
void keys_of(const YAML::Node& node, const std::string& prefix, KeyPlaces& out) {
  if (!node.IsMap()) return;
  for (const auto& entry : node) {
    if (!entry.first.IsScalar()) continue;
    const std::string path =
        prefix.empty() ? entry.first.Scalar() : prefix + "." + entry.first.Scalar();
    out.emplace(std::pair{entry.first.Mark().line + 1, entry.first.Mark().column + 1}, path);
    keys_of(entry.second, path, out);
  }
}

// The field a message at (line, column) is about: the last key on its line that starts at or
// before the column (a flow map holds several on one line).
std::optional<std::string> field_at(const KeyPlaces& keys, int line, int column) {
  auto it = keys.upper_bound({line, column});
  if (it == keys.begin()) return std::nullopt;
  --it;
  if (it->first.first != line) return std::nullopt;
  return it->second;
}

json form_of(const Scenario& s, const YAML::Node& normalised) {
  const ModelKind& kind = *s.kind;
  json groups = json::array();
  auto group = [&](const std::string& id, const std::string& title) -> json& {
    for (auto& g : groups)
      if (g["id"] == id) return g;
    groups.push_back({{"id", id}, {"title", title}, {"fields", json::array()}});
    return groups.back();
  };
  group("run", "Run");
  group("population", "Population");
  group("network", "Network");
  for (const ParamSection& section : kind.sections)
    group(section.name, section.name == "model" ? "Model (" + kind.name + ")" : section.name);
  for (const InterventionSpec& iv : s.interventions) {
    json& g = group("interventions." + iv.name, iv.name);
    g["intervention"] = iv.name;
    g["kind"] = iv.kind;
    if (const InterventionKind* k = kind.intervention(iv.kind)) g["about"] = k->about;
    g["communities"] =
        value_text(at(normalised, "interventions." + iv.name + ".target.communities"));
  }
  for (const SettablePath& p : settable_paths(s)) {
    const std::string& path = p.path;
    // An initial trait's mean lives inside its distribution ({beta: [2, 8]} has none written):
    // the YAML view edits those.
    if (path.rfind("population.initial.", 0) == 0) continue;
    std::string id = path.substr(0, path.find('.'));
    if (id == "seed" || id == "replicates" || id == "steps") id = "run";
    if (id == "interventions") {
      const size_t second = path.find('.', id.size() + 1);
      const std::string name = path.substr(id.size() + 1, second - id.size() - 1);
      const std::string key = path.substr(second + 1);
      const InterventionSpec* iv = nullptr;
      for (const auto& i : s.interventions)
        if (i.name == name) iv = &i;
      if (iv == nullptr) continue;
      // Its own parameters, its schedule, and the model's parameters it overrides (others are
      // left to the YAML view: every intervention could override every model parameter).
      const bool own = key == "start" || key == "duration" || iv->params.schema().find(key);
      if (!own && !at(normalised, path).IsDefined()) continue;
      id = "interventions." + name;
    }
    bool known = false;
    for (const auto& g : groups) known = known || g["id"] == id;
    if (!known) continue;
    group(id, id)["fields"].push_back(field(path, p.spec, normalised));
  }
  json arms = json::array();
  for (const Arm& a : s.arms) {
    json sets = json::array();
    for (const Setting& st : a.set)
      sets.push_back(fmt::format("{} = {}", st.path, plain_value(st.value)));
    arms.push_back({{"name", a.name},
                    {"interventions", a.interventions},
                    {"set", sets},
                    {"baseline", a.name == s.baseline_arm}});
  }
  json interventions = json::array();
  for (const auto& iv : s.interventions) interventions.push_back(iv.name);
  json kinds = json::array();
  for (const auto& k : kind.interventions) kinds.push_back({{"name", k.name}, {"about", k.about}});
  return {{"name", s.name},
          {"model", kind.name},
          {"communities", s.population.communities},
          {"groups", groups},
          {"arms", arms},
          {"interventions", interventions},
          {"intervention_kinds", kinds}};
}

}  // namespace

namespace {

// Reads the scenario's network file into it, unless `may_read` refuses one of its files.
std::optional<NetworkFile> read_network_confined(Scenario& s, const MayRead& may_read,
                                                 Diagnostics& diag) {
  if (diag.has_errors() || s.network.kind != NetworkSpec::Kind::file) return std::nullopt;
  for (const fs::path& f : {s.network.path, s.network.communities})
    if (!f.empty() && may_read && !may_read(f)) {
      diag.error(s.network.loc, fmt::format("the network file {} is outside the workspace (the "
                                            "app reads files only inside it)",
                                            f.string()));
      return std::nullopt;
    }
  NetworkFile net = read_network_file(s.network, diag);
  if (diag.has_errors()) return std::nullopt;
  apply_network_file(s, net, diag);
  return net;
}

}  // namespace

app::ScenarioInput load_confined(const fs::path& file, const std::vector<std::string>& sets,
                                 const MayRead& may_read) {
  Diagnostics diag;
  app::ScenarioInput in{parse_scenario_file(file, models::builtin_catalog(), sets, diag),
                        std::nullopt};
  in.network_file = read_network_confined(in.scenario, may_read, diag);
  if (diag.has_errors()) throw InputError(diag.format());
  return in;
}

json check_scenario(const std::string& text, const fs::path& file, const std::string& name,
                    const MayRead& may_read) {
  Diagnostics diag;
  Scenario s = parse_scenario_text(text, file, models::builtin_catalog(), {}, diag);
  read_network_confined(s, may_read, diag);
  KeyPlaces keys;
  try {
    keys_of(YAML::Load(text), "", keys);
  } catch (const YAML::Exception&) {
  }
  json diagnostics = json::array();
  for (const Diagnostic& d : diag.all()) {
    const bool here = d.loc.file == file.string();
    json j{{"severity", d.severity == Diagnostic::Severity::error ? "error" : "warning"},
           {"line", here ? d.loc.line : 0},
           {"column", here ? d.loc.column : 0},
           {"message", d.message}};
    SourceLoc shown = d.loc;
    if (here) shown.file = name;
    j["text"] =
        fmt::format("{}: {}: {}", shown.str(),
                    d.severity == Diagnostic::Severity::error ? "error" : "warning", d.message);
    if (const auto f = here ? field_at(keys, d.loc.line, d.loc.column) : std::nullopt)
      j["field"] = *f;
    diagnostics.push_back(j);
  }
  json out{{"ok", !diag.has_errors()}, {"diagnostics", diagnostics}};
  if (!diag.has_errors()) {
    const std::string normalised = to_yaml(s);
    out["normalised"] = normalised;
    out["form"] = form_of(s, YAML::Load(normalised));
  }
  return out;
}

json catalog_summary() {
  json kinds = json::array();
  for (const ModelKind& k : models::builtin_catalog().kinds()) {
    json ivs = json::array();
    for (const auto& iv : k.interventions) ivs.push_back({{"name", iv.name}, {"about", iv.about}});
    kinds.push_back({{"name", k.name}, {"about", k.about}, {"interventions", ivs}});
  }
  return kinds;
}

}  // namespace fourp::serve
