// Reading sweep and shard files (the layout of sweep_file.h): what a file is, and its tables for
// the report and tests.
//
//   if (is_sweep_file(path)) { SweepResults r = read_sweep_results(path); r.summary.rows(); }
#pragma once

#include <cstdint>
#include <filesystem>
#include <string>
#include <vector>

#include "output/h5.h"
#include "sim/diagnostics.h"
#include "sim/sweep.h"

namespace fourp {

// What a sweep or shard file is.
struct SweepFileInfo {
  SweepLayout layout;
  bool is_shard = false;
  uint32_t shard = 0, shards = 1;
  uint64_t runs = 0, failed_runs = 0;  // in this file
  // The paths of the parameters each run drew (attribute drawn_parameters; /runs has a column
  // each). The layout's `drawn` stays empty: their distributions are in its scenario_yaml.
  std::vector<std::string> drawn_parameters;
};
// Reads a sweep or shard file's attributes and samples; InputError "path: error: …" when it is
// not one, or its layout does not match its hash (damaged, or written by another fourp version).
SweepFileInfo read_sweep_info(const std::filesystem::path& path);

// True when `path` is a fourp sweep file (not a shard, not a results file).
bool is_sweep_file(const std::filesystem::path& path);

// A sweep file read back, for the report and tests.
struct SweepResults {
  SweepFileInfo info;
  h5::Table samples, summary, noise;
  h5::Table sobol;   // no fields unless the design is sobol
  h5::Table morris;  // no fields unless the design is morris
};
SweepResults read_sweep_results(const std::filesystem::path& path);

// InputError "path: error: why" (a file that is not a readable sweep or shard file).
InputError not_a_sweep_file(const std::filesystem::path& path, const std::string& why);

}  // namespace fourp
