// HDF5 compound tables a block of rows at a time, for tables too large to hold in memory (the
// runs of a sweep): H5Appender writes one row after another, H5RowReader reads blocks of rows
// and finds fields by name. (h5.h writes and reads whole tables.)
//
//   H5Appender runs(file, "runs", {{"run", h5::Type::u64}, {"arm", h5::Type::string, 8}}, n);
//   for (...) { runs.u64(0, run); runs.str(1, arm); runs.end_row(); }
//   runs.finish();
//
// Rows are packed little-endian in memory exactly as in the file, so no conversion happens.
#pragma once

#include <algorithm>
#include <cstdint>
#include <cstring>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "output/h5.h"

namespace fourp {

// A field of a streamed table.
struct H5Column {
  std::string name;
  h5::Type type = h5::Type::f64;  // u8, u32, u64, f64 or string
  size_t width = 0;               // strings: bytes
};
size_t column_bytes(const H5Column& c);  // its size in a row

// A compound table created empty and extended a chunk of rows at a time; deflated and shuffled,
// in chunks of whole rows (at most 1024): the same rows always give the same chunks.
class H5Appender {
 public:
  H5Appender(const h5::Handle& parent, const std::string& name, std::vector<H5Column> cols,
             uint64_t expected_rows);

  // Fields of the current row by position: numbers (converted to the field's type), u64 exactly,
  // strings (cut to the field's width).
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
    std::memcpy(row_.data() + offsets_[c], s.data(), std::min(s.size(), column_bytes(cols_[c])));
  }
  void end_row() {
    buffer_.insert(buffer_.end(), row_.begin(), row_.end());
    std::fill(row_.begin(), row_.end(), 0);
    if (++buffered_ == chunk_rows_) flush();
  }
  void finish() { flush(); }  // writes the rows still buffered

 private:
  void flush();

  std::string name_;
  std::vector<H5Column> cols_;
  std::vector<size_t> offsets_;
  size_t row_size_ = 0;
  h5::Handle type_, dset_;
  uint64_t chunk_rows_ = 1, buffered_ = 0, written_ = 0;
  std::vector<unsigned char> row_, buffer_;
};

// Reads a compound table a block of rows at a time, fields by name.
class H5RowReader {
 public:
  H5RowReader(const h5::Handle& parent, const std::string& name);
  uint64_t rows() const { return rows_; }
  // Offset and size of a field; throws when missing.
  std::pair<size_t, size_t> field(const std::string& f) const;
  void read(uint64_t first, uint64_t count);  // rows [first, first + count)
  const unsigned char* row(uint64_t k) const { return buffer_.data() + k * row_size_; }

 private:
  std::string name_;
  h5::Handle dset_, type_;
  size_t row_size_ = 0;
  uint64_t rows_ = 0;
  std::vector<unsigned char> buffer_;
};

}  // namespace fourp
