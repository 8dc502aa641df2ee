#include "output/sweep_file.h"

#include <fcntl.h>
#include <hdf5.h>
#include <unistd.h>

#include <algorithm>
#include <bit>
#include <cerrno>
#include <cmath>
#include <cstring>
#include <limits>
#include <map>
#include <set>

#include <fmt/format.h>

#include "output/fsync_directory.h"
#include "output/results_file.h"
#include "output/timestamp.h"
#include "sim/designs.h"
#include "sim/diagnostics.h"
#include "sim/sensitivity.h"

namespace fourp {

namespace fs = std::filesystem;

namespace {

static_assert(std::endian::native == std::endian::little,
              "sweep tables are packed little-endian in memory as on disk");

constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();
constexpr const char* kSweepKind = "fourp sweep";
constexpr const char* kShardKind = "fourp sweep shard";

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

// ---- streamed HDF5 tables (the h5 helpers write whole tables; these append chunk by chunk)

void h5_check(herr_t status, const std::string& what) {
  if (status < 0) throw h5::Error(what + ": " + h5::reason());
}

struct Col {
  std::string name;
  h5::Type type = h5::Type::f64;  // u8, u32, u64, f64 or string
  size_t width = 0;               // strings: bytes
};

size_t col_size(const Col& c) {
  switch (c.type) {
    case h5::Type::u8:
      return 1;
    case h5::Type::u32:
      return 4;
    case h5::Type::string:
      return std::max<size_t>(c.width, 1);
    default:
      return 8;
  }
}

h5::Handle col_type(const Col& c) {
  switch (c.type) {
    case h5::Type::u8:
      return h5::Handle(H5Tcopy(H5T_STD_U8LE), "creating type");
    case h5::Type::u32:
      return h5::Handle(H5Tcopy(H5T_STD_U32LE), "creating type");
    case h5::Type::u64:
      return h5::Handle(H5Tcopy(H5T_STD_U64LE), "creating type");
    case h5::Type::string: {
      h5::Handle t(H5Tcopy(H5T_C_S1), "creating string type");
      h5_check(H5Tset_size(t.id(), col_size(c)), "sizing string type");
      h5_check(H5Tset_strpad(t.id(), H5T_STR_NULLPAD), "setting string padding");
      h5_check(H5Tset_cset(t.id(), H5T_CSET_UTF8), "setting string encoding");
      return t;
    }
    default:
      return h5::Handle(H5Tcopy(H5T_IEEE_F64LE), "creating type");
  }
}

// A compound table created empty and extended a chunk of rows at a time. Rows are packed
// little-endian in memory exactly as in the file, so no conversion happens.
class Appender {
 public:
  Appender(const h5::Handle& parent, const std::string& name, std::vector<Col> cols,
           uint64_t expected_rows)
      : name_(name), cols_(std::move(cols)) {
    for (const Col& c : cols_) {
      offsets_.push_back(row_size_);
      row_size_ += col_size(c);
    }
    type_ = h5::Handle(H5Tcreate(H5T_COMPOUND, row_size_), "creating table type " + name);
    for (size_t i = 0; i < cols_.size(); ++i) {
      const h5::Handle t = col_type(cols_[i]);
      h5_check(H5Tinsert(type_.id(), cols_[i].name.c_str(), offsets_[i], t.id()),
               fmt::format("adding field '{}' to table '{}'", cols_[i].name, name));
    }
    // Chunks of whole rows (~at most 1024): the same rows always give the same chunks.
    chunk_rows_ = std::clamp<uint64_t>(expected_rows, 1, 1024);
    const hsize_t dims[1] = {0}, max[1] = {H5S_UNLIMITED}, chunk[1] = {chunk_rows_};
    const h5::Handle space(H5Screate_simple(1, dims, max), "creating dataspace");
    const h5::Handle dcpl(H5Pcreate(H5P_DATASET_CREATE), "creating dataset properties");
    h5_check(H5Pset_obj_track_times(dcpl.id(), false), "disabling time tracking");
    h5_check(H5Pset_chunk(dcpl.id(), 1, chunk), "setting chunks");
    h5_check(H5Pset_shuffle(dcpl.id()), "setting shuffle filter");
    h5_check(H5Pset_deflate(dcpl.id(), 4), "setting deflate filter");
    dset_ = h5::Handle(H5Dcreate2(parent.id(), name.c_str(), type_.id(), space.id(), H5P_DEFAULT,
                                  dcpl.id(), H5P_DEFAULT),
                       fmt::format("creating dataset '{}'", name));
    row_.assign(row_size_, 0);
    buffer_.reserve(chunk_rows_ * row_size_);
  }

