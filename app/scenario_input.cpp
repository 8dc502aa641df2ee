#include "app/scenario_input.h"

#include <fmt/format.h>

#include <cstdio>

#include "models/builtin_catalog.h"
#include "sim/scenario_parse.h"
#include "sim/world.h"

namespace fourp::app {

namespace {
void print_warnings(const Diagnostics& diag, bool quiet) {
  if (quiet) return;
  for (const auto& d : diag.all())
    if (d.severity == Diagnostic::Severity::warning) fmt::print(stderr, "{}\n", d.str());
}
}  // namespace

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
