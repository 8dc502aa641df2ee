// A scenario as the web app's form shows it, made from what the model declares (sim/catalog.h):
// every field with its value, default, allowed range, unit, meaning and source; and a scenario's
// text checked by the same parser as `fourp validate`, each message placed at its field.
#pragma once

#include <filesystem>
#include <functional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "app/scenario_input.h"

namespace fourp::serve {

// Checks `text` as the scenario file `file` (relative paths resolve beside it; messages name it
// `name`). {"ok", "diagnostics": [{"severity", "line", "column", "message", "text", "field"}],
//  "form": {...} when ok, "normalised": the YAML with every default}. A diagnostic's "field" is
// the dotted path of the value on its line, when one is there.
// `may_read`: whether a file the scenario names (a network file) may be read; one that may not
// is an error at the scenario's `network:` (the app reads nothing outside its workspace).
using MayRead = std::function<bool(const std::filesystem::path&)>;
nlohmann::json check_scenario(const std::string& text, const std::filesystem::path& file,
                              const std::string& name, const MayRead& may_read = {});

// A scenario file read for a run as `fourp run` reads it (app/scenario_input.h load_scenario),
// with `sets` applied, and its network file read only when `may_read` allows it. Throws
// InputError with every diagnostic.
app::ScenarioInput load_confined(const std::filesystem::path& file,
                                 const std::vector<std::string>& sets, const MayRead& may_read);

// The model kinds and their intervention kinds, for "add an intervention":
// [{"name", "about", "interventions": [{"name", "about"}]}].
nlohmann::json catalog_summary();

}  // namespace fourp::serve
