// What an output may replace: only a regular file that is not an input of the same command.
// `--overwrite` allows replacing an earlier results file, never a device, a FIFO, a socket or a
// directory (rename(2) would put a regular file in its place), nor the scenario, network, sweep,
// shard or results file the command reads (sim/input_files.h), even through a link.
//
//   check_output_target("out.h5");   // InputError "out.h5: error: …" (exit 2) when refused
#pragma once

#include <filesystem>

namespace fourp {

// Throws InputError when `path` exists and is not a regular file (after following links), or is
// one of this process's input files. Called by check_output_path, so by every atomic write.
void check_output_target(const std::filesystem::path& path);

}  // namespace fourp
