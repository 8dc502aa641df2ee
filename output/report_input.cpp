#include "output/report_input.h"

#include <fmt/format.h>

#include <algorithm>

#include "output/results_file.h"
#include "sim/comparison.h"
#include "sim/input_files.h"
#include "sim/yaml_document.h"

namespace fourp {

namespace fs = std::filesystem;

Results read_results_for_report(const fs::path& path, Diagnostics& warnings) {
  note_input_file(path);
  Results r = read_results(path, SnapshotScope::first_initial);  // all the report uses
  const std::string where = path.string();

  // The scenario text, bounded like any YAML input: the report reads it for its description.
  std::string problem;
  try {
    const std::vector<YAML::Node> docs = load_yaml_documents(r.scenario_yaml);
    if (docs.size() != 1 || !docs[0].IsMap()) problem = "not one map of scenario keys";
  } catch (const YAML::Exception& e) {
    problem = e.mark.is_null()
                  ? e.msg
                  : fmt::format("{}:{}: {}", e.mark.line + 1, e.mark.column + 1, e.msg);
  }
  if (!problem.empty())
    throw InputError(
        fmt::format("{}: error: attribute 'scenario' of / is damaged ({}); the "
                    "report describes the scenario from it",
                    where, problem));

  const auto has_arm = [&](const std::string& name) {
    return std::any_of(r.arms.begin(), r.arms.end(),
                       [&](const ArmResult& a) { return a.name == name; });
  };
  if (!has_arm(r.baseline_arm))
    throw InputError(
        fmt::format("{}: error: missing group /arms/{} (the baseline arm, which "
                    "every comparison needs)",
                    where, r.baseline_arm));

  // Every arm but the baseline has its comparison; any missing are recomputed, all at once.
  std::vector<std::string> missing;
  for (const ArmResult& a : r.arms) {
    if (a.name == r.baseline_arm) continue;
    if (std::none_of(r.comparisons.begin(), r.comparisons.end(),
                     [&](const Comparison& c) { return c.arm == a.name; }))
      missing.push_back("/comparison/" + a.name);
  }
  if (!missing.empty()) {
    try {
      r.comparisons = compare_arms(r);
    } catch (const std::invalid_argument& e) {
      throw InputError(fmt::format("{}: error: missing {} and cannot recompute it: {}", where,
                                   fmt::join(missing, ", "), e.what()));
    }
    warnings.warning(SourceLoc{where}, fmt::format("missing {}: recomputed from the arms' totals",
                                                   fmt::join(missing, ", ")));
  }
  return r;
}

}  // namespace fourp
