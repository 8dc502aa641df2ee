// Reading scenario files: YAML → validated Scenario, and Scenario → normalised YAML.
//
// Every problem of a file is collected into `diag` as `file:line:col: error: …` (unknown keys
// with a did-you-mean, wrong types, out-of-range values naming the allowed range, unknown
// intervention or arm names, community ids out of range, bad `set` paths, YAML syntax errors).
// The returned scenario is meaningful only when `diag.has_errors()` is false.
#pragma once

#include <filesystem>
#include <string>
#include <vector>

#include "sim/catalog.h"
#include "sim/diagnostics.h"
#include "sim/scenario.h"
#include "sim/yaml_input.h"

namespace fourp {

// `overrides` are `--set path=value` strings from the command line, applied after the file is read
// (errors about them are located at "--set path=value").
Scenario parse_scenario_file(const std::filesystem::path& file, const Catalog& catalog,
                             const std::vector<std::string>& overrides, Diagnostics& diag);

// The same from text; `name` stands for the file in messages and relative paths resolve
// against `name`'s directory.
Scenario parse_scenario_text(const std::string& yaml, const std::filesystem::path& name,
                             const Catalog& catalog, const std::vector<std::string>& overrides,
                             Diagnostics& diag);

// A scenario that a results or sweep file stores (its normalised YAML, to_yaml), parsed again:
// checked like a file, except that files it names (a network file) are not looked for — the
// runs are done, and the file may have moved since.
Scenario parse_stored_scenario(const std::string& yaml, const Catalog& catalog, Diagnostics& diag);

// The scenario another input file names at `v` (a calibration's or an optimisation's
// `scenario:`), relative to that file, `file`: its diagnostics go to `diag`, and when it has
// errors one more at `v` says that the `what` ("calibration") cannot be checked further.
// Nothing on error.
std::optional<Scenario> parse_named_scenario(const yaml_input::Value& v, const std::string& name,
                                             const std::string& file, const Catalog& catalog,
                                             Diagnostics& diag, std::string_view what);

// One distribution `{<name>: {...}}` as `uncertainty:` reads it, for a parameter `parameter`
// (its path names it in messages, its spec bounds the support), at `v` of another file `file`
// (a calibration's observation parameters): the same checks and messages, which name it as
// `v.path` does ("observation.detection"). Nothing on error.
std::optional<ParameterDistribution> read_distribution(const yaml_input::Value& v,
                                                       const SettablePath& parameter,
                                                       const std::string& file, Diagnostics& diag);

// The scenario with every default filled in, as YAML that parses back to the same scenario.
// `fourp validate` prints it and the results file stores it.
std::string to_yaml(const Scenario& scenario);

}  // namespace fourp
