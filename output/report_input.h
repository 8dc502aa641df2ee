// A results file as `fourp report` takes it: read (output/results_file.h) with the one snapshot
// the report uses, checked for what the report needs beyond the layout, and repaired where the
// file holds enough to recompute. The program parses the stored scenario in between (it knows
// the catalog; output/ never reads YAML) and hands its declarations to complete_comparisons:
//   - the baseline arm's group missing: InputError naming /arms/<baseline>;
//   - /comparison missing, or missing an arm: recomputed from the arms' totals (compare_arms,
//     with the model's declarations), with a warning — nothing is invented;
//   - the `scenario` attribute that does not parse: the program refuses it (exit 2).
// The file is noted as an input of the command (sim/input_files.h): no output may replace it.
//
//   Results r = read_results_for_report("rural.h5");      // InputError on damage
//   r.outputs = scenario.kind->outputs;                    // app/report_command.cpp
//   complete_comparisons(r, "rural.h5", warnings);
#pragma once

#include <filesystem>

#include "sim/diagnostics.h"
#include "sim/results.h"

namespace fourp {

Results read_results_for_report(const std::filesystem::path& path);

// Recomputes the comparisons of arms that have none, with a warning into `warnings`.
void complete_comparisons(Results& r, const std::filesystem::path& path, Diagnostics& warnings);

}  // namespace fourp
