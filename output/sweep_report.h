// The report page of a sweep file (`fourp report sweep.h5`): one HTML file that opens offline
// in any browser — no script, no network request, charts as inline SVG — with, in this order:
//
//   about      what was swept: scenario, design, parameters and their ranges, arms, runs (and
//              failed runs, if any)
//   noise, sobol, morris   the sensitivity sections (sensitivity_report.h): the share of each
//              metric's variance that is replicate noise; Sobol' indices where determined;
//              Morris's μ*–σ chart
//   scatter    per metric, one scatter plot per parameter: every (sample, arm) mean of the
//              metric against the parameter's value, one colour per arm (at most 4,000 points a
//              plot: larger sweeps are thinned evenly, and the page says so)
//   caveats    what the numbers are (means over replicates), and the sweep file in <details>
//
//   write_sweep_report(read_sweep_results("sweep.h5"), "sweep.html", /*overwrite=*/false);
#pragma once

#include <filesystem>
#include <string>

#include "output/sweep_reader.h"

namespace fourp::report {

// The whole page, UTF-8.
std::string render_sweep_report(const SweepResults& results);

// Renders and writes the page atomically (output/results_file.h write_atomically): InputError
// "path: error: file exists (use --overwrite to replace it)" before writing anything when the file
// exists and `overwrite` is false; no partial file on any failure.
void write_sweep_report(const SweepResults& results, const std::filesystem::path& path,
                        bool overwrite);

}  // namespace fourp::report
