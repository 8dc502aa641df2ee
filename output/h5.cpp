#include "output/h5.h"

#include <fcntl.h>
#include <hdf5.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cmath>
#include <cstring>
#include <limits>
#include <type_traits>

#include <fmt/format.h>
#include <zlib.h>

namespace fourp::h5 {

static_assert(std::is_same_v<Id, hid_t>, "h5::Id must be HDF5's hid_t");

std::string reason() {
  std::string out;
  H5Ewalk2(
      H5E_DEFAULT, H5E_WALK_UPWARD,
      [](unsigned n, const H5E_error2_t* e, void* data) -> herr_t {
        if (n == 0 && e->desc != nullptr) *static_cast<std::string*>(data) = e->desc;
        return 0;
      },
      &out);
  H5Eclear2(H5E_DEFAULT);
  return out.empty() ? std::string("unknown HDF5 error") : out;
}

namespace {

// HDF5 prints its error stack to stderr by default; fourp reports errors itself, once, as
// exceptions. H5Eset_auto2 is per thread in thread-safe builds, so it is set on every entry
// point (cheap) rather than once.
void quiet() {
  H5Eset_auto2(H5E_DEFAULT, nullptr, nullptr);
}

[[noreturn]] void fail(const std::string& what) {
  throw Error(what + ": " + reason());
}

void check(herr_t status, const std::string& what) {
  if (status < 0) fail(what);
}

// Group and file creation properties: creation order of links and attributes tracked and
// indexed (readers list arms and metrics as written); no modification times, so that the same
// results give the same bytes.
void set_creation_order(hid_t plist) {
  const unsigned flags = H5P_CRT_ORDER_TRACKED | H5P_CRT_ORDER_INDEXED;
  check(H5Pset_link_creation_order(plist, flags), "setting link creation order");
  check(H5Pset_attr_creation_order(plist, flags), "setting attribute creation order");
  check(H5Pset_obj_track_times(plist, false), "disabling time tracking");
}

// Memory (native) type of each element type; the file type is the little-endian standard type
// of the same size, which HDF5 converts to on big-endian machines.
hid_t native_type(Type t) {
  switch (t) {
    case Type::u8:
      return H5T_NATIVE_UINT8;
    case Type::u16:
      return H5T_NATIVE_UINT16;
    case Type::u32:
      return H5T_NATIVE_UINT32;
    case Type::u64:
      return H5T_NATIVE_UINT64;
    case Type::i8:
      return H5T_NATIVE_INT8;
    case Type::i16:
      return H5T_NATIVE_INT16;
    case Type::i32:
      return H5T_NATIVE_INT32;
    case Type::i64:
      return H5T_NATIVE_INT64;
    case Type::f32:
      return H5T_NATIVE_FLOAT;
    case Type::f64:
      return H5T_NATIVE_DOUBLE;
    default:
      throw std::invalid_argument(fmt::format("no numeric HDF5 type for {}", type_name(t)));
  }
}
hid_t file_type(Type t) {
  switch (t) {
    case Type::u8:
      return H5T_STD_U8LE;
    case Type::u16:
      return H5T_STD_U16LE;
    case Type::u32:
      return H5T_STD_U32LE;
    case Type::u64:
      return H5T_STD_U64LE;
    case Type::i8:
      return H5T_STD_I8LE;
    case Type::i16:
      return H5T_STD_I16LE;
    case Type::i32:
      return H5T_STD_I32LE;
    case Type::i64:
      return H5T_STD_I64LE;
    case Type::f32:
      return H5T_IEEE_F32LE;
    case Type::f64:
      return H5T_IEEE_F64LE;
    default:
      throw std::invalid_argument(fmt::format("no numeric HDF5 type for {}", type_name(t)));
  }
}
size_t type_size(Type t) {
  switch (t) {
    case Type::u8:
    case Type::i8:
      return 1;
    case Type::u16:
    case Type::i16:
      return 2;
    case Type::u32:
    case Type::i32:
    case Type::f32:
      return 4;
    default:
      return 8;
  }
}

template <class T>
constexpr Type type_of() {
  if constexpr (std::is_same_v<T, uint8_t>) return Type::u8;
  if constexpr (std::is_same_v<T, uint32_t>) return Type::u32;
  if constexpr (std::is_same_v<T, uint64_t>) return Type::u64;
  if constexpr (std::is_same_v<T, int32_t>) return Type::i32;
  if constexpr (std::is_same_v<T, int64_t>) return Type::i64;
  if constexpr (std::is_same_v<T, float>) return Type::f32;
  if constexpr (std::is_same_v<T, double>) return Type::f64;
  return Type::other;
}

Type classify(hid_t type) {
  switch (H5Tget_class(type)) {
    case H5T_INTEGER: {
      const bool is_signed = H5Tget_sign(type) == H5T_SGN_2;
      switch (H5Tget_size(type)) {
        case 1:
          return is_signed ? Type::i8 : Type::u8;
        case 2:
          return is_signed ? Type::i16 : Type::u16;
        case 4:
          return is_signed ? Type::i32 : Type::u32;
        case 8:
          return is_signed ? Type::i64 : Type::u64;
        default:
          return Type::other;
      }
    }
    case H5T_FLOAT:
      switch (H5Tget_size(type)) {
        case 4:
          return Type::f32;
        case 8:
          return Type::f64;
        default:
          return Type::other;
      }
    case H5T_STRING:
      return Type::string;
    case H5T_COMPOUND:
      return Type::compound;
    default:
      return Type::other;
  }
}

bool is_numeric(Type t) {
  return t != Type::string && t != Type::compound && t != Type::other;
}

// A variable-length UTF-8 string type: h5py reads such attributes as str.
Handle vlen_string_type() {
  Handle t(H5Tcopy(H5T_C_S1), "creating string type");
  check(H5Tset_size(t.id(), H5T_VARIABLE), "sizing string type");
  check(H5Tset_cset(t.id(), H5T_CSET_UTF8), "setting string encoding");
  return t;
}
// A fixed-length, null-padded UTF-8 string type of `size` bytes (numpy 'S<size>').
Handle fixed_string_type(size_t size) {
  Handle t(H5Tcopy(H5T_C_S1), "creating string type");
  check(H5Tset_size(t.id(), std::max<size_t>(size, 1)), "sizing string type");
  check(H5Tset_strpad(t.id(), H5T_STR_NULLPAD), "setting string padding");
  check(H5Tset_cset(t.id(), H5T_CSET_UTF8), "setting string encoding");
  return t;
}

Handle scalar_space() {
  return Handle(H5Screate(H5S_SCALAR), "creating dataspace");
}
Handle simple_space(const std::vector<hsize_t>& dims) {
  if (dims.empty()) return scalar_space();
  return Handle(H5Screate_simple(static_cast<int>(dims.size()), dims.data(), nullptr),
                "creating dataspace");
}

// Creates (replacing any attribute of the same name) and writes one attribute.
void put_attr(const Handle& obj, const std::string& name, hid_t file_t, hid_t mem_t,
              const Handle& space, const void* data) {
  const htri_t present = H5Aexists(obj.id(), name.c_str());
  if (present < 0) fail(fmt::format("checking attribute '{}'", name));
  if (present > 0) check(H5Adelete(obj.id(), name.c_str()), "replacing attribute " + name);
  Handle a(H5Acreate2(obj.id(), name.c_str(), file_t, space.id(), H5P_DEFAULT, H5P_DEFAULT),
           fmt::format("creating attribute '{}'", name));
  check(H5Awrite(a.id(), mem_t, data), fmt::format("writing attribute '{}'", name));
}

template <class T>
void put_number_attr(const Handle& obj, const std::string& name, T value) {
  constexpr Type t = type_of<T>();
  put_attr(obj, name, file_type(t), native_type(t), scalar_space(), &value);
}

// Chunk shape: whole trailing dimensions where they fit in ~256 KiB (one replicate of a series
// reads as one chunk and compresses well), else the largest slab of the first dimension that
// does not fit that does.
std::vector<hsize_t> chunk_dims(const std::vector<hsize_t>& dims, size_t element_size) {
  const hsize_t target = std::max<hsize_t>(1, (256 * 1024) / element_size);  // elements
  std::vector<hsize_t> c = dims;
  for (size_t i = 0; i < c.size(); ++i) {
    hsize_t rest = 1;
    for (size_t j = i + 1; j < c.size(); ++j) rest *= c[j];
    if (c[i] * rest <= target) break;
    c[i] = std::max<hsize_t>(1, target / rest);
    if (c[i] > 1) break;
  }
  return c;
}

// Dataset creation properties: chunked + shuffle + deflate when asked and the shape allows it
// (HDF5 cannot chunk an empty or scalar dataset).
Handle dataset_plist(const std::vector<hsize_t>& dims, size_t element_size, Compress compress) {
  Handle dcpl(H5Pcreate(H5P_DATASET_CREATE), "creating dataset properties");
  check(H5Pset_obj_track_times(dcpl.id(), false), "disabling time tracking");
  const bool chunkable =
      !dims.empty() && std::all_of(dims.begin(), dims.end(), [](hsize_t d) { return d > 0; });
  if (compress == Compress::yes && chunkable) {
    const std::vector<hsize_t> c = chunk_dims(dims, element_size);
    check(H5Pset_chunk(dcpl.id(), static_cast<int>(c.size()), c.data()), "setting chunks");
    check(H5Pset_shuffle(dcpl.id()), "setting shuffle filter");
    check(H5Pset_deflate(dcpl.id(), 4), "setting deflate filter");  // 4: most of 9's gain, faster
  }
  return dcpl;
}

hssize_t point_count(const Handle& space, const std::string& what) {
  const hssize_t n = H5Sget_simple_extent_npoints(space.id());
  if (n < 0) fail(what);
  return n;
}

// Members of a compound type: name and own type handle.
struct Member {
  std::string name;
  Handle type;
};
std::vector<Member> members(const Handle& compound) {
  const int n = H5Tget_nmembers(compound.id());
  if (n < 0) fail("reading compound type");
  std::vector<Member> out;
  for (int i = 0; i < n; ++i) {
    char* name = H5Tget_member_name(compound.id(), static_cast<unsigned>(i));
    if (name == nullptr) fail("reading compound member name");
    std::string s(name);
    H5free_memory(name);
    out.push_back({std::move(s), Handle(H5Tget_member_type(compound.id(), static_cast<unsigned>(i)),
                                        "reading compound member type")});
  }
  return out;
}

// Converts a table value to an integer type, refusing what the type cannot hold exactly.
template <class T>
T to_integer(double v, const Field& f, size_t row) {
  // Upper bound as the first double past the range, exact for 64-bit types too.
  const double upper = std::ldexp(1.0, std::numeric_limits<T>::digits);
  const double lower = static_cast<double>(std::numeric_limits<T>::min());
  if (!(v == std::floor(v) && v >= lower && v < upper))
    throw std::invalid_argument(fmt::format("table field '{}' row {}: {} is not a {} value", f.name,
                                            row, v, type_name(f.type)));
  return static_cast<T>(v);
}

void pack_number(char* dst, const Field& f, size_t row) {
  const double v = f.numbers[row];
  auto put = [&](auto x) { std::memcpy(dst, &x, sizeof x); };
  switch (f.type) {
    case Type::u8:
      put(to_integer<uint8_t>(v, f, row));
      break;
    case Type::u16:
      put(to_integer<uint16_t>(v, f, row));
      break;
    case Type::u32:
      put(to_integer<uint32_t>(v, f, row));
      break;
    case Type::u64:
      put(to_integer<uint64_t>(v, f, row));
      break;
    case Type::i8:
      put(to_integer<int8_t>(v, f, row));
      break;
    case Type::i16:
      put(to_integer<int16_t>(v, f, row));
      break;
    case Type::i32:
      put(to_integer<int32_t>(v, f, row));
      break;
    case Type::i64:
      put(to_integer<int64_t>(v, f, row));
      break;
    case Type::f32:
      put(static_cast<float>(v));
      break;
    case Type::f64:
      put(v);
      break;
    default:
      throw std::invalid_argument("not a numeric field: " + f.name);
  }
}

}  // namespace

std::string_view type_name(Type t) {
  switch (t) {
    case Type::u8:
      return "u8";
    case Type::u16:
      return "u16";
    case Type::u32:
      return "u32";
    case Type::u64:
      return "u64";
    case Type::i8:
      return "i8";
    case Type::i16:
      return "i16";
    case Type::i32:
      return "i32";
    case Type::i64:
      return "i64";
    case Type::f32:
      return "f32";
    case Type::f64:
      return "f64";
    case Type::string:
      return "string";
    case Type::compound:
      return "compound";
    default:
      return "other";
  }
}

// ---- handles and files

Handle::Handle(Id id, std::string_view what) : id_(id) {
  if (id < 0) fail(std::string(what));
}

Handle& Handle::operator=(Handle&& other) noexcept {
  if (this != &other) {
    reset();
    id_ = other.id_;
    other.id_ = -1;
  }
  return *this;
}

void Handle::reset() noexcept {
  if (id_ >= 0) {
    // Ids invalidated by a strong file close fail here; nothing to release then.
    if (H5Iis_valid(id_) > 0) H5Idec_ref(id_);
    H5Eclear2(H5E_DEFAULT);
    id_ = -1;
  }
}

File File::create(const std::filesystem::path& path) {
  quiet();
  Handle fcpl(H5Pcreate(H5P_FILE_CREATE), "creating file properties");
  set_creation_order(fcpl.id());
  Handle fapl(H5Pcreate(H5P_FILE_ACCESS), "creating file access properties");
  // Strong close: closing the file closes everything in it, so after close() the bytes are
  // complete on disk even if some handle was still alive.
  check(H5Pset_fclose_degree(fapl.id(), H5F_CLOSE_STRONG), "setting close degree");
  // fourp creates files only under a temporary name of its own, locked by write_atomically
  // (results_file.h) with flock: HDF5's own flock on the same file would refuse it.
  check(H5Pset_file_locking(fapl.id(), false, true), "disabling HDF5 file locking");
  // The newest format HDF5 1.10 writes (superblock 3, object headers 2, fixed-array chunk
  // indexes): every metadata object carries a checksum, which HDF5 verifies on every read, so a
  // damaged header, B-tree or heap is refused rather than trusted (docs/reliability.md). Files
  // need HDF5 1.10 or later to read (h5py 2.8 and later).
  check(H5Pset_libver_bounds(fapl.id(), H5F_LIBVER_LATEST, H5F_LIBVER_LATEST),
        "choosing the checksummed file format");
  const std::string name = path.string();
  return File(H5Fcreate(name.c_str(), H5F_ACC_TRUNC, fcpl.id(), fapl.id()),
              fmt::format("creating HDF5 file '{}'", name));
}

File File::open(const std::filesystem::path& path) {
  quiet();
  const std::string name = path.string();
  return File(H5Fopen(name.c_str(), H5F_ACC_RDONLY, H5P_DEFAULT),
              fmt::format("opening HDF5 file '{}'", name));
}

File File::open_for_update(const std::filesystem::path& path) {
  quiet();
  const std::string name = path.string();
  return File(H5Fopen(name.c_str(), H5F_ACC_RDWR, H5P_DEFAULT),
              fmt::format("opening HDF5 file '{}' for update", name));
}

bool File::is_hdf5(const std::filesystem::path& path) {
  quiet();
  const htri_t r = H5Fis_hdf5(path.string().c_str());
  H5Eclear2(H5E_DEFAULT);
  return r > 0;
}

void File::close() {
  if (!valid()) return;
  const Id id = release();  // whatever happens below, the id is not released twice
  const herr_t flushed = H5Fflush(id, H5F_SCOPE_GLOBAL);
  const std::string flush_reason = flushed < 0 ? reason() : std::string();
  const herr_t closed = H5Fclose(id);
  if (flushed < 0) throw Error("writing HDF5 file: " + flush_reason);
  if (closed < 0) fail("closing HDF5 file");
}

// ---- groups and datasets

Handle create_group(const Handle& parent, const std::string& name) {
  Handle gcpl(H5Pcreate(H5P_GROUP_CREATE), "creating group properties");
  set_creation_order(gcpl.id());
  return Handle(H5Gcreate2(parent.id(), name.c_str(), H5P_DEFAULT, gcpl.id(), H5P_DEFAULT),
                fmt::format("creating group '{}'", name));
}

Handle open_group(const Handle& parent, const std::string& path) {
  return Handle(H5Gopen2(parent.id(), path.c_str(), H5P_DEFAULT),
                fmt::format("opening group '{}'", path));
}

Handle open_dataset(const Handle& parent, const std::string& path) {
  return Handle(H5Dopen2(parent.id(), path.c_str(), H5P_DEFAULT),
                fmt::format("opening dataset '{}'", path));
}

void remove(const Handle& parent, const std::string& path) {
  check(H5Ldelete(parent.id(), path.c_str(), H5P_DEFAULT), fmt::format("removing '{}'", path));
}

namespace {

// Calls step(prefix) for each prefix of `path` that ends a component ("a", "a/b", … or "/a",
// "/a/b", …; "." components skipped), in order, until it returns false; true if none did.
template <class Step>
bool every_prefix(const std::string& path, Step step) {
  std::string prefix = path.starts_with('/') ? "/" : "";
  size_t start = prefix.size();
  while (start < path.size()) {
    size_t end = path.find('/', start);
    if (end == std::string::npos) end = path.size();
    if (end > start) {
      const std::string component = path.substr(start, end - start);
      if (component != ".") {
        if (!prefix.empty() && prefix.back() != '/') prefix += '/';
        prefix += component;
        if (!step(prefix)) return false;
      }
    }
    start = end + 1;
  }
  return true;
}

}  // namespace

bool exists(const Handle& parent, const std::string& path) {
  // H5Lexists checks only the last component, so every prefix is checked in turn.
  return every_prefix(path, [&](const std::string& prefix) {
    const htri_t r = H5Lexists(parent.id(), prefix.c_str(), H5P_DEFAULT);
    H5Eclear2(H5E_DEFAULT);
    return r > 0;
  });
}

std::vector<std::string> children(const Handle& parent, const std::string& path) {
  Handle group = open_group(parent, path);
  Handle gcpl(H5Gget_create_plist(group.id()), "reading group properties");
  unsigned flags = 0;
  check(H5Pget_link_creation_order(gcpl.id(), &flags), "reading link creation order");
  const H5_index_t index =
      (flags & H5P_CRT_ORDER_INDEXED) != 0 ? H5_INDEX_CRT_ORDER : H5_INDEX_NAME;
  std::vector<std::string> names;
  check(H5Literate(
            group.id(), index, H5_ITER_INC, nullptr,
            [](hid_t, const char* name, const H5L_info_t*, void* data) -> herr_t {
              static_cast<std::vector<std::string>*>(data)->emplace_back(name);
              return 0;
            },
            &names),
        fmt::format("listing group '{}'", path));
  return names;
}

// ---- attributes

void write_attr(const Handle& obj, const std::string& name, std::string_view value) {
  const std::string s(value);  // NUL-terminated for HDF5
  const char* p = s.c_str();
  Handle t = vlen_string_type();
  put_attr(obj, name, t.id(), t.id(), scalar_space(), &p);
}

void write_attr(const Handle& obj, const std::string& name, const char* value) {
  write_attr(obj, name, std::string_view(value));
}

void write_attr(const Handle& obj, const std::string& name,
                const std::vector<std::string>& values) {
  std::vector<const char*> p;
  for (const std::string& v : values) p.push_back(v.c_str());
  // HDF5 refuses a null buffer even for zero elements; an empty list is a [0] array.
  const char* none = nullptr;
  Handle t = vlen_string_type();
  put_attr(obj, name, t.id(), t.id(), simple_space({values.size()}), p.empty() ? &none : p.data());
}

void write_attr(const Handle& obj, const std::string& name, double value) {
  put_number_attr(obj, name, value);
}
void write_attr(const Handle& obj, const std::string& name, int32_t value) {
  put_number_attr(obj, name, value);
}
void write_attr(const Handle& obj, const std::string& name, int64_t value) {
  put_number_attr(obj, name, value);
}
void write_attr(const Handle& obj, const std::string& name, uint32_t value) {
  put_number_attr(obj, name, value);
}
void write_attr(const Handle& obj, const std::string& name, uint64_t value) {
  put_number_attr(obj, name, value);
}

bool has_attr(const Handle& obj, const std::string& name) {
  const htri_t r = H5Aexists(obj.id(), name.c_str());
  if (r < 0) fail(fmt::format("checking attribute '{}'", name));
  return r > 0;
}

namespace {

// ---- variable-length strings, read past HDF5's global heap code
//
// HDF5 keeps variable-length strings in the file's global heap, the one metadata structure of its
// format that carries no checksum, and HDF5 1.10 trusts what it finds there: a collection that
// lists an object of size 0 makes it loop forever (found by fuzz_results_file), one that lists an
// object larger than itself, or lacks the object asked for, makes it read outside its buffers.
// So fourp reads these strings itself: HDF5 hands over each stored reference (length, collection
// address, object index) through a conversion to an opaque type of ours that copies nothing, and
// the collection is read here, every size checked against the collection and the file.

constexpr char kReferenceTag[] = "fourp: stored variable-length string reference";

herr_t keep_stored_reference(hid_t src, hid_t dst, H5T_cdata_t* cdata, size_t, size_t, size_t,
                             void*, void*, hid_t) {
  // H5T_CONV_CONV: the buffer holds the stored bytes, which are the result; H5T_CONV_FREE: none.
  if (cdata->command != H5T_CONV_INIT) return 0;
  // Only from a stored variable-length string to our opaque type of the same size (a string in
  // memory is a pointer, of another size).
  if (H5Tget_class(src) != H5T_STRING || H5Tis_variable_str(src) <= 0 ||
      H5Tget_class(dst) != H5T_OPAQUE)
    return -1;
  char* tag = H5Tget_tag(dst);
  const bool ours = tag != nullptr && std::strcmp(tag, kReferenceTag) == 0;
  H5free_memory(tag);
  if (!ours || H5Tget_size(src) != H5Tget_size(dst)) return -1;
  cdata->need_bkg = H5T_BKG_NO;
  return 0;
}

void register_keep_stored_reference() {
  static const bool registered = [] {
    Handle string = vlen_string_type();
    Handle opaque(H5Tcreate(H5T_OPAQUE, 16), "creating reference type");
    check(H5Tset_tag(opaque.id(), kReferenceTag), "tagging reference type");
    // Soft: chosen by type class, then accepted or declined by the function for each pair.
    check(H5Tregister(H5T_PERS_SOFT, "fourp_keep_stored_reference", string.id(), opaque.id(),
                      keep_stored_reference),
          "registering the string reference conversion");
    return true;
  }();
  (void)registered;
}

uint64_t decode_le(const unsigned char* p, size_t n) {
  uint64_t v = 0;
  for (size_t i = n; i-- > 0;) v = (v << 8) | p[i];
  return v;
}

// The open file's bytes, read by fourp (sec2 driver: a POSIX file descriptor).
struct StoredFile {
  int fd = -1;
  uint64_t size = 0;       // bytes
  uint64_t base = 0;       // where HDF5's addresses start (after any user block)
  size_t offset_size = 8;  // bytes of an address
  size_t length_size = 8;  // bytes of a length
};

StoredFile stored_file(const Handle& obj, const std::string& what) {
  Handle file(H5Iget_file_id(obj.id()), what);
  Handle fcpl(H5Fget_create_plist(file.id()), what);
  StoredFile f;
  hsize_t userblock = 0;
  check(H5Pget_userblock(fcpl.id(), &userblock), what);
  check(H5Pget_sizes(fcpl.id(), &f.offset_size, &f.length_size), what);
  f.base = userblock;
  void* handle = nullptr;
  check(H5Fget_vfd_handle(file.id(), H5P_DEFAULT, &handle), what);
  Handle fapl(H5Fget_access_plist(file.id()), what);
  if (H5Pget_driver(fapl.id()) != H5FD_SEC2 || handle == nullptr)
    throw Error(what + ": variable-length strings are read only from plain files");
  f.fd = *static_cast<int*>(handle);
  struct stat st {};
  if (::fstat(f.fd, &st) != 0) throw Error(what + ": cannot read the file's size");
  f.size = static_cast<uint64_t>(st.st_size);
  if (f.offset_size < 2 || f.offset_size > 8 || f.length_size < 2 || f.length_size > 8)
    throw Error(what + ": unsupported address size");
  return f;
}

// `n` bytes at file offset `at`, which the caller checked lie inside the file.
std::vector<unsigned char> read_bytes(const StoredFile& f, uint64_t at, size_t n,
                                      const std::string& what) {
  std::vector<unsigned char> buf(n);
  size_t done = 0;
  while (done < n) {
    const ssize_t got = ::pread(f.fd, buf.data() + done, n - done, static_cast<off_t>(at + done));
    if (got <= 0) throw Error(what + ": cannot read the file");
    done += static_cast<size_t>(got);
  }
  return buf;
}

// A global heap collection larger than this is refused rather than read into memory (HDF5 makes
// one of 4 KiB, or of the size of one larger object).
constexpr uint64_t kMaxCollection = uint64_t{256} << 20;

// The string a stored reference points to, read from its global heap collection (HDF5 file format
// specification, "Global Heap"): "GCOL", version 1, 3 reserved bytes, the collection's size; then
// objects, each an index (2 bytes), a reference count (2), 4 reserved bytes, a size and the data
// padded to 8 bytes; index 0 is the free space, which ends the collection.
std::string read_stored_string(const StoredFile& f, const unsigned char* ref, size_t ref_size,
                               const std::string& what) {
  const auto damaged = [&](const std::string& why) {
    return Error(fmt::format("{}: its stored string is damaged ({})", what, why));
  };
  const uint64_t length = decode_le(ref, 4);
  const uint64_t addr = decode_le(ref + 4, f.offset_size);
  const uint64_t index = decode_le(ref + 4 + f.offset_size, 4);
  if (ref_size != 8 + f.offset_size) throw damaged("reference of an unexpected size");
  if (addr == 0) {  // HDF5's null string
    if (length != 0) throw damaged("no data for a string of " + std::to_string(length) + " bytes");
    return std::string();
  }
  const uint64_t header = (8 + f.length_size + 7) / 8 * 8;
  const uint64_t object_header = 8 + f.length_size;
  if (f.base > f.size || addr > f.size - f.base || header > f.size - f.base - addr)
    throw damaged("collection outside the file");
  const uint64_t at = f.base + addr;
  const std::vector<unsigned char> head = read_bytes(f, at, header, what);
  if (std::memcmp(head.data(), "GCOL", 4) != 0 || head[4] != 1)
    throw damaged("no global heap collection where it points");
  const uint64_t size = decode_le(head.data() + 8, f.length_size);
  if (size < header || size > f.size - at) throw damaged("collection larger than the file");
  if (size > kMaxCollection) throw damaged("collection of " + std::to_string(size) + " bytes");
  const std::vector<unsigned char> c = read_bytes(f, at, size, what);
  uint64_t p = header;
  while (p < size && size - p >= object_header) {
    const uint64_t idx = decode_le(c.data() + p, 2);
    const uint64_t object_size = decode_le(c.data() + p + 8, f.length_size);
    if (idx == 0) break;  // the free space: no object after it
    if (object_size > size - p - object_header) throw damaged("object larger than its collection");
    if (idx == index) {
      if (object_size != length)
        throw damaged(fmt::format("object of {} bytes for a string of {}", object_size, length));
      const auto begin = c.begin() + static_cast<std::ptrdiff_t>(p + object_header);
      return std::string(begin, begin + static_cast<std::ptrdiff_t>(length));
    }
    p += object_header + (object_size + 7) / 8 * 8;
  }
  throw damaged(fmt::format("object {} not in its collection", index));
}

std::vector<std::string> read_string_values(const Handle& obj, const std::string& name) {
  const std::string what = fmt::format("reading attribute '{}'", name);
  Handle a(H5Aopen(obj.id(), name.c_str(), H5P_DEFAULT), what);
  Handle ftype(H5Aget_type(a.id()), what);
  if (H5Tget_class(ftype.id()) != H5T_STRING)
    throw Error(fmt::format("attribute '{}' is not a string", name));
  Handle space(H5Aget_space(a.id()), what);
  const size_t n = static_cast<size_t>(point_count(space, what));
  std::vector<std::string> out;
  if (n == 0) return out;  // HDF5 refuses to read zero elements into a null buffer
  const htri_t variable = H5Tis_variable_str(ftype.id());
  if (variable < 0) fail(what);
  if (variable > 0) {
    // Each stored reference as it is in the file, then its string from the global heap.
    register_keep_stored_reference();
    const StoredFile f = stored_file(obj, what);
    const size_t ref_size = 8 + f.offset_size;
    Handle raw(H5Tcreate(H5T_OPAQUE, ref_size), what);
    check(H5Tset_tag(raw.id(), kReferenceTag), what);
    std::vector<unsigned char> refs(n * ref_size);
    check(H5Aread(a.id(), raw.id(), refs.data()), what);
    for (size_t i = 0; i < n; ++i)
      out.push_back(read_stored_string(f, refs.data() + i * ref_size, ref_size, what));
  } else {
    const size_t size = H5Tget_size(ftype.id());
    Handle mem(H5Tcopy(ftype.id()), what);
    std::vector<char> buf(n * size);
    check(H5Aread(a.id(), mem.id(), buf.data()), what);
    for (size_t i = 0; i < n; ++i) {
      const char* s = buf.data() + i * size;
      out.emplace_back(s, strnlen(s, size));
    }
  }
  return out;
}

template <class T>
T read_number_attr(const Handle& obj, const std::string& name) {
  const std::string what = fmt::format("reading attribute '{}'", name);
  Handle a(H5Aopen(obj.id(), name.c_str(), H5P_DEFAULT), what);
  Handle space(H5Aget_space(a.id()), what);
  if (point_count(space, what) != 1)
    throw Error(fmt::format("attribute '{}' is not a single value", name));
  T v{};
  check(H5Aread(a.id(), native_type(type_of<T>()), &v), what);
  return v;
}

}  // namespace

template <>
std::string read_attr<std::string>(const Handle& obj, const std::string& name) {
  std::vector<std::string> v = read_string_values(obj, name);
  if (v.size() != 1) throw Error(fmt::format("attribute '{}' is not a single string", name));
  return v[0];
}
template <>
std::vector<std::string> read_attr<std::vector<std::string>>(const Handle& obj,
                                                             const std::string& name) {
  return read_string_values(obj, name);
}
template <>
double read_attr<double>(const Handle& obj, const std::string& name) {
  return read_number_attr<double>(obj, name);
}
template <>
int64_t read_attr<int64_t>(const Handle& obj, const std::string& name) {
  return read_number_attr<int64_t>(obj, name);
}
template <>
uint64_t read_attr<uint64_t>(const Handle& obj, const std::string& name) {
  return read_number_attr<uint64_t>(obj, name);
}
template <>
uint32_t read_attr<uint32_t>(const Handle& obj, const std::string& name) {
  return read_number_attr<uint32_t>(obj, name);
}

// ---- arrays

template <class T>
void write_array(const Handle& parent, const std::string& name, std::span<const T> data,
                 const std::vector<uint64_t>& dims, Compress compress) {
  uint64_t count = 1;
  for (uint64_t d : dims) count *= d;
  if (count != data.size())
    throw std::invalid_argument(
        fmt::format("dataset '{}': {} values for a shape of {} values", name, data.size(), count));
  constexpr Type t = type_of<T>();
  const std::vector<hsize_t> hdims(dims.begin(), dims.end());
  Handle space = simple_space(hdims);
  Handle dcpl = dataset_plist(hdims, sizeof(T), compress);
  Handle ds(H5Dcreate2(parent.id(), name.c_str(), file_type(t), space.id(), H5P_DEFAULT, dcpl.id(),
                       H5P_DEFAULT),
            fmt::format("creating dataset '{}'", name));
  if (count > 0)
    check(H5Dwrite(ds.id(), native_type(t), H5S_ALL, H5S_ALL, H5P_DEFAULT, data.data()),
          fmt::format("writing dataset '{}'", name));
}

namespace {

// `raw`, a stored chunk, inflated: exactly `expected` bytes and the end of the deflate stream, or
// false.
bool inflates_to(const std::vector<unsigned char>& raw, size_t expected,
                 std::vector<unsigned char>& out) {
  out.resize(expected + 1);  // one byte more: a longer stream shows as a full buffer
  z_stream z{};
  if (inflateInit(&z) != Z_OK) return false;
  z.next_in = const_cast<unsigned char*>(raw.data());
  z.avail_in = static_cast<uInt>(raw.size());
  z.next_out = out.data();
  z.avail_out = static_cast<uInt>(out.size());
  const int status = inflate(&z, Z_FINISH);
  const bool ok = status == Z_STREAM_END && z.total_out == expected;
  inflateEnd(&z);
  return ok;
}

// Before HDF5 reads a chunked dataset: its chunks decode to their size. Chunk data carries no
// checksum, and HDF5 1.10 copies a whole chunk out of whatever its filters returned: a chunk
// whose deflate stream is intact but shorter (fuzz_results_file: a heap over-read inside H5Dread)
// is read past its end. So each stored chunk is read raw and inflated here first, and filters
// other than the two fourp writes (shuffle, deflate) are refused — HDF5 would look for any other
// as a plugin.
void check_chunks(const Handle& ds, const Handle& ftype, const std::string& what) {
  Handle dcpl(H5Dget_create_plist(ds.id()), what);
  if (H5Pget_layout(dcpl.id()) != H5D_CHUNKED) return;  // contiguous or compact: no filters
  const int nfilters = H5Pget_nfilters(dcpl.id());
  if (nfilters < 0) fail(what);
  int deflate = -1;  // its place in the pipeline
  for (int i = 0; i < nfilters; ++i) {
    unsigned flags = 0;
    size_t n = 0;
    const H5Z_filter_t id = H5Pget_filter2(dcpl.id(), static_cast<unsigned>(i), &flags, &n, nullptr,
                                           0, nullptr, nullptr);
    if (id == H5Z_FILTER_DEFLATE)
      deflate = i;
    else if (id != H5Z_FILTER_SHUFFLE)
      throw Error(fmt::format("{}: stored through filter {}, which fourp does not read", what,
                              static_cast<int>(id)));
  }
  const int rank = H5Pget_chunk(dcpl.id(), 0, nullptr);
  if (rank <= 0) fail(what);
  std::vector<hsize_t> chunk(static_cast<size_t>(rank));
  if (H5Pget_chunk(dcpl.id(), rank, chunk.data()) != rank) fail(what);
  uint64_t expected = H5Tget_size(ftype.id());
  for (hsize_t c : chunk) {
    if (c != 0 && expected > (uint64_t{1} << 31) / c)
      throw Error(what + ": chunks larger than 2 GB");
    expected *= c;
  }
  if (deflate < 0) return;  // shuffle alone keeps every size
  Handle space(H5Dget_space(ds.id()), what);
  hsize_t nchunks = 0;
  check(H5Dget_num_chunks(ds.id(), space.id(), &nchunks), what);
  std::vector<hsize_t> offset(static_cast<size_t>(rank));
  std::vector<unsigned char> raw, out;
  for (hsize_t i = 0; i < nchunks; ++i) {
    unsigned mask = 0;
    haddr_t addr = 0;
    hsize_t size = 0;
    check(H5Dget_chunk_info(ds.id(), space.id(), i, offset.data(), &mask, &addr, &size), what);
    if (size > (uint64_t{1} << 31)) throw Error(what + ": a stored chunk larger than 2 GB");
    raw.resize(static_cast<size_t>(size));
    uint32_t filters = 0;
    check(H5Dread_chunk(ds.id(), H5P_DEFAULT, offset.data(), &filters, raw.data()), what);
    const bool inflated = (filters & (1u << deflate)) == 0;
    if (inflated ? !inflates_to(raw, static_cast<size_t>(expected), out) : size != expected)
      throw Error(fmt::format("{}: chunk {} is damaged (it does not decode to {} bytes)", what, i,
                              expected));
  }
}

}  // namespace

template <class T>
std::vector<T> read_array(const Handle& parent, const std::string& path) {
  const std::string what = fmt::format("reading dataset '{}'", path);
  Handle ds = open_dataset(parent, path);
  Handle ftype(H5Dget_type(ds.id()), what);
  if (!is_numeric(classify(ftype.id())))
    throw Error(fmt::format("dataset '{}' is not numeric", path));
  Handle space(H5Dget_space(ds.id()), what);
  std::vector<T> out(static_cast<size_t>(point_count(space, what)));
  if (!out.empty()) check_chunks(ds, ftype, what);
  if (!out.empty())
    check(H5Dread(ds.id(), native_type(type_of<T>()), H5S_ALL, H5S_ALL, H5P_DEFAULT, out.data()),
          what);
  return out;
}

#define FOURP_H5_ARRAY(T)                                                             \
  template void write_array<T>(const Handle&, const std::string&, std::span<const T>, \
                               const std::vector<uint64_t>&, Compress);               \
  template std::vector<T> read_array<T>(const Handle&, const std::string&);
FOURP_H5_ARRAY(uint8_t)
FOURP_H5_ARRAY(uint32_t)
FOURP_H5_ARRAY(uint64_t)
FOURP_H5_ARRAY(float)
FOURP_H5_ARRAY(double)
#undef FOURP_H5_ARRAY

// ---- tables

size_t Table::rows() const {
  if (fields.empty()) return 0;
  const Field& f = fields.front();
  return f.type == Type::string ? f.strings.size() : f.numbers.size();
}

void write_table(const Handle& parent, const std::string& name, const Table& table,
                 Compress compress) {
  const size_t rows = table.rows();
  if (table.fields.empty())
    throw std::invalid_argument(fmt::format("table '{}' has no fields", name));
  // Packed layout, the same in memory and in the file (little-endian standard types), so rows
  // are copied field by field into one buffer.
  std::vector<size_t> offsets, sizes;
  std::vector<Handle> string_types;  // kept alive until the compound types are built
  size_t row_size = 0;
  for (const Field& f : table.fields) {
    size_t size = 0;
    if (f.type == Type::string) {
      if (f.strings.size() != rows)
        throw std::invalid_argument(fmt::format("table '{}': field '{}' has {} rows, expected {}",
                                                name, f.name, f.strings.size(), rows));
      for (const std::string& s : f.strings) size = std::max(size, s.size());
      size = std::max<size_t>(size, 1);
    } else {
      if (!is_numeric(f.type))
        throw std::invalid_argument(
            fmt::format("table '{}': field '{}' has no storable type", name, f.name));
      if (f.numbers.size() != rows)
        throw std::invalid_argument(fmt::format("table '{}': field '{}' has {} rows, expected {}",
                                                name, f.name, f.numbers.size(), rows));
      size = type_size(f.type);
    }
    offsets.push_back(row_size);
    sizes.push_back(size);
    row_size += size;
  }

  Handle mem(H5Tcreate(H5T_COMPOUND, row_size), "creating table type");
  Handle disk(H5Tcreate(H5T_COMPOUND, row_size), "creating table type");
  for (size_t i = 0; i < table.fields.size(); ++i) {
    const Field& f = table.fields[i];
    const std::string what = fmt::format("table '{}': adding field '{}'", name, f.name);
    if (f.type == Type::string) {
      string_types.push_back(fixed_string_type(sizes[i]));
      check(H5Tinsert(mem.id(), f.name.c_str(), offsets[i], string_types.back().id()), what);
      check(H5Tinsert(disk.id(), f.name.c_str(), offsets[i], string_types.back().id()), what);
    } else {
      check(H5Tinsert(mem.id(), f.name.c_str(), offsets[i], native_type(f.type)), what);
      check(H5Tinsert(disk.id(), f.name.c_str(), offsets[i], file_type(f.type)), what);
    }
  }

  std::vector<char> buf(rows * row_size, 0);
  for (size_t i = 0; i < table.fields.size(); ++i) {
    const Field& f = table.fields[i];
    for (size_t r = 0; r < rows; ++r) {
      char* dst = buf.data() + r * row_size + offsets[i];
      if (f.type == Type::string)
        std::memcpy(dst, f.strings[r].data(), f.strings[r].size());  // rest stays NUL
      else
        pack_number(dst, f, r);
    }
  }

  const std::vector<hsize_t> dims{rows};
  Handle space = simple_space(dims);
  Handle dcpl = dataset_plist(dims, row_size, compress);
  Handle ds(H5Dcreate2(parent.id(), name.c_str(), disk.id(), space.id(), H5P_DEFAULT, dcpl.id(),
                       H5P_DEFAULT),
            fmt::format("creating table '{}'", name));
  if (rows > 0)
    check(H5Dwrite(ds.id(), mem.id(), H5S_ALL, H5S_ALL, H5P_DEFAULT, buf.data()),
          fmt::format("writing table '{}'", name));
}

Table read_table(const Handle& parent, const std::string& path) {
  const std::string what = fmt::format("reading table '{}'", path);
  Handle ds = open_dataset(parent, path);
  Handle ftype(H5Dget_type(ds.id()), what);
  if (H5Tget_class(ftype.id()) != H5T_COMPOUND)
    throw Error(fmt::format("dataset '{}' is not a table", path));
  Handle space(H5Dget_space(ds.id()), what);
  const size_t rows = static_cast<size_t>(point_count(space, what));
  if (rows > 0) check_chunks(ds, ftype, what);
  Table table;
  // One field at a time: HDF5 converts compound types member by member, matched by name, so a
  // memory type with a single member reads just that column (and converts it to double).
  for (const Member& m : members(ftype)) {
    Field f;
    f.name = m.name;
    f.type = classify(m.type.id());
    const std::string field_what = fmt::format("{}: field '{}'", what, m.name);
    if (f.type == Type::string) {
      const htri_t variable = H5Tis_variable_str(m.type.id());
      if (variable != 0)
        throw Error(fmt::format("{}: variable-length strings are not supported", field_what));
      const size_t size = H5Tget_size(m.type.id());
      Handle mem(H5Tcreate(H5T_COMPOUND, size), field_what);
      check(H5Tinsert(mem.id(), m.name.c_str(), 0, m.type.id()), field_what);
      std::vector<char> buf(rows * size);
      if (rows > 0)
        check(H5Dread(ds.id(), mem.id(), H5S_ALL, H5S_ALL, H5P_DEFAULT, buf.data()), field_what);
      for (size_t r = 0; r < rows; ++r) {
        const char* s = buf.data() + r * size;
        f.strings.emplace_back(s, strnlen(s, size));
      }
    } else if (is_numeric(f.type)) {
      Handle mem(H5Tcreate(H5T_COMPOUND, sizeof(double)), field_what);
      check(H5Tinsert(mem.id(), m.name.c_str(), 0, H5T_NATIVE_DOUBLE), field_what);
      f.numbers.resize(rows);
      if (rows > 0)
        check(H5Dread(ds.id(), mem.id(), H5S_ALL, H5S_ALL, H5P_DEFAULT, f.numbers.data()),
              field_what);
    } else {
      throw Error(fmt::format("{}: unsupported field type", field_what));
    }
    table.fields.push_back(std::move(f));
  }
  return table;
}

DatasetInfo describe(const Handle& parent, const std::string& path) {
  const std::string what = fmt::format("describing dataset '{}'", path);
  Handle ds = open_dataset(parent, path);
  DatasetInfo info;
  Handle space(H5Dget_space(ds.id()), what);
  const int rank = H5Sget_simple_extent_ndims(space.id());
  if (rank < 0) fail(what);
  std::vector<hsize_t> dims(static_cast<size_t>(rank));
  if (rank > 0 && H5Sget_simple_extent_dims(space.id(), dims.data(), nullptr) < 0) fail(what);
  info.dims.assign(dims.begin(), dims.end());
  Handle type(H5Dget_type(ds.id()), what);
  info.type = classify(type.id());
  if (info.type == Type::compound)
    for (const Member& m : members(type)) info.fields.emplace_back(m.name, classify(m.type.id()));
  Handle dcpl(H5Dget_create_plist(ds.id()), what);
  info.chunked = H5Pget_layout(dcpl.id()) == H5D_CHUNKED;
  const int filters = H5Pget_nfilters(dcpl.id());
  for (int i = 0; i < filters; ++i) {
    unsigned flags = 0;
    size_t n = 0;
    const H5Z_filter_t id = H5Pget_filter2(dcpl.id(), static_cast<unsigned>(i), &flags, &n, nullptr,
                                           0, nullptr, nullptr);
    if (id == H5Z_FILTER_SHUFFLE) info.shuffle = true;
    if (id == H5Z_FILTER_DEFLATE) info.deflate = true;
  }
  return info;
}

// ---- format checks

namespace {

bool has_object_header_signature(int fd, uint64_t file_size, uint64_t at) {
  unsigned char sig[4];
  if (at > file_size || file_size - at < sizeof sig) return false;
  return ::pread(fd, sig, sizeof sig, static_cast<off_t>(at)) == ssize_t(sizeof sig) &&
         std::memcmp(sig, "OHDR", 4) == 0;
}

}  // namespace

Format check_format(const std::filesystem::path& path) {
  Format out;
  const int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) return out;
  struct stat st {};
  const uint64_t size = ::fstat(fd, &st) == 0 ? static_cast<uint64_t>(st.st_size) : 0;
  // The superblock is at 0 or after a user block: 512, 1024, 2048 … bytes (HDF5's search).
  static const unsigned char kSignature[8] = {0x89, 'H', 'D', 'F', '\r', '\n', 0x1a, '\n'};
  for (uint64_t at = 0; at < size; at = at == 0 ? 512 : at * 2) {
    unsigned char sb[12 + 4 * 8] = {};
    const ssize_t got = ::pread(fd, sb, sizeof sb, static_cast<off_t>(at));
    if (got < 12 || std::memcmp(sb, kSignature, 8) != 0) continue;
    out.superblock_version = sb[8];
    // Versions 2 and 3: signature, version, sizes of offsets and lengths, flags, then the base
    // address, the superblock extension's, the end of file's and the root group header's.
    const size_t o = sb[9];
    if (out.superblock_version >= 2 && (o == 4 || o == 8) && got >= ssize_t(12 + 4 * o)) {
      const uint64_t base = decode_le(sb + 12, o);
      const uint64_t extension = decode_le(sb + 12 + o, o);
      const uint64_t root = decode_le(sb + 12 + 3 * o, o);
      const uint64_t undefined = o == 8 ? ~uint64_t{0} : 0xffffffffu;
      out.root_checksummed =
          base == at && has_object_header_signature(fd, size, base + root) &&
          (extension == undefined || has_object_header_signature(fd, size, base + extension));
    }
    break;
  }
  ::close(fd);
  return out;
}

bool checked_exists(const Handle& parent, const std::string& path) {
  const std::string what = fmt::format("object '{}'", path);
  const StoredFile f = stored_file(parent, what);
  return every_prefix(path, [&](const std::string& prefix) {
    // The link is read from the group before, whose header was checked.
    const htri_t present = H5Lexists(parent.id(), prefix.c_str(), H5P_DEFAULT);
    if (present < 0) fail(fmt::format("looking up '{}'", prefix));
    if (present == 0) return false;
    H5L_info_t info{};
    check(H5Lget_info(parent.id(), prefix.c_str(), &info, H5P_DEFAULT),
          fmt::format("reading link '{}'", prefix));
    if (info.type != H5L_TYPE_HARD)
      throw Error(fmt::format("object '{}': a soft or external link, not an object", prefix));
    if (info.u.address > f.size ||
        !has_object_header_signature(f.fd, f.size, f.base + info.u.address))
      throw Error(
          fmt::format("object '{}': no checksummed object header where its link points", prefix));
    return true;
  });
}

}  // namespace fourp::h5
