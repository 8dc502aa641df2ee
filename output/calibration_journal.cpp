#include "output/calibration_journal.h"

#include <fcntl.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <fstream>
#include <iterator>
#include <stdexcept>

#include <fmt/format.h>

#include "output/fsync_directory.h"
#include "sim/diagnostics.h"

namespace fourp {

namespace fs = std::filesystem;

namespace {

constexpr char kMagic[8] = {'F', 'O', 'U', 'R', 'P', 'C', 'J', '1'};
constexpr size_t kHeader = 24;

uint64_t fnv1a(const unsigned char* p, size_t n) {
  uint64_t h = 14695981039346656037ull;
  for (size_t i = 0; i < n; ++i) h = (h ^ p[i]) * 1099511628211ull;
  return h;
}

template <class T>
void put(std::vector<unsigned char>& b, T v) {
  unsigned char bytes[sizeof(T)];
  std::memcpy(bytes, &v, sizeof(T));
  b.insert(b.end(), bytes, bytes + sizeof(T));
}
void put(std::vector<unsigned char>& b, const std::vector<double>& v) {
  for (double x : v) put(b, x);
}

// Reads from a payload, failing (ok = false) past its end.
struct Cursor {
  const unsigned char* p;
  size_t left;
  bool ok = true;
  template <class T>
  T get() {
    T v{};
    if (left < sizeof(T)) {
      ok = false;
      return v;
    }
    std::memcpy(&v, p, sizeof(T));
    p += sizeof(T), left -= sizeof(T);
    return v;
  }
  std::vector<double> doubles(uint64_t n) {
    if (n > left / sizeof(double)) {
      ok = false;
      return {};
    }
    std::vector<double> v(n);
    for (double& x : v) x = get<double>();
    return v;
  }
};

std::vector<unsigned char> payload_of(const SmcGeneration& g) {
  std::vector<unsigned char> b;
  put(b, g.generation);
  put(b, g.dimension);
  put(b, uint64_t{g.log_likelihood.size()});
  put(b, g.temperature);
  put(b, g.ess);
  put(b, g.acceptance_rate);
  put(b, g.move_rounds);
  put(b, g.evaluations);
  put(b, g.failed_evaluations);
  put(b, g.z);
  put(b, g.theta);
  put(b, g.log_likelihood);
  put(b, g.log_weight);
  return b;
}

bool generation_of(const unsigned char* p, size_t n, SmcGeneration& g) {
  Cursor c{p, n};
  g.generation = c.get<uint32_t>();
  g.dimension = c.get<uint32_t>();
  const uint64_t particles = c.get<uint64_t>();
  g.temperature = c.get<double>();
  g.ess = c.get<double>();
  g.acceptance_rate = c.get<double>();
  g.move_rounds = c.get<uint32_t>();
  g.evaluations = c.get<uint64_t>();
  g.failed_evaluations = c.get<uint64_t>();
  if (!c.ok || g.dimension == 0 || particles > n) return false;
  g.z = c.doubles(particles * g.dimension);
  g.theta = c.doubles(particles * g.dimension);
  g.log_likelihood = c.doubles(particles);
  g.log_weight = c.doubles(particles);
  return c.ok && c.left == 0;
}

[[noreturn]] void fail(const fs::path& path, std::string_view what) {
  const int err = errno;
  throw std::runtime_error(
      fmt::format("{}: error: cannot {} the journal: {}", path.string(), what, strerror(err)));
}

void write_all(int fd, const fs::path& path, const std::vector<unsigned char>& b) {
  size_t done = 0;
  while (done < b.size()) {
    const ssize_t n = ::write(fd, b.data() + done, b.size() - done);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) fail(path, "write");
    done += static_cast<size_t>(n);
  }
  if (::fdatasync(fd) != 0) fail(path, "sync");
}

// Bytes of the header and of each complete record, as read.
struct Scan {
  std::vector<SmcGeneration> generations;
  size_t valid_bytes = 0;
};

Scan scan(const fs::path& path, uint64_t hash, bool check_hash) {
  std::ifstream in(path, std::ios::binary);
  if (!in) throw InputError(fmt::format("{}: error: cannot read the journal", path.string()));
  const std::vector<unsigned char> b{std::istreambuf_iterator<char>(in),
                                     std::istreambuf_iterator<char>()};
  uint64_t stored = 0, sum = 0;
  if (b.size() >= kHeader) {
    std::memcpy(&stored, b.data() + 8, 8);
    std::memcpy(&sum, b.data() + 16, 8);
  }
  if (b.size() < kHeader || std::memcmp(b.data(), kMagic, 8) != 0 || sum != fnv1a(b.data(), 16))
    throw InputError(fmt::format("{}: error: not a calibration journal of fourp", path.string()));
  if (check_hash && stored != hash)
    throw InputError(fmt::format(
        "{}: error: the journal belongs to another calibration (its file, scenario or fourp "
        "changed): remove it or use --overwrite to start over",
        path.string()));
  Scan s;
  size_t at = kHeader;
  s.valid_bytes = at;
  while (b.size() - at >= 16) {
    uint64_t n = 0;
    std::memcpy(&n, b.data() + at, 8);
    if (n > b.size() - at - 16) break;  // cut short
    uint64_t check = 0;
    std::memcpy(&check, b.data() + at + 8 + n, 8);
    if (check != fnv1a(b.data() + at + 8, n)) break;
    SmcGeneration g;
    if (!generation_of(b.data() + at + 8, n, g) || g.generation != s.generations.size()) break;
    s.generations.push_back(std::move(g));
    at += 16 + n;
    s.valid_bytes = at;
  }
  return s;
}

}  // namespace

