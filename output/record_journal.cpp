#include "output/record_journal.h"

#include <fcntl.h>
#include <unistd.h>

#include <cerrno>
#include <fstream>
#include <iterator>
#include <stdexcept>

#include <fmt/format.h>

#include "output/fsync_directory.h"
#include "sim/diagnostics.h"

namespace fourp {

namespace fs = std::filesystem;

namespace {

constexpr size_t kHeader = 24;

[[noreturn]] void fail(const fs::path& path, std::string_view what) {
  const int err = errno;
  throw std::runtime_error(
      fmt::format("{}: error: cannot {} the journal: {}", path.string(), what, strerror(err)));
}

void write_all(int fd, const fs::path& path, const Bytes& b) {
  size_t done = 0;
  while (done < b.size()) {
    const ssize_t n = ::write(fd, b.data() + done, b.size() - done);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) fail(path, "write");
    done += static_cast<size_t>(n);
  }
  if (::fdatasync(fd) != 0) fail(path, "sync");
}

}  // namespace

uint64_t fnv1a(const unsigned char* p, size_t n) {
  uint64_t h = 14695981039346656037ull;
  for (size_t i = 0; i < n; ++i) h = (h ^ p[i]) * 1099511628211ull;
  return h;
}

uint64_t journal_hash(std::string_view text) {
  return fnv1a(reinterpret_cast<const unsigned char*>(text.data()), text.size());
}

JournalScan scan_journal(const fs::path& path, const char (&magic)[8], std::optional<uint64_t> hash,
                         std::string_view what) {
  std::ifstream in(path, std::ios::binary);
  if (!in) throw InputError(fmt::format("{}: error: cannot read the journal", path.string()));
  const Bytes b{std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
  uint64_t stored = 0, sum = 0;
  if (b.size() >= kHeader) {
    std::memcpy(&stored, b.data() + 8, 8);
    std::memcpy(&sum, b.data() + 16, 8);
  }
  if (b.size() < kHeader || std::memcmp(b.data(), magic, 8) != 0 || sum != fnv1a(b.data(), 16))
    throw InputError(fmt::format("{}: error: not a {} journal of fourp", path.string(), what));
  if (hash && stored != *hash)
    throw InputError(
        fmt::format("{}: error: the journal belongs to another {} (its file, scenario or fourp "
                    "changed): remove it or use --overwrite to start over",
                    path.string(), what));
  JournalScan s;
  size_t at = kHeader;
  s.ends.push_back(at);
  while (b.size() - at >= 16) {
    uint64_t n = 0;
    std::memcpy(&n, b.data() + at, 8);
    if (n > b.size() - at - 16) break;  // cut short
    uint64_t check = 0;
    std::memcpy(&check, b.data() + at + 8 + n, 8);
    if (check != fnv1a(b.data() + at + 8, n)) break;
    s.records.emplace_back(b.begin() + static_cast<std::ptrdiff_t>(at + 8),
                           b.begin() + static_cast<std::ptrdiff_t>(at + 8 + n));
    at += 16 + n;
    s.ends.push_back(at);
  }
  return s;
}

RecordJournal RecordJournal::create(const fs::path& path, const char (&magic)[8], uint64_t hash,
                                    std::string_view what) {
  const int fd = ::open(path.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0666);
  if (fd < 0) {
    if (errno == EEXIST)
      throw InputError(
          fmt::format("{}: error: journal exists (use --resume to continue that "
                      "{}, or --overwrite to start over)",
                      path.string(), what));
    fail(path, "create");
  }
  RecordJournal j(fd, path);
  Bytes header(magic, magic + 8);
  put(header, hash);
  put(header, fnv1a(header.data(), 16));
  write_all(fd, path, header);
  fsync_directory(path.has_parent_path() ? path.parent_path() : fs::path("."));
  return j;
}

RecordJournal RecordJournal::reopen(const fs::path& path, size_t keep) {
  const int fd = ::open(path.c_str(), O_WRONLY | O_CLOEXEC);
  if (fd < 0) fail(path, "open");
  RecordJournal j(fd, path);
  if (::ftruncate(fd, static_cast<off_t>(keep)) != 0 || ::lseek(fd, 0, SEEK_END) < 0)
    fail(path, "cut the damaged end of");
  return j;
}

RecordJournal::RecordJournal(RecordJournal&& o) noexcept : fd_(o.fd_), path_(std::move(o.path_)) {
  o.fd_ = -1;
}

RecordJournal::~RecordJournal() {
  if (fd_ >= 0) ::close(fd_);
}

void RecordJournal::write(const Bytes& payload) {
  Bytes record;
  put(record, uint64_t{payload.size()});
  record.insert(record.end(), payload.begin(), payload.end());
  put(record, fnv1a(payload.data(), payload.size()));
  write_all(fd_, path_, record);
}

}  // namespace fourp
