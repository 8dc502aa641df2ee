// Shared helpers for tests: the full catalog, scenarios from inline YAML, temporary folders,
// running the `fourp` program, and what a test does when a tool it needs is missing.
#pragma once

#include <filesystem>
#include <string>
#include <vector>

#include "models/builtin_catalog.h"
#include "sim/catalog.h"
#include "sim/scenario.h"

namespace fourp::test {

// The catalog with every model registered (the program's: models/builtin_catalog.h).
inline const Catalog& catalog() {
  return models::builtin_catalog();
}

// Parses inline YAML; fails the test (with the diagnostics) when it has errors.
Scenario scenario_from_yaml(const std::string& yaml, const std::string& name = "test.yaml");

// A fresh empty directory under the system temp dir, removed when the object dies.
class TempDir {
 public:
  TempDir();
  ~TempDir();
  const std::filesystem::path& path() const { return path_; }
  std::filesystem::path operator/(const std::string& name) const { return path_ / name; }

 private:
  std::filesystem::path path_;
};

struct CommandResult {
  int exit_code = -1;
  std::string out;  // stdout
  std::string err;  // stderr
};
// Runs the fourp program with these arguments (no shell quoting needed for plain words);
// `env` entries ("NAME=value") are added to its environment.
CommandResult run_fourp(const std::vector<std::string>& args,
                        const std::vector<std::string>& env = {});

// The same under `mpirun -np ranks` (as root too, more ranks than cores allowed).
CommandResult mpirun_fourp(int ranks, const std::vector<std::string>& args);

// Writes text to a file (creating parent folders).
void write_file(const std::filesystem::path& path, const std::string& text);

// A test that needs a tool the machine lacks (mpirun, strace, Chromium, python3 with h5py and
// pandas, an MPI build) calls this and returns:
//
//   if (!has_strace()) return skip_or_fail("strace is missing: the kill-at-each-call test");
//
// Locally it is a skip with a warning. Under CI (environment variable CI=true, which CI
// services set and .ci/run exports) it fails the test: CI installs every such tool
// (scripts/install-deps.sh), so a missing one there means a check silently stopped running.
// Not for what no installation can change (running as root): WARN and skip for those.
void skip_or_fail(const std::string& reason);

// True when CI=true is set: a missing tool is then a failure (skip_or_fail).
bool missing_tools_fail();

}  // namespace fourp::test
