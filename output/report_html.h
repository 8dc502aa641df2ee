// The report of `fourp report` (and `fourp run --report`): one HTML file that opens offline in
// any browser — no script, no network request, styles and charts (inline SVG) inside — and that
// prints readably. Sections, in this order, each an element with this id:
//
//   compared     1. What was compared: the scenario, each arm's interventions in plain words,
//                   the population and the network
//   findings     2. Key findings: sentences generated from the numbers (report_findings.h)
//   series       3. Over time: one chart per series (id "series-<metric>"), a line per arm (mean
//                   over replicates) and a band for the middle 90% of replicates
//   totals       4. Totals against the baseline: per-arm means, a forest chart of differences
//                   with 95% intervals, a cost-effectiveness table and plane
//   decision     5. Decision: the efficiency frontier (table and cost–effect plane), the
//                   probability each arm is best by willingness to pay (CEAC and a table), EVPI,
//                   and with uncertain parameters the value of information on each (EVPPI) and
//                   what drives each arm's effect (PRCC tornado) — output/decision_report.h
//   communities  6. By community: a heat map (community × time) of the engaged share per arm,
//                   targeted communities marked
//   network      7. The network: size, mean degree, clustering, degree distribution
//   caveats      8. Caveats: what the model is and is not, replicates, seed, version, and the
//                   full scenario in a collapsed <details>
//
// One colour per arm everywhere (svg::arm_colour of its position in Results::arms). Sections
// whose data a model does not produce (no declared headline or cost, no community series) say
// so in a line instead of a chart. Labels, units and which way is better come from the model's
// declarations (Results::outputs).
//
//   write_report(results, &scenario, "report.html", /*overwrite=*/false);   // atomic, like the
//   results file
#pragma once

#include <filesystem>
#include <string>

#include "sim/results.h"
#include "sim/scenario.h"

namespace fourp::report {

// The whole page, UTF-8. `scenario` is the results' scenario parsed again (the program does it:
// app/scenario_input.h parse_stored_scenario); null when it did not parse: the report says less.
std::string render_report(const Results& r, const Scenario* scenario);

// Renders and writes the report atomically (output/results_file.h write_atomically): throws
// InputError "path: error: file exists (use --overwrite to replace it)" before writing anything
// when the file exists and `overwrite` is false; leaves no partial file on any failure.
void write_report(const Results& r, const Scenario* scenario, const std::filesystem::path& path,
                  bool overwrite);

}  // namespace fourp::report