  void num(size_t c, double v) {
    unsigned char* p = row_.data() + offsets_[c];
    switch (cols_[c].type) {
      case h5::Type::u8: {
        const uint8_t x = static_cast<uint8_t>(v);
        std::memcpy(p, &x, 1);
        break;
      }
      case h5::Type::u32: {
        const uint32_t x = static_cast<uint32_t>(v);
        std::memcpy(p, &x, 4);
        break;
      }
      default:
        std::memcpy(p, &v, 8);
    }
  }
  void u64(size_t c, uint64_t v) { std::memcpy(row_.data() + offsets_[c], &v, 8); }
  void str(size_t c, std::string_view s) {
    std::memcpy(row_.data() + offsets_[c], s.data(), std::min(s.size(), col_size(cols_[c])));
  }
  void end_row() {
    buffer_.insert(buffer_.end(), row_.begin(), row_.end());
    std::fill(row_.begin(), row_.end(), 0);
    if (++buffered_ == chunk_rows_) flush();
  }
  void finish() { flush(); }

 private:
  void flush() {
    if (buffered_ == 0) return;
    const hsize_t size[1] = {written_ + buffered_};
    h5_check(H5Dset_extent(dset_.id(), size), fmt::format("extending '{}'", name_));
    const h5::Handle fspace(H5Dget_space(dset_.id()), "getting dataspace");
    const hsize_t start[1] = {written_}, count[1] = {buffered_};
    h5_check(H5Sselect_hyperslab(fspace.id(), H5S_SELECT_SET, start, nullptr, count, nullptr),
             "selecting rows");
    const h5::Handle mspace(H5Screate_simple(1, count, nullptr), "creating dataspace");
    h5_check(
        H5Dwrite(dset_.id(), type_.id(), mspace.id(), fspace.id(), H5P_DEFAULT, buffer_.data()),
        fmt::format("writing '{}'", name_));
    written_ += buffered_;
    buffered_ = 0;
    buffer_.clear();
  }

  std::string name_;
  std::vector<Col> cols_;
  std::vector<size_t> offsets_;
  size_t row_size_ = 0;
  h5::Handle type_, dset_;
  hsize_t chunk_rows_ = 1, buffered_ = 0, written_ = 0;
  std::vector<unsigned char> row_, buffer_;
};

// Reads a compound table a block of rows at a time, fields by name.
class RowReader {
 public:
  RowReader(const h5::Handle& parent, const std::string& name) : name_(name) {
    dset_ = h5::Handle(H5Dopen2(parent.id(), name.c_str(), H5P_DEFAULT),
                       fmt::format("opening '{}'", name));
    type_ = h5::Handle(H5Dget_type(dset_.id()), "reading table type");
    if (H5Tget_class(type_.id()) != H5T_COMPOUND)
      throw h5::Error(fmt::format("'{}' is not a table", name));
    row_size_ = H5Tget_size(type_.id());
    const h5::Handle space(H5Dget_space(dset_.id()), "getting dataspace");
    hsize_t dims[1] = {0};
    if (H5Sget_simple_extent_ndims(space.id()) != 1)
      throw h5::Error(fmt::format("'{}' is not a one-dimensional table", name));
    H5Sget_simple_extent_dims(space.id(), dims, nullptr);
    rows_ = dims[0];
  }
  uint64_t rows() const { return rows_; }
  // Offset and size of a field; throws when missing.
  std::pair<size_t, size_t> field(const std::string& f) const {
    const int i = H5Tget_member_index(type_.id(), f.c_str());
    if (i < 0) {
      H5Eclear2(H5E_DEFAULT);
      throw h5::Error(fmt::format("table '{}' has no field '{}'", name_, f));
    }
    const h5::Handle t(H5Tget_member_type(type_.id(), static_cast<unsigned>(i)), "field type");
    return {H5Tget_member_offset(type_.id(), static_cast<unsigned>(i)), H5Tget_size(t.id())};
  }
  void read(uint64_t first, uint64_t count) {
    buffer_.resize(count * row_size_);
    if (count == 0) return;
    const h5::Handle fspace(H5Dget_space(dset_.id()), "getting dataspace");
    const hsize_t start[1] = {first}, n[1] = {count};
    h5_check(H5Sselect_hyperslab(fspace.id(), H5S_SELECT_SET, start, nullptr, n, nullptr),
             "selecting rows");
    const h5::Handle mspace(H5Screate_simple(1, n, nullptr), "creating dataspace");
    h5_check(H5Dread(dset_.id(), type_.id(), mspace.id(), fspace.id(), H5P_DEFAULT, buffer_.data()),
             fmt::format("reading '{}'", name_));
  }
  const unsigned char* row(uint64_t k) const { return buffer_.data() + k * row_size_; }

