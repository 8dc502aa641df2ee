// The `fourp` subcommands. Each returns the process exit status (0 done, 2 bad input, 1 other
// failure) or throws InputError (→ 2).
#pragma once

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
};
int run_command(const RunArgs& args);

int validate_command(const std::string& scenario, const std::vector<std::string>& sets);

}  // namespace fourp::app
