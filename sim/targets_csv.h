// A calibration's targets from a CSV file (`targets: {file: targets.csv}`, issue 12): the columns
// are the keys of an inline target, so real survey and case records can be kept in a
// spreadsheet and checked by the same rules at the same file:line:col.
//
//   metric,group,step,respondents,yes,first,last,count,dispersion,detection,arm
//   awareness,all,0,400,96,,,,,
//   otherness,0 1 2,0,200,161,,,,,
//   recorded_cases,all,,,,0,52,41,10,
//
// One target a row (the `arm` column optional: the calibration's arm by default); an empty cell
// leaves its key out. `group` is `all` or community ids
// separated by spaces; `first` and `last` are `steps: [first, last]`. Lines starting with `#`
// and blank lines are skipped; the first other line is the header, which names any of the
// columns above in any order. Fields may be double-quoted ("a, b"; "" for a quote).
//
// The rows become YAML text — one flow map a line — that the calibration reader reads as if
// the file listed them, with a map from each value's place in that text back to its cell, so
// its messages name the CSV file, line and column.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "sim/diagnostics.h"

namespace fourp {

struct TargetsAsYaml {
  std::string yaml;  // "- {metric: awareness, group: all, step: 0, ...}\n" a row, as a list
  // For line l of `yaml` (0-based): the (column in the YAML line, 1-based; the cell's place in
  // the CSV file) of each value written on it, in column order.
  std::vector<std::vector<std::pair<int, SourceLoc>>> places;
  std::vector<int> rows;  // the CSV line of YAML line l

  // Where a diagnostic at YAML line and column (1-based) stands in the CSV file: the cell of the
  // value at or before the column, else the row's first column.
  SourceLoc csv_loc(int line, int column, const std::string& csv_file) const;
};

// The column names, in the order the header comment lists them.
const std::vector<std::string>& target_csv_columns();

// Reads the CSV text of `file`. Problems with the file's shape (no header, an unknown or
// repeated column, a row with more fields than the header, an unclosed quote) are reported to
// `diag` at file:line:col; then nothing is returned.
std::optional<TargetsAsYaml> targets_as_yaml(const std::string& text, const std::string& file,
                                             Diagnostics& diag);

}  // namespace fourp
