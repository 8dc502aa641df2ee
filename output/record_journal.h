// A journal file of checksummed records, appended and synced one at a time, that a command
// killed at any moment can be resumed from (`fourp calibrate --resume`, `fourp optimise
// --resume`). What a record holds is its user's: this is the framing, the sync and the scan.
//
// Format: a header (8 bytes of magic naming the kind, the run's hash u64, FNV-1a of those 16
// bytes u64), then records: payload length u64, payload, FNV-1a of the payload u64; little
// endian. A record cut short or failing its checksum ends the journal (what it held is made
// again).
//
//   RecordJournal j = RecordJournal::create(path, kMagic, hash, "calibration");
//   j.write(payload);                                   // synced when it returns
//   JournalScan s = scan_journal(path, kMagic, hash, "calibration");  // on --resume
#pragma once

#include <cstdint>
#include <cstring>
#include <filesystem>
#include <optional>
#include <string_view>
#include <vector>

namespace fourp {

using Bytes = std::vector<unsigned char>;

// FNV-1a of text or bytes: the hash a journal's header holds of the run it belongs to.
uint64_t fnv1a(const unsigned char* p, size_t n);
uint64_t journal_hash(std::string_view text);

// Appending to a payload, and reading one back (ok = false once past its end).
template <class T>
void put(Bytes& b, T v) {
  unsigned char bytes[sizeof(T)];
  std::memcpy(bytes, &v, sizeof(T));
  b.insert(b.end(), bytes, bytes + sizeof(T));
}
inline void put(Bytes& b, const std::vector<double>& v) {
  for (double x : v) put(b, x);
}
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

struct JournalScan {
  std::vector<Bytes> records;  // the payloads of the complete records, in order
  std::vector<size_t> ends;    // the byte after each record (the header's end first)
};

// The records of an existing journal up to the first damaged one. Throws InputError when the
// file is not a journal of `magic` ("not a <what> journal of fourp") or, with a hash, belongs to
// another run: resuming it would mix two runs.
JournalScan scan_journal(const std::filesystem::path& path, const char (&magic)[8],
                         std::optional<uint64_t> hash, std::string_view what);

class RecordJournal {
 public:
  // A new journal (InputError if the file exists: "use --resume … or --overwrite"), its header
  // synced.
  static RecordJournal create(const std::filesystem::path& path, const char (&magic)[8],
                              uint64_t hash, std::string_view what);
  // An existing journal, cut after its first `keep` bytes (the header and the records kept).
  static RecordJournal reopen(const std::filesystem::path& path, size_t keep);
  RecordJournal(RecordJournal&&) noexcept;
  ~RecordJournal();
  // Appends one record and syncs it to the disk.
  void write(const Bytes& payload);

 private:
  RecordJournal(int fd, std::filesystem::path path) : fd_(fd), path_(std::move(path)) {}
  int fd_ = -1;
  std::filesystem::path path_;
};

}  // namespace fourp
