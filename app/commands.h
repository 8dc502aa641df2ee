// The `fourp` subcommands. Each returns the process exit status (0 done, 2 bad input, 1 other
// failure) or throws InputError (→ 2).
#pragma once

#include <filesystem>
#include <optional>
#include <string>
#include <vector>

namespace fourp::app {

struct RunArgs {
  std::string scenario;
  std::string output;  // empty: <scenario file stem>.h5 in the current directory
  int threads = 0;
  std::optional<uint32_t> replicates;
  std::optional<uint64_t> seed;
  std::vector<std::string> arms;
  std::vector<std::string> sets;
  bool overwrite = false;
  bool quiet = false;
  std::string report;  // empty: none; else the HTML report, written after the results file
};
int run_command(const RunArgs& args);

struct ReportArgs {
  std::string results;
  std::string output;  // empty: the results file's path with the extension .html
  std::string csv;     // empty: no CSV files; else a directory for them
  bool overwrite = false;
  bool quiet = false;
};
int report_command(const ReportArgs& args);
}  // namespace fourp::app
namespace fourp {
struct Results;
struct Scenario;
}  // namespace fourp
namespace fourp::app {
// A `fourp run` results file as the report reads it: the model's declarations from the catalog
// entry of the kind its stored scenario names, a missing /comparison recomputed (warnings go to
// `warnings` when given). Throws InputError when the file or its stored scenario is damaged.
Results read_run_results(const std::filesystem::path& results, std::string* warnings = nullptr);
// `fourp report` of a sweep file (app/sweep_command.cpp): its page of scatter plots and Sobol'
// indices, written to `out` (already checked).
int sweep_report_command(const ReportArgs& args, const std::filesystem::path& out);

int validate_command(const std::string& scenario, const std::vector<std::string>& sets);

}  // namespace fourp::app
