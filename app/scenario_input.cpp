#include "app/scenario_input.h"

#include <fmt/format.h>

#include <cstdio>

#include <yaml-cpp/yaml.h>

#include "models/builtin_catalog.h"
#include "sim/input_files.h"
#include "sim/scenario_parse.h"
#include "sim/world.h"
#include "sim/yaml_document.h"

namespace fourp::app {

namespace {
void print_warnings(const Diagnostics& diag, bool quiet) {
  if (quiet) return;
  for (const auto& d : diag.all())
    if (d.severity == Diagnostic::Severity::warning) fmt::print(stderr, "{}\n", d.str());
}
}  // namespace

InputKind input_kind(const YAML::Node& doc) {
  if (!doc.IsMap() || !doc["scenario"]) return InputKind::scenario;
  if (doc["choices"]) return InputKind::optimisation;
  if (doc["targets"]) return InputKind::calibration;
  if (doc["design"]) return InputKind::sweep;
  return InputKind::scenario;
}

InputKind input_kind_of_file(const std::string& file) {
  Diagnostics ignore;
  const std::optional<std::string> text = read_input_file(file, ignore);
  if (!text) return InputKind::scenario;
  try {
    const std::vector<YAML::Node> docs = load_yaml_documents(*text);
    return docs.size() == 1 ? input_kind(docs[0]) : InputKind::scenario;
  } catch (const YAML::Exception&) {
    return InputKind::scenario;
  }
}

const char* input_kind_name(InputKind kind) {
  switch (kind) {
    case InputKind::sweep:
      return "sweep";
    case InputKind::calibration:
      return "calibration";
    case InputKind::optimisation:
      return "optimisation";
    case InputKind::scenario:
      break;
  }
  return "scenario";
}

ScenarioInput load_scenario(const std::string& path, const std::vector<std::string>& sets,
                            bool quiet) {
  Diagnostics diag;
  ScenarioInput in{parse_scenario_file(path, models::builtin_catalog(), sets, diag), std::nullopt};
  if (!diag.has_errors() && in.scenario.network.kind == NetworkSpec::Kind::file) {
    in.network_file = read_network_file(in.scenario.network, diag);
    if (!diag.has_errors()) apply_network_file(in.scenario, *in.network_file, diag);
  }
  if (diag.has_errors()) throw InputError(diag.format());
  print_warnings(diag, quiet);
  return in;
}

std::optional<Scenario> stored_scenario(const std::string& yaml, std::string* problem) {
  Diagnostics diag;
  Scenario s = parse_stored_scenario(yaml, models::builtin_catalog(), diag);
  if (!diag.has_errors() && s.kind != nullptr) return s;
  if (problem != nullptr)
    for (const auto& d : diag.all())
      if (d.severity == Diagnostic::Severity::error) {
        *problem = d.str();
        break;
      }
  return std::nullopt;
}

}  // namespace fourp::app
