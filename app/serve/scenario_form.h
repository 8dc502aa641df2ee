// A scenario as the web app's form shows it, made from what the model declares (sim/catalog.h):
// every field with its value, default, allowed range, unit, meaning and source; and a scenario's
// text checked by the same parser as `fourp validate`, each message placed at its field.
#pragma once

#include <filesystem>
#include <string>

#include <nlohmann/json.hpp>

namespace fourp::serve {

// Checks `text` as the scenario file `file` (relative paths resolve beside it; messages name it
// `name`). {"ok", "diagnostics": [{"severity", "line", "column", "message", "text", "field"}],
//  "form": {...} when ok, "normalised": the YAML with every default}. A diagnostic's "field" is
// the dotted path of the value on its line, when one is there.
nlohmann::json check_scenario(const std::string& text, const std::filesystem::path& file,
                              const std::string& name);

// The model kinds and their intervention kinds, for "add an intervention":
// [{"name", "about", "interventions": [{"name", "about"}]}].
nlohmann::json catalog_summary();

}  // namespace fourp::serve
