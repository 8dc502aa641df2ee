// Making a directory's entries durable: after a file is created, renamed into place or removed,
// fsync(2) on its directory puts the change itself on the disk (the file's own data needs its own
// fsync). The one place fourp does this: atomic writes (results_file.h) and sweep journals.
//
//   fsync_directory_of("out/sweep.h5.journal");   // fsyncs "out"; "." for a bare file name
#pragma once

#include <filesystem>

namespace fourp {

// Some file systems cannot sync a directory; the files are complete anyway, so failures (also a
// directory that cannot be opened) are ignored.
void fsync_directory(const std::filesystem::path& dir);
// fsync_directory of the directory holding `file` ("." when it names no directory).
void fsync_directory_of(const std::filesystem::path& file);

}  // namespace fourp
