// Reading an input file of a kind of its own (a calibration, an optimisation) with its Reader, the
// same way for each: a fresh plan holding the file's name and text, every problem in `diag` in
// file order, nothing read past an unreadable or non-map file.
//
//   return read_plan_file<CalibrationPlan, Reader>(file, catalog, "a map of calibration keys",
//                                                  diag);
#pragma once

#include <filesystem>
#include <optional>
#include <string>
#include <string_view>

#include "sim/diagnostics.h"
#include "sim/yaml_document.h"
#include "sim/yaml_input.h"

namespace fourp::yaml_input {

// Reader: a YamlReader made from (label, catalog, diag) with read(root, plan). `what` names the
// top-level map in messages ("a map of calibration keys (scenario, ...)").
template <class Plan, class Reader, class Catalog>
Plan read_plan_text(const std::string& yaml, const std::filesystem::path& name,
                    const Catalog& catalog, std::string_view what, Diagnostics& diag) {
  Plan plan;
  plan.file = name;
  plan.text = yaml;
  const std::string label = name.string();
  Diagnostics local;
  Reader reader(label, catalog, local);
  if (auto root = load_top_map(yaml, reader, local, what)) reader.read(*root, plan);
  emit_sorted(local, label, diag);
  return plan;
}

// The same from a file (read_input_file's limits); a plan holding only the name when unreadable.
template <class Plan, class Reader, class Catalog>
Plan read_plan_file(const std::filesystem::path& file, const Catalog& catalog,
                    std::string_view what, Diagnostics& diag) {
  const std::optional<std::string> text = read_input_file(file, diag);
  if (!text) {
    Plan p;
    p.file = file;
    return p;
  }
  return read_plan_text<Plan, Reader>(*text, file, catalog, what, diag);
}

}  // namespace fourp::yaml_input
