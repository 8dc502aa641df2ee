#include "output/report_input.h"

#include <fmt/format.h>

#include <algorithm>

#include "output/results_file.h"
#include "sim/comparison.h"
#include "sim/input_files.h"

namespace fourp {

namespace fs = std::filesystem;

Results read_results_for_report(const fs::path& path) {
  note_input_file(path);
  Results r = read_results(path, SnapshotScope::first_initial);  // all the report uses
  const bool has_baseline = std::any_of(
      r.arms.begin(), r.arms.end(), [&](const ArmResult& a) { return a.name == r.baseline_arm; });
  if (!has_baseline)
    throw InputError(
        fmt::format("{}: error: missing group /arms/{} (the baseline arm, which "
                    "every comparison needs)",
                    path.string(), r.baseline_arm));
  return r;
}

void complete_comparisons(Results& r, const fs::path& path, Diagnostics& warnings) {
  // Every arm but the baseline has its comparison; any missing are recomputed, all at once.
  std::vector<std::string> missing;
  for (const ArmResult& a : r.arms) {
    if (a.name == r.baseline_arm) continue;
    if (std::none_of(r.comparisons.begin(), r.comparisons.end(),
                     [&](const Comparison& c) { return c.arm == a.name; }))
      missing.push_back("/comparison/" + a.name);
  }
  if (missing.empty()) return;
  try {
    r.comparisons = compare_arms(r);
  } catch (const std::invalid_argument& e) {
    throw InputError(fmt::format("{}: error: missing {} and cannot recompute it: {}", path.string(),
                                 fmt::join(missing, ", "), e.what()));
  }
  warnings.warning(
      SourceLoc{path.string()},
      fmt::format("missing {}: recomputed from the arms' totals", fmt::join(missing, ", ")));
}

}  // namespace fourp
