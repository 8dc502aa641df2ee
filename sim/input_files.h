// The files this process has read as input (scenario, sweep file, network files, design rows,
// results and shard files), so that no output of the same command can be written over one of
// them, whatever its name: `fourp run -o SCENARIO.yaml --overwrite` must not replace the scenario
// with HDF5 (output/output_target.h checks every output against this list).
//
//   note_input_file("rural.yaml");                  // by every reader, when it opens a file
//   if (auto in = input_file_equivalent_to("out.h5")) ...   // the same file, also via links
//
// Process-wide by design: a command's inputs are read deep in the engine (a scenario names its
// network file) and its outputs are written by another layer; the list only grows, and a
// file that no longer exists is equivalent to nothing.
#pragma once

#include <filesystem>
#include <optional>

namespace fourp {

void note_input_file(const std::filesystem::path& file);

// Takes `file` (and any path equivalent to it) off the list: for a long-lived process (`fourp
// serve`), where a scenario that a finished run read is then edited and saved on purpose.
void forget_input_file(const std::filesystem::path& file);

// The input file that `path` is (std::filesystem::equivalent: the same inode, through symbolic
// and hard links), if any.
std::optional<std::filesystem::path> input_file_equivalent_to(const std::filesystem::path& path);

}  // namespace fourp
