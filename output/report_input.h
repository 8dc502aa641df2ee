// A results file as `fourp report` takes it: read (output/results_file.h), then checked for what
// the report needs beyond the layout, and repaired where the file holds enough to recompute:
//   - /comparison missing, or missing an arm: recomputed from the arms' totals (compare_arms),
//     with a warning — the comparison is a function of the totals, nothing is invented;
//   - the `scenario` attribute not one YAML map (edited, truncated): InputError, exit 2 — the
//     scenario cannot be recomputed;
//   - the baseline arm's group missing: InputError naming /arms/<baseline>.
// The file is noted as an input of the command (sim/input_files.h): no output may replace it.
//
//   Diagnostics warnings;
//   Results r = read_results_for_report("rural.h5", warnings);   // InputError on damage
#pragma once

#include <filesystem>

#include "sim/diagnostics.h"
#include "sim/results.h"

namespace fourp {

Results read_results_for_report(const std::filesystem::path& path, Diagnostics& warnings);

}  // namespace fourp
