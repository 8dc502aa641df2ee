// fsync(2) on a directory (fsync_directory.h).
#include "output/fsync_directory.h"

#include <fcntl.h>
#include <unistd.h>

namespace fourp {

void fsync_directory(const std::filesystem::path& dir) {
  const int fd = ::open(dir.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if (fd < 0) return;
  (void)::fsync(fd);
  ::close(fd);
}

void fsync_directory_of(const std::filesystem::path& file) {
  fsync_directory(file.has_parent_path() ? file.parent_path() : std::filesystem::path("."));
}

}  // namespace fourp
