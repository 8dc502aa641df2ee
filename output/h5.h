// Small RAII wrappers over the HDF5 C API for fourp's files: handles that close themselves,
// failures turned into exceptions that say what failed and why, and helpers for the few kinds of
// objects fourp writes — chunked, compressed numeric arrays; string and numeric attributes that
// h5py reads as str and numbers; compound "tables" (one row a record) that h5py reads as a
// structured array and pandas as a data frame — and reads back.
//
// This header does not include <hdf5.h> (an id is an int64_t, HDF5 1.10's hid_t), so code and
// tests that use it need no HDF5 include path; only h5.cpp sees the C API. The serial HDF5
// library is not thread-safe: use it from one thread at a time.
//
//   h5::File f = h5::File::create("out.h5");
//   h5::Handle arms = h5::create_group(f, "arms");
//   h5::write_attr(f, "seed", uint64_t{7});
//   h5::write_array<double>(arms, "x", values, {replicates, rows}, h5::Compress::yes);
//   f.close();
//   h5::File g = h5::File::open("out.h5");
//   std::vector<double> x = h5::read_array<double>(g, "arms/x");
#pragma once

#include <cstdint>
#include <filesystem>
#include <span>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

namespace fourp::h5 {

using Id = int64_t;  // hid_t

// An HDF5 call failed. The message names the operation and object, then HDF5's reason
// (e.g. "creating dataset 'x': unable to create dataset: … No space left on device").
class Error : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

// The most specific entry of HDF5's error stack (where the last failure was detected; for I/O
// errors it carries errno's text), then the stack is cleared.
std::string reason();

// Owns one HDF5 id of any kind (file, group, dataset, dataspace, datatype, property list,
// attribute) and releases it when destroyed. Move-only.
class Handle {
 public:
  Handle() = default;
  // Takes ownership of `id`; throws Error("<what>: <HDF5's reason>") when `id` is negative.
  Handle(Id id, std::string_view what);
  ~Handle() { reset(); }
  Handle(Handle&& other) noexcept : id_(other.id_) { other.id_ = -1; }
  Handle& operator=(Handle&& other) noexcept;
  Handle(const Handle&) = delete;
  Handle& operator=(const Handle&) = delete;

  Id id() const { return id_; }
  bool valid() const { return id_ >= 0; }
  void reset() noexcept;   // releases the id (errors ignored: used in destructors)
  Id release() noexcept {  // gives up ownership without releasing the id
    const Id id = id_;
    id_ = -1;
    return id;
  }

 private:
  Id id_ = -1;
};

// An HDF5 file. Every group created in it (the root too) tracks link and attribute creation
// order, so readers list arms and metrics in the order they were written.
class File : public Handle {
 public:
  // Creates (truncating) a file for writing. Closing it closes every object still open in it.
  // Without HDF5's file lock: the caller writes a name no one else opens (write_atomically).
  static File create(const std::filesystem::path& path);
  // Opens an existing file read-only. Throws Error when it is missing or not HDF5.
  static File open(const std::filesystem::path& path);
  // Opens an existing file for reading and writing (to amend it, e.g. in tests or tools).
  static File open_for_update(const std::filesystem::path& path);
  static bool is_hdf5(const std::filesystem::path& path);  // false also when unreadable
  // Flushes and closes, throwing on failure (a full disk shows here); the destructor closes
  // silently.
  void close();