 private:
  std::string name_;
  h5::Handle dset_, type_;
  size_t row_size_ = 0;
  uint64_t rows_ = 0;
  std::vector<unsigned char> buffer_;
};

// ---- sweep file parts

std::string matrix_name(const SweepLayout& L, uint32_t sample) {
  const size_t d = L.parameters.size(), m = saltelli_matrix(sample, d);
  if (m == 0) return "A";
  if (m == d + 1) return "B";
  return "AB:" + L.parameters[m - 1];
}

void write_samples(const h5::Handle& f, const SweepLayout& L) {
  const uint32_t S = L.sample_count();
  h5::Table t;
  h5::Field sample{"sample", h5::Type::u32, {}, {}}, seed{"seed", h5::Type::u32, {}, {}};
  for (uint32_t j = 0; j < S; ++j) {
    sample.numbers.push_back(j);
    seed.numbers.push_back(sample_seed(L.design_seed, j));
  }
  t.fields.push_back(std::move(sample));
  t.fields.push_back(std::move(seed));
  for (size_t i = 0; i < L.parameters.size(); ++i) {
    h5::Field p{L.parameters[i], h5::Type::f64, {}, {}};
    for (uint32_t j = 0; j < S; ++j) p.numbers.push_back(L.value(j, i));
    t.fields.push_back(std::move(p));
  }
  if (L.sobol_base > 0) {
    const size_t d = L.parameters.size();
    h5::Field point{"sobol_point", h5::Type::u32, {}, {}};
    h5::Field matrix{"sobol_matrix", h5::Type::string, {}, {}};
    for (uint32_t j = 0; j < S; ++j) {
      point.numbers.push_back(static_cast<double>(j / (d + 2)));
      matrix.strings.push_back(matrix_name(L, j));
    }
    t.fields.push_back(std::move(point));
    t.fields.push_back(std::move(matrix));
  }
  h5::write_table(f, "samples", t, h5::Compress::yes);
}

void write_root_attrs(const h5::Handle& f, const SweepLayout& L, bool shard_file, uint32_t shard,
                      uint32_t shards, uint64_t runs, uint64_t failed) {
  h5::write_attr(f, "kind", shard_file ? kShardKind : kSweepKind);
  h5::write_attr(f, "sweep_format_version", kSweepFormatVersion);
  h5::write_attr(f, "fourp_version", FOURP_VERSION);
  h5::write_attr(f, "name", L.name);
  h5::write_attr(f, "sweep", L.sweep_text);
  h5::write_attr(f, "sweep_file", L.sweep_file);
  h5::write_attr(f, "hash", L.hash_hex());
  h5::write_attr(f, "scenario", L.scenario_yaml);
  h5::write_attr(f, "design", L.design);
  h5::write_attr(f, "design_seed", L.design_seed);
  h5::write_attr(f, "samples", L.sample_count());
  if (L.sobol_base > 0) {
    h5::write_attr(f, "sobol_base_samples", L.sobol_base);
    h5::write_attr(f, "bootstrap", L.bootstrap);
  }
  h5::write_attr(f, "replicates", L.replicates);
  h5::write_attr(f, "arms", L.arms);
  h5::write_attr(f, "baseline_arm", L.baseline_arm);
  h5::write_attr(f, "parameters", L.parameters);
  h5::write_attr(f, "totals", L.totals);
  h5::write_attr(f, "metrics", L.metrics);
  if (shard_file) {
    h5::write_attr(f, "shard_index", shard);
    h5::write_attr(f, "shard_count", shards);
  }
  h5::write_attr(f, "runs", runs);
  h5::write_attr(f, "failed_runs", failed);
  h5::write_attr(f, "created_utc", utc_now());
}

size_t max_length(const std::vector<std::string>& words) {
  size_t n = 1;
  for (const auto& w : words) n = std::max(n, w.size());
  return n;
}

// Calls visit(first_run, count) for each block of runs of the file, in run order: one sample
// (every replicate and arm) for a whole sweep, one task (every arm) for a shard.
template <class F>
void for_each_block(const SweepLayout& L, uint32_t shard, uint32_t shards, F visit) {
  const uint64_t A = L.arms.size();
  if (shards <= 1) {
    const uint64_t per_sample = A * L.replicates;
    for (uint32_t j = 0; j < L.sample_count(); ++j) visit(j * per_sample, per_sample);
  } else {
    for (uint64_t t = shard; t < L.tasks(); t += shards) visit(t * A, A);
  }
}

}  // namespace

// ---- SweepJournal ---------------------------------------------------------------------------

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
  const int fd = ::open(path.c_str(), O_RDWR | O_CREAT | O_EXCL | O_CLOEXEC, 0644);
  if (fd < 0) {
    if (errno == EEXIST)
      throw InputError(
          fmt::format("{}: error: journal exists (use --resume to continue that "
                      "sweep, or --overwrite to start over)\n",
                      path.string()));
    throw InputError(
        fmt::format("{}: error: cannot create journal: {}\n", path.string(), errno_text()));
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

std::vector<RunStatus> SweepJournal::scan() const {
  std::vector<RunStatus> status(runs_, RunStatus::not_recorded);
  std::vector<RunRecord> records;
  std::vector<bool> present;
  constexpr uint64_t kBlock = 4096;
  for (uint64_t first = 0; first < runs_; first += kBlock) {
    const uint64_t n = std::min(kBlock, runs_ - first);
    read(first, n, records, present);
    for (uint64_t k = 0; k < n; ++k)
      if (present[k]) status[first + k] = status_of(records[k]);
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
                        std::vector<bool>& present) const {
  records.assign(count, RunRecord{});
  present.assign(count, false);
  std::vector<unsigned char> b(count * slot_size_);
  const size_t got = pread_all(fd_, b.data(), b.size(), kHeaderBytes + first * slot_size_, path_);
  for (uint64_t k = 0; k < count; ++k) {
    if ((k + 1) * slot_size_ > got) break;  // past the end of the file: not written yet
    present[k] = decode_slot(b.data() + k * slot_size_, first + k, totals_, slot_size_, records[k]);
  }
}

void SweepJournal::remove() {
  if (fd_ >= 0) ::close(fd_);
  fd_ = -1;
  std::error_code ec;
  fs::remove(path_, ec);
  fsync_directory_of(path_);
}

// ---- JournalWriter --------------------------------------------------------------------------

JournalWriter::JournalWriter(SweepJournal& journal,
                             std::function<void(const RunRecord&)> on_durable,
                             std::atomic<bool>* cancel)
    : journal_(journal),
      on_durable_(std::move(on_durable)),
      cancel_(cancel),
      thread_([this] { loop(); }) {}

JournalWriter::~JournalWriter() {
  try {
    finish();
  } catch (...) {
    // Reported by finish() when the caller calls it; a destructor must not throw.
  }
}

void JournalWriter::push(RunRecord record) {
  {
    std::lock_guard lock(mutex_);
    if (error_ || stop_) return;
    queue_.push_back(std::move(record));
  }
  cv_.notify_one();
}

void JournalWriter::loop() {
  std::unique_lock lock(mutex_);
  while (true) {
    cv_.wait(lock, [&] { return stop_ || !queue_.empty(); });
    if (queue_.empty()) break;  // stop_ and nothing left
    std::deque<RunRecord> batch;
    batch.swap(queue_);
    lock.unlock();
    try {
      for (const RunRecord& r : batch) journal_.write(r);
      journal_.sync();  // one sync for the whole batch (group commit)
      if (on_durable_)
        for (const RunRecord& r : batch) on_durable_(r);
    } catch (...) {
      lock.lock();
      error_ = std::current_exception();
      queue_.clear();
      if (cancel_) cancel_->store(true);
      break;
    }
    lock.lock();
  }
}

void JournalWriter::finish() {
  {
    std::lock_guard lock(mutex_);
    stop_ = true;
  }
  cv_.notify_one();
  if (thread_.joinable()) thread_.join();
  if (error_) {
    std::exception_ptr e = error_;
    error_ = nullptr;
    std::rethrow_exception(e);
  }
}

// ---- Writing the sweep file -----------------------------------------------------------------

void write_sweep_file(const SweepLayout& L, const SweepJournal& journal, const fs::path& out,
                      bool overwrite, uint32_t shard, uint32_t shards) {
  const bool shard_file = shards > 1;
  const size_t A = L.arms.size(), M = L.metrics.size(), T = L.totals.size(),
               P = L.parameters.size();
  std::vector<MetricSpec> metrics;
  for (const auto& m : L.metrics) {
    auto spec = resolve_metric(m, L.totals);
    if (!spec) throw std::invalid_argument(fmt::format("write_sweep_file: unknown metric '{}'", m));
    metrics.push_back(*spec);
  }

  // Pass 1: every run present; how many failed; the widest error.
  uint64_t runs = 0, failed = 0;
  size_t error_width = 1;
  std::vector<RunRecord> records;
  std::vector<bool> present;
  for_each_block(L, shard, shards, [&](uint64_t first, uint64_t count) {
    journal.read(first, count, records, present);
    for (uint64_t k = 0; k < count; ++k) {
      if (!present[k])
        throw std::logic_error(
            fmt::format("write_sweep_file: run {} is not in the journal", first + k));
      ++runs;
      if (!records[k].ok) ++failed;
      error_width = std::max(error_width, records[k].error.size());
    }
  });

  write_atomically(out, overwrite, [&](const fs::path& temp) {
    h5::File f = h5::File::create(temp);
    write_root_attrs(f, L, shard_file, shard, shards, runs, failed);
    write_samples(f, L);

    std::vector<Col> run_cols = {{"run", h5::Type::u64},
                                 {"sample", h5::Type::u32},
                                 {"arm", h5::Type::string, max_length(L.arms)},
                                 {"replicate", h5::Type::u32},
                                 {"seed", h5::Type::u32},
                                 {"ok", h5::Type::u8}};
    for (const auto& t : L.totals) run_cols.push_back({t, h5::Type::f64});
    run_cols.push_back({"error", h5::Type::string, error_width});
    Appender runs_table(f, "runs", run_cols, runs);

    std::optional<Appender> summary;
    if (!shard_file) {
      std::vector<Col> cols = {{"sample", h5::Type::u32},
                               {"arm", h5::Type::string, max_length(L.arms)}};
      for (const auto& p : L.parameters) cols.push_back({p, h5::Type::f64});
      cols.push_back({"replicates_ok", h5::Type::u32});
      cols.push_back({"replicates_failed", h5::Type::u32});
      for (const auto& m : L.metrics) {
        cols.push_back({m + "_mean", h5::Type::f64});
        cols.push_back({m + "_sd", h5::Type::f64});
      }
      summary.emplace(f, "summary", cols, uint64_t{L.sample_count()} * A);
    }
    // Sobol' indices need every sample's mean: [arm][metric][sample].
    const bool sobol = !shard_file && L.sobol_base > 0;
    const uint32_t S = L.sample_count();
    std::vector<double> y(sobol ? A * M * S : 0, kNaN);

    for_each_block(L, shard, shards, [&](uint64_t first, uint64_t count) {
      journal.read(first, count, records, present);
      for (uint64_t k = 0; k < count; ++k) {
        const RunPlan p = L.run(first + k);
        const RunRecord& r = records[k];
        runs_table.u64(0, p.index);
        runs_table.num(1, p.sample);
        runs_table.str(2, L.arms[p.arm]);
        runs_table.num(3, p.replicate);
        runs_table.num(4, p.seed);
        runs_table.num(5, r.ok ? 1 : 0);
        for (size_t t = 0; t < T; ++t) runs_table.num(6 + t, r.ok ? r.totals[t] : kNaN);
        runs_table.str(6 + T, r.error);
        runs_table.end_row();
      }
      if (!summary) return;
      const uint32_t j = static_cast<uint32_t>(first / (A * L.replicates));
      const std::vector<ArmSummary> s = summarise_sample(L, metrics, records);
      for (size_t a = 0; a < A; ++a) {
        summary->num(0, j);
        summary->str(1, L.arms[a]);
        for (size_t i = 0; i < P; ++i) summary->num(2 + i, L.value(j, i));
        summary->num(2 + P, s[a].ok);
        summary->num(3 + P, s[a].failed);
        for (size_t m = 0; m < M; ++m) {
          summary->num(4 + P + 2 * m, s[a].mean[m]);
          summary->num(5 + P + 2 * m, s[a].sd[m]);
          if (sobol) y[(a * M + m) * S + j] = s[a].mean[m];
        }
        summary->end_row();
      }
    });
    runs_table.finish();
    if (summary) summary->finish();

    if (sobol) {
      h5::Table t;
      std::vector<h5::Field> fields = {
          {"arm", h5::Type::string, {}, {}},       {"metric", h5::Type::string, {}, {}},
          {"parameter", h5::Type::string, {}, {}}, {"first", h5::Type::f64, {}, {}},
          {"first_low", h5::Type::f64, {}, {}},    {"first_high", h5::Type::f64, {}, {}},
          {"total", h5::Type::f64, {}, {}},        {"total_low", h5::Type::f64, {}, {}},
          {"total_high", h5::Type::f64, {}, {}}};
      for (size_t a = 0; a < A; ++a)
        for (size_t m = 0; m < M; ++m) {
          const std::span<const double> ys(y.data() + (a * M + m) * S, S);
          const auto idx = sobol_indices(ys, P, {L.bootstrap, L.design_seed});
          for (size_t i = 0; i < P; ++i) {
            fields[0].strings.push_back(L.arms[a]);
            fields[1].strings.push_back(L.metrics[m]);
            fields[2].strings.push_back(L.parameters[i]);
            const double v[] = {idx[i].first, idx[i].first_low, idx[i].first_high,
                                idx[i].total, idx[i].total_low, idx[i].total_high};
            for (size_t k = 0; k < 6; ++k) fields[3 + k].numbers.push_back(v[k]);
          }
        }
      t.fields = std::move(fields);
      h5::write_table(f, "sobol", t, h5::Compress::yes);
    }
    f.close();
  });
}

// ---- Reading --------------------------------------------------------------------------------

namespace {

InputError not_sweep(const fs::path& p, const std::string& why) {
  return InputError(fmt::format("{}: error: {}\n", p.string(), why));
}

}  // namespace

SweepFileInfo read_sweep_info(const fs::path& path) {
  std::error_code ec;
  if (!fs::exists(path, ec)) throw not_sweep(path, "no such file");
  if (!h5::File::is_hdf5(path)) throw not_sweep(path, "not an HDF5 file");
  SweepFileInfo info;
  try {
    h5::File f = h5::File::open(path);
    if (!h5::has_attr(f, "kind")) throw not_sweep(path, "not a fourp sweep file");
    const std::string kind = h5::read_attr<std::string>(f, "kind");
    if (kind != kSweepKind && kind != kShardKind)
      throw not_sweep(path, fmt::format("not a fourp sweep file (kind '{}')", kind));
    const int64_t version = h5::read_attr<int64_t>(f, "sweep_format_version");
    if (version != kSweepFormatVersion)
      throw not_sweep(path, fmt::format("sweep format version {}; this fourp reads version {}",
                                        version, kSweepFormatVersion));
    SweepLayout& L = info.layout;
    L.name = h5::read_attr<std::string>(f, "name");
    L.sweep_text = h5::read_attr<std::string>(f, "sweep");
    L.sweep_file = h5::read_attr<std::string>(f, "sweep_file");
    L.scenario_yaml = h5::read_attr<std::string>(f, "scenario");
    L.design = h5::read_attr<std::string>(f, "design");
    L.design_seed = h5::read_attr<uint64_t>(f, "design_seed");
    if (h5::has_attr(f, "sobol_base_samples")) {
      L.sobol_base = h5::read_attr<uint32_t>(f, "sobol_base_samples");
      L.bootstrap = h5::read_attr<uint32_t>(f, "bootstrap");
    }
    L.replicates = h5::read_attr<uint32_t>(f, "replicates");
    L.arms = h5::read_attr<std::vector<std::string>>(f, "arms");
    L.baseline_arm = h5::read_attr<std::string>(f, "baseline_arm");
    L.parameters = h5::read_attr<std::vector<std::string>>(f, "parameters");
    L.totals = h5::read_attr<std::vector<std::string>>(f, "totals");
    L.metrics = h5::read_attr<std::vector<std::string>>(f, "metrics");
    const std::string hash = h5::read_attr<std::string>(f, "hash");
    L.hash = std::stoull(hash, nullptr, 16);
    const uint32_t S = h5::read_attr<uint32_t>(f, "samples");
    const h5::Table samples = h5::read_table(f, "samples");
    L.samples.assign(size_t{S} * L.parameters.size(), 0);
    for (size_t i = 0; i < L.parameters.size(); ++i) {
      auto field = std::find_if(samples.fields.begin(), samples.fields.end(),
                                [&](const h5::Field& x) { return x.name == L.parameters[i]; });
      if (field == samples.fields.end() || field->numbers.size() != S)
        throw not_sweep(path, fmt::format("samples table lacks parameter '{}'", L.parameters[i]));
      for (uint32_t j = 0; j < S; ++j)
        L.samples[size_t{j} * L.parameters.size() + i] = field->numbers[j];
    }
    info.is_shard = kind == kShardKind;
    if (info.is_shard) {
      info.shard = h5::read_attr<uint32_t>(f, "shard_index");
      info.shards = h5::read_attr<uint32_t>(f, "shard_count");
    }
    info.runs = h5::read_attr<uint64_t>(f, "runs");
    info.failed_runs = h5::read_attr<uint64_t>(f, "failed_runs");
    if (L.compute_hash() != L.hash) {
      const std::string version_written = h5::read_attr<std::string>(f, "fourp_version");
      throw not_sweep(path, version_written != FOURP_VERSION
                                ? fmt::format("written by fourp {}; this is fourp {}, whose "
                                              "results may differ",
                                              version_written, FOURP_VERSION)
                                : std::string("its contents do not match its hash (damaged?)"));
    }
  } catch (const h5::Error& e) {
    throw not_sweep(path, fmt::format("not a readable fourp sweep file: {}", e.what()));
  } catch (const std::invalid_argument&) {
    throw not_sweep(path, "not a readable fourp sweep file (bad hash)");
  }
  return info;
}

bool is_sweep_file(const fs::path& path) {
  if (!h5::File::is_hdf5(path)) return false;
  try {
    h5::File f = h5::File::open(path);
    return h5::has_attr(f, "kind") && h5::read_attr<std::string>(f, "kind") == kSweepKind;
  } catch (const h5::Error&) {
    return false;
  }
}

SweepResults read_sweep_results(const fs::path& path) {
  SweepResults r;
  r.info = read_sweep_info(path);
  if (r.info.is_shard) throw not_sweep(path, "a shard file: merge the shards first (fourp merge)");
  try {
    h5::File f = h5::File::open(path);
    r.samples = h5::read_table(f, "samples");
    r.summary = h5::read_table(f, "summary");
    if (h5::exists(f, "sobol")) r.sobol = h5::read_table(f, "sobol");
  } catch (const h5::Error& e) {
    throw not_sweep(path, fmt::format("not a readable fourp sweep file: {}", e.what()));
  }
  return r;
}

// ---- Merging --------------------------------------------------------------------------------

void merge_shard_files(const std::vector<fs::path>& inputs, const fs::path& out, bool overwrite) {
  if (inputs.empty()) throw InputError("fourp merge: error: no shard files given\n");
  check_output_path(out, overwrite);
  std::vector<SweepFileInfo> infos;
  for (const fs::path& p : inputs) infos.push_back(read_sweep_info(p));
  const SweepFileInfo& first = infos.front();
  std::map<uint32_t, fs::path> have;
  for (size_t i = 0; i < infos.size(); ++i) {
    const SweepFileInfo& x = infos[i];
    if (x.layout.hash != first.layout.hash)
      throw InputError(fmt::format(
          "{}: error: a shard of a different sweep (hash {}; {} has {}): shards must come from "
          "the same sweep file, scenario and fourp version\n",
          inputs[i].string(), x.layout.hash_hex(), inputs[0].string(), first.layout.hash_hex()));
    if (x.shards != first.shards)
      throw InputError(fmt::format("{}: error: shard {}/{}, but {} is shard {}/{}\n",
                                   inputs[i].string(), x.shard, x.shards, inputs[0].string(),
                                   first.shard, first.shards));
    auto [it, fresh] = have.emplace(x.shard, inputs[i]);
    if (!fresh)
      throw InputError(fmt::format("{}: error: shard {}/{} is given twice (also {})\n",
                                   inputs[i].string(), x.shard, x.shards, it->second.string()));
  }
  std::vector<std::string> missing;
  for (uint32_t s = 0; s < first.shards; ++s)
    if (!have.count(s)) missing.push_back(fmt::format("{}/{}", s, first.shards));
  if (!missing.empty())
    throw InputError(
        fmt::format("fourp merge: error: missing shard{} {} of {} (the sweep has {} "
                    "shards; run them with --shard I/{})\n",
                    missing.size() > 1 ? "s" : "", fmt::join(missing, ", "), first.layout.name,
                    first.shards, first.shards));

  // The shards' runs go into a temporary journal next to the output, from which the sweep file
  // is written exactly as a single run writes it.
  const SweepLayout& L = first.layout;
  const fs::path dir = out.has_parent_path() ? out.parent_path() : fs::path(".");
  const fs::path temp = dir / fmt::format(".{}.merge-journal", out.filename().string());
  std::error_code ec;
  fs::remove(temp, ec);
  SweepJournal journal = SweepJournal::create(temp, L, 0, 1);
  struct Remove {
    SweepJournal& j;
    ~Remove() { j.remove(); }
  } remove_temp{journal};

  for (size_t i = 0; i < inputs.size(); ++i) {
    const SweepFileInfo& x = infos[i];
    try {
      h5::File f = h5::File::open(inputs[i]);
      RowReader rows(f, "runs");
      const auto [run_off, run_size] = rows.field("run");
      const auto [ok_off, ok_size] = rows.field("ok");
      const auto [err_off, err_size] = rows.field("error");
      std::vector<size_t> total_off;
      for (const auto& t : L.totals) total_off.push_back(rows.field(t).first);
      if (rows.rows() != x.runs)
        throw not_sweep(inputs[i], fmt::format("{} runs in the table, {} in the attributes",
                                               rows.rows(), x.runs));
      constexpr uint64_t kBlock = 4096;
      for (uint64_t start = 0; start < rows.rows(); start += kBlock) {
        const uint64_t n = std::min(kBlock, rows.rows() - start);
        rows.read(start, n);
        for (uint64_t k = 0; k < n; ++k) {
          const unsigned char* row = rows.row(k);
          RunRecord r;
          std::memcpy(&r.run, row + run_off, 8);
          r.ok = row[ok_off] != 0;
          const char* e = reinterpret_cast<const char*>(row + err_off);
          r.error.assign(e, strnlen(e, err_size));
          if (r.ok) {
            r.totals.resize(L.totals.size());
            for (size_t t = 0; t < total_off.size(); ++t)
              std::memcpy(&r.totals[t], row + total_off[t], 8);
          }
          if (r.run >= L.runs() || !in_shard(r.run / L.arms.size(), x.shard, x.shards))
            throw not_sweep(inputs[i], fmt::format("run {} does not belong to shard {}/{}", r.run,
                                                   x.shard, x.shards));
          journal.write(r);
        }
      }
      (void)run_size, (void)ok_size;
    } catch (const h5::Error& e) {
      throw not_sweep(inputs[i], fmt::format("cannot read its runs: {}", e.what()));
    }
  }
  const std::vector<RunStatus> status = journal.scan();
  const uint64_t absent =
      static_cast<uint64_t>(std::count(status.begin(), status.end(), RunStatus::not_recorded));
  if (absent > 0)
    throw InputError(fmt::format("fourp merge: error: the shards lack {} of the sweep's {} runs\n",
                                 absent, L.runs()));
  write_sweep_file(L, journal, out, overwrite);
}

}  // namespace fourp
