#include "output/output_target.h"

#include <fmt/format.h>

#include "sim/diagnostics.h"
#include "sim/input_files.h"

namespace fourp {

namespace fs = std::filesystem;

namespace {
const char* kind_of(fs::file_type t) {
  switch (t) {
    case fs::file_type::directory:
      return "a directory";
    case fs::file_type::character:
      return "a character device";
    case fs::file_type::block:
      return "a block device";
    case fs::file_type::fifo:
      return "a FIFO (named pipe)";
    case fs::file_type::socket:
      return "a socket";
    default:
      return "not a regular file";
  }
}
}  // namespace

void check_output_target(const fs::path& path) {
  std::error_code ec;
  const fs::file_status st = fs::status(path, ec);
  if (!fs::exists(st)) return;
  if (!fs::is_regular_file(st))
    throw InputError(
        fmt::format("{}: error: is {}: fourp writes only regular files, and "
                    "replaces nothing else, even with --overwrite",
                    path.string(), kind_of(st.type())));
  if (auto input = input_file_equivalent_to(path))
    throw InputError(
        fmt::format("{}: error: is {}, an input of this command: an output may not "
                    "replace it, even with --overwrite (choose another name with -o)",
                    path.string(), *input == path ? "the file read" : "'" + input->string() + "'"));
}

}  // namespace fourp