uint64_t calibration_hash(std::string_view text) {
  return fnv1a(reinterpret_cast<const unsigned char*>(text.data()), text.size());
}

std::vector<SmcGeneration> read_calibration_journal(const fs::path& path, uint64_t hash) {
  return scan(path, hash, true).generations;
}

CalibrationJournal CalibrationJournal::create(const fs::path& path, uint64_t hash) {
  const int fd = ::open(path.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0666);
  if (fd < 0) {
    if (errno == EEXIST)
      throw InputError(
          fmt::format("{}: error: journal exists (use --resume to continue that "
                      "calibration, or --overwrite to start over)",
                      path.string()));
    fail(path, "create");
  }
  CalibrationJournal j(fd, path);
  std::vector<unsigned char> header(kMagic, kMagic + 8);
  put(header, hash);
  put(header, fnv1a(header.data(), 16));
  write_all(fd, path, header);
  fsync_directory(path.has_parent_path() ? path.parent_path() : fs::path("."));
  return j;
}

CalibrationJournal CalibrationJournal::reopen(const fs::path& path,
                                              const std::vector<SmcGeneration>& generations) {
  const Scan s = scan(path, 0, false);
  if (s.generations.size() < generations.size())
    throw std::logic_error("CalibrationJournal::reopen: fewer generations than read");
  size_t keep = kHeader;  // the header and the records of `generations`
  for (size_t i = 0; i < generations.size(); ++i) keep += 16 + payload_of(generations[i]).size();
  const int fd = ::open(path.c_str(), O_WRONLY | O_CLOEXEC);
  if (fd < 0) fail(path, "open");
  CalibrationJournal j(fd, path);
  if (::ftruncate(fd, static_cast<off_t>(keep)) != 0 || ::lseek(fd, 0, SEEK_END) < 0)
    fail(path, "cut the damaged end of");
  return j;
}

CalibrationJournal::CalibrationJournal(CalibrationJournal&& o) noexcept
    : fd_(o.fd_), path_(std::move(o.path_)) {
  o.fd_ = -1;
}

CalibrationJournal::~CalibrationJournal() {
  if (fd_ >= 0) ::close(fd_);
}

void CalibrationJournal::write(const SmcGeneration& g) {
  const std::vector<unsigned char> payload = payload_of(g);
  std::vector<unsigned char> record;
  put(record, uint64_t{payload.size()});
  record.insert(record.end(), payload.begin(), payload.end());
  put(record, fnv1a(payload.data(), payload.size()));
  write_all(fd_, path_, record);
}

}  // namespace fourp
