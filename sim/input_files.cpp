#include "sim/input_files.h"

#include <mutex>
#include <vector>

namespace fourp {

namespace fs = std::filesystem;

namespace {
std::mutex g_mutex;
std::vector<fs::path> g_inputs;  // guarded by g_mutex
}  // namespace

void note_input_file(const fs::path& file) {
  std::lock_guard lock(g_mutex);
  for (const fs::path& p : g_inputs)
    if (p == file) return;
  g_inputs.push_back(file);
}

void forget_input_file(const fs::path& file) {
  std::lock_guard lock(g_mutex);
  std::erase_if(g_inputs, [&](const fs::path& p) {
    std::error_code ec;
    return p == file || (fs::equivalent(p, file, ec) && !ec);
  });
}

std::optional<fs::path> input_file_equivalent_to(const fs::path& path) {
  std::lock_guard lock(g_mutex);
  for (const fs::path& p : g_inputs) {
    std::error_code ec;
    if (fs::equivalent(p, path, ec) && !ec) return p;
  }
  return std::nullopt;
}

}  // namespace fourp
