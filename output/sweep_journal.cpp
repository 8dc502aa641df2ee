// The sweep journal (sweep_journal.h): its header and slots on the disk, and reading and writing
// them with pread/pwrite.
#include "output/sweep_journal.h"

#include <fcntl.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <limits>
#include <stdexcept>

#include <fmt/format.h>

#include "output/fsync_directory.h"
#include "sim/diagnostics.h"

namespace fourp {

namespace fs = std::filesystem;

namespace {

constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();

uint64_t fnv1a(const unsigned char* p, size_t n) {
  uint64_t h = 0xcbf29ce484222325ull;
  for (size_t i = 0; i < n; ++i) h = (h ^ p[i]) * 0x100000001b3ull;
  return h;
}

std::string errno_text() {
  return std::strerror(errno);
}

// ---- journal layout

constexpr char kJournalMagic[8] = {'F', 'O', 'U', 'R', 'P', 'J', '0', '1'};
constexpr uint64_t kHeaderBytes = 4096;
constexpr size_t kHeaderUsed = 56;  // bytes of the header before its checksum

struct Header {
  uint64_t hash = 0, runs = 0;
  uint32_t totals = 0, slot_size = 0, shard = 0, shards = 1, error_bytes = 0;
};

size_t slot_size_for(size_t totals) {
  const size_t raw = 16 + 8 * totals + kJournalErrorBytes + 8;
  return (raw + 7) / 8 * 8;
}

std::vector<unsigned char> encode_header(const Header& h) {
  std::vector<unsigned char> b(kHeaderBytes, 0);
  std::memcpy(b.data(), kJournalMagic, 8);
  auto put = [&](size_t at, auto v) { std::memcpy(b.data() + at, &v, sizeof v); };
  put(8, h.hash);
  put(16, h.runs);
  put(24, h.totals);
  put(28, h.slot_size);
  put(32, h.shard);
  put(36, h.shards);
  put(40, h.error_bytes);
  put(kHeaderUsed, fnv1a(b.data(), kHeaderUsed));
  return b;
}

bool decode_header(const unsigned char* b, Header& h) {
  if (std::memcmp(b, kJournalMagic, 8) != 0) return false;
  uint64_t sum = 0;
  std::memcpy(&sum, b + kHeaderUsed, 8);
  if (sum != fnv1a(b, kHeaderUsed)) return false;
  auto get = [&](size_t at, auto& v) { std::memcpy(&v, b + at, sizeof v); };
  get(8, h.hash);
  get(16, h.runs);
  get(24, h.totals);
  get(28, h.slot_size);
  get(32, h.shard);
  get(36, h.shards);
  get(40, h.error_bytes);
  return true;
}

// Slot: run + 1 (u64; 0 = empty), status (u32: 1 ok, 2 failed), error length (u32), totals
// (f64 each), error bytes, padding, checksum (u64, FNV-1a of everything before it).
constexpr uint32_t kSlotOk = 1, kSlotFailed = 2;  // the status word on the disk

void encode_slot(const RunRecord& r, size_t totals, size_t slot_size, unsigned char* b) {
  std::memset(b, 0, slot_size);
  const uint64_t tag = r.run + 1;
  const uint32_t status = r.ok ? kSlotOk : kSlotFailed;
  const uint32_t len = static_cast<uint32_t>(std::min(r.error.size(), kJournalErrorBytes));
  std::memcpy(b, &tag, 8);
  std::memcpy(b + 8, &status, 4);
  std::memcpy(b + 12, &len, 4);
  for (size_t k = 0; k < totals; ++k) {
    const double v = r.ok && k < r.totals.size() ? r.totals[k] : kNaN;
    std::memcpy(b + 16 + 8 * k, &v, 8);
  }
  std::memcpy(b + 16 + 8 * totals, r.error.data(), len);
  const uint64_t sum = fnv1a(b, slot_size - 8);
  std::memcpy(b + slot_size - 8, &sum, 8);
}

bool decode_slot(const unsigned char* b, uint64_t run, size_t totals, size_t slot_size,
                 RunRecord& r) {
  uint64_t tag = 0, sum = 0;
  uint32_t status = 0, len = 0;
  std::memcpy(&tag, b, 8);
  if (tag != run + 1) return false;  // empty (a hole reads as zeros) or another run's bytes
  std::memcpy(&sum, b + slot_size - 8, 8);
  if (sum != fnv1a(b, slot_size - 8)) return false;  // torn write
  std::memcpy(&status, b + 8, 4);
  std::memcpy(&len, b + 12, 4);
  if ((status != kSlotOk && status != kSlotFailed) || len > kJournalErrorBytes) return false;
  r.run = run;
  r.ok = status == kSlotOk;
  r.totals.assign(totals, kNaN);
  if (r.ok)
    for (size_t k = 0; k < totals; ++k) std::memcpy(&r.totals[k], b + 16 + 8 * k, 8);
  else
    r.totals.clear();
  r.error.assign(reinterpret_cast<const char*>(b + 16 + 8 * totals), len);
  return true;
}

// Reads up to n bytes at `offset`; fewer at the end of the file.
size_t pread_all(int fd, unsigned char* buf, size_t n, uint64_t offset, const fs::path& path) {
  size_t done = 0;
  while (done < n) {
    const ssize_t got = ::pread(fd, buf + done, n - done, static_cast<off_t>(offset + done));
    if (got < 0) {
      if (errno == EINTR) continue;
      throw std::runtime_error(
          fmt::format("{}: error: cannot read: {}", path.string(), errno_text()));
    }
    if (got == 0) break;
    done += static_cast<size_t>(got);
  }
  return done;
}

void pwrite_all(int fd, const unsigned char* buf, size_t n, uint64_t offset, const fs::path& path) {
  size_t done = 0;
  while (done < n) {
    const ssize_t put = ::pwrite(fd, buf + done, n - done, static_cast<off_t>(offset + done));
    if (put < 0) {
      if (errno == EINTR) continue;
      throw std::runtime_error(
          fmt::format("{}: error: cannot write: {}", path.string(), errno_text()));
    }
    done += static_cast<size_t>(put);
  }
}

}  // namespace

SweepJournal::SweepJournal(fs::path path, int fd, const SweepLayout& layout)
    : path_(std::move(path)),
      fd_(fd),
      runs_(layout.runs()),
      totals_(layout.totals.size()),
      slot_size_(slot_size_for(layout.totals.size())) {}

SweepJournal::SweepJournal(SweepJournal&& o) noexcept
    : path_(std::move(o.path_)),
      fd_(o.fd_),
      runs_(o.runs_),
      totals_(o.totals_),
      slot_size_(o.slot_size_) {
  o.fd_ = -1;
}

SweepJournal::~SweepJournal() {
  if (fd_ >= 0) ::close(fd_);
}

SweepJournal SweepJournal::create(const fs::path& path, const SweepLayout& layout, uint32_t shard,
                                  uint32_t shards) {
  auto exists_error = [&] {
    return InputError(
        fmt::format("{}: error: journal exists (use --resume to continue that "
                    "sweep, or --overwrite to start over)\n",
                    path.string()));
  };
  auto create_error = [&] {
    return InputError(
        fmt::format("{}: error: cannot create journal: {}\n", path.string(), errno_text()));
  };
  std::error_code ec;
  if (fs::exists(path, ec)) throw exists_error();
  // The journal appears under its name only with its header written and synced: a kill while it
  // is being made leaves no journal (no run had been recorded), never one with a torn header.
  // An unnamed file in the directory (O_TMPFILE) is linked into place; where the file system
  // cannot make one, a hidden temporary name is linked and removed.
  const fs::path dir = path.has_parent_path() ? path.parent_path() : fs::path(".");
  int fd = ::open(dir.c_str(), O_RDWR | O_TMPFILE | O_CLOEXEC, 0644);
  fs::path temp;
  if (fd < 0) {
    temp = dir / fmt::format(".{}.tmp-{}", path.filename().string(), ::getpid());
    fd = ::open(temp.c_str(), O_RDWR | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
    if (fd < 0) throw create_error();
  }
  SweepJournal j(path, fd, layout);
  Header h;
  h.hash = layout.hash;
  h.runs = layout.runs();
  h.totals = static_cast<uint32_t>(layout.totals.size());
  h.slot_size = static_cast<uint32_t>(j.slot_size_);
  h.shard = shard;
  h.shards = shards;
  h.error_bytes = static_cast<uint32_t>(kJournalErrorBytes);
  const auto bytes = encode_header(h);
  pwrite_all(fd, bytes.data(), bytes.size(), 0, path);
  j.sync();
  // link refuses an existing name: two sweeps started at once cannot both own the journal.
  const int linked = temp.empty() ? ::linkat(AT_FDCWD, fmt::format("/proc/self/fd/{}", fd).c_str(),
                                             AT_FDCWD, path.c_str(), AT_SYMLINK_FOLLOW)
                                  : ::link(temp.c_str(), path.c_str());
  const int link_errno = errno;
  if (!temp.empty()) ::unlink(temp.c_str());
  if (linked != 0) {
    errno = link_errno;
    if (link_errno == EEXIST) throw exists_error();
    throw create_error();
  }
  fsync_directory_of(path);
  return j;
}

SweepJournal SweepJournal::open(const fs::path& path, const SweepLayout& layout, uint32_t shard,
                                uint32_t shards) {
  const int fd = ::open(path.c_str(), O_RDWR | O_CLOEXEC);
  if (fd < 0)
    throw InputError(
        fmt::format("{}: error: cannot open journal: {}\n", path.string(), errno_text()));
  SweepJournal j(path, fd, layout);
  std::vector<unsigned char> b(kHeaderBytes, 0);
  Header h;
  if (pread_all(fd, b.data(), b.size(), 0, path) < kHeaderUsed + 8 || !decode_header(b.data(), h))
    throw InputError(
        fmt::format("{}: error: not a fourp sweep journal, or its header is damaged "
                    "(remove it, or use --overwrite to start over)\n",
                    path.string()));
  if (h.hash != layout.hash)
    throw InputError(fmt::format(
        "{}: error: this journal belongs to another sweep (hash {:016x}; this sweep is {}): the "
        "sweep file, its scenario or fourp changed since it started; use --overwrite to start "
        "over\n",
        path.string(), h.hash, layout.hash_hex()));
  if (h.shard != shard || h.shards != shards)
    throw InputError(fmt::format(
        "{}: error: this journal is of {} but this run is {}; resume it "
        "with the same --shard\n",
        path.string(),
        h.shards > 1 ? fmt::format("shard {}/{}", h.shard, h.shards)
                     : std::string("the whole sweep"),
        shards > 1 ? fmt::format("shard {}/{}", shard, shards) : std::string("the whole sweep")));
  if (h.runs != layout.runs() || h.totals != layout.totals.size() || h.slot_size != j.slot_size_ ||
      h.error_bytes != kJournalErrorBytes)
    throw InputError(
        fmt::format("{}: error: journal of another shape (runs, totals); use "
                    "--overwrite to start over\n",
                    path.string()));
  return j;
}

std::vector<RunStatus> SweepJournal::scan(uint64_t* damaged) const {
  std::vector<RunStatus> status(runs_, RunStatus::not_recorded);
  std::vector<RunRecord> records;
  std::vector<bool> present, written;
  if (damaged != nullptr) *damaged = 0;
  constexpr uint64_t kBlock = 4096;
  for (uint64_t first = 0; first < runs_; first += kBlock) {
    const uint64_t n = std::min(kBlock, runs_ - first);
    read(first, n, records, present, &written);
    for (uint64_t k = 0; k < n; ++k) {
      if (present[k]) status[first + k] = status_of(records[k]);
      if (damaged != nullptr && written[k] && !present[k]) ++*damaged;
    }
  }
  return status;
}

void SweepJournal::write(const RunRecord& r) {
  if (r.run >= runs_) throw std::logic_error("SweepJournal::write: run out of range");
  std::vector<unsigned char> b(slot_size_);
  encode_slot(r, totals_, slot_size_, b.data());
  pwrite_all(fd_, b.data(), b.size(), kHeaderBytes + r.run * slot_size_, path_);
}

void SweepJournal::sync() {
  if (::fdatasync(fd_) != 0)
    throw std::runtime_error(
        fmt::format("{}: error: cannot sync: {}", path_.string(), errno_text()));
}

void SweepJournal::read(uint64_t first, uint64_t count, std::vector<RunRecord>& records,
                        std::vector<bool>& present, std::vector<bool>* written) const {
  records.assign(count, RunRecord{});
  present.assign(count, false);
  if (written != nullptr) written->assign(count, false);
  std::vector<unsigned char> b(count * slot_size_);
  const size_t got = pread_all(fd_, b.data(), b.size(), kHeaderBytes + first * slot_size_, path_);
  for (uint64_t k = 0; k < count; ++k) {
    if ((k + 1) * slot_size_ > got) break;  // past the end of the file: not written yet
    const unsigned char* slot = b.data() + k * slot_size_;
    present[k] = decode_slot(slot, first + k, totals_, slot_size_, records[k]);
    if (written != nullptr)
      (*written)[k] = std::any_of(slot, slot + slot_size_, [](unsigned char c) { return c != 0; });
  }
}

void SweepJournal::remove() {
  if (fd_ >= 0) ::close(fd_);
  fd_ = -1;
  std::error_code ec;
  fs::remove(path_, ec);
  fsync_directory_of(path_);
}

SweepSummary summarise_journal(const SweepLayout& L, const SweepJournal& journal) {
  const uint64_t per_sample = uint64_t{L.arms.size()} * L.replicates;
  std::vector<bool> present;
  return summarise_sweep(L, [&](uint32_t sample, std::vector<RunRecord>& records) {
    journal.read(sample * per_sample, per_sample, records, present);
  });
}

}  // namespace fourp