 private:
  using Handle::Handle;
};

// Element types of datasets, attributes and table fields.
enum class Type { u8, u16, u32, u64, i8, i16, i32, i64, f32, f64, string, compound, other };
std::string_view type_name(Type t);  // "u8", …, "f64", "string", "compound", "other"

enum class Compress { no, yes };  // yes: chunked, shuffle + deflate

// Groups. Paths are relative to `parent` ("a/b") or absolute ("/a/b").
Handle create_group(const Handle& parent, const std::string& name);
Handle open_group(const Handle& parent, const std::string& path);
Handle open_dataset(const Handle& parent, const std::string& path);
// Removes the link `path` (the object goes with its last link; the space is not reclaimed).
void remove(const Handle& parent, const std::string& path);
// True when every component of `path` exists below `parent`.
bool exists(const Handle& parent, const std::string& path);
// Names of a group's members, in creation order when tracked, else in name order.
std::vector<std::string> children(const Handle& parent, const std::string& path = ".");

// Attributes on a file, group or dataset. Strings are variable-length UTF-8 (h5py: str);
// string lists are 1-D arrays of them (h5py: an array of str).
void write_attr(const Handle& obj, const std::string& name, std::string_view value);
void write_attr(const Handle& obj, const std::string& name, const char* value);
void write_attr(const Handle& obj, const std::string& name, const std::vector<std::string>& values);
void write_attr(const Handle& obj, const std::string& name, double value);
void write_attr(const Handle& obj, const std::string& name, int32_t value);
void write_attr(const Handle& obj, const std::string& name, int64_t value);
void write_attr(const Handle& obj, const std::string& name, uint32_t value);
void write_attr(const Handle& obj, const std::string& name, uint64_t value);
bool has_attr(const Handle& obj, const std::string& name);
// T: std::string (variable or fixed length), std::vector<std::string>, double, int64_t,
// uint64_t, uint32_t. Numbers are converted by HDF5 (an out-of-range value is an Error).
template <class T>
T read_attr(const Handle& obj, const std::string& name);

// A numeric array of shape `dims` (row-major; the product of dims must equal data.size()).
// T: uint8_t, uint32_t, uint64_t, float, double. With Compress::yes the data is chunked (chunks
// of whole trailing dimensions where they fit in ~256 KiB, so one replicate reads as one chunk)
// and stored through the shuffle and deflate filters.
template <class T>
void write_array(const Handle& parent, const std::string& name, std::span<const T> data,
                 const std::vector<uint64_t>& dims, Compress compress);
// Any numeric dataset, converted by HDF5 to T (same T as write_array), row-major.
template <class T>
std::vector<T> read_array(const Handle& parent, const std::string& path);

// A compound dataset, one row a record. Numeric fields hold their values as double whatever
// their stored type (integers beyond 2^53 lose precision); string fields are fixed-length,
// null-padded UTF-8 (numpy 'S' dtype: pandas shows bytes).
struct Field {
  std::string name;
  Type type = Type::f64;             // u8 … f64, or string
  std::vector<double> numbers;       // numeric fields: one value a row
  std::vector<std::string> strings;  // string fields: one value a row
};
struct Table {
  std::vector<Field> fields;
  size_t rows() const;  // of the first field; 0 without fields
};
// Throws std::invalid_argument when fields differ in length or an integer field holds a value
// its type cannot represent exactly.
void write_table(const Handle& parent, const std::string& name, const Table& table,
                 Compress compress);
Table read_table(const Handle& parent, const std::string& path);

// What HDF5 itself verifies of a file. HDF5 checksums every metadata object of the format fourp
// writes (File::create: superblock version 3, object headers version 2): a damaged header,
// B-tree or heap is refused rather than trusted. HDF5 1.10 does not survive every damaged
// structure without a checksum (docs/reliability.md), so readers of files that may be damaged
// check, before HDF5 reads anything, that the file is of that format — check_format — and look
// objects up with checked_exists, never exists, before opening them. (Strings are read past the
// global heap, the one structure without a checksum: read_attr; chunks are inflated and checked
// before HDF5 decodes them: read_array, read_table.)
struct Format {
  int superblock_version = -1;    // -1: no HDF5 signature found
  bool root_checksummed = false;  // the root group's (and any superblock extension's) header
};
Format check_format(const std::filesystem::path& path);
// Like exists, component by component, and each existing component must be a hard link to a
// version-2 (checksummed) object header inside the file — checked before HDF5 reads that header
// to look up the next component. Throws Error ("object '/a/b': …") on one that is not.
bool checked_exists(const Handle& parent, const std::string& path);

// What a dataset is, for readers that check a file's layout before trusting it.
struct DatasetInfo {
  std::vector<uint64_t> dims;
  Type type = Type::other;
  std::vector<std::pair<std::string, Type>> fields;  // compound members, in order
  bool chunked = false;
  bool shuffle = false;
  bool deflate = false;
};
DatasetInfo describe(const Handle& parent, const std::string& path);

}  // namespace fourp::h5
