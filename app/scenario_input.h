// Reading a scenario for a command: parsing with `--set` overrides against the shipped models'
// catalog, printing warnings, and reading a file network once. Bad input throws InputError (exit 2)
// carrying every diagnostic.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "sim/network.h"
#include "sim/scenario.h"

namespace YAML {
class Node;
}

namespace fourp::app {

// What a YAML input is, by its top-level keys: an optimisation file has `choices` and
// `scenario`, a calibration file `targets` and `scenario`, a sweep file `design` and `scenario`;
// anything else is read as a scenario (whose parser then says what is wrong).
enum class InputKind { scenario, sweep, calibration, optimisation };
InputKind input_kind(const YAML::Node& doc);
// The same of a file: a scenario when it cannot be read or is not one YAML document.
InputKind input_kind_of_file(const std::string& file);
const char* input_kind_name(InputKind kind);  // "scenario", "sweep", …

struct ScenarioInput {
  Scenario scenario;
  std::optional<NetworkFile> network_file;  // when network.kind is `file`
};

// `sets`: "path=value" strings. Warnings go to standard error unless quiet.
ScenarioInput load_scenario(const std::string& path, const std::vector<std::string>& sets,
                            bool quiet);

// The scenario a results or sweep file stores (its normalised YAML), parsed again with the
// catalog (sim/scenario_parse.h parse_stored_scenario): what the report reads (never the YAML).
// None when it does not parse (a damaged file or one of a model this program does not know);
// then `problem`, if given, holds the first error.
std::optional<Scenario> stored_scenario(const std::string& yaml, std::string* problem = nullptr);

}  // namespace fourp::app
