// `fourp calibrate CALIBRATION.yaml [-o calib.h5] [--threads N] [--resume] [--overwrite]
// [--quiet]` (issue 12): fits the parameters a calibration file names to its targets with the SMC
// sampler (sim/smc.h) and writes the calibration's results file (output/calibration_results.h).
// Every finished generation goes to `<output>.journal` (output/calibration_journal.h), synced;
// interrupted in any way, the calibration writes no results file, and `--resume` continues from
// the journal to the file an uninterrupted calibration writes. The journal is removed at the end.
// Exit status: 0 done, 2 bad input, 1 any other failure.
#pragma once

#include <functional>
#include <optional>
#include <string>

namespace CLI {
class App;
}

namespace fourp::app {

struct CalibrateArgs {
  std::string calibration;
  std::string output;  // empty: <calibration file stem>.h5 in the current directory
  int threads = 0;
  bool resume = false;
  bool overwrite = false;
  bool quiet = false;
};
int calibrate_command(const CalibrateArgs& args);

// Adds the `calibrate` subcommand; the returned function runs it when it was chosen.
std::function<std::optional<int>()> add_calibrate_command(CLI::App& app);

}  // namespace fourp::app
