// Edits of a scenario's YAML text that keep what the edit does not touch — comments, key order,
// layout — as an analyst who wrote the file by hand expects: the web app's form changes one
// value at a time through these (app/serve/).
//
//   std::string t = set_yaml_value(text, {"model", "denial"}, "0.5");
//   t = set_yaml_value(t, {"interventions", "media", "target", "communities"}, "[0, 2]");
#pragma once

#include <stdexcept>
#include <string>
#include <vector>

namespace fourp::serve {

// A value the form may write: a number, a word (letters, digits, _ - .), true/false, or a flow
// sequence of whole numbers ("[0, 1, 2]"). Anything else could change the file's structure.
bool is_form_value(const std::string& value);

// `text` with the value at `keys` (a path of map keys from the document's root) set to `value`
// (is_form_value). An existing scalar or flow collection is replaced in place; missing keys are
// written under the deepest map that exists (in its style: a line at its indentation for a block
// map, an entry before its closing brace for a flow map; deeper missing keys as a flow map).
// Throws std::invalid_argument with a message when the text does not parse as one YAML map,
// when the value is not a form value, or when the path crosses a sequence or block value.
std::string set_yaml_value(const std::string& text, const std::vector<std::string>& keys,
                           const std::string& value);

// "interventions.media.message.blame" → {"interventions", "media", "message", "blame"}.
std::vector<std::string> split_path(const std::string& dotted);

}  // namespace fourp::serve

namespace fourp::serve {

// Edits of the scenario's structure, which rewrite the document with yaml-cpp's emitter (so its
// comments are not kept; the app says so). Throw std::invalid_argument with a message.
// A copy of intervention `name` under `new_name` (in no arm yet).
std::string duplicate_intervention(const std::string& text, const std::string& name,
                                   const std::string& new_name);
// Removes intervention `name`, from every arm too (and the arms' settings of it).
std::string remove_intervention(const std::string& text, const std::string& name);
// A new intervention of `kind` named `name`, starting at step 0, every other value its default.
std::string add_intervention(const std::string& text, const std::string& name,
                             const std::string& kind);
// Arm `arm` runs `interventions` (in this order); a new arm when there is none of that name.
// Text-preserving when the arm is there (set_yaml_value); emitted otherwise.
std::string set_arm_interventions(const std::string& text, const std::string& arm,
                                  const std::vector<std::string>& interventions);
// Removes arm `arm`.
std::string remove_arm(const std::string& text, const std::string& arm);

}  // namespace fourp::serve
